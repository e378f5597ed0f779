# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The statistics of a sync history, computed once here for qbusiness_sync_report and the sync_stats filter.

A history is a list of jobs in the collection's shape (qbusiness_sync_job_info's ``history`` elements:
snake_case keys, times as ISO 8601 strings); times may also be datetimes, and a job may lack any field.
:func:`sync_stats` returns, under these keys:

``syncs``
    How many jobs have each status: every status of SYNC_JOB_STATUSES (0 when none), plus any other status
    seen (a job without a status counts as ``UNKNOWN``). The values add up to the number of jobs.
``success_rate``
    SUCCEEDED / finished, from 0 to 1 rounded to 4 places; None when none finished. Finished: SUCCEEDED,
    FAILED, INCOMPLETE or ABORTED. A job in progress or with a status the collection does not know is not finished.
``failure_streak``
    How many finished jobs in a row, from the newest (by start time, ties by execution ID), are FAILED or
    INCOMPLETE; the first other finished job (SUCCEEDED, ABORTED) ends the streak.
``since_last_success``
    Whole seconds from the latest end of a SUCCEEDED job (its start for one without an end) to ``now``, never
    negative; None when no SUCCEEDED job has a time. The latest end over all of them, not the end of the one that
    started last: syncs may overlap (those of several data sources do).
``duration_p50``, ``duration_p95``
    The 50th and 95th percentiles (nearest rank: the smallest duration that at least p% of them do not
    exceed) of end - start, in seconds (3 decimals), over the finished jobs that have both times (a negative
    one, end before start, is left out); None when there is none.
``documents``
    ``added``, ``modified``, ``deleted``, ``failed``: the sums of the jobs' ``metrics.documents_*`` (a count
    that is not an integer is skipped).
``latest_sync``
    The newest job (greatest start time, ties by execution ID) as given; None for an empty history.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import IN_PROGRESS_STATUSES
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import SYNC_JOB_STATUSES
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import SyncJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import as_utc
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import newest_first
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import parse_time
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import shorten

FINISHED_STATUSES = tuple(status for status in SYNC_JOB_STATUSES if status not in IN_PROGRESS_STATUSES)
FAILURE_STATUSES = frozenset(("FAILED", "INCOMPLETE"))
# The status a job without one is counted under.
NO_STATUS = "UNKNOWN"
# documents' keys, and the metrics they sum.
DOCUMENT_COUNTS = (("added", "documents_added"), ("modified", "documents_modified"), ("deleted", "documents_deleted"), ("failed", "documents_failed"))
# How iso_time writes a UTC time: 2024-05-01T10:00:00+00:00, with microseconds when there are any.
_AS_COLLECTION_WRITES_TIMES = re.compile(r"\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00\Z")
STATISTICS = ("syncs", "success_rate", "failure_streak", "since_last_success", "duration_p50", "duration_p95", "documents", "latest_sync")


def time_of(value: Any) -> Optional[datetime]:
    """A job's time as an aware UTC datetime: from a datetime (naive ones are UTC) or an ISO 8601 string; None otherwise."""
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, str):
        if _AS_COLLECTION_WRITES_TIMES.match(value):
            # The collection's own form (normalize_job), which every Python's fromisoformat reads alike, at a tenth of
            # the cost of parse_time's: a report over 36,000 syncs reads each time several times.
            return datetime.fromisoformat(value)
        try:
            return parse_time("time", value)
        except OptionError:
            return None  # an unreadable time is a missing one: statistics never fail on a job
    return None


def status_of(job: SyncJob) -> str:
    """The job's status as counted in ``syncs``."""
    status = job.get("status")
    return str(status) if status not in (None, "") else NO_STATUS


def duration_of(job: SyncJob) -> Optional[float]:
    """Seconds from the job's start to its end; None without both times or when the end is before the start."""
    start, end = time_of(job.get("start_time")), time_of(job.get("end_time"))
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds()


def ordered(jobs: Sequence[SyncJob]) -> List[SyncJob]:
    """The jobs newest first, in the core's order (start time, ties by execution ID; no start time: last)."""
    views = [{"startTime": time_of(job.get("start_time")), "executionId": job.get("execution_id") or "", "job": job} for job in jobs]
    return [view["job"] for view in newest_first(views)]


def percentile(values: Sequence[float], p: int) -> Optional[float]:
    """The nearest-rank ``p``th percentile (1 to 100): the value at rank ceil(p/100 x n) of the sorted values."""
    if not values:
        return None
    rank = -(-p * len(values) // 100)  # ceil in integers: 0.95 x 20 must be 19, not 19.000000000000004
    return sorted(values)[max(rank, 1) - 1]


def _since_last_success(jobs: Sequence[SyncJob], now: datetime) -> Optional[int]:
    # The success that ENDED last, not the one that started last: over several data sources (overall) syncs overlap,
    # and one started at 08:00 may end at 11:00, after one that ran 09:00 to 09:05.
    ends = [time_of(job.get("end_time")) or time_of(job.get("start_time")) for job in jobs if status_of(job) == "SUCCEEDED"]
    latest = max((at for at in ends if at is not None), default=None)
    return None if latest is None else max(0, round((now - latest).total_seconds()))


def _failure_streak(newest: List[SyncJob]) -> int:
    streak = 0
    for job in newest:
        status = status_of(job)
        if status not in FINISHED_STATUSES:
            continue  # running or unknown: neither extends nor ends a streak
        if status not in FAILURE_STATUSES:
            break
        streak += 1
    return streak


def _documents(jobs: Sequence[SyncJob]) -> Dict[str, int]:
    sums = {key: 0 for key, dummy in DOCUMENT_COUNTS}
    for job in jobs:
        metrics = job.get("metrics")
        if not isinstance(metrics, dict):
            continue
        for key, metric in DOCUMENT_COUNTS:
            value = metrics.get(metric)
            if isinstance(value, int) and not isinstance(value, bool):
                sums[key] += value
    return sums


def sync_stats(jobs: Sequence[SyncJob], now: datetime) -> Dict[str, Any]:
    """The statistics of ``jobs`` at ``now`` (an aware datetime; naive is UTC), under the keys of the module docstring."""
    now = as_utc(now) or now
    newest = ordered(jobs)
    syncs = {status: 0 for status in SYNC_JOB_STATUSES}
    for job in newest:
        status = status_of(job)
        syncs[status] = syncs.get(status, 0) + 1
    finished = sum(syncs[status] for status in FINISHED_STATUSES)
    durations = [d for d in (duration_of(job) for job in newest if status_of(job) in FINISHED_STATUSES) if d is not None]
    p50, p95 = percentile(durations, 50), percentile(durations, 95)
    return {
        "syncs": syncs,
        "success_rate": round(syncs["SUCCEEDED"] / finished, 4) if finished else None,
        "failure_streak": _failure_streak(newest),
        "since_last_success": _since_last_success(newest, now),
        "duration_p50": None if p50 is None else round(p50, 3),
        "duration_p95": None if p95 is None else round(p95, 3),
        "documents": _documents(newest),
        "latest_sync": newest[0] if newest else None,
    }


def validate_history(value: Any) -> List[SyncJob]:
    """``value`` if it is a list of jobs (dicts); TypeError saying what is wrong otherwise."""
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"expects a list of sync jobs (a history, such as qbusiness_sync_job_info's), got {type(value).__name__} {shorten(value)}")
    for position, job in enumerate(value):
        if not isinstance(job, dict):
            raise TypeError(f"expects a list of sync jobs (dicts), but element {position} is {type(job).__name__} {shorten(job)}")
    return list(value)
