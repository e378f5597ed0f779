"""Amazon Q Business service logic in pure Python (no moto imports).

Everything the emulator decides lives here: resources, sync jobs and their wall clock,
validation, pagination, error types, the fault configuration and the request log.
The moto adapter (models.py / responses.py) only routes HTTP to :class:`ServiceState`.

Conventions: times are kept as integer epoch *milliseconds* (so a timestamp read back from
the API and sent again as a filter compares exactly); wire answers use camelCase keys and
epoch seconds; control payloads (job specs, next-sync specs, fault options) use snake_case.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
import itertools
import json
import math
import random
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

ID_PATTERN = "[a-zA-Z0-9][a-zA-Z0-9-]{35}"
NAME_PATTERN = "[a-zA-Z0-9][a-zA-Z0-9_-]*"
ID_RE = re.compile(ID_PATTERN)
NAME_RE = re.compile(NAME_PATTERN)

SYNC_STATUSES = ("FAILED", "SUCCEEDED", "SYNCING", "INCOMPLETE", "STOPPING", "ABORTED", "SYNCING_INDEXING")
IN_PROGRESS = frozenset({"SYNCING", "SYNCING_INDEXING", "STOPPING"})
TERMINAL = frozenset({"SUCCEEDED", "FAILED", "INCOMPLETE", "ABORTED"})
OUTCOMES = ("SUCCEEDED", "FAILED", "INCOMPLETE")
ERROR_CODES = ("InternalError", "InvalidRequest", "ResourceInactive", "ResourceNotFound")
METRIC_NAMES = {
    "documents_added": "documentsAdded",
    "documents_deleted": "documentsDeleted",
    "documents_failed": "documentsFailed",
    "documents_modified": "documentsModified",
    "documents_scanned": "documentsScanned",
}
OPERATIONS = (
    "CreateApplication",
    "GetApplication",
    "ListApplications",
    "CreateIndex",
    "ListIndices",
    "CreateDataSource",
    "GetDataSource",
    "ListDataSources",
    "DeleteDataSource",
    "StartDataSourceSyncJob",
    "StopDataSourceSyncJob",
    "ListDataSourceSyncJobs",
)
# Page-size ceilings from the service model; the default page size is the ceiling.
PAGE_LIMITS = {"ListApplications": 100, "ListIndices": 100, "ListDataSources": 10, "ListDataSourceSyncJobs": 10}
HISTORY_ORDERS = ("newest_first", "oldest_first", "shuffled")
SERVER_ERROR_STATUSES = (500, 502, 503, 504)

DEFAULT_SYNCING_SECONDS = 2.0
DEFAULT_INDEXING_SECONDS = 1.0
DEFAULT_STOPPING_SECONDS = 1.0
DEFAULT_SEEDED_DURATION_SECONDS = 120.0
# A job that never ends scans this many documents per second (and adds a tenth of them).
NEVER_ENDS_SCAN_RATE = 25
DEFAULT_FAILED_ERROR = {"errorCode": "InternalError", "errorMessage": "The sync job failed."}


def now_ms() -> int:
    """Current wall-clock time as integer epoch milliseconds."""
    return int(round(time.time() * 1000))


def to_epoch_seconds(ms: int) -> float:
    """Convert internal milliseconds to the epoch seconds used on the wire."""
    return ms / 1000.0


_MAX_TIME_MS = 253402300799999  # 9999-12-31T23:59:59.999Z


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


_RELATIVE_TIME = re.compile(r"^now\s*(?:([+-])\s*(\d+(?:\.\d+)?))?$")


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


def new_id() -> str:
    """A fresh resource or execution id (uuid4, 36 characters; fits the model's ID pattern)."""
    return str(uuid.uuid4())


def partition_for(region: str) -> str:
    """The ARN partition of a region."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-iso-"):
        return "aws-iso"
    if region.startswith("us-isob-"):
        return "aws-iso-b"
    return "aws"


# ---------------------------------------------------------------------------------------------
# Errors, in the shape of the service's modelled exceptions.
# ---------------------------------------------------------------------------------------------


class ServiceError(Exception):
    """An error answered on the wire: HTTP status, x-amzn-ErrorType code, JSON members."""

    code = "ServiceError"
    status = 400

    def __init__(self, message: str, **members: Any) -> None:
        super().__init__(message)
        self.message = message
        self.members = {k: v for k, v in members.items() if v is not None}

    def body(self) -> dict[str, Any]:
        """The JSON body: message plus the modelled members."""
        return {"message": self.message, **self.members}


class ValidationException(ServiceError):
    """400; members message, reason (CANNOT_PARSE|FIELD_VALIDATION_FAILED|UNKNOWN_OPERATION), fields."""

    code = "ValidationException"
    status = 400

    def __init__(self, message: str, reason: str = "FIELD_VALIDATION_FAILED", fields: list[dict[str, str]] | None = None) -> None:
        super().__init__(message, reason=reason, fields=fields)


class ResourceNotFoundException(ServiceError):
    """404; members message, resourceId, resourceType."""

    code = "ResourceNotFoundException"
    status = 404

    def __init__(self, message: str, resource_id: str, resource_type: str) -> None:
        super().__init__(message, resourceId=resource_id, resourceType=resource_type)


class ConflictException(ServiceError):
    """409; members message, resourceId, resourceType."""

    code = "ConflictException"
    status = 409

    def __init__(self, message: str, resource_id: str, resource_type: str) -> None:
        super().__init__(message, resourceId=resource_id, resourceType=resource_type)


class AccessDeniedException(ServiceError):
    """403; member message."""

    code = "AccessDeniedException"
    status = 403


class ThrottlingException(ServiceError):
    """429; member message."""

    code = "ThrottlingException"
    status = 429


class InternalServerException(ServiceError):
    """500; member message."""

    code = "InternalServerException"
    status = 500


class UnknownOperationException(ServiceError):
    """404 for a method/path no operation has (not modelled; botocore never sends one)."""

    code = "UnknownOperationException"
    status = 404


class SpecError(ValueError):
    """A bad control payload (scenario, job spec, next-sync, faults). ``status`` is the HTTP answer."""

    status = 400


class SpecNotFound(SpecError):
    """A control call names a resource that does not exist."""

    status = 404


class SpecConflict(SpecError):
    """A control call conflicts with the state: a fixed id that already exists, a sync already running."""

    status = 409


class _Checks:
    """Collects field validation failures so one ValidationException reports them all, like the service."""

    def __init__(self) -> None:
        self.fields: list[dict[str, str]] = []
        self.reason: str | None = None

    def fail(self, name: str, message: str, reason: str = "FIELD_VALIDATION_FAILED") -> None:
        self.fields.append({"name": name, "message": message})
        self.reason = self.reason or reason

    def id(self, name: str, value: str) -> None:
        if not isinstance(value, str) or not ID_RE.fullmatch(value):
            self.fail(name, f"Value '{value}' at '{name}' failed to satisfy constraint: Member must satisfy regular expression pattern: {ID_PATTERN}")

    def name(self, name: str, value: Any, required: bool = True) -> None:
        if value is None:
            if required:
                self.fail(name, f"Value null at '{name}' failed to satisfy constraint: Member must not be null")
            return
        if not isinstance(value, str) or not 1 <= len(value) <= 1000 or not NAME_RE.fullmatch(value):
            self.fail(name, f"Value '{value}' at '{name}' failed to satisfy constraint: Member must satisfy regular expression pattern: {NAME_PATTERN}")

    def optional_str(self, name: str, value: Any, max_len: int) -> None:
        if value is not None and (not isinstance(value, str) or len(value) > max_len):
            self.fail(name, f"Value at '{name}' failed to satisfy constraint: Member must be a string of at most {max_len} characters")

    def raise_if_any(self) -> None:
        if self.fields:
            n = len(self.fields)
            detail = "; ".join(f["message"] for f in self.fields)
            raise ValidationException(f"{n} validation error{'s' if n > 1 else ''} detected: {detail}", self.reason or "FIELD_VALIDATION_FAILED", self.fields)


# ---------------------------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------------------------


def plausible_metrics(seed: str, status: str) -> dict[str, int]:
    """Deterministic, plausible metrics for a job of the given final status (seeded by its execution id)."""
    rng = random.Random(seed)
    if status == "FAILED":
        return {"documents_added": 0, "documents_deleted": 0, "documents_failed": 0, "documents_modified": 0,
                "documents_scanned": rng.randint(0, 40)}
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
        raise SpecError(f"{where}: 'metrics' must be an object with keys {sorted(METRIC_NAMES)}")
    out = dict.fromkeys(METRIC_NAMES, 0)
    for key, value in spec.items():
        if key not in METRIC_NAMES:
            raise SpecError(f"{where}: unknown metrics key '{key}'; allowed: {sorted(METRIC_NAMES)}")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise SpecError(f"{where}: metrics key '{key}' must be a non-negative integer")
        out[key] = value
    return out


def parse_error(spec: Any, where: str) -> dict[str, str]:
    """Validate a snake_case error spec {error_code, error_message} -> wire form."""
    if not isinstance(spec, dict):
        raise SpecError(f"{where}: 'error' must be an object with keys error_code, error_message")
    for key in spec:
        if key not in ("error_code", "error_message"):
            raise SpecError(f"{where}: unknown error key '{key}'; allowed: error_code, error_message")
    code = spec.get("error_code", "InternalError")
    if code not in ERROR_CODES:
        raise SpecError(f"{where}: error_code '{code}' is not one of {list(ERROR_CODES)}")
    message = spec.get("error_message", "The sync job failed.")
    if not isinstance(message, str) or not 1 <= len(message) <= 2048:
        raise SpecError(f"{where}: error_message must be a string of 1..2048 characters")
    return {"errorCode": code, "errorMessage": message}


def _error_to_spec(error: dict[str, str] | None) -> dict[str, str] | None:
    if error is None:
        return None
    return {"error_code": error["errorCode"], "error_message": error["errorMessage"]}


def _parse_dsec(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 1 <= len(value) <= 2048:
        raise SpecError(f"{where}: data_source_error_code must be a string of 1..2048 characters")
    return value


def _seconds(value: Any, key: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise SpecError(f"{where}: '{key}' must be a number >= 0")
    return float(value)


def check_keys(spec: Any, allowed: Iterable[str], where: str) -> dict[str, Any]:
    """Require an object whose keys are all in ``allowed``; the error names the first unknown key."""
    if not isinstance(spec, dict):
        raise SpecError(f"{where}: expected an object")
    allowed = list(allowed)
    for key in spec:
        if key not in allowed:
            raise SpecError(f"{where}: unknown key '{key}'; allowed: {allowed}")
    return spec


# ---------------------------------------------------------------------------------------------
# Sync jobs and their clock
# ---------------------------------------------------------------------------------------------

NEXT_SYNC_KEYS = ("outcome", "syncing_seconds", "indexing_seconds", "stopping_seconds", "metrics", "error",
                  "data_source_error_code", "never_ends")


@dataclass
class SyncPlan:
    """How the next started job runs: phase durations and its outcome."""

    outcome: str = "SUCCEEDED"
    syncing_seconds: float = DEFAULT_SYNCING_SECONDS
    indexing_seconds: float = DEFAULT_INDEXING_SECONDS
    stopping_seconds: float = DEFAULT_STOPPING_SECONDS
    metrics: dict[str, int] | None = None
    error: dict[str, str] | None = None
    data_source_error_code: str | None = None
    never_ends: bool = False

    @classmethod
    def from_spec(cls, spec: dict[str, Any], where: str = "next_sync") -> SyncPlan:
        """Validate a snake_case next-sync spec (the set_next_sync keyword arguments)."""
        check_keys(spec, NEXT_SYNC_KEYS, where)
        outcome = spec.get("outcome", "SUCCEEDED")
        if outcome not in OUTCOMES:
            raise SpecError(f"{where}: 'outcome' must be one of {list(OUTCOMES)}, not {outcome!r}")
        never_ends = spec.get("never_ends", False)
        if not isinstance(never_ends, bool):
            raise SpecError(f"{where}: 'never_ends' must be true or false")
        metrics = spec.get("metrics")
        error = spec.get("error")
        return cls(
            outcome=outcome,
            syncing_seconds=_seconds(spec.get("syncing_seconds", DEFAULT_SYNCING_SECONDS), "syncing_seconds", where),
            indexing_seconds=_seconds(spec.get("indexing_seconds", DEFAULT_INDEXING_SECONDS), "indexing_seconds", where),
            stopping_seconds=_seconds(spec.get("stopping_seconds", DEFAULT_STOPPING_SECONDS), "stopping_seconds", where),
            metrics=None if metrics is None else parse_metrics(metrics, where),
            error=None if error is None else parse_error(error, where),
            data_source_error_code=_parse_dsec(spec.get("data_source_error_code"), where),
            never_ends=never_ends,
        )

    def to_spec(self) -> dict[str, Any]:
        """The plan as a snake_case next-sync spec."""
        return {
            "outcome": self.outcome,
            "syncing_seconds": self.syncing_seconds,
            "indexing_seconds": self.indexing_seconds,
            "stopping_seconds": self.stopping_seconds,
            "metrics": None if self.metrics is None else dict(self.metrics),
            "error": _error_to_spec(self.error),
            "data_source_error_code": self.data_source_error_code,
            "never_ends": self.never_ends,
        }


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
    """One sync job. Clocked when ``plan`` is set (started through the API), else seeded history."""

    execution_id: str
    start_ms: int
    seq: int
    plan: SyncPlan | None = None
    status: str | None = None  # seeded jobs only
    end_ms: int | None = None  # seeded jobs only
    metrics: dict[str, int] | None = None  # seeded: as shown; clocked: the final metrics
    error: dict[str, str] | None = None
    data_source_error_code: str | None = None
    stop_ms: int | None = None
    stopping_seconds: float = DEFAULT_STOPPING_SECONDS

    def _running_metrics(self, at_ms: int) -> dict[str, int] | None:
        """Metrics a clocked, not-stopped job shows at ``at_ms``; monotonic in time."""
        plan = self.plan
        if plan is None:
            return self.metrics
        elapsed = max(0, at_ms - self.start_ms)
        if plan.never_ends:
            scanned = int(elapsed / 1000.0 * NEVER_ENDS_SCAN_RATE)
            return {"documents_added": scanned // 10, "documents_deleted": 0, "documents_failed": 0,
                    "documents_modified": 0, "documents_scanned": scanned}
        final = self.metrics or dict.fromkeys(METRIC_NAMES, 0)
        syncing_ms = int(round(plan.syncing_seconds * 1000))
        if elapsed < syncing_ms:
            return scale_metrics(final, elapsed / syncing_ms)
        return dict(final)

    def state_at(self, at_ms: int) -> JobState:
        """Evaluate the job lazily at ``at_ms`` (the clock is never ticked, only read)."""
        if self.stop_ms is not None:
            frozen = self._running_metrics(self.stop_ms)
            done_ms = self.stop_ms + int(round(self.stopping_seconds * 1000))
            if at_ms < done_ms:
                return JobState("STOPPING", None, frozen, None, None)
            return JobState("ABORTED", done_ms, frozen, None, None)
        plan = self.plan
        if plan is None:
            return JobState(self.status or "SUCCEEDED", self.end_ms, self.metrics, self.error, self.data_source_error_code)
        elapsed = at_ms - self.start_ms
        syncing_ms = int(round(plan.syncing_seconds * 1000))
        indexing_ms = int(round(plan.indexing_seconds * 1000))
        if plan.never_ends or elapsed < syncing_ms:
            return JobState("SYNCING", None, self._running_metrics(at_ms), None, None)
        if elapsed < syncing_ms + indexing_ms:
            return JobState("SYNCING_INDEXING", None, self._running_metrics(at_ms), None, None)
        error = plan.error if plan.error is not None else (DEFAULT_FAILED_ERROR if plan.outcome == "FAILED" else None)
        return JobState(plan.outcome, self.start_ms + syncing_ms + indexing_ms, self.metrics, error, plan.data_source_error_code)

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


JOB_SPEC_KEYS = ("execution_id", "status", "start_time", "end_time", "metrics", "error", "data_source_error_code")
GENERATE_KEYS = ("count", "status", "interval_seconds", "newest_start_time", "metrics", "duration_seconds", "error",
                 "data_source_error_code")


def job_from_spec(spec: Any, seq: int, where: str) -> SyncJob:
    """Build a seeded (not clocked) job from a snake_case job spec.

    Defaults: terminal statuses get end_time = start_time + 120 s; metrics are plausible for the
    status; FAILED gets a generic InternalError. An explicit null omits end_time/metrics/error.
    """
    check_keys(spec, JOB_SPEC_KEYS, where)
    status = spec.get("status")
    if status not in SYNC_STATUSES:
        raise SpecError(f"{where}: 'status' must be one of {list(SYNC_STATUSES)}, not {status!r}")
    if "start_time" not in spec:
        raise SpecError(f"{where}: 'start_time' is required (ISO 8601 string, epoch seconds, or \"now-<seconds>\")")
    try:
        start_ms = parse_spec_time(spec["start_time"])
    except ValueError as exc:
        raise SpecError(f"{where}: bad 'start_time': {exc}") from None
    execution_id = spec.get("execution_id") or new_id()
    if not isinstance(execution_id, str) or not ID_RE.fullmatch(execution_id):
        raise SpecError(f"{where}: 'execution_id' must match {ID_PATTERN}")
    end_ms: int | None
    if "end_time" in spec:
        try:
            end_ms = None if spec["end_time"] is None else parse_spec_time(spec["end_time"])
        except ValueError as exc:
            raise SpecError(f"{where}: bad 'end_time': {exc}") from None
    else:
        end_ms = start_ms + int(DEFAULT_SEEDED_DURATION_SECONDS * 1000) if status in TERMINAL else None
    if "metrics" in spec:
        metrics = None if spec["metrics"] is None else parse_metrics(spec["metrics"], where)
    else:
        metrics = plausible_metrics(execution_id, status)
    if "error" in spec:
        error = None if spec["error"] is None else parse_error(spec["error"], where)
    else:
        error = dict(DEFAULT_FAILED_ERROR) if status == "FAILED" else None
    return SyncJob(execution_id=execution_id, start_ms=start_ms, seq=seq, status=status, end_ms=end_ms, metrics=metrics,
                   error=error, data_source_error_code=_parse_dsec(spec.get("data_source_error_code"), where))


def expand_generate(spec: Any, at_ms: int, where: str = "generate") -> list[dict[str, Any]]:
    """Expand a generate_history spec into job specs (index 0 is the newest job).

    Keys: count (required), status (a status, or a list cycled from the newest job back), interval_seconds
    (3600), newest_start_time (default now - interval), metrics, duration_seconds (min(120, interval/2)),
    error, data_source_error_code.
    """
    check_keys(spec, GENERATE_KEYS, where)
    count = spec.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise SpecError(f"{where}: 'count' is required and must be an integer >= 0")
    statuses = spec.get("status", "SUCCEEDED")
    statuses = [statuses] if isinstance(statuses, str) else statuses
    if not isinstance(statuses, list) or not statuses or any(s not in SYNC_STATUSES for s in statuses):
        raise SpecError(f"{where}: 'status' must be a status or a non-empty list of statuses from {list(SYNC_STATUSES)}")
    interval = _seconds(spec.get("interval_seconds", 3600), "interval_seconds", where)
    if interval <= 0:
        raise SpecError(f"{where}: 'interval_seconds' must be > 0")
    if spec.get("newest_start_time") is not None:
        try:
            newest_ms = parse_spec_time(spec["newest_start_time"], at_ms)
        except ValueError as exc:
            raise SpecError(f"{where}: bad 'newest_start_time': {exc}") from None
    else:
        newest_ms = at_ms - int(interval * 1000)
    duration = _seconds(spec.get("duration_seconds", min(DEFAULT_SEEDED_DURATION_SECONDS, interval / 2)), "duration_seconds", where)
    jobs = []
    for i in range(count):
        status = statuses[i % len(statuses)]
        start_ms = newest_ms - int(round(i * interval * 1000))
        job: dict[str, Any] = {"status": status, "start_time": start_ms / 1000.0}
        job["end_time"] = (start_ms + int(duration * 1000)) / 1000.0 if status in TERMINAL else None
        if spec.get("metrics") is not None:
            job["metrics"] = spec["metrics"]
        if spec.get("error") is not None and status == "FAILED":
            job["error"] = spec["error"]
        if spec.get("data_source_error_code") is not None and status == "FAILED":
            job["data_source_error_code"] = spec["data_source_error_code"]
        jobs.append(job)
    return jobs


class HistoryOrder:
    """A data source's jobs in one listing order, built once per history version.

    Sorting (and, for ``shuffled``, hashing) every job on every page made a page cost O(history);
    with the order cached, a page without a status filter costs O(page) plus a bisect.
    """

    def __init__(self, jobs: list[SyncJob], order: str, seed: Any, data_source_id: str) -> None:
        self.newest_first = order != "oldest_first"
        self.start_keys: list[int] | None
        if order == "shuffled":
            # A fixed permutation per data source: sorting by a hash keeps every page consistent.
            self.jobs = sorted(jobs, key=lambda j: hashlib.sha256(f"{seed}|{data_source_id}|{j.execution_id}".encode()).hexdigest())
            self.start_keys = None
        else:
            self.jobs = sorted(jobs, key=lambda j: (j.start_ms, j.seq), reverse=self.newest_first)
            # Ascending along the list, so startTime/endTime bounds are two bisects: negated when newest first.
            self.start_keys = [-j.start_ms if self.newest_first else j.start_ms for j in self.jobs]
        by_seq = sorted(jobs, key=lambda j: j.seq)
        self.by_seq = by_seq
        self.seqs = [j.seq for j in by_seq]
        self._positions: dict[int, int] | None = None

    def span(self, start: int | None, end: int | None) -> tuple[list[SyncJob], int, int]:
        """The jobs with start <= startTime <= end: a list and the range [lo, hi) of it that holds them."""
        jobs = self.jobs
        if start is None and end is None:
            return jobs, 0, len(jobs)
        if self.start_keys is None:
            picked = [j for j in jobs if (start is None or j.start_ms >= start) and (end is None or j.start_ms <= end)]
            return picked, 0, len(picked)
        low, high = ((None if end is None else -end), (None if start is None else -start)) if self.newest_first else (start, end)
        lo = 0 if low is None else bisect.bisect_left(self.start_keys, low)
        hi = len(jobs) if high is None else bisect.bisect_right(self.start_keys, high)
        return jobs, lo, max(lo, hi)

    def late(self, cap: int) -> list[SyncJob]:
        """The jobs created after ``cap`` (usually none: only those added since a listing's first page)."""
        return self.by_seq[bisect.bisect_right(self.seqs, cap):]

    def page(self, start: int | None, end: int | None, cap: int, offset: int, size: int) -> tuple[list[SyncJob], int]:
        """``visible[offset:offset + size]`` and ``len(visible)``: visible = the jobs within the bounds created up to ``cap``."""
        jobs, lo, hi = self.span(start, end)
        late = self.late(cap)
        skip: list[int] = []
        if late and jobs is self.jobs:
            if self._positions is None:
                self._positions = {id(job): i for i, job in enumerate(self.jobs)}
            skip = sorted(p for p in (self._positions[id(job)] for job in late) if lo <= p < hi)
        elif late:
            skip = [i for i, job in enumerate(jobs) if job.seq > cap]
        # The visible offset -> a list position: step over every left-out job at or before it.
        pos = lo + offset
        for left_out in skip:
            if left_out > pos:
                break
            pos += 1
        skipped = set(skip)
        out: list[SyncJob] = []
        while pos < hi and len(out) < size:
            if pos not in skipped:
                out.append(jobs[pos])
            pos += 1
        return out, hi - lo - len(skip)


# ---------------------------------------------------------------------------------------------
# Resources
# ---------------------------------------------------------------------------------------------


@dataclass
class DataSource:
    """A data source and its sync-job history."""

    data_source_id: str
    application_id: str
    index_id: str
    display_name: str
    type: str
    arn: str
    created_ms: int
    seq: int
    configuration: dict[str, Any] = field(default_factory=dict)
    description: str | None = None
    role_arn: str | None = None
    sync_schedule: str | None = None
    jobs: list[SyncJob] = field(default_factory=list)
    next_plan: SyncPlan | None = None
    history_version: int = 0  # bumped by every change to ``jobs`` (see touch_history)
    _orders: dict[tuple[str, Any], HistoryOrder] = field(default_factory=dict, init=False, repr=False, compare=False)
    _orders_of: tuple[list[SyncJob] | None, int, int] = field(default=(None, -1, -1), init=False, repr=False, compare=False)

    def touch_history(self) -> None:
        """Record a change to ``jobs``: the cached listing orders are rebuilt on the next listing."""
        self.history_version += 1

    def history_order(self, order: str, seed: Any) -> HistoryOrder:
        """The jobs in listing order (``order_seed`` matters for ``shuffled`` only), cached until the history changes."""
        # The list itself and its length are in the key too, so a list replaced or appended to without
        # touch_history() is still noticed (the key holds the list, so its identity cannot be reused).
        jobs, length, version = self._orders_of
        if jobs is not self.jobs or length != len(self.jobs) or version != self.history_version:
            self._orders = {}
            self._orders_of = (self.jobs, len(self.jobs), self.history_version)
        wanted = (order, seed if order == "shuffled" else None)
        cached = self._orders.get(wanted)
        if cached is None:
            cached = self._orders[wanted] = HistoryOrder(self.jobs, order, seed, self.data_source_id)
        return cached


@dataclass
class Index:
    """An index and its data sources."""

    index_id: str
    application_id: str
    display_name: str
    arn: str
    created_ms: int
    seq: int
    description: str | None = None
    type: str | None = None
    data_sources: dict[str, DataSource] = field(default_factory=dict)


@dataclass
class Application:
    """An application and its indices."""

    application_id: str
    display_name: str
    arn: str
    created_ms: int
    seq: int
    description: str | None = None
    role_arn: str | None = None
    identity_type: str | None = None
    indices: dict[str, Index] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Pagination: opaque tokens carrying an offset, a snapshot cap and a digest of the request scope.
# ---------------------------------------------------------------------------------------------

_TOKEN_PREFIX = "qbe1."


def _scope_digest(scope: Iterable[Any]) -> str:
    return hashlib.sha256(json.dumps(list(scope), default=str).encode()).hexdigest()[:16]


def _encode_token(offset: int, cap: int, digest: str) -> str:
    raw = json.dumps({"o": offset, "c": cap, "s": digest}, separators=(",", ":")).encode()
    return _TOKEN_PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_token(token: str, digest: str) -> tuple[int, int]:
    bad = ValidationException(
        "1 validation error detected: Value at 'nextToken' failed to satisfy constraint: Invalid pagination token",
        "FIELD_VALIDATION_FAILED", [{"name": "nextToken", "message": "Invalid pagination token"}])
    if not token.startswith(_TOKEN_PREFIX):
        raise bad
    body = token[len(_TOKEN_PREFIX):]
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) and not isinstance(data.get(k), bool) for k in ("o", "c")):
        raise bad
    if data.get("s") != digest or data["o"] < 0:
        # A token from another resource or with other filters is refused rather than misread.
        raise bad
    return data["o"], data["c"]


# ---------------------------------------------------------------------------------------------
# The service state of one account and region
# ---------------------------------------------------------------------------------------------

PathParams = dict[str, str]
Query = dict[str, str]
Body = dict[str, Any]


class ServiceState:
    """All Q Business resources of one account in one region, and the operations on them.

    Operation methods take wire-level inputs (path parameters, first query values as strings,
    the parsed JSON body) and return wire-level answers (camelCase dicts), or raise ServiceError.
    Callers serialise access with ``RUNTIME.lock``.
    """

    def __init__(self, region: str, account_id: str) -> None:
        self.region = region
        self.account_id = account_id
        self.partition = partition_for(region)
        self.applications: dict[str, Application] = {}
        self._counter = itertools.count(1)
        self._last_seq = 0
        self._client_tokens: dict[tuple[str, ...], dict[str, Any]] = {}

    # -- helpers ----------------------------------------------------------------------------

    def next_seq(self) -> int:
        """A creation sequence number (snapshots for pagination are taken by it)."""
        self._last_seq = next(self._counter)
        return self._last_seq

    def _arn(self, resource: str) -> str:
        return f"arn:{self.partition}:qbusiness:{self.region}:{self.account_id}:{resource}"

    def application(self, application_id: str) -> Application:
        """Look up an application or raise ResourceNotFoundException."""
        app = self.applications.get(application_id)
        if app is None:
            raise ResourceNotFoundException(f"Application {application_id} not found", application_id, "Application")
        return app

    def index(self, application_id: str, index_id: str) -> Index:
        """Look up an index or raise ResourceNotFoundException."""
        idx = self.application(application_id).indices.get(index_id)
        if idx is None:
            raise ResourceNotFoundException(f"Index {index_id} not found in application {application_id}", index_id, "Index")
        return idx

    def data_source(self, application_id: str, index_id: str, data_source_id: str) -> DataSource:
        """Look up a data source or raise ResourceNotFoundException."""
        ds = self.index(application_id, index_id).data_sources.get(data_source_id)
        if ds is None:
            raise ResourceNotFoundException(f"Data source {data_source_id} not found in index {index_id}", data_source_id, "DataSource")
        return ds

    @staticmethod
    def _check_path(path: PathParams, checks: _Checks | None = None) -> _Checks:
        checks = checks or _Checks()
        for name in ("applicationId", "indexId", "dataSourceId"):
            if name in path:
                checks.id(name, path[name])
        return checks

    @staticmethod
    def _page_size(operation: str, query: Query, checks: _Checks) -> int:
        limit = PAGE_LIMITS[operation]
        raw = query.get("maxResults")
        if raw is None:
            return limit
        try:
            value = int(raw)
        except ValueError:
            checks.fail("maxResults", f"Value '{raw}' at 'maxResults' could not be parsed as an integer", "CANNOT_PARSE")
            return limit
        if not 1 <= value <= limit:
            checks.fail("maxResults", f"Value '{value}' at 'maxResults' failed to satisfy constraint: "
                        f"Member must have value between 1 and {limit}")
        return value

    def _page_start(self, token: str | None, digest: str) -> tuple[int, int]:
        """The offset and snapshot cap of a page: (0, now) for the first page, else from the token."""
        if token is None:
            return 0, self._last_seq
        return _decode_token(token, digest)

    @staticmethod
    def _page_token(offset: int, size: int, visible: int, cap: int, digest: str, token: str | None, repeat_token: bool) -> str | None:
        """The nextToken after the page at ``offset`` (None when it was the last one)."""
        if offset + size >= visible:
            return None
        if repeat_token and token is not None:
            return token
        return _encode_token(offset + size, cap, digest)

    def _paginate(self, items: list[Any], seq_of: Callable[[Any], int], size: int, token: str | None, scope: Iterable[Any],
                  repeat_token: bool = False) -> tuple[list[Any], str | None]:
        digest = _scope_digest(scope)
        offset, cap = self._page_start(token, digest)
        # Items created after the first page are left out so offsets stay stable across pages.
        visible = [item for item in items if seq_of(item) <= cap]
        page = visible[offset:offset + size]
        return page, self._page_token(offset, size, len(visible), cap, digest, token, repeat_token)

    def _idempotent(self, key: tuple[str, ...], body: Body, create: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        token = body.get("clientToken")
        if not isinstance(token, str) or not token:
            return create()
        full_key = key + (token,)
        if full_key not in self._client_tokens:
            self._client_tokens[full_key] = create()
        return dict(self._client_tokens[full_key])

    # -- resources (used by both the API and the control layer) ------------------------------

    def add_application(self, name: str, application_id: str | None = None, description: str | None = None,
                        role_arn: str | None = None, identity_type: str | None = None) -> Application:
        """Create an application (fixed id optional)."""
        app_id = application_id or new_id()
        if app_id in self.applications:
            raise SpecConflict(f"application_id '{app_id}' already exists (call reset() first)")
        app = Application(app_id, name, self._arn(f"application/{app_id}"), now_ms(), self.next_seq(), description, role_arn, identity_type)
        self.applications[app_id] = app
        return app

    def add_index(self, application_id: str, name: str, index_id: str | None = None, description: str | None = None,
                  index_type: str | None = None) -> Index:
        """Create an index (fixed id optional)."""
        app = self.application(application_id)
        idx_id = index_id or new_id()
        if idx_id in app.indices:
            raise SpecConflict(f"index_id '{idx_id}' already exists (call reset() first)")
        idx = Index(idx_id, application_id, name, self._arn(f"application/{application_id}/index/{idx_id}"), now_ms(), self.next_seq(),
                    description, index_type)
        app.indices[idx_id] = idx
        return idx

    def add_data_source(self, application_id: str, index_id: str, name: str, data_source_id: str | None = None, ds_type: str = "S3",
                        configuration: dict[str, Any] | None = None, description: str | None = None, role_arn: str | None = None,
                        sync_schedule: str | None = None) -> DataSource:
        """Create a data source (fixed id optional)."""
        idx = self.index(application_id, index_id)
        ds_id = data_source_id or new_id()
        if ds_id in idx.data_sources:
            raise SpecConflict(f"data_source_id '{ds_id}' already exists (call reset() first)")
        arn = self._arn(f"application/{application_id}/index/{index_id}/data-source/{ds_id}")
        ds = DataSource(ds_id, application_id, index_id, name, ds_type, arn, now_ms(), self.next_seq(),
                        configuration if configuration is not None else {"type": ds_type}, description, role_arn, sync_schedule)
        idx.data_sources[ds_id] = ds
        return ds

    def seed_jobs(self, ds: DataSource, jobs: list[Any] | None = None, generate: Any = None, replace: bool = False) -> list[str]:
        """Add seeded jobs (job specs and/or a generate spec) to a data source; returns their execution ids."""
        if jobs is not None and not isinstance(jobs, list):
            raise SpecError("'jobs' must be a list of job specs")
        specs = list(jobs or [])
        if generate is not None:
            specs.extend(expand_generate(generate, now_ms()))
        existing = set() if replace else {job.execution_id for job in ds.jobs}
        built = []
        for i, spec in enumerate(specs):
            job = job_from_spec(spec, self.next_seq(), f"job[{i}]")
            if job.execution_id in existing:
                raise SpecError(f"job[{i}]: execution_id '{job.execution_id}' is already used in this data source")
            existing.add(job.execution_id)
            built.append(job)
        if replace:
            ds.jobs.clear()
        ds.jobs.extend(built)
        ds.touch_history()
        return [job.execution_id for job in built]

    # -- API operations ---------------------------------------------------------------------

    def create_application(self, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
        """CreateApplication."""
        checks = _Checks()
        checks.name("displayName", body.get("displayName"))
        checks.optional_str("description", body.get("description"), 1000)
        checks.optional_str("roleArn", body.get("roleArn"), 1284)
        identity = body.get("identityType")
        if identity is not None and identity not in ("AWS_IAM_IDP_SAML", "AWS_IAM_IDP_OIDC", "AWS_IAM_IDC", "AWS_QUICKSIGHT_IDP", "ANONYMOUS"):
            checks.fail("identityType", f"Value '{identity}' at 'identityType' failed to satisfy constraint: Member must satisfy enum value set")
        checks.raise_if_any()

        def create() -> dict[str, Any]:
            app = self.add_application(body["displayName"], description=body.get("description"), role_arn=body.get("roleArn"),
                                       identity_type=identity)
            return {"applicationId": app.application_id, "applicationArn": app.arn}
        return self._idempotent(("app",), body, create)

    def _application_wire(self, app: Application, full: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"displayName": app.display_name, "applicationId": app.application_id,
                               "createdAt": to_epoch_seconds(app.created_ms), "updatedAt": to_epoch_seconds(app.created_ms),
                               "status": "ACTIVE"}
        if app.identity_type:
            out["identityType"] = app.identity_type
        if full:
            out["applicationArn"] = app.arn
            if app.description is not None:
                out["description"] = app.description
            if app.role_arn is not None:
                out["roleArn"] = app.role_arn
        return out

    def get_application(self, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
        """GetApplication."""
        self._check_path(path).raise_if_any()
        return self._application_wire(self.application(path["applicationId"]), full=True)

    def list_applications(self, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
        """ListApplications (creation order)."""
        checks = _Checks()
        size = self._page_size("ListApplications", query, checks)
        checks.raise_if_any()
        apps = list(self.applications.values())
        page, token = self._paginate(apps, lambda a: a.seq, size, query.get("nextToken"), ["ListApplications"])
        out: dict[str, Any] = {"applications": [self._application_wire(a, full=False) for a in page]}
        if token:
            out["nextToken"] = token
        return out

    def create_index(self, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
        """CreateIndex."""
        checks = self._check_path(path)
        checks.name("displayName", body.get("displayName"))
        checks.optional_str("description", body.get("description"), 1000)
        index_type = body.get("type")
        if index_type is not None and index_type not in ("ENTERPRISE", "STARTER"):
            checks.fail("type", f"Value '{index_type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set")
        checks.raise_if_any()
        self.application(path["applicationId"])

        def create() -> dict[str, Any]:
            idx = self.add_index(path["applicationId"], body["displayName"], description=body.get("description"), index_type=index_type)
            return {"indexId": idx.index_id, "indexArn": idx.arn}
        return self._idempotent(("index", path["applicationId"]), body, create)

    def list_indices(self, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
        """ListIndices (creation order)."""
        checks = self._check_path(path)
        size = self._page_size("ListIndices", query, checks)
        checks.raise_if_any()
        app = self.application(path["applicationId"])
        page, token = self._paginate(list(app.indices.values()), lambda i: i.seq, size, query.get("nextToken"),
                                     ["ListIndices", app.application_id])
        out: dict[str, Any] = {"indices": [{"displayName": i.display_name, "indexId": i.index_id, "createdAt": to_epoch_seconds(i.created_ms),
                                            "updatedAt": to_epoch_seconds(i.created_ms), "status": "ACTIVE"} for i in page]}
        if token:
            out["nextToken"] = token
        return out

    def create_data_source(self, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
        """CreateDataSource; the data source type is configuration['type'] (CUSTOM when absent)."""
        checks = self._check_path(path)
        checks.name("displayName", body.get("displayName"))
        configuration = body.get("configuration")
        if not isinstance(configuration, dict):
            checks.fail("configuration", "Value null at 'configuration' failed to satisfy constraint: Member must not be null")
        checks.optional_str("description", body.get("description"), 1000)
        checks.optional_str("roleArn", body.get("roleArn"), 1284)
        checks.optional_str("syncSchedule", body.get("syncSchedule"), 998)
        checks.raise_if_any()
        self.index(path["applicationId"], path["indexId"])
        assert isinstance(configuration, dict)
        ds_type = configuration.get("type")
        ds_type = ds_type if isinstance(ds_type, str) and ds_type else "CUSTOM"

        def create() -> dict[str, Any]:
            ds = self.add_data_source(path["applicationId"], path["indexId"], body["displayName"], ds_type=ds_type, configuration=configuration,
                                      description=body.get("description"), role_arn=body.get("roleArn"), sync_schedule=body.get("syncSchedule"))
            return {"dataSourceId": ds.data_source_id, "dataSourceArn": ds.arn}
        return self._idempotent(("ds", path["applicationId"], path["indexId"]), body, create)

    def get_data_source(self, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
        """GetDataSource."""
        self._check_path(path).raise_if_any()
        ds = self.data_source(path["applicationId"], path["indexId"], path["dataSourceId"])
        out: dict[str, Any] = {
            "applicationId": ds.application_id, "indexId": ds.index_id, "dataSourceId": ds.data_source_id, "dataSourceArn": ds.arn,
            "displayName": ds.display_name, "type": ds.type, "configuration": ds.configuration,
            "createdAt": to_epoch_seconds(ds.created_ms), "updatedAt": to_epoch_seconds(ds.created_ms), "status": "ACTIVE",
        }
        for key, value in (("description", ds.description), ("roleArn", ds.role_arn), ("syncSchedule", ds.sync_schedule)):
            if value is not None:
                out[key] = value
        return out

    def list_data_sources(self, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
        """ListDataSources (creation order)."""
        checks = self._check_path(path)
        size = self._page_size("ListDataSources", query, checks)
        checks.raise_if_any()
        idx = self.index(path["applicationId"], path["indexId"])
        page, token = self._paginate(list(idx.data_sources.values()), lambda d: d.seq, size, query.get("nextToken"),
                                     ["ListDataSources", idx.application_id, idx.index_id])
        out: dict[str, Any] = {"dataSources": [{"displayName": d.display_name, "dataSourceId": d.data_source_id, "type": d.type,
                                                "createdAt": to_epoch_seconds(d.created_ms), "updatedAt": to_epoch_seconds(d.created_ms),
                                                "status": "ACTIVE"} for d in page]}
        if token:
            out["nextToken"] = token
        return out

    def delete_data_source(self, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
        """DeleteDataSource: removed at once, even with a job in progress."""
        self._check_path(path).raise_if_any()
        ds = self.data_source(path["applicationId"], path["indexId"], path["dataSourceId"])
        del self.index(ds.application_id, ds.index_id).data_sources[ds.data_source_id]
        return {}

    def start_data_source_sync_job(self, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
        """StartDataSourceSyncJob: ConflictException while a job is SYNCING, SYNCING_INDEXING or STOPPING."""
        self._check_path(path).raise_if_any()
        ds = self.data_source(path["applicationId"], path["indexId"], path["dataSourceId"])
        at = now_ms()
        running = [job for job in ds.jobs if job.state_at(at).status in IN_PROGRESS]
        if running:
            raise ConflictException(f"Data source {ds.data_source_id} already has a sync job in progress (execution {running[-1].execution_id})",
                                    ds.data_source_id, "DataSource")
        plan = ds.next_plan or SyncPlan()
        ds.next_plan = None
        execution_id = new_id()
        metrics = dict(plan.metrics) if plan.metrics is not None else plausible_metrics(execution_id, plan.outcome)
        ds.jobs.append(SyncJob(execution_id=execution_id, start_ms=at, seq=self.next_seq(), plan=plan, metrics=metrics,
                               stopping_seconds=plan.stopping_seconds))
        ds.touch_history()
        return {"executionId": execution_id}

    def stop_data_source_sync_job(self, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
        """StopDataSourceSyncJob: running jobs go STOPPING, then ABORTED; ConflictException when none is in progress."""
        self._check_path(path).raise_if_any()
        ds = self.data_source(path["applicationId"], path["indexId"], path["dataSourceId"])
        at = now_ms()
        in_progress = [job for job in ds.jobs if job.state_at(at).status in IN_PROGRESS]
        if not in_progress:
            raise ConflictException(f"Data source {ds.data_source_id} has no sync job in progress", ds.data_source_id, "DataSource")
        for job in in_progress:
            # Jobs already STOPPING keep their course; a seeded job stops with its seeded metrics.
            if job.stop_ms is None and job.state_at(at).status != "STOPPING":
                job.stop_ms = at
        return {}

    def list_data_source_sync_jobs(self, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
        """ListDataSourceSyncJobs with server-side filters and the ordering chosen in ``options``.

        options: history_order ('newest_first'|'oldest_first'|'shuffled'), order_seed, repeat_next_token.
        Filters: syncStatus on the current status; startTime <= job.startTime <= endTime (inclusive).
        """
        checks = self._check_path(path)
        size = self._page_size("ListDataSourceSyncJobs", query, checks)
        bounds: dict[str, int | None] = {"startTime": None, "endTime": None}
        for name in bounds:
            raw = query.get(name)
            if raw is not None:
                try:
                    bounds[name] = parse_time(raw)
                except ValueError:
                    checks.fail(name, f"Value '{raw}' at '{name}' could not be parsed as a timestamp", "CANNOT_PARSE")
        status_filter = query.get("syncStatus")
        if status_filter is not None and status_filter not in SYNC_STATUSES:
            checks.fail("statusFilter", f"Value '{status_filter}' at 'statusFilter' failed to satisfy constraint: "
                        f"Member must satisfy enum value set: [{', '.join(SYNC_STATUSES)}]")
        checks.raise_if_any()
        ds = self.data_source(path["applicationId"], path["indexId"], path["dataSourceId"])
        at = now_ms()
        start, end = bounds["startTime"], bounds["endTime"]
        ordered = ds.history_order(options.get("history_order", "newest_first"), options.get("order_seed"))
        scope = ["ListDataSourceSyncJobs", ds.application_id, ds.index_id, ds.data_source_id, status_filter, start, end]
        token = query.get("nextToken")
        repeat_token = bool(options.get("repeat_next_token"))
        if status_filter is not None:
            # The filter is on the status at request time, so every candidate is evaluated.
            jobs, lo, hi = ordered.span(start, end)
            selected = [(job, state) for job in jobs[lo:hi] for state in (job.state_at(at),) if state.status == status_filter]
            page, token = self._paginate(selected, lambda js: js[0].seq, size, token, scope, repeat_token=repeat_token)
            history = [job.wire(state) for job, state in page]
        else:
            # Without a status filter only the page's jobs are evaluated against the clock.
            digest = _scope_digest(scope)
            offset, cap = self._page_start(token, digest)
            page_jobs, visible = ordered.page(start, end, cap, offset, size)
            token = self._page_token(offset, size, visible, cap, digest, token, repeat_token)
            history = [job.wire(job.state_at(at)) for job in page_jobs]
        out: dict[str, Any] = {"history": history}
        if token:
            out["nextToken"] = token
        return out

    def call(self, operation: str, path: PathParams, query: Query, body: Body, options: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one API operation by name."""
        handler = getattr(self, _HANDLERS[operation])
        result: dict[str, Any] = handler(path, query, body, options or {})
        return result


_HANDLERS = {op: re.sub(r"(?<!^)(?=[A-Z])", "_", op).lower() for op in OPERATIONS}


# ---------------------------------------------------------------------------------------------
# Process-wide runtime: the lock, fault configuration, request log.
# ---------------------------------------------------------------------------------------------

MAX_LOGGED_REQUESTS = 10_000
FAULT_KEYS = ("throttle_rate", "server_error_rate", "server_error_status", "latency_ms", "seed", "operations", "history_order",
              "repeat_next_token", "denied_access_keys", "drop_connection_rate")
RATE_KEYS = ("throttle_rate", "server_error_rate", "drop_connection_rate")


@dataclass
class FaultConfig:
    """Injected faults. Defaults mean "no faults"."""

    throttle_rate: float = 0.0
    server_error_rate: float = 0.0
    server_error_status: int = 500
    latency_ms: float = 0
    seed: int | None = None
    operations: list[str] | None = None
    history_order: str = "newest_first"
    repeat_next_token: bool = False
    denied_access_keys: list[str] | None = None
    drop_connection_rate: float = 0.0

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> FaultConfig:
        """Validate the set_faults keyword arguments."""
        check_keys(spec, FAULT_KEYS, "faults")
        cfg = cls()
        for key in RATE_KEYS:
            value = spec.get(key, 0.0)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                raise SpecError(f"faults: '{key}' must be a number between 0 and 1")
            setattr(cfg, key, float(value))
        status = spec.get("server_error_status", 500)
        if status not in SERVER_ERROR_STATUSES or isinstance(status, bool):
            raise SpecError(f"faults: 'server_error_status' must be one of {list(SERVER_ERROR_STATUSES)}")
        cfg.server_error_status = int(status)
        latency = spec.get("latency_ms", 0)
        if isinstance(latency, bool) or not isinstance(latency, (int, float)) or not math.isfinite(latency) or latency < 0:
            raise SpecError("faults: 'latency_ms' must be a number >= 0")
        cfg.latency_ms = latency
        seed = spec.get("seed")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise SpecError("faults: 'seed' must be an integer or null")
        cfg.seed = seed
        operations = spec.get("operations")
        if operations is not None:
            if not isinstance(operations, list) or any(op not in OPERATIONS for op in operations):
                raise SpecError(f"faults: 'operations' must be a list of operation names from {list(OPERATIONS)}")
            cfg.operations = list(operations)
        order = spec.get("history_order", "newest_first")
        if order not in HISTORY_ORDERS:
            raise SpecError(f"faults: 'history_order' must be one of {list(HISTORY_ORDERS)}")
        cfg.history_order = order
        repeat = spec.get("repeat_next_token", False)
        if not isinstance(repeat, bool):
            raise SpecError("faults: 'repeat_next_token' must be true or false")
        cfg.repeat_next_token = repeat
        denied = spec.get("denied_access_keys")
        if denied is not None:
            if not isinstance(denied, list) or not all(isinstance(key, str) and key for key in denied):
                raise SpecError("faults: 'denied_access_keys' must be a list of access key ids")
            cfg.denied_access_keys = list(denied)
        return cfg

    def to_spec(self) -> dict[str, Any]:
        """The configuration as set_faults keyword arguments (operations null = all operations)."""
        return {key: (list(value) if isinstance(value, list) else value) for key, value in ((k, getattr(self, k)) for k in FAULT_KEYS)}

    def applies_to(self, operation: str) -> bool:
        """Whether dropped connections, throttling, server errors and latency apply to this operation."""
        return operation in OPERATIONS and (self.operations is None or operation in self.operations)


@dataclass
class FaultDecision:
    """What the faults decided for one request."""

    latency_seconds: float = 0.0
    fault: str | None = None  # None | "access_denied" | "connection_dropped" | "throttle" | "server_error"
    status: int = 200  # 0 for connection_dropped: no HTTP answer is sent


class Runtime:
    """Process-wide state outside any account/region: lock, faults, request log, log listeners."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.faults = FaultConfig()
        self._rng = random.Random()
        self._log: list[dict[str, Any]] = []
        self.listeners: list[Callable[[dict[str, Any]], None]] = []

    def set_faults(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Replace the whole fault configuration; returns it."""
        cfg = FaultConfig.from_spec(spec)
        with self.lock:
            self.faults = cfg
            self._rng = random.Random(cfg.seed)
        return cfg.to_spec()

    def get_faults(self) -> dict[str, Any]:
        """The current fault configuration."""
        with self.lock:
            return self.faults.to_spec()

    def decide(self, operation: str, access_key: str | None = None) -> FaultDecision:
        """Draw the faults for one request (one draw per active fault kind, in arrival order).

        Order: denied access key (no draw), dropped connection, throttle, server error; the first that fires wins.
        """
        with self.lock:
            cfg = self.faults
            if not cfg.applies_to(operation):
                return FaultDecision()
            decision = FaultDecision(latency_seconds=cfg.latency_ms / 1000.0)
            # Refused credentials are decided before any draw, like IAM answering before the service.
            if cfg.denied_access_keys and access_key in cfg.denied_access_keys:
                decision.fault, decision.status = "access_denied", 403
            # A dropped connection is drawn before the service-level faults: the request never got that far.
            elif cfg.drop_connection_rate > 0 and self._rng.random() < cfg.drop_connection_rate:
                decision.fault, decision.status = "connection_dropped", 0
            elif cfg.throttle_rate > 0 and self._rng.random() < cfg.throttle_rate:
                decision.fault, decision.status = "throttle", 429
            elif cfg.server_error_rate > 0 and self._rng.random() < cfg.server_error_rate:
                decision.fault, decision.status = "server_error", cfg.server_error_status
            return decision

    def listing_options(self) -> dict[str, Any]:
        """Engine options for ListDataSourceSyncJobs derived from the faults."""
        with self.lock:
            return {"history_order": self.faults.history_order, "order_seed": self.faults.seed,
                    "repeat_next_token": self.faults.repeat_next_token}

    def record(self, entry: dict[str, Any]) -> None:
        """Append to the request log (the newest MAX_LOGGED_REQUESTS are kept) and tell the listeners."""
        with self.lock:
            self._log.append(entry)
            if len(self._log) > MAX_LOGGED_REQUESTS:
                del self._log[: len(self._log) - MAX_LOGGED_REQUESTS]
            listeners = list(self.listeners)
        for listener in listeners:
            listener(dict(entry))

    def requests(self) -> list[dict[str, Any]]:
        """The request log, oldest first (copies)."""
        with self.lock:
            return [json.loads(json.dumps(e)) for e in self._log]

    def clear_requests(self) -> None:
        """Empty the request log."""
        with self.lock:
            self._log.clear()

    def reset(self) -> None:
        """Clear faults and the request log (listeners stay)."""
        with self.lock:
            self.faults = FaultConfig()
            self._rng = random.Random()
            self._log.clear()


RUNTIME = Runtime()
