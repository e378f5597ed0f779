#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: qbusiness_data_source_info
version_added: 0.2.0
short_description: Describe the data sources of an Amazon Q Business index
description:
  - Describes the data sources of an Amazon Q Business index (C(GetDataSource) for each), or only those named by
    O(data_source_id) and O(data_source_name), with their display name, type, status, error, sync schedule and times.
  - With O(latest_sync=true), each also carries its latest sync job, read as the
    P(qbusiness.ops.qbusiness_sync_job#lookup) lookup reads it; the data sources are read concurrently.
  - Requests that are throttled or answered with a server error are retried with jittered backoff.
author:
  - qbusiness.ops maintainers (@qbusiness-ops)
options:
  data_source_id:
    description:
      - The data source to describe, or a list of them. May be given with O(data_source_name).
      - When both are left out, every data source of the index is described (found with C(ListDataSources)).
      - An empty list is an error. Each ID is 36 characters, a letter or digit followed by letters, digits
        or hyphens, and is checked before any request.
    type: list
    elements: str
  data_source_name:
    description:
      - The display name of a data source to describe, or a list of them, matched exactly against every page of
        C(ListDataSources) of the index (read once). A name that no data source has, or that several have, fails
        the task with the names or the IDs found.
      - An empty list is an error. May be given with O(data_source_id).
    type: list
    elements: str
  latest_sync:
    description:
      - Also return each data source's latest sync job as RV(data_sources[].latest_sync).
      - It costs the requests of the recent windows (one per 10 syncs of the last day for a data source that
        syncs often); see the notes.
    type: bool
    default: false
extends_documentation_fragment:
  - qbusiness.ops.qbusiness
  - qbusiness.ops.qbusiness.latest
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - qbusiness.ops.qbusiness.requirements
attributes:
  check_mode:
    support: full
    description: The module only reads, so check mode runs it unchanged.
  diff_mode:
    support: none
    description: Nothing is changed, so there is no diff.
notes:
  - The module never changes anything, and always reports RV(ignore:changed=false).
  - Requests - one C(GetDataSource) per data source; C(ListDataSources) (10 a page) only when no data source
    is given or one is given by name; C(ListApplications) or C(ListIndices) only for O(application_name) or
    O(index_name).
seealso:
  - module: qbusiness.ops.qbusiness_sync_gate
  - module: qbusiness.ops.qbusiness_sync_job_info
  - name: GetDataSource
    description: The Amazon Q Business API this module calls for each data source.
    link: https://docs.aws.amazon.com/amazonq/latest/api-reference/API_GetDataSource.html
"""

EXAMPLES = r"""
- name: Describe every data source of an index, by names
  qbusiness.ops.qbusiness_data_source_info:
    application_name: handbook-assistant
    index_name: main
  register: sources

- name: Gate every active data source (a data source still being created has nothing to judge yet)
  qbusiness.ops.qbusiness_sync_gate:
    application_id: "{{ sources.application_id }}"
    index_id: "{{ sources.index_id }}"
    data_source_id: "{{ sources.data_sources | selectattr('status', 'eq', 'ACTIVE') | map(attribute='data_source_id') | list }}"
    max_age: 24h

- name: Show each data source with its latest sync
  qbusiness.ops.qbusiness_data_source_info:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    data_source_name: [confluence-wiki, sharepoint-policies]
    latest_sync: true
  register: described

- name: Print a line per data source
  ansible.builtin.debug:
    msg: >-
      {{ item.display_name }} ({{ item.type }}, {{ item.status }}):
      {{ item.latest_sync.status | default('never synced') if item.latest_sync else 'never synced' }}
  loop: "{{ described.data_sources }}"
  loop_control:
    label: "{{ item.data_source_id }}"
"""

RETURN = r"""
application_id:
  description: The application's identifier (resolved from O(application_name) when given by name).
  returned: always
  type: str
  sample: a0000000-0000-4000-8000-000000000001
application_name:
  description: The application's display name.
  returned: when O(application_name) gave it
  type: str
  sample: handbook-assistant
index_id:
  description: The index's identifier (resolved from O(index_name) when given by name).
  returned: always
  type: str
  sample: b0000000-0000-4000-8000-000000000001
index_name:
  description: The index's display name.
  returned: when O(index_name) gave it
  type: str
  sample: main
data_sources:
  description:
    - One element per data source, in the order of O(data_source_id) then O(data_source_name) (each once), or
      of C(ListDataSources) when neither is given.
    - Keys the service did not send are left out.
  returned: always
  type: list
  elements: dict
  contains:
    data_source_id:
      description: The identifier of the data source.
      type: str
      returned: always
      sample: c0000000-0000-4000-8000-000000000002
    display_name:
      description: Its display name.
      type: str
      returned: when the service sends it
      sample: confluence-wiki
    type:
      description: The connector type.
      type: str
      returned: when the service sends it
      sample: CONFLUENCE
    status:
      description:
        - The data source's own status, one of V(PENDING_CREATION), V(CREATING), V(ACTIVE), V(DELETING),
          V(FAILED), V(UPDATING).
      type: str
      returned: when the service sends it
      sample: ACTIVE
    error:
      description: Why the data source itself failed (not one of its syncs).
      type: dict
      returned: when the service reports one (status V(FAILED))
      contains:
        error_code:
          description: The service's error code.
          type: str
          sample: InvalidRequest
        error_message:
          description: The service's explanation.
          type: str
          sample: The Confluence credentials in the secret are not valid
    sync_schedule:
      description: How often the service syncs it, as configured (a cron expression); absent for on-demand syncs.
      type: str
      returned: when one is set
      sample: cron(0 * * * ? *)
    created_at:
      description: When the data source was created, ISO 8601 in UTC.
      type: str
      returned: when the service sends it
      sample: "2024-04-01T09:00:00+00:00"
    updated_at:
      description: When the data source was last updated, ISO 8601 in UTC.
      type: str
      returned: when the service sends it
      sample: "2024-04-02T09:00:00+00:00"
    latest_sync:
      description:
        - Its latest sync job, in the shape of M(qbusiness.ops.qbusiness_sync_job_info)'s
          RV(qbusiness.ops.qbusiness_sync_job_info#module:history) elements; V(null) when it has never synced.
      type: dict
      returned: when O(latest_sync=true)
      sample:
        execution_id: 4a3b0fb6-1f0e-4b6c-9a43-2f1c0d9e8b71
        status: SUCCEEDED
        start_time: "2024-05-01T10:00:00+00:00"
        end_time: "2024-05-01T10:12:31+00:00"
"""

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import INDEX_SPEC
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import argument_spec
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import qbusiness_client
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.data_sources import describe_data_sources
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import NameResolver
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_data_source_list
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_index_selection
from ansible_collections.qbusiness.ops.plugins.module_utils.modules import QBusinessModule


def main() -> None:
    spec = argument_spec(
        INDEX_SPEC,
        data_source_id=dict(type="list", elements="str"),
        data_source_name=dict(type="list", elements="str"),
        latest_sync=dict(type="bool", default=False),
    )
    module = QBusinessModule(argument_spec=spec, supports_check_mode=True)
    params = module.params

    selection, named = module.checked_options(lambda: (validate_index_selection(params), validate_data_source_list(params)))
    client = qbusiness_client(module)
    resolver = NameResolver(client)
    index = module.checked_call(lambda: resolver.index_ref(selection))
    refs = module.checked_call(lambda: resolver.every_data_source(index) if named is None else resolver.data_sources(index, named))
    data_sources = module.checked_call(lambda: describe_data_sources(client, refs, latest_sync=params["latest_sync"]))

    module.exit_json(changed=False, data_sources=data_sources, **index.identity())


if __name__ == "__main__":
    main()
