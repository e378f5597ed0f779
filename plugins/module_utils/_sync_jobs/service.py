# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One data source and the service calls about it: listing its sync jobs, starting and stopping a sync."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import paginate
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import SyncConflict
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import is_conflict
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import service_errors
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.tokens import ResumePoint


@dataclass(frozen=True)
class IndexRef:
    """Which index: its application's ID and its own, with their display names when known."""

    application_id: str
    index_id: str
    application_name: Optional[str] = None
    index_name: Optional[str] = None

    def request(self) -> Dict[str, str]:
        """The IDs as the parameters of a request."""
        return dict(applicationId=self.application_id, indexId=self.index_id)

    @property
    def label(self) -> str:
        """The index as messages name it: ``name (id)``, or the ID when the name is not known."""
        return f"{self.index_name} ({self.index_id})" if self.index_name else self.index_id

    def data_source(self, data_source_id: str, data_source_name: Optional[str] = None) -> DataSourceRef:
        """A data source of this index."""
        return DataSourceRef(self.application_id, self.index_id, data_source_id, self.application_name, self.index_name, data_source_name)

    def identity(self) -> Dict[str, str]:
        """The IDs and the known names, as results carry them."""
        return _known(application_id=self.application_id, application_name=self.application_name, index_id=self.index_id, index_name=self.index_name)


def _known(**fields: Optional[str]) -> Dict[str, str]:
    return {key: value for key, value in fields.items() if value is not None}


@dataclass(frozen=True)
class DataSourceRef:
    """Which data source: the application and index that hold it, and its own ID; with their display names
    when they are known (given by name, or listed anyway), for results and messages."""

    application_id: str
    index_id: str
    data_source_id: str
    application_name: Optional[str] = None
    index_name: Optional[str] = None
    data_source_name: Optional[str] = None

    def request(self) -> Dict[str, str]:
        """The IDs as the parameters of a request."""
        return dict(applicationId=self.application_id, indexId=self.index_id, dataSourceId=self.data_source_id)

    @property
    def label(self) -> str:
        """The data source as messages name it: ``name (id)``, or the ID when the name is not known."""
        return f"{self.data_source_name} ({self.data_source_id})" if self.data_source_name else self.data_source_id

    def identity(self) -> Dict[str, str]:
        """The IDs and the known names, as results carry them beside a job."""
        return _known(
            application_id=self.application_id,
            application_name=self.application_name,
            index_id=self.index_id,
            index_name=self.index_name,
            data_source_id=self.data_source_id,
            data_source_name=self.data_source_name,
        )


class DataSourceService:
    """The calls about one data source, through a client made by :func:`client.qbusiness_client` (or one
    with the same retry policy)."""

    def __init__(self, client: Any, ref: DataSourceRef) -> None:
        self.client = client
        self.ref = ref

    @property
    def data_source_id(self) -> str:
        """The data source's own ID."""
        return self.ref.data_source_id

    @property
    def label(self) -> str:
        """The data source as messages name it (see :attr:`DataSourceRef.label`)."""
        return self.ref.label

    def list_sync_jobs_and_token(
        self, filters: Optional[Dict[str, Any]] = None, max_results: Optional[int] = None, start: Optional[ResumePoint] = None
    ) -> Tuple[List[ServiceJob], Optional[str]]:
        """Up to ``max_results`` sync jobs (all, without it) as the service sent them (ListDataSourceSyncJobs),
        from ``start`` (a checked next_token) on, and the resume token to go on from (None when the listing ended)."""
        return paginate(
            # Looked up at each call, so that a test can replace the client's method.
            self.client.list_data_source_sync_jobs,
            dict(self.ref.request(), **(filters or {})),
            "history",
            f"the sync jobs of data source {self.label}",
            max_results,
            start,
        )

    def list_all_sync_jobs(self, filters: Optional[Dict[str, Any]] = None) -> List[ServiceJob]:
        """Every sync job of the data source that matches ``filters``, as the service sent them."""
        jobs, dummy = self.list_sync_jobs_and_token(filters)
        return jobs

    def list_sync_jobs_page(
        self, max_results: int, next_token: Optional[str] = None, filters: Optional[Dict[str, Any]] = None
    ) -> Tuple[List[ServiceJob], Optional[str]]:
        """One ListDataSourceSyncJobs request with exactly these parameters, not a listing: its jobs and the
        service's nextToken. The probe checks how the service treats its tokens with it."""
        request = dict(self.ref.request(), **(filters or {}), maxResults=max_results)
        if next_token:
            request["nextToken"] = next_token
        try:
            response = self.client.list_data_source_sync_jobs(aws_retry=True, **request)
        except service_errors() as e:
            raise QBusinessError(message=f"Failed to list the sync jobs of data source {self.label}", exception=e) from e
        return response.get("history") or [], response.get("nextToken")

    def get_data_source(self) -> Dict[str, Any]:
        """GetDataSource: the service's description of the data source (displayName, type, status, ...)."""
        try:
            return self.client.get_data_source(aws_retry=True, **self.ref.request())
        except service_errors() as e:
            raise QBusinessError(message=f"Failed to read data source {self.label}", exception=e) from e

    def start_sync_job(self) -> str:
        """StartDataSourceSyncJob: the new execution ID. A ConflictException raises :class:`SyncConflict`."""
        try:
            response = self.client.start_data_source_sync_job(aws_retry=True, **self.ref.request())
        except service_errors() as e:
            error = SyncConflict if is_conflict(e) else QBusinessError
            raise error(message=f"Failed to start a sync of data source {self.label}", exception=e) from e
        return response["executionId"]

    def stop_sync_job(self) -> None:
        """StopDataSourceSyncJob. A ConflictException (usually: no sync to stop, it ended meanwhile) raises :class:`SyncConflict`."""
        try:
            self.client.stop_data_source_sync_job(aws_retry=True, **self.ref.request())
        except service_errors() as e:
            error = SyncConflict if is_conflict(e) else QBusinessError
            raise error(message=f"Failed to stop the sync of data source {self.label}", exception=e) from e
