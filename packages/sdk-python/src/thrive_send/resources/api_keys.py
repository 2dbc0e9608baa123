"""``client.api_keys``: create, list, rotate and remove API keys."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from typing_extensions import Unpack

from .. import _models as m
from .. import _params as p
from .._core import RequestOptions, RequestSpec, path
from .._pagination import DEFAULT_PAGE_SIZE, aiterate_pages, iterate_pages
from ._base import AsyncResource, SyncResource


def _create(params: p.CreateApiKeyParams | m.CreateApiKeyRequest, o: RequestOptions) -> RequestSpec:
    return RequestSpec("createApiKey", "POST", "/api-keys", body=params, options=o)


def _list(
    limit: int | None, after: str | None, before: str | None, o: RequestOptions
) -> RequestSpec:
    query = {"limit": limit, "after": after, "before": before}
    return RequestSpec("listApiKeys", "GET", "/api-keys", query=query, options=o)


def _rotate(
    id: str, params: p.RotateApiKeyParams | m.RotateApiKeyRequest | None, o: RequestOptions
) -> RequestSpec:
    url = path("/api-keys/{id}/rotate", id=id)
    body = params if params is not None else {}
    return RequestSpec("rotateApiKey", "POST", url, body=body, options=o)


def _remove(id: str, o: RequestOptions) -> RequestSpec:
    return RequestSpec("deleteApiKey", "DELETE", path("/api-keys/{id}", id=id), options=o)


class ApiKeys(SyncResource):
    def create(
        self,
        params: p.CreateApiKeyParams | m.CreateApiKeyRequest,
        **options: Unpack[RequestOptions],
    ) -> m.CreatedApiKey:
        """Creates a key; its ``token`` is shown this once only (POST /api-keys)."""
        return self._client._request(_create(params, options), m.CreatedApiKey)

    def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.ApiKeyList:
        """One page of the active keys, newest first (GET /api-keys)."""
        return self._client._request(_list(limit, after, before, options), m.ApiKeyList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **options: Unpack[RequestOptions]
    ) -> Iterator[m.ApiKey]:
        return iterate_pages(lambda after: self.list(limit=page_size, after=after, **options))

    def rotate(
        self,
        id: str,
        params: p.RotateApiKeyParams | m.RotateApiKeyRequest | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.RotatedApiKey:
        """A new key with the same name, permission, domain and allowed IPs (its ``token`` is
        shown this once); the old one keeps working for ``grace_period_seconds`` (default a
        day), then stops. A key rotates once."""
        return self._client._request(_rotate(id, params, options), m.RotatedApiKey)

    def remove(self, id: str, **options: Unpack[RequestOptions]) -> m.DeletedApiKey:
        """Revokes a key (DELETE /api-keys/{id})."""
        return self._client._request(_remove(id, options), m.DeletedApiKey)


class AsyncApiKeys(AsyncResource):
    async def create(
        self,
        params: p.CreateApiKeyParams | m.CreateApiKeyRequest,
        **options: Unpack[RequestOptions],
    ) -> m.CreatedApiKey:
        return await self._client._request(_create(params, options), m.CreatedApiKey)

    async def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.ApiKeyList:
        return await self._client._request(_list(limit, after, before, options), m.ApiKeyList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **options: Unpack[RequestOptions]
    ) -> AsyncIterator[m.ApiKey]:
        return aiterate_pages(lambda after: self.list(limit=page_size, after=after, **options))

    async def rotate(
        self,
        id: str,
        params: p.RotateApiKeyParams | m.RotateApiKeyRequest | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.RotatedApiKey:
        return await self._client._request(_rotate(id, params, options), m.RotatedApiKey)

    async def remove(self, id: str, **options: Unpack[RequestOptions]) -> m.DeletedApiKey:
        return await self._client._request(_remove(id, options), m.DeletedApiKey)
