"""The SDK's exceptions: one class per HTTP status family, carrying Resend's error fields."""

from __future__ import annotations

import json
from typing import Any

import httpx

from ._models import ErrorDetail

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "ThriveSendError",
    "UnprocessableEntityError",
    "WebhookVerificationError",
]


class ThriveSendError(Exception):
    """Base of every error this SDK raises.

    ``name`` is Resend's error name (``validation_error``, ``not_found``, ...) for answers of
    the API, or the SDK's own for failures without one (``api_connection_error``, ...).
    """

    status_code: int | None = None
    name: str = "thrive_send_error"
    request_id: str | None = None

    def __init__(self, message: str, *, details: list[ErrorDetail] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: list[ErrorDetail] = details or []


class APIConnectionError(ThriveSendError):
    """No answer: the connection failed or broke (also mid-body, in a stream or an export)."""

    name = "api_connection_error"

    def __init__(self, message: str = "Connection error", *, request: httpx.Request | None = None):
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """No answer within the timeout (after the retries, if any)."""

    name = "api_timeout_error"

    def __init__(self, request: httpx.Request | None = None) -> None:
        super().__init__("Request timed out", request=request)


class APIResponseValidationError(ThriveSendError):
    """A success answer that does not match the spec's schema (a server newer than the SDK?)."""

    name = "api_response_validation_error"

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get("x-request-id")


class APIStatusError(ThriveSendError):
    """The API answered with an error status; its body is Resend's error shape."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        name: str,
        request_id: str | None,
        details: list[ErrorDetail] | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message, details=details)
        self.response = response
        self.status_code: int = response.status_code
        self.name = name
        self.request_id = request_id
        self.body = body

    def __str__(self) -> str:
        return f"{self.status_code} {self.name}: {self.message}"


class BadRequestError(APIStatusError):
    """400."""


class AuthenticationError(APIStatusError):
    """401: ``missing_api_key`` or ``restricted_api_key``."""


class PermissionDeniedError(APIStatusError):
    """403: ``invalid_api_key``, ``sending_paused``, ..."""


class NotFoundError(APIStatusError):
    """404, also for another organization's objects."""


class ConflictError(APIStatusError):
    """409: ``invalid_state``, ``invalid_idempotent_request``, ..."""


class PayloadTooLargeError(APIStatusError):
    """413."""


class UnprocessableEntityError(APIStatusError):
    """422 ``validation_error``: ``details`` lists each invalid field."""


class RateLimitError(APIStatusError):
    """429."""


class InternalServerError(APIStatusError):
    """5xx."""


class WebhookVerificationError(ThriveSendError):
    """A webhook whose signature, headers or timestamp do not check out."""

    name = "webhook_verification_error"


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_name(response: httpx.Response) -> str | None:
    """The ``name`` of an error body, if it is one (read before deciding to retry a 409)."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    name = body.get("name") if isinstance(body, dict) else None
    return name if isinstance(name, str) else None


def _details(value: Any) -> list[ErrorDetail]:
    if not isinstance(value, list):
        return []
    return [
        ErrorDetail(path=str(item.get("path", "")), message=str(item.get("message", "")))
        for item in value
        if isinstance(item, dict)
    ]


def status_error(response: httpx.Response) -> APIStatusError:
    """The exception for an error answer; a body that is not Resend's shape is kept as text."""
    status = response.status_code
    cls = _BY_STATUS.get(status) or (InternalServerError if status >= 500 else APIStatusError)
    request_id = response.headers.get("x-request-id")
    try:
        body: Any = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = response.text
    if isinstance(body, dict):
        details = body.get("details")
        return cls(
            str(body.get("message") or response.reason_phrase or f"HTTP {status}"),
            response=response,
            name=str(body.get("name") or f"http_{status}"),
            request_id=str(body.get("request_id") or request_id or "") or None,
            details=_details(details),
            body=body,
        )
    text = body if isinstance(body, str) else ""
    return cls(
        text[:500] or response.reason_phrase or f"HTTP {status}",
        response=response,
        name=f"http_{status}",
        request_id=request_id,
        body=body,
    )
