"""``client.system``: liveness and readiness (no API key needed)."""

from __future__ import annotations

from typing_extensions import Unpack

from .. import _models as m
from .._core import RequestOptions, RequestSpec
from ._base import AsyncResource, SyncResource


def _health(o: RequestOptions) -> RequestSpec:
    return RequestSpec("getHealth", "GET", "/health", options=o)


def _ready(o: RequestOptions) -> RequestSpec:
    # Not ready is an answer, 503 with the same body, not an error to retry.
    return RequestSpec(
        "getReadiness", "GET", "/ready", options=o, ok_statuses=frozenset({200, 503})
    )


class System(SyncResource):
    def health(self, **options: Unpack[RequestOptions]) -> m.Health:
        """``{"status": "ok"}`` while the API process is alive."""
        return self._client._request(_health(options), m.Health)

    def ready(self, **options: Unpack[RequestOptions]) -> m.Readiness:
        """Whether the database is reachable and migrated (``status`` ``ready``/``not_ready``)."""
        return self._client._request(_ready(options), m.Readiness)


class AsyncSystem(AsyncResource):
    async def health(self, **options: Unpack[RequestOptions]) -> m.Health:
        return await self._client._request(_health(options), m.Health)

    async def ready(self, **options: Unpack[RequestOptions]) -> m.Readiness:
        return await self._client._request(_ready(options), m.Readiness)
