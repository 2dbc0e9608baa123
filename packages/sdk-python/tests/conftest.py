from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

import thrive_send
from tests.support.http_servers import ScriptedServer, scripted_server
from tests.support.live_server import LiveServer, LiveServerProcess
from tests.support.people import person
from tests.support.recorder import RECORDER

FULL_RUN = pytest.StashKey[bool]()
TESTS_DIR = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.stash[FULL_RUN] = True
    config.addinivalue_line("markers", "run_last: runs after every other test")


def pytest_deselected(items: list[pytest.Item]) -> None:
    if items:
        items[0].config.stash[FULL_RUN] = False


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    collected = {Path(str(item.path)).name for item in items}
    every_file = {path.name for path in TESTS_DIR.glob("test_*.py")}
    if not every_file <= collected:
        config.stash[FULL_RUN] = False
    items.sort(key=lambda item: item.get_closest_marker("run_last") is not None)


@pytest.fixture(scope="session")
def live() -> Iterator[LiveServer]:
    process = LiveServerProcess("sdk-python")
    try:
        yield process.wait_ready()
    finally:
        process.stop()


def _client(live: LiveServer, api_key: str) -> thrive_send.Client:
    http = httpx.Client(event_hooks={"request": [RECORDER.record]})
    return thrive_send.Client(api_key, base_url=live.url, http_client=http, max_retries=0)


@pytest.fixture(scope="session")
def client(live: LiveServer) -> Iterator[thrive_send.Client]:
    """The live organization's client: every request is recorded for the coverage test."""
    with _client(live, live.api_key) as client:
        yield client
        client._http.close()


@pytest.fixture(scope="session")
def other_client(live: LiveServer) -> Iterator[thrive_send.Client]:
    """Another organization's: its ids are none of ours."""
    with _client(live, live.other_api_key) as client:
        yield client
        client._http.close()


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def aclient(live: LiveServer) -> AsyncIterator[thrive_send.AsyncClient]:
    http = httpx.AsyncClient(event_hooks={"request": [RECORDER.arecord]})
    async with thrive_send.AsyncClient(
        live.api_key, base_url=live.url, http_client=http, max_retries=0
    ) as client:
        yield client
    await http.aclose()


@pytest.fixture(scope="module")
def people(live: LiveServer) -> Iterator[Callable[..., thrive_send.Client]]:
    """Makes clients that act as people (``session=True``, or a cookie to resume)."""
    made: list[thrive_send.Client] = []

    def make(session: bool | str = True) -> thrive_send.Client:
        made.append(person(live, session))
        return made[-1]

    yield make
    for client in made:
        client._http.close()


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as server:
        yield server


@pytest.fixture
def full_run(request: pytest.FixtureRequest) -> bool:
    return request.config.stash[FULL_RUN]
