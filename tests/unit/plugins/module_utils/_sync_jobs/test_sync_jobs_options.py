# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Option checks of the core: no service involved."""

from __future__ import annotations

import json
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from pathlib import Path

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


# The ISO 8601 table: every supported Python must read each input as the same instant (or refuse it);
# the cross-Python test (tests/utils) reads the same file.
ISO8601_CASES = json.loads((Path(__file__).parent / "iso8601_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", ISO8601_CASES, ids=[repr(case["input"]) for case in ISO8601_CASES])
def test_parse_time_reads_the_iso8601_table(case):
    if case["expected"] is None:
        with pytest.raises(OptionError) as err:
            parse_time("end_time", case["input"])
        assert err.value.message == f"end_time must be an ISO 8601 date-time such as 2024-05-01T00:00:00Z; got {case['input']!r}"
    else:
        parsed = parse_time("start_time", case["input"])
        assert parsed.utcoffset() == timedelta(0)
        assert parsed.isoformat() == case["expected"]


def test_the_table_holds_the_inputs_pythons_disagree_on():
    """fromisoformat() reads these on Python 3.11+ only; parse_time must read them everywhere."""
    readable = {case["input"] for case in ISO8601_CASES if case["expected"] is not None}
    assert {"2024-05-01T00:00:00.5Z", "20240501T000000Z", "2024-W18-3", "2024-05-01", "2024-05-01T12:00:00+02:00"} <= readable
    assert any(case["expected"] is None for case in ISO8601_CASES)


@pytest.mark.parametrize("value", [1714521600, 1.5, ["2024-05-01"], {}])
def test_parse_time_rejects_what_is_not_a_string(value):
    with pytest.raises(OptionError) as err:
        parse_time("end_time", value)
    assert err.value.message.startswith("end_time must be an ISO 8601 date-time")


def test_parse_time_takes_a_datetime_and_no_offset_as_utc():
    assert parse_time("start_time", datetime(2024, 5, 1, 12)) == datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert parse_time("start_time", datetime(2024, 5, 1, 12, tzinfo=timezone(timedelta(hours=2)))) == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert parse_time("start_time", None) is None


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
