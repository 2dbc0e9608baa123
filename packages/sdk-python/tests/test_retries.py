"""The retry, idempotency and timeout policy, against a real local HTTP server that answers
what each test scripts (503 then 200, a dropped connection, a slow answer...)."""

from __future__ import annotations

import json
import time

import httpx
import pytest

import thrive_send
from tests.support.http_servers import Answer, ScriptedServer
from thrive_send import _policy
from thrive_send.params import SendEmailParams

SENT = {"id": "01a22ab6-f7ca-75d7-ac8c-c085ff32c5f6"}
EMAIL: SendEmailParams = {
    "from": "hello@acme.dev",
    "to": "you@example.com",
    "subject": "Hi",
    "text": "x",
}


def error(status: int, name: str) -> dict[str, object]:
    return {"statusCode": status, "name": name, "message": name, "request_id": "req_1"}


def client_for(server: ScriptedServer, **options: object) -> thrive_send.Client:
    return thrive_send.Client("ts_test", base_url=server.url, **options)  # type: ignore[arg-type]


def test_503_then_200_honours_retry_after_with_one_idempotency_key(server: ScriptedServer) -> None:
    server.answer(Answer(503, error(503, "unavailable"), {"retry-after": "1"}), Answer(200, SENT))
    with client_for(server) as client:
        started = time.monotonic()
        sent = client.emails.send(EMAIL)
        elapsed = time.monotonic() - started
    assert sent.id == SENT["id"]
    first, second = server.received
    assert second.at - first.at >= 1.0  # Retry-After: 1
    assert elapsed < 5
    key = first.headers["idempotency-key"]
    assert key and second.headers["idempotency-key"] == key
    assert json.loads(first.body) == EMAIL
    assert first.headers["authorization"] == "Bearer ts_test"


def test_a_given_idempotency_key_is_sent_on_every_attempt(server: ScriptedServer) -> None:
    server.answer(Answer(500, error(500, "internal_server_error")), Answer(200, {"data": []}))
    with client_for(server) as client:
        client.batch.send([EMAIL], idempotency_key="order-42", validation="permissive")
    assert [r.headers["idempotency-key"] for r in server.received] == ["order-42", "order-42"]
    assert server.received[0].headers["x-batch-validation"] == "permissive"


def test_each_call_gets_its_own_idempotency_key(server: ScriptedServer) -> None:
    server.answer(Answer(200, SENT), Answer(200, SENT))
    with client_for(server) as client:
        client.emails.send(EMAIL)
        client.emails.send(EMAIL)
    keys = [r.headers["idempotency-key"] for r in server.received]
    assert len(set(keys)) == 2


def test_409_concurrent_request_is_retried_but_another_409_is_not(server: ScriptedServer) -> None:
    server.answer(
        Answer(409, error(409, "concurrent_idempotent_requests"), {"retry-after-ms": "50"}),
        Answer(200, SENT),
    )
    with client_for(server) as client:
        assert client.emails.send(EMAIL).id == SENT["id"]
        assert len(server.received) == 2

        server.answer(Answer(409, error(409, "invalid_idempotent_request")))
        with pytest.raises(thrive_send.ConflictError) as conflict:
            client.emails.send(EMAIL)
    assert conflict.value.name == "invalid_idempotent_request"
    assert conflict.value.request_id == "req_1"
    assert len(server.received) == 3


def test_429_is_retried_until_max_retries_then_raised(server: ScriptedServer) -> None:
    server.set_default(Answer(429, error(429, "rate_limit_exceeded"), {"retry-after": "0"}))
    with client_for(server, max_retries=3) as client:
        with pytest.raises(thrive_send.RateLimitError) as raised:
            client.emails.list()
    assert raised.value.status_code == 429
    assert len(server.received) == 4  # the call and 3 retries


def test_client_errors_are_not_retried(server: ScriptedServer) -> None:
    server.set_default(Answer(422, {**error(422, "validation_error"), "details": [
        {"path": "to", "message": "Invalid input"},
    ]}))  # fmt: skip
    with client_for(server) as client:
        with pytest.raises(thrive_send.UnprocessableEntityError) as raised:
            client.emails.send(EMAIL)
    assert [(d.path, d.message) for d in raised.value.details] == [("to", "Invalid input")]
    assert len(server.received) == 1


def test_max_retries_per_call(server: ScriptedServer) -> None:
    server.set_default(Answer(502, error(502, "bad_gateway"), {"retry-after": "0"}))
    with client_for(server) as client:
        with pytest.raises(thrive_send.InternalServerError):
            client.emails.get("x", max_retries=0)
    assert len(server.received) == 1


def test_a_dropped_connection_is_retried(server: ScriptedServer) -> None:
    server.answer(Answer(drop=True), Answer(200, SENT))
    with client_for(server) as client:
        assert client.emails.send(EMAIL).id == SENT["id"]
    keys = {r.headers["idempotency-key"] for r in server.received}
    assert len(server.received) == 2 and len(keys) == 1


def test_connection_refused_raises_api_connection_error() -> None:
    with thrive_send.Client("ts_x", base_url="http://127.0.0.1:9", max_retries=1) as client:
        with pytest.raises(thrive_send.APIConnectionError) as raised:
            client.system.health()
    assert not isinstance(raised.value, thrive_send.APITimeoutError)


def test_timeouts_raise_api_timeout_error_after_retries(server: ScriptedServer) -> None:
    server.set_default(Answer(200, {"status": "ok"}, delay=1.0))
    with client_for(server, timeout=0.2, max_retries=1) as client:
        started = time.monotonic()
        with pytest.raises(thrive_send.APITimeoutError):
            client.system.health()
        assert time.monotonic() - started < 2.5
        assert len(server.received) == 2

        # A longer timeout for one call.
        assert client.system.health(timeout=5, max_retries=0).status == "ok"


def test_with_options_and_extra_headers(server: ScriptedServer) -> None:
    server.set_default(Answer(200, {"status": "ok"}))
    with client_for(server, default_headers={"x-team": "data"}) as client:
        patient = client.with_options(timeout=httpx.Timeout(5.0), max_retries=5)
        assert (patient.max_retries, client.max_retries) == (5, 2)
        patient.system.health(extra_headers={"x-trace": "abc"})
    headers = server.received[0].headers
    assert (headers["x-team"], headers["x-trace"]) == ("data", "abc")
    assert headers["user-agent"].startswith("thrive-send-python/")


def test_a_non_json_error_body_still_raises_typed(server: ScriptedServer) -> None:
    server.set_default(Answer(502, raw=b"<html>Bad gateway</html>", content_type="text/html"))
    with client_for(server, max_retries=0) as client:
        with pytest.raises(thrive_send.InternalServerError) as raised:
            client.system.health()
    assert raised.value.name == "http_502"
    assert "Bad gateway" in raised.value.message


def test_a_body_off_the_schema_raises_response_validation_error(server: ScriptedServer) -> None:
    server.set_default(Answer(200, {"unexpected": True}))
    with client_for(server) as client:
        with pytest.raises(thrive_send.APIResponseValidationError) as raised:
            client.emails.get("x")
    assert raised.value.status_code == 200


def test_readiness_503_is_an_answer_not_an_error(server: ScriptedServer) -> None:
    not_ready = {"status": "not_ready", "database": "unreachable", "migrations": "unknown"}
    server.set_default(Answer(503, not_ready))
    with client_for(server) as client:
        assert client.system.ready().status == "not_ready"
    assert len(server.received) == 1


@pytest.mark.asyncio(loop_scope="session")
async def test_async_client_shares_the_policy(server: ScriptedServer) -> None:
    server.answer(Answer(503, error(503, "unavailable"), {"retry-after": "1"}), Answer(200, SENT))
    async with thrive_send.AsyncClient("ts_test", base_url=server.url) as client:
        assert (await client.emails.send(EMAIL)).id == SENT["id"]
    first, second = server.received
    assert second.at - first.at >= 1.0
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"]

    server.set_default(Answer(200, SENT, delay=1.0))
    async with thrive_send.AsyncClient(
        "ts_test", base_url=server.url, timeout=0.2, max_retries=0
    ) as client:
        with pytest.raises(thrive_send.APITimeoutError):
            await client.emails.get("x")


def test_backoff_doubles_with_jitter_and_caps() -> None:
    for retries_taken, base in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]:
        delays = [_policy.retry_delay(retries_taken) for _ in range(50)]
        assert all(base * 0.75 <= d <= base for d in delays)
        assert len(set(delays)) > 1  # jittered


def test_retry_after_forms_and_cap() -> None:
    assert _policy.retry_after({"retry-after": "3"}) == 3
    assert _policy.retry_after({"retry-after-ms": "250"}) == 0.25
    date = "Mon, 30 Nov 2026 10:00:05 GMT"
    now = 1796032800.0  # 2026-11-30T10:00:00Z
    assert _policy.retry_after({"retry-after": date}, now=now) == 5
    assert _policy.retry_after({"retry-after": "soon"}) is None
    assert _policy.retry_delay(0, {"retry-after": "3600"}) == _policy.MAX_RETRY_AFTER
    assert _policy.should_retry(408, None) and _policy.should_retry(500, None)
    assert not _policy.should_retry(409, "invalid_idempotent_request")
    assert not _policy.should_retry(404, "not_found")
