"""Bodies cut short mid-way, from a raw socket server: an export raises and leaves no file;
the event stream reconnects from the last event it received."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import thrive_send
from tests.support.http_servers import RawServer, chunked

EVENT = {
    "object": "event",
    "id": "01a2",
    "type": "email.sent",
    "created_at": "2026-11-30T10:00:02.481Z",
    "email_id": "01a1",
    "data": {
        "created_at": "2026-11-30T10:00:00.000Z",
        "email_id": "01a1",
        "message_id": "<01a1@acme.dev>",
        "from": "hello@acme.dev",
        "to": ["a@example.com"],
        "subject": "Hi",
        "tags": {},
    },
}
LINE = json.dumps(EVENT).encode() + b"\n"


@pytest.fixture
def raw() -> Iterator[list[RawServer]]:
    servers: list[RawServer] = []
    yield servers
    for server in servers:
        server.close()


def serve(raw: list[RawServer], *answers: bytes) -> RawServer:
    server = RawServer(list(answers))
    raw.append(server)
    return server


def test_a_complete_export_is_written(raw: list[RawServer], tmp_path: Path) -> None:
    server = serve(raw, chunked("200 OK", "application/x-ndjson", LINE, LINE, complete=True))
    with thrive_send.Client("ts_x", base_url=server.url, max_retries=0) as client:
        path = client.events.export(tmp_path / "events.ndjson")
    assert path.read_bytes() == LINE * 2


def test_an_export_cut_short_raises_and_leaves_no_file(
    raw: list[RawServer], tmp_path: Path
) -> None:
    server = serve(raw, chunked("200 OK", "application/x-ndjson", LINE, LINE, complete=False))
    with thrive_send.Client("ts_x", base_url=server.url, max_retries=0) as client:
        with pytest.raises(thrive_send.APIConnectionError, match="cut short"):
            client.events.export(tmp_path / "events.ndjson")
    assert list(tmp_path.iterdir()) == []


def test_iter_export_cut_short_raises_after_the_events_it_got(raw: list[RawServer]) -> None:
    server = serve(raw, chunked("200 OK", "application/x-ndjson", LINE, complete=False))
    received = []
    with thrive_send.Client("ts_x", base_url=server.url, max_retries=0) as client:
        with pytest.raises(thrive_send.APIConnectionError):
            for event in client.events.iter_export():
                received.append(event)
    assert [e.id for e in received] == ["01a2"]


def sse(event_id: str) -> bytes:
    payload = json.dumps({"type": "webhook.test", "created_at": "x", "data": {}})
    return f"id: {event_id}\nevent: webhook.test\ndata: {payload}\n\n".encode()


def test_a_broken_event_stream_resumes_from_its_last_event(raw: list[RawServer]) -> None:
    server = serve(
        raw,
        chunked("200 OK", "text/event-stream", b"retry: 10\n\n", sse("e1"), complete=False),
        chunked("200 OK", "text/event-stream", b"retry: 10\n\n", sse("e2"), complete=False),
    )
    with thrive_send.Client("ts_x", base_url=server.url, max_retries=0) as client:
        with client.events.stream() as stream:
            ids = []
            for event in stream:
                ids.append(event.id)
                if len(ids) == 2:
                    break
    assert ids == ["e1", "e2"]
    assert b"last-event-id: e1" in server.requests[1].lower()


def test_without_reconnect_a_broken_stream_raises(raw: list[RawServer]) -> None:
    server = serve(
        raw, chunked("200 OK", "text/event-stream", b"retry: 10\n\n", sse("e1"), complete=False)
    )
    with thrive_send.Client("ts_x", base_url=server.url, max_retries=0) as client:
        stream = client.events.stream(reconnect=False)
        assert next(stream).id == "e1"
        with pytest.raises(thrive_send.APIConnectionError):
            next(stream)
