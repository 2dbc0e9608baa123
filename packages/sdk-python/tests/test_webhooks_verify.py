"""``thrive_send.webhooks.verify`` against a delivery signed by the Standard Webhooks
reference library for Node (``standardwebhooks`` 1.1.1, as svix signs), and its refusals."""

from __future__ import annotations

import pytest

from thrive_send import WebhookVerificationError, models, webhooks

# Made with: new Webhook(SECRET).sign(MSG_ID, new Date(TIMESTAMP * 1000), PAYLOAD)
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"
TIMESTAMP = 1796032802
PAYLOAD = (
    '{"type":"email.delivered","created_at":"2026-11-30T10:00:02.481Z","data":{"created_at":'
    '"2026-11-30T10:00:00.000Z","email_id":"019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47","message_id":'
    '"<019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47@acme.dev>","from":"Acme <onboarding@acme.dev>","to":'
    '["delivered@example.com"],"subject":"Welcome to Acme","tags":{"category":"welcome"}}}'
)
SIGNATURE = "v1,lbwBDKlQu1q8y3pHvUukyySVI90fThR1BGVqj3sBrNE="
HEADERS = {
    "webhook-id": MSG_ID,
    "webhook-timestamp": str(TIMESTAMP),
    "webhook-signature": SIGNATURE,
}


def test_verifies_a_payload_signed_by_the_reference_library() -> None:
    event = webhooks.verify(PAYLOAD, HEADERS, SECRET, now=TIMESTAMP + 10)
    assert isinstance(event, models.EmailDeliveredEvent)
    assert event.data.email_id == "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47"
    assert event.data.tags == {"category": "welcome"}
    assert webhooks.sign(PAYLOAD, secret=SECRET, msg_id=MSG_ID, timestamp=TIMESTAMP) == SIGNATURE


def test_bytes_svix_headers_and_any_header_case() -> None:
    svix = {
        "Svix-Id": MSG_ID,
        "Svix-Timestamp": str(TIMESTAMP),
        "Svix-Signature": SIGNATURE,
    }
    assert webhooks.verify(PAYLOAD.encode(), svix, SECRET, now=TIMESTAMP).type == "email.delivered"


def test_one_matching_signature_of_several_is_enough() -> None:
    rotating = {**HEADERS, "webhook-signature": f"v1,bm90IHRoaXMgb25l {SIGNATURE} v2,ignored"}
    assert webhooks.verify(PAYLOAD, rotating, SECRET, now=TIMESTAMP).type == "email.delivered"


@pytest.mark.parametrize(
    ("payload", "headers", "secret", "now", "message"),
    [
        (PAYLOAD + " ", HEADERS, SECRET, TIMESTAMP, "No matching signature"),
        (PAYLOAD, HEADERS, "whsec_" + "A" * 32, TIMESTAMP, "No matching signature"),
        (PAYLOAD, {**HEADERS, "webhook-id": "msg_other"}, SECRET, TIMESTAMP, "No matching"),
        (PAYLOAD, HEADERS, SECRET, TIMESTAMP + 301, "too old"),
        (PAYLOAD, HEADERS, SECRET, TIMESTAMP - 301, "too new"),
        (PAYLOAD, {**HEADERS, "webhook-timestamp": "soon"}, SECRET, TIMESTAMP, "timestamp"),
        (PAYLOAD, {"webhook-id": MSG_ID}, SECRET, TIMESTAMP, "webhook-timestamp"),
        (PAYLOAD, HEADERS, "whsec_not*base64", TIMESTAMP, "base64"),
    ],
)
def test_refusals(
    payload: str, headers: dict[str, str], secret: str, now: int, message: str
) -> None:
    with pytest.raises(WebhookVerificationError, match=message):
        webhooks.verify(payload, headers, secret, now=now)


def test_within_the_tolerance_either_way() -> None:
    for now in (TIMESTAMP - 299, TIMESTAMP + 299):
        webhooks.verify(PAYLOAD, HEADERS, SECRET, now=now)
    with pytest.raises(WebhookVerificationError):
        webhooks.verify(PAYLOAD, HEADERS, SECRET, now=TIMESTAMP + 61, tolerance=60)
