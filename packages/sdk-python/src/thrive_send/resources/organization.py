"""``client.organization``: the session's organization, its settings, ownership, deletion and
single sign-on connection. People only: an API key gets ``restricted_api_key``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from typing_extensions import Unpack

from .. import _models as m
from .. import _params as p
from .._core import RequestOptions, RequestSpec
from ._base import AsyncResource, SyncResource

if TYPE_CHECKING:
    from .._base_client import AsyncAPIClient, SyncAPIClient

UpdateOrganizationBody = p.UpdateOrganizationParams | m.UpdateOrganizationRequest
TransferBody = p.TransferOwnershipParams | m.TransferOwnershipRequest
CreateOidcBody = p.CreateOidcConnectionParams | m.CreateOidcConnectionRequest
UpdateOidcBody = p.UpdateOidcConnectionParams | m.UpdateOidcConnectionRequest


def _get(o: RequestOptions) -> RequestSpec:
    return RequestSpec("getOrganization", "GET", "/organization", options=o)


def _update(params: UpdateOrganizationBody, o: RequestOptions) -> RequestSpec:
    return RequestSpec("updateOrganization", "PATCH", "/organization", body=params, options=o)


def _remove(o: RequestOptions) -> RequestSpec:
    return RequestSpec("deleteOrganization", "DELETE", "/organization", options=o)


def _transfer(params: TransferBody, o: RequestOptions) -> RequestSpec:
    return RequestSpec(
        "transferOwnership", "POST", "/organization/transfer-ownership", body=params, options=o
    )


def _oidc(
    operation_id: str,
    method: Literal["GET", "POST", "PATCH", "DELETE"],
    o: RequestOptions,
    body: object = None,
    created: bool = False,
) -> RequestSpec:
    return RequestSpec(
        operation_id,
        method,
        "/organization/oidc",
        body=body,
        options=o,
        ok_statuses=frozenset({201}) if created else frozenset({200}),
    )


class OidcConnection(SyncResource):
    """The organization's single sign-on connection (one at most)."""

    def create(self, params: CreateOidcBody, **options: Unpack[RequestOptions]) -> m.OidcConnection:
        """Checks the provider (discovery) and connects it; its secret is stored encrypted."""
        spec = _oidc("createOidcConnection", "POST", options, params, created=True)
        return self._client._request(spec, m.OidcConnection)

    def get(self, **options: Unpack[RequestOptions]) -> m.OidcConnection:
        """The connection, with the URL people sign in at (never its secret)."""
        return self._client._request(_oidc("getOidcConnection", "GET", options), m.OidcConnection)

    def update(self, params: UpdateOidcBody, **options: Unpack[RequestOptions]) -> m.OidcConnection:
        spec = _oidc("updateOidcConnection", "PATCH", options, params)
        return self._client._request(spec, m.OidcConnection)

    def remove(self, **options: Unpack[RequestOptions]) -> m.DeletedOidcConnection:
        spec = _oidc("deleteOidcConnection", "DELETE", options)
        return self._client._request(spec, m.DeletedOidcConnection)


class Organization(SyncResource):
    oidc: OidcConnection

    def __init__(self, client: SyncAPIClient) -> None:
        super().__init__(client)
        self.oidc = OidcConnection(client)

    def get(self, **options: Unpack[RequestOptions]) -> m.Organization:
        return self._client._request(_get(options), m.Organization)

    def update(
        self, params: UpdateOrganizationBody, **options: Unpack[RequestOptions]
    ) -> m.Organization:
        """Name, default ``from``, default tracking, data retention (days; None: default)."""
        return self._client._request(_update(params, options), m.Organization)

    def remove(self, **options: Unpack[RequestOptions]) -> m.DeletedOrganization:
        """Deletes the organization (owners only): it stops at once, and its data is purged in
        the background."""
        return self._client._request(_remove(options), m.DeletedOrganization)

    def transfer_ownership(
        self, params: TransferBody, **options: Unpack[RequestOptions]
    ) -> m.Member:
        """Makes a member an owner, and the caller (an owner) an admin."""
        return self._client._request(_transfer(params, options), m.Member)


class AsyncOidcConnection(AsyncResource):
    async def create(
        self, params: CreateOidcBody, **options: Unpack[RequestOptions]
    ) -> m.OidcConnection:
        spec = _oidc("createOidcConnection", "POST", options, params, created=True)
        return await self._client._request(spec, m.OidcConnection)

    async def get(self, **options: Unpack[RequestOptions]) -> m.OidcConnection:
        spec = _oidc("getOidcConnection", "GET", options)
        return await self._client._request(spec, m.OidcConnection)

    async def update(
        self, params: UpdateOidcBody, **options: Unpack[RequestOptions]
    ) -> m.OidcConnection:
        spec = _oidc("updateOidcConnection", "PATCH", options, params)
        return await self._client._request(spec, m.OidcConnection)

    async def remove(self, **options: Unpack[RequestOptions]) -> m.DeletedOidcConnection:
        spec = _oidc("deleteOidcConnection", "DELETE", options)
        return await self._client._request(spec, m.DeletedOidcConnection)


class AsyncOrganization(AsyncResource):
    oidc: AsyncOidcConnection

    def __init__(self, client: AsyncAPIClient) -> None:
        super().__init__(client)
        self.oidc = AsyncOidcConnection(client)

    async def get(self, **options: Unpack[RequestOptions]) -> m.Organization:
        return await self._client._request(_get(options), m.Organization)

    async def update(
        self, params: UpdateOrganizationBody, **options: Unpack[RequestOptions]
    ) -> m.Organization:
        return await self._client._request(_update(params, options), m.Organization)

    async def remove(self, **options: Unpack[RequestOptions]) -> m.DeletedOrganization:
        return await self._client._request(_remove(options), m.DeletedOrganization)

    async def transfer_ownership(
        self, params: TransferBody, **options: Unpack[RequestOptions]
    ) -> m.Member:
        return await self._client._request(_transfer(params, options), m.Member)
