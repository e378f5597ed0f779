# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Register items 1 and 5, seen in the jobs the service listed: the order of ``history``, and the statuses."""

from __future__ import annotations

from collections import Counter
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import Behaviour
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import Finding
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import not_observable
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import observed
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.recording import wire_time
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import SYNC_JOB_STATUSES
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import start_time_of

HISTORY_ORDER = Behaviour(
    item=1,
    key="history_order",
    title="Order of history",
    assumed="Nothing: the collection sorts the jobs by startTime itself (ties: executionId).",
    reference="newest_first",
)

STATUSES = Behaviour(
    item=5,
    key="statuses",
    title="Statuses outside the seven the collection knows",
    assumed=(
        "STOPPING is in progress, INCOMPLETE and ABORTED are finished. A status that is none of the seven is never judged "
        "as passing: the gate fails naming it, waiting treats it as finished and says so."
    ),
    reference="known_only",
)


def history_order(jobs: List[ServiceJob]) -> Optional[str]:
    """How ``jobs`` (in the order listed) are ordered by startTime: newest_first, oldest_first or unordered;
    None when fewer than two distinct start times show any order."""
    times = [t for t in (start_time_of(job) for job in jobs) if t is not None]
    if len(set(times)) < 2:
        return None
    pairs = list(zip(times, times[1:]))
    if all(a >= b for a, b in pairs):
        return "newest_first"
    if all(a <= b for a, b in pairs):
        return "oldest_first"
    return "unordered"


def probe_history_order(sample: List[ServiceJob], evidence: List[str]) -> Finding:
    """Item 1, from the first jobs of the plain listing (``evidence``: the requests that read them)."""
    order = history_order(sample)
    times = [wire_time(t) for t in (start_time_of(job) for job in sample) if t is not None]
    if order is None:
        return not_observable(HISTORY_ORDER, f"the listing holds {len(sample)} job(s), too few distinct start times to show an order", evidence)
    shown = ", ".join(times) if len(times) <= 4 else f"{', '.join(times[:3])}, ... {times[-1]}"
    summary = f"{len(times)} jobs listed in the order of their start times {shown}: {order.replace('_', ' ')}"
    return observed(HISTORY_ORDER, order, summary, evidence)


def _status_counts(jobs: List[ServiceJob]) -> List[str]:
    """``SUCCEEDED 10 (10 with an endTime)``: each status seen, and how many of its jobs had ended."""
    counts: Dict[str, int] = Counter(str(job.get("status")) for job in jobs)
    ended: Dict[str, int] = Counter(str(job.get("status")) for job in jobs if job.get("endTime") is not None)
    return [f"{status} {count} ({ended.get(status, 0)} with an endTime)" for status, count in sorted(counts.items())]


def probe_statuses(jobs: List[ServiceJob]) -> Finding:
    """Item 5, from every job the probe's listings answered."""
    if not jobs:
        return not_observable(STATUSES, "no job was listed", [])
    unknown = sorted({str(job.get("status")) for job in jobs} - set(SYNC_JOB_STATUSES))
    evidence = [f"the statuses of the {len(jobs)} distinct jobs the listings above answered: {'; '.join(_status_counts(jobs))}"]
    if unknown:
        summary = f"the service listed statuses the collection does not know: {', '.join(unknown)}"
        return observed(STATUSES, f"unknown: {', '.join(unknown)}", summary, evidence)
    return observed(STATUSES, "known_only", "every status listed is one of the seven the collection knows", evidence)
