"""Scenario control, the Python API. The HTTP routes under /_emulator/ (server.py) call these functions.

Resource-scoped functions take ``region="us-east-1"`` and ``account_id=None`` (moto's default account,
123456789012). Payloads use snake_case. Bad payloads raise :class:`ControlError` (a ValueError) whose
``status`` is the HTTP status the control routes answer with (400 bad payload, 404 unknown resource,
409 fixed id already taken). Control calls are never recorded in the request log and never faulted.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID

from . import engine
from .engine import RUNTIME, SpecConflict, SpecNotFound
from .engine import SpecError as ControlError
from .models import qbusiness_backends

__all__ = [
    "ControlError",
    "clear_faults",
    "clear_requests",
    "get_faults",
    "load_scenario",
    "load_scenario_file",
    "requests",
    "reset",
    "seed_history",
    "start_sync",
    "set_faults",
    "set_next_sync",
]

SCENARIO_KEYS = ("region", "account_id", "applications")
APPLICATION_KEYS = ("name", "application_id", "description", "indices")
INDEX_KEYS = ("name", "index_id", "description", "data_sources")
DATA_SOURCE_KEYS = ("name", "data_source_id", "type", "description", "history", "generate_history", "next_sync")


def _state(region: str, account_id: str | None) -> engine.ServiceState:
    if not isinstance(region, str) or not region:
        raise ControlError("'region' must be a region name such as us-east-1")
    if account_id is not None and (not isinstance(account_id, str) or not account_id):
        raise ControlError("'account_id' must be a string")
    try:
        return qbusiness_backends[account_id or DEFAULT_ACCOUNT_ID][region].state
    except KeyError:
        raise ControlError(f"unknown region '{region}' (Amazon Q Business is not offered there)") from None


def _data_source(state: engine.ServiceState, application_id: Any, index_id: Any, data_source_id: Any) -> engine.DataSource:
    for key, value in (("application_id", application_id), ("index_id", index_id), ("data_source_id", data_source_id)):
        if not isinstance(value, str) or not value:
            raise ControlError(f"'{key}' is required and must be a string")
    try:
        return state.data_source(application_id, index_id, data_source_id)
    except engine.ResourceNotFoundException as exc:
        raise SpecNotFound(exc.message) from None


def reset() -> None:
    """Clear everything: resources and jobs in all accounts and regions, faults, the request log."""
    with RUNTIME.lock:
        for account_backends in list(qbusiness_backends.values()):
            for backend in list(account_backends.values()):
                backend.reset()
            account_backends.clear()
        qbusiness_backends.clear()
        RUNTIME.reset()


def _check_name(value: Any, where: str) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= 1000 or not engine.NAME_RE.fullmatch(value):
        raise ControlError(f"{where}: 'name' is required and must match {engine.NAME_PATTERN} (no spaces), got {value!r}")
    return value


def _check_fixed_id(value: Any, key: str, where: str, seen: set[str]) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not engine.ID_RE.fullmatch(value):
        raise ControlError(f"{where}: '{key}' must match {engine.ID_PATTERN} (36 characters, e.g. a uuid)")
    if value in seen:
        raise ControlError(f"{where}: '{key}' {value} appears twice in the scenario")
    seen.add(value)


def _validate_scenario(doc: Any) -> None:
    """Check the whole document before anything is created, so a bad scenario changes nothing."""
    engine.check_keys(doc, SCENARIO_KEYS, "scenario")
    apps = doc.get("applications", [])
    if not isinstance(apps, list):
        raise ControlError("scenario: 'applications' must be a list")
    seen: set[str] = set()
    for a, app in enumerate(apps):
        where = f"applications[{a}]"
        engine.check_keys(app, APPLICATION_KEYS, where)
        _check_name(app.get("name"), where)
        _check_fixed_id(app.get("application_id"), "application_id", where, seen)
        indices = app.get("indices", [])
        if not isinstance(indices, list):
            raise ControlError(f"{where}: 'indices' must be a list")
        for i, idx in enumerate(indices):
            where_i = f"{where}.indices[{i}]"
            engine.check_keys(idx, INDEX_KEYS, where_i)
            _check_name(idx.get("name"), where_i)
            _check_fixed_id(idx.get("index_id"), "index_id", where_i, seen)
            sources = idx.get("data_sources", [])
            if not isinstance(sources, list):
                raise ControlError(f"{where_i}: 'data_sources' must be a list")
            for d, ds in enumerate(sources):
                where_d = f"{where_i}.data_sources[{d}]"
                engine.check_keys(ds, DATA_SOURCE_KEYS, where_d)
                _check_name(ds.get("name"), where_d)
                _check_fixed_id(ds.get("data_source_id"), "data_source_id", where_d, seen)
                ds_type = ds.get("type", "S3")
                if not isinstance(ds_type, str) or not ds_type:
                    raise ControlError(f"{where_d}: 'type' must be a non-empty string")
                history = ds.get("history", [])
                if not isinstance(history, list):
                    raise ControlError(f"{where_d}: 'history' must be a list of job specs")
                execution_ids: set[str] = set()
                for j, spec in enumerate(history):
                    job = engine.job_from_spec(spec, 0, f"{where_d}.history[{j}]")
                    if spec.get("execution_id") and job.execution_id in execution_ids:
                        raise ControlError(f"{where_d}.history[{j}]: execution_id {job.execution_id} appears twice")
                    execution_ids.add(job.execution_id)
                if ds.get("generate_history") is not None:
                    engine.expand_generate(ds["generate_history"], engine.now_ms(), f"{where_d}.generate_history")
                if ds.get("next_sync") is not None:
                    engine.SyncPlan.from_spec(ds["next_sync"], f"{where_d}.next_sync")


def load_scenario(doc: dict[str, Any], region: str | None = None, account_id: str | None = None) -> dict[str, Any]:
    """Create the applications, indices, data sources, seeded histories and next-sync choices of ``doc``.

    The region is ``doc["region"]``, else ``region``, else us-east-1 (likewise ``account_id``). The whole
    document is validated first. Returns a copy of ``doc`` with "region", "account_id" and every
    application_id/index_id/data_source_id filled in, every history entry's execution_id filled in,
    and per data source "execution_ids": the ids of all seeded jobs (history first, then generated).
    """
    _validate_scenario(doc)
    out = copy.deepcopy(doc)
    out["region"] = doc.get("region") or region or "us-east-1"
    out["account_id"] = doc.get("account_id") or account_id or DEFAULT_ACCOUNT_ID
    with RUNTIME.lock:
        state = _state(out["region"], out["account_id"])
        for app in out.get("applications", []):
            if app.get("application_id") in state.applications:
                raise engine.SpecConflict(f"application_id '{app['application_id']}' already exists (call reset() first)")
        for app in out.setdefault("applications", []):
            application = state.add_application(app["name"], app.get("application_id"), description=app.get("description"))
            app["application_id"] = application.application_id
            for idx in app.setdefault("indices", []):
                index = state.add_index(application.application_id, idx["name"], idx.get("index_id"), description=idx.get("description"))
                idx["index_id"] = index.index_id
                for ds in idx.setdefault("data_sources", []):
                    source = state.add_data_source(application.application_id, index.index_id, ds["name"], ds.get("data_source_id"),
                                                   ds_type=ds.get("type", "S3"), description=ds.get("description"))
                    ds["data_source_id"] = source.data_source_id
                    ds.setdefault("type", source.type)
                    history = ds.get("history", [])
                    for spec in history:
                        spec.setdefault("execution_id", engine.new_id())
                    ds["execution_ids"] = state.seed_jobs(source, history, ds.get("generate_history"))
                    if ds.get("next_sync") is not None:
                        source.next_plan = engine.SyncPlan.from_spec(ds["next_sync"])
    return out


def load_scenario_file(path: str | Path, region: str | None = None, account_id: str | None = None) -> dict[str, Any]:
    """:func:`load_scenario` with a JSON file."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ControlError(f"cannot read scenario file {path}: {exc}") from None
    return load_scenario(doc, region=region, account_id=account_id)


def seed_history(application_id: str, index_id: str, data_source_id: str, jobs: list[dict[str, Any]] | None = None,
                 generate: dict[str, Any] | None = None, replace: bool = False, region: str = "us-east-1",
                 account_id: str | None = None) -> list[str]:
    """Add seeded jobs to a data source: ``jobs`` (job specs) and/or ``generate`` (generate_history keys).

    ``replace=True`` first removes every existing job of the data source (including a running one).
    Returns the execution ids of the added jobs, ``jobs`` first, then generated (newest first).
    """
    if not isinstance(replace, bool):
        raise ControlError("'replace' must be true or false")
    with RUNTIME.lock:
        state = _state(region, account_id)
        return state.seed_jobs(_data_source(state, application_id, index_id, data_source_id), jobs, generate, replace)


def set_next_sync(application_id: str, index_id: str, data_source_id: str, outcome: str = "SUCCEEDED",
                  syncing_seconds: float = engine.DEFAULT_SYNCING_SECONDS, indexing_seconds: float = engine.DEFAULT_INDEXING_SECONDS,
                  stopping_seconds: float = engine.DEFAULT_STOPPING_SECONDS, metrics: dict[str, int] | None = None,
                  error: dict[str, str] | None = None, data_source_error_code: str | None = None, never_ends: bool = False,
                  region: str = "us-east-1", account_id: str | None = None) -> dict[str, Any]:
    """Choose how the next StartDataSourceSyncJob of this data source runs (one Start only; then defaults).

    Calling it again replaces the pending choice. Returns the stored choice as a snake_case dict.
    """
    plan = engine.SyncPlan.from_spec({
        "outcome": outcome, "syncing_seconds": syncing_seconds, "indexing_seconds": indexing_seconds,
        "stopping_seconds": stopping_seconds, "metrics": metrics, "error": error,
        "data_source_error_code": data_source_error_code, "never_ends": never_ends,
    })
    with RUNTIME.lock:
        state = _state(region, account_id)
        _data_source(state, application_id, index_id, data_source_id).next_plan = plan
    return plan.to_spec()


def start_sync(application_id: str, index_id: str, data_source_id: str, region: str = "us-east-1",
               account_id: str | None = None) -> dict[str, Any]:
    """Start a sync as a schedule or another tool would, through the same path as StartDataSourceSyncJob.

    Not logged as an API request. A sync already in progress is a ControlError with status 409.
    Returns ``{"execution_id": ...}``.
    """
    with RUNTIME.lock:
        state = _state(region, account_id)
        _data_source(state, application_id, index_id, data_source_id)
        path = {"applicationId": application_id, "indexId": index_id, "dataSourceId": data_source_id}
        try:
            started = state.call("StartDataSourceSyncJob", path, {}, {}, {})
        except engine.ConflictException as exc:
            raise SpecConflict(exc.message) from None
    return {"execution_id": started["executionId"]}


def set_faults(throttle_rate: float = 0.0, server_error_rate: float = 0.0, server_error_status: int = 500, latency_ms: float = 0,
               seed: int | None = None, operations: list[str] | None = None, history_order: str = "newest_first",
               repeat_next_token: bool = False, denied_access_keys: list[str] | None = None,
               drop_connection_rate: float = 0.0) -> dict[str, Any]:
    """Replace the whole fault configuration (no arguments = no faults). Faults are process-wide (all regions/accounts).

    ``drop_connection_rate``: that share of matching requests gets no answer at all. The HTTP servers close
    the connection without writing a byte; in process (``mock_aws``), where there is no socket, botocore's
    ``ConnectionClosedError`` is raised from the send instead, which botocore then handles the same way.
    Returns the configuration as :func:`get_faults` shows it.
    """
    return RUNTIME.set_faults({
        "throttle_rate": throttle_rate, "server_error_rate": server_error_rate, "server_error_status": server_error_status,
        "latency_ms": latency_ms, "seed": seed, "operations": operations, "history_order": history_order,
        "repeat_next_token": repeat_next_token, "denied_access_keys": denied_access_keys,
        "drop_connection_rate": drop_connection_rate,
    })


def clear_faults() -> dict[str, Any]:
    """Same as ``set_faults()``."""
    return set_faults()


def get_faults() -> dict[str, Any]:
    """The fault configuration: the set_faults keyword arguments (operations null = all operations)."""
    return RUNTIME.get_faults()


def requests() -> list[dict[str, Any]]:
    """The request log in arrival order: one dict per Q Business API request (control calls excluded).

    Keys: operation ("Unknown" for an unroutable path), region, account_id, method, path, params (path
    parameters, query parameters and JSON body members merged, under their wire names and as sent:
    query values are strings, e.g. {"maxResults": "10", "syncStatus": "FAILED"}), status_code (0 when the
    connection was dropped: no answer was sent), fault (null | "access_denied" | "connection_dropped" |
    "throttle" | "server_error"), time (epoch seconds of arrival).
    """
    return RUNTIME.requests()


def clear_requests() -> None:
    """Empty the request log."""
    RUNTIME.clear_requests()
