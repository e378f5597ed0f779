# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The probe's own options, checked before any request (with the core's checks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from typing import Dict

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import Spec
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import DataSourceSelection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_data_source_selection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import int_at_least

DEFAULT_SAMPLE_SIZE = 30

PROBE_SPEC: Spec = dict(
    sample_size=dict(type="int", default=DEFAULT_SAMPLE_SIZE),
    token_ttl_probe_seconds=dict(type="int", default=0, no_log=False),  # a number of seconds, not a secret
)


@dataclass(frozen=True)
class ProbeOptions:
    """Which data source; how many jobs a listing of the probe reads at most; how long a token waits (0: not tried)."""

    selection: DataSourceSelection
    sample_size: int
    token_wait: int


def validate_probe_options(params: Dict[str, Any]) -> ProbeOptions:
    """The data source (by IDs or names), ``sample_size`` (at least 2: an order needs two jobs) and ``token_ttl_probe_seconds`` (0 or more)."""
    return ProbeOptions(
        selection=validate_data_source_selection(params),
        sample_size=int_at_least("sample_size", params.get("sample_size", DEFAULT_SAMPLE_SIZE), 2),
        token_wait=int_at_least("token_ttl_probe_seconds", params.get("token_ttl_probe_seconds", 0), 0, expected="a whole number of seconds, 0 or more"),
    )
