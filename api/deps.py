"""FastAPI dependencies as ``Annotated`` aliases: settings, the service, the writer's bearer token.

>>> from fastapi import FastAPI
>>> app = FastAPI()
>>> @app.post("/things")
... def add(_: RequireWriter, service: ServiceDep) -> None: ...
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request

from api.errors import AuthenticationError, ReadOnlyServiceError
from api.service import SparqlService
from sarcokg.config import Settings

__all__ = [
    "RequireWriter",
    "ServiceDep",
    "SettingsDep",
    "StoreDep",
    "get_service",
    "get_settings",
    "require_writer",
    "state_dependency",
]

T = TypeVar("T")


def state_dependency(name: str, kind: type[T], doc: str) -> Callable[[Request], T]:
    """A dependency ``get_<name>`` returning ``app.state.<name>``, an object the app set up when it
    started; ``kind`` is its type (for the type checker) and ``doc`` the dependency's docstring.

    >>> get_answer = state_dependency("answer", int, "The answer.")
    >>> get_answer.__name__, get_answer.__doc__
    ('get_answer', 'The answer.')
    """

    def dependency(request: Request) -> T:
        value: T = getattr(request.app.state, name)
        return value

    dependency.__name__ = dependency.__qualname__ = f"get_{name}"
    dependency.__doc__ = doc
    return dependency


get_settings = state_dependency("settings", Settings, "The settings the app was created with.")
get_service = state_dependency(
    "service", SparqlService, "The process's one :class:`SparqlService` (opened at start-up)."
)


def require_writer(request: Request) -> None:
    """Allow a write only with ``Authorization: Bearer <SARCOKG_TOKEN>``.

    No token configured: the service is read-only (403). Missing or wrong token: 401 with
    ``WWW-Authenticate``. The comparison takes constant time.
    """
    token = get_settings(request).token
    if not token:
        raise ReadOnlyServiceError("this service is read-only: no SARCOKG_TOKEN is configured")
    header = request.headers.get("authorization")
    if not header:
        raise AuthenticationError("writes need an 'Authorization: Bearer <token>' header")
    scheme, _, credentials = header.strip().partition(" ")
    given = credentials.strip().encode("utf-8")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given, token.encode("utf-8")):
        raise AuthenticationError("the bearer token is wrong", error="invalid_token")


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[SparqlService, Depends(get_service)]
#: Alias kept for routes that think of the service as "the store".
StoreDep = ServiceDep
RequireWriter = Annotated[None, Depends(require_writer)]
