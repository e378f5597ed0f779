# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: qbusiness_sync_job
version_added: 0.1.0
short_description: The latest sync job of Amazon Q Business data sources
description:
  - Returns the latest sync job of each data source, that is the job with the greatest start time, whatever
    order the service lists jobs in, in the snake_case shape of M(qbusiness.ops.qbusiness_sync_job_info)'s
    history elements. A data source without a matching job gives V(null).
  - Data sources come as terms (IDs), or as O(data_source_id) or O(data_source_name) for one data source. With
    several, the results follow the order of the terms, and the data sources are read concurrently.
  - O(status_filter), O(start_time) and O(end_time) narrow what the latest job is chosen from,
    for example the latest V(SUCCEEDED) sync.
  - Only the newest part of a history is read, in windows of the last day, week, month and year, each asked
    with the service's C(startTime) filter from a second before it starts and kept by each job's own start
    time. When a time-filtered read shows no sync in progress, the in-progress statuses are asked too
    (C(statusFilter), no time filter; at most 3 requests of one page), since a service's time filter may
    leave running syncs out.
author:
  - qbusiness.ops maintainers (@qbusiness-ops)
options:
  _terms:
    description:
      - IDs of the data sources whose latest sync job to return.
    type: list
    elements: str
  data_source_id:
    description:
      - The data source, when it is not given as a term. Give the terms, O(data_source_id) or O(data_source_name),
        only one of the three.
    type: str
  data_source_name:
    description:
      - The display name of the data source, instead of terms or O(data_source_id); matched exactly against every
        page of C(ListDataSources) of the index. No data source with that name, or several, is an error that names
        what was found; nothing is guessed.
      - With any name given (O(application_name), O(index_name) or this), each result also carries
        C(application_id), C(index_id), C(data_source_id) and the names given.
    type: str
    version_added: 0.2.0
extends_documentation_fragment:
  - qbusiness.ops.qbusiness
  - qbusiness.ops.qbusiness.filters
  - qbusiness.ops.qbusiness.latest
  - qbusiness.ops.qbusiness.requirements_controller
  - amazon.aws.common.plugins
  - amazon.aws.region.plugins
notes:
  - Like other lookups it runs on the controller, and needs C(boto3) there.
  - Bad options and service errors raise an error that names the cause; nothing is retried beyond the
    collection's policy (throttling and 5xx answers are retried with jittered backoff).
seealso:
  - module: qbusiness.ops.qbusiness_sync_job_info
  - module: qbusiness.ops.qbusiness_sync_gate
"""

EXAMPLES = r"""
- name: The latest sync of a data source, by display names
  ansible.builtin.debug:
    msg: >-
      {{ lookup('qbusiness.ops.qbusiness_sync_job', application_name='handbook-assistant', index_name='main',
                data_source_name='confluence-wiki') }}

- name: Show the latest sync of a data source
  ansible.builtin.debug:
    msg: >-
      {{ lookup('qbusiness.ops.qbusiness_sync_job', application_id=app_id, index_id=index_id,
                data_source_id=ds_id, region='eu-west-1').status | default('never synced') }}

- name: Latest syncs of two data sources, in the order given
  ansible.builtin.set_fact:
    latest_syncs: "{{ query('qbusiness.ops.qbusiness_sync_job', handbook_id, wiki_id, application_id=app_id, index_id=index_id) }}"

- name: When did the handbook last sync successfully?
  ansible.builtin.debug:
    msg: >-
      {{ lookup('qbusiness.ops.qbusiness_sync_job', handbook_id, application_id=app_id, index_id=index_id,
                status_filter='SUCCEEDED').end_time | default('never') }}

- name: Put the latest sync in a generated status page
  ansible.builtin.template:
    src: status.html.j2
    dest: /var/www/status.html
    mode: "0644"
  vars:
    wiki_sync: "{{ lookup('qbusiness.ops.qbusiness_sync_job', wiki_id, application_id=app_id, index_id=index_id) }}"
"""

RETURN = r"""
_raw:
  description:
    - One element per data source, in the order of the terms, each the latest job (a dict with
      C(execution_id), C(status), C(start_time), C(end_time), C(error), C(data_source_error_code), C(metrics)
      as the service sent them, in snake_case, with ISO 8601 times and integer document counts),
      or V(null) when the data source has no matching job.
    - When a name was given, each job also carries C(application_id), C(index_id), C(data_source_id) and the
      names given (C(application_name), C(index_name), C(data_source_name)).
    - With C(lookup) (not C(query)) and one data source, that one element.
  type: list
  elements: dict
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible import constants as C
from ansible.errors import AnsibleLookupError
from ansible_collections.amazon.aws.plugins.plugin_utils.lookup import AWSLookupBase

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import qbusiness_client
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.concurrency import run_concurrently
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import SyncJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import normalize_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.listing import list_recent_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import DATA_SOURCE
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import NameResolver
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_index_selection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_named
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import build_list_filters
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_id
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceRef
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService

SELECTION_OPTIONS = ("application_id", "application_name", "index_id", "index_name", "data_source_id", "data_source_name")


class LookupModule(AWSLookupBase):
    """Latest sync job of each data source; a thin shell over module_utils/_sync_jobs/."""

    def _unknown_options(self, given: Dict[str, Any]) -> List[str]:
        """Keyword arguments the documentation does not define: ansible-core passes over them in silence."""
        # Keywords of lookup()/query() and with_ loops that some ansible-core versions hand on to run().
        known = {"wantlist", "errors", "allow_unsafe"}
        for name, definition in C.config.get_configuration_definitions("lookup", self._load_name).items():
            known.add(name)
            known.update(definition.get("aliases") or [])
        return sorted(set(given) - known)

    def run(self, terms: List[Any], variables: Optional[Dict[str, Any]] = None, **kwargs: Any) -> List[Optional[SyncJob]]:
        unknown = self._unknown_options(kwargs)
        if unknown:
            raise AnsibleLookupError(f"qbusiness_sync_job: unknown option(s): {', '.join(unknown)}")
        super().run(terms, variables, **kwargs)

        # query('…', list_of_ids) hands the list over as one term.
        requested = []
        for term in terms:
            requested.extend(term if isinstance(term, list) else [term])
        try:
            options = {name: self.get_option(name) for name in SELECTION_OPTIONS}
            index = validate_index_selection(options)
            given = [option for option in ("data_source_id", "data_source_name") if options[option] is not None]
            if len(given) > 1 or (requested and given):
                raise OptionError("give the data sources as terms (IDs), as data_source_id or as data_source_name: only one of them")
            if requested:
                term_ids = [validate_id("data_source_id", value) for value in requested]
            elif given:
                named = validate_named(options, DATA_SOURCE)
            else:
                raise OptionError("data_source_id or data_source_name is required when no data source is given as a term")
            filters = build_list_filters(self.get_option("start_time"), self.get_option("end_time"), self.get_option("status_filter"))
        except OptionError as e:
            raise AnsibleLookupError(f"qbusiness_sync_job: {e.message}") from None
        # The IDs and names go into the results when a name was given: the caller may know no ID then.
        with_identity = any(options[name] is not None for name in ("application_name", "index_name", "data_source_name"))

        client = qbusiness_client(self)

        def latest_of(ref: DataSourceRef) -> Optional[SyncJob]:
            job = latest_job(list_recent_jobs(DataSourceService(client, ref), filters))
            if job is None:
                return None
            return dict(normalize_job(job), **ref.identity()) if with_identity else normalize_job(job)

        try:
            resolver = NameResolver(client)
            index_ref = resolver.index_ref(index)
            # One result per term, in their order (repeats too).
            refs = [index_ref.data_source(term_id) for term_id in term_ids] if requested else resolver.data_sources(index_ref, [named])
            return run_concurrently(latest_of, refs)
        except QBusinessError as e:
            raise AnsibleLookupError(f"qbusiness_sync_job: {e}") from None
