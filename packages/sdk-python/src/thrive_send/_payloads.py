"""Event payloads, ``{type, created_at, data}``, as webhooks and the event stream carry them."""

from __future__ import annotations

import typing
from typing import Any, TypeAlias

import pydantic

from ._webhook_payloads import KnownWebhookPayload


class UnknownWebhookPayload(pydantic.BaseModel):
    """A type this SDK does not know (``webhook.test``, or one newer than the SDK)."""

    type: str
    created_at: str
    data: dict[str, Any]


WebhookPayload: TypeAlias = KnownWebhookPayload | UnknownWebhookPayload

_KNOWN = pydantic.TypeAdapter[KnownWebhookPayload](KnownWebhookPayload)
KNOWN_PAYLOAD_MODELS: tuple[type[pydantic.BaseModel], ...] = typing.get_args(
    typing.get_args(KnownWebhookPayload)[0]
)
# Each model's `type` is a Literal of one value: its event type.
KNOWN_TYPES: frozenset[str] = frozenset(
    typing.get_args(model.model_fields["type"].annotation)[0] for model in KNOWN_PAYLOAD_MODELS
)


def parse_webhook_payload(raw: str | bytes) -> WebhookPayload:
    """The typed payload for a known type, else ``UnknownWebhookPayload``."""
    envelope = UnknownWebhookPayload.model_validate_json(raw)
    if envelope.type in KNOWN_TYPES:
        return _KNOWN.validate_json(raw)
    return envelope
