"""Writing an export (GET /events/export, GET /audit-logs/export) to a file as it streams:
the file appears only once complete (it is written as ``<path>.part`` first), and a response
cut short raises ``APIConnectionError`` and leaves nothing."""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator, Generator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from .._core import RequestSpec
from .._errors import APIConnectionError

if TYPE_CHECKING:
    from .._base_client import AsyncAPIClient, SyncAPIClient


def cut_short(error: httpx.TransportError) -> APIConnectionError:
    # The body is chunked: a connection closed before its last chunk is an incomplete export.
    return APIConnectionError(
        f"The export was cut short ({error!r}); export again from the last created_at received"
    )


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def write_export(client: SyncAPIClient, spec: RequestSpec, target: Path) -> Path:
    partial = _partial(target)
    with client._stream(spec) as response:
        try:
            with partial.open("wb") as file:
                for chunk in response.iter_bytes():
                    file.write(chunk)
        except httpx.TransportError as error:
            partial.unlink(missing_ok=True)
            raise cut_short(error) from error
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, target)
    return target


async def awrite_export(client: AsyncAPIClient, spec: RequestSpec, target: Path) -> Path:
    partial = _partial(target)
    async with client._stream(spec) as response:
        try:
            # Blocking writes of one chunk each: short next to the network reads.
            with partial.open("wb") as file:
                async for chunk in response.aiter_bytes():
                    file.write(chunk)
        except httpx.TransportError as error:
            partial.unlink(missing_ok=True)
            raise cut_short(error) from error
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, target)
    return target


def export_lines(client: SyncAPIClient, spec: RequestSpec) -> Generator[str, None, None]:
    """The export's non-empty lines, as they arrive."""
    with client._stream(spec) as response:
        try:
            for line in response.iter_lines():
                if line:
                    yield line
        except httpx.TransportError as error:
            raise cut_short(error) from error


async def aexport_lines(client: AsyncAPIClient, spec: RequestSpec) -> AsyncGenerator[str, None]:
    async with client._stream(spec) as response:
        try:
            async for line in response.aiter_lines():
                if line:
                    yield line
        except httpx.TransportError as error:
            raise cut_short(error) from error
