"""``client.suppressions``: addresses nothing is sent to (one at a time or in batches)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Literal

from typing_extensions import Unpack

from .. import _models as m
from .. import _params as p
from .._core import RequestOptions, RequestSpec, path
from .._pagination import DEFAULT_PAGE_SIZE, aiterate_pages, iterate_pages
from ._base import AsyncResource, SyncResource

if TYPE_CHECKING:
    from .._base_client import AsyncAPIClient, SyncAPIClient

SuppressionOrigin = Literal["bounce", "complaint", "unsubscribe", "manual"]
BatchRemoveBody = (
    p.BatchRemoveSuppressionsParams
    | m.BatchRemoveSuppressionsRequestBatchRemoveSuppressionsRequest
    | m.BatchRemoveSuppressionsRequestBatchRemoveSuppressionsRequest1
)


def _add(
    params: p.AddSuppressionParams | m.AddSuppressionRequest, o: RequestOptions
) -> RequestSpec:
    return RequestSpec("addSuppression", "POST", "/suppressions", body=params, options=o)


def _list(
    limit: int | None,
    after: str | None,
    before: str | None,
    origin: SuppressionOrigin | None,
    o: RequestOptions,
) -> RequestSpec:
    query = {"limit": limit, "after": after, "before": before, "origin": origin}
    return RequestSpec("listSuppressions", "GET", "/suppressions", query=query, options=o)


def _get(id_or_email: str, o: RequestOptions) -> RequestSpec:
    url = path("/suppressions/{id_or_email}", id_or_email=id_or_email)
    return RequestSpec("getSuppression", "GET", url, options=o)


def _remove(id_or_email: str, o: RequestOptions) -> RequestSpec:
    url = path("/suppressions/{id_or_email}", id_or_email=id_or_email)
    return RequestSpec("removeSuppression", "DELETE", url, options=o)


def _batch_add(
    params: p.BatchAddSuppressionsParams | m.BatchAddSuppressionsRequest, o: RequestOptions
) -> RequestSpec:
    return RequestSpec(
        "batchAddSuppressions", "POST", "/suppressions/batch/add", body=params, options=o
    )


def _batch_remove(params: BatchRemoveBody, o: RequestOptions) -> RequestSpec:
    return RequestSpec(
        "batchRemoveSuppressions", "POST", "/suppressions/batch/remove", body=params, options=o
    )


class SuppressionsBatch(SyncResource):
    def add(
        self,
        params: p.BatchAddSuppressionsParams | m.BatchAddSuppressionsRequest,
        **options: Unpack[RequestOptions],
    ) -> m.BatchAddedSuppressions:
        """Suppresses 1 to 100 addresses in one transaction, answered in the order given."""
        return self._client._request(_batch_add(params, options), m.BatchAddedSuppressions)

    def remove(
        self, params: BatchRemoveBody, **options: Unpack[RequestOptions]
    ) -> m.BatchRemovedSuppressions:
        """Removes suppressions by ``emails`` or by ``ids``."""
        return self._client._request(_batch_remove(params, options), m.BatchRemovedSuppressions)


class Suppressions(SyncResource):
    def __init__(self, client: SyncAPIClient) -> None:
        super().__init__(client)
        self.batch = SuppressionsBatch(client)

    def add(
        self,
        params: p.AddSuppressionParams | m.AddSuppressionRequest,
        **options: Unpack[RequestOptions],
    ) -> m.SuppressionRef:
        """Suppresses an address (an address already there answers its entry)."""
        return self._client._request(_add(params, options), m.SuppressionRef)

    def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        origin: SuppressionOrigin | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.SuppressionList:
        spec = _list(limit, after, before, origin, options)
        return self._client._request(spec, m.SuppressionList)

    def iterate(
        self,
        *,
        origin: SuppressionOrigin | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> Iterator[m.SuppressionListEntry]:
        return iterate_pages(
            lambda after: self.list(limit=page_size, after=after, origin=origin, **options)
        )

    def get(self, id_or_email: str, **options: Unpack[RequestOptions]) -> m.Suppression:
        """A suppression by its id or by the suppressed address."""
        return self._client._request(_get(id_or_email, options), m.Suppression)

    def remove(self, id_or_email: str, **options: Unpack[RequestOptions]) -> m.RemovedSuppression:
        return self._client._request(_remove(id_or_email, options), m.RemovedSuppression)


class AsyncSuppressionsBatch(AsyncResource):
    async def add(
        self,
        params: p.BatchAddSuppressionsParams | m.BatchAddSuppressionsRequest,
        **options: Unpack[RequestOptions],
    ) -> m.BatchAddedSuppressions:
        return await self._client._request(_batch_add(params, options), m.BatchAddedSuppressions)

    async def remove(
        self, params: BatchRemoveBody, **options: Unpack[RequestOptions]
    ) -> m.BatchRemovedSuppressions:
        spec = _batch_remove(params, options)
        return await self._client._request(spec, m.BatchRemovedSuppressions)


class AsyncSuppressions(AsyncResource):
    def __init__(self, client: AsyncAPIClient) -> None:
        super().__init__(client)
        self.batch = AsyncSuppressionsBatch(client)

    async def add(
        self,
        params: p.AddSuppressionParams | m.AddSuppressionRequest,
        **options: Unpack[RequestOptions],
    ) -> m.SuppressionRef:
        return await self._client._request(_add(params, options), m.SuppressionRef)

    async def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        origin: SuppressionOrigin | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.SuppressionList:
        spec = _list(limit, after, before, origin, options)
        return await self._client._request(spec, m.SuppressionList)

    def iterate(
        self,
        *,
        origin: SuppressionOrigin | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.SuppressionListEntry]:
        return aiterate_pages(
            lambda after: self.list(limit=page_size, after=after, origin=origin, **options)
        )

    async def get(self, id_or_email: str, **options: Unpack[RequestOptions]) -> m.Suppression:
        return await self._client._request(_get(id_or_email, options), m.Suppression)

    async def remove(
        self, id_or_email: str, **options: Unpack[RequestOptions]
    ) -> m.RemovedSuppression:
        return await self._client._request(_remove(id_or_email, options), m.RemovedSuppression)
