# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Describing data sources (GetDataSource) in the collection's snake_case shape, with their latest sync if asked."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.concurrency import run_concurrently
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import iso_time
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import normalize_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import snake_case
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.listing import list_recent_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceRef
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService

# The GetDataSource fields a description holds (the configuration, which may hold secrets' ARNs and is large, is not).
DESCRIBED_FIELDS = ("dataSourceId", "displayName", "type", "status", "error", "syncSchedule", "createdAt", "updatedAt")


def normalize_data_source(raw: Dict[str, Any]) -> Dict[str, Any]:
    """A GetDataSource answer -> ``data_source_id``, ``display_name``, ``type``, ``status``, ``error``
    (``error_code``, ``error_message``), ``sync_schedule``, ``created_at``, ``updated_at``; the fields the service
    did not send stay absent, and times are ISO 8601 in UTC."""
    described: Dict[str, Any] = {}
    for key in DESCRIBED_FIELDS:
        if key not in raw:
            continue
        value = raw[key]
        if key == "error" and isinstance(value, dict):
            described["error"] = {snake_case(k): v for k, v in value.items()}
        else:
            described[snake_case(key)] = iso_time(value)
    return described


def describe_data_sources(client: Any, refs: List[DataSourceRef], latest_sync: bool = False) -> List[Dict[str, Any]]:
    """Each data source's description (one GetDataSource each), in the order of ``refs``, read concurrently;
    with ``latest_sync``, also its latest sync job (``latest_sync``, None when it has none), read as the lookup
    reads it (the recent windows of list_recent_jobs)."""

    def describe(ref: DataSourceRef) -> Dict[str, Any]:
        source = DataSourceService(client, ref)
        described = dict(normalize_data_source(source.get_data_source()))
        described.setdefault("data_source_id", ref.data_source_id)
        if latest_sync:
            job = latest_job(list_recent_jobs(source))
            described["latest_sync"] = normalize_job(job) if job is not None else None
        return described

    return run_concurrently(describe, refs)
