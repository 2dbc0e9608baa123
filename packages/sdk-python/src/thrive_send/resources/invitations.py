"""``client.invitations``: invitations to the session's organization, by email, and their
acceptance (which needs no session: it may create the invited person's account)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from typing_extensions import Unpack

from .. import _models as m
from .. import _params as p
from .._core import RequestOptions, RequestSpec, path
from .._pagination import DEFAULT_PAGE_SIZE, aiterate_pages, iterate_pages
from ._base import AsyncResource, SyncResource

AcceptBody = p.AcceptInvitationParams | m.AcceptInvitationRequest
CreateBody = p.CreateInvitationParams | m.CreateInvitationRequest


def _accept(params: AcceptBody, o: RequestOptions) -> RequestSpec:
    return RequestSpec("acceptInvitation", "POST", "/invitations/accept", body=params, options=o)


def _create(params: CreateBody, o: RequestOptions) -> RequestSpec:
    return RequestSpec(
        "createInvitation",
        "POST",
        "/invitations",
        body=params,
        options=o,
        ok_statuses=frozenset({201}),
    )


def _list(
    limit: int | None, after: str | None, before: str | None, o: RequestOptions
) -> RequestSpec:
    query = {"limit": limit, "after": after, "before": before}
    return RequestSpec("listInvitations", "GET", "/invitations", query=query, options=o)


def _remove(id: str, o: RequestOptions) -> RequestSpec:
    return RequestSpec("revokeInvitation", "DELETE", path("/invitations/{id}", id=id), options=o)


class Invitations(SyncResource):
    def accept(self, params: AcceptBody, **options: Unpack[RequestOptions]) -> m.Session:
        """Accepts an invitation from its emailed link: signed in, the invitation must be for
        the session's address; signed out, ``name`` and ``password`` make the account. The
        session in the organization is answered (and kept by a person's client)."""
        return self._client._request(_accept(params, options), m.Session)

    def create(self, params: CreateBody, **options: Unpack[RequestOptions]) -> m.Invitation:
        """Emails an invitation (replacing a pending one to the same address)."""
        return self._client._request(_create(params, options), m.Invitation)

    def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.InvitationList:
        """One page of the invitations still waiting for an answer, newest first."""
        return self._client._request(_list(limit, after, before, options), m.InvitationList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **options: Unpack[RequestOptions]
    ) -> Iterator[m.Invitation]:
        return iterate_pages(lambda after: self.list(limit=page_size, after=after, **options))

    def remove(self, id: str, **options: Unpack[RequestOptions]) -> m.DeletedInvitation:
        """Revokes a pending invitation: its link stops working."""
        return self._client._request(_remove(id, options), m.DeletedInvitation)


class AsyncInvitations(AsyncResource):
    async def accept(self, params: AcceptBody, **options: Unpack[RequestOptions]) -> m.Session:
        return await self._client._request(_accept(params, options), m.Session)

    async def create(self, params: CreateBody, **options: Unpack[RequestOptions]) -> m.Invitation:
        return await self._client._request(_create(params, options), m.Invitation)

    async def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.InvitationList:
        return await self._client._request(_list(limit, after, before, options), m.InvitationList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **options: Unpack[RequestOptions]
    ) -> AsyncIterator[m.Invitation]:
        return aiterate_pages(lambda after: self.list(limit=page_size, after=after, **options))

    async def remove(self, id: str, **options: Unpack[RequestOptions]) -> m.DeletedInvitation:
        return await self._client._request(_remove(id, options), m.DeletedInvitation)
