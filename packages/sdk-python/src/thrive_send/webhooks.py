"""Verifying the webhooks Thrive-Send sends, as Standard Webhooks (and Svix) sign them.

Each delivery carries ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` (or the
same with ``svix-``); the signature is ``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">``
keyed by the webhook's ``whsec_...`` secret. During a secret rotation a delivery carries two
signatures, one per secret: either one verifies.

    from thrive_send import webhooks

    event = webhooks.verify(request.body, request.headers, secret=os.environ["WEBHOOK_SECRET"])
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping

from ._errors import WebhookVerificationError
from ._payloads import WebhookPayload, parse_webhook_payload

__all__ = ["DEFAULT_TOLERANCE_SECONDS", "WebhookVerificationError", "sign", "verify"]

DEFAULT_TOLERANCE_SECONDS = 5 * 60
_SECRET_PREFIX = "whsec_"


def _secret_key(secret: str) -> bytes:
    encoded = secret.removeprefix(_SECRET_PREFIX)
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise WebhookVerificationError("The signing secret is not base64 (whsec_...)") from error


def _header(headers: Mapping[str, str], name: str) -> str:
    lowered = {key.lower(): value for key, value in headers.items()}
    for prefix in ("webhook-", "svix-"):
        value = lowered.get(prefix + name)
        if value:
            return value
    raise WebhookVerificationError(f"Missing the webhook-{name} (or svix-{name}) header")


def sign(payload: str | bytes, *, secret: str, msg_id: str, timestamp: int) -> str:
    """The ``webhook-signature`` header value (``v1,<base64>``) for a payload."""
    body = payload if isinstance(payload, bytes) else payload.encode()
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_secret_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(
    payload: str | bytes,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> WebhookPayload:
    """Checks a delivery's signature and timestamp, then answers its typed payload.

    ``payload`` must be the raw body as received (not re-serialized JSON). Raises
    ``WebhookVerificationError`` when a header is missing, the timestamp is more than
    ``tolerance`` seconds away from ``now`` (replays), or no signature matches.
    """
    msg_id = _header(headers, "id")
    timestamp_header = _header(headers, "timestamp")
    signatures = _header(headers, "signature")
    try:
        timestamp = int(timestamp_header)
    except ValueError as error:
        raise WebhookVerificationError("Invalid webhook-timestamp header") from error
    current = time.time() if now is None else now
    if timestamp < current - tolerance:
        raise WebhookVerificationError("Message timestamp too old")
    if timestamp > current + tolerance:
        raise WebhookVerificationError("Message timestamp too new")

    expected = sign(payload, secret=secret, msg_id=msg_id, timestamp=timestamp)
    expected_bytes = expected.split(",", 1)[1].encode()
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected_bytes):
            return parse_webhook_payload(payload)
    raise WebhookVerificationError("No matching signature found")
