# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The events of the sync_jobs event source: their changes and their shape (issue #16's contract)."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import Optional

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import normalize_job

STARTED = "started"
STATUS_CHANGED = "status_changed"
FINISHED = "finished"
POLL_FAILED = "poll_failed"
CHANGES = (STARTED, STATUS_CHANGED, FINISHED, POLL_FAILED)
# The one key of every event, which a rulebook's conditions start from (event.qbusiness_sync_job.change).
EVENT_KEY = "qbusiness_sync_job"

Event = Dict[str, Any]


def sync_job_event(
    change: str,
    application_id: Optional[str],
    index_id: Optional[str],
    data_source_id: Optional[str],
    data_source_name: Optional[str],
    previous_status: Optional[str] = None,
    job: Optional[ServiceJob] = None,
    error: Optional[str] = None,
) -> Event:
    """One event: the job (as the service sent it) in the collection's snake_case shape, or for poll_failed the error."""
    body: Dict[str, Any] = dict(
        change=change,
        application_id=application_id,
        index_id=index_id,
        data_source_id=data_source_id,
        data_source_name=data_source_name,
        previous_status=previous_status,
    )
    if change == POLL_FAILED:
        body["error"] = error
    else:
        body["job"] = normalize_job(job or {})
    return {EVENT_KEY: body}
