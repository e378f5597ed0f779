# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Argument spec fragments, one for each option fragment of plugins/doc_fragments/qbusiness.py.

A plugin's spec is the fragments its ``extends_documentation_fragment`` names plus its own options;
validate-modules (and, for the gate, a unit test) keeps each spec equal to the documentation.
"""

from __future__ import annotations

import copy
from typing import Any
from typing import Dict

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import SYNC_JOB_STATUSES
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.waiting import DEFAULT_WAIT_SLEEP
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.waiting import DEFAULT_WAIT_TIMEOUT

Spec = Dict[str, Dict[str, Any]]

# qbusiness.ops.qbusiness: the application and index that hold the data sources, each by ID or by display name
# (one of each pair is required: names.validate_named checks it, with the same message in every plugin).
INDEX_SPEC: Spec = dict(
    application_id=dict(type="str"),
    application_name=dict(type="str"),
    index_id=dict(type="str"),
    index_name=dict(type="str"),
)

# qbusiness.ops.qbusiness.data_source: one data source, by ID or by display name.
DATA_SOURCE_SPEC: Spec = dict(
    data_source_id=dict(type="str"),
    data_source_name=dict(type="str"),
)

# qbusiness.ops.qbusiness.filters: the filters of ListDataSourceSyncJobs.
FILTERS_SPEC: Spec = dict(
    start_time=dict(type="str"),
    end_time=dict(type="str"),
    status_filter=dict(type="str", choices=list(SYNC_JOB_STATUSES)),
)

# qbusiness.ops.qbusiness.wait: polling while a sync runs (each plugin has its own ``wait``).
WAIT_SPEC: Spec = dict(
    wait_timeout=dict(type="int", default=DEFAULT_WAIT_TIMEOUT),
    wait_sleep=dict(type="int", default=DEFAULT_WAIT_SLEEP),
)


def argument_spec(*fragments: Spec, **options: Dict[str, Any]) -> Spec:
    """The fragments and a plugin's own ``options`` as one argument spec (a copy: the fragments stay as they are)."""
    spec: Spec = {}
    for fragment in fragments:
        spec.update(copy.deepcopy(fragment))
    spec.update(options)
    return spec
