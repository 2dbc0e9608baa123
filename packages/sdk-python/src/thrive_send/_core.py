"""What the sync and async clients share: building a request from an operation, reading the
answer. Only the sending loop (with its sleeps) differs between them."""

from __future__ import annotations

import os
import platform
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, TypeAlias, TypedDict, TypeVar
from urllib.parse import quote

import httpx
import pydantic

from ._errors import APIResponseValidationError
from ._policy import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._session import SessionState, csrf_token, session_cookie
from ._signing import RequestSigner
from ._version import __version__

ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)

Timeout: TypeAlias = float | httpx.Timeout | None
QueryValue: TypeAlias = str | int | float | bool | datetime | Sequence[str] | None
DEFAULT_BASE_URL = "http://localhost:3000"
API_KEY_ENV = "THRIVE_API_KEY"
BASE_URL_ENV = "THRIVE_BASE_URL"


class RequestOptions(TypedDict, total=False):
    """Per-call overrides, accepted as keyword arguments by every method."""

    timeout: Timeout
    """Seconds (or an ``httpx.Timeout``; ``None``: wait forever) instead of the client's."""
    max_retries: int
    """Retries instead of the client's ``max_retries``."""
    extra_headers: Mapping[str, str]
    """Headers added to this request."""


@dataclass(frozen=True)
class ClientSettings:
    """A client's configuration; ``with_options`` copies it with changes."""

    api_key: str | None = field(repr=False)
    base_url: str
    timeout: Timeout = field(default_factory=lambda: DEFAULT_TIMEOUT)
    max_retries: int = DEFAULT_MAX_RETRIES
    default_headers: Mapping[str, str] = field(default_factory=dict)
    # A person's client (``session=``): no API key, the session's cookies and CSRF token.
    session: SessionState | None = field(default=None, repr=False)
    signer: RequestSigner | None = field(default=None, repr=False)

    @staticmethod
    def resolve(
        api_key: str | None,
        base_url: str | None,
        timeout: Timeout,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        *,
        as_person: bool = False,
        signing_secret: str | None = None,
    ) -> ClientSettings:
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        if as_person and api_key is not None:
            raise ValueError("a client acts with an API key or with a session, not both")
        return ClientSettings(
            api_key=None
            if as_person
            else (api_key if api_key is not None else os.environ.get(API_KEY_ENV)),
            base_url=(base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/"),
            timeout=timeout,
            max_retries=max_retries,
            default_headers=dict(default_headers or {}),
            session=SessionState() if as_person else None,
            signer=RequestSigner(signing_secret) if signing_secret else None,
        )


@dataclass(frozen=True)
class RequestSpec:
    """One call of one operation, before it is sent (and sent again on a retry)."""

    operation_id: str
    method: Literal["GET", "POST", "PATCH", "DELETE"]
    path: str
    query: Mapping[str, QueryValue] | None = None
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    options: RequestOptions = field(default_factory=lambda: RequestOptions())
    # Statuses answered with the success schema (GET /ready also answers 503 with it).
    ok_statuses: frozenset[int] = frozenset({200})
    # Read timeout for endless or long bodies (the event stream), overriding the client's.
    stream_timeout: Timeout | None = None
    # A redirect is the answer (single sign-on's 302), not followed.
    redirect: bool = False


def path(template: str, **params: str) -> str:
    """Fills a path template, escaping each value (an email address in /suppressions/{id})."""
    for name, value in params.items():
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} must be a non-empty string, got {value!r}")
        template = template.replace("{" + name + "}", quote(value, safe=""))
    return template


def new_idempotency_key() -> str:
    return str(uuid.uuid4())


def jsonable(value: Any) -> Any:
    """Request bodies: pydantic models by their JSON aliases, datetimes as ISO 8601."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


QueryPairs: TypeAlias = list[tuple[str, str | int | float | bool | None]]


def _query_params(query: Mapping[str, QueryValue] | None) -> QueryPairs:
    pairs: QueryPairs = []
    for name, value in (query or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        elif isinstance(value, datetime):
            pairs.append((name, value.isoformat()))
        elif isinstance(value, str | int | float):
            pairs.append((name, str(value)))
        else:
            pairs.extend((name, str(item)) for item in value)
    return pairs


USER_AGENT = f"thrive-send-python/{__version__} python/{platform.python_version()}"


def build_request(
    http: httpx.Client | httpx.AsyncClient, settings: ClientSettings, spec: RequestSpec
) -> httpx.Request:
    headers: dict[str, str] = {"Accept": "application/json", "User-Agent": USER_AGENT}
    if settings.api_key:
        headers["Authorization"] = f"Bearer {settings.api_key}"
    headers.update(settings.default_headers)
    headers.update(spec.headers)
    headers.update(spec.options.get("extra_headers", {}))
    if settings.session is not None and is_change(spec):
        token = csrf_token(http.cookies, settings.session)
        if token:
            headers["X-CSRF-Token"] = token
    timeout = spec.options["timeout"] if "timeout" in spec.options else settings.timeout
    if spec.stream_timeout is not None:
        timeout = spec.stream_timeout
    request = http.build_request(
        spec.method,
        settings.base_url + spec.path,
        params=_query_params(spec.query),
        json=jsonable(spec.body) if spec.body is not None else None,
        headers=headers,
        timeout=timeout if timeout is not None else httpx.Timeout(None),
    )
    if settings.signer is not None:
        settings.signer.sign(request)
    return request


def is_change(spec: RequestSpec) -> bool:
    """POST, PATCH and DELETE: what a session's CSRF token guards."""
    return spec.method != "GET"


def needs_csrf_token(http: httpx.Client | httpx.AsyncClient, settings: ClientSettings) -> bool:
    """A person's client about to change something with a session resumed from its cookie
    alone: it asks GET /auth/session for the CSRF token first."""
    return (
        settings.session is not None
        and csrf_token(http.cookies, settings.session) is None
        and session_cookie(http.cookies) is not None
    )


SESSION_SPEC = RequestSpec("getSession", "GET", "/auth/session")


def max_retries(settings: ClientSettings, spec: RequestSpec) -> int:
    return spec.options.get("max_retries", settings.max_retries)


def parse(response: httpx.Response, model: type[ModelT]) -> ModelT:
    try:
        return model.model_validate_json(response.content)
    except pydantic.ValidationError as error:
        raise APIResponseValidationError(
            f"{response.request.method} {response.request.url.path} answered a body that is "
            f"not a {model.__name__}: {error}",
            response=response,
        ) from error
