"""Every operation of the spec has an SDK method, on both clients, the one openapi/sdk-methods.json
names; and (run last, after the live tests) every operation was called against the live server."""

from __future__ import annotations

import inspect
import json
from functools import reduce

import pytest

import thrive_send
from tests.support.recorder import RECORDER, SPEC_PATH, spec_operations
from thrive_send import OPERATION_METHODS

CLIENTS = [
    thrive_send.Client("ts_x", base_url="http://127.0.0.1:9"),
    thrive_send.AsyncClient("ts_x", base_url="http://127.0.0.1:9"),
]
# Methods that answer an iterator or a stream object rather than a coroutine.
NOT_AWAITABLE = {"events.stream"}
SDK_METHODS_PATH = SPEC_PATH.parent / "sdk-methods.json"


def resolve(client: object, dotted: str) -> object:
    return reduce(getattr, dotted.split("."), client)


def test_every_operation_in_the_spec_has_a_method() -> None:
    in_spec = set(spec_operations())
    missing = sorted(in_spec - set(OPERATION_METHODS))
    assert not missing, f"operations without an SDK method: {missing}"
    stale = sorted(set(OPERATION_METHODS) - in_spec)
    assert not stale, f"OPERATION_METHODS names operations the spec no longer has: {stale}"


@pytest.mark.parametrize("client", CLIENTS, ids=["Client", "AsyncClient"])
def test_each_mapped_method_exists(client: object) -> None:
    for operation_id, dotted in OPERATION_METHODS.items():
        method = resolve(client, dotted)
        assert callable(method), f"{operation_id}: {dotted} is not a method"
        if isinstance(client, thrive_send.AsyncClient) and dotted not in NOT_AWAITABLE:
            assert inspect.iscoroutinefunction(method), f"{dotted} is not async"


def test_the_map_is_openapi_sdk_methods_json() -> None:
    shared = json.loads(SDK_METHODS_PATH.read_text(encoding="utf-8"))
    python = {operation: methods["python"] for operation, methods in shared["operations"].items()}
    # On failure: make them agree, then `pnpm openapi` rewrites the spec's code samples.
    assert python == OPERATION_METHODS


def test_method_names_are_unique() -> None:
    assert len(set(OPERATION_METHODS.values())) == len(OPERATION_METHODS)


@pytest.mark.run_last
def test_the_live_tests_called_every_operation(full_run: bool) -> None:
    if not full_run:
        pytest.skip("only meaningful when the whole suite runs")
    missing = sorted(set(spec_operations()) - RECORDER.called)
    assert not missing, f"operations no live test called: {missing}"
