# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one core of qbusiness.ops.

Everything the modules, the lookup and the action know about Amazon Q Business sync jobs lives here:
checking options before any request, talking to the service with the collection's retry policy,
following pages, turning the service's jobs into snake_case results, and choosing the latest job.
The plugins are thin shells that read their options, call these functions and report the outcome.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple
from typing import TypeVar

try:
    import botocore
except ImportError:
    pass  # The plugin shells report a missing botocore through amazon.aws.

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

SYNC_JOB_STATUSES = ("FAILED", "SUCCEEDED", "SYNCING", "INCOMPLETE", "STOPPING", "ABORTED", "SYNCING_INDEXING")
# INCOMPLETE, STOPPING and ABORTED are undocumented; public output shows STOPPING as a job being stopped.
IN_PROGRESS_STATUSES = frozenset(("SYNCING", "SYNCING_INDEXING", "STOPPING"))

# The service's identifier pattern; botocore only checks the minimum length before sending.
_ID_PATTERN = re.compile(r"\A[a-zA-Z0-9][a-zA-Z0-9-]{35}\Z")

# ListDataSourceSyncJobs answers at most this many jobs a request.
PAGE_SIZE = 10

# Read before a whole history, when only the newest jobs are needed (see list_recent_jobs).
RECENT_WINDOWS = (timedelta(days=1), timedelta(days=7), timedelta(days=30), timedelta(days=365))

# Waiting defaults shared by the gate and the start/stop module (and their argument specs).
DEFAULT_WAIT_TIMEOUT = 600
DEFAULT_WAIT_SLEEP = 15

# amazon.aws's AWSRetry does not count these as retryable; Q Business throttles with ThrottlingException,
# and a 5xx without an error code reaches botocore as its bare HTTP status.
_EXTRA_RETRYABLE_CODES = ["ThrottlingException", "InternalServerException", "500", "502", "503", "504"]
# botocore (legacy mode) already makes 5 attempts per call; this outer layer rides out longer bursts.
RETRY_DECORATOR = AWSRetry.jittered_backoff(retries=6, delay=2, max_delay=20, catch_extra_error_codes=_EXTRA_RETRYABLE_CODES)

Job = Dict[str, Any]
T = TypeVar("T")

_OLDEST = datetime.min.replace(tzinfo=timezone.utc)


class QBusinessError(AnsibleAWSError):
    """A failure with a message fit for the user; ``exception`` keeps the botocore error, if there was one."""


class OptionError(QBusinessError):
    """An option failed validation; raised before any request is sent."""


def qbusiness_client(plugin: Any) -> Any:
    """A qbusiness client with the collection's retry policy, from an AnsibleAWSModule or an AWSLookupBase.

    Calls through it must pass ``aws_retry=True`` to get the retries.
    """
    return plugin.client("qbusiness", retry_decorator=RETRY_DECORATOR)


# ---------------------------------------------------------------------------------------------------------
# Options


def _shorten(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate_id(option: str, value: Any) -> str:
    """Return ``value`` if it is a Q Business identifier, else raise OptionError naming ``option``."""
    if not isinstance(value, str) or not _ID_PATTERN.match(value):
        raise OptionError(
            f"{option} must be a Q Business ID: 36 characters, a letter or digit followed by letters, digits or hyphens; got {_shorten(value)}"
        )
    return value


def parse_time(option: str, value: Any) -> Optional[datetime]:
    """Parse an ISO 8601 date-time (``2024-05-01T00:00:00Z``, offsets allowed) into an aware UTC datetime.

    A value with no offset is taken as UTC. None stays None.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        # fromisoformat() before Python 3.11 knows neither 'Z' nor a lowercase 't'.
        if text[-1:] in ("Z", "z"):
            text = text[:-1] + "+00:00"
        if len(text) > 10 and text[10] in ("t", " "):
            text = text[:10] + "T" + text[11:]
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise OptionError(f"{option} must be an ISO 8601 date-time such as 2024-05-01T00:00:00Z; got {_shorten(value)}") from None
    else:
        raise OptionError(f"{option} must be an ISO 8601 date-time such as 2024-05-01T00:00:00Z; got {_shorten(value)}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def validate_status(option: str, value: Any) -> str:
    """Return ``value`` if it is one of the seven sync statuses, else raise OptionError naming ``option``."""
    if value not in SYNC_JOB_STATUSES:
        raise OptionError(f"{option} must be one of {', '.join(SYNC_JOB_STATUSES)}; got {_shorten(value)}")
    return value


def build_list_filters(start_time: Any = None, end_time: Any = None, status_filter: Any = None) -> Dict[str, Any]:
    """Check the listing filters and return them as ListDataSourceSyncJobs parameters."""
    start = parse_time("start_time", start_time)
    end = parse_time("end_time", end_time)
    if start is not None and end is not None and end < start:
        raise OptionError(f"end_time ({end.isoformat()}) is before start_time ({start.isoformat()})")
    filters: Dict[str, Any] = {}
    if start is not None:
        filters["startTime"] = start
    if end is not None:
        filters["endTime"] = end
    if status_filter is not None:
        filters["statusFilter"] = validate_status("status_filter", status_filter)
    return filters


def int_at_least(option: str, value: Any, minimum: int) -> int:
    """Return ``value`` if it is an integer of at least ``minimum``, else raise OptionError naming ``option``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise OptionError(f"{option} must be an integer of at least {minimum}; got {_shorten(value)}")
    return value


def validate_ids(params: Dict[str, Any], names: Tuple[str, ...] = ("application_id", "index_id", "data_source_id")) -> Dict[str, str]:
    """The named ID options, each checked with :func:`validate_id`."""
    return {name: validate_id(name, params.get(name)) for name in names}


def validate_wait(params: Dict[str, Any]) -> Tuple[int, int]:
    """``wait_timeout`` and ``wait_sleep``: whole seconds, at least 1."""
    return (
        int_at_least("wait_timeout", params.get("wait_timeout", DEFAULT_WAIT_TIMEOUT), 1),
        int_at_least("wait_sleep", params.get("wait_sleep", DEFAULT_WAIT_SLEEP), 1),
    )


def validate_max_results(value: Any) -> Optional[int]:
    """``max_results`` is a positive number of jobs in total, or None for all of them."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise OptionError(f"max_results must be a positive integer; got {_shorten(value)}")
    return value


# ---------------------------------------------------------------------------------------------------------
# Talking to the service


def _paginate(
    call: Any,
    request: Dict[str, Any],
    result_key: str,
    what: str,
    max_results: Optional[int] = None,
    next_token: Optional[str] = None,
) -> Tuple[List[Dict[str, Any]], Optional[str]]:
    """Follow ``nextToken`` across pages of a List call; the one pagination loop of the collection.

    Stops at the end of the listing, or once ``max_results`` items are in hand. Pages never ask for more
    than remain to be read, so a listing cut short ends on a page boundary and the service's own token
    resumes it exactly. Returns the items and the token to resume from (None when the listing ended).
    """
    items: List[Dict[str, Any]] = []
    # A service that hands out a token it already gave would make this loop forever.
    seen_tokens = {next_token} if next_token else set()
    token = next_token
    while True:
        page_size = PAGE_SIZE if max_results is None else min(PAGE_SIZE, max_results - len(items))
        page_request = dict(request, maxResults=page_size)
        if token:
            page_request["nextToken"] = token
        try:
            response = call(aws_retry=True, **page_request)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            raise QBusinessError(message=f"Failed to list {what}", exception=e) from e
        items.extend(response.get(result_key) or [])
        token = response.get("nextToken")
        if not token:
            return items, None
        if token in seen_tokens:
            raise QBusinessError(
                message=f"Failed to list {what}: the service returned a nextToken it had already returned, after {len(items)} "
                "items; stopping rather than reading the same pages again"
            )
        seen_tokens.add(token)
        if max_results is not None and len(items) >= max_results:
            return items, token


def list_sync_jobs(
    client: Any,
    application_id: str,
    index_id: str,
    data_source_id: str,
    filters: Optional[Dict[str, Any]] = None,
    max_results: Optional[int] = None,
    next_token: Optional[str] = None,
) -> Tuple[List[Job], Optional[str]]:
    """A data source's sync jobs as the service sent them (ListDataSourceSyncJobs), and the token to resume from."""
    request = dict(applicationId=application_id, indexId=index_id, dataSourceId=data_source_id, **(filters or {}))
    return _paginate(
        client.list_data_source_sync_jobs, request, "history", f"the sync jobs of data source {data_source_id}", max_results, next_token
    )


def list_all_sync_jobs(
    client: Any, application_id: str, index_id: str, data_source_id: str, filters: Optional[Dict[str, Any]] = None
) -> List[Job]:
    """Every sync job of a data source that matches ``filters``, as the service sent them."""
    jobs, dummy = list_sync_jobs(client, application_id, index_id, data_source_id, filters=filters)
    return jobs


def list_jobs_from(
    client: Any,
    application_id: str,
    index_id: str,
    data_source_id: str,
    anchor: Job,
    filters: Optional[Dict[str, Any]] = None,
    followed_id: Optional[str] = None,
) -> List[Job]:
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
        jobs = list_all_sync_jobs(client, application_id, index_id, data_source_id, narrowed)
        listed = {job.get("executionId") for job in jobs}
        if anchor.get("executionId") in listed and (followed_id is None or followed_id in listed):
            return jobs
    return list_all_sync_jobs(client, application_id, index_id, data_source_id, filters)


def list_recent_jobs(
    client: Any,
    application_id: str,
    index_id: str,
    data_source_id: str,
    filters: Optional[Dict[str, Any]] = None,
    enough: Callable[[List[Job]], bool] = bool,
    now: Optional[datetime] = None,
) -> List[Job]:
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
        jobs = list_all_sync_jobs(client, application_id, index_id, data_source_id, dict(filters, startTime=since))
        in_window = [job for job in jobs if (start_time_of(job) or _OLDEST) >= since]
        if enough(in_window):
            return in_window
    return list_all_sync_jobs(client, application_id, index_id, data_source_id, filters)


def list_data_source_ids(client: Any, application_id: str, index_id: str) -> List[str]:
    """The IDs of every data source of an index (ListDataSources), in the service's order."""
    sources, dummy = _paginate(
        client.list_data_sources, dict(applicationId=application_id, indexId=index_id), "dataSources", f"the data sources of index {index_id}"
    )
    return [source["dataSourceId"] for source in sources]


def _is_conflict(error: Exception) -> bool:
    return isinstance(error, botocore.exceptions.ClientError) and error.response.get("Error", {}).get("Code") == "ConflictException"


class SyncConflict(QBusinessError):
    """The service answered ConflictException (for Start: usually a sync already running)."""


def start_sync_job(client: Any, application_id: str, index_id: str, data_source_id: str) -> str:
    """StartDataSourceSyncJob: the new execution ID. A ConflictException raises :class:`SyncConflict`."""
    try:
        response = client.start_data_source_sync_job(aws_retry=True, applicationId=application_id, indexId=index_id, dataSourceId=data_source_id)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        error = SyncConflict if _is_conflict(e) else QBusinessError
        raise error(message=f"Failed to start a sync of data source {data_source_id}", exception=e) from e
    return response["executionId"]


def stop_sync_job(client: Any, application_id: str, index_id: str, data_source_id: str) -> bool:
    """StopDataSourceSyncJob: False if the service says there is no sync to stop (it ended meanwhile)."""
    try:
        client.stop_data_source_sync_job(aws_retry=True, applicationId=application_id, indexId=index_id, dataSourceId=data_source_id)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        if _is_conflict(e):
            return False
        raise QBusinessError(message=f"Failed to stop the sync of data source {data_source_id}", exception=e) from e
    return True


def run_concurrently(work: Callable[[str], T], items: List[str], max_workers: int = 8) -> List[T]:
    """``[work(item) for item in items]``, several at a time; results in the order of ``items``.

    boto3 clients are thread-safe, and most of the time here is spent waiting for the service.
    """
    if len(items) <= 1:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(max_workers, len(items))) as pool:
        return list(pool.map(work, items))


# ---------------------------------------------------------------------------------------------------------
# Waiting


def is_in_progress(job: Optional[Job]) -> bool:
    """Whether a job (as the service sent it) is SYNCING, SYNCING_INDEXING or STOPPING."""
    return job is not None and job.get("status") in IN_PROGRESS_STATUSES


def poll_jobs(
    read: Callable[[], List[Job]],
    choose: Callable[[List[Job]], Optional[Job]],
    keep_waiting: Callable[[Optional[Job]], bool],
    timeout: float,
    interval: float,
    progress: Optional[Callable[[Job, float], None]] = None,
    read_next: Optional[Callable[[Job], List[Job]]] = None,
    deadline: Optional[float] = None,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Tuple[List[Job], Optional[Job], bool]:
    """Read jobs and choose one; while ``keep_waiting(chosen)``, sleep ``interval`` seconds and read again.

    No sleep goes past ``timeout`` seconds from the start, and the jobs are read once more after the last
    sleep, so the timeout is honoured within one read. ``progress(job, elapsed)`` is called once per poll.
    Later reads go through ``read_next(chosen)`` when given and a job was chosen (to read only from it on).
    ``deadline`` (on the ``monotonic`` clock) replaces start + ``timeout`` when several waits share one budget.
    Returns the last jobs read, the job chosen from them, and whether time ran out while still waiting.
    """
    started = monotonic()
    deadline = started + timeout if deadline is None else deadline
    jobs = read()
    job = choose(jobs)
    while keep_waiting(job):
        if progress is not None and job is not None:
            progress(job, monotonic() - started)
        remaining = deadline - monotonic()
        if remaining <= 0:
            return jobs, job, True
        sleep(min(interval, remaining))
        jobs = read_next(job) if read_next is not None and job is not None else read()
        job = choose(jobs)
    return jobs, job, False


def format_duration(seconds: float) -> str:
    """``93784`` -> ``1d 2h 3m 4s``; whole seconds, largest units first, zero parts left out."""
    remaining = int(round(seconds))
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count}{unit}")
    return " ".join(parts) or "0s"


def timeout_reason(job: Optional[Job], wait_timeout: float) -> str:
    """What to say when a wait ran out (``job`` as the service sent it; None if it was never listed)."""
    if job is None:
        return f"the sync was still not listed after waiting {format_duration(wait_timeout)} (wait_timeout)"
    return f"sync {job.get('executionId')} still {job.get('status')} after waiting {format_duration(wait_timeout)} (wait_timeout)"


# ---------------------------------------------------------------------------------------------------------
# Results


def _iso(value: Any) -> Any:
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
def _snake(name: str) -> str:
    # The API's names are camelCase; a handful of them, so each is converted once.
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def normalize_job(raw: Job) -> Job:
    """One job as the service sent it -> the collection's snake_case shape.

    Times become ISO 8601 strings in UTC, metrics integers; keys the service did not send stay absent.
    """
    job: Job = {}
    for key, value in raw.items():
        name = _snake(key)
        if key == "metrics" and isinstance(value, dict):
            job[name] = {_snake(k): _count(v) for k, v in value.items()}
        elif key == "error" and isinstance(value, dict):
            job[name] = {_snake(k): v for k, v in value.items()}
        else:
            job[name] = _iso(value)
    return job


def start_time_of(raw: Job) -> Optional[datetime]:
    """A job's start time (as the service sent the job) as an aware datetime, or None if there is none."""
    started = raw.get("startTime")
    if isinstance(started, datetime):
        return started if started.tzinfo else started.replace(tzinfo=timezone.utc)
    return None


def _newest_first_key(raw: Job) -> Tuple[datetime, str]:
    # executionId breaks ties so that equal start times still give one stable order.
    return start_time_of(raw) or _OLDEST, str(raw.get("executionId", ""))


def newest_first(raw_jobs: List[Job]) -> List[Job]:
    """The jobs ordered by start time, newest first, whatever order the service answered in."""
    return sorted(raw_jobs, key=_newest_first_key, reverse=True)


def latest_job(raw_jobs: List[Job]) -> Optional[Job]:
    """The job with the greatest start time, or None for an empty history."""
    return max(raw_jobs, key=_newest_first_key) if raw_jobs else None
