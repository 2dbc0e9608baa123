"""``api_keys.rotate``, ``audit_logs``, ``usage`` and ``request_signing`` against the live
server, and a client made with ``signing_secret``, which signs every request."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

import thrive_send
from tests.support.live_server import LiveServer
from tests.support.people import PASSWORD, unique_email
from tests.support.recorder import RECORDER

MISSING = "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47"
People = Callable[..., thrive_send.Client]


def keyed(live: LiveServer, token: str, signing_secret: str | None = None) -> thrive_send.Client:
    http = httpx.Client(event_hooks={"request": [RECORDER.record]})
    return thrive_send.Client(
        token, base_url=live.url, http_client=http, max_retries=0, signing_secret=signing_secret
    )


def test_a_rotated_key_works_with_its_successor_until_its_grace_period_ends(
    client: thrive_send.Client, live: LiveServer
) -> None:
    created = client.api_keys.create(
        {"name": f"rotated-{uuid.uuid4().hex[:8]}", "allowed_ips": ["127.0.0.1/32", "::1"]}
    )
    before = datetime.now(timezone.utc)
    rotated = client.api_keys.rotate(created.id, {"grace_period_seconds": 600})
    assert rotated.token.startswith("ts_") and rotated.token != created.token
    assert rotated.previous.id == created.id
    grace_ends = datetime.fromisoformat(rotated.previous.expires_at.replace("Z", "+00:00"))
    assert before + timedelta(seconds=590) <= grace_ends <= before + timedelta(seconds=610)
    for token in (created.token, rotated.token):
        other = keyed(live, token)
        assert other.domains.list(limit=1).object == "list"
        other._http.close()
    successor = next(key for key in client.api_keys.iterate() if key.id == rotated.id)
    assert successor.allowed_ips == ["127.0.0.1/32", "::1/128"]

    with pytest.raises(thrive_send.ConflictError) as twice:
        client.api_keys.rotate(created.id)
    assert twice.value.name == "invalid_state"
    with pytest.raises(thrive_send.NotFoundError):
        client.api_keys.rotate(MISSING)
    with pytest.raises(thrive_send.UnprocessableEntityError):
        client.api_keys.rotate(rotated.id, {"grace_period_seconds": -1})


def test_the_audit_log_lists_iterates_and_exports_an_objects_entries(
    client: thrive_send.Client, tmp_path: Path
) -> None:
    key = client.api_keys.create({"name": f"audited-{uuid.uuid4().hex[:8]}"})
    client.api_keys.remove(key.id)

    page = client.audit_logs.list(action="api_key.*", target_type="api_key", target_id=key.id)
    assert [entry.action for entry in page.data] == ["api_key.revoked", "api_key.created"]
    assert page.data[0].actor.type == "api_key"
    assert page.data[0].target is not None and page.data[0].target.id == key.id
    paged = client.audit_logs.iterate(page_size=1, target_id=key.id)
    assert [entry.id for entry in paged] == [entry.id for entry in page.data]

    exported = [entry.action for entry in client.audit_logs.iter_export(target_id=key.id)]
    assert exported == ["api_key.created", "api_key.revoked"]  # oldest first
    csv = client.audit_logs.export(tmp_path / "audit.csv", format="csv", target_id=key.id)
    lines = csv.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,created_at,action,")
    assert [line.split(",")[2] for line in lines[1:]] == ["api_key.created", "api_key.revoked"]
    assert not (tmp_path / "audit.csv.part").exists()

    later = datetime.now(timezone.utc) + timedelta(minutes=1)
    assert client.audit_logs.list(target_id=key.id, created_after=later).data == []
    with pytest.raises(thrive_send.UnprocessableEntityError):
        client.audit_logs.list(action="Not an action")


def test_the_audit_log_export_goes_to_the_apis_file_name_by_default(
    client: thrive_send.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = client.audit_logs.export(action="api_key.created")
    assert path == Path("audit-logs.ndjson")
    assert '"action":"api_key.created"' in path.read_text(encoding="utf-8")


def test_usage_of_a_range_and_of_the_last_30_days(client: thrive_send.Client) -> None:
    usage = client.usage.get(start="2026-01-01", end="2026-01-31")
    assert (usage.object, usage.from_, usage.to, len(usage.data)) == (
        "usage",
        "2026-01-01",
        "2026-01-31",
        31,
    )
    assert len(client.usage.get().data) == 30
    with pytest.raises(thrive_send.UnprocessableEntityError):
        client.usage.get(start="2026-02-01", end="2026-01-01")


def test_requests_must_be_signed_once_rotated_until_disabled(
    people: People, live: LiveServer
) -> None:
    # An organization of its own: the shared one's requests must stay unsigned.
    owner = people()
    owner.auth.sign_up(
        {
            "email": unique_email("signer"),
            "password": PASSWORD,
            "organization_name": f"Signed {uuid.uuid4().hex[:6]}",
        }
    )
    token = owner.api_keys.create({"name": "signed"}).token
    unsigned = keyed(live, token)
    assert unsigned.request_signing.get().enabled is False
    secret = unsigned.request_signing.rotate().secret
    assert secret.startswith("rss_")
    with pytest.raises(thrive_send.AuthenticationError) as refused:
        unsigned.domains.list()
    assert refused.value.name == "invalid_request_signature"

    signed = keyed(live, token, signing_secret=secret)
    # The same request three times within a second: each signed anew, none a replay.
    started = time.monotonic()
    for _ in range(3):
        assert signed.domains.list(limit=1).object == "list"
    assert time.monotonic() - started < 5
    signed.domains.create({"name": f"signed-{uuid.uuid4().hex[:8]}.example.com"})
    assert signed.request_signing.get().enabled is True
    with pytest.raises(thrive_send.AuthenticationError):
        keyed(live, token, signing_secret="rss_not_the_secret").domains.list()

    assert signed.request_signing.disable().enabled is False
    assert unsigned.domains.list().object == "list"
    for made in (unsigned, signed):
        made._http.close()


async def test_the_async_client_reads_the_audit_log_and_usage(
    aclient: thrive_send.AsyncClient,
) -> None:
    key = await aclient.api_keys.create({"name": f"async-{uuid.uuid4().hex[:8]}"})
    page = await aclient.audit_logs.list(target_id=key.id)
    assert [entry.action for entry in page.data] == ["api_key.created"]
    assert [e.id async for e in aclient.audit_logs.iter_export(target_id=key.id)] == [
        page.data[0].id
    ]
    assert (await aclient.usage.get(start="2026-03-01", end="2026-03-02")).to == "2026-03-02"
