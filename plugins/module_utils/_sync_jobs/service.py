# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

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


@dataclass(frozen=True)
class DataSourceRef:
    """Which data source: the application and index that hold it, and its own ID."""

    application_id: str
    index_id: str
    data_source_id: str

    def request(self) -> Dict[str, str]:
        """The IDs as the parameters of a request."""
        return dict(applicationId=self.application_id, indexId=self.index_id, dataSourceId=self.data_source_id)


class DataSourceService:
    """The calls about one data source, through a client made by :func:`client.qbusiness_client` (or one
    with the same retry policy)."""

    def __init__(self, client: Any, ref: DataSourceRef) -> None:
        self.client = client
        self.ref = ref

    @property
    def data_source_id(self) -> str:
        """The data source's own ID, as messages name it."""
        return self.ref.data_source_id

    def list_sync_jobs_and_token(
        self, filters: Optional[Dict[str, Any]] = None, max_results: Optional[int] = None, next_token: Optional[str] = None
    ) -> Tuple[List[ServiceJob], Optional[str]]:
        """Up to ``max_results`` sync jobs (all, without it) as the service sent them (ListDataSourceSyncJobs),
        and the token to resume from (None when the listing ended)."""
        return paginate(
            # Looked up at each call, so that a test can replace the client's method.
            self.client.list_data_source_sync_jobs,
            dict(self.ref.request(), **(filters or {})),
            "history",
            f"the sync jobs of data source {self.data_source_id}",
            max_results,
            next_token,
        )

    def list_all_sync_jobs(self, filters: Optional[Dict[str, Any]] = None) -> List[ServiceJob]:
        """Every sync job of the data source that matches ``filters``, as the service sent them."""
        jobs, dummy = self.list_sync_jobs_and_token(filters)
        return jobs

    def start_sync_job(self) -> str:
        """StartDataSourceSyncJob: the new execution ID. A ConflictException raises :class:`SyncConflict`."""
        try:
            response = self.client.start_data_source_sync_job(aws_retry=True, **self.ref.request())
        except service_errors() as e:
            error = SyncConflict if is_conflict(e) else QBusinessError
            raise error(message=f"Failed to start a sync of data source {self.data_source_id}", exception=e) from e
        return response["executionId"]

    def stop_sync_job(self) -> bool:
        """StopDataSourceSyncJob: False if the service says there is no sync to stop (it ended meanwhile)."""
        try:
            self.client.stop_data_source_sync_job(aws_retry=True, **self.ref.request())
        except service_errors() as e:
            if is_conflict(e):
                return False
            raise QBusinessError(message=f"Failed to stop the sync of data source {self.data_source_id}", exception=e) from e
        return True
