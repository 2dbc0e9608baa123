"""The async client against the live server: a representative set of operations, lazy
pagination, exports, DataFrames and the event stream."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

import thrive_send
from tests.support.waiting import aeventually
from thrive_send import models

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_send_get_and_concurrent_sends(aclient: thrive_send.AsyncClient) -> None:
    sent = await aclient.emails.send(
        {"from": "hello@acme.dev", "to": "async@example.com", "subject": "Async", "text": "x"}
    )

    async def delivered() -> models.Email | None:
        email = await aclient.emails.get(sent.id)
        return email if email.last_event == "delivered" else None

    email = await aeventually(delivered)
    assert email.to == ["async@example.com"]

    many = await asyncio.gather(
        *(
            aclient.emails.send(
                {"from": "hello@acme.dev", "to": f"c{n}@example.com", "subject": "C", "text": "x"}
            )
            for n in range(5)
        )
    )
    assert len({m.id for m in many}) == 5

    batch = await aclient.batch.send(
        [{"from": "hello@acme.dev", "to": "b@example.com", "subject": "B", "text": "x"}] * 2
    )
    assert len(batch.data) == 2


async def test_async_pagination(aclient: thrive_send.AsyncClient) -> None:
    for n in range(3):
        await aclient.api_keys.create({"name": f"async-{n}-{uuid.uuid4().hex[:6]}"})
    page = await aclient.api_keys.list(limit=2)
    assert page.has_more
    ids = [key.id async for key in aclient.api_keys.iterate(page_size=2)]
    assert len(ids) == len(set(ids)) >= 3
    emails = [email.id async for email in aclient.emails.iterate(page_size=3)]
    assert len(emails) == len(set(emails)) >= 5
    events = [event async for event in aclient.events.iterate(page_size=5)]
    assert len(events) > 5 and [e.id for e in events] == sorted(
        (e.id for e in events), reverse=True
    )


async def test_async_errors(aclient: thrive_send.AsyncClient) -> None:
    with pytest.raises(thrive_send.NotFoundError) as missing:
        await aclient.domains.get(str(uuid.uuid4()))
    assert missing.value.request_id
    with pytest.raises(thrive_send.UnprocessableEntityError) as invalid:
        await aclient.suppressions.add({"email": "not an address"})
    assert invalid.value.details


async def test_async_resources(aclient: thrive_send.AsyncClient) -> None:
    assert (await aclient.system.health()).status == "ok"
    assert (await aclient.system.ready()).status == "ready"
    domain = await aclient.domains.create({"name": f"a-{uuid.uuid4().hex[:8]}.example.com"})
    assert (await aclient.domains.verify(domain.id)).id == domain.id
    assert (await aclient.reputation.get(domain_id=domain.id)).domains[0].id == domain.id
    assert (await aclient.domains.remove(domain.id)).deleted
    added = await aclient.suppressions.batch.add({"emails": ["a1@example.com", "a2@example.com"]})
    assert len(added.data) == 2
    assert (
        len((await aclient.suppressions.batch.remove({"ids": [s.id for s in added.data]})).data)
        == 2
    )
    webhook = await aclient.webhooks.create(
        {"endpoint": "https://hooks.example.com/x", "events": ["email.sent"]}
    )
    event = await aclient.webhooks.test(webhook.id)
    assert (await aclient.webhooks.events.get(webhook.id, event.id)).type == "webhook.test"
    assert [e.id async for e in aclient.webhooks.events.iterate(webhook.id)] == [event.id]
    assert (await aclient.webhooks.remove(webhook.id)).deleted


async def test_async_export_and_frames(aclient: thrive_send.AsyncClient, tmp_path: Path) -> None:
    path = await aclient.events.export(tmp_path / "all.csv", format="csv")
    rows = path.read_text().splitlines()
    assert rows[0].startswith("id,type,created_at,email_id")
    events = [e async for e in aclient.events.iter_export(type="email.delivered")]
    assert events and {e.type for e in events} == {"email.delivered"}
    frame = await aclient.events.to_polars(type="email.delivered")
    assert frame.height == len(events)
    pandas_frame = await aclient.events.to_pandas(type="email.delivered")
    assert len(pandas_frame) == len(events)


async def test_async_stream(aclient: thrive_send.AsyncClient) -> None:
    async with aclient.events.stream() as stream:
        sent = await aclient.emails.send(
            {"from": "hello@acme.dev", "to": "astream@example.com", "subject": "S", "text": "x"}
        )

        async def first_delivered() -> thrive_send.StreamEvent:
            async for event in stream:
                payload = event.payload
                if isinstance(payload, models.EmailDeliveredEvent) and payload.data.email_id == (
                    sent.id
                ):
                    return event
            raise AssertionError("the stream ended")

        event = await asyncio.wait_for(first_delivered(), timeout=30)
    assert event.type == "email.delivered"
    assert stream.last_event_id == event.id
