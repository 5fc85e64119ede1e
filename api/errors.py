"""HTTP-facing errors of the service and the one table mapping every ``SarcoKGError`` to a status.

Route code raises these (or the core ``sarcokg.errors`` classes); ``api.app`` turns them into
responses in one exception handler. A class may carry ``status_code`` and ``headers``; other
``SarcoKGError`` subclasses get their status from :data:`STATUS_BY_CLASS`.

>>> status_for(QueryError("bad"))
400
>>> status_for(ServiceBusyError("busy", retry_after_s=2)), headers_for(ServiceBusyError("b", retry_after_s=2))
(503, {'Retry-After': '2'})
"""

from __future__ import annotations

from sarcokg.errors import (
    InputError,
    OntologyError,
    QueryError,
    QueryTimeoutError,
    SarcoKGError,
    StoreError,
    StoreLockedError,
)

__all__ = [
    "STATUS_BY_CLASS",
    "ApiError",
    "AuthenticationError",
    "BadRequestError",
    "ForbiddenOperationError",
    "NotAcceptableError",
    "NotFoundError",
    "PayloadTooLargeError",
    "ReadOnlyServiceError",
    "ResultTooLargeError",
    "ServiceBusyError",
    "UnsupportedMediaTypeError",
    "headers_for",
    "status_for",
]


class ApiError(SarcoKGError):
    """An error with its own HTTP status (and optional headers)."""

    status_code = 400

    def __init__(self, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.headers = dict(headers or {})


class BadRequestError(ApiError):
    """A malformed request (missing or repeated parameter, bad value)."""


class NotFoundError(ApiError):
    """The graph or resource does not exist."""

    status_code = 404


class NotAcceptableError(ApiError):
    """No format the client accepts can carry this result."""

    status_code = 406


class PayloadTooLargeError(ApiError):
    """Query text or upload over its size cap."""

    status_code = 413


class UnsupportedMediaTypeError(ApiError):
    """A request body in a media type (or charset) the endpoint does not take."""

    status_code = 415


class AuthenticationError(ApiError):
    """A write without the right bearer token."""

    status_code = 401

    def __init__(self, message: str, *, error: str | None = None) -> None:
        challenge = 'Bearer realm="sarcokg"'
        if error:
            challenge += f', error="{error}"'
        super().__init__(message, headers={"WWW-Authenticate": challenge})


class ReadOnlyServiceError(ApiError):
    """A write on a service that has no token configured."""

    status_code = 403


class ForbiddenOperationError(QueryError):
    """SERVICE or LOAD: they would make the server fetch arbitrary URLs (SSRF)."""

    status_code = 403


class ResultTooLargeError(QueryError):
    """A result with more rows than ``Settings.max_rows`` (refused, never cut)."""

    status_code = 422


class ServiceBusyError(SarcoKGError):
    """Every query slot (or the writer) is busy: try again shortly."""

    status_code = 503

    def __init__(self, message: str, *, retry_after_s: int = 1) -> None:
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after_s)}


#: Status of the core error classes (most specific class first).
STATUS_BY_CLASS: tuple[tuple[type[SarcoKGError], int], ...] = (
    (QueryTimeoutError, 504),
    (QueryError, 400),
    (InputError, 400),
    (OntologyError, 404),
    (StoreLockedError, 503),
    (StoreError, 500),
    (SarcoKGError, 500),
)


def status_for(exc: SarcoKGError) -> int:
    """The HTTP status for ``exc``: its own ``status_code`` or the table's."""
    own = getattr(exc, "status_code", None)
    if isinstance(own, int):
        return own
    for cls, status in STATUS_BY_CLASS:
        if isinstance(exc, cls):
            return status
    return 500


def headers_for(exc: SarcoKGError) -> dict[str, str]:
    """Extra response headers carried by ``exc`` (``WWW-Authenticate``, ``Retry-After``)."""
    headers = getattr(exc, "headers", None)
    return dict(headers) if isinstance(headers, dict) else {}
