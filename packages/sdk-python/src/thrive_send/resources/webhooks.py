"""``client.webhooks``: endpoints, their signing secrets, and what was sent to them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

from typing_extensions import Unpack

from .. import _models as m
from .. import _params as p
from .._core import RequestOptions, RequestSpec, path
from .._pagination import DEFAULT_PAGE_SIZE, aiterate_pages, iterate_pages
from ._base import AsyncResource, SyncResource
from .webhook_events import AsyncWebhookEvents, WebhookEvents

if TYPE_CHECKING:
    from .._base_client import AsyncAPIClient, SyncAPIClient


def _create(
    params: p.CreateWebhookParams | m.CreateWebhookRequest, o: RequestOptions
) -> RequestSpec:
    return RequestSpec("createWebhook", "POST", "/webhooks", body=params, options=o)


def _list(
    limit: int | None, after: str | None, before: str | None, o: RequestOptions
) -> RequestSpec:
    query = {"limit": limit, "after": after, "before": before}
    return RequestSpec("listWebhooks", "GET", "/webhooks", query=query, options=o)


def _get(id: str, o: RequestOptions) -> RequestSpec:
    return RequestSpec("getWebhook", "GET", path("/webhooks/{id}", id=id), options=o)


def _update(
    id: str, params: p.UpdateWebhookParams | m.UpdateWebhookRequest, o: RequestOptions
) -> RequestSpec:
    url = path("/webhooks/{id}", id=id)
    return RequestSpec("updateWebhook", "PATCH", url, body=params, options=o)


def _remove(id: str, o: RequestOptions) -> RequestSpec:
    return RequestSpec("deleteWebhook", "DELETE", path("/webhooks/{id}", id=id), options=o)


def _rotate(id: str, o: RequestOptions) -> RequestSpec:
    url = path("/webhooks/{id}/signing-secret/rotate", id=id)
    return RequestSpec("rotateWebhookSigningSecret", "POST", url, options=o)


def _test(id: str, o: RequestOptions) -> RequestSpec:
    return RequestSpec(
        "sendWebhookTestEvent", "POST", path("/webhooks/{id}/test", id=id), options=o
    )


class Webhooks(SyncResource):
    def __init__(self, client: SyncAPIClient) -> None:
        super().__init__(client)
        self.events = WebhookEvents(client)

    def create(
        self,
        params: p.CreateWebhookParams | m.CreateWebhookRequest,
        **options: Unpack[RequestOptions],
    ) -> m.WebhookSigningSecret:
        """Adds an endpoint for the listed event types; answers its ``signing_secret``."""
        return self._client._request(_create(params, options), m.WebhookSigningSecret)

    def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.WebhookList:
        return self._client._request(_list(limit, after, before, options), m.WebhookList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **options: Unpack[RequestOptions]
    ) -> Iterator[m.WebhookListItem]:
        return iterate_pages(lambda after: self.list(limit=page_size, after=after, **options))

    def get(self, id: str, **options: Unpack[RequestOptions]) -> m.Webhook:
        return self._client._request(_get(id, options), m.Webhook)

    def update(
        self,
        id: str,
        params: p.UpdateWebhookParams | m.UpdateWebhookRequest,
        **options: Unpack[RequestOptions],
    ) -> m.WebhookRef:
        return self._client._request(_update(id, params, options), m.WebhookRef)

    def remove(self, id: str, **options: Unpack[RequestOptions]) -> m.DeletedWebhook:
        return self._client._request(_remove(id, options), m.DeletedWebhook)

    def rotate_signing_secret(
        self, id: str, **options: Unpack[RequestOptions]
    ) -> m.WebhookSigningSecret:
        """A new secret; for 24 hours deliveries are signed with both."""
        return self._client._request(_rotate(id, options), m.WebhookSigningSecret)

    def test(self, id: str, **options: Unpack[RequestOptions]) -> m.WebhookEventRef:
        """Sends this webhook a ``webhook.test`` event."""
        return self._client._request(_test(id, options), m.WebhookEventRef)


class AsyncWebhooks(AsyncResource):
    def __init__(self, client: AsyncAPIClient) -> None:
        super().__init__(client)
        self.events = AsyncWebhookEvents(client)

    async def create(
        self,
        params: p.CreateWebhookParams | m.CreateWebhookRequest,
        **options: Unpack[RequestOptions],
    ) -> m.WebhookSigningSecret:
        return await self._client._request(_create(params, options), m.WebhookSigningSecret)

    async def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.WebhookList:
        return await self._client._request(_list(limit, after, before, options), m.WebhookList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **options: Unpack[RequestOptions]
    ) -> AsyncIterator[m.WebhookListItem]:
        return aiterate_pages(lambda after: self.list(limit=page_size, after=after, **options))

    async def get(self, id: str, **options: Unpack[RequestOptions]) -> m.Webhook:
        return await self._client._request(_get(id, options), m.Webhook)

    async def update(
        self,
        id: str,
        params: p.UpdateWebhookParams | m.UpdateWebhookRequest,
        **options: Unpack[RequestOptions],
    ) -> m.WebhookRef:
        return await self._client._request(_update(id, params, options), m.WebhookRef)

    async def remove(self, id: str, **options: Unpack[RequestOptions]) -> m.DeletedWebhook:
        return await self._client._request(_remove(id, options), m.DeletedWebhook)

    async def rotate_signing_secret(
        self, id: str, **options: Unpack[RequestOptions]
    ) -> m.WebhookSigningSecret:
        return await self._client._request(_rotate(id, options), m.WebhookSigningSecret)

    async def test(self, id: str, **options: Unpack[RequestOptions]) -> m.WebhookEventRef:
        return await self._client._request(_test(id, options), m.WebhookEventRef)
