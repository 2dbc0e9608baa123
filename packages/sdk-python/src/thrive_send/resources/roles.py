"""``client.roles``: the roles members can have, the built-in ones and the organization's own
(custom roles: permission sets that may extend another role). People only: an API key gets
``restricted_api_key``; reading needs ``members:read``, changes ``members:manage``."""

from __future__ import annotations

from typing_extensions import Unpack

from .. import _models as m
from .. import _params as p
from .._core import RequestOptions, RequestSpec, path
from ._base import AsyncResource, SyncResource

CreateRoleBody = p.CreateRoleParams | m.CreateRoleRequest
UpdateRoleBody = p.UpdateRoleParams | m.UpdateRoleRequest


def _list(o: RequestOptions) -> RequestSpec:
    return RequestSpec("listRoles", "GET", "/roles", options=o)


def _create(params: CreateRoleBody, o: RequestOptions) -> RequestSpec:
    return RequestSpec(
        "createRole", "POST", "/roles", body=params, options=o, ok_statuses=frozenset({201})
    )


def _get(id_or_name: str, o: RequestOptions) -> RequestSpec:
    return RequestSpec("getRole", "GET", path("/roles/{id}", id=id_or_name), options=o)


def _update(id_or_name: str, params: UpdateRoleBody, o: RequestOptions) -> RequestSpec:
    url = path("/roles/{id}", id=id_or_name)
    return RequestSpec("updateRole", "PATCH", url, body=params, options=o)


def _remove(id_or_name: str, o: RequestOptions) -> RequestSpec:
    return RequestSpec("deleteRole", "DELETE", path("/roles/{id}", id=id_or_name), options=o)


class Roles(SyncResource):
    def list(self, **options: Unpack[RequestOptions]) -> m.RoleList:
        """Every role, the built-in ones first, with their resolved permissions (not paginated:
        an organization has at most 100 of its own)."""
        return self._client._request(_list(options), m.RoleList)

    def create(self, params: CreateRoleBody, **options: Unpack[RequestOptions]) -> m.Role:
        """A custom role: ``name``, ``permissions`` of its own and the role it ``extends``.
        Nobody creates a role granting more than they hold (``forbidden``)."""
        return self._client._request(_create(params, options), m.Role)

    def get(self, id_or_name: str, **options: Unpack[RequestOptions]) -> m.Role:
        """A custom role by id or name, or a built-in role by name."""
        return self._client._request(_get(id_or_name, options), m.Role)

    def update(
        self, id_or_name: str, params: UpdateRoleBody, **options: Unpack[RequestOptions]
    ) -> m.Role:
        """Changes a custom role (a new name carries its members and invitations along);
        members whose rights change get a new session."""
        return self._client._request(_update(id_or_name, params, options), m.Role)

    def remove(self, id_or_name: str, **options: Unpack[RequestOptions]) -> m.DeletedRole:
        """Deletes a custom role nobody uses: while members have it, an invitation offers it or
        another role extends it, the answer is ``invalid_state`` (409)."""
        return self._client._request(_remove(id_or_name, options), m.DeletedRole)


class AsyncRoles(AsyncResource):
    async def list(self, **options: Unpack[RequestOptions]) -> m.RoleList:
        return await self._client._request(_list(options), m.RoleList)

    async def create(self, params: CreateRoleBody, **options: Unpack[RequestOptions]) -> m.Role:
        return await self._client._request(_create(params, options), m.Role)

    async def get(self, id_or_name: str, **options: Unpack[RequestOptions]) -> m.Role:
        return await self._client._request(_get(id_or_name, options), m.Role)

    async def update(
        self, id_or_name: str, params: UpdateRoleBody, **options: Unpack[RequestOptions]
    ) -> m.Role:
        return await self._client._request(_update(id_or_name, params, options), m.Role)

    async def remove(self, id_or_name: str, **options: Unpack[RequestOptions]) -> m.DeletedRole:
        return await self._client._request(_remove(id_or_name, options), m.DeletedRole)
