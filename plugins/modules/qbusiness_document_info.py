#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: qbusiness_document_info
version_added: 0.2.0
short_description: List the documents of an Amazon Q Business data source, with their status and error
description:
  - Lists the documents an Amazon Q Business data source put into its index (the C(ListDocuments) API, filtered by
    the data source), following every page, with each document's status and, for a failed one, the error the
    service reports.
  - The service answers at most 100 documents a request and has no status filter; O(statuses) keeps only the
    documents in those statuses as the pages arrive (so every page is still read, until O(max_results) documents
    are kept).
  - Requests that are throttled or answered with a server error are retried with jittered backoff.
author:
  - qbusiness.ops maintainers (@qbusiness-ops)
options:
  statuses:
    description:
      - Only the documents in one of these statuses. V(FAILED) and V(DOCUMENT_FAILED_TO_INDEX) are the failed ones.
      - Filtered by the module, since C(ListDocuments) has no status filter.
    type: list
    elements: str
    choices: [RECEIVED, PROCESSING, INDEXED, UPDATED, FAILED, DELETING, DELETED, DOCUMENT_FAILED_TO_INDEX]
  max_results:
    description:
      - The most documents to return in all (after O(statuses)). Pages of 100 are read until this many are in hand.
      - When this cuts the listing short, the result carries RV(next_token) to resume from.
      - Leave it out to list every document.
    type: int
  next_token:
    description:
      - Resume a listing that O(max_results) cut short, with the RV(next_token) it returned.
      - Use the same data source and O(statuses) as the listing that returned it.
      - Also accepted are boto3's resume tokens of a C(ListDocuments) listing of the same data source with a page
        size of 100, and the service's own C(nextToken). One the service refuses fails saying so.
    type: str
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
  - The service's order of documents is kept; AWS documents none.
seealso:
  - module: qbusiness.ops.qbusiness_sync_gate
  - module: qbusiness.ops.qbusiness_sync_job_info
  - name: ListDocuments
    description: The Amazon Q Business API this module calls.
    link: https://docs.aws.amazon.com/amazonq/latest/api-reference/API_ListDocuments.html
"""

EXAMPLES = r"""
- name: The failed documents of the wiki, and why
  qbusiness.ops.qbusiness_document_info:
    application_name: handbook-assistant
    index_name: main
    data_source_name: confluence-wiki
    statuses: [FAILED, DOCUMENT_FAILED_TO_INDEX]
  register: failed

- name: Show them
  ansible.builtin.debug:
    msg: "{{ item.document_id }}: {{ item.error_message | default(item.status) }}"
  loop: "{{ failed.documents }}"

- name: Read the documents of a data source 500 at a time
  qbusiness.ops.qbusiness_document_info:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    data_source_id: "{{ qbusiness_data_source_id }}"
    max_results: 500
    next_token: "{{ previous.next_token | default(omit) }}"
  register: previous
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
data_source_id:
  description: The data source's identifier (resolved from O(data_source_name) when given by name).
  returned: always
  type: str
  sample: c0000000-0000-4000-8000-000000000002
data_source_name:
  description: The data source's display name.
  returned: when O(data_source_name) gave it
  type: str
  sample: confluence-wiki
documents:
  description:
    - The documents, in the service's order. Keys the service did not send for a document are left out.
  returned: always
  type: list
  elements: dict
  contains:
    document_id:
      description: The identifier of the document (for many connectors, its source path or URL).
      type: str
      returned: when the service sends it
      sample: spaces/ENG/pages/123456/Runbook
    status:
      description: Its status, one of O(statuses)' choices.
      type: str
      returned: when the service sends it
      sample: FAILED
    error_code:
      description: The service's error code, one of V(InternalError), V(InvalidRequest), V(ResourceInactive), V(ResourceNotFound).
      type: str
      returned: when the service reports an error
      sample: InvalidRequest
    error_message:
      description: The service's explanation.
      type: str
      returned: when the service reports an error
      sample: The document exceeds the 50 MB size limit
    created_at:
      description: When the document was created, ISO 8601 in UTC.
      type: str
      returned: when the service reports it
      sample: "2024-05-01T10:00:00+00:00"
    updated_at:
      description: When the document last changed, ISO 8601 in UTC.
      type: str
      returned: when the service reports it
      sample: "2024-05-01T10:02:00+00:00"
next_token:
  description:
    - Present only when O(max_results) stopped the listing before its end; pass it as O(next_token) to read on.
    - botocore's resume token (base64 of JSON with the service's C(nextToken) and C(boto_truncate_amount)), so it also
      resumes boto3's paginator with a C(PageSize) of 100.
  returned: when O(max_results) cut the listing short
  type: str
  sample: eyJuZXh0VG9rZW4iOiAiLi4uIiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogNX0=
"""

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import DATA_SOURCE_SPEC
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import INDEX_SPEC
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import argument_spec
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import qbusiness_client
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import DOCUMENT_STATUSES
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import DOCUMENTS_PAGE_SIZE
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import has_status
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import list_documents
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import normalize_document
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import validate_statuses
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import NameResolver
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_data_source_selection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_max_results
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_next_token
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService
from ansible_collections.qbusiness.ops.plugins.module_utils.modules import QBusinessModule


def main() -> None:
    spec = argument_spec(
        INDEX_SPEC,
        DATA_SOURCE_SPEC,
        statuses=dict(type="list", elements="str", choices=list(DOCUMENT_STATUSES)),
        max_results=dict(type="int"),
        next_token=dict(type="str", no_log=False),
    )
    module = QBusinessModule(argument_spec=spec, supports_check_mode=True)
    params = module.params

    selection, statuses, max_results, start = module.checked_options(
        lambda: (
            validate_data_source_selection(params),
            validate_statuses(params["statuses"]),
            validate_max_results(params["max_results"]),
            validate_next_token(params["next_token"], DOCUMENTS_PAGE_SIZE, "documents"),
        )
    )
    client = qbusiness_client(module)
    ref = module.checked_call(lambda: NameResolver(client).data_source_ref(selection))
    documents, next_token = module.checked_call(
        lambda: list_documents(DataSourceService(client, ref), keep=has_status(statuses), max_results=max_results, start=start)
    )

    result = dict(ref.identity(), changed=False, documents=[normalize_document(document) for document in documents])
    if next_token:
        result["next_token"] = next_token
    module.exit_json(**result)


if __name__ == "__main__":
    main()
