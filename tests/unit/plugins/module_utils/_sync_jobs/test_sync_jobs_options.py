# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Option checks of the core: no service involved."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import build_list_filters
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import parse_time
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_id
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_max_results


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
