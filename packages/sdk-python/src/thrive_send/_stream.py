"""The live event stream (GET /events/stream) as an iterator that reconnects on its own,
resuming after the last event received (Last-Event-ID), so nothing is lost or repeated."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx

from ._base_client import AsyncAPIClient, SyncAPIClient
from ._core import RequestSpec
from ._errors import APIConnectionError
from ._payloads import WebhookPayload, parse_webhook_payload
from ._sse import ServerSentEvent, SSEDecoder

# The server writes a comment every 15 s while idle: a read waiting three times that long
# is on a dead connection.
STREAM_TIMEOUT = httpx.Timeout(10.0, read=45.0)
DEFAULT_RETRY_MS = 1000


@dataclass(frozen=True)
class StreamEvent:
    """One event: its id (resume after it with ``last_event_id``), type and payload."""

    id: str
    type: str
    payload: WebhookPayload


def _stream_spec(decoder: SSEDecoder, after: str | None) -> RequestSpec:
    headers = {"Accept": "text/event-stream"}
    if decoder.last_event_id:
        headers["Last-Event-ID"] = decoder.last_event_id
    return RequestSpec(
        "streamEvents",
        "GET",
        "/events/stream",
        query={"after": None if decoder.last_event_id else after},
        headers=headers,
        stream_timeout=STREAM_TIMEOUT,
    )


def _event(sse: ServerSentEvent) -> StreamEvent:
    return StreamEvent(id=sse.id, type=sse.event, payload=parse_webhook_payload(sse.data))


class _StreamState:
    def __init__(self, after: str | None, last_event_id: str | None, reconnect: bool) -> None:
        self.decoder = SSEDecoder(last_event_id or "")
        self.after = after
        self.reconnect = reconnect
        self.pending: deque[StreamEvent] = deque()
        self.closed = False

    @property
    def retry_seconds(self) -> float:
        return (self.decoder.retry_ms or DEFAULT_RETRY_MS) / 1000

    def feed(self, line: str) -> None:
        sse = self.decoder.decode(line)
        if sse is not None:
            self.pending.append(_event(sse))


class EventStream:
    """``with client.events.stream() as stream: for event in stream: ...``

    Entering the ``with`` connects and waits until the stream is live: every event recorded
    from then on comes through it. The connection is re-opened when it drops (or the server
    ends it), after the server's ``retry`` delay, from ``last_event_id``.
    """

    def __init__(
        self,
        client: SyncAPIClient,
        *,
        after: str | None = None,
        last_event_id: str | None = None,
        reconnect: bool = True,
    ) -> None:
        self._client = client
        self._state = _StreamState(after, last_event_id, reconnect)
        self._response: httpx.Response | None = None
        self._lines: Iterator[str] | None = None

    @property
    def last_event_id(self) -> str | None:
        """The id to resume after (``client.events.stream(last_event_id=...)``)."""
        return self._state.decoder.last_event_id or None

    def connect(self) -> None:
        """Opens the connection and waits for the server's first line, which says it is live."""
        if self._lines is not None:
            return
        spec = _stream_spec(self._state.decoder, self._state.after)
        self._response = self._client._send(spec, stream=True)
        self._lines = self._response.iter_lines()
        self._state.decoder.retry_ms = None
        while self._state.decoder.retry_ms is None and not self._state.pending:
            if not self._read_line():
                break

    def _read_line(self) -> bool:
        """Feeds one line to the decoder; False when the connection ended."""
        assert self._lines is not None
        try:
            self._state.feed(next(self._lines))
            return True
        except StopIteration:
            self._disconnect()
            return False
        except httpx.TransportError as error:
            self._disconnect()
            if not self._state.reconnect:
                raise APIConnectionError(f"Event stream broke: {error!r}") from error
            return False

    def _disconnect(self) -> None:
        if self._response is not None:
            self._response.close()
        self._response = None
        self._lines = None

    def __iter__(self) -> Iterator[StreamEvent]:
        return self

    def __next__(self) -> StreamEvent:
        while True:
            if self._state.pending:
                return self._state.pending.popleft()
            if self._state.closed:
                raise StopIteration
            if self._lines is not None:
                ended = not self._read_line()
            else:
                self.connect()
                ended = self._lines is None and not self._state.pending
            if ended:
                if not self._state.reconnect:
                    self.close()
                    raise StopIteration
                time.sleep(self._state.retry_seconds)

    def close(self) -> None:
        self._state.closed = True
        self._disconnect()

    def __enter__(self) -> EventStream:
        self.connect()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncEventStream:
    """``async with client.events.stream() as stream: async for event in stream: ...``"""

    def __init__(
        self,
        client: AsyncAPIClient,
        *,
        after: str | None = None,
        last_event_id: str | None = None,
        reconnect: bool = True,
    ) -> None:
        self._client = client
        self._state = _StreamState(after, last_event_id, reconnect)
        self._response: httpx.Response | None = None
        self._lines: AsyncIterator[str] | None = None

    @property
    def last_event_id(self) -> str | None:
        return self._state.decoder.last_event_id or None

    async def connect(self) -> None:
        if self._lines is not None:
            return
        spec = _stream_spec(self._state.decoder, self._state.after)
        self._response = await self._client._send(spec, stream=True)
        self._lines = self._response.aiter_lines()
        self._state.decoder.retry_ms = None
        while self._state.decoder.retry_ms is None and not self._state.pending:
            if not await self._read_line():
                break

    async def _read_line(self) -> bool:
        assert self._lines is not None
        try:
            self._state.feed(await anext(self._lines))
            return True
        except StopAsyncIteration:
            await self._disconnect()
            return False
        except httpx.TransportError as error:
            await self._disconnect()
            if not self._state.reconnect:
                raise APIConnectionError(f"Event stream broke: {error!r}") from error
            return False

    async def _disconnect(self) -> None:
        if self._response is not None:
            await self._response.aclose()
        self._response = None
        self._lines = None

    def __aiter__(self) -> AsyncIterator[StreamEvent]:
        return self

    async def __anext__(self) -> StreamEvent:
        while True:
            if self._state.pending:
                return self._state.pending.popleft()
            if self._state.closed:
                raise StopAsyncIteration
            if self._lines is not None:
                ended = not await self._read_line()
            else:
                await self.connect()
                ended = self._lines is None and not self._state.pending
            if ended:
                if not self._state.reconnect:
                    await self.aclose()
                    raise StopAsyncIteration
                await asyncio.sleep(self._state.retry_seconds)

    async def aclose(self) -> None:
        self._state.closed = True
        await self._disconnect()

    async def __aenter__(self) -> AsyncEventStream:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
