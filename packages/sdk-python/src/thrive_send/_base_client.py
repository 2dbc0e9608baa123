"""The sending loops: retries with backoff, errors raised as typed exceptions. The sync and
async loops mirror each other line for line; what they share lives in _core and _policy."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TypeVar

import httpx

from . import _models as m
from ._core import (
    SESSION_SPEC,
    ClientSettings,
    ModelT,
    RequestSpec,
    Timeout,
    build_request,
    is_change,
    max_retries,
    needs_csrf_token,
    parse,
)
from ._errors import APIConnectionError, APITimeoutError, error_name, status_error
from ._policy import retry_delay, should_retry
from ._session import session_cookie

SelfT = TypeVar("SelfT", bound="SyncAPIClient")
AsyncSelfT = TypeVar("AsyncSelfT", bound="AsyncAPIClient")


def _follow_redirects(http: httpx.Client | httpx.AsyncClient, spec: RequestSpec) -> bool:
    # Single sign-on's 302 is the answer; elsewhere, whatever the caller's httpx client does.
    return False if spec.redirect else http.follow_redirects


def _location(response: httpx.Response) -> str:
    return str(response.headers.get("location", ""))


def _transport_error(error: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    if isinstance(error, httpx.TimeoutException):
        return APITimeoutError(request)
    return APIConnectionError(f"Connection error: {error!r}", request=request)


class SyncAPIClient:
    def __init__(self, settings: ClientSettings, http_client: httpx.Client | None) -> None:
        self._settings = settings
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client()

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    @property
    def max_retries(self) -> int:
        return self._settings.max_retries

    @property
    def timeout(self) -> Timeout:
        return self._settings.timeout

    def _send(self, spec: RequestSpec, *, stream: bool = False) -> httpx.Response:
        """A success answer (its body unread when ``stream``), after retries; or raises."""
        if is_change(spec) and needs_csrf_token(self._http, self._settings):
            self._request(SESSION_SPEC, m.Session)
        retries = max_retries(self._settings, spec)
        retries_taken = 0
        while True:
            request = build_request(self._http, self._settings, spec)
            try:
                response = self._http.send(
                    request, stream=stream, follow_redirects=_follow_redirects(self._http, spec)
                )
            except httpx.TransportError as error:
                if retries_taken < retries:
                    time.sleep(retry_delay(retries_taken))
                    retries_taken += 1
                    continue
                raise _transport_error(error, request) from error
            if response.status_code in spec.ok_statuses:
                return response
            try:
                response.read()
            except httpx.TransportError as error:
                response.close()
                raise _transport_error(error, request) from error
            if retries_taken < retries and should_retry(response.status_code, error_name(response)):
                response.close()
                time.sleep(retry_delay(retries_taken, response.headers))
                retries_taken += 1
                continue
            raise status_error(response)

    def _request(self, spec: RequestSpec, model: type[ModelT]) -> ModelT:
        response = self._send(spec)
        return self._kept(parse(response, model))

    def _redirect(self, spec: RequestSpec) -> str:
        """An operation answering a redirect: its ``Location``."""
        return _location(self._send(spec))

    def _kept(self, result: ModelT) -> ModelT:
        # A session answer's CSRF token, for a session whose CSRF cookie is out of reach.
        if isinstance(result, m.Session) and self._settings.session is not None:
            self._settings.session.csrf_token = result.csrf_token
        return result

    @property
    def session_cookie(self) -> str | None:
        """A person's client: its session cookie (``name=value``), to resume with later
        (``Client(session=...)``); None when signed out, and for an API key's client."""
        if self._settings.session is None:
            return None
        return session_cookie(self._http.cookies)

    @contextmanager
    def _stream(self, spec: RequestSpec) -> Iterator[httpx.Response]:
        """A success answer whose body is read by the caller; closed on exit."""
        response = self._send(spec, stream=True)
        try:
            yield response
        finally:
            response.close()

    def close(self) -> None:
        """Closes the connection pool (unless it was given as ``http_client``)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self: SelfT) -> SelfT:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncAPIClient:
    def __init__(self, settings: ClientSettings, http_client: httpx.AsyncClient | None) -> None:
        self._settings = settings
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient()

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    @property
    def max_retries(self) -> int:
        return self._settings.max_retries

    @property
    def timeout(self) -> Timeout:
        return self._settings.timeout

    async def _send(self, spec: RequestSpec, *, stream: bool = False) -> httpx.Response:
        if is_change(spec) and needs_csrf_token(self._http, self._settings):
            await self._request(SESSION_SPEC, m.Session)
        retries = max_retries(self._settings, spec)
        retries_taken = 0
        while True:
            request = build_request(self._http, self._settings, spec)
            try:
                response = await self._http.send(
                    request, stream=stream, follow_redirects=_follow_redirects(self._http, spec)
                )
            except httpx.TransportError as error:
                if retries_taken < retries:
                    await asyncio.sleep(retry_delay(retries_taken))
                    retries_taken += 1
                    continue
                raise _transport_error(error, request) from error
            if response.status_code in spec.ok_statuses:
                return response
            try:
                await response.aread()
            except httpx.TransportError as error:
                await response.aclose()
                raise _transport_error(error, request) from error
            if retries_taken < retries and should_retry(response.status_code, error_name(response)):
                await response.aclose()
                await asyncio.sleep(retry_delay(retries_taken, response.headers))
                retries_taken += 1
                continue
            raise status_error(response)

    async def _request(self, spec: RequestSpec, model: type[ModelT]) -> ModelT:
        response = await self._send(spec)
        result = parse(response, model)
        if isinstance(result, m.Session) and self._settings.session is not None:
            self._settings.session.csrf_token = result.csrf_token
        return result

    async def _redirect(self, spec: RequestSpec) -> str:
        return _location(await self._send(spec))

    @property
    def session_cookie(self) -> str | None:
        if self._settings.session is None:
            return None
        return session_cookie(self._http.cookies)

    @asynccontextmanager
    async def _stream(self, spec: RequestSpec) -> AsyncIterator[httpx.Response]:
        response = await self._send(spec, stream=True)
        try:
            yield response
        finally:
            await response.aclose()

    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: AsyncSelfT) -> AsyncSelfT:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


__all__ = ["AsyncAPIClient", "SyncAPIClient"]
