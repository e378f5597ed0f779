#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This file holds only the documentation: the gate is an action plugin (plugins/action/qbusiness_sync_gate.py)
# that runs on the controller, the pattern of ansible.builtin.assert.

from __future__ import annotations

DOCUMENTATION = r"""
module: qbusiness_sync_gate
version_added: 0.1.0
short_description: Fail when the latest sync of Amazon Q Business data sources is not fit to deploy on
description:
  - A deployment gate for CI/CD pipelines and GitOps checks. It reads the latest sync job of one or more
    data sources of an Amazon Q Business index and fails the task when one of them is not fit to deploy on.
  - The latest job is the one with the greatest start time, whatever order the service lists jobs in.
  - A data source fails the gate when its judged sync has a status in O(fail_on) (by default V(FAILED)),
    started longer than O(max_age) ago, or had more than O(max_documents_failed) failed documents; when it
    has no sync at all (unless O(allow_no_history)); when its history cannot be read; when O(wait)
    runs out of time; or when the data source itself is not V(ACTIVE) (V(FAILED) with its error, V(CREATING),
    V(UPDATING), V(DELETING), V(PENDING_CREATION)), whatever its last sync says. The data source's own status costs
    one C(GetDataSource) per data source, read concurrently with its history.
  - B(Failed documents.) When the judged sync fails the gate or reports failed documents, the gate lists the data
    source's documents (C(ListDocuments), 100 a page) and returns up to O(show_failed_documents) of those in status
    V(FAILED) or V(DOCUMENT_FAILED_TO_INDEX) that changed after the sync started, with their errors, in
    RV(sync_jobs[].failed_documents); the failure message names the first three. Pages are read only until enough
    are found, and not at all for a passing data source whose sync reports no failed document, nor for a sync that
    reports V(0) failed documents. A document listing that fails does not hide the verdict; the gate fails for its
    first reason and says the documents could not be read.
  - B(In-progress syncs.) With O(wait=true), while the latest sync is V(SYNCING), V(SYNCING_INDEXING) or
    V(STOPPING) the gate polls every O(wait_sleep) seconds until it ends, then judges; still running after
    O(wait_timeout) seconds fails the gate. With O(wait=false) (the default), a running latest sync is not
    judged (it has no outcome yet, unless its status is in O(fail_on)); the newest finished sync is, and
    the running one is returned in RV(sync_jobs[].running_job). If no finished sync is there to judge, the
    gate fails, since it never passes on data it did not read.
  - B(Statuses it does not know.) A judged sync whose status is none of the seven of O(fail_on)'s choices
    fails the gate, naming the status; the gate neither waits on it nor passes it.
  - Several data sources are gated concurrently.
  - B(Reports.) With O(junit_path), O(summary_path) and O(json_path) the gate writes its verdicts as files on the
    controller, for CI systems to show. JUnit XML (one test case per data source, a C(<failure>) for one that is not
    fit, an C(<error>) for one that could not be read), a Markdown table (GitHub's step summary with
    O(summary_path=auto)) and the task's result as JSON. They are written whether the gate passes or fails, in check
    mode too (they are the gate's result, not a change to a managed host), and also when the gate fails before
    judging (names that match nothing, a listing refused, an index with no data sources); bad options write none.
    A path that cannot be written fails the task before any request; a report that fails while it is written fails
    the task with its path and the reason, after the gate's message.
  - The gate runs on the controller and needs C(boto3) there. It never changes anything on a managed host.
  - A failed gate fails the task. To stop the whole play on any host's failure, use C(any_errors_fatal);
    with a single control host (V(localhost) as the only host), a failed task already ends the play.
author:
  - qbusiness.ops maintainers (@qbusiness-ops)
options:
  data_source_id:
    description:
      - The data source to gate, or a list of them.
      - When both this and O(data_source_name) are left out, every data source of the index is gated (found with
        C(ListDataSources), which also gives their names); an index without data sources fails the gate.
      - An empty list is an error. Each ID is 36 characters, a letter or digit followed by letters, digits
        or hyphens, and is checked before any request.
      - May be given with O(data_source_name); a data source named twice is gated once.
    type: list
    elements: str
  data_source_name:
    description:
      - The display name of a data source to gate, or a list of them, matched exactly against every page of
        C(ListDataSources) of the index (read once, however many names). A name that no data source has, or that
        several have, fails the task with the names or the IDs found; nothing is guessed.
      - An empty list is an error. May be given with O(data_source_id).
    type: list
    elements: str
    version_added: 0.2.0
  fail_on:
    description:
      - Statuses of the judged sync that fail the gate.
      - Adding an in-progress status (V(SYNCING), V(SYNCING_INDEXING), V(STOPPING)) fails the gate while a sync
        is running, instead of judging the newest finished sync.
    type: list
    elements: str
    default: [FAILED]
    choices: [FAILED, SUCCEEDED, SYNCING, INCOMPLETE, STOPPING, ABORTED, SYNCING_INDEXING]
  wait:
    description:
      - Wait while the latest sync of a data source is in progress, polling until it ends or O(wait_timeout) passes.
    type: bool
    default: false
  max_age:
    description:
      - The judged sync must have started within this long, given as a number of seconds or as a number with
        one of the units V(s), V(m), V(h), V(d), V(w), such as V(90m), V(24h), V(7d).
      - It also narrows the listing to syncs started within this window, so older history is never read. The
        service's C(startTime) filter is sent a second before the window starts, and syncs are kept by their own
        start time, whatever time of a job the filter compares. A sync in progress that the filter left out is
        found by asking for the in-progress statuses (C(statusFilter), no time filter).
      - A data source with no sync in the window fails the gate.
    type: raw
  max_documents_failed:
    description:
      - The most failed documents (C(documentsFailed)) allowed in the judged sync. V(0) allows none.
      - Either a number of documents, or a share of the documents the sync scanned (C(documentsScanned)) as a
        percentage such as V(2%) or V(0.5%); a sync that scanned no documents and failed some fails the gate.
      - A sync for which the service reports no count fails the gate when this is set.
    type: raw
  show_failed_documents:
    description:
      - How many failed documents to return for a data source whose judged sync failed the gate or reports
        failed documents. V(0) turns the document listing off.
    type: int
    default: 10
    version_added: 0.2.0
  allow_no_history:
    description:
      - Let a data source that has never synced pass the gate. By default it fails.
      - With O(max_age), a data source with no sync in the window still fails if it synced before the window;
        one more request, for a single job, tells the two cases apart.
    type: bool
    default: false
  fail_msg:
    description:
      - Replaces the start of the failure message, V(Q Business sync gate failed). The reasons follow it.
    type: str
  junit_path:
    description:
      - Write the verdicts as a JUnit XML file here, on the controller (a relative path is relative to the directory
        C(ansible-playbook) runs in), overwritten whole; for GitLab's C(artifacts:reports:junit), Jenkins' C(junit) step
        or a JUnit reporter action.
      - One C(<testsuites>) holding one C(<testsuite>) named C(qbusiness.ops.qbusiness_sync_gate index <index>), with the
        gate's elapsed time, when it ran, and as C(<properties>) the application's and index's IDs (and names when
        known) and each data source's ID and judged execution ID (C(data_source.<data source>.data_source_id),
        C(data_source.<data source>.execution_id)).
      - One C(<testcase>) per data source, named V(name (id\)) when its name is known, else by its ID, with classname
        C(qbusiness_sync_gate.<index>) and its IDs in C(<system-out>). A data source that is not fit has a
        C(<failure>) whose message is its reasons and whose text holds the judged sync (execution ID, status, times,
        error, metrics) and its failed documents; one whose history or own status could not be read
        (RV(sync_jobs[].read_error)) has an C(<error>) instead.
      - When the gate could not judge at all (names that match nothing, a listing refused), the suite holds one test
        case for the index, with an C(<error>) that says why.
      - Characters that XML 1.0 forbids (control characters in a service's message) are left out.
      - The directory must exist; the path is checked before any request.
    type: path
    version_added: 0.2.0
  summary_path:
    description:
      - Write the verdicts as Markdown here, on the controller, overwritten whole. A heading with the verdict, a table
        (data source, verdict, status of the judged sync, when it started, its age, documents failed, why), and the
        failed documents of each failing data source in a folded block.
      - V(auto) appends to the file that the environment variable C(GITHUB_STEP_SUMMARY) names (GitHub Actions' job
        summary) when it is set, in the controller's environment or the task's C(environment), and writes nothing
        when it is not. (A file named C(auto) is C(./auto).)
      - Names and service messages are shown as written, never as Markdown (links, images, emphasis are escaped, bare
        URLs are not linked).
      - The text stays under 512 KiB, half of GitHub's limit of 1 MiB per step. Each cell is cut to 300 characters and,
        for very many data sources, failed-document blocks and then rows (of passing data sources first) are left
        out, with a line saying how many.
      - The directory must exist; the path is checked before any request.
    type: path
    version_added: 0.2.0
  json_path:
    description:
      - Write the task's result (RV(ignore:changed), RV(ignore:failed), RV(msg), RV(sync_jobs), RV(sync_job), RV(elapsed);
        not the invocation) here as JSON, on the controller, pretty-printed with sorted keys, overwritten whole.
      - The directory must exist; the path is checked before any request.
      - O(junit_path), O(summary_path) and O(json_path) each need a file of their own (the file of O(summary_path=auto)
        included). Two that name the same file fail before any request, naming both options.
    type: path
    version_added: 0.2.0
extends_documentation_fragment:
  - qbusiness.ops.qbusiness
  - qbusiness.ops.qbusiness.wait
  - qbusiness.ops.qbusiness.latest
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - qbusiness.ops.qbusiness.requirements_controller
attributes:
  action:
    support: full
    description: Implemented as an action plugin that runs on the controller.
  async:
    support: none
    description: The gate waits by itself with O(wait); it cannot run asynchronously.
  bypass_host_loop:
    support: none
    description: It runs once per host, like any task.
  check_mode:
    support: full
    description:
      - The gate only reads, so it runs unchanged in check mode.
      - Its reports (O(junit_path), O(summary_path), O(json_path)) are written in check mode too, on the controller,
        since they are the gate's result, not a change to a managed host.
  diff_mode:
    support: none
    description: Nothing is changed, so there is no diff.
  platform:
    support: full
    platforms: all
    description: It runs on the controller, whatever the target host.
notes:
  - The gate always reports RV(ignore:changed=false).
  - While waiting, one line per poll (data source, status, documents scanned so far, elapsed/timeout)
    shows at verbosity C(-v).
seealso:
  - module: qbusiness.ops.qbusiness_sync_job_info
  - plugin: qbusiness.ops.qbusiness_sync_job
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Do not roll out the assistant while its content sync is failing
  qbusiness.ops.qbusiness_sync_gate:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    data_source_id: "{{ qbusiness_data_source_id }}"

# In a play with "any_errors_fatal: true", a failing gate on any host stops the whole play.
- name: Gate every data source of the index after a deploy
  qbusiness.ops.qbusiness_sync_gate:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    fail_on: [FAILED, INCOMPLETE]

- name: Wait up to 30 minutes for a sync started elsewhere (a schedule, a webhook), then judge it
  qbusiness.ops.qbusiness_sync_gate:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    data_source_id: "{{ qbusiness_data_source_id }}"
    wait: true
    wait_timeout: 1800
    wait_sleep: 30

- name: Freshness gate - a successful sync in the last day, with at most 10 failed documents
  qbusiness.ops.qbusiness_sync_gate:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    data_source_id:
      - "{{ handbook_data_source_id }}"
      - "{{ wiki_data_source_id }}"
    fail_on: [FAILED, ABORTED]
    max_age: 24h
    max_documents_failed: 10
    fail_msg: The assistant's knowledge is stale or broken, not deploying

- name: Allow up to 2% of the scanned documents to fail, and show the first 5 failed ones
  qbusiness.ops.qbusiness_sync_gate:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    fail_on: [FAILED, INCOMPLETE]
    max_documents_failed: 2%
    show_failed_documents: 5

- name: Gate data sources by display name
  qbusiness.ops.qbusiness_sync_gate:
    application_name: handbook-assistant
    index_name: main
    data_source_name: [confluence-wiki, sharepoint-policies]
    max_age: 24h

- name: Gate, and leave reports where CI looks (GitHub's job summary, a JUnit file, the result as JSON)
  qbusiness.ops.qbusiness_sync_gate:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    junit_path: reports/sync-gate.xml
    summary_path: auto
    json_path: reports/sync-gate.json

- name: Report the gate without failing the pipeline step
  qbusiness.ops.qbusiness_sync_gate:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
  register: gate
  ignore_errors: true

- name: Show why
  ansible.builtin.debug:
    msg: "{{ gate.msg }}"
  when: gate is failed
"""

RETURN = r"""
msg:
  description:
    - What the gate found. On failure, every failing data source and why.
    - A data source is named V(name (id\)) when its display name is known (given by O(data_source_name), or
      listed because no data source was given), else by its ID.
  returned: always
  type: str
  sample: >-
    Q Business sync gate failed: data source confluence-wiki (c0000000-0000-4000-8000-000000000002): latest sync
    e0000000-0000-4000-8000-000000000005 FAILED: Confluence credentials expired (data source error code AUTH_FAILED)
sync_jobs:
  description:
    - The judged sync of each data source (after a wait that ran out, the sync still running), in the order
      of O(data_source_id) then O(data_source_name) (or of C(ListDataSources)),
      in the shape of M(qbusiness.ops.qbusiness_sync_job_info)'s RV(qbusiness.ops.qbusiness_sync_job_info#module:history)
      elements, with the keys below added.
    - A data source with no sync to judge has only the added keys.
  returned: when the data sources were found (not after a bad option, or a failure while finding them by name)
  type: list
  elements: dict
  contains:
    application_id:
      description: The application's identifier (resolved from O(application_name) when given by name).
      type: str
      returned: always
    application_name:
      description: The application's display name.
      type: str
      returned: when O(application_name) gave it
    index_id:
      description: The index's identifier (resolved from O(index_name) when given by name).
      type: str
      returned: always
    index_name:
      description: The index's display name.
      type: str
      returned: when O(index_name) gave it
    data_source_id:
      description: The data source.
      type: str
      returned: always
    data_source_name:
      description: The data source's display name.
      type: str
      returned: when known (given by O(data_source_name), listed because no data source was given, or read with the data source's status)
    passed:
      description: Whether this data source passed the gate.
      type: bool
      returned: always
    reasons:
      description: Why it failed; empty when it passed.
      type: list
      elements: str
      returned: always
    data_source_status:
      description: The data source's own status (C(GetDataSource)); anything but V(ACTIVE) fails the gate.
      type: str
      returned: when it could be read
      sample: ACTIVE
      version_added: 0.2.0
    failed_documents:
      description:
        - Up to O(show_failed_documents) documents in status V(FAILED) or V(DOCUMENT_FAILED_TO_INDEX) that changed
          after the judged sync started, in the service's order.
      type: list
      elements: dict
      returned: >-
        when the judged sync has ended, failed the gate or reports failed documents (not V(0)), O(show_failed_documents)
        is not V(0), and the documents could be read
      version_added: 0.2.0
      contains:
        document_id:
          description: The document's identifier (for many connectors, its source path or URL).
          type: str
          sample: spaces/ENG/pages/123456/Runbook
        status:
          description: V(FAILED) or V(DOCUMENT_FAILED_TO_INDEX).
          type: str
          sample: FAILED
        error_code:
          description: The service's error code.
          type: str
          sample: InvalidRequest
        error_message:
          description: The service's explanation.
          type: str
          sample: The document exceeds the 50 MB size limit
        created_at:
          description: When the document was created, ISO 8601 in UTC.
          type: str
          sample: "2024-04-01T09:00:00+00:00"
        updated_at:
          description: When the document last changed, ISO 8601 in UTC.
          type: str
          sample: "2024-05-01T10:02:00+00:00"
    failed_documents_listed:
      description: How many failed documents were found, and whether the listing was read to its end.
      type: dict
      returned: with RV(sync_jobs[].failed_documents)
      version_added: 0.2.0
      contains:
        count:
          description:
            - How many were found; here as many as RV(sync_jobs[].failed_documents) holds, since the listing stops once
              it has enough.
          type: int
          sample: 10
        complete:
          description:
            - V(true) when every page was read; V(false) when the listing stopped once it had
              O(show_failed_documents) of them (more may exist; the sync's C(metrics.documents_failed) is the service's count).
          type: bool
          sample: false
    failed_documents_error:
      description: Why the failed documents could not be read; the verdict stands.
      type: str
      returned: when the document listing failed
      version_added: 0.2.0
    read_error:
      description:
        - What could not be read of what the verdict needs (the sync history, or the data source's own status), the
          service's error. The data source fails the gate (the same error is among its RV(sync_jobs[].reasons)),
          but the gate could not judge it; the C(sync_gate) playbook exits 4 then, not 2, and the JUnit report has an
          C(<error>), not a C(<failure>).
        - The data source's own status counts only when its history passed the gate. A sync that failed the gate was
          judged; then its status that could not be read is one more reason, and there is no C(read_error).
        - Failed documents that could not be read do not count (RV(sync_jobs[].failed_documents_error)); the verdict stands.
      type: str
      returned: when something the verdict needs could not be read
      sample: >-
        Failed to list the sync jobs of data source c0000000-0000-4000-8000-000000000002: An error occurred (AccessDeniedException)
        when calling the ListDataSourceSyncJobs operation: not authorized
      version_added: 0.2.0
    running_job:
      description:
        - A newer sync that was still in progress and so was not judged (O(wait=false)).
        - Without O(wait) and with no in-progress status in O(fail_on), no running sync can change the verdict,
          so the gate does not list the in-progress statuses for it; the running sync is then reported when the
          service's time-filtered listing shows it (a service whose filter leaves running syncs out would not).
      type: dict
      returned: when a newer sync was running
    execution_id:
      description: The identifier of the judged sync.
      type: str
      returned: when there was a sync to judge
    status:
      description: The status of the judged sync.
      type: str
      returned: when there was a sync to judge
    start_time:
      description: When the judged sync started, ISO 8601 in UTC.
      type: str
      returned: when there was a sync to judge
sync_job:
  description: The single element of RV(sync_jobs), when one data source was gated.
  returned: when one data source was gated
  type: dict
elapsed:
  description: Seconds the gate took, waiting included.
  returned: with RV(sync_jobs)
  type: float
  sample: 12.402
"""
