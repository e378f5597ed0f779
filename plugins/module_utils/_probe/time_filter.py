# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Register items 2 and 3: which time of a job the startTime/endTime filters compare and whether a job at a
bound matches, and whether a time-filtered listing keeps a sync in progress.

Item 2 is read on one finished job J (start S, end E, at least 2 s apart, M between them), by whether each
window lists it: [M, E+1s] lists J only if the filters compare E (or the run overlaps the window), and
[S-1s, M] only if they compare S (or overlap); then the compared time T of each bound: [T, T+1s] lists J
only if startTime is inclusive, [T-1s, T] only if endTime is. No bound of those windows but the one tried
lies on a time of J, so each answer depends on one thing only.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._probe.context import ProbeContext
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import Behaviour
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import Finding
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import not_observable
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import observed
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.recording import wire_time
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import RUNNING_STATUSES_IN_ORDER
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import end_time_of
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import is_in_progress
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import newest_first
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import start_time_of

TIME_FILTER = Behaviour(
    item=2,
    key="time_filter",
    title="Which time of a job startTime/endTime compare, and whether a job at a bound matches",
    assumed=(
        "Nothing of the field or the bounds: the recent windows ask from a second before the window and keep only the "
        "jobs whose own startTime lies in it. They depend only on this: a finished job that started after startTime is listed."
    ),
    reference="start_time, inclusive",
)

RUNNING = Behaviour(
    item=3,
    key="time_filter_running",
    title="Whether a time-filtered listing keeps a sync in progress",
    assumed=(
        "Nothing: when a time-filtered read holds no sync in progress, the collection also lists the in-progress statuses "
        "(statusFilter, no time filter). It depends only on this: statusFilter lists the syncs in that status."
    ),
    reference="kept",
)

SECOND = timedelta(seconds=1)
# Room for a time strictly between a job's start and end, a second from each.
MIN_DURATION = timedelta(seconds=2)

# (listed by [M, E+1s], listed by [S-1s, M]) -> the job's time the filters compare.
FIELDS: Dict[Tuple[bool, bool], str] = {(False, True): "start_time", (True, False): "end_time", (True, True): "overlap"}
# For each field, the job's time the startTime bound and the endTime bound compare with.
BOUND_TIMES: Dict[str, Tuple[str, str]] = {
    "start_time": ("startTime", "startTime"),
    "end_time": ("endTime", "endTime"),
    "overlap": ("endTime", "startTime"),  # a run [S, E] overlaps [a, b] when E >= a and S <= b
}
_FIELD_WORDS = {
    "start_time": "the job's startTime",
    "end_time": "the job's endTime",
    "overlap": "the job's whole run (a job matches when its run overlaps the window)",
}


def probe_job(jobs: List[ServiceJob]) -> Optional[ServiceJob]:
    """The newest finished job that lasted at least MIN_DURATION, or None."""
    for job in newest_first(jobs):
        start, end = start_time_of(job), end_time_of(job)
        if start is not None and end is not None and end - start >= MIN_DURATION and job.get("executionId"):
            return job
    return None


def midpoint(start: datetime, end: datetime) -> datetime:
    """A time half-way between, to the millisecond (the service's precision)."""
    middle = start + (end - start) / 2
    return middle.replace(microsecond=middle.microsecond // 1000 * 1000)


def describe_time_filter(field: str, start_inclusive: bool, end_inclusive: bool) -> str:
    """``start_time, inclusive``, or ``start_time, startTime inclusive, endTime exclusive`` when the bounds differ."""
    word = {True: "inclusive", False: "exclusive"}
    if start_inclusive == end_inclusive:
        return f"{field}, {word[start_inclusive]}"
    return f"{field}, startTime {word[start_inclusive]}, endTime {word[end_inclusive]}"


def _window(low: datetime, high: Optional[datetime] = None) -> Dict[str, datetime]:
    return dict(startTime=low) if high is None else dict(startTime=low, endTime=high)


def _window_words(listed: Optional[bool]) -> str:
    return {True: "is listed", False: "IS NOT listed", None: "could not be found within sample_size jobs"}[listed]


def probe_time_filter(ctx: ProbeContext, sample: List[ServiceJob]) -> Finding:
    """Item 2, on the newest finished job of ``sample`` (5 listings of a few jobs each)."""
    job = probe_job(sample)
    if job is None:
        return not_observable(
            TIME_FILTER,
            f"none of the {len(sample)} jobs read first is finished and lasted at least 2 s: the field and the bounds show only on such a job",
            [],
        )
    job_id = str(job["executionId"])
    times = {"startTime": start_time_of(job), "endTime": end_time_of(job)}
    start, end = times["startTime"], times["endTime"]
    if start is None or end is None:  # probe_job chose a job with both; kept for the type checker
        return not_observable(TIME_FILTER, f"job {job_id} has no startTime or endTime", [])
    middle = midpoint(start, end)
    evidence = [f"job {job_id}: startTime {wire_time(start)}, endTime {wire_time(end)}"]

    # What the windows depend on: asked from a second before, as they ask.
    window = ctx.listed(job_id, _window(start - SECOND), evidence)
    summary_window = f"A finished job that started after startTime {_window_words(window)}"
    after_middle = ctx.listed(job_id, _window(middle, end + SECOND), evidence)
    before_middle = ctx.listed(job_id, _window(start - SECOND, middle), evidence)
    if after_middle is None or before_middle is None:
        return not_observable(TIME_FILTER, f"the windows were cut short by sample_size. {summary_window}.", evidence, window)
    field = FIELDS.get((after_middle, before_middle))
    if field is None:
        summary = f"neither [M, E+1s] nor [S-1s, M] lists the job: the filters compare neither its start nor its end. {summary_window}."
        return observed(TIME_FILTER, "neither", summary, evidence, window)
    low_at, high_at = (times[name] for name in BOUND_TIMES[field])
    if low_at is None or high_at is None:  # both times exist (above); kept for the type checker
        return not_observable(TIME_FILTER, f"job {job_id} has no startTime or endTime", evidence, window)
    start_inclusive = ctx.listed(job_id, _window(low_at, low_at + SECOND), evidence)
    end_inclusive = ctx.listed(job_id, _window(high_at - SECOND, high_at), evidence)
    if start_inclusive is None or end_inclusive is None:
        return not_observable(TIME_FILTER, f"the windows were cut short by sample_size. {summary_window}.", evidence, window)
    value = describe_time_filter(field, start_inclusive, end_inclusive)
    summary = (
        f"startTime and endTime compare {_FIELD_WORDS[field]}; a job exactly at startTime "
        f"{'matches' if start_inclusive else 'does not match'}, exactly at endTime {'matches' if end_inclusive else 'does not match'}. "
        f"{summary_window}."
    )
    return observed(TIME_FILTER, value, summary, evidence, window)


def probe_running(ctx: ProbeContext, sample: List[ServiceJob]) -> Finding:
    """Item 3: the in-progress statuses listed (statusFilter, as the collection asks them), then a time-filtered
    listing from a second before the newest running sync started (as the recent windows ask)."""
    evidence: List[str] = []
    problems: List[str] = []
    running: Dict[str, ServiceJob] = {}
    for status in RUNNING_STATUSES_IN_ORDER:
        jobs, dummy, lines = ctx.read(dict(statusFilter=status))
        evidence.extend(lines)
        for job in jobs:
            if job.get("status") != status:
                problems.append(f"statusFilter={status} listed job {job.get('executionId')} as {job.get('status')}")
            running[str(job.get("executionId"))] = job
    for job in sample:
        if is_in_progress(job) and str(job.get("executionId")) not in running:
            problems.append(
                f"the plain listing showed job {job.get('executionId')} as {job.get('status')}, no statusFilter listing did "
                "(if it ended in between, probe again)"
            )
            running[str(job.get("executionId"))] = job
    holds = False if problems else (True if running else None)
    evidence.extend(problems)
    candidates = [job for job in newest_first(list(running.values())) if start_time_of(job) is not None]
    if not candidates:
        return not_observable(
            RUNNING,
            "no sync is in progress now: probe again while one runs (the collection lists the in-progress statuses itself, so it does not depend on this)",
            evidence,
            holds,
        )
    job = candidates[0]
    started = start_time_of(job)
    job_id = str(job.get("executionId"))
    if started is None:  # an in-progress job always has a startTime; kept for the type checker
        return not_observable(RUNNING, f"sync {job_id} is in progress but has no startTime", evidence, holds)
    evidence.append(f"job {job_id}: {job.get('status')} since {wire_time(started)}")
    kept = ctx.listed(job_id, _window(started - SECOND), evidence)
    status_words = "statusFilter lists the syncs in progress" if not problems else "statusFilter DOES NOT list the syncs in progress as asked"
    if kept is None:
        return not_observable(RUNNING, f"the time-filtered listing was cut short by sample_size; {status_words}", evidence, holds)
    summary = f"a listing from a second before sync {job_id} started {'keeps' if kept else 'leaves out'} that sync in progress; {status_words}"
    return observed(RUNNING, "kept" if kept else "left_out", summary, evidence, holds)
