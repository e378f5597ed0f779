# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sync jobs: their metrics, how a started job runs (:class:`NextSync`) and how a job shows at one instant."""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from typing import Any
from typing import ClassVar

from .clock import FAILED_DOCUMENT_STATUSES
from .clock import IN_PROGRESS
from .clock import OUTCOMES
from .clock import STOP_TRANSITIONS
from .clock import SYNC_STATUSES
from .clock import SYNC_TRANSITIONS
from .clock import advance
from .clock import to_epoch_seconds
from .exceptions import ControlError
from .validation import SpecFields
from .validation import flag
from .validation import seconds
from .validation import spec_field

ERROR_CODES = ("InternalError", "InvalidRequest", "ResourceInactive", "ResourceNotFound")
METRIC_NAMES = {
    "documents_added": "documentsAdded",
    "documents_deleted": "documentsDeleted",
    "documents_failed": "documentsFailed",
    "documents_modified": "documentsModified",
    "documents_scanned": "documentsScanned",
}
DEFAULT_SYNCING_SECONDS = 2.0
DEFAULT_INDEXING_SECONDS = 1.0
DEFAULT_STOPPING_SECONDS = 1.0
# A job that never ends scans this many documents per second (and adds a tenth of them).
NEVER_ENDS_SCAN_RATE = 25
DEFAULT_FAILED_ERROR = {"errorCode": "InternalError", "errorMessage": "The sync job failed."}
# What a failed document says when nothing was chosen: cycled over the failed documents, in listing order.
DEFAULT_DOCUMENT_ERRORS = (
    {"errorCode": "InvalidRequest", "errorMessage": "The document exceeds the 50 MB size limit."},
    {"errorCode": "InternalError", "errorMessage": "The document could not be parsed: unsupported encoding."},
    {"errorCode": "InvalidRequest", "errorMessage": "The file type .xyz is not supported."},
    {"errorCode": "ResourceNotFound", "errorMessage": "The source file was deleted before it could be crawled."},
)
# A status outside the API's seven (allow_unknown_status): upper-case, as the service's enum values are.
UNKNOWN_STATUS_RE = re.compile(r"[A-Z][A-Z0-9_]{0,63}")


def plausible_metrics(seed: str, status: str) -> dict[str, int]:
    """Deterministic, plausible metrics for a job of the given final status (seeded by its execution id)."""
    rng = random.Random(seed)
    if status == "FAILED":
        return {"documents_added": 0, "documents_deleted": 0, "documents_failed": 0, "documents_modified": 0, "documents_scanned": rng.randint(0, 40)}
    scanned = rng.randint(200, 2000)
    metrics = {
        "documents_added": rng.randint(0, scanned // 20),
        "documents_deleted": rng.randint(0, 10),
        "documents_failed": 0,
        "documents_modified": rng.randint(0, scanned // 10),
        "documents_scanned": scanned,
    }
    if status == "INCOMPLETE":
        metrics["documents_failed"] = rng.randint(1, max(1, scanned // 50))
    if status in IN_PROGRESS or status == "ABORTED":
        metrics = scale_metrics(metrics, 0.5)
    return metrics


def scale_metrics(metrics: dict[str, int], fraction: float) -> dict[str, int]:
    """Each metric times ``fraction`` (0..1), rounded down: monotonic in ``fraction``."""
    fraction = min(max(fraction, 0.0), 1.0)
    return {k: int(v * fraction) for k, v in metrics.items()}


def wire_metrics(metrics: dict[str, int]) -> dict[str, str]:
    """snake_case integer metrics -> the API's camelCase string metrics."""
    return {METRIC_NAMES[k]: str(int(v)) for k, v in sorted(metrics.items())}


def parse_metrics(spec: Any, where: str) -> dict[str, int]:
    """Validate a snake_case metrics spec; missing metrics are 0."""
    if not isinstance(spec, dict):
        raise ControlError(f"{where}: 'metrics' must be an object with keys {sorted(METRIC_NAMES)}")
    out = dict.fromkeys(METRIC_NAMES, 0)
    for key, value in spec.items():
        if key not in METRIC_NAMES:
            raise ControlError(f"{where}: unknown metrics key '{key}'; allowed: {sorted(METRIC_NAMES)}")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ControlError(f"{where}: metrics key '{key}' must be a non-negative integer")
        out[key] = value
    return out


def parse_error(spec: Any, where: str, default: dict[str, str] = DEFAULT_FAILED_ERROR) -> dict[str, str]:
    """Validate a snake_case error spec {error_code, error_message} -> wire form; a key left out takes ``default``'s."""
    if not isinstance(spec, dict):
        raise ControlError(f"{where}: 'error' must be an object with keys error_code, error_message")
    for key in spec:
        if key not in ("error_code", "error_message"):
            raise ControlError(f"{where}: unknown error key '{key}'; allowed: error_code, error_message")
    code = spec.get("error_code", default["errorCode"])
    if code not in ERROR_CODES:
        raise ControlError(f"{where}: error_code '{code}' is not one of {list(ERROR_CODES)}")
    message = spec.get("error_message", default["errorMessage"])
    if not isinstance(message, str) or not 1 <= len(message) <= 2048:
        raise ControlError(f"{where}: error_message must be a string of 1..2048 characters")
    return {"errorCode": code, "errorMessage": message}


def parse_document_errors(value: Any, key: str, where: str) -> tuple[dict[str, str], ...] | None:
    """An optional non-empty list of error specs {error_code, error_message} (both required) -> wire form."""
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise ControlError(f"{where}: '{key}' must be a non-empty list of {{error_code, error_message}} objects")
    errors = []
    for i, spec in enumerate(value):
        if isinstance(spec, dict) and not {"error_code", "error_message"} <= set(spec):
            raise ControlError(f"{where}: {key}[{i}] needs both error_code and error_message")
        errors.append(parse_error(spec, f"{where}: {key}[{i}]"))
    return tuple(errors)


def parse_failed_statuses(value: Any, key: str, where: str) -> tuple[str, ...] | None:
    """An optional failed document status, or a non-empty list of them (cycled)."""
    if value is None:
        return None
    statuses = [value] if isinstance(value, str) else value
    if not isinstance(statuses, list) or not statuses or any(s not in FAILED_DOCUMENT_STATUSES for s in statuses):
        raise ControlError(f"{where}: '{key}' must be one of {list(FAILED_DOCUMENT_STATUSES)} or a non-empty list of them, not {value!r}")
    return tuple(statuses)


def errors_as_spec(errors: tuple[dict[str, str], ...] | None) -> list[dict[str, str]] | None:
    """Wire-form errors as their snake_case specs (None stays None)."""
    return None if errors is None else [{"error_code": e["errorCode"], "error_message": e["errorMessage"]} for e in errors]


def parse_data_source_error_code(value: Any, where: str) -> str | None:
    """Validate an optional dataSourceErrorCode."""
    if value is None:
        return None
    if not isinstance(value, str) or not 1 <= len(value) <= 2048:
        raise ControlError(f"{where}: data_source_error_code must be a string of 1..2048 characters")
    return value


def check_status(status: Any, known: tuple[str, ...], allow_unknown: bool, key: str, where: str) -> str:
    """A status from ``known``, or with ``allow_unknown`` any upper-case name (a status the API does not list)."""
    unknown = isinstance(status, str) and status not in SYNC_STATUSES and UNKNOWN_STATUS_RE.fullmatch(status)
    if status in known or (allow_unknown and unknown):
        return str(status)
    extra = " (or, with allow_unknown_status: true, an upper-case name outside the API's statuses, such as PAUSED)"
    raise ControlError(f"{where}: '{key}' must be one of {list(known)}{extra}, not {status!r}")


def _outcome(value: Any, key: str, where: str) -> str:
    # Checked against OUTCOMES in NextSync.from_spec, which knows allow_unknown_status.
    return check_status(value, OUTCOMES, True, key, where)


def _optional_metrics(value: Any, key: str, where: str) -> dict[str, int] | None:
    return None if value is None else parse_metrics(value, where)


def _optional_error(value: Any, key: str, where: str) -> dict[str, str] | None:
    return None if value is None else parse_error(value, where)


def error_as_spec(error: dict[str, str] | None) -> dict[str, str] | None:
    """A wire-form error {errorCode, errorMessage} as its snake_case spec (None stays None)."""
    return None if error is None else {"error_code": error["errorCode"], "error_message": error["errorMessage"]}


@dataclass
class NextSync(SpecFields):
    """How the next started job of a data source runs: phase durations and its outcome (the set_next_sync keys)."""

    WHERE: ClassVar[str] = "next_sync"

    outcome: str = spec_field("SUCCEEDED", _outcome)
    syncing_seconds: float = spec_field(DEFAULT_SYNCING_SECONDS, seconds)
    indexing_seconds: float = spec_field(DEFAULT_INDEXING_SECONDS, seconds)
    stopping_seconds: float = spec_field(DEFAULT_STOPPING_SECONDS, seconds)
    metrics: dict[str, int] | None = spec_field(None, _optional_metrics)
    error: dict[str, str] | None = spec_field(None, _optional_error, show=error_as_spec)  # kept in wire form
    data_source_error_code: str | None = spec_field(None, lambda value, key, where: parse_data_source_error_code(value, where))
    never_ends: bool = spec_field(False, flag)
    allow_unknown_status: bool = spec_field(False, flag)
    # What the job leaves in the data source's documents when it ends (documents.py): the failed ones' errors
    # and statuses, each cycled; None: DEFAULT_DOCUMENT_ERRORS and FAILED / DOCUMENT_FAILED_TO_INDEX alternately.
    document_errors: tuple[dict[str, str], ...] | None = spec_field(None, parse_document_errors, show=errors_as_spec)
    document_failed_status: tuple[str, ...] | None = spec_field(None, parse_failed_statuses, show=lambda value: None if value is None else list(value))

    @classmethod
    def from_spec(cls, spec: Any, where: str | None = None) -> NextSync:
        """As :meth:`SpecFields.from_spec`; an outcome outside OUTCOMES needs ``allow_unknown_status``."""
        run = super().from_spec(spec, where)
        check_status(run.outcome, OUTCOMES, run.allow_unknown_status, "outcome", where or cls.WHERE)
        return run


@dataclass
class JobState:
    """A job as seen at one instant."""

    status: str
    end_ms: int | None
    metrics: dict[str, int] | None
    error: dict[str, str] | None
    data_source_error_code: str | None


@dataclass
class SyncJob:
    """One sync job. Clocked when ``next_sync`` is set (started through the API: how it runs), else seeded history."""

    execution_id: str
    start_ms: int
    seq: int
    next_sync: NextSync | None = None
    status: str | None = None  # seeded jobs only
    end_ms: int | None = None  # seeded jobs only
    metrics: dict[str, int] | None = None  # seeded: as shown; clocked: the final metrics
    error: dict[str, str] | None = None
    data_source_error_code: str | None = None
    stop_ms: int | None = None
    stopping_seconds: float = DEFAULT_STOPPING_SECONDS
    listed_from_ms: int = 0  # ListDataSourceSyncJobs shows the job from then on (listing_delay_seconds)

    def _running_metrics(self, at_ms: int) -> dict[str, int] | None:
        """Metrics a clocked, not-stopped job shows at ``at_ms``; monotonic in time."""
        run = self.next_sync
        if run is None:
            return self.metrics
        elapsed = max(0, at_ms - self.start_ms)
        if run.never_ends:
            scanned = int(elapsed / 1000.0 * NEVER_ENDS_SCAN_RATE)
            return {"documents_added": scanned // 10, "documents_deleted": 0, "documents_failed": 0, "documents_modified": 0, "documents_scanned": scanned}
        final = self.metrics or dict.fromkeys(METRIC_NAMES, 0)
        syncing_ms = int(round(run.syncing_seconds * 1000))
        if elapsed < syncing_ms:
            return scale_metrics(final, elapsed / syncing_ms)
        return dict(final)

    def state_at(self, at_ms: int) -> JobState:
        """Evaluate the job lazily at ``at_ms`` (the clock is never ticked, only read)."""
        if self.stop_ms is not None:
            frozen = self._running_metrics(self.stop_ms)
            status, entered_ms = advance(STOP_TRANSITIONS, self.stop_ms, at_ms, {"stopping_seconds": self.stopping_seconds})
            return JobState(status, entered_ms if status == "ABORTED" else None, frozen, None, None)
        run = self.next_sync
        if run is None:
            return JobState(self.status or "SUCCEEDED", self.end_ms, self.metrics, self.error, self.data_source_error_code)
        durations = {"syncing_seconds": math.inf if run.never_ends else run.syncing_seconds, "indexing_seconds": run.indexing_seconds}
        status, entered_ms = advance(SYNC_TRANSITIONS, self.start_ms, at_ms, durations, run.outcome)
        if status in IN_PROGRESS:
            return JobState(status, None, self._running_metrics(at_ms), None, None)
        error = run.error if run.error is not None else (DEFAULT_FAILED_ERROR if run.outcome == "FAILED" else None)
        return JobState(status, entered_ms, self.metrics, error, run.data_source_error_code)

    def wire(self, state: JobState) -> dict[str, Any]:
        """The DataSourceSyncJob wire structure for a state of this job."""
        out: dict[str, Any] = {"executionId": self.execution_id, "startTime": to_epoch_seconds(self.start_ms), "status": state.status}
        if state.end_ms is not None:
            out["endTime"] = to_epoch_seconds(state.end_ms)
        if state.error is not None:
            out["error"] = dict(state.error)
        if state.data_source_error_code is not None:
            out["dataSourceErrorCode"] = state.data_source_error_code
        if state.metrics is not None:
            out["metrics"] = wire_metrics(state.metrics)
        return out
