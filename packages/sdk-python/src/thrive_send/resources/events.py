"""``client.events``: email events to list, iterate, export (to a file or a DataFrame) and
follow live."""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator, Sequence
from contextlib import aclosing, closing
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import httpx
from typing_extensions import Unpack

from .. import _dataframes as frames
from .. import _models as m
from .._core import QueryValue, RequestOptions, RequestSpec
from .._errors import APIConnectionError
from .._pagination import DEFAULT_PAGE_SIZE, aiterate_pages, iterate_pages
from .._stream import AsyncEventStream, EventStream
from ._base import AsyncResource, SyncResource

if TYPE_CHECKING:
    import pandas
    import polars

ExportFormat = Literal["ndjson", "csv"]
Time = datetime | str


def _filters(
    type: str | Sequence[str] | None,
    email_id: str | None,
    tag: str | None,
    domain_id: str | None,
    created_after: Time | None,
    created_before: Time | None,
) -> dict[str, QueryValue]:
    return {
        "type": [type] if isinstance(type, str) else type,
        "email_id": email_id,
        "tag": tag,
        "domain_id": domain_id,
        "created_after": created_after,
        "created_before": created_before,
    }


def _list(
    limit: int | None,
    after: str | None,
    before: str | None,
    filters: dict[str, QueryValue],
    o: RequestOptions,
) -> RequestSpec:
    query = {"limit": limit, "after": after, "before": before, **filters}
    return RequestSpec("listEvents", "GET", "/events", query=query, options=o)


def _export(format: ExportFormat, filters: dict[str, QueryValue], o: RequestOptions) -> RequestSpec:
    accept = "text/csv" if format == "csv" else "application/x-ndjson"
    return RequestSpec(
        "exportEvents",
        "GET",
        "/events/export",
        query={"format": format, **filters},
        headers={"Accept": accept},
        options=o,
    )


def _cut_short(error: httpx.TransportError) -> APIConnectionError:
    # The body is chunked: a connection closed before its last chunk is an incomplete export.
    return APIConnectionError(
        f"The export was cut short ({error!r}); export again from the last created_at received"
    )


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".part")


class Events(SyncResource):
    def list(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
        type: str | Sequence[str] | None = None,
        email_id: str | None = None,
        tag: str | None = None,
        domain_id: str | None = None,
        created_after: Time | None = None,
        created_before: Time | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.EventList:
        """One page of email events, newest first (GET /events). ``type`` takes one type or
        several; ``tag`` is ``name:value``; times are datetimes or ISO 8601."""
        filters = _filters(type, email_id, tag, domain_id, created_after, created_before)
        return self._client._request(_list(limit, after, before, filters, options), m.EventList)

    def iterate(
        self,
        *,
        type: str | Sequence[str] | None = None,
        email_id: str | None = None,
        tag: str | None = None,
        domain_id: str | None = None,
        created_after: Time | None = None,
        created_before: Time | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> Iterator[m.Event]:
        """Every matching event, newest first, a page at a time as the loop goes."""
        filters = _filters(type, email_id, tag, domain_id, created_after, created_before)
        return iterate_pages(
            lambda after: self._client._request(
                _list(page_size, after, None, filters, options), m.EventList
            )
        )

    def export(
        self,
        path: str | os.PathLike[str],
        *,
        format: ExportFormat = "ndjson",
        type: str | Sequence[str] | None = None,
        email_id: str | None = None,
        tag: str | None = None,
        domain_id: str | None = None,
        created_after: Time | None = None,
        created_before: Time | None = None,
        **options: Unpack[RequestOptions],
    ) -> Path:
        """Streams every matching event, oldest first, into a file (GET /events/export), in
        constant memory. The file appears only once complete (it is written as ``<path>.part``
        first); a cut-short export raises ``APIConnectionError`` and leaves nothing."""
        filters = _filters(type, email_id, tag, domain_id, created_after, created_before)
        target = Path(path)
        partial = _partial(target)
        with self._client._stream(_export(format, filters, options)) as response:
            try:
                with partial.open("wb") as file:
                    for chunk in response.iter_bytes():
                        file.write(chunk)
            except httpx.TransportError as error:
                partial.unlink(missing_ok=True)
                raise _cut_short(error) from error
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
        os.replace(partial, target)
        return target

    def iter_export(
        self,
        *,
        type: str | Sequence[str] | None = None,
        email_id: str | None = None,
        tag: str | None = None,
        domain_id: str | None = None,
        created_after: Time | None = None,
        created_before: Time | None = None,
        **options: Unpack[RequestOptions],
    ) -> Iterator[m.Event]:
        """Every matching event, oldest first, read from one export stream as the loop goes."""
        filters = _filters(type, email_id, tag, domain_id, created_after, created_before)
        with closing(self._export_lines(filters, options)) as lines:
            for line in lines:
                yield m.Event.model_validate_json(line)

    def _export_lines(
        self, filters: dict[str, QueryValue], options: RequestOptions
    ) -> Generator[str, None, None]:
        with self._client._stream(_export("ndjson", filters, options)) as response:
            try:
                for line in response.iter_lines():
                    if line:
                        yield line
            except httpx.TransportError as error:
                raise _cut_short(error) from error

    def to_pandas(
        self,
        *,
        type: str | Sequence[str] | None = None,
        email_id: str | None = None,
        tag: str | None = None,
        domain_id: str | None = None,
        created_after: Time | None = None,
        created_before: Time | None = None,
        **options: Unpack[RequestOptions],
    ) -> pandas.DataFrame:
        """The matching events as a pandas DataFrame, oldest first, one row per event with the
        export's CSV columns (needs ``thrive-send[pandas]``)."""
        frames.require("pandas", "pandas")
        filters = _filters(type, email_id, tag, domain_id, created_after, created_before)
        return frames.pandas_frame(frames.chunks(self._export_lines(filters, options)))

    def to_polars(
        self,
        *,
        type: str | Sequence[str] | None = None,
        email_id: str | None = None,
        tag: str | None = None,
        domain_id: str | None = None,
        created_after: Time | None = None,
        created_before: Time | None = None,
        **options: Unpack[RequestOptions],
    ) -> polars.DataFrame:
        """The matching events as a polars DataFrame (needs ``thrive-send[polars]``)."""
        frames.require("polars", "polars")
        filters = _filters(type, email_id, tag, domain_id, created_after, created_before)
        return frames.polars_frame(frames.chunks(self._export_lines(filters, options)))

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
        type: str | Sequence[str] | None = None,
        email_id: str | None = None,
        tag: str | None = None,
        domain_id: str | None = None,
        created_after: Time | None = None,
        created_before: Time | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.EventList:
        filters = _filters(type, email_id, tag, domain_id, created_after, created_before)
        spec = _list(limit, after, before, filters, options)
        return await self._client._request(spec, m.EventList)

    def iterate(
        self,
        *,
        type: str | Sequence[str] | None = None,
        email_id: str | None = None,
        tag: str | None = None,
        domain_id: str | None = None,
        created_after: Time | None = None,
        created_before: Time | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.Event]:
        filters = _filters(type, email_id, tag, domain_id, created_after, created_before)
        return aiterate_pages(
            lambda after: self._client._request(
                _list(page_size, after, None, filters, options), m.EventList
            )
        )

    async def export(
        self,
        path: str | os.PathLike[str],
        *,
        format: ExportFormat = "ndjson",
        type: str | Sequence[str] | None = None,
        email_id: str | None = None,
        tag: str | None = None,
        domain_id: str | None = None,
        created_after: Time | None = None,
        created_before: Time | None = None,
        **options: Unpack[RequestOptions],
    ) -> Path:
        filters = _filters(type, email_id, tag, domain_id, created_after, created_before)
        target = Path(path)
        partial = _partial(target)
        async with self._client._stream(_export(format, filters, options)) as response:
            try:
                # Blocking writes of one chunk each: short next to the network reads.
                with partial.open("wb") as file:
                    async for chunk in response.aiter_bytes():
                        file.write(chunk)
            except httpx.TransportError as error:
                partial.unlink(missing_ok=True)
                raise _cut_short(error) from error
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
        os.replace(partial, target)
        return target

    async def iter_export(
        self,
        *,
        type: str | Sequence[str] | None = None,
        email_id: str | None = None,
        tag: str | None = None,
        domain_id: str | None = None,
        created_after: Time | None = None,
        created_before: Time | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.Event]:
        filters = _filters(type, email_id, tag, domain_id, created_after, created_before)
        async with aclosing(self._export_lines(filters, options)) as lines:
            async for line in lines:
                yield m.Event.model_validate_json(line)

    async def _export_lines(
        self, filters: dict[str, QueryValue], options: RequestOptions
    ) -> AsyncGenerator[str, None]:
        async with self._client._stream(_export("ndjson", filters, options)) as response:
            try:
                async for line in response.aiter_lines():
                    if line:
                        yield line
            except httpx.TransportError as error:
                raise _cut_short(error) from error

    async def to_pandas(
        self,
        *,
        type: str | Sequence[str] | None = None,
        email_id: str | None = None,
        tag: str | None = None,
        domain_id: str | None = None,
        created_after: Time | None = None,
        created_before: Time | None = None,
        **options: Unpack[RequestOptions],
    ) -> pandas.DataFrame:
        frames.require("pandas", "pandas")
        filters = _filters(type, email_id, tag, domain_id, created_after, created_before)
        return frames.pandas_frame(await frames.achunks(self._export_lines(filters, options)))

    async def to_polars(
        self,
        *,
        type: str | Sequence[str] | None = None,
        email_id: str | None = None,
        tag: str | None = None,
        domain_id: str | None = None,
        created_after: Time | None = None,
        created_before: Time | None = None,
        **options: Unpack[RequestOptions],
    ) -> polars.DataFrame:
        frames.require("polars", "polars")
        filters = _filters(type, email_id, tag, domain_id, created_after, created_before)
        return frames.polars_frame(await frames.achunks(self._export_lines(filters, options)))

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
