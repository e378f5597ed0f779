# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The event source's arguments: checked before any request, with the modules' rules, each error naming its argument;
and its client, built from amazon.aws's option names without Ansible."""

from __future__ import annotations

import pytest
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.client import check_arguments
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.client import connection_params
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.client import qbusiness_client_from_args
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.options import validate_watch_options
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import APP
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import INDEX
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import WIKI

IDS = dict(application_id=APP, index_id=INDEX)


def test_defaults():
    options = validate_watch_options(IDS)
    assert (options.delay, options.emit_existing, options.failures_before_event, options.data_sources) == (60, False, 3, None)


def test_one_or_a_list_of_data_sources_by_id_or_name():
    options = validate_watch_options(dict(IDS, data_source_id=WIKI, data_source_name=["a", "b"], delay="5", emit_existing="yes"))
    assert [(n.id, n.name) for n in options.data_sources] == [(WIKI, None), (None, "a"), (None, "b")]
    assert (options.delay, options.emit_existing) == (5, True)


@pytest.mark.parametrize(
    "args, option",
    [
        (dict(index_id=INDEX), "application_id or application_name"),
        (dict(IDS, application_name="x"), "application_id and application_name are mutually exclusive"),
        (dict(application_id=APP), "index_id or index_name"),
        (dict(IDS, application_id="not-an-id"), "application_id must be a Q Business ID"),
        (dict(IDS, data_source_id=[]), "data_source_id must name at least one data source"),
        (dict(IDS, data_source_name=[["a"]]), "data_source_name takes display names"),
        (dict(IDS, delay=0), "delay must be an integer of at least 1"),
        (dict(IDS, delay=True), "delay must be an integer of at least 1"),
        (dict(IDS, failures_before_event=0), "failures_before_event must be an integer of at least 1"),
        (dict(IDS, emit_existing="perhaps"), "emit_existing must be a boolean"),
    ],
)
def test_bad_arguments_are_refused_naming_the_argument(args, option):
    with pytest.raises(OptionError, match=option):
        validate_watch_options(args)


def test_aliases_and_environment_variables_are_amazon_aws_s(monkeypatch):
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    params = connection_params(dict(aws_access_key_id="AKID", aws_endpoint_url="http://127.0.0.1:1"))
    assert (params["access_key"], params["endpoint_url"], params["region"], params["validate_certs"]) == ("AKID", "http://127.0.0.1:1", "eu-west-1", True)
    with pytest.raises(OptionError, match="access_key and aws_access_key_id are names of the same option"):
        connection_params(dict(access_key="a", aws_access_key_id="b"))


def test_a_profile_with_keys_is_refused_without_quoting_the_secret():
    with pytest.raises(OptionError) as refused:
        qbusiness_client_from_args(dict(profile="p", access_key="AKID", secret_key="s3cr3t-value", region="us-east-1"))
    assert "s3cr3t-value" not in str(refused.value)


def test_the_client_names_the_collection_and_retries_as_the_modules_do(emulated_client, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)  # skip the backoff waits; their lengths are not under test
    client = qbusiness_client_from_args(dict(region="us-east-1", access_key="testing", secret_key="testing"))
    assert "qbusiness.ops/" in client.client.meta.config.user_agent
    control.load_scenario({"applications": [{"name": "app", "application_id": APP}]})
    # With seed 3 the first 7 draws are below 0.8: more throttles in a row than botocore's own 5 attempts.
    control.set_faults(throttle_rate=0.8, seed=3, operations=["ListApplications"])
    assert client.list_applications(aws_retry=True)["applications"][0]["applicationId"] == APP
    assert [r["fault"] for r in control.requests()] == ["throttle"] * 7 + [None]


def test_validate_certs_is_a_boolean_as_the_modules_take_it_and_aws_config_a_dictionary():
    assert connection_params(dict(validate_certs="no"))["validate_certs"] is False
    assert connection_params(dict(validate_certs="yes"))["validate_certs"] is True
    with pytest.raises(OptionError, match="validate_certs must be a boolean"):
        connection_params(dict(validate_certs="perhaps"))
    with pytest.raises(OptionError, match="aws_config must be a dictionary"):
        connection_params(dict(aws_config="retries=3"))
    assert connection_params(dict(aws_config={"retries": {"max_attempts": 3}}))["aws_config"] == {"retries": {"max_attempts": 3}}


def test_unknown_arguments_are_refused_and_ansible_rulebook_s_own_accepted():
    check_arguments(dict(IDS, aws_region="us-east-1", aws_secret_key="x", eda_feedback_queue=object(), validate_certs=False))
    with pytest.raises(OptionError, match="unsupported argument: dleay; supported: access_key, application_id"):
        check_arguments(dict(IDS, dleay=5))
