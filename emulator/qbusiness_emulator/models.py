# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The qbusiness backend: resources (Application, Index, DataSource and its documents), the state of one account in one region,
and ``qbusiness_backends``, the moto BackendDict that moto finds as ``moto.qbusiness.qbusiness_backends``.

Only :class:`QBusinessBackend` touches moto; the rest is plain Python, so it can be driven directly in tests.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from moto.core.base_backend import BackendDict
from moto.core.base_backend import BaseBackend

from .clock import CREATING_TRANSITIONS
from .clock import IN_PROGRESS
from .clock import OUTCOMES
from .clock import advance
from .clock import now_ms
from .documents import Document
from .documents import DocumentSet
from .documents import default_id_prefix
from .documents import document_drafts
from .documents import merged_order
from .exceptions import ControlConflict
from .exceptions import ControlError
from .exceptions import ResourceNotFoundException
from .history import HistoryOrder
from .jobs import NextSync
from .jobs import SyncJob
from .operations import OPERATIONS
from .scenarios import DataSourceStatus
from .scenarios import expand_generate
from .scenarios import job_from_spec
from .validation import new_id

# Serialises every access to any ServiceState: API requests and control calls alike.
STATE_LOCK = threading.RLock()


@dataclass(frozen=True)
class StatusView:
    """A data source's status as read at one instant: what GetDataSource / ListDataSources answer."""

    status: str
    error: dict[str, str] | None  # wire form; FAILED only
    updated_ms: int  # updatedAt: when the data source last changed status (else its creation)


@dataclass
class DataSource:
    """A data source, its status, its sync-job history and its documents."""

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
    next_sync: NextSync | None = None  # how the next started job runs (one Start only)
    history_version: int = 0  # bumped by every change to ``jobs`` (see touch_history)
    # The status as last set (scenario, set_data_source_status); read it with status_at, where CREATING turns ACTIVE.
    status: DataSourceStatus = field(default_factory=DataSourceStatus)
    status_set_ms: int | None = None  # when ``status`` was set (None: at creation); the CREATING clock starts there
    status_updated_ms: int | None = None  # updatedAt while ``status`` shows as set (None: created_ms)
    documents: DocumentSet = field(default_factory=DocumentSet)
    # Clocked jobs whose end has not yet been applied to the documents (settle_documents), oldest first.
    unsettled: list[SyncJob] = field(default_factory=list)
    _orders: dict[tuple[str, Any], HistoryOrder] = field(default_factory=dict, init=False, repr=False, compare=False)
    _orders_of: tuple[list[SyncJob] | None, int, int] = field(default=(None, -1, -1), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.documents.id_prefix:
            self.documents.id_prefix = default_id_prefix(self.display_name, self.type)

    def settle_documents(self, at_ms: int, next_seq: Callable[[], int]) -> None:
        """Apply to the documents every clocked job that has ended by ``at_ms`` (each once, in start order).

        A job ending SUCCEEDED, FAILED or INCOMPLETE changes them (as of its end time, see DocumentSet.apply_sync);
        one ABORTED, or ending in a status outside the API's, leaves them as they are. Jobs still running wait.
        """
        while self.unsettled:
            job = self.unsettled[0]
            state = job.state_at(at_ms)
            if state.status in IN_PROGRESS:
                return
            self.unsettled.pop(0)
            if state.status in OUTCOMES and job.next_sync is not None and state.end_ms is not None:
                self.documents.apply_sync(state.metrics or {}, job.next_sync, state.end_ms, next_seq)

    def status_at(self, at_ms: int) -> StatusView:
        """The status at ``at_ms``, read lazily like a sync job: CREATING becomes ACTIVE after creating_seconds."""
        chosen = self.status
        set_ms = self.created_ms if self.status_set_ms is None else self.status_set_ms
        if chosen.status == "CREATING" and chosen.creating_seconds is not None:
            status, entered_ms = advance(CREATING_TRANSITIONS, set_ms, at_ms, {"creating_seconds": chosen.creating_seconds})
            if status != "CREATING":
                return StatusView(status, None, entered_ms)
        updated_ms = self.created_ms if self.status_updated_ms is None else self.status_updated_ms
        return StatusView(chosen.status, chosen.error if chosen.status == "FAILED" else None, updated_ms)

    def set_status(self, chosen: DataSourceStatus, at_ms: int) -> StatusView:
        """Set the status from ``at_ms`` on; updatedAt moves to ``at_ms`` when the status (or its error) shown changes."""
        before = self.status_at(at_ms)
        self.status = chosen
        self.status_set_ms = at_ms
        self.status_updated_ms = before.updated_ms
        after = self.status_at(at_ms)
        if (after.status, after.error) != (before.status, before.error):
            self.status_updated_ms = at_ms
        return self.status_at(at_ms)

    def jobs_in_progress(self, at_ms: int) -> list[SyncJob]:
        """The jobs that are SYNCING, SYNCING_INDEXING or STOPPING at ``at_ms``, oldest first."""
        return [job for job in self.jobs if job.state_at(at_ms).status in IN_PROGRESS]

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
    _documents: tuple[tuple[tuple[str, int], ...], list[Document], int] = field(default=((), [], 0), init=False, repr=False, compare=False)

    def documents_order(self, sources: list[DataSource]) -> tuple[list[Document], int]:
        """The documents of ``sources`` (all of the index, or one) in listing order and their highest seq.

        The index-wide merge is cached until a data source is added, removed or adds or removes documents.
        """
        if len(sources) != len(self.data_sources):
            return merged_order([ds.documents for ds in sources])
        key = tuple((ds.data_source_id, ds.documents.version) for ds in sources)
        cached_key, docs, max_seq = self._documents
        if cached_key != key:
            docs, max_seq = merged_order([ds.documents for ds in sources])
            self._documents = (key, docs, max_seq)
        return docs, max_seq


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


def partition_for(region: str) -> str:
    """The ARN partition of a region."""
    for prefix, partition in (("cn-", "aws-cn"), ("us-gov-", "aws-us-gov"), ("us-iso-", "aws-iso"), ("us-isob-", "aws-iso-b")):
        if region.startswith(prefix):
            return partition
    return "aws"


class ServiceState:
    """All Q Business resources of one account in one region; API operations run on it through :meth:`call`.

    Callers hold ``STATE_LOCK``.
    """

    def __init__(self, region: str, account_id: str) -> None:
        self.region = region
        self.account_id = account_id
        self.partition = partition_for(region)
        self.applications: dict[str, Application] = {}
        self._counter = itertools.count(1)
        self.last_seq = 0  # the newest creation sequence number: pagination snapshots are taken by it
        self._client_tokens: dict[tuple[str, ...], dict[str, Any]] = {}

    def call(self, operation: str, path: dict[str, str], query: dict[str, str], body: dict[str, Any], options: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one API operation by name on wire-level inputs; a wire-level answer, or a ServiceError raised."""
        return OPERATIONS[operation].handler(self, path, query, body, options or {})

    def next_seq(self) -> int:
        """A new creation sequence number."""
        self.last_seq = next(self._counter)
        return self.last_seq

    def arn(self, resource: str) -> str:
        """The ARN of a resource path in this account and region."""
        return f"arn:{self.partition}:qbusiness:{self.region}:{self.account_id}:{resource}"

    def idempotent(self, key: tuple[str, ...], body: dict[str, Any], create: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """Run ``create`` once per clientToken: the same token gets the same answer."""
        token = body.get("clientToken")
        if not isinstance(token, str) or not token:
            return create()
        full_key = key + (token,)
        if full_key not in self._client_tokens:
            self._client_tokens[full_key] = create()
        return dict(self._client_tokens[full_key])

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

    def add_application(
        self, name: str, application_id: str | None = None, description: str | None = None, role_arn: str | None = None, identity_type: str | None = None
    ) -> Application:
        """Create an application (fixed id optional)."""
        app_id = application_id or new_id()
        if app_id in self.applications:
            raise ControlConflict(f"application_id '{app_id}' already exists (call reset() first)")
        app = Application(app_id, name, self.arn(f"application/{app_id}"), now_ms(), self.next_seq(), description, role_arn, identity_type)
        self.applications[app_id] = app
        return app

    def add_index(self, application_id: str, name: str, index_id: str | None = None, description: str | None = None, index_type: str | None = None) -> Index:
        """Create an index (fixed id optional)."""
        app = self.application(application_id)
        idx_id = index_id or new_id()
        if idx_id in app.indices:
            raise ControlConflict(f"index_id '{idx_id}' already exists (call reset() first)")
        idx = Index(idx_id, application_id, name, self.arn(f"application/{application_id}/index/{idx_id}"), now_ms(), self.next_seq(), description, index_type)
        app.indices[idx_id] = idx
        return idx

    def add_data_source(
        self,
        application_id: str,
        index_id: str,
        name: str,
        data_source_id: str | None = None,
        ds_type: str = "S3",
        configuration: dict[str, Any] | None = None,
        description: str | None = None,
        role_arn: str | None = None,
        sync_schedule: str | None = None,
    ) -> DataSource:
        """Create a data source (fixed id optional)."""
        idx = self.index(application_id, index_id)
        ds_id = data_source_id or new_id()
        if ds_id in idx.data_sources:
            raise ControlConflict(f"data_source_id '{ds_id}' already exists (call reset() first)")
        arn = self.arn(f"application/{application_id}/index/{index_id}/data-source/{ds_id}")
        ds = DataSource(
            ds_id,
            application_id,
            index_id,
            name,
            ds_type,
            arn,
            now_ms(),
            self.next_seq(),
            configuration if configuration is not None else {"type": ds_type},
            description,
            role_arn,
            sync_schedule,
        )
        idx.data_sources[ds_id] = ds
        return ds

    def seed_documents(self, ds: DataSource, documents: Any = None, generate: Any = None, replace: bool = False) -> list[str]:
        """Add documents (document specs and/or a generate_documents spec) to a data source; their ids, specs first.

        The syncs that have ended are applied first, so a seed made after a sync's end is not changed by it.
        ``replace`` first removes every document of the data source.
        """
        at = now_ms()
        drafts = document_drafts(documents, generate, at)
        ds.settle_documents(at, self.next_seq)
        return ds.documents.add(drafts, self.next_seq, replace)

    def seed_jobs(self, ds: DataSource, jobs: list[Any] | None = None, generate: Any = None, replace: bool = False) -> list[str]:
        """Add seeded jobs (job specs and/or a generate spec) to a data source; returns their execution ids."""
        if jobs is not None and not isinstance(jobs, list):
            raise ControlError("'jobs' must be a list of job specs")
        specs = list(jobs or [])
        if generate is not None:
            specs.extend(expand_generate(generate, now_ms()))
        existing = set() if replace else {job.execution_id for job in ds.jobs}
        built = []
        for i, spec in enumerate(specs):
            job = job_from_spec(spec, self.next_seq(), f"job[{i}]")
            if job.execution_id in existing:
                raise ControlError(f"job[{i}]: execution_id '{job.execution_id}' is already used in this data source")
            existing.add(job.execution_id)
            built.append(job)
        if replace:
            ds.settle_documents(now_ms(), self.next_seq)  # the removed jobs that have ended have left their documents
            ds.unsettled.clear()
            ds.jobs.clear()
        ds.jobs.extend(built)
        ds.touch_history()
        return [job.execution_id for job in built]


class QBusinessBackend(BaseBackend):
    """moto backend for one account/region; the resources are in ``self.state``.

    moto finds the URL map by replacing ``.models`` with ``.urls`` in this class's module path.
    """

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.state = ServiceState(region_name, account_id)


qbusiness_backends: BackendDict[QBusinessBackend] = BackendDict(QBusinessBackend, "qbusiness")
