"""Thrive-Send's Python SDK: ``Client``/``AsyncClient`` over the HTTP API, typed models,
pagination, exports to files and DataFrames, the live event stream, webhook verification."""

from . import models, params, webhooks
from ._client import AsyncClient, Client
from ._core import RequestOptions
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ThriveSendError,
    UnprocessableEntityError,
    WebhookVerificationError,
)
from ._operations import OPERATION_METHODS
from ._policy import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._stream import AsyncEventStream, EventStream, StreamEvent
from ._version import __version__
from .resources.audit_logs import AuditLogQuery
from .resources.events import EventQuery

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "OPERATION_METHODS",
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncEventStream",
    "AuditLogQuery",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ConflictError",
    "EventQuery",
    "EventStream",
    "InternalServerError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestOptions",
    "StreamEvent",
    "ThriveSendError",
    "UnprocessableEntityError",
    "WebhookVerificationError",
    "__version__",
    "models",
    "params",
    "webhooks",
]
