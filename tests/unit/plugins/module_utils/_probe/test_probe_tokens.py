# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Register item 4: tokens bound to the request, expiring, and a service that repeats them."""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import AS_REFERENCE
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import DIFFERS
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import NOT_OBSERVABLE
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import NOT_PROBED
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.tokens import probe_token_binding
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.tokens import probe_token_expiry
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import IDLE
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import SINGLE
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import context
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import load_probe_scenario


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    load_probe_scenario()
    return emulated_client


def max_results_sent():
    return [r["params"]["maxResults"] for r in control.requests() if r["operation"] == "ListDataSourceSyncJobs"]


def test_unbound_tokens(client):
    finding = probe_token_binding(context(client, IDLE))
    assert (finding.result, finding.observed, finding.holds) == (AS_REFERENCE, "not_bound", True)
    assert max_results_sent() == ["1", "2", "1", "1"]
    assert len(finding.evidence) == 4


def test_bound_tokens_are_told_apart_and_still_hold(client):
    control.set_behaviours(tokens_bound_to_request=True)
    finding = probe_token_binding(context(client, IDLE))
    assert (finding.result, finding.observed, finding.holds) == (DIFFERS, "bound", True)
    assert "refused (ValidationException: The nextToken is not valid)" in finding.summary
    assert max_results_sent() == ["1", "2", "1", "1"]


def test_a_repeated_token_does_not_hold(client):
    control.set_faults(repeat_next_token=True)
    finding = probe_token_binding(context(client, IDLE))
    assert finding.holds is False
    assert "the next page answered the same nextToken again" in finding.summary


class RefusesEveryToken:
    """A service that refuses any request carrying a nextToken."""

    def __init__(self, client):
        self.client = client

    def list_data_source_sync_jobs(self, **request):
        if "nextToken" in request:
            return self.client.list_data_source_sync_jobs(**dict(request, nextToken="not-a-token-of-the-emulator"))
        return self.client.list_data_source_sync_jobs(**request)


def test_a_token_refused_with_its_own_parameters_does_not_hold(client):
    finding = probe_token_binding(context(RefusesEveryToken(client), IDLE))
    assert (finding.observed, finding.holds) == ("bound", False)
    assert "REFUSED its token with the very parameters that produced it" in finding.summary


class DeniesTokens:
    """A service that answers AccessDeniedException to any request carrying a nextToken."""

    def __init__(self, client):
        self.client = client

    def list_data_source_sync_jobs(self, **request):
        if "nextToken" in request:
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "ListDataSourceSyncJobs")
        return self.client.list_data_source_sync_jobs(**request)


def test_errors_other_than_a_refused_token_are_raised_on(client):
    ctx = context(DeniesTokens(client), IDLE)
    with pytest.raises(QBusinessError) as raised:
        probe_token_binding(ctx)
    assert "AccessDeniedException: no" in ctx.recorder.calls[-1]
    assert raised.value.exception.response["Error"]["Code"] == "AccessDeniedException"


def test_tokens_need_two_jobs(client):
    finding = probe_token_binding(context(client, SINGLE))
    assert finding.result == NOT_OBSERVABLE
    assert len(control.requests()) == 1


def test_expiry_not_probed_without_a_wait(client):
    finding = probe_token_expiry(context(client, IDLE), 0)
    assert finding.result == NOT_PROBED
    assert control.requests() == []


def test_expiry_accepted_and_refused(client):
    slept = []
    finding = probe_token_expiry(context(client, IDLE), 1, sleep=slept.append)
    assert (finding.result, finding.observed) == (AS_REFERENCE, "accepted")
    control.set_behaviours(token_ttl_seconds=0.2)
    finding = probe_token_expiry(context(client, IDLE), 1, sleep=time.sleep)
    assert (finding.result, finding.observed, finding.holds) == (DIFFERS, "refused", None)
    assert "The nextToken has expired" in finding.summary
    assert slept == [1]
    assert "waited 1 s" in finding.evidence
