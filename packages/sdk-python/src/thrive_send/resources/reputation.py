"""``client.reputation``: bounce and complaint rates, and resuming a paused sender."""

from __future__ import annotations

from typing_extensions import Unpack

from .. import _models as m
from .. import _params as p
from .._core import RequestOptions, RequestSpec
from ._base import AsyncResource, SyncResource


def _get(domain_id: str | None, o: RequestOptions) -> RequestSpec:
    query = {"domain_id": domain_id}
    return RequestSpec("getReputation", "GET", "/reputation", query=query, options=o)


def _resume(
    params: p.ResumeSendingParams | m.ResumeSendingRequest | None, o: RequestOptions
) -> RequestSpec:
    body = params if params is not None else {}
    return RequestSpec("resumeSending", "POST", "/reputation/resume", body=body, options=o)


class Reputation(SyncResource):
    def get(
        self, *, domain_id: str | None = None, **options: Unpack[RequestOptions]
    ) -> m.Reputation:
        """Rates of the organization and its domains, thresholds, and what is paused."""
        return self._client._request(_get(domain_id, options), m.Reputation)

    def resume(
        self,
        params: p.ResumeSendingParams | m.ResumeSendingRequest | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.Reputation:
        """Resumes a paused domain (``{"domain_id": ...}``) or, without params, the organization."""
        return self._client._request(_resume(params, options), m.Reputation)


class AsyncReputation(AsyncResource):
    async def get(
        self, *, domain_id: str | None = None, **options: Unpack[RequestOptions]
    ) -> m.Reputation:
        return await self._client._request(_get(domain_id, options), m.Reputation)

    async def resume(
        self,
        params: p.ResumeSendingParams | m.ResumeSendingRequest | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.Reputation:
        return await self._client._request(_resume(params, options), m.Reputation)
