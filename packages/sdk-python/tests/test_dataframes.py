"""The optional DataFrame dependencies: a clear message when one is missing, and the rows
built from export lines."""

from __future__ import annotations

import json
import sys

import pytest

import thrive_send
from thrive_send._dataframes import event_row

LINE = json.dumps(
    {
        "object": "event",
        "id": "01a2",
        "type": "email.bounced",
        "created_at": "2026-11-30T10:00:02.481Z",
        "email_id": "01a1",
        "data": {
            "created_at": "2026-11-30T10:00:00.000Z",
            "email_id": "01a1",
            "message_id": "<01a1@acme.dev>",
            "from": "hello@acme.dev",
            "to": ["a@example.com"],
            "subject": "Hi",
            "tags": {},
            "bounce": {"type": "Permanent", "message": "550 5.1.1", "subType": "General"},
        },
    }
)


def test_a_row_keeps_the_type_specific_fields_in_details() -> None:
    row = event_row(LINE)
    assert row["details"] == {
        "bounce": {"type": "Permanent", "message": "550 5.1.1", "subType": "General"}
    }
    assert (row["from"], row["to"], row["recipients"]) == (
        "hello@acme.dev",
        ["a@example.com"],
        None,
    )


@pytest.mark.parametrize(("method", "module"), [("to_pandas", "pandas"), ("to_polars", "polars")])
def test_a_missing_extra_says_how_to_install_it(
    method: str, module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # what an absent package looks like
    # No server: the dependency is checked before anything is requested.
    with thrive_send.Client("ts_x", base_url="http://127.0.0.1:9", max_retries=0) as client:
        with pytest.raises(ImportError, match=rf"pip install 'thrive-send\[{module}\]'"):
            getattr(client.events, method)()
