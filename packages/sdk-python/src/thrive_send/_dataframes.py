"""Events as DataFrames, built from the NDJSON export in chunks (pandas and polars are
optional: ``pip install 'thrive-send[pandas]'`` or ``'thrive-send[polars]'``)."""

from __future__ import annotations

import importlib
import json
from collections.abc import AsyncIterable, Iterable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas
    import polars

# The export's CSV columns, in its order: one row per event.
COLUMNS = (
    "id",
    "type",
    "created_at",
    "email_id",
    "message_id",
    "from",
    "to",
    "subject",
    "tags",
    "recipients",
    "details",
)
# What every email event's data has; the rest (bounce, click, ...) goes to `details`.
_COMMON_DATA = {
    "created_at",
    "email_id",
    "message_id",
    "from",
    "to",
    "subject",
    "tags",
    "recipients",
}
CHUNK_ROWS = 10_000


def require(module: str, extra: str) -> ModuleType:
    """Imports an optional dependency, or says which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(
            f"{module} is needed for this: pip install 'thrive-send[{extra}]'"
            f" (or pip install {module})"
        ) from error


def event_row(line: str | bytes) -> dict[str, Any]:
    """One NDJSON line of the export as a flat row."""
    event = json.loads(line)
    data: dict[str, Any] = event.get("data") or {}
    return {
        "id": event["id"],
        "type": event["type"],
        "created_at": event["created_at"],
        "email_id": event.get("email_id"),
        "message_id": data.get("message_id"),
        "from": data.get("from"),
        "to": data.get("to") or [],
        "subject": data.get("subject"),
        "tags": data.get("tags") or {},
        "recipients": data.get("recipients"),
        "details": {k: v for k, v in data.items() if k not in _COMMON_DATA},
    }


def chunks(lines: Iterable[str]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for line in lines:
        if line.strip():
            chunk.append(event_row(line))
            if len(chunk) >= CHUNK_ROWS:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


async def achunks(lines: AsyncIterable[str]) -> list[list[dict[str, Any]]]:
    collected: list[list[dict[str, Any]]] = []
    chunk: list[dict[str, Any]] = []
    async for line in lines:
        if line.strip():
            chunk.append(event_row(line))
            if len(chunk) >= CHUNK_ROWS:
                collected.append(chunk)
                chunk = []
    if chunk:
        collected.append(chunk)
    return collected


def pandas_frame(row_chunks: Iterable[list[dict[str, Any]]]) -> pandas.DataFrame:
    """``created_at`` as UTC timestamps; ``to``/``recipients`` lists, ``tags``/``details`` dicts."""
    pd = require("pandas", "pandas")
    frames = [pd.DataFrame.from_records(chunk, columns=list(COLUMNS)) for chunk in row_chunks]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(COLUMNS))
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True, format="ISO8601")
    result: pandas.DataFrame = frame
    return result


def polars_frame(row_chunks: Iterable[list[dict[str, Any]]]) -> polars.DataFrame:
    """A fixed schema whatever the rows: ``tags`` and ``details`` as JSON text (their keys vary
    from row to row), ``to``/``recipients`` as lists of strings."""
    pl = require("polars", "polars")
    schema = {
        "id": pl.Utf8,
        "type": pl.Utf8,
        "created_at": pl.Utf8,
        "email_id": pl.Utf8,
        "message_id": pl.Utf8,
        "from": pl.Utf8,
        "to": pl.List(pl.Utf8),
        "subject": pl.Utf8,
        "tags": pl.Utf8,
        "recipients": pl.List(pl.Utf8),
        "details": pl.Utf8,
    }
    frames = [
        pl.DataFrame(
            [
                {**row, "tags": json.dumps(row["tags"]), "details": json.dumps(row["details"])}
                for row in chunk
            ],
            schema=schema,
        )
        for chunk in row_chunks
    ]
    frame = pl.concat(frames) if frames else pl.DataFrame(schema=schema)
    result: polars.DataFrame = frame.with_columns(
        pl.col("created_at").str.to_datetime(time_zone="UTC", time_unit="us")
    )
    return result
