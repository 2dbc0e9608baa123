"""Auto-pagination: follow ``has_more`` with ``after=<last id>`` until the end, lazily."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Protocol, TypeVar

DEFAULT_PAGE_SIZE = 100


class Identified(Protocol):
    @property
    def id(self) -> str: ...


ItemT = TypeVar("ItemT", bound=Identified)
ItemT_co = TypeVar("ItemT_co", bound=Identified, covariant=True)


class Page(Protocol[ItemT_co]):
    """What every list answers: ``{"object": "list", "data": [...], "has_more": bool}``."""

    @property
    def data(self) -> Sequence[ItemT_co]: ...

    @property
    def has_more(self) -> bool: ...


def iterate_pages(fetch: Callable[[str | None], Page[ItemT]]) -> Iterator[ItemT]:
    """Every item of every page; ``fetch(after)`` answers the page after that id."""
    after: str | None = None
    while True:
        page = fetch(after)
        yield from page.data
        if not page.has_more or not page.data:
            return
        after = page.data[-1].id


async def aiterate_pages(
    fetch: Callable[[str | None], Awaitable[Page[ItemT]]],
) -> AsyncIterator[ItemT]:
    after: str | None = None
    while True:
        page = await fetch(after)
        for item in page.data:
            yield item
        if not page.has_more or not page.data:
            return
        after = page.data[-1].id
