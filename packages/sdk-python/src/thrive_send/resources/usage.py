"""``client.usage``: what the organization used, day by day, and its plan's quotas."""

from __future__ import annotations

from datetime import date

from typing_extensions import Unpack

from .. import _models as m
from .._core import RequestOptions, RequestSpec
from ._base import AsyncResource, SyncResource


def _get(start: date | str | None, end: date | str | None, o: RequestOptions) -> RequestSpec:
    query = {
        "start": start.isoformat() if isinstance(start, date) else start,
        "end": end.isoformat() if isinstance(end, date) else end,
    }
    return RequestSpec("getUsage", "GET", "/usage", query=query, options=o)


class Usage(SyncResource):
    def get(
        self,
        *,
        start: date | str | None = None,
        end: date | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.Usage:
        """Emails, API calls and contacts per UTC day from ``start`` to ``end`` (inclusive;
        default: the last 30 days, at most 366), with the plan's quotas and what they used."""
        return self._client._request(_get(start, end, options), m.Usage)


class AsyncUsage(AsyncResource):
    async def get(
        self,
        *,
        start: date | str | None = None,
        end: date | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.Usage:
        return await self._client._request(_get(start, end, options), m.Usage)
