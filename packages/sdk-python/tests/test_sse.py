"""The SSE decoder (WHATWG rules) and the event stream's reconnection with Last-Event-ID,
against a real local server that ends the stream after each event."""

from __future__ import annotations

import json

import pytest

import thrive_send
from tests.support.http_servers import Answer, ScriptedServer
from thrive_send._sse import ServerSentEvent, SSEDecoder


def decode(text: str, decoder: SSEDecoder | None = None) -> list[ServerSentEvent]:
    decoder = decoder or SSEDecoder()
    events = [decoder.decode(line) for line in text.split("\n")]
    return [event for event in events if event is not None]


def test_fields_comments_and_multiline_data() -> None:
    decoder = SSEDecoder()
    events = decode(
        'retry: 1000\n\n: keep-alive\n\nid: 1\nevent: email.sent\ndata: {"a":\ndata:1}\n\n'
        "data:no space\n\n",
        decoder,
    )
    assert decoder.retry_ms == 1000
    assert events == [
        ServerSentEvent(id="1", event="email.sent", data='{"a":\n1}'),
        ServerSentEvent(id="1", event="message", data="no space"),  # the id buffer persists
    ]
    assert decoder.last_event_id == "1"


def test_a_bare_id_block_moves_the_last_event_id_without_an_event() -> None:
    # An out-of-order event (id 5 after 9) is followed by `id: 9`: resume after 9, not 5.
    decoder = SSEDecoder()
    events = decode("id: 9\ndata: x\n\nid: 5\ndata: y\n\nid: 9\n\n", decoder)
    assert [e.id for e in events] == ["9", "5"]
    assert decoder.last_event_id == "9"


def test_an_event_without_data_is_not_dispatched() -> None:
    assert decode("event: ping\n\n") == []
    assert decode("retry: soon\n\n") == []


def sse(event_id: str, kind: str = "webhook.test") -> bytes:
    payload = {"type": kind, "created_at": "2026-11-30T10:00:00.000Z", "data": {"n": event_id}}
    return f"retry: 10\n\nid: {event_id}\nevent: {kind}\ndata: {json.dumps(payload)}\n\n".encode()


def test_the_stream_reconnects_after_its_last_event(server: ScriptedServer) -> None:
    server.answer(
        Answer(raw=sse("e1"), content_type="text/event-stream"),
        Answer(raw=sse("e2"), content_type="text/event-stream"),
    )
    with thrive_send.Client("ts_test", base_url=server.url) as client:
        stream = client.events.stream(after="e0")
        events = []
        for event in stream:
            events.append(event)
            if len(events) == 2:
                stream.close()
    assert [e.id for e in events] == ["e1", "e2"]
    assert isinstance(events[0].payload, thrive_send.models.UnknownWebhookPayload)
    assert events[0].payload.data == {"n": "e1"}
    first, second = server.received[:2]
    assert first.path == "/events/stream?after=e0"
    assert "last-event-id" not in first.headers
    assert second.path == "/events/stream"
    assert second.headers["last-event-id"] == "e1"
    assert first.headers["accept"] == "text/event-stream"


def test_a_stream_that_ends_at_once_is_reopened_after_a_pause(server: ScriptedServer) -> None:
    server.answer(
        Answer(raw=b"", content_type="text/event-stream"),
        Answer(raw=sse("e1"), content_type="text/event-stream"),
    )
    with thrive_send.Client("ts_test", base_url=server.url) as client:
        stream = client.events.stream()
        assert next(stream).id == "e1"
        stream.close()
    first, second = server.received[:2]
    assert second.at - first.at >= 0.9  # the default retry delay, not a busy loop


def test_without_reconnect_the_stream_ends_with_the_connection(server: ScriptedServer) -> None:
    server.answer(Answer(raw=sse("e1"), content_type="text/event-stream"))
    with thrive_send.Client("ts_test", base_url=server.url) as client:
        with client.events.stream(reconnect=False) as stream:
            assert [e.id for e in stream] == ["e1"]
    assert len(server.received) == 1


def test_a_refused_stream_raises_typed(server: ScriptedServer) -> None:
    server.answer(
        Answer(401, {"statusCode": 401, "name": "missing_api_key", "message": "No key",
                     "request_id": "r"})
    )  # fmt: skip
    with thrive_send.Client("", base_url=server.url) as client:
        with pytest.raises(thrive_send.AuthenticationError):
            client.events.stream().connect()


@pytest.mark.asyncio(loop_scope="session")
async def test_the_async_stream_reconnects_too(server: ScriptedServer) -> None:
    server.answer(
        Answer(raw=sse("e1"), content_type="text/event-stream"),
        Answer(raw=sse("e2"), content_type="text/event-stream"),
    )
    async with thrive_send.AsyncClient("ts_test", base_url=server.url) as client:
        async with client.events.stream() as stream:
            ids = []
            async for event in stream:
                ids.append(event.id)
                if len(ids) == 2:
                    break
    assert ids == ["e1", "e2"]
    assert server.received[1].headers["last-event-id"] == "e1"
