# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenario control, the Python API. The HTTP routes under /_emulator/ (server.py) call these functions.

Resource-scoped functions take ``region="us-east-1"`` and ``account_id=None`` (moto's default account,
123456789012). Payloads use snake_case. Bad payloads raise :class:`ControlError` (a ValueError) whose
``status`` is the HTTP status the control routes answer with (400 bad payload, 404 unknown resource,
409 fixed id already taken). Control calls are never recorded in the request log and never faulted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID

from .behaviours import BEHAVIOURS
from .clock import now_ms
from .exceptions import ConflictException
from .exceptions import ControlConflict
from .exceptions import ControlError
from .exceptions import ControlNotFound
from .exceptions import ResourceNotFoundException
from .faults import FAULTS
from .faults import FaultConfig
from .jobs import NextSync
from .models import STATE_LOCK
from .models import DataSource
from .models import ServiceState
from .models import qbusiness_backends
from .requestlog import REQUEST_LOG
from .scenarios import DataSourceStatus
from .scenarios import build_scenario
from .scenarios import check_scenario
from .validation import takes_spec

__all__ = [
    "ControlError",
    "clear_behaviours",
    "clear_faults",
    "clear_requests",
    "get_behaviours",
    "get_faults",
    "load_scenario",
    "load_scenario_file",
    "requests",
    "reset",
    "seed_documents",
    "seed_history",
    "start_sync",
    "set_behaviours",
    "set_data_source_status",
    "set_faults",
    "set_next_sync",
]

DATA_SOURCE_ARGS = ("application_id", "index_id", "data_source_id")
SCOPE_ARGS = ("region", "account_id")


def _state(region: str, account_id: str | None) -> ServiceState:
    if not isinstance(region, str) or not region:
        raise ControlError("'region' must be a region name such as us-east-1")
    if account_id is not None and (not isinstance(account_id, str) or not account_id):
        raise ControlError("'account_id' must be a string")
    try:
        return qbusiness_backends[account_id or DEFAULT_ACCOUNT_ID][region].state
    except KeyError:
        raise ControlError(f"unknown region '{region}' (Amazon Q Business is not offered there)") from None


def _data_source(state: ServiceState, application_id: Any, index_id: Any, data_source_id: Any) -> DataSource:
    for key, value in zip(DATA_SOURCE_ARGS, (application_id, index_id, data_source_id), strict=True):
        if not isinstance(value, str) or not value:
            raise ControlError(f"'{key}' is required and must be a string")
    try:
        return state.data_source(application_id, index_id, data_source_id)
    except ResourceNotFoundException as exc:
        raise ControlNotFound(exc.message) from None


def reset() -> None:
    """Clear everything: resources and jobs in all accounts and regions, faults, behaviours, the request log."""
    with STATE_LOCK:
        for account_backends in list(qbusiness_backends.values()):
            for backend in list(account_backends.values()):
                backend.reset()
            account_backends.clear()
        qbusiness_backends.clear()
        FAULTS.reset()
        BEHAVIOURS.reset()
        REQUEST_LOG.clear()


def load_scenario(doc: dict[str, Any], region: str | None = None, account_id: str | None = None) -> dict[str, Any]:
    """Create the applications, indices, data sources, seeded histories, documents and next-sync choices of ``doc``.

    The region is ``doc["region"]``, else ``region``, else us-east-1 (likewise ``account_id``). The whole
    document is validated first. Returns a copy of ``doc`` with "region", "account_id" and every
    application_id/index_id/data_source_id filled in, every history entry's execution_id and every
    documents entry's document_id filled in, and per data source "execution_ids": the ids of all seeded
    jobs (history first, then generated) and "document_ids": the ids of its documents (documents first, then generated).
    """
    check_scenario(doc)
    with STATE_LOCK:
        state = _state(doc.get("region") or region or "us-east-1", doc.get("account_id") or account_id or DEFAULT_ACCOUNT_ID)
        return build_scenario(state, doc)


def load_scenario_file(path: str | Path, region: str | None = None, account_id: str | None = None) -> dict[str, Any]:
    """:func:`load_scenario` with a JSON file."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ControlError(f"cannot read scenario file {path}: {exc}") from None
    return load_scenario(doc, region=region, account_id=account_id)


def seed_history(
    application_id: str,
    index_id: str,
    data_source_id: str,
    jobs: list[dict[str, Any]] | None = None,
    generate: dict[str, Any] | None = None,
    replace: bool = False,
    region: str = "us-east-1",
    account_id: str | None = None,
) -> list[str]:
    """Add seeded jobs to a data source: ``jobs`` (job specs) and/or ``generate`` (generate_history keys).

    ``replace=True`` first removes every existing job of the data source (including a running one).
    Returns the execution ids of the added jobs, ``jobs`` first, then generated (newest first).
    """
    if not isinstance(replace, bool):
        raise ControlError("'replace' must be true or false")
    with STATE_LOCK:
        state = _state(region, account_id)
        return state.seed_jobs(_data_source(state, application_id, index_id, data_source_id), jobs, generate, replace)


def seed_documents(
    application_id: str,
    index_id: str,
    data_source_id: str,
    documents: list[dict[str, Any]] | None = None,
    generate: dict[str, Any] | None = None,
    replace: bool = False,
    region: str = "us-east-1",
    account_id: str | None = None,
) -> list[str]:
    """Add documents to a data source, as ListDocuments lists them: ``documents`` (document specs) and/or
    ``generate`` (generate_documents keys).

    ``replace=True`` first removes every document of the data source. The syncs that have ended are applied
    to the documents before (so they do not change documents seeded after their end). Returns the ids of the
    added documents, ``documents`` first, then generated.
    """
    if not isinstance(replace, bool):
        raise ControlError("'replace' must be true or false")
    with STATE_LOCK:
        state = _state(region, account_id)
        return state.seed_documents(_data_source(state, application_id, index_id, data_source_id), documents, generate, replace)


@takes_spec(NextSync, before=DATA_SOURCE_ARGS, after=SCOPE_ARGS)
def set_next_sync(
    application_id: str, index_id: str, data_source_id: str, region: str = "us-east-1", account_id: str | None = None, **spec: Any
) -> dict[str, Any]:
    """Choose how the next StartDataSourceSyncJob of this data source runs (one Start only; then defaults).

    The keyword arguments between the ids and ``region`` are the :class:`~qbusiness_emulator.jobs.NextSync`
    fields. Calling it again replaces the pending choice. Returns the stored choice as a snake_case dict.
    """
    next_sync = NextSync.from_spec(spec)
    with STATE_LOCK:
        state = _state(region, account_id)
        _data_source(state, application_id, index_id, data_source_id).next_sync = next_sync
    return next_sync.to_spec()


def set_data_source_status(
    application_id: str,
    index_id: str,
    data_source_id: str,
    status: str,
    error: dict[str, Any] | None = None,
    creating_seconds: float | None = None,
    region: str = "us-east-1",
    account_id: str | None = None,
) -> dict[str, Any]:
    """Set a data source's status from now on, as GetDataSource and ListDataSources answer it.

    ``status`` is one of the model's DataSourceStatus values. ``error`` ({error_code, error_message}) only with
    FAILED (default: an InvalidRequest about the connector's configuration and credentials); ``creating_seconds``
    (> 0) only with CREATING: CREATING for that many seconds from this call, then ACTIVE (default 30).
    updatedAt becomes now when the status (or error) shown changes. Only what the data source shows changes:
    StartDataSourceSyncJob and DeleteDataSource behave as for an ACTIVE one. Returns the stored choice
    ``{"status", "error" {error_code, error_message} or null, "creating_seconds" or null}``.
    """
    chosen = DataSourceStatus.from_spec({"status": status, "error": error, "creating_seconds": creating_seconds}, "data-source-status")
    with STATE_LOCK:
        state = _state(region, account_id)
        _data_source(state, application_id, index_id, data_source_id).set_status(chosen, now_ms())
    return chosen.to_spec()


def start_sync(application_id: str, index_id: str, data_source_id: str, region: str = "us-east-1", account_id: str | None = None) -> dict[str, Any]:
    """Start a sync as a schedule or another tool would, through the same path as StartDataSourceSyncJob.

    Not logged as an API request. A sync already in progress is a ControlError with status 409 (under the
    ``start_while_running="ok"`` behaviour, the running sync's execution id, as Start then answers).
    Returns ``{"execution_id": ...}``.
    """
    with STATE_LOCK:
        state = _state(region, account_id)
        _data_source(state, application_id, index_id, data_source_id)
        path = {"applicationId": application_id, "indexId": index_id, "dataSourceId": data_source_id}
        try:
            started = state.call("StartDataSourceSyncJob", path, {}, {}, {})
        except ConflictException as exc:
            raise ControlConflict(exc.message) from None
    return {"execution_id": started["executionId"]}


@takes_spec(FaultConfig)
def set_faults(**spec: Any) -> dict[str, Any]:
    """Replace the whole fault configuration (no arguments = no faults). Faults are process-wide (all regions/accounts).

    The keyword arguments are the :class:`~qbusiness_emulator.faults.FaultConfig` fields.
    ``drop_connection_rate``: that share of matching requests gets no answer at all. The HTTP servers close
    the connection without writing a byte; in process (``mock_aws``), where there is no socket, botocore's
    ``ConnectionClosedError`` is raised from the send instead, which botocore then handles the same way.
    Returns the configuration as :func:`get_faults` shows it.
    """
    return FAULTS.configure(spec)


def clear_faults() -> dict[str, Any]:
    """Same as ``set_faults()``."""
    return set_faults()


def get_faults() -> dict[str, Any]:
    """The fault configuration: the set_faults keyword arguments (operations null = all operations)."""
    return FAULTS.current()


def set_behaviours(**keys: Any) -> dict[str, Any]:
    """Set some behaviour switches; the keys not given keep their current value. Process-wide, like the faults.

    The keys are the :class:`~qbusiness_emulator.behaviours.BehaviourConfig` fields. An unknown key or a bad
    value is a ControlError naming it (nothing changes then). Returns every key as :func:`get_behaviours` does.
    """
    return BEHAVIOURS.update(keys)


def get_behaviours() -> dict[str, Any]:
    """Every behaviour switch with its current value."""
    return BEHAVIOURS.current()


def clear_behaviours() -> dict[str, Any]:
    """Every behaviour switch back to its default; returns them."""
    return BEHAVIOURS.reset()


def requests() -> list[dict[str, Any]]:
    """The request log in arrival order: one dict per Q Business API request (control calls excluded).

    Keys: operation ("Unknown" for an unroutable path), region, account_id, method, path, params (path
    parameters, query parameters and JSON body members merged, under their wire names and as sent:
    query values are strings, e.g. {"maxResults": "10", "syncStatus": "FAILED"}), status_code (0 when the
    connection was dropped: no answer was sent), fault (null | "access_denied" | "connection_dropped" |
    "throttle" | "server_error"), time (epoch seconds of arrival).
    """
    return REQUEST_LOG.entries()


def clear_requests() -> None:
    """Empty the request log."""
    REQUEST_LOG.clear()
