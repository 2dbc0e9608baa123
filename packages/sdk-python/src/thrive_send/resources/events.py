"""``client.events``: email events to list, iterate, export (to a file or a DataFrame) and
follow live."""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator, Sequence
from contextlib import aclosing, closing
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from typing_extensions import Unpack

from .. import _dataframes as frames
from .. import _models as m
from .._core import QueryValue, RequestOptions, RequestSpec
from .._pagination import DEFAULT_PAGE_SIZE, aiterate_pages, iterate_pages
from .._stream import AsyncEventStream, EventStream
from ._base import AsyncResource, SyncResource
from ._export import aexport_lines, awrite_export, export_lines, write_export

if TYPE_CHECKING:
    import pandas
    import polars

ExportFormat = Literal["ndjson", "csv"]


class EventQuery(RequestOptions, total=False):
    """The filters of GET /events and its export, with the per-call request options."""

    type: str | Sequence[str]
    """One event type or several (``email.bounced``, ...)."""
    email_id: str
    tag: str
    """``name:value``."""
    domain_id: str
    created_after: datetime | str
    """Events recorded at or after this time (a datetime, or ISO 8601)."""
    created_before: datetime | str


def split_options(query: RequestOptions) -> RequestOptions:
    """The per-call request options among a method's keyword arguments."""
    options = RequestOptions()
    if "timeout" in query:
        options["timeout"] = query["timeout"]
    if "max_retries" in query:
        options["max_retries"] = query["max_retries"]
    if "extra_headers" in query:
        options["extra_headers"] = query["extra_headers"]
    return options


def _split(query: EventQuery) -> tuple[dict[str, QueryValue], RequestOptions]:
    kind = query.get("type")
    filters: dict[str, QueryValue] = {
        "type": [kind] if isinstance(kind, str) else kind,
        "email_id": query.get("email_id"),
        "tag": query.get("tag"),
        "domain_id": query.get("domain_id"),
        "created_after": query.get("created_after"),
        "created_before": query.get("created_before"),
    }
    return filters, split_options(query)


def _list(
    limit: int | None, after: str | None, before: str | None, query: EventQuery
) -> RequestSpec:
    filters, options = _split(query)
    params = {"limit": limit, "after": after, "before": before, **filters}
    return RequestSpec("listEvents", "GET", "/events", query=params, options=options)


def _export(format: ExportFormat, query: EventQuery) -> RequestSpec:
    filters, options = _split(query)
    accept = "text/csv" if format == "csv" else "application/x-ndjson"
    return RequestSpec(
        "exportEvents",
        "GET",
        "/events/export",
        query={"format": format, **filters},
        headers={"Accept": accept},
        options=options,
    )


class Events(SyncResource):
    def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **query: Unpack[EventQuery],
    ) -> m.EventList:
        """One page of email events, newest first (GET /events), filtered by ``type``,
        ``email_id``, ``tag``, ``domain_id``, ``created_after``, ``created_before``."""
        return self._client._request(_list(limit, after, before, query), m.EventList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **query: Unpack[EventQuery]
    ) -> Iterator[m.Event]:
        """Every matching event, newest first, a page at a time as the loop goes."""
        return iterate_pages(
            lambda after: self._client._request(_list(page_size, after, None, query), m.EventList)
        )

    def export(
        self,
        path: str | os.PathLike[str],
        *,
        format: ExportFormat = "ndjson",
        **query: Unpack[EventQuery],
    ) -> Path:
        """Streams every matching event, oldest first, into a file (GET /events/export), in
        constant memory. The file appears only once complete (it is written as ``<path>.part``
        first); a cut-short export raises ``APIConnectionError`` and leaves nothing."""
        return write_export(self._client, _export(format, query), Path(path))

    def iter_export(self, **query: Unpack[EventQuery]) -> Iterator[m.Event]:
        """Every matching event, oldest first, read from one export stream as the loop goes."""
        with closing(self._export_lines(query)) as lines:
            for line in lines:
                yield m.Event.model_validate_json(line)

    def _export_lines(self, query: EventQuery) -> Generator[str, None, None]:
        return export_lines(self._client, _export("ndjson", query))

    def to_pandas(self, **query: Unpack[EventQuery]) -> pandas.DataFrame:
        """The matching events as a pandas DataFrame, oldest first, one row per event with the
        export's CSV columns (needs ``thrive-send[pandas]``)."""
        frames.require("pandas", "pandas")
        return frames.pandas_frame(frames.chunks(self._export_lines(query)))

    def to_polars(self, **query: Unpack[EventQuery]) -> polars.DataFrame:
        """The matching events as a polars DataFrame (needs ``thrive-send[polars]``)."""
        frames.require("polars", "polars")
        return frames.polars_frame(frames.chunks(self._export_lines(query)))

    def stream(
        self,
        *,
        after: str | None = None,
        last_event_id: str | None = None,
        reconnect: bool = True,
    ) -> EventStream:
        """Events as they are recorded (GET /events/stream), email and organization events
        alike. ``last_event_id`` (or ``after``) first sends what came after that event."""
        return EventStream(
            self._client, after=after, last_event_id=last_event_id, reconnect=reconnect
        )


class AsyncEvents(AsyncResource):
    async def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        **query: Unpack[EventQuery],
    ) -> m.EventList:
        return await self._client._request(_list(limit, after, before, query), m.EventList)

    def iterate(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **query: Unpack[EventQuery]
    ) -> AsyncIterator[m.Event]:
        return aiterate_pages(
            lambda after: self._client._request(_list(page_size, after, None, query), m.EventList)
        )

    async def export(
        self,
        path: str | os.PathLike[str],
        *,
        format: ExportFormat = "ndjson",
        **query: Unpack[EventQuery],
    ) -> Path:
        return await awrite_export(self._client, _export(format, query), Path(path))

    async def iter_export(self, **query: Unpack[EventQuery]) -> AsyncIterator[m.Event]:
        async with aclosing(self._export_lines(query)) as lines:
            async for line in lines:
                yield m.Event.model_validate_json(line)

    def _export_lines(self, query: EventQuery) -> AsyncGenerator[str, None]:
        return aexport_lines(self._client, _export("ndjson", query))

    async def to_pandas(self, **query: Unpack[EventQuery]) -> pandas.DataFrame:
        frames.require("pandas", "pandas")
        return frames.pandas_frame(await frames.achunks(self._export_lines(query)))

    async def to_polars(self, **query: Unpack[EventQuery]) -> polars.DataFrame:
        frames.require("polars", "polars")
        return frames.polars_frame(await frames.achunks(self._export_lines(query)))

    def stream(
        self,
        *,
        after: str | None = None,
        last_event_id: str | None = None,
        reconnect: bool = True,
    ) -> AsyncEventStream:
        return AsyncEventStream(
            self._client, after=after, last_event_id=last_event_id, reconnect=reconnect
        )
