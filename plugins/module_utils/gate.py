# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Judging a deployment gate on the latest sync jobs of data sources, waiting for running syncs.

The verdict for one data source:

* The latest job is the one with the greatest start time. While it is in progress (SYNCING,
  SYNCING_INDEXING, STOPPING) and ``wait`` is true, the data source is polled until it ends or
  ``wait_timeout`` runs out; running out fails the gate.
* Without ``wait``, an in-progress latest job whose status is not in ``fail_on`` is not judged: the
  newest finished job is, and the running one is reported beside it. With nothing finished to judge
  the gate fails, since it must never pass on data it did not read.
* The judged job fails the gate if its status is in ``fail_on``, if it started longer than ``max_age``
  ago, or if more than ``max_documents_failed`` documents failed.
* A data source with no sync at all fails unless ``allow_no_history``. With ``max_age``, the listing
  only covers that window; an empty window fails, except for a data source that never synced at all
  when ``allow_no_history`` is true (one more request, of one job, tells the two apart).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence

from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import DEFAULT_WAIT_SLEEP
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import DEFAULT_WAIT_TIMEOUT
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import format_duration
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import int_at_least
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import is_in_progress
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import Job
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import list_jobs_from
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import list_recent_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import list_sync_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import newest_first
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import normalize_job
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import poll_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import start_time_of
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import timeout_reason
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import validate_id
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import validate_ids
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import validate_status
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import validate_wait

DEFAULT_FAIL_MSG = "Q Business sync gate failed"

_DURATION = re.compile(r"\A\s*(\d+)\s*([smhdw]?)\s*\Z", re.IGNORECASE)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
# Far beyond any sync history, and far from datetime's limits.
_MAX_DURATION_SECONDS = 3650 * 86400

# Called once per poll while waiting: data source ID, the running job (snake_case), seconds elapsed.
ProgressCallback = Callable[[str, Job, float], None]


@dataclass(frozen=True)
class GateOptions:
    """What makes a data source fit to deploy on; validated by :func:`validate_gate_options`."""

    fail_on: frozenset = frozenset(("FAILED",))
    max_age: Optional[timedelta] = None
    max_documents_failed: Optional[int] = None
    allow_no_history: bool = False
    wait: bool = False
    wait_timeout: int = DEFAULT_WAIT_TIMEOUT
    wait_sleep: int = DEFAULT_WAIT_SLEEP


@dataclass(frozen=True)
class GateRequest:
    """A validated gate: where to look and what to judge."""

    application_id: str
    index_id: str
    # None: every data source of the index, found with ListDataSources.
    data_source_ids: Optional[List[str]]
    options: GateOptions
    fail_msg: str = DEFAULT_FAIL_MSG


@dataclass
class Verdict:
    """The gate's finding for one data source."""

    data_source_id: str
    reasons: List[str] = field(default_factory=list)
    job: Optional[Job] = None  # the judged job, snake_case (on a timeout, the job still running)
    running_job: Optional[Job] = None  # a newer in-progress job that was not judged

    @property
    def passed(self) -> bool:
        """A data source passes when nothing was found against it."""
        return not self.reasons

    def as_result(self) -> Dict[str, Any]:
        """The judged job with its data source ID and the verdict, as the action returns it."""
        result: Dict[str, Any] = dict(self.job or {})
        result.update(data_source_id=self.data_source_id, passed=self.passed, reasons=list(self.reasons))
        if self.running_job is not None:
            result["running_job"] = self.running_job
        return result


# ---------------------------------------------------------------------------------------------------------
# Options


def parse_duration(option: str, value: Any) -> timedelta:
    """A positive duration: seconds as a number, or ``<n>s``, ``<n>m``, ``<n>h``, ``<n>d``, ``<n>w``."""
    seconds: Optional[int] = None
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
    if seconds is None or not 0 < seconds <= _MAX_DURATION_SECONDS:
        raise OptionError(f"{option} must be a positive duration of at most 10 years, such as 90m, 24h, 7d or a number of seconds; got {value!r}")
    return timedelta(seconds=seconds)


def validate_gate_options(params: Dict[str, Any]) -> GateRequest:
    """Check every gate option (already type-converted by the argument spec) before any request."""
    ids = validate_ids(params, ("application_id", "index_id"))
    wait_timeout, wait_sleep = validate_wait(params)

    data_source_ids: Optional[List[str]] = None
    raw_ids = params.get("data_source_id")
    if raw_ids is not None:
        raw_list = raw_ids if isinstance(raw_ids, list) else [raw_ids]
        if not raw_list:
            raise OptionError("data_source_id must name at least one data source; leave it out to gate every data source of the index")
        # Duplicates would be gated twice; keep the first of each, in the given order.
        data_source_ids = list(dict.fromkeys(validate_id("data_source_id", value) for value in raw_list))

    fail_on = params.get("fail_on")
    fail_on = ["FAILED"] if fail_on is None else fail_on
    if not isinstance(fail_on, list):
        raise OptionError(f"fail_on must be a list of statuses; got {fail_on!r}")
    statuses = frozenset(validate_status("fail_on", status) for status in fail_on)

    max_age = params.get("max_age")
    max_documents_failed = params.get("max_documents_failed")
    options = GateOptions(
        fail_on=statuses,
        max_age=None if max_age is None else parse_duration("max_age", max_age),
        max_documents_failed=None if max_documents_failed is None else int_at_least("max_documents_failed", max_documents_failed, 0),
        allow_no_history=bool(params.get("allow_no_history")),
        wait=bool(params.get("wait")),
        wait_timeout=wait_timeout,
        wait_sleep=wait_sleep,
    )
    fail_msg = params.get("fail_msg")
    return GateRequest(ids["application_id"], ids["index_id"], data_source_ids, options, fail_msg if fail_msg else DEFAULT_FAIL_MSG)


# ---------------------------------------------------------------------------------------------------------
# Judging


def _status_reason(job: Job) -> str:
    """Why a job whose status is in fail_on fails the gate, from the job in snake_case."""
    reason = f"latest sync {job.get('execution_id', '?')} {job.get('status')}"
    message = (job.get("error") or {}).get("error_message")
    if message:
        reason += f": {message}"
    if job.get("data_source_error_code"):
        reason += f" (data source error code {job['data_source_error_code']})"
    return reason


def _awaits_outcome(job: Optional[Job], options: GateOptions) -> bool:
    """An in-progress job whose status does not fail the gate by itself: it has no verdict yet."""
    return is_in_progress(job) and job.get("status") not in options.fail_on


def _enough_to_judge(jobs: Sequence[Job], options: GateOptions) -> bool:
    """Whether ``jobs`` (the newest of a history) hold all a verdict reads: the latest job and, when it has
    no outcome yet and the gate will not wait for one, the newest finished job."""
    latest = latest_job(list(jobs))
    if latest is None:
        return False
    return options.wait or not _awaits_outcome(latest, options) or any(not is_in_progress(job) for job in jobs)


def judge(
    data_source_id: str,
    jobs: Sequence[Job],
    options: GateOptions,
    now: datetime,
    synced_before_window: bool = True,
) -> Verdict:
    """The verdict on one data source from its listed jobs (as the service sent them).

    ``synced_before_window`` matters only when ``max_age`` left the listing empty: whether the data
    source has any sync at all, older than the window.
    """
    ordered = newest_first(list(jobs))
    latest = ordered[0] if ordered else None
    running = None
    judged = latest
    if _awaits_outcome(latest, options):
        running = latest
        judged = next((job for job in ordered if not is_in_progress(job)), None)
    verdict = Verdict(data_source_id, running_job=normalize_job(running) if running else None)

    if judged is None:
        if running is not None:
            verdict.reasons.append(
                f"no finished sync to judge: sync {running.get('executionId')} is {running.get('status')} (wait: true waits for it)"
            )
        elif options.max_age is not None and (synced_before_window or not options.allow_no_history):
            verdict.reasons.append(f"no sync started within max_age ({format_duration(options.max_age.total_seconds())})")
        elif not options.allow_no_history:
            verdict.reasons.append("has never synced (allow_no_history is false)")
        return verdict

    verdict.job = normalize_job(judged)
    if judged.get("status") in options.fail_on:
        verdict.reasons.append(_status_reason(verdict.job))
    started = start_time_of(judged)
    if options.max_age is not None and (started is None or now - started > options.max_age):
        age = "at an unknown time" if started is None else f"{format_duration((now - started).total_seconds())} ago"
        verdict.reasons.append(f"latest sync started {age}, more than max_age ({format_duration(options.max_age.total_seconds())})")
    failed_documents = (verdict.job.get("metrics") or {}).get("documents_failed")
    if options.max_documents_failed is not None:
        if not isinstance(failed_documents, int):
            # Never pass on a count the service did not report.
            verdict.reasons.append("the service reported no failed-document count, so max_documents_failed cannot be checked")
        elif failed_documents > options.max_documents_failed:
            verdict.reasons.append(f"{failed_documents} documents failed, more than max_documents_failed ({options.max_documents_failed})")
    return verdict


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def gate_data_source(
    client: Any,
    application_id: str,
    index_id: str,
    data_source_id: str,
    options: GateOptions,
    progress: Optional[ProgressCallback] = None,
    deadline: Optional[float] = None,
    now: Callable[[], datetime] = _utcnow,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Verdict:
    """Read one data source's sync jobs (waiting if asked) and judge them. Never raises for service errors:
    a data source whose history could not be read fails the gate with the reason."""
    read_at = now()  # one instant for max_age and the windows, so that a max_age of 1d is one window, not two
    filters: Dict[str, Any] = {}
    if options.max_age is not None:
        filters["startTime"] = read_at - options.max_age

    def read() -> List[Job]:
        return list_recent_jobs(
            client, application_id, index_id, data_source_id, filters, enough=lambda jobs: _enough_to_judge(jobs, options), now=read_at
        )

    def report(job: Job, elapsed: float) -> None:
        if progress is not None:
            progress(data_source_id, normalize_job(job), elapsed)

    try:
        jobs, latest, timed_out = poll_jobs(
            read, latest_job, lambda job: options.wait and _awaits_outcome(job, options), options.wait_timeout, options.wait_sleep,
            progress=report, deadline=deadline, monotonic=monotonic, sleep=sleep,
            # Polls read from the running job on: it and anything newer are all a verdict can need then.
            read_next=lambda running: list_jobs_from(client, application_id, index_id, data_source_id, running, filters),
        )
        if timed_out:
            return Verdict(data_source_id, job=normalize_job(latest), reasons=[timeout_reason(latest, options.wait_timeout)])
        synced_before_window = True
        if not jobs and options.max_age is not None and options.allow_no_history:
            older, dummy = list_sync_jobs(client, application_id, index_id, data_source_id, max_results=1)  # one job is enough
            synced_before_window = bool(older)
    except QBusinessError as e:
        return Verdict(data_source_id, reasons=[f"could not read its sync history: {e}"])
    return judge(data_source_id, jobs, options, now(), synced_before_window)


def gate_message(verdicts: Sequence[Verdict], fail_msg: str = DEFAULT_FAIL_MSG) -> str:
    """One line: every failing data source and why, or what passed."""
    failing = [v for v in verdicts if not v.passed]
    if failing:
        return f"{fail_msg}: " + "; ".join(f"data source {v.data_source_id}: {'; '.join(v.reasons)}" for v in failing)
    described = []
    for v in verdicts:
        if v.job is None:
            described.append(f"{v.data_source_id} (no sync yet, allowed)")
        else:
            described.append(f"{v.data_source_id} ({v.job.get('status')}, started {v.job.get('start_time')})")
    return f"Q Business sync gate passed for {len(verdicts)} data source(s): " + ", ".join(described)
