"""``client.webhooks.events``: what was sent (or is to be sent) to a webhook, each
delivery's attempts, and replays."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from typing_extensions import Unpack

from .. import _models as m
from .._core import RequestOptions, RequestSpec, path
from .._pagination import DEFAULT_PAGE_SIZE, aiterate_pages, iterate_pages
from ._base import AsyncResource, SyncResource


def _events(
    id: str, limit: int | None, after: str | None, before: str | None, o: RequestOptions
) -> RequestSpec:
    query = {"limit": limit, "after": after, "before": before}
    url = path("/webhooks/{id}/events", id=id)
    return RequestSpec("listWebhookEvents", "GET", url, query=query, options=o)


def _event(id: str, event_id: str, o: RequestOptions) -> RequestSpec:
    url = path("/webhooks/{id}/events/{event_id}", id=id, event_id=event_id)
    return RequestSpec("getWebhookEvent", "GET", url, options=o)


def _replay(id: str, event_id: str, o: RequestOptions) -> RequestSpec:
    url = path("/webhooks/{id}/events/{event_id}/replay", id=id, event_id=event_id)
    return RequestSpec("replayWebhookEvent", "POST", url, options=o)


def _attempts(
    id: str,
    event_id: str,
    limit: int | None,
    after: str | None,
    before: str | None,
    o: RequestOptions,
) -> RequestSpec:
    query = {"limit": limit, "after": after, "before": before}
    url = path("/webhooks/{id}/events/{event_id}/attempts", id=id, event_id=event_id)
    return RequestSpec("listWebhookEventAttempts", "GET", url, query=query, options=o)


class WebhookEvents(SyncResource):
    def list(
        self,
        webhook_id: str,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.WebhookEventList:
        """One page of the events sent (or to send) to a webhook, newest first."""
        spec = _events(webhook_id, limit, after, before, options)
        return self._client._request(spec, m.WebhookEventList)

    def iterate(
        self,
        webhook_id: str,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> Iterator[m.WebhookEventListItem]:
        return iterate_pages(
            lambda after: self.list(webhook_id, limit=page_size, after=after, **options)
        )

    def get(
        self, webhook_id: str, event_id: str, **options: Unpack[RequestOptions]
    ) -> m.WebhookEvent:
        """One event: its delivery's status, next attempt and payload."""
        return self._client._request(_event(webhook_id, event_id, options), m.WebhookEvent)

    def replay(
        self, webhook_id: str, event_id: str, **options: Unpack[RequestOptions]
    ) -> m.WebhookEventRef:
        """Sends the event again with a full retry schedule (409 while one is in flight)."""
        return self._client._request(_replay(webhook_id, event_id, options), m.WebhookEventRef)

    def attempts(
        self,
        webhook_id: str,
        event_id: str,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.WebhookEventAttemptList:
        """One page of the HTTP attempts to deliver the event, newest first."""
        spec = _attempts(webhook_id, event_id, limit, after, before, options)
        return self._client._request(spec, m.WebhookEventAttemptList)

    def iterate_attempts(
        self,
        webhook_id: str,
        event_id: str,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> Iterator[m.WebhookEventAttempt]:
        return iterate_pages(
            lambda after: self.attempts(
                webhook_id, event_id, limit=page_size, after=after, **options
            )
        )


class AsyncWebhookEvents(AsyncResource):
    async def list(
        self,
        webhook_id: str,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.WebhookEventList:
        spec = _events(webhook_id, limit, after, before, options)
        return await self._client._request(spec, m.WebhookEventList)

    def iterate(
        self,
        webhook_id: str,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.WebhookEventListItem]:
        return aiterate_pages(
            lambda after: self.list(webhook_id, limit=page_size, after=after, **options)
        )

    async def get(
        self, webhook_id: str, event_id: str, **options: Unpack[RequestOptions]
    ) -> m.WebhookEvent:
        return await self._client._request(_event(webhook_id, event_id, options), m.WebhookEvent)

    async def replay(
        self, webhook_id: str, event_id: str, **options: Unpack[RequestOptions]
    ) -> m.WebhookEventRef:
        spec = _replay(webhook_id, event_id, options)
        return await self._client._request(spec, m.WebhookEventRef)

    async def attempts(
        self,
        webhook_id: str,
        event_id: str,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.WebhookEventAttemptList:
        spec = _attempts(webhook_id, event_id, limit, after, before, options)
        return await self._client._request(spec, m.WebhookEventAttemptList)

    def iterate_attempts(
        self,
        webhook_id: str,
        event_id: str,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.WebhookEventAttempt]:
        return aiterate_pages(
            lambda after: self.attempts(
                webhook_id, event_id, limit=page_size, after=after, **options
            )
        )
