"""FastAPI dependencies as ``Annotated`` aliases: settings, the service, the writer's bearer token.

>>> from fastapi import FastAPI
>>> app = FastAPI()
>>> @app.post("/things")
... def add(_: RequireWriter, service: ServiceDep) -> None: ...
"""

from __future__ import annotations

import hmac
from typing import Annotated

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
]


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_service(request: Request) -> SparqlService:
    """The process's one :class:`SparqlService` (opened at start-up)."""
    service: SparqlService = request.app.state.service
    return service


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
