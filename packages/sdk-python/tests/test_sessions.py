"""What a person's client sends and keeps (cookies, the CSRF token, no API key), single
sign-on's redirects and request signatures, against a real local HTTP server scripted to answer
what the API answers. tests/test_live_people.py has the same against the live API."""

from __future__ import annotations

import hashlib
import hmac

import thrive_send
from tests.support.http_servers import Answer, ScriptedServer

SESSION: dict[str, object] = {
    "object": "session",
    "id": "019a7c2e-7b12-7e3c-9d4f-5a6b7c8d9e0f",
    "user": {
        "id": "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e",
        "email": "ada@acme.dev",
        "name": None,
        "email_verified": True,
        "mfa_enabled": False,
        "created_at": "2026-11-25T12:00:00.000Z",
    },
    "organization": None,
    "organizations": [],
    "permissions": [],
    "mfa_required": False,
    "csrf_token": "csrf-from-the-body",
    "idle_expires_at": "2026-11-25T14:00:00.000Z",
    "expires_at": "2026-12-09T12:00:00.000Z",
}
ORGANIZATION: dict[str, object] = {
    "object": "organization",
    "id": "019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11",
    "name": "Acme",
    "default_from": None,
    "default_open_tracking": False,
    "default_click_tracking": False,
    "data_retention_days": None,
    "created_at": "2026-11-25T12:00:00.000Z",
    "updated_at": "2026-11-25T12:00:00.000Z",
}


def person(server: ScriptedServer, session: bool | str = True) -> thrive_send.Client:
    return thrive_send.Client(base_url=server.url, session=session, max_retries=0)


def test_cookies_go_back_with_the_csrf_token_on_changes_and_no_api_key(
    server: ScriptedServer,
) -> None:
    server.answer(
        Answer(
            200,
            SESSION,
            cookies=("thrive_session=s1; Path=/; HttpOnly", "thrive_csrf=c1; Path=/"),
        ),
        Answer(200, ORGANIZATION),
        Answer(200, ORGANIZATION),
    )
    with person(server) as client:
        client.auth.sign_in({"email": "ada@acme.dev", "password": "x"})
        assert client.session_cookie == "thrive_session=s1"
        client.organization.get()
        client.organization.update({"name": "Acme"})
    sign_in, read, change = server.received
    assert "cookie" not in sign_in.headers
    assert read.headers["cookie"] == "thrive_session=s1; thrive_csrf=c1"
    assert "x-csrf-token" not in read.headers
    # The cookie's token wins over the body's: it is the one a rotation updates.
    assert change.headers["x-csrf-token"] == "c1"
    assert all("authorization" not in request.headers for request in server.received)


def test_a_cleared_session_is_forgotten(server: ScriptedServer) -> None:
    server.answer(
        Answer(200, SESSION),
        Answer(
            200,
            {"object": "session", "signed_out": True},
            cookies=("thrive_session=; Path=/; Max-Age=0", "thrive_csrf=; Path=/; Max-Age=0"),
        ),
        Answer(200, ORGANIZATION),
    )
    with person(server, "thrive_session=s1") as client:
        client.auth.sign_out()
        assert client.session_cookie is None
        client.organization.get()
    session, sign_out, read = server.received
    assert session.path == "/auth/session"
    assert sign_out.headers["x-csrf-token"] == "csrf-from-the-body"
    assert "cookie" not in read.headers


def test_a_resumed_session_asks_for_its_csrf_token_before_a_change(
    server: ScriptedServer,
) -> None:
    server.answer(
        Answer(200, SESSION), Answer(200, {"object": "member", "id": "m1", "deleted": True})
    )
    with person(server, "s1") as client:
        assert client.session_cookie == "thrive_session=s1"
        client.members.remove("m1")
    session, remove = server.received
    assert (session.method, session.path) == ("GET", "/auth/session")
    assert (remove.method, remove.path) == ("DELETE", "/members/m1")
    assert remove.headers["x-csrf-token"] == "csrf-from-the-body"
    with thrive_send.Client(base_url="https://mail.acme.dev", session="s1") as https:
        assert https.session_cookie == "__Host-thrive_session=s1"


def test_single_sign_on_redirects_are_answers_not_followed(server: ScriptedServer) -> None:
    server.answer(
        Answer(
            302,
            headers={"location": "https://idp.acme.dev/authorize?state=s"},
            cookies=("thrive_oidc=pending; Path=/; HttpOnly",),
        ),
        Answer(
            302,
            headers={"location": "https://mail.acme.dev/"},
            cookies=("thrive_oidc=; Path=/; Max-Age=0", "thrive_session=s9; Path=/"),
        ),
    )
    with person(server) as client:
        start = client.auth.oidc.start("019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11")
        assert start == "https://idp.acme.dev/authorize?state=s"
        home = client.auth.oidc.callback({"code": "c", "state": "s", "iss": "https://idp"})
        assert home == "https://mail.acme.dev/"
        assert client.session_cookie == "thrive_session=s9"
    callback = server.received[1]
    assert callback.path == "/auth/oidc/callback?code=c&state=s&iss=https%3A%2F%2Fidp"
    assert callback.headers["cookie"] == "thrive_oidc=pending"
    assert len(server.received) == 2


def test_a_signing_client_signs_method_path_timestamp_and_body_anew_each_attempt(
    server: ScriptedServer,
) -> None:
    secret = "rss_test_secret"
    server.answer(
        Answer(429, {"name": "rate_limit_exceeded", "message": "slow"}, {"retry-after-ms": "10"}),
        Answer(200, {"object": "list", "data": [], "has_more": False}),
        Answer(200, {"object": "suppression", "id": "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e"}),
    )
    with thrive_send.Client(
        "ts_test", base_url=server.url, signing_secret=secret, max_retries=1
    ) as client:
        client.audit_logs.list(action="api_key.*", limit=5)
        client.suppressions.add({"email": "ada@acme.dev"})
    first, retry, create = server.received
    assert first.headers["x-thrive-timestamp"] != retry.headers["x-thrive-timestamp"]
    for request in server.received:
        base = "\n".join(
            [
                request.method,
                request.path,
                request.headers["x-thrive-timestamp"],
                hashlib.sha256(request.body).hexdigest(),
            ]
        )
        expected = hmac.new(secret.encode(), base.encode(), hashlib.sha256).hexdigest()
        assert request.headers["x-thrive-signature"] == f"v1={expected}"
    assert first.path == "/audit-logs?limit=5&action=api_key.%2A"
    assert create.body == b'{"email":"ada@acme.dev"}'
