# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The inventory's own options: checked before any request, each failure naming its option."""

from __future__ import annotations

import pytest

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.options import check_known_options
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.options import validate_options
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.options import validate_region

APP = "a0000000-0000-4000-8000-000000000001"
INDEX = "b0000000-0000-4000-8000-000000000001"


def options(**given):
    return validate_options(given.get)


def test_defaults_select_everything_in_the_configured_region():
    checked = options()
    assert checked.regions is None
    assert (checked.application_ids, checked.application_names, checked.index_ids, checked.index_names) == ((), (), (), ())
    assert checked.data_source_statuses is None and checked.include_latest_sync is False and checked.hostnames is None


def test_values_are_kept_in_order_once():
    checked = options(
        regions=["eu-west-1", "us-east-1", "eu-west-1"],
        application_ids=[APP, APP],
        index_names=["main"],
        data_source_statuses=["ACTIVE", "FAILED"],
        include_latest_sync=True,
        hostnames="{{ qbusiness_data_source_id }}",
    )
    assert checked.regions == ("eu-west-1", "us-east-1")
    assert checked.application_ids == (APP,)
    assert checked.index_names == ("main",)
    assert checked.data_source_statuses == frozenset({"ACTIVE", "FAILED"})
    assert checked.include_latest_sync is True


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-5", "cn-northwest-1"])
def test_region_names(region):
    assert validate_region("regions", region) == region


@pytest.mark.parametrize("region", ["Europe", "us-east", "US-EAST-1", "us-east-1a", "", "us_east_1", 1])
def test_not_a_region(region):
    with pytest.raises(OptionError, match=r"^regions: .* is not an AWS region name"):
        options(regions=["us-east-1", region])


@pytest.mark.parametrize(
    "given, option",
    [
        (dict(application_ids=["nope"]), "application_ids"),
        (dict(index_ids=[APP, "short"]), "index_ids"),
        (dict(application_names=[" leading space"]), "application_names"),
        (dict(index_names=[""]), "index_names"),
        (dict(data_source_statuses=["ACTIVE", "BROKEN"]), "data_source_statuses"),
        (dict(include_latest_sync="maybe"), "include_latest_sync"),
        (dict(hostnames=" "), "hostnames"),
        (dict(regions={"us-east-1": 1}), "regions"),
    ],
)
def test_each_bad_value_names_its_option(given, option):
    with pytest.raises(OptionError) as raised:
        options(**given)
    assert raised.value.message.startswith(option)


def test_a_bad_status_is_named_with_the_statuses_there_are():
    with pytest.raises(OptionError, match=r"'BROKEN' is no data source status; the statuses are PENDING_CREATION, CREATING"):
        options(data_source_statuses=["BROKEN"])


def test_unknown_options_of_the_file_are_refused():
    check_known_options({"plugin": "qbusiness.ops.qbusiness", "regions": []}, ["regions"])
    with pytest.raises(OptionError, match=r"^unknown options: bogus, region_names; the options are: regions$"):
        check_known_options({"plugin": "x", "regions": [], "region_names": [], "bogus": 1}, ["regions"])


def test_the_cache_identity_follows_what_is_read_not_how_it_is_named():
    first = options(regions=["us-east-1"], data_source_statuses=["ACTIVE", "FAILED"], hostnames="{{ qbusiness_data_source_id }}")
    same = options(regions=["us-east-1"], data_source_statuses=["FAILED", "ACTIVE"])
    other = options(regions=["us-east-1"], include_latest_sync=True)
    assert first.cache_identity() == same.cache_identity() != other.cache_identity()
