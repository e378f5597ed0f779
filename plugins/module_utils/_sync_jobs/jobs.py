# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shape of a sync job: its statuses, the service's camelCase job and the collection's snake_case result,
the order of a history and its latest job."""

from __future__ import annotations

import re
from datetime import datetime
from datetime import timezone
from functools import lru_cache
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

SYNC_JOB_STATUSES = ("FAILED", "SUCCEEDED", "SYNCING", "INCOMPLETE", "STOPPING", "ABORTED", "SYNCING_INDEXING")
# INCOMPLETE, STOPPING and ABORTED are undocumented; public output shows STOPPING as a job being stopped
# (in progress), INCOMPLETE and ABORTED as ends. In the order a sync goes through them, so that reading them
# one after the other meets a sync that moves on in between.
RUNNING_STATUSES_IN_ORDER = ("SYNCING", "SYNCING_INDEXING", "STOPPING")
IN_PROGRESS_STATUSES = frozenset(RUNNING_STATUSES_IN_ORDER)

# A job as the service sent it (ListDataSourceSyncJobs' history element): camelCase keys, datetimes.
ServiceJob = Dict[str, Any]
# A job as the collection returns it (normalize_job): snake_case keys, ISO 8601 times, integer counts.
SyncJob = Dict[str, Any]

# Before any start time, for jobs that have none.
OLDEST = datetime.min.replace(tzinfo=timezone.utc)


def is_in_progress(job: Optional[ServiceJob]) -> bool:
    """Whether a job (as the service sent it) is SYNCING, SYNCING_INDEXING or STOPPING."""
    return job is not None and job.get("status") in IN_PROGRESS_STATUSES


def is_known_status(job: Optional[ServiceJob]) -> bool:
    """Whether a job's status is one of the seven the collection knows; any other is never judged as passing."""
    return job is not None and job.get("status") in SYNC_JOB_STATUSES


def unknown_status_note(job: ServiceJob) -> str:
    """What to say of a job whose status the collection does not know."""
    return f"sync {job.get('executionId')} has status {job.get('status')!r}, which is none of the statuses qbusiness.ops knows ({', '.join(SYNC_JOB_STATUSES)})"


def as_utc(value: Any) -> Optional[datetime]:
    """A time as botocore parsed it, as an aware datetime (naive ones are UTC); None for anything else."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return None


def start_time_of(raw: ServiceJob) -> Optional[datetime]:
    """A job's start time (as the service sent the job) as an aware datetime, or None if there is none."""
    return as_utc(raw.get("startTime"))


def end_time_of(raw: ServiceJob) -> Optional[datetime]:
    """A job's end time (as the service sent the job) as an aware datetime, or None while it has none."""
    return start_time_of({"startTime": raw.get("endTime")})


def _newest_first_key(raw: ServiceJob) -> Tuple[datetime, str]:
    # executionId breaks ties so that equal start times still give one stable order.
    return start_time_of(raw) or OLDEST, str(raw.get("executionId", ""))


def newest_first(raw_jobs: List[ServiceJob]) -> List[ServiceJob]:
    """The jobs ordered by start time, newest first, whatever order the service answered in."""
    return sorted(raw_jobs, key=_newest_first_key, reverse=True)


def latest_job(raw_jobs: List[ServiceJob]) -> Optional[ServiceJob]:
    """The job with the greatest start time, or None for an empty history."""
    return max(raw_jobs, key=_newest_first_key) if raw_jobs else None


def iso_time(value: Any) -> Any:
    """A datetime as the collection returns times (ISO 8601 in UTC; naive ones are UTC); anything else as it is."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat()
    return value


def _count(value: Any) -> Any:
    # The API sends document counts as digit strings.
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


@lru_cache(maxsize=None)
def snake_case(name: str) -> str:
    """An API name (camelCase) as the collection's results name it; a handful of them, so each is converted once."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def normalize_job(raw: ServiceJob) -> SyncJob:
    """One job as the service sent it -> the collection's snake_case shape.

    Times become ISO 8601 strings in UTC, metrics integers; keys the service did not send stay absent.
    """
    job: SyncJob = {}
    for key, value in raw.items():
        name = snake_case(key)
        if key == "metrics" and isinstance(value, dict):
            job[name] = {snake_case(k): _count(v) for k, v in value.items()}
        elif key == "error" and isinstance(value, dict):
            job[name] = {snake_case(k): v for k, v in value.items()}
        else:
            job[name] = iso_time(value)
    return job
