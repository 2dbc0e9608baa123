"""``client.providers``: an organization's own SMTP relays and SES accounts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from typing_extensions import Unpack

from .. import _models as m
from .. import _params as p
from .._core import RequestOptions, RequestSpec, path
from .._pagination import DEFAULT_PAGE_SIZE, aiterate_pages, iterate_pages
from ._base import AsyncResource, SyncResource

CreateProviderBody = (
    p.CreateProviderParams
    | m.CreateProviderRequestCreateProviderRequest
    | m.CreateProviderRequestCreateProviderRequest1
)


def _create(params: CreateProviderBody, o: RequestOptions) -> RequestSpec:
    return RequestSpec("createProvider", "POST", "/providers", body=params, options=o)


def _list(
    limit: int | None, after: str | None, before: str | None, o: RequestOptions
) -> RequestSpec:
    query = {"limit": limit, "after": after, "before": before}
    return RequestSpec("listProviders", "GET", "/providers", query=query, options=o)


def _get(id: str, o: RequestOptions) -> RequestSpec:
    return RequestSpec("getProvider", "GET", path("/providers/{id}", id=id), options=o)


def _update(
    id: str, params: p.UpdateProviderParams | m.UpdateProviderRequest, o: RequestOptions
) -> RequestSpec:
    url = path("/providers/{id}", id=id)
    return RequestSpec("updateProvider", "PATCH", url, body=params, options=o)


def _remove(id: str, o: RequestOptions) -> RequestSpec:
    return RequestSpec("deleteProvider", "DELETE", path("/providers/{id}", id=id), options=o)


class Providers(SyncResource):
    def create(self, params: CreateProviderBody, **options: Unpack[RequestOptions]) -> m.Provider:
        """Adds an SMTP relay (``{"type": "smtp", ...}``) or SES account; credentials are
        stored sealed and never answered."""
        return self._client._request(_create(params, options), m.Provider)

    def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.ProviderList:
        return self._client._request(_list(limit, after, before, options), m.ProviderList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **options: Unpack[RequestOptions]
    ) -> Iterator[m.Provider]:
        return iterate_pages(lambda after: self.list(limit=page_size, after=after, **options))

    def get(self, id: str, **options: Unpack[RequestOptions]) -> m.Provider:
        return self._client._request(_get(id, options), m.Provider)

    def update(
        self,
        id: str,
        params: p.UpdateProviderParams | m.UpdateProviderRequest,
        **options: Unpack[RequestOptions],
    ) -> m.Provider:
        """Renames, reorders, limits, enables or disables it, or merges new settings."""
        return self._client._request(_update(id, params, options), m.Provider)

    def remove(self, id: str, **options: Unpack[RequestOptions]) -> m.DeletedProvider:
        return self._client._request(_remove(id, options), m.DeletedProvider)


class AsyncProviders(AsyncResource):
    async def create(
        self, params: CreateProviderBody, **options: Unpack[RequestOptions]
    ) -> m.Provider:
        return await self._client._request(_create(params, options), m.Provider)

    async def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.ProviderList:
        return await self._client._request(_list(limit, after, before, options), m.ProviderList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **options: Unpack[RequestOptions]
    ) -> AsyncIterator[m.Provider]:
        return aiterate_pages(lambda after: self.list(limit=page_size, after=after, **options))

    async def get(self, id: str, **options: Unpack[RequestOptions]) -> m.Provider:
        return await self._client._request(_get(id, options), m.Provider)

    async def update(
        self,
        id: str,
        params: p.UpdateProviderParams | m.UpdateProviderRequest,
        **options: Unpack[RequestOptions],
    ) -> m.Provider:
        return await self._client._request(_update(id, params, options), m.Provider)

    async def remove(self, id: str, **options: Unpack[RequestOptions]) -> m.DeletedProvider:
        return await self._client._request(_remove(id, options), m.DeletedProvider)
