# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the report reads: the names, once, then one windowed listing per data source, several at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.concurrency import run_concurrently
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import SyncJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import normalize_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.listing import list_window
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import NameResolver
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceRef
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import IndexRef
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.options import ReportRequest


@dataclass(frozen=True)
class History:
    """One data source's syncs in the window (the collection's shape), or why they could not be read."""

    ref: DataSourceRef
    jobs: List[SyncJob]
    error: Optional[str] = None


def resolve(client: Any, request: ReportRequest) -> Tuple[IndexRef, List[DataSourceRef]]:
    """The index and the data sources to report on, each data source with its name; names resolved once (ListDataSources,
    which also names the data sources given by ID or every data source). QBusinessError when a name matches nothing or
    the index has no data source."""
    resolver = NameResolver(client)
    index = resolver.index_ref(request.index)
    # Named from the same listing (read once): every entry of the report carries data_source_name.
    refs = resolver.named_from_listing(index, resolver.selected_data_sources(index, request.data_sources))
    if not refs:
        raise QBusinessError(message=f"index {index.label} has no data sources to report on")
    return index, refs


def read_histories(client: Any, refs: List[DataSourceRef], request: ReportRequest) -> List[History]:
    """Each data source's syncs that started in the window, in the order of ``refs``: one listing each (all its pages,
    ListDataSourceSyncJobs with startTime/endTime), several at a time. A history that cannot be read carries its error."""

    def read(ref: DataSourceRef) -> History:
        try:
            jobs = list_window(DataSourceService(client, ref), request.since, request.until)
        except QBusinessError as e:
            return History(ref, [], str(e))
        return History(ref, [normalize_job(job) for job in jobs])

    return run_concurrently(read, refs)


def unread_message(histories: List[History]) -> Optional[str]:
    """What to say when some histories could not be read (then no report is written); None when all were."""
    unread = [f"data source {history.ref.label}: {history.error}" for history in histories if history.error is not None]
    if not unread:
        return None
    return f"could not read the sync history of {len(unread)} of {len(histories)} data sources, so no report was written: " + "; ".join(unread)
