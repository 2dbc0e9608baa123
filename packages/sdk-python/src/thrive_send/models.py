"""Pydantic models of the API's schemas, generated from the spec (``_models.py``), and the
typed event payloads of webhooks and the event stream."""

from ._models import *  # noqa: F403
from ._payloads import UnknownWebhookPayload as UnknownWebhookPayload
from ._payloads import WebhookPayload as WebhookPayload
from ._stream import StreamEvent as StreamEvent
from ._webhook_payloads import KnownWebhookPayload as KnownWebhookPayload
