# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The verdict on listed jobs and the gate's message; no service involved."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone

from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import GateOptions
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import parse_document_limit
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.verdicts import gate_message
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.verdicts import judge

UTC = timezone.utc


NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


DS = "aaaaaaaa-0000-4000-8000-000000000003"


def job(execution_id, status, hours_ago, failed_documents=None, **extra):
    raw = {"executionId": execution_id, "status": status, "startTime": NOW - timedelta(hours=hours_ago)}
    if failed_documents is not None:
        raw["metrics"] = {"documentsFailed": str(failed_documents)}
    raw.update(extra)
    return raw


def test_latest_failed_fails_with_the_error_and_code():
    jobs = [job("ok", "SUCCEEDED", 5), job("bad", "FAILED", 1, error={"errorMessage": "Credentials expired"}, dataSourceErrorCode="AUTH")]
    verdict = judge(DS, jobs, GateOptions(), NOW)
    assert not verdict.passed
    assert verdict.job["execution_id"] == "bad"
    assert verdict.reasons == ["latest sync bad FAILED: Credentials expired (data source error code AUTH)"]


def test_latest_is_by_start_time_not_list_order():
    jobs = [job("old-failure", "FAILED", 30), job("new-success", "SUCCEEDED", 1)]
    assert judge(DS, jobs, GateOptions(), NOW).passed
    assert not judge(DS, list(reversed(jobs)) + [job("newest-failure", "FAILED", 0)], GateOptions(), NOW).passed


def test_fail_on_is_configurable():
    jobs = [job("inc", "INCOMPLETE", 1, failed_documents=3)]
    assert judge(DS, jobs, GateOptions(), NOW).passed
    verdict = judge(DS, jobs, GateOptions(fail_on=frozenset(["FAILED", "INCOMPLETE"])), NOW)
    assert verdict.reasons == ["latest sync inc INCOMPLETE"]


def test_running_latest_is_not_judged_without_wait():
    jobs = [job("done", "SUCCEEDED", 3), job("running", "SYNCING", 0)]
    verdict = judge(DS, jobs, GateOptions(), NOW)
    assert verdict.passed and verdict.job["execution_id"] == "done" and verdict.running_job["execution_id"] == "running"
    # The finished job it judges instead can itself fail the gate.
    failing = judge(DS, [job("done", "FAILED", 3), job("running", "SYNCING_INDEXING", 0)], GateOptions(), NOW)
    assert not failing.passed and failing.job["execution_id"] == "done"


def test_running_latest_with_nothing_finished_fails():
    verdict = judge(DS, [job("first", "SYNCING", 0)], GateOptions(allow_no_history=True), NOW)
    assert not verdict.passed
    assert verdict.reasons == ["no finished sync to judge: sync first is SYNCING (wait: true waits for it)"]


def test_running_status_in_fail_on_is_judged():
    verdict = judge(DS, [job("done", "SUCCEEDED", 3), job("stopping", "STOPPING", 0)], GateOptions(fail_on=frozenset(["STOPPING"])), NOW)
    assert not verdict.passed and verdict.job["execution_id"] == "stopping"


def test_max_age():
    options = GateOptions(max_age=timedelta(hours=24))
    assert judge(DS, [job("fresh", "SUCCEEDED", 23)], options, NOW).passed
    verdict = judge(DS, [job("stale", "SUCCEEDED", 25)], options, NOW)
    assert verdict.reasons == ["latest sync started 1d 1h ago, more than max_age (1d)"]


def test_max_documents_failed():
    options = GateOptions(max_documents_failed=parse_document_limit(5))
    assert judge(DS, [job("few", "SUCCEEDED", 1, failed_documents=5)], options, NOW).passed
    verdict = judge(DS, [job("many", "INCOMPLETE", 1, failed_documents=6)], options, NOW)
    assert verdict.reasons == ["6 documents failed, more than max_documents_failed (5)"]
    none_allowed = judge(DS, [job("many", "INCOMPLETE", 1, failed_documents=6)], GateOptions(max_documents_failed=parse_document_limit(0)), NOW)
    assert not none_allowed.passed and none_allowed.reasons == ["6 documents failed, more than max_documents_failed (0)"]


def test_max_documents_failed_never_passes_on_a_count_that_was_not_reported():
    verdict = judge(DS, [job("no-metrics", "SUCCEEDED", 1)], GateOptions(max_documents_failed=parse_document_limit(0)), NOW)
    assert not verdict.passed
    assert verdict.reasons == ["the service reported no failed-document count, so max_documents_failed (0) cannot be checked"]


def test_no_history():
    assert judge(DS, [], GateOptions(), NOW).reasons == ["has never synced (allow_no_history is false)"]
    assert judge(DS, [], GateOptions(allow_no_history=True), NOW).passed
    window = GateOptions(max_age=timedelta(hours=1), allow_no_history=True)
    assert judge(DS, [], window, NOW, synced_before_window=False).passed
    assert judge(DS, [], window, NOW, synced_before_window=True).reasons == ["no sync started within max_age (1h)"]
    assert not judge(DS, [], GateOptions(max_age=timedelta(hours=1)), NOW, synced_before_window=False).passed


def test_several_reasons_and_the_message():
    options = GateOptions(max_age=timedelta(hours=1), max_documents_failed=parse_document_limit(0))
    bad = judge(DS, [job("x", "FAILED", 2, failed_documents=1)], options, NOW)
    good = judge("ds-good", [job("y", "SUCCEEDED", 0)], GateOptions(), NOW)
    assert len(bad.reasons) == 3
    message = gate_message([good, bad], "Not deploying")
    assert message.startswith("Not deploying: data source " + DS + ": latest sync x FAILED; latest sync started 2h ago")
    assert "ds-good" not in message
    assert gate_message([good]).startswith("Q Business sync gate passed for 1 data source(s): ds-good (SUCCEEDED")
