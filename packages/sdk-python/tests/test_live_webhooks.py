"""Webhooks against the live server: the endpoints, their events, attempts, replays and
secret rotation; and, where the server delivers, verifying what reaches a real receiver."""

from __future__ import annotations

import time

import pytest

import thrive_send
from tests.support.http_servers import Received, ScriptedServer
from tests.support.waiting import eventually
from thrive_send import models, webhooks

DELIVERY_WAIT_SECONDS = 6


def posts(server: ScriptedServer) -> list[Received]:
    return [r for r in server.received if r.method == "POST"]


def test_webhook_lifecycle(
    client: thrive_send.Client, other_client: thrive_send.Client, server: ScriptedServer
) -> None:
    created = client.webhooks.create(
        {"endpoint": f"{server.url}/hooks", "events": ["email.delivered"]}
    )
    assert created.signing_secret.startswith("whsec_")
    webhook = client.webhooks.get(created.id)
    assert (webhook.endpoint, webhook.signing_secret, webhook.status, webhook.events) == (
        f"{server.url}/hooks",
        created.signing_secret,
        "enabled",
        ["email.delivered"],
    )
    assert created.id in {w.id for w in client.webhooks.list().data}
    assert created.id in {w.id for w in client.webhooks.iterate(page_size=1)}
    with pytest.raises(thrive_send.NotFoundError):
        other_client.webhooks.get(created.id)

    test_event = client.webhooks.test(created.id)
    assert test_event.object == "webhook_event"
    assert test_event.id in {e.id for e in client.webhooks.events.list(created.id).data}
    assert test_event.id in {e.id for e in client.webhooks.events.iterate(created.id)}
    event = client.webhooks.events.get(created.id, test_event.id)
    assert event.type == "webhook.test"
    assert event.payload is not None and event.payload.data["webhook_id"] == created.id
    with pytest.raises(thrive_send.NotFoundError):
        other_client.webhooks.events.get(created.id, test_event.id)

    # Attempts may be none yet (the delivery is queued): the list is typed all the same.
    attempts = client.webhooks.events.attempts(created.id, test_event.id, limit=10)
    assert isinstance(attempts, models.WebhookEventAttemptList)
    assert [a.id for a in client.webhooks.events.iterate_attempts(created.id, test_event.id)] == [
        a.id for a in attempts.data
    ]

    # Replay is refused only while an attempt is in flight.
    eventually(lambda: client.webhooks.events.get(created.id, test_event.id).status != "attempting")
    assert client.webhooks.events.replay(created.id, test_event.id).id == test_event.id

    rotated = client.webhooks.rotate_signing_secret(created.id)
    assert rotated.signing_secret != created.signing_secret
    assert client.webhooks.get(created.id).signing_secret == rotated.signing_secret

    assert client.webhooks.update(created.id, {"status": "disabled"}).id == created.id
    with pytest.raises(thrive_send.ConflictError) as refused:
        client.webhooks.events.replay(created.id, test_event.id)
    assert refused.value.status_code == 409

    assert client.webhooks.remove(created.id).deleted is True
    with pytest.raises(thrive_send.NotFoundError):
        client.webhooks.get(created.id)


def test_deliveries_verify_with_the_sdk(client: thrive_send.Client, server: ScriptedServer) -> None:
    created = client.webhooks.create(
        {"endpoint": f"{server.url}/deliveries", "events": ["email.delivered"]}
    )
    try:
        test_event = client.webhooks.test(created.id)
        deadline = time.monotonic() + DELIVERY_WAIT_SECONDS
        while not posts(server) and time.monotonic() < deadline:
            time.sleep(0.1)
        if not posts(server):
            event = client.webhooks.events.get(created.id, test_event.id)
            raise AssertionError(f"no delivery arrived; the event is {event.status}")

        first = posts(server)[0]
        payload = webhooks.verify(first.body, first.headers, created.signing_secret)
        assert isinstance(payload, models.UnknownWebhookPayload)
        assert payload.type == "webhook.test"
        with pytest.raises(thrive_send.WebhookVerificationError):
            webhooks.verify(first.body + b" ", first.headers, created.signing_secret)

        # A real event of a type it listens to comes typed.
        sent = client.emails.send(
            {"from": "hello@acme.dev", "to": "hooked@example.com", "subject": "Hook", "text": "x"}
        )

        def delivered() -> list[models.EmailDeliveredEvent]:
            found = []
            for received in posts(server):
                payload = webhooks.verify(received.body, received.headers, created.signing_secret)
                if isinstance(payload, models.EmailDeliveredEvent):
                    found.append(payload)
            return found

        assert eventually(delivered)[0].data.email_id == sent.id
        attempts = client.webhooks.events.attempts(created.id, test_event.id)
        assert 200 in [a.http_status_code for a in attempts.data]
    finally:
        client.webhooks.remove(created.id)


def test_webhook_validation(client: thrive_send.Client) -> None:
    with pytest.raises(thrive_send.UnprocessableEntityError) as raised:
        client.webhooks.create({"endpoint": "ftp://example.com/x", "events": ["email.sent"]})
    assert raised.value.details
    with pytest.raises(thrive_send.UnprocessableEntityError):
        client.webhooks.create({"endpoint": "https://example.com/x", "events": []})
