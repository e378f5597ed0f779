# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenario, seeded-history and seeded-document payloads: checking them whole, then building them into a ServiceState."""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING
from typing import Any
from typing import ClassVar

from .behaviours import BEHAVIOURS
from .behaviours import BehaviourConfig
from .clock import DATA_SOURCE_STATUSES
from .clock import SYNC_STATUSES
from .clock import TERMINAL
from .clock import now_ms
from .clock import parse_spec_time
from .documents import document_drafts
from .exceptions import ControlConflict
from .exceptions import ControlError
from .jobs import DEFAULT_FAILED_ERROR
from .jobs import NextSync
from .jobs import SyncJob
from .jobs import check_status
from .jobs import error_as_spec
from .jobs import parse_data_source_error_code
from .jobs import parse_error
from .jobs import parse_metrics
from .jobs import plausible_metrics
from .validation import ID_PATTERN
from .validation import ID_RE
from .validation import NAME_PATTERN
from .validation import NAME_RE
from .validation import SpecFields
from .validation import check_keys
from .validation import flag
from .validation import new_id
from .validation import seconds
from .validation import spec_field

if TYPE_CHECKING:
    from .models import ServiceState

DEFAULT_SEEDED_DURATION_SECONDS = 120.0
JOB_SPEC_KEYS = ("execution_id", "status", "start_time", "end_time", "metrics", "error", "data_source_error_code", "allow_unknown_status")
GENERATE_KEYS = ("count", "status", "interval_seconds", "newest_start_time", "metrics", "duration_seconds", "error", "data_source_error_code")
SCENARIO_KEYS = ("region", "account_id", "applications", "behaviours")
APPLICATION_KEYS = ("name", "application_id", "description", "indices")
INDEX_KEYS = ("name", "index_id", "description", "data_sources")
DATA_SOURCE_KEYS = (
    "name",
    "data_source_id",
    "type",
    "description",
    "status",
    "error",
    "creating_seconds",
    "sync_schedule",
    "history",
    "generate_history",
    "next_sync",
    "documents",
    "generate_documents",
)
DEFAULT_CREATING_SECONDS = 30.0
# A FAILED data source's error when none is given: what a connector that cannot reach its source reports.
DEFAULT_DATA_SOURCE_ERROR = {
    "errorCode": "InvalidRequest",
    "errorMessage": "The data source connector could not connect to the data source. Check the connector's configuration and the credentials it uses.",
}
SYNC_SCHEDULE_MAX = 998  # the model's SyncSchedule length


def _data_source_status(value: Any, key: str, where: str) -> str:
    if not isinstance(value, str) or value not in DATA_SOURCE_STATUSES:
        raise ControlError(f"{where}: '{key}' must be one of {list(DATA_SOURCE_STATUSES)}, not {value!r}")
    return value


def _data_source_error(value: Any, key: str, where: str) -> dict[str, str] | None:
    return None if value is None else parse_error(value, where, DEFAULT_DATA_SOURCE_ERROR)


def _positive_seconds(value: Any, key: str, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ControlError(f"{where}: '{key}' must be a number > 0")
    return float(value)


@dataclass
class DataSourceStatus(SpecFields):
    """A data source's status as a scenario or set_data_source_status sets it (their status keys).

    ``error`` (wire form) goes with FAILED only, ``creating_seconds`` with CREATING only; absent, FAILED gets
    :data:`DEFAULT_DATA_SOURCE_ERROR` and CREATING turns ACTIVE after :data:`DEFAULT_CREATING_SECONDS`.
    """

    WHERE: ClassVar[str] = "data-source-status"

    status: str = spec_field("ACTIVE", _data_source_status)
    error: dict[str, str] | None = spec_field(None, _data_source_error, show=error_as_spec)
    creating_seconds: float | None = spec_field(None, _positive_seconds)

    @classmethod
    def from_spec(cls, spec: Any, where: str | None = None) -> DataSourceStatus:
        """As :meth:`SpecFields.from_spec`, refusing an error without FAILED or creating_seconds without CREATING."""
        chosen = super().from_spec(spec, where)
        where = where or cls.WHERE
        if chosen.error is not None and chosen.status != "FAILED":
            raise ControlError(f"{where}: 'error' is only for status FAILED, not {chosen.status}")
        if chosen.creating_seconds is not None and chosen.status != "CREATING":
            raise ControlError(f"{where}: 'creating_seconds' is only for status CREATING, not {chosen.status}")
        if chosen.status == "FAILED" and chosen.error is None:
            chosen.error = dict(DEFAULT_DATA_SOURCE_ERROR)
        if chosen.status == "CREATING" and chosen.creating_seconds is None:
            chosen.creating_seconds = DEFAULT_CREATING_SECONDS
        return chosen


STATUS_KEYS = tuple(DataSourceStatus.keys())  # the scenario data source keys that set its status


def status_of(ds: dict[str, Any], where: str) -> DataSourceStatus:
    """The status keys of a scenario data source, checked (absent: ACTIVE)."""
    return DataSourceStatus.from_spec({key: value for key, value in ds.items() if key in STATUS_KEYS}, where)


def _check_sync_schedule(value: Any, where: str) -> None:
    if value is not None and (not isinstance(value, str) or len(value) > SYNC_SCHEDULE_MAX):
        raise ControlError(f"{where}: 'sync_schedule' must be a string of at most {SYNC_SCHEDULE_MAX} characters, such as \"cron(0 * * * ? *)\"")


def job_from_spec(spec: Any, seq: int, where: str) -> SyncJob:
    """Build a seeded (not clocked) job from a snake_case job spec.

    Defaults: terminal statuses get end_time = start_time + 120 s; metrics are plausible for the
    status; FAILED gets a generic InternalError. An explicit null omits end_time/metrics/error.
    ``allow_unknown_status: true`` lets ``status`` be a name the API does not list (neither terminal
    nor in progress for the emulator: no default end_time, never a conflict for Start).
    """
    check_keys(spec, JOB_SPEC_KEYS, where)
    status = check_status(spec.get("status"), SYNC_STATUSES, flag(spec.get("allow_unknown_status", False), "allow_unknown_status", where), "status", where)
    if "start_time" not in spec:
        raise ControlError(f"{where}: 'start_time' is required (ISO 8601 string, epoch seconds, or \"now-<seconds>\")")
    try:
        start_ms = parse_spec_time(spec["start_time"])
    except ValueError as exc:
        raise ControlError(f"{where}: bad 'start_time': {exc}") from None
    execution_id = spec.get("execution_id") or new_id()
    if not isinstance(execution_id, str) or not ID_RE.fullmatch(execution_id):
        raise ControlError(f"{where}: 'execution_id' must match {ID_PATTERN}")
    end_ms: int | None
    if "end_time" in spec:
        try:
            end_ms = None if spec["end_time"] is None else parse_spec_time(spec["end_time"])
        except ValueError as exc:
            raise ControlError(f"{where}: bad 'end_time': {exc}") from None
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
    return SyncJob(
        execution_id=execution_id,
        start_ms=start_ms,
        seq=seq,
        status=status,
        end_ms=end_ms,
        metrics=metrics,
        error=error,
        data_source_error_code=parse_data_source_error_code(spec.get("data_source_error_code"), where),
    )


def expand_generate(spec: Any, at_ms: int, where: str = "generate") -> list[dict[str, Any]]:
    """Expand a generate_history spec into job specs (index 0 is the newest job).

    Keys: count (required), status (a status, or a list cycled from the newest job back), interval_seconds
    (3600), newest_start_time (default now - interval), metrics, duration_seconds (min(120, interval/2)),
    error, data_source_error_code.
    """
    check_keys(spec, GENERATE_KEYS, where)
    count = spec.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ControlError(f"{where}: 'count' is required and must be an integer >= 0")
    statuses = spec.get("status", "SUCCEEDED")
    statuses = [statuses] if isinstance(statuses, str) else statuses
    if not isinstance(statuses, list) or not statuses or any(s not in SYNC_STATUSES for s in statuses):
        raise ControlError(f"{where}: 'status' must be a status or a non-empty list of statuses from {list(SYNC_STATUSES)}")
    interval = seconds(spec.get("interval_seconds", 3600), "interval_seconds", where)
    if interval <= 0:
        raise ControlError(f"{where}: 'interval_seconds' must be > 0")
    if spec.get("newest_start_time") is not None:
        try:
            newest_ms = parse_spec_time(spec["newest_start_time"], at_ms)
        except ValueError as exc:
            raise ControlError(f"{where}: bad 'newest_start_time': {exc}") from None
    else:
        newest_ms = at_ms - int(interval * 1000)
    duration = seconds(spec.get("duration_seconds", min(DEFAULT_SEEDED_DURATION_SECONDS, interval / 2)), "duration_seconds", where)
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


def _check_name(value: Any, where: str) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= 1000 or not NAME_RE.fullmatch(value):
        raise ControlError(f"{where}: 'name' is required and must match {NAME_PATTERN} (no spaces), got {value!r}")
    return value


def _check_fixed_id(value: Any, key: str, where: str, seen: set[str]) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not ID_RE.fullmatch(value):
        raise ControlError(f"{where}: '{key}' must match {ID_PATTERN} (36 characters, e.g. a uuid)")
    if value in seen:
        raise ControlError(f"{where}: '{key}' {value} appears twice in the scenario")
    seen.add(value)


def _check_data_source(ds: Any, where: str, seen: set[str]) -> None:
    check_keys(ds, DATA_SOURCE_KEYS, where)
    _check_name(ds.get("name"), where)
    _check_fixed_id(ds.get("data_source_id"), "data_source_id", where, seen)
    ds_type = ds.get("type", "S3")
    if not isinstance(ds_type, str) or not ds_type:
        raise ControlError(f"{where}: 'type' must be a non-empty string")
    status_of(ds, where)
    _check_sync_schedule(ds.get("sync_schedule"), where)
    history = ds.get("history", [])
    if not isinstance(history, list):
        raise ControlError(f"{where}: 'history' must be a list of job specs")
    execution_ids: set[str] = set()
    for j, spec in enumerate(history):
        job = job_from_spec(spec, 0, f"{where}.history[{j}]")
        if spec.get("execution_id") and job.execution_id in execution_ids:
            raise ControlError(f"{where}.history[{j}]: execution_id {job.execution_id} appears twice")
        execution_ids.add(job.execution_id)
    if ds.get("generate_history") is not None:
        expand_generate(ds["generate_history"], now_ms(), f"{where}.generate_history")
    if ds.get("next_sync") is not None:
        NextSync.from_spec(ds["next_sync"], f"{where}.next_sync")
    document_drafts(ds.get("documents"), ds.get("generate_documents"), now_ms(), f"{where}.documents", f"{where}.generate_documents")


def check_scenario(doc: Any) -> None:
    """Check the whole document before anything is created, so a bad scenario changes nothing."""
    check_keys(doc, SCENARIO_KEYS, "scenario")
    if doc.get("behaviours") is not None:
        BehaviourConfig.merged(BEHAVIOURS.config, doc["behaviours"], "scenario.behaviours")
    apps = doc.get("applications", [])
    if not isinstance(apps, list):
        raise ControlError("scenario: 'applications' must be a list")
    seen: set[str] = set()
    for a, app in enumerate(apps):
        where = f"applications[{a}]"
        check_keys(app, APPLICATION_KEYS, where)
        _check_name(app.get("name"), where)
        _check_fixed_id(app.get("application_id"), "application_id", where, seen)
        indices = app.get("indices", [])
        if not isinstance(indices, list):
            raise ControlError(f"{where}: 'indices' must be a list")
        for i, idx in enumerate(indices):
            where_i = f"{where}.indices[{i}]"
            check_keys(idx, INDEX_KEYS, where_i)
            _check_name(idx.get("name"), where_i)
            _check_fixed_id(idx.get("index_id"), "index_id", where_i, seen)
            sources = idx.get("data_sources", [])
            if not isinstance(sources, list):
                raise ControlError(f"{where_i}: 'data_sources' must be a list")
            for d, ds in enumerate(sources):
                _check_data_source(ds, f"{where_i}.data_sources[{d}]", seen)


def build_scenario(state: ServiceState, doc: dict[str, Any]) -> dict[str, Any]:
    """Create a checked scenario's resources in ``state``; a copy of ``doc`` with every id filled in.

    The copy names the state's region and account. Per data source it also has "execution_ids": the ids
    of all seeded jobs (history first, then generated), and "document_ids": the ids of its documents
    (``documents`` first, each spec's ``document_id`` filled in, then generated).
    """
    out = copy.deepcopy(doc)
    out["region"], out["account_id"] = state.region, state.account_id
    for app in out.get("applications", []):
        if app.get("application_id") in state.applications:
            raise ControlConflict(f"application_id '{app['application_id']}' already exists (call reset() first)")
    for app in out.setdefault("applications", []):
        application = state.add_application(app["name"], app.get("application_id"), description=app.get("description"))
        app["application_id"] = application.application_id
        for idx in app.setdefault("indices", []):
            index = state.add_index(application.application_id, idx["name"], idx.get("index_id"), description=idx.get("description"))
            idx["index_id"] = index.index_id
            for ds in idx.setdefault("data_sources", []):
                source = state.add_data_source(
                    application.application_id,
                    index.index_id,
                    ds["name"],
                    ds.get("data_source_id"),
                    ds_type=ds.get("type", "S3"),
                    description=ds.get("description"),
                    sync_schedule=ds.get("sync_schedule"),
                )
                source.set_status(status_of(ds, "data source"), source.created_ms)
                ds["data_source_id"] = source.data_source_id
                ds.setdefault("type", source.type)
                history = ds.get("history", [])
                for spec in history:
                    spec.setdefault("execution_id", new_id())
                ds["execution_ids"] = state.seed_jobs(source, history, ds.get("generate_history"))
                document_ids = state.seed_documents(source, ds.get("documents"), ds.get("generate_documents"))
                for spec, document_id in zip(ds.get("documents") or [], document_ids, strict=False):
                    spec["document_id"] = document_id
                ds["document_ids"] = document_ids
                if ds.get("next_sync") is not None:
                    source.next_sync = NextSync.from_spec(ds["next_sync"])
    if doc.get("behaviours") is not None:
        # Process-wide, like set_behaviours: the keys given change, the others keep their values.
        out["behaviours"] = BEHAVIOURS.update(doc["behaviours"])
    return out
