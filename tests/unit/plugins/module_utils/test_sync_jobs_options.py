# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Option checks and result shaping of the core: no service involved."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest

from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import build_list_filters
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import newest_first
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import normalize_job
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import parse_time
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import validate_id
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import validate_max_results

GOOD_ID = "0a1b2c3d-0000-4000-8000-00000000abcd"
UTC = timezone.utc


@pytest.mark.parametrize("value", [GOOD_ID, "A" * 36, "9" + "-" * 35])
def test_validate_id_accepts_the_service_pattern(value):
    assert validate_id("index_id", value) == value


@pytest.mark.parametrize(
    "value",
    ["", "short", GOOD_ID + "x", "-" + GOOD_ID[1:], "../" + GOOD_ID[3:], GOOD_ID[:-1] + "/", GOOD_ID[:-1] + " ", None, 42, [GOOD_ID]],
)
def test_validate_id_rejects_and_names_the_option(value):
    with pytest.raises(OptionError) as err:
        validate_id("data_source_id", value)
    assert err.value.message.startswith("data_source_id must be a Q Business ID")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-05-01T00:00:00Z", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-05-01t10:30:00z", datetime(2024, 5, 1, 10, 30, tzinfo=UTC)),
        ("2024-05-01T12:00:00+02:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("2024-05-01 12:00:00", datetime(2024, 5, 1, 12, tzinfo=UTC)),
        ("2024-05-01T00:00:00.250Z", datetime(2024, 5, 1, 0, 0, 0, 250000, tzinfo=UTC)),
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
    ],
)
def test_parse_time_gives_aware_utc(text, expected):
    parsed = parse_time("start_time", text)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize("text", ["yesterday", "2024-13-01T00:00:00Z", "2024-05-01T25:00:00Z", " ", "", 1714521600, "2024-05-01T00:00:00+25:00"])
def test_parse_time_rejects_and_names_the_option(text):
    with pytest.raises(OptionError) as err:
        parse_time("end_time", text)
    assert err.value.message.startswith("end_time must be an ISO 8601 date-time")


def test_filters_map_to_the_api_parameters():
    filters = build_list_filters("2024-05-01T00:00:00Z", "2024-05-02T00:00:00+00:00", "FAILED")
    assert filters == {
        "startTime": datetime(2024, 5, 1, tzinfo=UTC),
        "endTime": datetime(2024, 5, 2, tzinfo=UTC),
        "statusFilter": "FAILED",
    }
    assert build_list_filters() == {}


def test_end_before_start_is_rejected():
    with pytest.raises(OptionError) as err:
        build_list_filters("2024-05-02T00:00:00Z", "2024-05-01T23:59:59Z")
    assert "end_time" in err.value.message and "before start_time" in err.value.message


def test_unknown_status_is_rejected():
    with pytest.raises(OptionError) as err:
        build_list_filters(status_filter="DONE")
    assert err.value.message.startswith("status_filter must be one of FAILED, SUCCEEDED")


@pytest.mark.parametrize("value", [0, -1, True, "10"])
def test_max_results_must_be_positive(value):
    with pytest.raises(OptionError) as err:
        validate_max_results(value)
    assert err.value.message.startswith("max_results must be a positive integer")


def test_max_results_none_means_everything():
    assert validate_max_results(None) is None
    assert validate_max_results(1) == 1


def test_normalize_job_snake_cases_converts_and_invents_nothing():
    raw = {
        "executionId": "e1",
        "status": "FAILED",
        "startTime": datetime(2024, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))),
        "endTime": datetime(2024, 5, 1, 10, 5, 30, tzinfo=UTC),
        "error": {"errorCode": "InvalidRequest", "errorMessage": "expired"},
        "dataSourceErrorCode": "AUTH_FAILED",
        "metrics": {"documentsAdded": "3", "documentsDeleted": "0", "documentsFailed": "12", "documentsModified": "7", "documentsScanned": "1520"},
    }
    assert normalize_job(raw) == {
        "execution_id": "e1",
        "status": "FAILED",
        "start_time": "2024-05-01T10:00:00+00:00",
        "end_time": "2024-05-01T10:05:30+00:00",
        "error": {"error_code": "InvalidRequest", "error_message": "expired"},
        "data_source_error_code": "AUTH_FAILED",
        "metrics": {"documents_added": 3, "documents_deleted": 0, "documents_failed": 12, "documents_modified": 7, "documents_scanned": 1520},
    }
    running = normalize_job({"executionId": "e2", "status": "SYNCING", "startTime": datetime(2024, 5, 1, tzinfo=UTC)})
    assert running == {"execution_id": "e2", "status": "SYNCING", "start_time": "2024-05-01T00:00:00+00:00"}


def _job(execution_id, hour):
    return {"executionId": execution_id, "status": "SUCCEEDED", "startTime": datetime(2024, 5, 1, hour, tzinfo=UTC)}


def test_newest_first_and_latest_ignore_the_service_order():
    jobs = [_job("b", 3), _job("a", 1), _job("d", 9), _job("c", 5)]
    assert [j["executionId"] for j in newest_first(jobs)] == ["d", "c", "b", "a"]
    assert latest_job(jobs)["executionId"] == "d"
    assert latest_job(list(reversed(jobs)))["executionId"] == "d"
    assert latest_job([]) is None


def test_equal_start_times_order_stably_and_jobs_without_start_come_last():
    jobs = [_job("x", 4), {"executionId": "nostart", "status": "SYNCING"}, _job("y", 4)]
    assert [j["executionId"] for j in newest_first(jobs)] == ["y", "x", "nostart"]
    assert latest_job(jobs)["executionId"] == "y"
