# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Waiting for a sync: the polling loop, its defaults, and what to say when it runs out of time."""

from __future__ import annotations

import time
from typing import Callable
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob

# Waiting defaults shared by the gate and the start/stop module (and their argument specs).
DEFAULT_WAIT_TIMEOUT = 600
DEFAULT_WAIT_SLEEP = 15


def poll_jobs(
    read: Callable[[], List[ServiceJob]],
    choose: Callable[[List[ServiceJob]], Optional[ServiceJob]],
    keep_waiting: Callable[[Optional[ServiceJob]], bool],
    timeout: float,
    interval: float,
    progress: Optional[Callable[[ServiceJob, float], None]] = None,
    read_next: Optional[Callable[[ServiceJob], List[ServiceJob]]] = None,
    deadline: Optional[float] = None,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Tuple[List[ServiceJob], Optional[ServiceJob], bool]:
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


def timeout_reason(job: Optional[ServiceJob], wait_timeout: float) -> str:
    """What to say when a wait ran out (``job`` as the service sent it; None if it was never listed)."""
    if job is None:
        return f"the sync was still not listed after waiting {format_duration(wait_timeout)} (wait_timeout)"
    return f"sync {job.get('executionId')} still {job.get('status')} after waiting {format_duration(wait_timeout)} (wait_timeout)"
