# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The gate's options, checked before any request."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import parse_duration
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import GateOptions
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import validate_gate_options

APP = "aaaaaaaa-0000-4000-8000-000000000001"


INDEX = "aaaaaaaa-0000-4000-8000-000000000002"


DS = "aaaaaaaa-0000-4000-8000-000000000003"


BASE = dict(application_id=APP, index_id=INDEX)


@pytest.mark.parametrize(
    "value, seconds",
    [("90m", 5400), ("24h", 86400), ("7d", 604800), ("2w", 1209600), ("45s", 45), ("3600", 3600), (120, 120), (" 5 M ", 300)],
)
def test_parse_duration(value, seconds):
    assert parse_duration("max_age", value) == timedelta(seconds=seconds)


@pytest.mark.parametrize("value", ["", "0", 0, -5, "5y", "1.5h", "h", "24 hours", True, None, [1], "-3m", "99999999999w", "800000d", 10**12])
def test_parse_duration_rejects_and_names_the_option(value):
    with pytest.raises(OptionError) as err:
        parse_duration("max_age", value)
    assert err.value.message.startswith("max_age must be a positive duration of at most 10 years")


def test_validated_defaults():
    gate = validate_gate_options(dict(BASE))
    assert gate.data_sources is None
    assert gate.index.application.id == APP and gate.index.index.id == INDEX
    assert gate.options == GateOptions()
    assert gate.options.fail_on == frozenset(["FAILED"]) and gate.options.wait_timeout == 600 and gate.options.wait_sleep == 15
    assert gate.fail_msg == "Q Business sync gate failed"


def test_data_source_ids_keep_order_without_duplicates():
    other = DS[:-1] + "9"
    gate = validate_gate_options(dict(BASE, data_source_id=[other, DS, other]))
    assert [named.id for named in gate.data_sources] == [other, DS]


@pytest.mark.parametrize(
    "value, count, share", [(0, 0, None), (12, 12, None), ("12", 12, None), ("2%", None, 0.02), (" 0.5 % ", None, 0.005), ("100%", None, 1.0)]
)
def test_max_documents_failed_a_count_or_a_share(value, count, share):
    limit = validate_gate_options(dict(BASE, max_documents_failed=value)).options.max_documents_failed
    assert (limit.count, limit.share) == (count, share)


def test_ids_and_names_mix_ids_first_each_once():
    gate = validate_gate_options(dict(application_name="app", index_name="main", data_source_id=[DS], data_source_name=["wiki", "docs", "wiki"]))
    assert (gate.index.application.name, gate.index.index.name) == ("app", "main")
    assert [(named.id, named.name) for named in gate.data_sources] == [(DS, None), (None, "wiki"), (None, "docs")]


@pytest.mark.parametrize(
    "params, option",
    [
        (dict(BASE, application_id="x"), "application_id"),
        (dict(BASE, index_id=None), "one of index_id or index_name is required"),
        (dict(BASE, data_source_id=[]), "data_source_id"),
        (dict(BASE, data_source_name=[]), "data_source_name must name at least one data source"),
        (dict(BASE, data_source_name=[""]), "data_source_name must be a display name"),
        (dict(BASE, data_source_name=[["a", "b"]]), "data_source_name takes display names (one, or a list of them)"),
        (dict(BASE, application_name="app"), "application_id and application_name"),
        (dict(index_id=INDEX), "one of application_id or application_name"),
        (dict(BASE, index_name="main"), "index_id and index_name are mutually exclusive"),
        (dict(application_id=APP, index_name=" main"), "index_name must be a display name"),
        (dict(application_id=APP, index_name="-main"), "index_name must be a display name"),
        (dict(BASE, max_documents_failed="abc"), "max_documents_failed must be a number of failed documents"),
        (dict(BASE, max_documents_failed="150%"), "max_documents_failed must be a number of failed documents"),
        (dict(BASE, max_documents_failed=True), "max_documents_failed must be a number of failed documents"),
        (dict(BASE, show_failed_documents=-1), "show_failed_documents must be an integer of at least 0"),
        (dict(BASE, data_source_id=[DS, "../etc/passwd" + "x" * 23]), "data_source_id"),
        (dict(BASE, fail_on=["FAILED", "BROKEN"]), "fail_on"),
        (dict(BASE, fail_on="FAILED"), "fail_on"),
        (dict(BASE, max_age="forever"), "max_age"),
        (dict(BASE, max_age=0), "max_age"),
        (dict(BASE, max_documents_failed=-1), "max_documents_failed"),
        (dict(BASE, wait_timeout=0), "wait_timeout"),
        (dict(BASE, wait_sleep=0), "wait_sleep"),
        (dict(BASE, wait_sleep=-3), "wait_sleep"),
    ],
)
def test_bad_options_name_the_option(params, option):
    with pytest.raises(OptionError) as err:
        validate_gate_options(params)
    assert err.value.message.startswith(option)
