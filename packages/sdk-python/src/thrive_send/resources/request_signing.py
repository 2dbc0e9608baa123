"""``client.request_signing``: whether the organization's API requests must be signed. Once
it is on, make clients with the secret, ``Client(api_key, signing_secret=...)``: they sign
every request."""

from __future__ import annotations

from typing_extensions import Unpack

from .. import _models as m
from .._core import RequestOptions, RequestSpec
from ._base import AsyncResource, SyncResource


def _get(o: RequestOptions) -> RequestSpec:
    return RequestSpec("getRequestSigning", "GET", "/request-signing", options=o)


def _rotate(o: RequestOptions) -> RequestSpec:
    return RequestSpec("rotateRequestSigningSecret", "POST", "/request-signing/rotate", options=o)


def _disable(o: RequestOptions) -> RequestSpec:
    return RequestSpec("disableRequestSigning", "DELETE", "/request-signing", options=o)


class RequestSigning(SyncResource):
    def get(self, **options: Unpack[RequestOptions]) -> m.RequestSigning:
        return self._client._request(_get(options), m.RequestSigning)

    def rotate(self, **options: Unpack[RequestOptions]) -> m.RequestSigningSecret:
        """Turns signing on, or gives it a new secret (answered this once; the previous one
        still works for 24 hours). From then on, this client's requests are refused unless it
        was made with a ``signing_secret``."""
        return self._client._request(_rotate(options), m.RequestSigningSecret)

    def disable(self, **options: Unpack[RequestOptions]) -> m.RequestSigning:
        """Requests no longer need a signature; the secrets are deleted."""
        return self._client._request(_disable(options), m.RequestSigning)


class AsyncRequestSigning(AsyncResource):
    async def get(self, **options: Unpack[RequestOptions]) -> m.RequestSigning:
        return await self._client._request(_get(options), m.RequestSigning)

    async def rotate(self, **options: Unpack[RequestOptions]) -> m.RequestSigningSecret:
        return await self._client._request(_rotate(options), m.RequestSigningSecret)

    async def disable(self, **options: Unpack[RequestOptions]) -> m.RequestSigning:
        return await self._client._request(_disable(options), m.RequestSigning)
