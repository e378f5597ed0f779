#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: qbusiness_sync_job_info
version_added: 0.1.0
short_description: List the sync history of an Amazon Q Business data source
description:
  - Lists the synchronization jobs of one Amazon Q Business data source connector
    (the C(ListDataSourceSyncJobs) API), following every page.
  - The service answers at most 10 jobs a request; this module asks for as many pages of 10 as needed,
    every page with the same parameters, as boto3's paginator does (a service may accept a C(nextToken) only
    with the request that produced it).
  - Filters are sent to the service. The result is ordered newest first by start time, whatever order
    the service used, and RV(latest) is the job with the greatest start time.
  - Requests that are throttled or answered with a server error are retried with jittered backoff.
author:
  - qbusiness.ops maintainers (@qbusiness-ops)
options:
  max_results:
    description:
      - The most sync jobs to return in all. Pages of 10 jobs are requested until this many are in hand; the
        jobs beyond it on the last page read are left out.
      - When this cuts the listing short, the result carries RV(next_token) to resume from.
      - Leave it out to list the whole history.
    type: int
  next_token:
    description:
      - Resume a listing that O(max_results) cut short, with the RV(next_token) it returned.
      - Use the same data source and filters as the listing that returned it; O(max_results) may differ.
      - Also accepted are boto3's resume tokens (C(NextToken) of a paginator's C(build_full_result()), the
        C(NextToken) the AWS CLI prints) of a listing of the same data source, filters and a page size of 10,
        and the service's own C(nextToken).
      - A value that is neither fails before any request. One the service refuses (it may bind a token to the
        request that produced it, or let it expire) fails saying so; list again without O(next_token).
    type: str
  failed_documents:
    description:
      - Add to each listed job that failed (V(FAILED), V(INCOMPLETE)) or reports failed documents its
        RV(history[].failed_documents), up to 10, with RV(history[].failed_documents_listed).
      - A document belongs to the listed job during which it last changed (C(updatedAt) between the job's start and
        end); a document that failed again in a later sync shows only with that sync.
      - Costs one whole listing of the data source's documents (C(ListDocuments), 100 a page), only when a
        listed job needs it; none for a job that reports V(0) failed documents.
    type: bool
    default: false
    version_added: 0.2.0
extends_documentation_fragment:
  - qbusiness.ops.qbusiness
  - qbusiness.ops.qbusiness.data_source
  - qbusiness.ops.qbusiness.filters
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
  - >-
    The history is returned as the module's result, for C(register), not as C(ansible_facts): Ansible's rule is
    that C(*_info) modules return no facts. To make it a host fact, set one from the registered result, for example
    C(ansible.builtin.set_fact: {qbusiness_sync_history: "{{ sync.history }}"}) after C(register: sync).
  - The service does not document whether O(start_time) and O(end_time) compare with the start or the end
    of a job, nor whether they are inclusive; the local emulator shipped with this collection compares
    with the start time, inclusively.
seealso:
  - name: ListDataSourceSyncJobs
    description: The Amazon Q Business API this module calls.
    link: https://docs.aws.amazon.com/amazonq/latest/api-reference/API_ListDataSourceSyncJobs.html
"""

EXAMPLES = r"""
- name: List the sync history of a data source by display names
  qbusiness.ops.qbusiness_sync_job_info:
    application_name: handbook-assistant
    index_name: main
    data_source_name: confluence-wiki
  register: wiki_history

- name: List the whole sync history of a data source
  qbusiness.ops.qbusiness_sync_job_info:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    data_source_id: "{{ qbusiness_data_source_id }}"
  register: sync_history

- name: Show the latest sync
  ansible.builtin.debug:
    msg: "{{ sync_history.latest.status }} since {{ sync_history.latest.start_time }}"
  when: sync_history.latest is not none

- name: Failed syncs of the last week
  qbusiness.ops.qbusiness_sync_job_info:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    data_source_id: "{{ qbusiness_data_source_id }}"
    status_filter: FAILED
    start_time: "{{ '%Y-%m-%dT%H:%M:%SZ' | strftime(now(utc=true).timestamp() - 7 * 86400, utc=true) }}"
  register: failed_syncs

- name: Read a long history 50 jobs at a time
  qbusiness.ops.qbusiness_sync_job_info:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    data_source_id: "{{ qbusiness_data_source_id }}"
    max_results: 50
  register: first_batch

- name: Read the next 50
  qbusiness.ops.qbusiness_sync_job_info:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    data_source_id: "{{ qbusiness_data_source_id }}"
    max_results: 50
    next_token: "{{ first_batch.next_token }}"
  when: first_batch.next_token is defined

- name: Use module_defaults for the connection and the application
  module_defaults:
    group/qbusiness.ops.qbusiness:
      region: eu-west-1
      application_id: "{{ qbusiness_application_id }}"
      index_id: "{{ qbusiness_index_id }}"
  block:
    - name: List the history of one data source
      qbusiness.ops.qbusiness_sync_job_info:
        data_source_id: "{{ qbusiness_data_source_id }}"
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
history:
  description:
    - Every sync job that matched, newest first by start time.
    - Keys the service did not send for a job are left out.
  returned: always
  type: list
  elements: dict
  contains:
    execution_id:
      description: The identifier of the sync job.
      type: str
      returned: always
      sample: 4a3b0fb6-1f0e-4b6c-9a43-2f1c0d9e8b71
    status:
      description: The status of the sync job.
      type: str
      returned: always
      sample: SUCCEEDED
    start_time:
      description: When the sync job started, ISO 8601 in UTC.
      type: str
      returned: always
      sample: "2024-05-01T10:00:00+00:00"
    end_time:
      description: When the sync job ended, ISO 8601 in UTC.
      type: str
      returned: when the job has ended
      sample: "2024-05-01T10:12:31+00:00"
    error:
      description: Why the sync job failed.
      type: dict
      returned: when the service reports an error
      contains:
        error_code:
          description: One of V(InternalError), V(InvalidRequest), V(ResourceInactive), V(ResourceNotFound).
          type: str
          sample: InvalidRequest
        error_message:
          description: The service's explanation.
          type: str
          sample: Confluence credentials expired
    data_source_error_code:
      description: The error code of the underlying data source, when the failure came from it.
      type: str
      returned: when the service reports one
      sample: AUTH_FAILED
    metrics:
      description: Document counts of the sync job, as integers (the API sends them as strings).
      type: dict
      returned: when the service reports them
      contains:
        documents_added:
          description: Documents added from the data source.
          type: int
          sample: 12
        documents_deleted:
          description: Documents deleted from the index.
          type: int
          sample: 0
        documents_failed:
          description: Documents that failed to sync.
          type: int
          sample: 1
        documents_modified:
          description: Documents modified.
          type: int
          sample: 3
        documents_scanned:
          description: Documents crawled.
          type: int
          sample: 1520
    failed_documents:
      description:
        - The job's documents in status V(FAILED) or V(DOCUMENT_FAILED_TO_INDEX) (up to 10), each with
          C(document_id), C(status), C(error_code), C(error_message), C(created_at), C(updated_at).
      type: list
      elements: dict
      returned: with O(failed_documents=true), for a job that failed or reports failed documents
      version_added: 0.2.0
    failed_documents_listed:
      description: C(count), how many failed documents belong to the job, and C(complete) (always V(true) here).
      type: dict
      returned: with RV(history[].failed_documents)
      version_added: 0.2.0
latest:
  description:
    - The job with the greatest start time, in the same shape as the elements of RV(history);
      null when the history is empty.
  returned: always
  type: dict
  sample:
    execution_id: 4a3b0fb6-1f0e-4b6c-9a43-2f1c0d9e8b71
    status: FAILED
    start_time: "2024-05-01T10:00:00+00:00"
    end_time: "2024-05-01T10:02:00+00:00"
    error:
      error_code: InvalidRequest
      error_message: Confluence credentials expired
    data_source_error_code: AUTH_FAILED
    metrics:
      documents_added: 0
      documents_deleted: 0
      documents_failed: 0
      documents_modified: 0
      documents_scanned: 0
next_token:
  description:
    - Present only when O(max_results) stopped the listing before the end of the history.
    - Pass it as O(next_token) to read on.
    - botocore's resume token (base64 of JSON with the service's C(nextToken) and C(boto_truncate_amount), the
      number of jobs of that page already returned), so it also resumes boto3's paginator
      (C(StartingToken) and a C(PageSize) of 10 in C(PaginationConfig)) and
      C(aws qbusiness list-data-source-sync-jobs --starting-token ... --page-size 10).
  returned: when O(max_results) cut the listing short
  type: str
  sample: eyJuZXh0VG9rZW4iOiAiLi4uIiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogNX0=
"""

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import DATA_SOURCE_SPEC
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import FILTERS_SPEC
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import INDEX_SPEC
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import argument_spec
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import qbusiness_client
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import DEFAULT_SHOW_FAILED_DOCUMENTS
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import failed_documents_by_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import with_failed_documents
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import newest_first
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import normalize_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import NameResolver
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_data_source_selection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import build_list_filters
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_max_results
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_next_token
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService
from ansible_collections.qbusiness.ops.plugins.module_utils.modules import QBusinessModule


def main() -> None:
    spec = argument_spec(
        INDEX_SPEC,
        DATA_SOURCE_SPEC,
        FILTERS_SPEC,
        max_results=dict(type="int"),
        next_token=dict(type="str", no_log=False),
        failed_documents=dict(type="bool", default=False),
    )
    module = QBusinessModule(argument_spec=spec, supports_check_mode=True)
    params = module.params

    selection, filters, max_results, start = module.checked_options(
        lambda: (
            validate_data_source_selection(params),
            build_list_filters(params["start_time"], params["end_time"], params["status_filter"]),
            validate_max_results(params["max_results"]),
            validate_next_token(params["next_token"]),
        )
    )
    client = qbusiness_client(module)
    ref = module.checked_call(lambda: NameResolver(client).data_source_ref(selection))
    source = DataSourceService(client, ref)
    jobs, next_token = module.checked_call(lambda: source.list_sync_jobs_and_token(filters, max_results=max_results, start=start))
    by_job = module.checked_call(lambda: failed_documents_by_job(source, jobs, DEFAULT_SHOW_FAILED_DOCUMENTS) if params["failed_documents"] else {})

    history = [with_failed_documents(normalize_job(job), by_job) for job in newest_first(jobs)]
    result = dict(ref.identity(), changed=False, history=history, latest=history[0] if history else None)
    if next_token:
        result["next_token"] = next_token
    module.exit_json(**result)


if __name__ == "__main__":
    main()
