# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: sync_stats
version_added: 0.2.0
short_description: The statistics of an Amazon Q Business sync history
description:
  - Computes, from a list of sync jobs such as M(qbusiness.ops.qbusiness_sync_job_info)'s
    RV(qbusiness.ops.qbusiness_sync_job_info#module:history), the statistics that M(qbusiness.ops.qbusiness_sync_report)
    returns for each data source, with the same code.
  - B(Finished) syncs are those V(SUCCEEDED), V(FAILED), V(INCOMPLETE) or V(ABORTED); running ones (V(SYNCING),
    V(SYNCING_INDEXING), V(STOPPING)) and statuses the collection does not know are counted in RV(_value.syncs) only.
  - Every job of the list counts; to look at a window, list it (for example with O(qbusiness.ops.qbusiness_sync_job_info#module:start_time)).
  - Times may be ISO 8601 strings or datetimes; a job may lack any key (a job without a start time sorts last,
    one without both times has no duration).
author:
  - qbusiness.ops maintainers (@qbusiness-ops)
positional: _input
options:
  _input:
    description:
      - The sync jobs, in the snake_case shape of qbusiness_sync_job_info's history elements.
    type: list
    elements: dict
    required: true
  now:
    description:
      - The instant the statistics are taken at (RV(_value.since_last_success) counts to it), as an ISO 8601
        date-time such as V(2024-05-31T09:00:00Z); a value without an offset is UTC.
      - Pass a report's RV(qbusiness.ops.qbusiness_sync_report#module:until) to get that report's numbers.
      - By default, the current time in UTC.
    type: str
seealso:
  - module: qbusiness.ops.qbusiness_sync_report
  - module: qbusiness.ops.qbusiness_sync_job_info
"""

EXAMPLES = r"""
- name: Read the last month of a data source's syncs
  qbusiness.ops.qbusiness_sync_job_info:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    data_source_id: "{{ qbusiness_data_source_id }}"
    start_time: "{{ '%Y-%m-%dT%H:%M:%SZ' | ansible.builtin.strftime(now(utc=true).timestamp() - 30 * 86400, utc=true) }}"
  register: listed

- name: Say how they went
  vars:
    stats: "{{ listed.history | qbusiness.ops.sync_stats }}"
  ansible.builtin.debug:
    msg: >-
      {{ stats.syncs.SUCCEEDED }} succeeded, success rate {{ stats.success_rate }},
      {{ stats.failure_streak }} failed in a row, median duration {{ stats.duration_p50 }} s

- name: The statistics as of a given instant
  ansible.builtin.set_fact:
    stats: "{{ listed.history | qbusiness.ops.sync_stats(now='2024-05-31T09:00:00Z') }}"
"""

RETURN = r"""
_value:
  description: The statistics of the jobs.
  type: dict
  contains:
    syncs:
      description:
        - How many jobs have each status; every status of the API is there (V(0) when none), and any other status
          seen is added (a job without a status counts as V(UNKNOWN)).
      type: dict
      sample: {"SUCCEEDED": 27, "FAILED": 2, "INCOMPLETE": 1, "ABORTED": 0, "SYNCING": 0, "SYNCING_INDEXING": 0, "STOPPING": 0}
    success_rate:
      description: V(SUCCEEDED) jobs over finished ones, from 0 to 1, 4 decimals; V(null) when none finished.
      type: float
      sample: 0.9
    failure_streak:
      description:
        - How many finished jobs in a row, newest first (by start time, ties by execution ID), are V(FAILED) or
          V(INCOMPLETE); another finished job ends the streak, running ones are skipped.
      type: int
      sample: 2
    since_last_success:
      description:
        - Whole seconds from the latest end of a V(SUCCEEDED) job (its start, for one without an end) to O(now),
          never negative; V(null) when there is none. The latest end of them all, not the end of the one that started
          last (jobs may overlap, as those of several data sources do).
      type: int
      sample: 3600
    duration_p50:
      description:
        - The median of end minus start, in seconds, over the finished jobs that have both times, by nearest rank (the
          smallest duration that at least half of them do not exceed); V(null) when there is none.
      type: float
      sample: 300.0
    duration_p95:
      description: The 95th percentile of the same durations, by nearest rank; V(null) when there is none.
      type: float
      sample: 912.5
    documents:
      description:
        - C(added), C(modified), C(deleted), C(failed) - the sums of the jobs' C(metrics.documents_added),
          C(documents_modified), C(documents_deleted), C(documents_failed) (a count that is not an integer is skipped).
      type: dict
      sample: {"added": 1200, "modified": 40, "deleted": 3, "failed": 38}
    latest_sync:
      description: The newest job (greatest start time, ties by execution ID), as given; V(null) for an empty list.
      type: dict
"""

from datetime import datetime
from datetime import timezone
from typing import Any
from typing import Callable
from typing import Dict
from typing import Optional

from ansible.errors import AnsibleFilterError

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import parse_time
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.stats import sync_stats as statistics
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.stats import validate_history


def sync_stats(history: Any, now: Optional[str] = None) -> Dict[str, Any]:
    """``history | qbusiness.ops.sync_stats(now=...)``: plugin_utils/_sync_report/stats.py's sync_stats."""
    try:
        jobs = validate_history(history)
        instant = parse_time("now", now) if now is not None else None
    except TypeError as e:
        raise AnsibleFilterError(f"qbusiness.ops.sync_stats {e}") from None
    except OptionError as e:
        raise AnsibleFilterError(f"qbusiness.ops.sync_stats: {e.message}") from None
    return statistics(jobs, instant or datetime.now(timezone.utc))


class FilterModule:
    """qbusiness.ops's filters."""

    def filters(self) -> Dict[str, Callable[..., Any]]:
        return {"sync_stats": sync_stats}
