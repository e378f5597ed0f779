#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This file holds only the documentation: the report is an action plugin (plugins/action/qbusiness_sync_report.py)
# that runs on the controller, where it writes its files.

from __future__ import annotations

DOCUMENTATION = r"""
module: qbusiness_sync_report
version_added: 0.2.0
short_description: How the syncs of Amazon Q Business data sources have been going, as statistics, Markdown and HTML
description:
  - Reads the sync history of every data source of an index (or of those named) over a window of time, O(since)
    until now, and returns statistics per data source and over all of them (counts by status, success rate,
    failure streak, time since the last success, duration percentiles, documents added, modified, deleted and failed,
    and the latest sync).
  - With O(markdown_path) it writes the statistics as a Markdown table; with O(html_path), one self-contained HTML
    page with the same table and, per data source, a timeline of its syncs coloured by outcome, their durations, and
    the documents failed per sync. The page embeds everything it needs (plotly.js inline, no font, script or style
    from the web), so it opens offline, from a CI artifact or a laptop.
  - B(Reads.) Names are resolved once (C(ListApplications), C(ListIndices) for names given, C(ListDataSources) of
    the index, all its pages, 10 data sources a page). C(ListDataSources) is read once, whatever needs it (data source
    names to resolve, every data source when none is given, the names of the data sources given by ID), so that every
    entry of the report is named; there is no C(GetDataSource). Then each data source costs one C(ListDataSourceSyncJobs)
    listing of the window, all its pages (10 syncs a page), the data sources read concurrently; nothing else is
    requested.
  - B(The window.) The listing is asked with the service's C(startTime) and C(endTime) filters a second wider than
    the window, and only the syncs that started inside it are kept, by their own start time, whatever time of a job
    the service's filters compare. A sync still running is counted when the service's time-filtered listing shows
    it; the report asks no more (a service whose time filter leaves running syncs out leaves them out of the report).
  - B(The statistics), per data source and over all syncs together (the same as the P(qbusiness.ops.sync_stats#filter)
    filter gives for a history). RV(data_sources[].syncs) counts every status (0 when none, plus any status the
    collection does not know). B(Finished) syncs are those SUCCEEDED, FAILED, INCOMPLETE or ABORTED. RV(data_sources[].success_rate)
    is SUCCEEDED over finished; RV(data_sources[].failure_streak) counts the finished syncs in a row, newest first,
    that are FAILED or INCOMPLETE; RV(data_sources[].duration_p50) and RV(data_sources[].duration_p95) are
    nearest-rank percentiles of the finished syncs' end minus start. Times are ISO 8601 in UTC.
  - A data source whose history cannot be read fails the task, naming it and the error; then no file is written.
    An index without data sources fails the task.
  - Both files are drawn before either is written, so a page that cannot be drawn leaves the files as they were.
    Each is written whole (through a temporary file); when the second cannot be written, the task fails saying that
    the first one was.
  - Bad input fails before any request, naming the option (a O(since) in the future or more than 3650 days ago, a
    file that cannot be written, O(html_path) without plotly).
author:
  - qbusiness.ops maintainers (@qbusiness-ops)
requirements:
  - plotly (the Python package, on the controller), for O(html_path) only; C(pip install plotly)
options:
  data_source_id:
    description:
      - The data source to report on, or a list of them.
      - When both this and O(data_source_name) are left out, every data source of the index is reported on (found with
        C(ListDataSources), which also gives their names).
      - The names of the data sources given by ID come from the index's C(ListDataSources) (one listing, however many
        IDs).
      - An empty list is an error. Each ID is 36 characters, a letter or digit followed by letters, digits
        or hyphens, and is checked before any request.
      - May be given with O(data_source_name); a data source named twice is reported once.
    type: list
    elements: str
  data_source_name:
    description:
      - The display name of a data source to report on, or a list of them, matched exactly against every page of
        C(ListDataSources) of the index (read once, however many names). A name that no data source has, or that
        several have, fails the task with the names or the IDs found; nothing is guessed.
      - An empty list is an error. May be given with O(data_source_id).
    type: list
    elements: str
  since:
    description:
      - Where the window starts; it ends when the task runs.
      - A duration before now, as the gate's O(qbusiness.ops.qbusiness_sync_gate#module:max_age) takes it (a number of
        seconds or a number with one of the units V(s), V(m), V(h), V(d), V(w), such as V(12h), V(30d)). A bare number is
        always seconds.
      - Or an ISO 8601 date-time such as V(2024-05-01T00:00:00Z) (a value without an offset is UTC), not in the future.
      - The window is at most 10 years, counted as 3650 days (so a date-time 3651 days ago fails, though less than
        10 calendar years ago).
    type: raw
    default: 30d
  html_path:
    description:
      - Write the HTML report to this file on the controller (overwritten whole). Its directory must exist.
      - Needs the Python package C(plotly) on the controller; without it the task fails before any request.
      - The page holds plotly.js (about 4.8 MB) once, and the charts' data.
    type: path
  markdown_path:
    description:
      - Write the Markdown report (a heading, the window, the statistics table) to this file on the controller
        (overwritten whole). Its directory must exist.
    type: path
  title:
    description:
      - The reports' title. By default C(Q Business sync report), a colon, and the index, as C(index main (b0000000-0000-4000-8000-000000000001)).
    type: str
extends_documentation_fragment:
  - qbusiness.ops.qbusiness
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - qbusiness.ops.qbusiness.requirements_controller
attributes:
  action:
    support: full
    description: Implemented as an action plugin that runs on the controller.
  async:
    support: none
    description: It runs on the controller and returns when the report is read and written.
  bypass_host_loop:
    support: none
    description: It runs once per host, like any task.
  check_mode:
    support: full
    description:
      - The report only reads the service, so it runs unchanged in check mode.
      - The files are written in check mode too; they are the report itself, written on the controller, not a
        change to a managed host.
  diff_mode:
    support: none
    description: Nothing is changed, so there is no diff.
  platform:
    support: full
    platforms: all
    description: It runs on the controller, whatever the target host.
notes:
  - The report always reports RV(ignore:changed=false).
  - The HTML page's source holds the text V(http) only inside the inline plotly.js bundle (licence comments, SVG and
    XML namespace names, and the addresses of map tiles, map styles and topojson files that plotly.js fetches only for
    map charts, which the report does not draw); the page loads nothing.
seealso:
  - plugin: qbusiness.ops.sync_stats
    plugin_type: filter
  - module: qbusiness.ops.qbusiness_sync_job_info
  - module: qbusiness.ops.qbusiness_sync_gate
"""

EXAMPLES = r"""
- name: How have the syncs of every data source of the index gone over the last 30 days?
  qbusiness.ops.qbusiness_sync_report:
    application_name: handbook-assistant
    index_name: main
  register: report

- name: Show the success rate of each data source
  ansible.builtin.debug:
    msg: "{{ item.data_source_name }} ({{ item.data_source_id }}): {{ item.success_rate }}"
  loop: "{{ report.data_sources }}"

- name: Write this week's report as a CI artifact (HTML needs plotly on the controller)
  qbusiness.ops.qbusiness_sync_report:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    data_source_name: [confluence-wiki, sharepoint-policies]
    since: 7d
    html_path: "{{ playbook_dir }}/artifacts/sync-report.html"
    markdown_path: "{{ playbook_dir }}/artifacts/sync-report.md"
    title: Handbook assistant, syncs of the week

- name: Since a date, and fail the play when a data source has failed three times in a row
  qbusiness.ops.qbusiness_sync_report:
    application_id: "{{ qbusiness_application_id }}"
    index_id: "{{ qbusiness_index_id }}"
    since: "2024-05-01T00:00:00Z"
  register: report
  failed_when: report.data_sources | map(attribute='failure_streak') | max >= 3
"""

RETURN = r"""
data_sources:
  description:
    - One entry per data source, in the order of O(data_source_id) then O(data_source_name) (or of C(ListDataSources)),
      with its ID, its name, and its statistics over the window.
  returned: success
  type: list
  elements: dict
  contains:
    data_source_id:
      description: The data source.
      type: str
      sample: c0000000-0000-4000-8000-000000000002
    data_source_name:
      description:
        - Its display name, as given by O(data_source_name) or as the index's C(ListDataSources) lists it (for a data
          source given by O(data_source_id), or when none was given).
        - V(null) only for an ID that C(ListDataSources) does not list (a data source that no longer exists fails the
          task anyway, when its history cannot be read).
      type: str
      sample: wiki-confluence
    syncs:
      description:
        - How many syncs have each status; every status of the API is there (V(0) when none), and a status the
          collection does not know is added when seen (a sync without a status counts as V(UNKNOWN)).
      type: dict
      sample: {"SUCCEEDED": 27, "FAILED": 2, "INCOMPLETE": 1, "ABORTED": 0, "SYNCING": 0, "SYNCING_INDEXING": 0, "STOPPING": 0}
    success_rate:
      description:
        - V(SUCCEEDED) syncs over finished ones (SUCCEEDED, FAILED, INCOMPLETE, ABORTED), from 0 to 1, 4 decimals;
          V(null) when none finished.
      type: float
      sample: 0.9
    failure_streak:
      description:
        - How many finished syncs in a row, from the newest (by start time), are V(FAILED) or V(INCOMPLETE); another
          finished sync ends the streak, and running ones are skipped.
      type: int
      sample: 2
    since_last_success:
      description:
        - Seconds from the latest end of a V(SUCCEEDED) sync (its start, for one without an end) to RV(until);
          V(null) when none succeeded in the window. In RV(overall), the success that ended last over all the data
          sources, not the one that started last (their syncs overlap).
      type: int
      sample: 3600
    duration_p50:
      description:
        - The median duration (end minus start, seconds) of the finished syncs with both times, by nearest rank
          (the smallest duration that at least half of them do not exceed); V(null) when there is none.
      type: float
      sample: 300.0
    duration_p95:
      description: The 95th percentile of the same durations, by nearest rank; V(null) when there is none.
      type: float
      sample: 912.5
    documents:
      description: The documents the syncs of the window added, modified, deleted and failed (the sums of their metrics).
      type: dict
      sample: {"added": 1200, "modified": 40, "deleted": 3, "failed": 38}
    latest_sync:
      description:
        - The newest sync of the window (greatest start time), in the shape of
          M(qbusiness.ops.qbusiness_sync_job_info)'s RV(qbusiness.ops.qbusiness_sync_job_info#module:history)
          elements; V(null) when none.
      type: dict
overall:
  description:
    - The same statistics as each RV(data_sources) entry, over the syncs of all of them together. Its
      C(latest_sync) also carries its C(data_source_id) and C(data_source_name).
  returned: success
  type: dict
  sample:
    syncs: {"SUCCEEDED": 40, "FAILED": 2, "INCOMPLETE": 1, "ABORTED": 0, "SYNCING": 0, "SYNCING_INDEXING": 0, "STOPPING": 0}
    success_rate: 0.9302
    failure_streak: 0
    since_last_success: 3600
    duration_p50: 300.0
    duration_p95: 600.0
    documents: {"added": 1200, "modified": 40, "deleted": 3, "failed": 38}
    latest_sync: {"execution_id": "e0000000-0000-4000-8000-000000000042", "status": "SUCCEEDED",
                  "start_time": "2024-05-31T08:00:00+00:00", "data_source_id": "c0000000-0000-4000-8000-000000000001",
                  "data_source_name": "wiki-confluence"}
since:
  description: Where the window starts, ISO 8601 in UTC.
  returned: success
  type: str
  sample: "2024-05-01T09:00:00+00:00"
until:
  description: Where the window ends (when the task ran), ISO 8601 in UTC; the statistics are as of this instant.
  returned: success
  type: str
  sample: "2024-05-31T09:00:00.123456+00:00"
application_id:
  description: The application's identifier (resolved from O(application_name) when given by name).
  returned: success
  type: str
application_name:
  description: The application's display name.
  returned: when O(application_name) gave it
  type: str
index_id:
  description: The index's identifier (resolved from O(index_name) when given by name).
  returned: success
  type: str
index_name:
  description: The index's display name.
  returned: when O(index_name) gave it
  type: str
html_path:
  description: The HTML report written (an absolute path).
  returned: when O(html_path) was given
  type: str
  sample: /builds/assistant/artifacts/sync-report.html
markdown_path:
  description: The Markdown report written (an absolute path).
  returned: when O(markdown_path) was given
  type: str
  sample: /builds/assistant/artifacts/sync-report.md
elapsed:
  description: Seconds the task took, reading and writing.
  returned: success
  type: float
  sample: 1.204
"""
