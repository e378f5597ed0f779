# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The API operations: one function each, registered with its HTTP method and path in :data:`OPERATIONS`.

Each takes wire-level inputs (path parameters, first query values as strings, the parsed JSON body, and
``options``: the faults' listing options, and ``query_lists``, every query parameter with all its values,
for the list-valued ones) and returns a wire-level answer (a camelCase dict) or raises a ServiceError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from typing import Any

from .behaviours import BEHAVIOURS
from .clock import SYNC_STATUSES
from .clock import now_ms
from .clock import parse_time
from .clock import to_epoch_seconds
from .documents import document_window
from .exceptions import ConflictException
from .history import page_size
from .history import paginate
from .history import snapshot
from .jobs import NextSync
from .jobs import SyncJob
from .jobs import plausible_metrics
from .validation import ID_PATTERN
from .validation import ID_RE
from .validation import FieldChecks
from .validation import new_id

if TYPE_CHECKING:
    from .models import Application
    from .models import ServiceState

PathParams = dict[str, str]
Query = dict[str, str]
Body = dict[str, Any]
Handler = Callable[["ServiceState", PathParams, Query, Body, dict[str, Any]], dict[str, Any]]

_DS = "/applications/{applicationId}/indices/{indexId}/datasources"
DEFAULT_INDEX_TYPE = "ENTERPRISE"  # GetIndex's type for an index made without one


@dataclass(frozen=True)
class Operation:
    """An API operation: its name, HTTP method, URI template (from the service model) and handler."""

    name: str
    method: str
    path: str
    handler: Handler


# Name -> operation, in the order the service model lists them.
OPERATIONS: dict[str, Operation] = {}


def operation(name: str, method: str, path: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of an operation."""

    def register(handler: Handler) -> Handler:
        OPERATIONS[name] = Operation(name, method, path, handler)
        return handler

    return register


@operation("CreateApplication", "POST", "/applications")
def create_application(state: ServiceState, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
    """CreateApplication."""
    checks = FieldChecks()
    checks.name("displayName", body.get("displayName"))
    checks.optional_str("description", body.get("description"), 1000)
    checks.optional_str("roleArn", body.get("roleArn"), 1284)
    identity = body.get("identityType")
    checks.enum("identityType", identity, ("AWS_IAM_IDP_SAML", "AWS_IAM_IDP_OIDC", "AWS_IAM_IDC", "AWS_QUICKSIGHT_IDP", "ANONYMOUS"))
    checks.raise_if_any()

    def create() -> dict[str, Any]:
        app = state.add_application(body["displayName"], description=body.get("description"), role_arn=body.get("roleArn"), identity_type=identity)
        return {"applicationId": app.application_id, "applicationArn": app.arn}

    return state.idempotent(("app",), body, create)


def _application_wire(app: Application, full: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "displayName": app.display_name,
        "applicationId": app.application_id,
        "createdAt": to_epoch_seconds(app.created_ms),
        "updatedAt": to_epoch_seconds(app.created_ms),
        "status": "ACTIVE",
    }
    if app.identity_type:
        out["identityType"] = app.identity_type
    if full:
        out["applicationArn"] = app.arn
        if app.description is not None:
            out["description"] = app.description
        if app.role_arn is not None:
            out["roleArn"] = app.role_arn
    return out


def _with_token(out: dict[str, Any], token: str | None) -> dict[str, Any]:
    if token:
        out["nextToken"] = token
    return out


@operation("GetApplication", "GET", "/applications/{applicationId}")
def get_application(state: ServiceState, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
    """GetApplication."""
    FieldChecks.of_path(path).raise_if_any()
    return _application_wire(state.application(path["applicationId"]), full=True)


@operation("ListApplications", "GET", "/applications")
def list_applications(state: ServiceState, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
    """ListApplications (creation order)."""
    checks = FieldChecks()
    size = page_size("ListApplications", query, checks)
    checks.raise_if_any()
    page, token = paginate(
        snapshot(list(state.applications.values()), lambda a: a.seq), size, query.get("nextToken"), ["ListApplications"], state.last_seq, params=query
    )
    return _with_token({"applications": [_application_wire(a, full=False) for a in page]}, token)


@operation("CreateIndex", "POST", "/applications/{applicationId}/indices")
def create_index(state: ServiceState, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
    """CreateIndex."""
    checks = FieldChecks.of_path(path)
    checks.name("displayName", body.get("displayName"))
    checks.optional_str("description", body.get("description"), 1000)
    index_type = body.get("type")
    checks.enum("type", index_type, ("ENTERPRISE", "STARTER"))
    checks.raise_if_any()
    state.application(path["applicationId"])

    def create() -> dict[str, Any]:
        idx = state.add_index(path["applicationId"], body["displayName"], description=body.get("description"), index_type=index_type)
        return {"indexId": idx.index_id, "indexArn": idx.arn}

    return state.idempotent(("index", path["applicationId"]), body, create)


@operation("GetIndex", "GET", "/applications/{applicationId}/indices/{indexId}")
def get_index(state: ServiceState, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
    """GetIndex: ACTIVE; type ENTERPRISE unless CreateIndex chose one."""
    FieldChecks.of_path(path).raise_if_any()
    idx = state.index(path["applicationId"], path["indexId"])
    out: dict[str, Any] = {
        "applicationId": idx.application_id,
        "indexId": idx.index_id,
        "displayName": idx.display_name,
        "indexArn": idx.arn,
        "status": "ACTIVE",
        "type": idx.type or DEFAULT_INDEX_TYPE,
        "createdAt": to_epoch_seconds(idx.created_ms),
        "updatedAt": to_epoch_seconds(idx.created_ms),
    }
    if idx.description is not None:
        out["description"] = idx.description
    return out


@operation("ListIndices", "GET", "/applications/{applicationId}/indices")
def list_indices(state: ServiceState, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
    """ListIndices (creation order)."""
    checks = FieldChecks.of_path(path)
    size = page_size("ListIndices", query, checks)
    checks.raise_if_any()
    app = state.application(path["applicationId"])
    page, token = paginate(
        snapshot(list(app.indices.values()), lambda i: i.seq), size, query.get("nextToken"), ["ListIndices", app.application_id], state.last_seq, params=query
    )
    return _with_token(
        {
            "indices": [
                {
                    "displayName": i.display_name,
                    "indexId": i.index_id,
                    "createdAt": to_epoch_seconds(i.created_ms),
                    "updatedAt": to_epoch_seconds(i.created_ms),
                    "status": "ACTIVE",
                }
                for i in page
            ]
        },
        token,
    )


@operation("CreateDataSource", "POST", _DS)
def create_data_source(state: ServiceState, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
    """CreateDataSource; the data source type is configuration['type'] (CUSTOM when absent)."""
    checks = FieldChecks.of_path(path)
    checks.name("displayName", body.get("displayName"))
    configuration = body.get("configuration")
    if not isinstance(configuration, dict):
        checks.fail("configuration", "Value null at 'configuration' failed to satisfy constraint: Member must not be null")
    checks.optional_str("description", body.get("description"), 1000)
    checks.optional_str("roleArn", body.get("roleArn"), 1284)
    checks.optional_str("syncSchedule", body.get("syncSchedule"), 998)
    checks.raise_if_any()
    state.index(path["applicationId"], path["indexId"])
    assert isinstance(configuration, dict)
    ds_type = configuration.get("type")
    ds_type = ds_type if isinstance(ds_type, str) and ds_type else "CUSTOM"

    def create() -> dict[str, Any]:
        ds = state.add_data_source(
            path["applicationId"],
            path["indexId"],
            body["displayName"],
            ds_type=ds_type,
            configuration=configuration,
            description=body.get("description"),
            role_arn=body.get("roleArn"),
            sync_schedule=body.get("syncSchedule"),
        )
        return {"dataSourceId": ds.data_source_id, "dataSourceArn": ds.arn}

    return state.idempotent(("ds", path["applicationId"], path["indexId"]), body, create)


@operation("GetDataSource", "GET", _DS + "/{dataSourceId}")
def get_data_source(state: ServiceState, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
    """GetDataSource."""
    FieldChecks.of_path(path).raise_if_any()
    ds = state.data_source(path["applicationId"], path["indexId"], path["dataSourceId"])
    shown = ds.status_at(now_ms())
    out: dict[str, Any] = {
        "applicationId": ds.application_id,
        "indexId": ds.index_id,
        "dataSourceId": ds.data_source_id,
        "dataSourceArn": ds.arn,
        "displayName": ds.display_name,
        "type": ds.type,
        "configuration": ds.configuration,
        "createdAt": to_epoch_seconds(ds.created_ms),
        "updatedAt": to_epoch_seconds(shown.updated_ms),
        "status": shown.status,
    }
    for key, value in (("description", ds.description), ("roleArn", ds.role_arn), ("syncSchedule", ds.sync_schedule)):
        if value is not None:
            out[key] = value
    if shown.error is not None:
        out["error"] = dict(shown.error)
    return out


@operation("ListDataSources", "GET", _DS)
def list_data_sources(state: ServiceState, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
    """ListDataSources (creation order)."""
    checks = FieldChecks.of_path(path)
    size = page_size("ListDataSources", query, checks)
    checks.raise_if_any()
    idx = state.index(path["applicationId"], path["indexId"])
    page, token = paginate(
        snapshot(list(idx.data_sources.values()), lambda d: d.seq),
        size,
        query.get("nextToken"),
        ["ListDataSources", idx.application_id, idx.index_id],
        state.last_seq,
        params=query,
    )
    at = now_ms()
    return _with_token(
        {
            "dataSources": [
                {
                    "displayName": d.display_name,
                    "dataSourceId": d.data_source_id,
                    "type": d.type,
                    "createdAt": to_epoch_seconds(d.created_ms),
                    "updatedAt": to_epoch_seconds(shown.updated_ms),
                    "status": shown.status,
                }
                for d in page
                for shown in (d.status_at(at),)
            ]
        },
        token,
    )


@operation("DeleteDataSource", "DELETE", _DS + "/{dataSourceId}")
def delete_data_source(state: ServiceState, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
    """DeleteDataSource: removed at once, even with a job in progress."""
    FieldChecks.of_path(path).raise_if_any()
    ds = state.data_source(path["applicationId"], path["indexId"], path["dataSourceId"])
    del state.index(ds.application_id, ds.index_id).data_sources[ds.data_source_id]
    return {}


@operation("StartDataSourceSyncJob", "POST", _DS + "/{dataSourceId}/startsync")
def start_data_source_sync_job(state: ServiceState, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
    """StartDataSourceSyncJob: ConflictException while a job is SYNCING, SYNCING_INDEXING or STOPPING.

    The data source's own status is not consulted (AWS does not document the answer for one that is not ACTIVE).

    Behaviours: start_while_running="ok" answers the running job's executionId instead (nothing starts);
    listing_delay_seconds keeps the new job out of ListDataSourceSyncJobs for that long.
    """
    FieldChecks.of_path(path).raise_if_any()
    ds = state.data_source(path["applicationId"], path["indexId"], path["dataSourceId"])
    at = now_ms()
    behaviours = BEHAVIOURS.config
    running = ds.jobs_in_progress(at)
    if running and behaviours.start_while_running == "ok":
        return {"executionId": running[-1].execution_id}
    if running:
        raise ConflictException(
            f"Data source {ds.data_source_id} already has a sync job in progress (execution {running[-1].execution_id})", ds.data_source_id, "DataSource"
        )
    run = ds.next_sync or NextSync()
    ds.next_sync = None
    execution_id = new_id()
    metrics = dict(run.metrics) if run.metrics is not None else plausible_metrics(execution_id, run.outcome)
    job = SyncJob(
        execution_id=execution_id,
        start_ms=at,
        seq=state.next_seq(),
        next_sync=run,
        metrics=metrics,
        stopping_seconds=run.stopping_seconds,
        listed_from_ms=at + int(round(behaviours.listing_delay_seconds * 1000)),
    )
    ds.jobs.append(job)
    ds.unsettled.append(job)  # its end changes the documents (DataSource.settle_documents)
    ds.touch_history()
    return {"executionId": execution_id}


@operation("StopDataSourceSyncJob", "POST", _DS + "/{dataSourceId}/stopsync")
def stop_data_source_sync_job(state: ServiceState, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
    """StopDataSourceSyncJob: running jobs go STOPPING, then ABORTED; ConflictException when none is in progress.

    Behaviour stop_without_sync="ok": with none in progress, 200 and nothing done.
    """
    FieldChecks.of_path(path).raise_if_any()
    ds = state.data_source(path["applicationId"], path["indexId"], path["dataSourceId"])
    at = now_ms()
    in_progress = ds.jobs_in_progress(at)
    if not in_progress and BEHAVIOURS.config.stop_without_sync == "ok":
        return {}
    if not in_progress:
        raise ConflictException(f"Data source {ds.data_source_id} has no sync job in progress", ds.data_source_id, "DataSource")
    for job in in_progress:
        # Jobs already STOPPING keep their course; a seeded job stops with its seeded metrics.
        if job.stop_ms is None and job.state_at(at).status != "STOPPING":
            job.stop_ms = at
    return {}


@operation("ListDataSourceSyncJobs", "GET", _DS + "/{dataSourceId}/syncjobs")
def list_data_source_sync_jobs(state: ServiceState, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
    """ListDataSourceSyncJobs with server-side filters and the ordering chosen in ``options``.

    options: history_order ('newest_first'|'oldest_first'|'shuffled'), order_seed, repeat_next_token.
    Filters: syncStatus on the current status; startTime <= job.startTime <= endTime by default, else as the
    time_filter_* behaviours say. A job started under listing_delay_seconds is left out until it is listed.
    """
    checks = FieldChecks.of_path(path)
    size = page_size("ListDataSourceSyncJobs", query, checks)
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
        checks.fail(
            "statusFilter",
            f"Value '{status_filter}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [{', '.join(SYNC_STATUSES)}]",
        )
    checks.raise_if_any()
    ds = state.data_source(path["applicationId"], path["indexId"], path["dataSourceId"])
    at = now_ms()
    behaviours = BEHAVIOURS.config
    start, end = bounds["startTime"], bounds["endTime"]
    timed = start is not None or end is not None
    ordered = ds.history_order(options.get("history_order", "newest_first"), options.get("order_seed"))
    scope = ["ListDataSourceSyncJobs", ds.application_id, ds.index_id, ds.data_source_id, status_filter, start, end]
    repeat = bool(options.get("repeat_next_token"))
    unlisted = any(job.listed_from_ms > at for job in ds.jobs)
    if status_filter is None and not unlisted and (not timed or behaviours.bisectable):
        # Only the page's jobs are evaluated against the clock.
        window = ordered.window(*behaviours.bounds(start, end))
        page, token = paginate(window, size, query.get("nextToken"), scope, state.last_seq, repeat, query)
        return _with_token({"history": [job.wire(job.state_at(at)) for job in page]}, token)
    # The status (or, by behaviour, the end time or whether it runs) is read at request time: every candidate is evaluated.
    jobs, lo, hi = ordered.span(*behaviours.bounds(start, end)) if behaviours.bisectable else ordered.span(None, None)
    selected = [
        (job, job_state)
        for job in jobs[lo:hi]
        if job.listed_from_ms <= at
        for job_state in (job.state_at(at),)
        if (status_filter is None or job_state.status == status_filter)
        and behaviours.time_matches(start, end, job_state.status, job.start_ms, job_state.end_ms)
    ]
    picked, token = paginate(snapshot(selected, lambda js: js[0].seq), size, query.get("nextToken"), scope, state.last_seq, repeat, query)
    return _with_token({"history": [job.wire(job_state) for job, job_state in picked]}, token)


def _query_list(query: Query, options: dict[str, Any], name: str) -> list[str] | None:
    """Every value of a list-valued query parameter (repeated, as botocore sends a list), or None when absent."""
    lists = options.get("query_lists")
    if isinstance(lists, dict) and name in lists:
        return [str(v) for v in lists[name]]
    return [query[name]] if name in query else None


@operation("ListDocuments", "GET", "/applications/{applicationId}/index/{indexId}/documents")
def list_documents(state: ServiceState, path: PathParams, query: Query, body: Body, options: dict[str, Any]) -> dict[str, Any]:
    """ListDocuments: the documents of the index, or of the one data source in dataSourceIds, in creation order.

    An unknown data source in dataSourceIds answers an empty list (AWS does not document it). Clocked syncs
    that have ended are applied to the documents first (DataSource.settle_documents).
    """
    checks = FieldChecks.of_path(path)
    size = page_size("ListDocuments", query, checks)
    ds_ids = _query_list(query, options, "dataSourceIds")
    if ds_ids is not None:
        if len(ds_ids) > 1:
            checks.fail(
                "dataSourceIds",
                f"Value '[{', '.join(ds_ids)}]' at 'dataSourceIds' failed to satisfy constraint: Member must have length less than or equal to 1",
            )
        for value in ds_ids:
            if not ID_RE.fullmatch(value):
                checks.fail(
                    "dataSourceIds",
                    f"Value '{value}' at 'dataSourceIds' failed to satisfy constraint: "
                    f"Member must satisfy constraint: [Member must satisfy regular expression pattern: {ID_PATTERN}]",
                )
    checks.raise_if_any()
    idx = state.index(path["applicationId"], path["indexId"])
    # An unknown data source has no documents (AWS does not document the answer).
    sources = list(idx.data_sources.values()) if ds_ids is None else [idx.data_sources[d] for d in ds_ids if d in idx.data_sources]
    at = now_ms()
    for ds in sources:
        ds.settle_documents(at, state.next_seq)
    docs, max_seq = idx.documents_order(sources)
    page, token = paginate(
        document_window(docs, max_seq), size, query.get("nextToken"), ["ListDocuments", idx.application_id, idx.index_id, ds_ids], state.last_seq, params=query
    )
    return _with_token({"documentDetailList": [doc.wire() for doc in page]}, token)
