#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: qbusiness_service_probe
version_added: 0.2.0
short_description: Find out, read-only, how Amazon Q Business behaves where AWS does not document it
description:
  - Reads one existing data source and reports, behaviour by behaviour of the collection's register of
    undocumented service behaviour (docs/reliability.md), what the collection assumes, what the service did,
    and the requests that showed it.
  - It only reads (C(GetDataSource) and C(ListDataSourceSyncJobs)); it never starts or stops a sync.
    Behaviours that only a Start or a Stop shows (what C(ConflictException) means, whether a started sync
    is listed at once) are reported as not probed, since the collection does not depend on them.
  - The behaviours, by their RV(behaviours[].key) -
    V(history_order) (register item 1), the order of the listing, from its first O(sample_size) jobs;
    V(time_filter) (item 2), which time of a job C(startTime)/C(endTime) compare and whether a job at a bound
    matches, read on the newest finished job;
    V(time_filter_running) (item 3), whether a time-filtered listing keeps a sync in progress, seen only while
    one runs;
    V(token_binding) (item 4), whether a C(nextToken) is accepted with another C(maxResults) than the request
    that produced it;
    V(token_expiry) (item 4), whether a C(nextToken) is still accepted after O(token_ttl_probe_seconds);
    V(statuses) (item 5), statuses other than the seven the collection knows;
    V(conflict) (item 6) and V(listing_delay) (item 7), not probed.
  - The module does not fail when the service behaves otherwise than the emulator shipped with the collection;
    RV(holds) says whether everything the collection's answers depend on held. The playbook
    C(qbusiness.ops.probe) fails on it.
  - Requests that are throttled or answered with a server error are retried with jittered backoff.
author:
  - qbusiness.ops maintainers (@qbusiness-ops)
options:
  sample_size:
    description:
      - The most jobs any one listing of the probe reads. The order and the probed job come from the first
        O(sample_size) jobs of the plain listing.
      - At least 2. Each 10 jobs cost a request.
    type: int
    default: 30
  token_ttl_probe_seconds:
    description:
      - How many seconds to keep a C(nextToken) before using it, to see whether it expires.
      - V(0) does not try (RV(behaviours[].result=not_probed) for V(token_expiry)).
    type: int
    default: 0
extends_documentation_fragment:
  - qbusiness.ops.qbusiness
  - qbusiness.ops.qbusiness.data_source
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
  - It needs C(qbusiness:GetDataSource) and C(qbusiness:ListDataSourceSyncJobs) on the data source, and, for the
    options given by name, C(qbusiness:ListApplications), C(qbusiness:ListIndices) or C(qbusiness:ListDataSources)
    to find the IDs (those listings are sent before the probe and are not in RV(requests)).
  - "It sends about 16 requests: 1 C(GetDataSource), 1 per 10 jobs of the sample, 5 for the time filters,
    4 for the running syncs (3 when none runs), 4 for the tokens, and 2 more when O(token_ttl_probe_seconds) is set."
  - Some behaviours show only on some data. The time filters need a finished job that lasted 2 s or more,
    the tokens two jobs, and whether a time-filtered listing keeps a running sync needs one running.
    What cannot be seen is reported as RV(behaviours[].result=not_observable); probe again later.
seealso:
  - name: ListDataSourceSyncJobs
    description: The Amazon Q Business API the probe reads the history with.
    link: https://docs.aws.amazon.com/amazonq/latest/api-reference/API_ListDataSourceSyncJobs.html
  - name: GetDataSource
    description: The Amazon Q Business API the probe reads the data source with.
    link: https://docs.aws.amazon.com/amazonq/latest/api-reference/API_GetDataSource.html
"""

EXAMPLES = r"""
- name: Probe a data source of the real service
  qbusiness.ops.qbusiness_service_probe:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    data_source_id: "{{ qbusiness_data_source_id }}"
  register: probe

- name: Show the report
  ansible.builtin.debug:
    msg: "{{ probe.report }}"

- name: Fail when something the collection depends on does not hold
  ansible.builtin.assert:
    that: probe.holds
    fail_msg: "Does not hold: {{ probe.unheld | join(', ') }}"

- name: Also see whether tokens expire within 5 minutes
  qbusiness.ops.qbusiness_service_probe:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    data_source_id: "{{ qbusiness_data_source_id }}"
    token_ttl_probe_seconds: 300
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
holds:
  description:
    - Whether everything the collection's answers depend on held (no RV(behaviours[].holds) is V(false)).
  returned: always
  type: bool
  sample: true
unheld:
  description: The RV(behaviours[].key) of each behaviour whose RV(behaviours[].holds) is V(false).
  returned: always
  type: list
  elements: str
  sample: []
checked:
  description:
    - The RV(behaviours[].key) of each behaviour whose RV(behaviours[].holds) is V(true).
    - Empty when the history showed nothing to check (too few jobs, none finished, nothing running); RV(holds)
      is then V(true) as nothing failed, but that is no evidence, and the report's first line says so.
  returned: always
  type: list
  elements: str
  sample: [time_filter, running, token_binding]
differs:
  description: The RV(behaviours[].key) of each behaviour the service showed otherwise than the emulator's default.
  returned: always
  type: list
  elements: str
  sample: [history_order]
data_source:
  description: The data source, as C(GetDataSource) described it.
  returned: always
  type: dict
  contains:
    display_name:
      description: Its name.
      type: str
      sample: handbook-s3
    type:
      description: Its connector type.
      type: str
      sample: S3
    status:
      description: Its status.
      type: str
      sample: ACTIVE
behaviours:
  description: One element per behaviour of the register, in the register's order.
  returned: always
  type: list
  elements: dict
  contains:
    item:
      description: The behaviour's item number in the register (docs/reliability.md).
      type: int
      sample: 1
    key:
      description: The behaviour, as a key.
      type: str
      sample: history_order
    behaviour:
      description: The behaviour, in words.
      type: str
      sample: Order of history
    assumed:
      description: What the collection assumes of it, and what (if anything) its answers depend on.
      type: str
    reference:
      description: What the emulator shipped with the collection does by default, in the words of RV(behaviours[].observed).
      type: str
      sample: newest_first
    observed:
      description:
        - "What the service did, in a word - for V(history_order) V(newest_first), V(oldest_first) or V(unordered);
          for V(time_filter) the field (V(start_time), V(end_time), V(overlap) or V(neither)) and the bounds, such as
          V(start_time, inclusive); for V(time_filter_running) V(kept) or V(left_out); for V(token_binding)
          V(bound) or V(not_bound); for V(token_expiry) V(accepted) or V(refused); for V(statuses) V(known_only)
          or V(unknown: PAUSED) (the statuses it does not know)."
        - Null when the behaviour was not observed.
      type: str
      sample: oldest_first
    result:
      description:
        - V(as_reference) - the service did what the emulator does by default.
        - V(differs) - it did something else.
        - V(not_observable) - the data source shows nothing of it now (no sync running, too few jobs).
        - V(not_probed) - seeing it needs a Start or a Stop, or a wait that was not asked for.
      type: str
      sample: differs
    holds:
      description:
        - Whether what the collection's answers depend on held; null when nothing depends on it or it could not be seen.
      type: bool
      sample: true
    summary:
      description: What the service did, in a sentence.
      type: str
    evidence:
      description: The requests that showed it, each with a short account of the answer, and what they showed.
      type: list
      elements: str
      sample:
        - ListDataSourceSyncJobs(maxResults=10) -> 10 jobs, nextToken qbe1.eyJvZmZz...
requests:
  description:
    - Every request the probe sent, in order, each with a short account of the answer.
    - The listings that found the IDs of options given by name come before the probe and are not in it.
  returned: always
  type: list
  elements: str
report:
  description: The whole result as lines to read, a headline and a few lines per behaviour.
  returned: always
  type: list
  elements: str
msg:
  description: The headline of RV(report).
  returned: always
  type: str
"""

from ansible_collections.qbusiness.ops.plugins.module_utils._probe.options import PROBE_SPEC
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.options import validate_probe_options
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.run import run_probe
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import DATA_SOURCE_SPEC
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import INDEX_SPEC
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import argument_spec
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import qbusiness_client
from ansible_collections.qbusiness.ops.plugins.module_utils.modules import QBusinessModule


def main() -> None:
    module = QBusinessModule(argument_spec=argument_spec(INDEX_SPEC, DATA_SOURCE_SPEC, **PROBE_SPEC), supports_check_mode=True)
    options = module.checked_options(lambda: validate_probe_options(module.params))
    result = module.checked_call(lambda: run_probe(qbusiness_client(module), options))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
