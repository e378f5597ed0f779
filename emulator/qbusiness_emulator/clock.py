# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Time, the sync-job clock and the data-source status clock (and the status names of jobs, data sources, documents).

Times are integer epoch *milliseconds* (a timestamp read back from the API and sent again as a filter
then compares exactly); the wire uses epoch seconds. The clock is never ticked: a job's status is read
off a declarative transition table at the instant asked about, in the manner of moto's
``ManagedState(transitions=[...])`` but driven by elapsed time instead of by reads.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone
from typing import Any

SYNC_STATUSES = ("FAILED", "SUCCEEDED", "SYNCING", "INCOMPLETE", "STOPPING", "ABORTED", "SYNCING_INDEXING")
IN_PROGRESS = frozenset({"SYNCING", "SYNCING_INDEXING", "STOPPING"})
TERMINAL = frozenset({"SUCCEEDED", "FAILED", "INCOMPLETE", "ABORTED"})
OUTCOMES = ("SUCCEEDED", "FAILED", "INCOMPLETE")
OUTCOME = "<outcome>"  # a transition target standing for the job's chosen outcome
# A data source's statuses (the model's DataSourceStatus); CreateDataSource makes an ACTIVE one.
DATA_SOURCE_STATUSES = ("PENDING_CREATION", "CREATING", "ACTIVE", "DELETING", "FAILED", "UPDATING")
# A document's statuses (the model's DocumentStatus); the failed ones carry an error.
DOCUMENT_STATUSES = ("RECEIVED", "PROCESSING", "INDEXED", "UPDATED", "FAILED", "DELETING", "DELETED", "DOCUMENT_FAILED_TO_INDEX")
FAILED_DOCUMENT_STATUSES = ("FAILED", "DOCUMENT_FAILED_TO_INDEX")


@dataclass(frozen=True)
class Transition:
    """``source`` becomes ``target`` once the phase has lasted the seconds named by ``duration``."""

    source: str
    target: str
    duration: str


# A started job: SYNCING, then SYNCING_INDEXING, then its outcome.
SYNC_TRANSITIONS = (
    Transition("SYNCING", "SYNCING_INDEXING", "syncing_seconds"),
    Transition("SYNCING_INDEXING", OUTCOME, "indexing_seconds"),
)
# A stopped job: STOPPING, then ABORTED.
STOP_TRANSITIONS = (Transition("STOPPING", "ABORTED", "stopping_seconds"),)
# A data source set CREATING (scenario or set_data_source_status): ACTIVE once creating_seconds have passed.
CREATING_TRANSITIONS = (Transition("CREATING", "ACTIVE", "creating_seconds"),)


def advance(transitions: Sequence[Transition], entered_ms: int, at_ms: int, durations: Mapping[str, float], outcome: str = "SUCCEEDED") -> tuple[str, int]:
    """The status at ``at_ms`` of a job that entered the first source status at ``entered_ms``, and when it entered it.

    ``durations`` maps each transition's ``duration`` name to seconds (``math.inf``: the phase never ends).
    Phase lengths are rounded to whole milliseconds one by one, so phase boundaries are exact integers.
    """
    status = transitions[0].source
    for transition in transitions:
        if transition.source != status:
            continue
        seconds = durations[transition.duration]
        if math.isinf(seconds):
            return status, entered_ms
        phase_ms = int(round(seconds * 1000))
        if at_ms < entered_ms + phase_ms:
            return status, entered_ms
        entered_ms += phase_ms
        status = outcome if transition.target == OUTCOME else transition.target
    return status, entered_ms


def now_ms() -> int:
    """Current wall-clock time as integer epoch milliseconds."""
    return int(round(time.time() * 1000))


def to_epoch_seconds(ms: int) -> float:
    """Convert internal milliseconds to the epoch seconds used on the wire."""
    return ms / 1000.0


_MAX_TIME_MS = 253402300799999  # 9999-12-31T23:59:59.999Z
_RELATIVE_TIME = re.compile(r"^now\s*(?:([+-])\s*(\d+(?:\.\d+)?))?$")


def parse_time(value: Any) -> int:
    """Parse an ISO 8601 string, an epoch-seconds number (or numeric string) or a datetime to epoch ms.

    Naive ISO strings are taken as UTC. Raises ValueError when the value is not a time.
    """
    try:
        ms = _parse_time(value)
    except OverflowError:  # inf or absurd magnitudes
        ms = -1
    if not 0 <= ms <= _MAX_TIME_MS:
        raise ValueError(f"time out of range (1970..9999): {value!r}")
    return ms


def _parse_time(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"not a time: {value!r}")
    if isinstance(value, (int, float)):
        return int(round(float(value) * 1000))
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise ValueError("empty time")
        try:
            number = float(text)
        except ValueError:
            number = None
        if number is not None:
            return int(round(number * 1000))
        try:
            dt = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
        except ValueError as exc:
            raise ValueError(f"not an ISO 8601 time: {value!r}") from exc
    else:
        raise ValueError(f"not a time: {value!r}")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return int(round(dt.timestamp() * 1000))


def parse_spec_time(value: Any, at_ms: int | None = None) -> int:
    """Like :func:`parse_time`, also accepting "now", "now-3600" and "now+60" (seconds) for control payloads."""
    if isinstance(value, str):
        found = _RELATIVE_TIME.match(value.strip())
        if found:
            base = now_ms() if at_ms is None else at_ms
            if not found.group(1):
                return base
            delta = int(round(float(found.group(2)) * 1000))
            return base - delta if found.group(1) == "-" else base + delta
    return parse_time(value)
