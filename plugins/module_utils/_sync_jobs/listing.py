# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading only the part of a history that is needed: the newest jobs (windows of time), or the jobs from one on."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import OLDEST
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import start_time_of
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService

# Read before a whole history, when only the newest jobs are needed (see list_recent_jobs).
RECENT_WINDOWS = (timedelta(days=1), timedelta(days=7), timedelta(days=30), timedelta(days=365))


def list_jobs_from(
    source: DataSourceService,
    anchor: ServiceJob,
    filters: Optional[Dict[str, Any]] = None,
    followed_id: Optional[str] = None,
) -> List[ServiceJob]:
    """The jobs that started no earlier than ``anchor`` (a job as the service sent it), ``anchor`` among them.

    Following one job (a poll while waiting) then costs a page or two instead of the whole history: the
    listing is narrowed with the service's startTime filter, a second before the anchor's start. The API
    documents neither which time that filter compares nor whether it is inclusive, so when the answer
    holds neither the anchor nor the followed job (``followed_id``, when it is another job), the whole
    listing (with ``filters``) is read instead.
    """
    started = start_time_of(anchor)
    if started is not None:
        since = started - timedelta(seconds=1)
        window_start = (filters or {}).get("startTime")
        narrowed = dict(filters or {}, startTime=max(since, window_start) if window_start else since)
        jobs = source.list_all_sync_jobs(narrowed)
        listed = {job.get("executionId") for job in jobs}
        if anchor.get("executionId") in listed and (followed_id is None or followed_id in listed):
            return jobs
    return source.list_all_sync_jobs(filters)


def list_recent_jobs(
    source: DataSourceService,
    filters: Optional[Dict[str, Any]] = None,
    enough: Callable[[List[ServiceJob]], bool] = bool,
    now: Optional[datetime] = None,
) -> List[ServiceJob]:
    """The newest jobs that match ``filters``: enough of them for ``enough(jobs)``, not the whole history.

    The latest job of a data source that syncs hourly is in its last day; reading years of history for it
    costs a request per 10 jobs. So the listing is first narrowed with the startTime filter to the last
    day, week, month and year, widening until ``enough`` holds of the jobs that started inside the window,
    and read whole only as a last resort. A job that started inside a window is newer than every job
    outside it, so the newest jobs of the window are the newest of all. The API does not document the
    filter's meaning: whatever it matches beyond the window is dropped, and a window with no job that
    started inside it proves nothing and is widened. What cannot be checked is that the filter keeps every
    job that started inside the window, running ones included; its name says so (docs/reliability.md).
    """
    filters = filters or {}
    floor = filters.get("startTime")
    ceiling = filters.get("endTime")
    now = now or datetime.now(timezone.utc)
    for width in RECENT_WINDOWS:
        since = now - width
        if floor is not None and since <= floor:
            break  # the caller's own window is no wider: read it
        if ceiling is not None and since > ceiling:
            continue  # nothing in this window can match
        jobs = source.list_all_sync_jobs(dict(filters, startTime=since))
        in_window = [job for job in jobs if (start_time_of(job) or OLDEST) >= since]
        if enough(in_window):
            return in_window
    return source.list_all_sync_jobs(filters)
