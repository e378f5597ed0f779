# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Register items 1 and 5 from listed jobs: the order of a history, the statuses."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest

from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import AS_REFERENCE
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import DIFFERS
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import NOT_OBSERVABLE
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.history import history_order
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.history import probe_history_order
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.history import probe_statuses

T0 = datetime(2024, 5, 1, tzinfo=timezone.utc)


def jobs_at(*hours, status="SUCCEEDED"):
    return [{"executionId": f"job-{i}", "status": status, "startTime": T0 + timedelta(hours=h)} for i, h in enumerate(hours)]


@pytest.mark.parametrize(
    "hours, order",
    [
        ((3, 2, 1), "newest_first"),
        ((1, 2, 3), "oldest_first"),
        ((2, 3, 1), "unordered"),
        ((3, 3, 1), "newest_first"),  # equal start times break no order
        ((1, 1), None),
        ((5,), None),
        ((), None),
    ],
)
def test_history_order(hours, order):
    assert history_order(jobs_at(*hours)) == order


def test_jobs_without_a_start_time_are_left_out_of_the_order():
    jobs = jobs_at(3, 1)
    jobs.insert(1, {"executionId": "no-start", "status": "SYNCING"})
    assert history_order(jobs) == "newest_first"


def test_order_finding_compares_with_the_emulators_newest_first():
    assert probe_history_order(jobs_at(3, 2, 1), ["req"]).result == AS_REFERENCE
    finding = probe_history_order(jobs_at(1, 2, 3), ["req"])
    assert (finding.result, finding.observed, finding.holds) == (DIFFERS, "oldest_first", None)
    assert finding.evidence == ["req"]
    assert probe_history_order(jobs_at(1), []).result == NOT_OBSERVABLE


def test_statuses_known_and_unknown():
    known = probe_statuses(jobs_at(1, 2) + jobs_at(3, status="STOPPING"))
    assert (known.result, known.observed) == (AS_REFERENCE, "known_only")
    assert "STOPPING 1 (0 with an endTime)" in known.evidence[0]
    odd = probe_statuses(jobs_at(1) + jobs_at(2, status="PAUSED") + jobs_at(3, status="QUEUED"))
    assert (odd.result, odd.observed, odd.holds) == (DIFFERS, "unknown: PAUSED, QUEUED", None)
    assert probe_statuses([]).result == NOT_OBSERVABLE
