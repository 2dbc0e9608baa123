"""Email events against the live server: filtered lists, lazy iteration over pages, exports
to files and DataFrames, and the live stream."""

from __future__ import annotations

import csv
import json
import threading
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pandas as pd
import polars as pl
import pytest

import thrive_send
from tests.support.live_server import LiveServer
from tests.support.waiting import eventually
from thrive_send import models

EMAILS = 3
EVENTS_PER_EMAIL = 2  # email.sent and email.delivered


class Tagged:
    def __init__(self, tag: str, email_ids: list[str], since: datetime) -> None:
        self.tag, self.email_ids, self.since = tag, email_ids, since


@pytest.fixture(scope="module")
def tagged(client: thrive_send.Client) -> Tagged:
    """Emails sent with a tag of their own, delivered: the events the filters must find."""
    since = datetime.now(timezone.utc) - timedelta(seconds=1)
    value = uuid.uuid4().hex[:12]
    ids = [
        client.emails.send(
            {
                "from": "Acme <hello@acme.dev>",
                "to": f"events-{n}@example.com",
                "subject": f"Events {n}",
                "text": "Hi",
                "tags": [{"name": "run", "value": value}],
            }
        ).id
        for n in range(EMAILS)
    ]
    tag = f"run:{value}"
    eventually(
        lambda: len(client.events.list(tag=tag, limit=100).data) == EMAILS * EVENTS_PER_EMAIL
    )
    return Tagged(tag, ids, since)


def test_list_filters_by_tag_type_email_and_time(
    client: thrive_send.Client, tagged: Tagged
) -> None:
    page = client.events.list(tag=tagged.tag, limit=100)
    assert isinstance(page, models.EventList)
    assert {e.email_id for e in page.data} == set(tagged.email_ids)
    assert all(isinstance(e.created_at, datetime) for e in page.data)

    delivered = client.events.list(tag=tagged.tag, type="email.delivered")
    assert {e.type for e in delivered.data} == {"email.delivered"}
    both = client.events.list(tag=tagged.tag, type=["email.sent", "email.delivered"], limit=100)
    assert len(both.data) == EMAILS * EVENTS_PER_EMAIL

    one = client.events.list(email_id=tagged.email_ids[0])
    assert {e.email_id for e in one.data} == {tagged.email_ids[0]}
    before = client.events.list(tag=tagged.tag, created_before=tagged.since)
    assert before.data == []
    after = client.events.list(tag=tagged.tag, created_after=tagged.since.isoformat(), limit=100)
    assert len(after.data) == EMAILS * EVENTS_PER_EMAIL

    with pytest.raises(thrive_send.UnprocessableEntityError) as invalid:
        client.events.list(type="email.nonsense")
    assert invalid.value.details


def test_iterate_follows_pages_lazily(live: LiveServer, tagged: Tagged) -> None:
    pages: list[str] = []
    http = httpx.Client(event_hooks={"request": [lambda request: pages.append(str(request.url))]})
    with thrive_send.Client(live.api_key, base_url=live.url, http_client=http) as counting:
        iterator = counting.events.iterate(tag=tagged.tag, page_size=2)
        first = next(iterator)
        assert len(pages) == 1  # one page fetched for the first item, not all of them
        events = [first, *iterator]
    http.close()
    assert len(pages) == EMAILS  # 6 events, 2 per page: 3 pages
    assert "after=" in pages[1]
    assert len({e.id for e in events}) == EMAILS * EVENTS_PER_EMAIL
    assert [e.id for e in events] == sorted((e.id for e in events), reverse=True)  # newest first


def test_export_ndjson_and_csv_to_files(
    client: thrive_send.Client, tagged: Tagged, tmp_path: Path
) -> None:
    ndjson = client.events.export(tmp_path / "events.ndjson", tag=tagged.tag)
    lines = ndjson.read_text().splitlines()
    events = [models.Event.model_validate_json(line) for line in lines]
    assert len(events) == EMAILS * EVENTS_PER_EMAIL
    assert [e.id for e in events] == sorted(e.id for e in events)  # oldest first
    assert not (tmp_path / "events.ndjson.part").exists()

    exported = client.events.export(
        tmp_path / "events.csv",
        format="csv",
        tag=tagged.tag,
        type="email.delivered",
        created_after=tagged.since,
    )
    with exported.open(newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == EMAILS
    assert {row["type"] for row in rows} == {"email.delivered"}
    assert {row["email_id"] for row in rows} == set(tagged.email_ids)
    assert all(json.loads(row["tags"])["run"] == tagged.tag.split(":")[1] for row in rows)


def test_iter_export_reads_one_stream_lazily(client: thrive_send.Client, tagged: Tagged) -> None:
    events = list(client.events.iter_export(tag=tagged.tag))
    assert len(events) == EMAILS * EVENTS_PER_EMAIL
    assert all(isinstance(e, models.Event) for e in events)
    first = next(client.events.iter_export(tag=tagged.tag))  # stopping early closes the stream
    assert first.id == events[0].id


def test_to_pandas(client: thrive_send.Client, tagged: Tagged) -> None:
    frame = client.events.to_pandas(tag=tagged.tag)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == [
        "id", "type", "created_at", "email_id", "message_id", "from", "to",
        "subject", "tags", "recipients", "details",
    ]  # fmt: skip
    assert len(frame) == EMAILS * EVENTS_PER_EMAIL
    assert str(frame["created_at"].dt.tz) == "UTC"
    assert set(frame["email_id"]) == set(tagged.email_ids)
    assert frame["tags"].iloc[0] == {"run": tagged.tag.split(":")[1]}
    counts = frame.groupby("type").size().to_dict()
    assert counts == {"email.delivered": EMAILS, "email.sent": EMAILS}

    empty = client.events.to_pandas(tag="run:nothing-here")
    assert len(empty) == 0 and "created_at" in empty.columns


def test_to_polars(client: thrive_send.Client, tagged: Tagged) -> None:
    frame = client.events.to_polars(tag=tagged.tag)
    assert isinstance(frame, pl.DataFrame)
    assert frame.height == EMAILS * EVENTS_PER_EMAIL
    assert frame.schema["created_at"] == pl.Datetime("us", "UTC")
    assert frame.schema["to"] == pl.List(pl.Utf8)
    by_type = dict(frame.group_by("type").len().iter_rows())
    assert by_type == {"email.delivered": EMAILS, "email.sent": EMAILS}
    assert json.loads(frame["tags"][0]) == {"run": tagged.tag.split(":")[1]}

    empty = client.events.to_polars(tag="run:nothing-here")
    assert empty.height == 0 and empty.schema["created_at"] == pl.Datetime("us", "UTC")


def test_stream_receives_an_event_recorded_after_it_started(client: thrive_send.Client) -> None:
    with client.events.stream() as stream:
        # Entering waited until the stream was live: what is recorded now comes through it.
        watchdog = threading.Timer(30, stream.close)
        watchdog.start()
        try:
            sent = client.emails.send(
                {
                    "from": "hello@acme.dev",
                    "to": "streamed@example.com",
                    "subject": "Live",
                    "text": "x",
                }
            )
            received: list[thrive_send.StreamEvent] = []
            for event in stream:
                received.append(event)
                payload = event.payload
                if isinstance(payload, models.EmailDeliveredEvent) and payload.data.email_id == (
                    sent.id
                ):
                    break
        finally:
            watchdog.cancel()
    ours = [
        e
        for e in received
        if isinstance(e.payload, models.EmailSentEvent | models.EmailDeliveredEvent)
        and e.payload.data.email_id == sent.id
    ]
    assert [e.type for e in ours] == ["email.sent", "email.delivered"]
    sent_event = ours[0]
    assert stream.last_event_id == ours[-1].id

    # Resuming after the sent event first replays what came after it: the delivered one.
    with client.events.stream(last_event_id=sent_event.id, reconnect=False) as resumed:
        watchdog = threading.Timer(30, resumed.close)
        watchdog.start()
        try:
            replayed = next(
                e
                for e in resumed
                if isinstance(e.payload, models.EmailDeliveredEvent)
                and e.payload.data.email_id == sent.id
            )
        finally:
            watchdog.cancel()
    assert replayed.id == ours[-1].id
