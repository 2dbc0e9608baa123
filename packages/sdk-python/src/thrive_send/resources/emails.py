"""``client.emails`` and ``client.batch``: send, read, reschedule, cancel."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Literal

from typing_extensions import Unpack

from .. import _models as m
from .. import _params as p
from .._core import RequestOptions, RequestSpec, new_idempotency_key, path
from .._pagination import DEFAULT_PAGE_SIZE, aiterate_pages, iterate_pages
from ._base import AsyncResource, SyncResource

BatchValidation = Literal["strict", "permissive"]


def _send(
    params: p.SendEmailParams | m.SendEmailRequest,
    idempotency_key: str | None,
    options: RequestOptions,
) -> RequestSpec:
    # One key per call, reused by every retry of it: a retried send is never sent twice.
    return RequestSpec(
        "sendEmail",
        "POST",
        "/emails",
        body=params,
        headers={"Idempotency-Key": idempotency_key or new_idempotency_key()},
        options=options,
    )


def _batch(
    emails: Sequence[p.SendEmailParams | m.SendEmailRequest],
    validation: BatchValidation | None,
    idempotency_key: str | None,
    options: RequestOptions,
) -> RequestSpec:
    headers = {"Idempotency-Key": idempotency_key or new_idempotency_key()}
    if validation is not None:
        headers["x-batch-validation"] = validation
    return RequestSpec(
        "sendEmailBatch",
        "POST",
        "/emails/batch",
        body=list(emails),
        headers=headers,
        options=options,
    )


def _list(
    limit: int | None, after: str | None, before: str | None, options: RequestOptions
) -> RequestSpec:
    query = {"limit": limit, "after": after, "before": before}
    return RequestSpec("listEmails", "GET", "/emails", query=query, options=options)


def _get(id: str, options: RequestOptions) -> RequestSpec:
    return RequestSpec("getEmail", "GET", path("/emails/{id}", id=id), options=options)


def _update(
    id: str, params: p.UpdateEmailParams | m.UpdateEmailRequest, options: RequestOptions
) -> RequestSpec:
    return RequestSpec(
        "updateEmail", "PATCH", path("/emails/{id}", id=id), body=params, options=options
    )


def _cancel(id: str, options: RequestOptions) -> RequestSpec:
    return RequestSpec("cancelEmail", "POST", path("/emails/{id}/cancel", id=id), options=options)


class Emails(SyncResource):
    def send(
        self,
        params: p.SendEmailParams | m.SendEmailRequest,
        *,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.SendEmailResponse:
        """Sends an email (POST /emails). Safe to retry: an Idempotency-Key is made for the
        call (or give yours) and reused by each retry."""
        return self._client._request(_send(params, idempotency_key, options), m.SendEmailResponse)

    def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.EmailList:
        """One page of emails, newest first (GET /emails)."""
        return self._client._request(_list(limit, after, before, options), m.EmailList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **options: Unpack[RequestOptions]
    ) -> Iterator[m.EmailListItem]:
        """Every email, newest first, fetching pages as the loop goes."""
        return iterate_pages(lambda after: self.list(limit=page_size, after=after, **options))

    def get(self, id: str, **options: Unpack[RequestOptions]) -> m.Email:
        """An email, its content and its latest event (GET /emails/{id})."""
        return self._client._request(_get(id, options), m.Email)

    def update(
        self,
        id: str,
        params: p.UpdateEmailParams | m.UpdateEmailRequest,
        **options: Unpack[RequestOptions],
    ) -> m.EmailRef:
        """Moves a scheduled email (PATCH /emails/{id})."""
        return self._client._request(_update(id, params, options), m.EmailRef)

    def cancel(self, id: str, **options: Unpack[RequestOptions]) -> m.EmailRef:
        """Cancels a scheduled or not yet sent email (POST /emails/{id}/cancel)."""
        return self._client._request(_cancel(id, options), m.EmailRef)


class Batch(SyncResource):
    def send(
        self,
        emails: Sequence[p.SendEmailParams | m.SendEmailRequest],
        *,
        validation: BatchValidation | None = None,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.BatchResponse:
        """Sends up to 100 emails in one request (POST /emails/batch). ``permissive``
        validation sends the valid ones and lists the others in ``errors``."""
        spec = _batch(emails, validation, idempotency_key, options)
        return self._client._request(spec, m.BatchResponse)


class AsyncEmails(AsyncResource):
    async def send(
        self,
        params: p.SendEmailParams | m.SendEmailRequest,
        *,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.SendEmailResponse:
        spec = _send(params, idempotency_key, options)
        return await self._client._request(spec, m.SendEmailResponse)

    async def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.EmailList:
        return await self._client._request(_list(limit, after, before, options), m.EmailList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **options: Unpack[RequestOptions]
    ) -> AsyncIterator[m.EmailListItem]:
        return aiterate_pages(lambda after: self.list(limit=page_size, after=after, **options))

    async def get(self, id: str, **options: Unpack[RequestOptions]) -> m.Email:
        return await self._client._request(_get(id, options), m.Email)

    async def update(
        self,
        id: str,
        params: p.UpdateEmailParams | m.UpdateEmailRequest,
        **options: Unpack[RequestOptions],
    ) -> m.EmailRef:
        return await self._client._request(_update(id, params, options), m.EmailRef)

    async def cancel(self, id: str, **options: Unpack[RequestOptions]) -> m.EmailRef:
        return await self._client._request(_cancel(id, options), m.EmailRef)


class AsyncBatch(AsyncResource):
    async def send(
        self,
        emails: Sequence[p.SendEmailParams | m.SendEmailRequest],
        *,
        validation: BatchValidation | None = None,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.BatchResponse:
        spec = _batch(emails, validation, idempotency_key, options)
        return await self._client._request(spec, m.BatchResponse)
