"""Emails and batches against the live server: send, read, paginate, reschedule, cancel,
idempotency, and the typed errors."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any, cast

import pytest

import thrive_send
from tests.support.live_server import LiveServer
from tests.support.waiting import eventually
from thrive_send import models
from thrive_send.params import SendEmailParams


def message(subject: str = "Hello", **extra: Any) -> SendEmailParams:
    base = {
        "from": "Acme <hello@acme.dev>",
        "to": ["delivered@example.com"],
        "subject": subject,
        "text": "It works",
    }
    return cast(SendEmailParams, {**base, **extra})


def test_send_then_get_until_delivered(client: thrive_send.Client) -> None:
    sent = client.emails.send(message(tags=[{"name": "category", "value": "welcome"}]))
    assert isinstance(sent, models.SendEmailResponse)

    def delivered() -> models.Email | None:
        email = client.emails.get(sent.id)
        return email if email.last_event == "delivered" else None

    email = eventually(delivered)
    assert email.id == sent.id
    assert email.from_ == "Acme <hello@acme.dev>"
    assert email.to == ["delivered@example.com"]
    assert [(t.name, t.value) for t in email.tags] == [("category", "welcome")]


def test_send_accepts_a_pydantic_model(client: thrive_send.Client) -> None:
    request = models.SendEmailRequest(
        from_="hello@acme.dev", to="model@example.com", subject="From a model", html="<p>Hi</p>"
    )
    sent = client.emails.send(request)
    email = client.emails.get(sent.id)
    assert email.to == ["model@example.com"]
    assert email.html == "<p>Hi</p>"


def test_the_same_idempotency_key_sends_once(client: thrive_send.Client) -> None:
    key = f"welcome/{uuid.uuid4()}"
    first = client.emails.send(message("Once"), idempotency_key=key)
    again = client.emails.send(message("Once"), idempotency_key=key)
    assert again.id == first.id

    with pytest.raises(thrive_send.ConflictError) as conflict:
        client.emails.send(message("Another body"), idempotency_key=key)
    assert conflict.value.status_code == 409
    assert conflict.value.name == "invalid_idempotent_request"


def test_list_pages_and_iterate_over_every_email(client: thrive_send.Client) -> None:
    ids = {client.emails.send(message(f"Page {n}")).id for n in range(5)}

    page = client.emails.list(limit=2)
    assert isinstance(page, models.EmailList)
    assert len(page.data) == 2
    assert page.has_more
    following = client.emails.list(limit=2, after=page.data[-1].id)
    assert {e.id for e in following.data}.isdisjoint({e.id for e in page.data})

    seen = [email.id for email in client.emails.iterate(page_size=2)]
    assert ids <= set(seen)
    assert len(seen) == len(set(seen))  # no email twice across pages


def test_reschedule_then_cancel(client: thrive_send.Client) -> None:
    later = (datetime.now(timezone.utc) + timedelta(days=1)).replace(microsecond=0)
    sent = client.emails.send(message("Later", scheduled_at=later.isoformat()))
    assert client.emails.get(sent.id).last_event == "scheduled"

    even_later = (later + timedelta(hours=2)).isoformat()
    moved = client.emails.update(sent.id, {"scheduled_at": even_later})
    assert moved.id == sent.id
    email = client.emails.get(sent.id)
    assert email.scheduled_at is not None
    # (fromisoformat reads a trailing Z only from Python 3.11 on)
    answered = datetime.fromisoformat(email.scheduled_at.replace("Z", "+00:00"))
    assert answered == datetime.fromisoformat(even_later)

    canceled = client.emails.cancel(sent.id)
    assert canceled.object == "email"
    assert client.emails.get(sent.id).last_event == "canceled"

    with pytest.raises(thrive_send.ConflictError):
        client.emails.cancel(sent.id)


def test_batch_strict_and_permissive(client: thrive_send.Client) -> None:
    strict = client.batch.send([message("Batch 1"), message("Batch 2")])
    assert len(strict.data) == 2
    assert not strict.errors

    invalid = message("Batch bad", to="not an address")
    with pytest.raises(thrive_send.UnprocessableEntityError):
        client.batch.send([message("Batch 3"), invalid])

    permissive = client.batch.send([message("Batch 4"), invalid], validation="permissive")
    assert len(permissive.data) == 1
    assert permissive.errors is not None
    assert [error.index for error in permissive.errors] == [1]


def test_validation_errors_carry_details(client: thrive_send.Client) -> None:
    with pytest.raises(thrive_send.UnprocessableEntityError) as raised:
        client.emails.send({"from": "hello@acme.dev", "to": [], "subject": ""})
    error = raised.value
    assert error.status_code == 422
    assert error.name == "validation_error"
    assert error.request_id
    assert {detail.path for detail in error.details} >= {"to", "subject"}
    assert isinstance(error, thrive_send.APIStatusError)
    assert isinstance(error, thrive_send.ThriveSendError)


def test_another_organizations_email_is_not_found(
    client: thrive_send.Client, other_client: thrive_send.Client
) -> None:
    sent = client.emails.send(message("Ours"))
    with pytest.raises(thrive_send.NotFoundError) as raised:
        other_client.emails.get(sent.id)
    assert raised.value.status_code == 404
    assert raised.value.name == "not_found"
    with pytest.raises(thrive_send.NotFoundError):
        other_client.emails.cancel(sent.id)


def test_keys_that_do_not_authenticate(live: LiveServer) -> None:
    with thrive_send.Client("ts_not_a_real_key", base_url=live.url) as wrong:
        with pytest.raises(thrive_send.PermissionDeniedError) as denied:
            wrong.emails.list()
    assert denied.value.name == "invalid_api_key"

    with thrive_send.Client("", base_url=live.url) as anonymous:
        with pytest.raises(thrive_send.AuthenticationError) as missing:
            anonymous.emails.list()
        assert missing.value.name == "missing_api_key"
        assert anonymous.system.health().status == "ok"


def test_a_sending_access_key_may_only_send(client: thrive_send.Client, live: LiveServer) -> None:
    created = client.api_keys.create({"name": "Sender only", "permission": "sending_access"})
    with thrive_send.Client(created.token, base_url=live.url) as sender:
        assert sender.emails.send(message("Restricted")).id
        with pytest.raises(thrive_send.AuthenticationError) as raised:
            sender.emails.list()
    assert raised.value.name == "restricted_api_key"
    client.api_keys.remove(created.id)


def test_a_malformed_id_is_a_validation_error(client: thrive_send.Client) -> None:
    with pytest.raises(thrive_send.UnprocessableEntityError) as raised:
        client.emails.get("not-a-uuid")
    assert [detail.path for detail in raised.value.details] == ["id"]
