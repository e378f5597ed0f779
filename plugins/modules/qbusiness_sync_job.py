#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: qbusiness_sync_job
version_added: 0.1.0
short_description: Start and stop syncs of an Amazon Q Business data source
description:
  - Starts a sync of an Amazon Q Business data source connector (C(StartDataSourceSyncJob)), or stops the
    running one (C(StopDataSourceSyncJob)), idempotently.
  - With O(state=started), a sync already in progress (V(SYNCING) or V(SYNCING_INDEXING)) is left alone and
    returned with RV(ignore:changed=false). A C(ConflictException) from the service, when a sync was started
    elsewhere in between, is handled the same way and never shown as an error. A sync that is V(STOPPING)
    is waited for (at most O(wait_timeout) seconds), since the service starts no new sync before it has
    ended; then a new one is started.
  - With O(state=stopped), a V(SYNCING) or V(SYNCING_INDEXING) sync is stopped; one that is already
    V(STOPPING), or no sync in progress at all, gives RV(ignore:changed=false). A C(ConflictException) from
    the service (no sync to stop) is checked with a new read. If the sync ended meanwhile nothing changed;
    if a sync is still running, the task fails saying the service refused to stop it.
  - The module does not rely on how the service answers a Start while a sync runs (C(ConflictException),
    or success with the running sync's ID). Either way it follows the sync whose ID the service returned,
    and reports RV(ignore:changed=true) only for a sync its first read had not listed.
  - A job status other than the seven documented in M(qbusiness.ops.qbusiness_sync_job_info) is taken
    as finished, with a warning, since the module cannot tell whether it is still running.
  - With O(wait=true), the module returns once the job has reached a final status, or fails when
    O(wait_timeout) runs out. A job that ends V(FAILED) does B(not) fail the task; it is returned in
    RV(sync_job) for the next step to judge, typically M(qbusiness.ops.qbusiness_sync_gate).
author:
  - qbusiness.ops maintainers (@qbusiness-ops)
options:
  state:
    description:
      - V(started) makes sure a sync is in progress (starting one if none is); V(stopped) makes sure none is.
    type: str
    choices: [started, stopped]
    default: started
  wait:
    description:
      - Wait until the started, running or stopped job reaches a final status.
    type: bool
    default: false
extends_documentation_fragment:
  - qbusiness.ops.qbusiness
  - qbusiness.ops.qbusiness.data_source
  - qbusiness.ops.qbusiness.wait
  - qbusiness.ops.qbusiness.latest
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - qbusiness.ops.qbusiness.requirements
attributes:
  check_mode:
    support: full
    description: Reports what would change and sends no Start or Stop request; it does not wait.
  diff_mode:
    support: none
    description: There is no diff to show.
notes:
  - The service keeps one sync at a time per data source. A new sync can start once the previous one has
    ended (V(SUCCEEDED), V(FAILED), V(INCOMPLETE) or V(ABORTED)).
seealso:
  - module: qbusiness.ops.qbusiness_sync_gate
  - module: qbusiness.ops.qbusiness_sync_job_info
"""

EXAMPLES = r"""
- name: Start a sync of a data source by display names, and wait for it
  qbusiness.ops.qbusiness_sync_job:
    application_name: handbook-assistant
    index_name: main
    data_source_name: confluence-wiki
    wait: true

- name: Start a sync after publishing docs, wait for it, and stop the pipeline if it fails
  block:
    - name: Start the sync and wait up to 30 minutes
      qbusiness.ops.qbusiness_sync_job:
        application_id: "{{ qbusiness_application_id }}"
        index_id: "{{ qbusiness_index_id }}"
        data_source_id: "{{ qbusiness_data_source_id }}"
        wait: true
        wait_timeout: 1800
        wait_sleep: 30
      register: sync

    - name: Judge it
      qbusiness.ops.qbusiness_sync_gate:
        application_id: "{{ qbusiness_application_id }}"
        index_id: "{{ qbusiness_index_id }}"
        data_source_id: "{{ qbusiness_data_source_id }}"
        fail_on: [FAILED, INCOMPLETE, ABORTED]

- name: Make sure a sync runs (does nothing while one is in progress)
  qbusiness.ops.qbusiness_sync_job:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    data_source_id: "{{ qbusiness_data_source_id }}"
    state: started

- name: Stop the running sync and wait until it is aborted
  qbusiness.ops.qbusiness_sync_job:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    data_source_id: "{{ qbusiness_data_source_id }}"
    state: stopped
    wait: true
"""

RETURN = r"""
application_id:
  description: The application's identifier (resolved from O(application_name) when given by name).
  returned: always
  type: str
  sample: a0000000-0000-4000-8000-000000000001
  version_added: 0.2.0
application_name:
  description: The application's display name.
  returned: when O(application_name) gave it
  type: str
  sample: handbook-assistant
  version_added: 0.2.0
index_id:
  description: The index's identifier (resolved from O(index_name) when given by name).
  returned: always
  type: str
  sample: b0000000-0000-4000-8000-000000000001
  version_added: 0.2.0
index_name:
  description: The index's display name.
  returned: when O(index_name) gave it
  type: str
  sample: main
  version_added: 0.2.0
data_source_id:
  description: The data source's identifier (resolved from O(data_source_name) when given by name).
  returned: always
  type: str
  sample: c0000000-0000-4000-8000-000000000002
  version_added: 0.2.0
data_source_name:
  description: The data source's display name.
  returned: when O(data_source_name) gave it
  type: str
  sample: confluence-wiki
  version_added: 0.2.0
execution_id:
  description: The identifier of the started, running or stopped sync.
  returned: when there is such a sync
  type: str
  sample: 4a3b0fb6-1f0e-4b6c-9a43-2f1c0d9e8b71
sync_job:
  description:
    - The started, running or stopped sync, in the shape of M(qbusiness.ops.qbusiness_sync_job_info)'s
      RV(qbusiness.ops.qbusiness_sync_job_info#module:history) elements, once the service lists it.
    - With O(wait=true), as it ended.
    - Without O(wait), a sync just started that the service does not list yet (a service may list it a
      moment late) is left out; RV(execution_id) still names it. With O(wait=true) the module keeps polling
      until it is listed and has ended, within O(wait_timeout).
  returned: when the service lists the job
  type: dict
  sample:
    execution_id: 4a3b0fb6-1f0e-4b6c-9a43-2f1c0d9e8b71
    status: SUCCEEDED
    start_time: "2024-05-01T10:00:00+00:00"
    end_time: "2024-05-01T10:12:31+00:00"
    metrics:
      documents_added: 12
      documents_deleted: 0
      documents_failed: 0
      documents_modified: 3
      documents_scanned: 1520
"""

from typing import Any
from typing import Dict

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import DATA_SOURCE_SPEC
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import INDEX_SPEC
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import WAIT_SPEC
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import argument_spec
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import qbusiness_client
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import normalize_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import NameResolver
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_data_source_selection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_wait
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.states import ENSURE_SYNC_STATE
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.states import SYNC_STATES
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.waiting import timeout_reason
from ansible_collections.qbusiness.ops.plugins.module_utils.modules import QBusinessModule


def main() -> None:
    spec = argument_spec(
        INDEX_SPEC,
        DATA_SOURCE_SPEC,
        WAIT_SPEC,
        state=dict(type="str", choices=list(SYNC_STATES), default="started"),
        wait=dict(type="bool", default=False),
    )
    module = QBusinessModule(argument_spec=spec, supports_check_mode=True)
    params = module.params

    selection, (wait_timeout, wait_sleep) = module.checked_options(lambda: (validate_data_source_selection(params), validate_wait(params)))
    ensure_sync = ENSURE_SYNC_STATE[params["state"]]
    client = qbusiness_client(module)
    ref = module.checked_call(lambda: NameResolver(client).data_source_ref(selection))
    change = module.checked_call(
        lambda: ensure_sync(
            DataSourceService(client, ref),
            check_mode=module.check_mode,
            wait=params["wait"],
            wait_timeout=wait_timeout,
            wait_sleep=wait_sleep,
        )
    )

    for warning in change.warnings:
        module.warn(warning)
    result: Dict[str, Any] = dict(ref.identity(), changed=change.changed)
    if change.execution_id:
        result["execution_id"] = change.execution_id
    if change.job is not None:
        result["sync_job"] = normalize_job(change.job)
    if change.timed_out:
        module.fail_json(msg=timeout_reason(change.job, wait_timeout), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
