"""API keys, domains, suppressions, reputation, providers and the system endpoints against
the live server."""

from __future__ import annotations

import uuid

import pytest

import thrive_send
from thrive_send import models


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def test_system_health_and_readiness(client: thrive_send.Client) -> None:
    assert client.system.health() == models.Health(status="ok")
    ready = client.system.ready()
    assert (ready.status, ready.database, ready.migrations) == ("ready", "reachable", "applied")


def test_api_keys_create_list_iterate_remove(client: thrive_send.Client) -> None:
    created = [client.api_keys.create({"name": unique("key")}) for _ in range(3)]
    assert all(key.token.startswith("ts_") for key in created)

    page = client.api_keys.list(limit=2)
    assert isinstance(page, models.ApiKeyList)
    assert len(page.data) == 2 and page.has_more
    listed = {key.id: key for key in client.api_keys.iterate(page_size=2)}
    assert {key.id for key in created} <= set(listed)
    assert listed[created[0].id].token_prefix and created[0].token.startswith(
        listed[created[0].id].token_prefix
    )

    for key in created:
        removed = client.api_keys.remove(key.id)
        assert (removed.id, removed.deleted) == (key.id, True)
    assert not {key.id for key in created} & {key.id for key in client.api_keys.iterate()}
    with pytest.raises(thrive_send.NotFoundError):
        client.api_keys.remove(created[0].id)


def test_domains_lifecycle(client: thrive_send.Client, other_client: thrive_send.Client) -> None:
    name = f"{unique('mail')}.example.com"
    created = client.domains.create({"name": name, "custom_return_path": "bounces"})
    assert created.name == name
    assert {record.record for record in created.records} >= {"DKIM", "SPF"}

    assert client.domains.update(created.id, {"open_tracking": True, "tls": "enforced"}).id == (
        created.id
    )
    domain = client.domains.get(created.id)
    assert (domain.open_tracking, domain.tls, domain.custom_return_path) == (
        True,
        "enforced",
        "bounces",
    )
    assert client.domains.verify(created.id).id == created.id
    assert created.id in {d.id for d in client.domains.list(limit=100).data}
    assert created.id in {d.id for d in client.domains.iterate()}

    with pytest.raises(thrive_send.NotFoundError):
        other_client.domains.get(created.id)
    with pytest.raises(thrive_send.UnprocessableEntityError) as invalid:
        client.domains.create({"name": "not a domain"})
    assert invalid.value.details

    removed = client.domains.remove(created.id)
    assert removed.deleted is True
    with pytest.raises(thrive_send.NotFoundError):
        client.domains.get(created.id)


def test_suppressions_one_by_one_and_in_batches(client: thrive_send.Client) -> None:
    address = f"{unique('bounced')}@example.com"
    added = client.suppressions.add({"email": address})
    by_email = client.suppressions.get(address)  # an address in the path is escaped
    assert (by_email.id, by_email.email, by_email.origin) == (added.id, address, "manual")
    assert client.suppressions.get(added.id).email == address
    assert added.id in {s.id for s in client.suppressions.list(origin="manual").data}
    assert added.id in {s.id for s in client.suppressions.iterate(origin="manual")}
    assert added.id not in {s.id for s in client.suppressions.iterate(origin="bounce")}
    assert client.suppressions.remove(address).deleted is True
    with pytest.raises(thrive_send.NotFoundError):
        client.suppressions.get(address)

    batch = [f"{unique('batch')}@example.com" for _ in range(3)]
    added_batch = client.suppressions.batch.add({"emails": batch})
    assert len(added_batch.data) == 3
    removed = client.suppressions.batch.remove({"emails": batch[:2]})
    assert len(removed.data) == 2
    removed_by_id = client.suppressions.batch.remove({"ids": [added_batch.data[2].id]})
    assert [entry.id for entry in removed_by_id.data] == [added_batch.data[2].id]


def test_reputation_get_and_resume(client: thrive_send.Client) -> None:
    reputation = client.reputation.get()
    assert reputation.object == "reputation"
    assert reputation.thresholds.bounce_rate > 0
    assert reputation.organization.paused is False

    resumed = client.reputation.resume()
    assert resumed.organization.paused is False

    domain = client.domains.create({"name": f"{unique('rep')}.example.com"})
    for_domain = client.reputation.get(domain_id=domain.id)
    assert [d.id for d in for_domain.domains] == [domain.id]
    assert [d.id for d in client.reputation.resume({"domain_id": domain.id}).domains] == [domain.id]
    client.domains.remove(domain.id)
    with pytest.raises(thrive_send.NotFoundError):
        client.reputation.get(domain_id=str(uuid.uuid4()))


def test_providers_lifecycle(client: thrive_send.Client, other_client: thrive_send.Client) -> None:
    # Disabled: the worker must not route the other tests' mail through it.
    created = client.providers.create(
        {
            "type": "smtp",
            "name": unique("relay"),
            "enabled": False,
            "smtp": {
                "host": "127.0.0.1",
                "port": 2525,
                "security": "none",
                "username": "relay-user",
                "password": "relay-password",
            },
        }
    )
    assert created.smtp is not None and created.smtp.port == 2525
    assert "relay-password" not in created.model_dump_json()

    updated = client.providers.update(created.id, {"priority": 5, "smtp": {"port": 2526}})
    assert (updated.priority, updated.smtp and updated.smtp.port) == (5, 2526)
    assert client.providers.get(created.id).name == created.name
    assert created.id in {p.id for p in client.providers.list().data}
    assert created.id in {p.id for p in client.providers.iterate()}
    with pytest.raises(thrive_send.NotFoundError):
        other_client.providers.get(created.id)

    assert client.providers.remove(created.id).deleted is True
    with pytest.raises(thrive_send.NotFoundError):
        client.providers.get(created.id)
