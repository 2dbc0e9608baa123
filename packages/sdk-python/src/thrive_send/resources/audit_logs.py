"""``client.audit_logs``: what happened in the organization and who did it (API keys, people,
the system), to list, iterate and export. Needs ``audit:read`` (full-access keys, owners and
admins)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing, closing
from datetime import datetime
from pathlib import Path
from typing import Literal

from typing_extensions import Unpack

from .. import _models as m
from .._core import QueryValue, RequestOptions, RequestSpec
from .._pagination import DEFAULT_PAGE_SIZE, aiterate_pages, iterate_pages
from ._base import AsyncResource, SyncResource
from ._export import aexport_lines, awrite_export, export_lines, write_export
from .events import split_options

ExportFormat = Literal["ndjson", "csv"]


class AuditLogQuery(RequestOptions, total=False):
    """The filters of GET /audit-logs and its export, with the per-call request options."""

    action: str
    """One action (``api_key.created``), or every action of a kind (``api_key.*``)."""
    actor_type: Literal["api_key", "user", "system"]
    actor_id: str
    """Only what this API key or user did."""
    target_type: str
    """Only entries about objects of this type (``domain``)."""
    target_id: str
    created_after: datetime | str
    """Entries recorded at or after this time (a datetime, or ISO 8601)."""
    created_before: datetime | str


def _split(query: AuditLogQuery) -> tuple[dict[str, QueryValue], RequestOptions]:
    filters: dict[str, QueryValue] = {
        "action": query.get("action"),
        "actor_type": query.get("actor_type"),
        "actor_id": query.get("actor_id"),
        "target_type": query.get("target_type"),
        "target_id": query.get("target_id"),
        "created_after": query.get("created_after"),
        "created_before": query.get("created_before"),
    }
    return filters, split_options(query)


def _list(
    limit: int | None, after: str | None, before: str | None, query: AuditLogQuery
) -> RequestSpec:
    filters, options = _split(query)
    params = {"limit": limit, "after": after, "before": before, **filters}
    return RequestSpec("listAuditLogs", "GET", "/audit-logs", query=params, options=options)


def _export(format: ExportFormat, query: AuditLogQuery) -> RequestSpec:
    filters, options = _split(query)
    return RequestSpec(
        "exportAuditLogs",
        "GET",
        "/audit-logs/export",
        query={"format": format, **filters},
        headers={"Accept": "text/csv" if format == "csv" else "application/x-ndjson"},
        options=options,
    )


def _target(path: str | os.PathLike[str] | None, format: ExportFormat) -> Path:
    # The file name the API gives the export (its Content-Disposition).
    return Path(path) if path is not None else Path(f"audit-logs.{format}")


class AuditLogs(SyncResource):
    def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **query: Unpack[AuditLogQuery],
    ) -> m.AuditLogList:
        """One page of entries, newest first (GET /audit-logs), filtered by ``action``,
        ``actor_type``, ``actor_id``, ``target_type``, ``target_id``, ``created_after``,
        ``created_before``."""
        return self._client._request(_list(limit, after, before, query), m.AuditLogList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **query: Unpack[AuditLogQuery]
    ) -> Iterator[m.AuditLog]:
        """Every matching entry, newest first, a page at a time as the loop goes."""
        return iterate_pages(
            lambda after: self._client._request(
                _list(page_size, after, None, query), m.AuditLogList
            )
        )

    def export(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        format: ExportFormat = "ndjson",
        **query: Unpack[AuditLogQuery],
    ) -> Path:
        """Streams every matching entry, oldest first, into a file (GET /audit-logs/export;
        ``audit-logs.<format>`` in the current folder when no ``path`` is given), in constant
        memory. The file appears only once complete; a cut-short export raises
        ``APIConnectionError`` and leaves nothing."""
        return write_export(self._client, _export(format, query), _target(path, format))

    def iter_export(self, **query: Unpack[AuditLogQuery]) -> Iterator[m.AuditLog]:
        """Every matching entry, oldest first, read from one export stream as the loop goes."""
        with closing(export_lines(self._client, _export("ndjson", query))) as lines:
            for line in lines:
                yield m.AuditLog.model_validate_json(line)


class AsyncAuditLogs(AsyncResource):
    async def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **query: Unpack[AuditLogQuery],
    ) -> m.AuditLogList:
        return await self._client._request(_list(limit, after, before, query), m.AuditLogList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **query: Unpack[AuditLogQuery]
    ) -> AsyncIterator[m.AuditLog]:
        return aiterate_pages(
            lambda after: self._client._request(
                _list(page_size, after, None, query), m.AuditLogList
            )
        )

    async def export(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        format: ExportFormat = "ndjson",
        **query: Unpack[AuditLogQuery],
    ) -> Path:
        return await awrite_export(self._client, _export(format, query), _target(path, format))

    async def iter_export(self, **query: Unpack[AuditLogQuery]) -> AsyncIterator[m.AuditLog]:
        async with aclosing(aexport_lines(self._client, _export("ndjson", query))) as lines:
            async for line in lines:
                yield m.AuditLog.model_validate_json(line)
