"""Hooks of the schemathesis run (src/fuzz/schemathesis.test.ts), loaded through SCHEMATHESIS_HOOKS.

1. The fuzzer authenticates with one API key of its organization. That key is listed by
   GET /api-keys like any other, so schemathesis reuses its id in DELETE /api-keys/{id} and
   POST /api-keys/{id}/rotate (its resource pool hands listed ids to the operations that take
   them): revoking it, or rotating it with no grace period, would turn every later request
   into a 403 and leave the rest of the run testing nothing. Those requests go to an unknown
   key instead (a 404, as for any id not in the organization); every other key is fair game.

2. A few rules tie fields together, which OpenAPI cannot state and the spec states in prose:
   `after` or `before`, not both; a time range's start before its end (GET /usage: at most
   366 days). A request schemathesis generates as valid is made to keep them, so that the
   positive_data_acceptance check tests what the API promises; invalid requests (negative
   mode) are left as they are, and tests beside each route cover these rules' errors. The
   same goes for an email's `scheduled_at` (1970 or later: PATCH /emails/{id} too; at most a
   year ahead), `html` or `text`, and an attachment's `content` or `path` (not both), so that
   most generated sends are accepted and the stateful phase follows the links from them.

3. POST /emails/batch with `x-batch-validation: permissive` answers 200 to invalid emails,
   listing them in `errors`, as documented: an invalid batch is sent in strict mode (its
   default), where it must be refused as a whole.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

import schemathesis
from schemathesis.core.parameters import ParameterLocation

FUZZ_KEY_ID = os.environ["THRIVE_FUZZ_KEY_ID"]
# A UUIDv7 no key has: the answer is the 404 of an unknown key.
UNKNOWN_KEY_ID = "019a7c2e-0000-7000-8000-000000000000"

# Query parameters that bound a range: (start, end, whether they may be equal).
RANGES = [("created_after", "created_before", False), ("start", "end", True)]
SEND_OPERATIONS = {"POST /emails", "POST /emails/batch", "PATCH /emails/{id}"}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    operation = case.operation
    if (
        operation.path.startswith("/api-keys/{id}")
        and (case.path_parameters or {}).get("id") == FUZZ_KEY_ID
    ):
        case.path_parameters["id"] = UNKNOWN_KEY_ID
    if _is_negative_batch(case) and case.headers.get("x-batch-validation") == "permissive":
        case.headers["x-batch-validation"] = "strict"
    if not _is_positive(case):
        return
    if isinstance(case.query, dict):
        _keep_query_rules(case.query)
    if operation.label in SEND_OPERATIONS:
        emails = case.body if isinstance(case.body, list) else [case.body]
        for email in emails:
            if isinstance(email, dict):
                _keep_email_rules(email)


def _is_positive(case: Any) -> bool:
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


def _is_negative_batch(case: Any) -> bool:
    meta = case.meta
    return (
        case.operation.label == "POST /emails/batch"
        and meta is not None
        and meta.is_negative_at(ParameterLocation.BODY)
        and not meta.is_negative_at(ParameterLocation.HEADER)
        and case.headers is not None
    )


def _keep_query_rules(query: dict[str, Any]) -> None:
    if query.get("after") is not None and query.get("before") is not None:
        del query["before"]
    for start, end, may_be_equal in RANGES:
        first, last = _parse(query.get(start)), _parse(query.get(end))
        if first is None:
            continue
        if start == "start":
            # GET /usage reads at most 366 days at once, up to today when `end` is not given.
            last = last or datetime.now(UTC)
            if last - first >= timedelta(days=366):
                del query[start]
                continue
        if last is not None and (first > last or (first == last and not may_be_equal)):
            del query[start]


def _keep_email_rules(email: dict[str, Any]) -> None:
    if "subject" in email and email.get("html") is None and email.get("text") is None:
        email["text"] = "Sent by the fuzzer."
    for attachment in email.get("attachments") or []:
        if not isinstance(attachment, dict):
            continue
        if attachment.get("content") is not None and attachment.get("path") is not None:
            del attachment["path"]
        elif attachment.get("content") is None and attachment.get("path") is None:
            attachment["content"] = "SGVsbG8gd29ybGQ="
    scheduled = _parse(email.get("scheduled_at"))
    if scheduled is not None and (
        scheduled < EPOCH or scheduled - datetime.now(UTC) > timedelta(days=364)
    ):
        email["scheduled_at"] = (datetime.now(UTC) + timedelta(hours=1)).isoformat()


def _parse(value: Any) -> datetime | None:
    """A date or date-time of the API's (UTC when it names no offset), or None."""
    if not isinstance(value, str):
        return None
    # Python has no year 0 (ISO 8601 and the API do): it comes before every other year.
    if value.startswith("0000-"):
        return datetime.min.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
