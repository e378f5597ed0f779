# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The qbusiness.ops.sync_stats filter: exactly plugin_utils/_sync_report/stats.py's sync_stats, and clear errors. (Through a play,
over qbusiness_sync_job_info's history: the integration target qbusiness_sync_report.)"""

from __future__ import annotations

from datetime import datetime
from datetime import timezone

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.qbusiness.ops.plugins.filter.sync_stats import FilterModule
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.stats import sync_stats

NOW = datetime(2024, 5, 31, 9, 0, tzinfo=timezone.utc)
HISTORY = [
    {
        "execution_id": "e" * 36,
        "status": "SUCCEEDED",
        "start_time": "2024-05-31T07:00:00+00:00",
        "end_time": "2024-05-31T07:05:00+00:00",
        "metrics": {"documents_added": 4, "documents_failed": 0},
    },
    {
        "execution_id": "f" * 36,
        "status": "FAILED",
        "start_time": "2024-05-31T08:00:00+00:00",
        "end_time": "2024-05-31T08:01:00+00:00",
        "error": {"error_code": "InvalidRequest", "error_message": "expired"},
    },
]
FILTER = FilterModule().filters()["sync_stats"]


@pytest.mark.parametrize("now", ["2024-05-31T09:00:00Z", "2024-05-31 11:00:00+02:00", "20240531T090000Z", NOW])
def test_the_filter_gives_exactly_sync_stats(now):
    assert FILTER(HISTORY, now=now) == sync_stats(HISTORY, NOW)
    assert FILTER(HISTORY, now=now)["since_last_success"] == 6900


def test_now_defaults_to_the_current_time():
    before = datetime.now(timezone.utc)
    stats = FILTER(HISTORY)
    after = datetime.now(timezone.utc)
    end = datetime(2024, 5, 31, 7, 5, tzinfo=timezone.utc)
    assert round((before - end).total_seconds()) <= stats["since_last_success"] <= round((after - end).total_seconds()) + 1
    assert FILTER([]) == sync_stats([], NOW)


@pytest.mark.parametrize(
    "history, now, message",
    [
        ({"history": HISTORY}, None, "qbusiness.ops.sync_stats expects a list of sync jobs (a history, such as qbusiness_sync_job_info's), got dict"),
        ("FAILED", None, "got str 'FAILED'"),
        (HISTORY + [None], None, "element 2 is NoneType None"),
        (HISTORY, "yesterday", "qbusiness.ops.sync_stats: now must be an ISO 8601 date-time such as 2024-05-01T00:00:00Z; got 'yesterday'"),
        (HISTORY, 1717146000, "now must be an ISO 8601 date-time"),
    ],
)
def test_bad_input_raises_a_filter_error(history, now, message):
    with pytest.raises(AnsibleFilterError) as raised:
        FILTER(history, now=now)
    assert message in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
