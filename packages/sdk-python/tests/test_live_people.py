"""``auth``, ``organization``, ``members``, ``roles`` and ``invitations`` against the live
server, with clients that act as people (``session=True``): sign-up to deletion, the way the
console goes. The tests share their people and run in the file's order."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

import thrive_send
from tests.support.live_server import LiveServer
from tests.support.oidc_provider import OidcProvider
from tests.support.people import PASSWORD, emailed_token, totp, unique_email
from thrive_send import models

NEW_PASSWORD = "a new horse battery staple"
MISSING = "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47"
People = Callable[..., thrive_send.Client]


@dataclass
class Story:
    ada: thrive_send.Client
    grace: thrive_send.Client
    ada_email: str
    grace_email: str
    organization_id: str = ""
    ada_member_id: str = ""
    grace_member_id: str = ""


@pytest.fixture(scope="module")
def story(people: People) -> Story:
    return Story(people(), people(), unique_email("ada"), unique_email("grace"))


@pytest.fixture(scope="module")
def idp(live: LiveServer) -> Iterator[OidcProvider]:
    provider = OidcProvider(f"{live.url}/auth/oidc/callback")
    yield provider
    provider.close()


def test_sign_up_keeps_the_session_and_sends_the_csrf_token(
    story: Story, people: People, live: LiveServer
) -> None:
    assert story.ada.session_cookie is None
    session = story.ada.auth.sign_up(
        {
            "email": story.ada_email,
            "password": PASSWORD,
            "name": "Ada Lovelace",
            "organization_name": f"Acme {uuid.uuid4().hex[:6]}",
        }
    )
    assert isinstance(session, models.Session)
    assert session.organization is not None and session.organization.role == "owner"
    assert (session.user.email, session.user.email_verified) == (story.ada_email, False)
    story.organization_id = session.organization.id
    assert (story.ada.session_cookie or "").startswith("thrive_session=")
    assert story.ada.auth.session().id == session.id

    updated = story.ada.organization.update({"name": "Acme Inc.", "data_retention_days": 30})
    assert (updated.id, updated.name, updated.data_retention_days) == (
        story.organization_id,
        "Acme Inc.",
        30,
    )
    assert story.ada.organization.get().name == "Acme Inc."
    # What the SDK adds: the same change without the CSRF token is refused.
    forged = httpx.patch(
        f"{live.url}/organization",
        json={"name": "Forged"},
        headers={"cookie": story.ada.session_cookie or ""},
    )
    assert (forged.status_code, forged.json()["name"]) == (403, "invalid_csrf_token")

    with pytest.raises(thrive_send.ConflictError) as again:
        people().auth.sign_up(
            {"email": story.ada_email, "password": PASSWORD, "organization_name": "Twice"}
        )
    assert again.value.name == "already_exists"


def test_a_session_resumes_from_its_cookie(story: Story, people: People) -> None:
    resumed = people(story.ada.session_cookie)
    # Its first change asks for the CSRF token first (GET /auth/session).
    assert resumed.organization.update({"default_open_tracking": True}).default_open_tracking
    token = (story.ada.session_cookie or "").split("=", 1)[1]
    assert people(token).auth.session().id == story.ada.auth.session().id


def test_people_only_operations_refuse_a_key_and_no_session(
    client: thrive_send.Client, people: People
) -> None:
    for call in (client.organization.get, client.auth.session, client.members.list):
        with pytest.raises(thrive_send.AuthenticationError) as refused:
            call()
        assert refused.value.name == "restricted_api_key"
    with pytest.raises(thrive_send.AuthenticationError) as signed_out:
        people().auth.session()
    assert signed_out.value.name == "missing_api_key"
    with pytest.raises(thrive_send.AuthenticationError) as forged:
        people("thrive_session=not-a-session-token").organization.get()
    assert forged.value.name == "invalid_session"
    with pytest.raises(ValueError, match="not both"):
        thrive_send.Client("ts_x", session=True)


def test_the_address_is_confirmed_with_the_emailed_token(story: Story, live: LiveServer) -> None:
    token = emailed_token(live, story.ada_email, "verify-email")
    assert story.ada.auth.verify_email({"token": token}).verified is True
    assert story.ada.auth.session().user.email_verified is True
    with pytest.raises(thrive_send.BadRequestError) as used:
        story.ada.auth.verify_email({"token": token})
    assert used.value.name == "invalid_token"


def test_mfa_sign_out_password_reset_and_sign_in_with_a_second_factor(
    story: Story, live: LiveServer
) -> None:
    ada = story.ada
    setup = ada.auth.mfa.set_up()
    with pytest.raises(thrive_send.AuthenticationError):
        ada.auth.mfa.enable({"code": "000000"})
    recovery = ada.auth.mfa.enable({"code": totp(setup.secret)}).recovery_codes
    assert len(recovery) == 10

    assert ada.auth.sign_out().signed_out is True
    assert ada.session_cookie is None
    with pytest.raises(thrive_send.AuthenticationError):
        ada.organization.get()

    assert ada.auth.password_reset.request({"email": story.ada_email}).requested is True
    token = emailed_token(live, story.ada_email, "reset-password")
    assert ada.auth.password_reset.confirm({"token": token, "password": NEW_PASSWORD}).reset

    with pytest.raises(thrive_send.AuthenticationError) as old:
        ada.auth.sign_in({"email": story.ada_email, "password": PASSWORD})
    assert old.value.name == "invalid_credentials"
    assert ada.auth.sign_in({"email": story.ada_email, "password": NEW_PASSWORD}).mfa_required
    with pytest.raises(thrive_send.PermissionDeniedError) as pending:
        ada.organization.get()
    assert pending.value.name == "mfa_required"
    assert ada.auth.mfa.verify({"code": recovery[0]}).mfa_required is False
    assert ada.auth.mfa.disable({"code": recovery[1]}).enabled is False

    switched = ada.auth.switch_organization({"organization_id": story.organization_id})
    assert switched.organization is not None and switched.organization.id == story.organization_id
    with pytest.raises(thrive_send.NotFoundError):
        ada.auth.switch_organization({"organization_id": MISSING})
    # The switch rotated the session (new cookie, new CSRF token): changes still go through.
    assert (
        ada.organization.update({"default_click_tracking": False}).default_click_tracking is False
    )


def test_invitations_and_members(story: Story, live: LiveServer) -> None:
    ada, grace = story.ada, story.grace
    invited = ada.invitations.create({"email": story.grace_email, "role": "developer"})
    assert (invited.email, invited.status) == (story.grace_email, "pending")
    revoked = ada.invitations.create({"email": unique_email("revoked"), "role": "analyst"})
    assert {invited.id, revoked.id} <= {i.id for i in ada.invitations.iterate(page_size=1)}
    assert ada.invitations.remove(revoked.id).deleted is True
    assert revoked.id not in {i.id for i in ada.invitations.list().data}
    with pytest.raises(thrive_send.ConflictError):
        ada.invitations.create({"email": story.ada_email, "role": "admin"})

    session = grace.invitations.accept(
        {
            "token": emailed_token(live, story.grace_email, "accept-invitation"),
            "name": "Grace Hopper",
            "password": PASSWORD,
        }
    )
    assert session.organization is not None
    assert (session.organization.id, session.organization.role) == (
        story.organization_id,
        "developer",
    )
    assert (grace.session_cookie or "").startswith("thrive_session=")
    with pytest.raises(thrive_send.PermissionDeniedError):
        grace.invitations.remove(invited.id)

    members = {member.email: member for member in grace.members.iterate()}
    story.ada_member_id = members[story.ada_email].id
    story.grace_member_id = members[story.grace_email].id
    assert members[story.ada_email].role == "owner"
    with pytest.raises(thrive_send.PermissionDeniedError):
        grace.members.update(story.ada_member_id, {"role": "developer"})
    assert ada.members.update(story.grace_member_id, {"role": "admin"}).role == "admin"
    with pytest.raises(thrive_send.ConflictError):
        ada.invitations.remove(invited.id)
    with pytest.raises(thrive_send.NotFoundError):
        ada.members.remove(MISSING)


def test_custom_roles(story: Story, client: thrive_send.Client) -> None:
    ada, grace = story.ada, story.grace
    built_in = [role.name for role in ada.roles.list().data if role.built_in]
    assert built_in == ["owner", "admin", "developer", "analyst", "billing"]
    with pytest.raises(thrive_send.AuthenticationError) as keyed:
        client.roles.list()
    assert keyed.value.name == "restricted_api_key"

    name = f"on-call-{uuid.uuid4().hex[:8]}"
    role = ada.roles.create(
        {
            "name": name,
            "description": "Developers who also read the audit log",
            "permissions": ["audit:read", "audit:read"],
            "extends": "developer",
        }
    )
    assert isinstance(role, models.Role)
    assert (role.name, role.built_in, role.extends, role.permissions) == (
        name,
        False,
        "developer",
        ["audit:read"],
    )
    developer = ada.roles.get("developer")
    assert developer.built_in is True and developer.created_at is None
    assert set(role.resolved_permissions) == {*developer.resolved_permissions, "audit:read"}
    assert ada.roles.get(name).id == ada.roles.get(role.id).id == role.id
    with pytest.raises(thrive_send.ConflictError) as taken:
        ada.roles.create({"name": name})
    assert taken.value.name == "already_exists"
    with pytest.raises(thrive_send.UnprocessableEntityError):
        ada.roles.create({"name": f"{name}-x", "extends": "owner"})

    # A member with the role has its rights at once; without members:manage, no role changes.
    assert ada.members.update(story.grace_member_id, {"role": name}).role == name
    assert grace.audit_logs.list(limit=1).object == "list"
    with pytest.raises(thrive_send.PermissionDeniedError):
        grace.roles.update(name, {"permissions": ["members:manage"]})
    with pytest.raises(thrive_send.ConflictError) as in_use:
        ada.roles.remove(role.id)
    assert in_use.value.name == "invalid_state"

    # No longer extending developer: only its own permission is left.
    changed = ada.roles.update(role.id, models.UpdateRoleRequest(extends=None, description=None))
    assert (changed.extends, changed.description, changed.resolved_permissions) == (
        None,
        None,
        ["audit:read"],
    )
    with pytest.raises(thrive_send.PermissionDeniedError):
        grace.members.list()

    assert ada.members.update(story.grace_member_id, {"role": "admin"}).role == "admin"
    deleted = ada.roles.remove(name)
    assert (deleted.id, deleted.deleted) == (role.id, True)
    with pytest.raises(thrive_send.NotFoundError):
        ada.roles.get(role.id)


def test_single_sign_on_through_a_provider(
    story: Story, people: People, idp: OidcProvider, live: LiveServer
) -> None:
    ada = story.ada
    created = ada.organization.oidc.create(
        {
            "issuer": idp.issuer,
            "client_id": idp.client_id,
            "client_secret": idp.client_secret,
            "allowed_domains": ["sso.example"],
            "default_role": "analyst",
        }
    )
    assert created.sign_in_url == f"{live.url}/auth/oidc/{story.organization_id}/start"
    assert ada.organization.oidc.update({"default_role": "developer"}).default_role == "developer"
    assert ada.organization.oidc.get().client_id == idp.client_id

    idp.sign_in_as("sub-katherine", "katherine@sso.example")
    katherine = people()
    authorize = katherine.auth.oidc.start(story.organization_id)
    assert authorize.startswith(f"{idp.issuer}/")
    back = idp.authorize(authorize)
    home = katherine.auth.oidc.callback(dict(parse_qsl(urlsplit(back).query)))
    assert home == f"{live.url}/"
    signed_in = katherine.auth.session()
    assert signed_in.user.email == "katherine@sso.example"
    assert signed_in.organization is not None and signed_in.organization.role == "developer"
    assert katherine.members.leave().deleted is True

    with pytest.raises(thrive_send.BadRequestError) as refused:
        katherine.auth.oidc.callback(state="s", error="access_denied")
    assert refused.value.name == "sso_failed"
    with pytest.raises(thrive_send.NotFoundError):
        katherine.auth.oidc.start(MISSING)
    assert ada.organization.oidc.remove().deleted is True
    with pytest.raises(thrive_send.NotFoundError):
        ada.organization.oidc.get()


def test_handover_and_deletion(story: Story) -> None:
    ada, grace = story.ada, story.grace
    owner = ada.organization.transfer_ownership({"member_id": story.grace_member_id})
    assert (owner.id, owner.role) == (story.grace_member_id, "owner")
    # Grace's session rotates on her next request (new privileges): the jar follows it.
    before = grace.session_cookie
    grace.organization.get()
    assert grace.session_cookie != before

    assert grace.members.remove(story.ada_member_id).deleted is True
    with pytest.raises(thrive_send.PermissionDeniedError):
        ada.organization.get()
    with pytest.raises(thrive_send.ConflictError) as last_owner:
        grace.members.leave()
    assert last_owner.value.name == "invalid_state"
    deleted = grace.organization.remove()
    assert (deleted.id, deleted.deleted) == (story.organization_id, True)
    with pytest.raises(thrive_send.APIStatusError):
        grace.organization.get()
