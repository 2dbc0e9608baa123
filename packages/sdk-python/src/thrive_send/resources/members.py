"""``client.members``: the people of the session's organization. People only: an API key gets
``restricted_api_key``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from typing_extensions import Unpack

from .. import _models as m
from .. import _params as p
from .._core import RequestOptions, RequestSpec, path
from .._pagination import DEFAULT_PAGE_SIZE, aiterate_pages, iterate_pages
from ._base import AsyncResource, SyncResource

UpdateMemberBody = p.UpdateMemberParams | m.UpdateMemberRequest


def _list(
    limit: int | None, after: str | None, before: str | None, o: RequestOptions
) -> RequestSpec:
    query = {"limit": limit, "after": after, "before": before}
    return RequestSpec("listMembers", "GET", "/members", query=query, options=o)


def _leave(o: RequestOptions) -> RequestSpec:
    return RequestSpec("leaveOrganization", "POST", "/members/leave", options=o)


def _update(id: str, params: UpdateMemberBody, o: RequestOptions) -> RequestSpec:
    url = path("/members/{id}", id=id)
    return RequestSpec("updateMember", "PATCH", url, body=params, options=o)


def _remove(id: str, o: RequestOptions) -> RequestSpec:
    return RequestSpec("removeMember", "DELETE", path("/members/{id}", id=id), options=o)


class Members(SyncResource):
    def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.MemberList:
        """One page of the members (GET /members)."""
        return self._client._request(_list(limit, after, before, options), m.MemberList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **options: Unpack[RequestOptions]
    ) -> Iterator[m.Member]:
        return iterate_pages(lambda after: self.list(limit=page_size, after=after, **options))

    def leave(self, **options: Unpack[RequestOptions]) -> m.DeletedMember:
        """The caller leaves the organization (its last owner cannot: hand it over first)."""
        return self._client._request(_leave(options), m.DeletedMember)

    def update(
        self, id: str, params: UpdateMemberBody, **options: Unpack[RequestOptions]
    ) -> m.Member:
        """Changes a member's role; only owners make or unmake owners."""
        return self._client._request(_update(id, params, options), m.Member)

    def remove(self, id: str, **options: Unpack[RequestOptions]) -> m.DeletedMember:
        """Removes a member; their sessions lose the organization at once."""
        return self._client._request(_remove(id, options), m.DeletedMember)


class AsyncMembers(AsyncResource):
    async def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.MemberList:
        return await self._client._request(_list(limit, after, before, options), m.MemberList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **options: Unpack[RequestOptions]
    ) -> AsyncIterator[m.Member]:
        return aiterate_pages(lambda after: self.list(limit=page_size, after=after, **options))

    async def leave(self, **options: Unpack[RequestOptions]) -> m.DeletedMember:
        return await self._client._request(_leave(options), m.DeletedMember)

    async def update(
        self, id: str, params: UpdateMemberBody, **options: Unpack[RequestOptions]
    ) -> m.Member:
        return await self._client._request(_update(id, params, options), m.Member)

    async def remove(self, id: str, **options: Unpack[RequestOptions]) -> m.DeletedMember:
        return await self._client._request(_remove(id, options), m.DeletedMember)
