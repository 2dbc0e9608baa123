"""``client.domains``: sending domains, their DNS records and settings."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from typing_extensions import Unpack

from .. import _models as m
from .. import _params as p
from .._core import RequestOptions, RequestSpec, path
from .._pagination import DEFAULT_PAGE_SIZE, aiterate_pages, iterate_pages
from ._base import AsyncResource, SyncResource


def _create(params: p.CreateDomainParams | m.CreateDomainRequest, o: RequestOptions) -> RequestSpec:
    return RequestSpec("createDomain", "POST", "/domains", body=params, options=o)


def _list(
    limit: int | None, after: str | None, before: str | None, o: RequestOptions
) -> RequestSpec:
    query = {"limit": limit, "after": after, "before": before}
    return RequestSpec("listDomains", "GET", "/domains", query=query, options=o)


def _get(id: str, o: RequestOptions) -> RequestSpec:
    return RequestSpec("getDomain", "GET", path("/domains/{id}", id=id), options=o)


def _update(
    id: str, params: p.UpdateDomainParams | m.UpdateDomainRequest, o: RequestOptions
) -> RequestSpec:
    return RequestSpec(
        "updateDomain", "PATCH", path("/domains/{id}", id=id), body=params, options=o
    )


def _remove(id: str, o: RequestOptions) -> RequestSpec:
    return RequestSpec("deleteDomain", "DELETE", path("/domains/{id}", id=id), options=o)


def _verify(id: str, o: RequestOptions) -> RequestSpec:
    return RequestSpec("verifyDomain", "POST", path("/domains/{id}/verify", id=id), options=o)


class Domains(SyncResource):
    def create(
        self,
        params: p.CreateDomainParams | m.CreateDomainRequest,
        **options: Unpack[RequestOptions],
    ) -> m.CreatedDomain:
        """Adds a domain with a fresh DKIM key; answers the DNS records to publish."""
        return self._client._request(_create(params, options), m.CreatedDomain)

    def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.DomainList:
        return self._client._request(_list(limit, after, before, options), m.DomainList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **options: Unpack[RequestOptions]
    ) -> Iterator[m.DomainListItem]:
        return iterate_pages(lambda after: self.list(limit=page_size, after=after, **options))

    def get(self, id: str, **options: Unpack[RequestOptions]) -> m.Domain:
        return self._client._request(_get(id, options), m.Domain)

    def update(
        self,
        id: str,
        params: p.UpdateDomainParams | m.UpdateDomainRequest,
        **options: Unpack[RequestOptions],
    ) -> m.DomainRef:
        """Tracking, TLS mode, tracking subdomain (PATCH /domains/{id})."""
        return self._client._request(_update(id, params, options), m.DomainRef)

    def remove(self, id: str, **options: Unpack[RequestOptions]) -> m.DeletedDomain:
        return self._client._request(_remove(id, options), m.DeletedDomain)

    def verify(self, id: str, **options: Unpack[RequestOptions]) -> m.DomainRef:
        """Starts a check of the DNS records; ``get`` shows the outcome within seconds."""
        return self._client._request(_verify(id, options), m.DomainRef)


class AsyncDomains(AsyncResource):
    async def create(
        self,
        params: p.CreateDomainParams | m.CreateDomainRequest,
        **options: Unpack[RequestOptions],
    ) -> m.CreatedDomain:
        return await self._client._request(_create(params, options), m.CreatedDomain)

    async def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.DomainList:
        return await self._client._request(_list(limit, after, before, options), m.DomainList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **options: Unpack[RequestOptions]
    ) -> AsyncIterator[m.DomainListItem]:
        return aiterate_pages(lambda after: self.list(limit=page_size, after=after, **options))

    async def get(self, id: str, **options: Unpack[RequestOptions]) -> m.Domain:
        return await self._client._request(_get(id, options), m.Domain)

    async def update(
        self,
        id: str,
        params: p.UpdateDomainParams | m.UpdateDomainRequest,
        **options: Unpack[RequestOptions],
    ) -> m.DomainRef:
        return await self._client._request(_update(id, params, options), m.DomainRef)

    async def remove(self, id: str, **options: Unpack[RequestOptions]) -> m.DeletedDomain:
        return await self._client._request(_remove(id, options), m.DeletedDomain)

    async def verify(self, id: str, **options: Unpack[RequestOptions]) -> m.DomainRef:
        return await self._client._request(_verify(id, options), m.DomainRef)
