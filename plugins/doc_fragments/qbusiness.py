# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Option documentation shared by the qbusiness.ops plugins."""

from __future__ import annotations


class ModuleDocFragment:
    """``qbusiness.ops.qbusiness`` (the application and index), ``.data_source`` (one data source), ``.filters`` (listing filters),
    ``.wait`` (how long and how often to poll), ``.latest`` (how the latest sync is found),
    ``.requirements`` / ``.requirements_controller`` (what the modules / the controller-side plugins need)."""

    # The application and index that hold the data sources.
    DOCUMENTATION = r"""
options:
  application_id:
    description:
      - The identifier of the Amazon Q Business application.
      - 36 characters, a letter or digit followed by letters, digits or hyphens; checked before any request.
      - One of O(application_id) and O(application_name) is required; they are mutually exclusive.
    type: str
  application_name:
    description:
      - The display name of the application, instead of O(application_id).
      - Matched exactly against every page of C(ListApplications). No application with that name, or several
        (nothing in the API makes a display name unique), fails the task with the names or the IDs found; nothing
        is guessed.
    type: str
    version_added: 0.2.0
  index_id:
    description:
      - The identifier of the Q Business index the data source belongs to.
      - 36 characters, a letter or digit followed by letters, digits or hyphens; checked before any request.
      - One of O(index_id) and O(index_name) is required; they are mutually exclusive.
    type: str
  index_name:
    description:
      - The display name of the index, instead of O(index_id); matched exactly against every page of
        C(ListIndices) of the application, like O(application_name).
    type: str
    version_added: 0.2.0
notes:
  - A task given IDs sends no listing request to find them. Names are resolved once per task, reading each
    level (applications, indices, data sources) at most once, whatever the number of data sources.
"""

    # Filters of ListDataSourceSyncJobs, applied by the service.
    FILTERS = r"""
options:
  start_time:
    description:
      - Sent as the service's C(startTime) filter, as given. The API does not document which time of a job
        it compares (the start, or the end) nor whether it is inclusive; the emulator shipped with this
        collection compares the start time, inclusively.
      - An ISO 8601 date-time such as V(2024-05-01T00:00:00Z); offsets such as V(+02:00) are allowed,
        and a value without an offset is taken as UTC. Basic (V(20240501T000000Z)), week (V(2024-W18-3))
        and ordinal (V(2024-122)) forms, fractions and a date alone are read the same on every Python.
    type: str
  end_time:
    description:
      - Sent as the service's C(endTime) filter, as given; like O(start_time), its meaning is the service's.
      - An ISO 8601 date-time like O(start_time); it must not be before O(start_time).
    type: str
  status_filter:
    description:
      - Only sync jobs with this status. The service filters; nothing is filtered on the client.
    type: str
    choices: [FAILED, SUCCEEDED, SYNCING, INCOMPLETE, STOPPING, ABORTED, SYNCING_INDEXING]
"""

    # One data source, required.
    DATA_SOURCE = r"""
options:
  data_source_id:
    description:
      - The identifier of the data source connector.
      - 36 characters, a letter or digit followed by letters, digits or hyphens; checked before any request.
      - One of O(data_source_id) and O(data_source_name) is required; they are mutually exclusive.
    type: str
  data_source_name:
    description:
      - The display name of the data source, instead of O(data_source_id); matched exactly against every page of
        C(ListDataSources) of the index, like O(application_name).
    type: str
    version_added: 0.2.0
"""

    # Polling while a sync runs; each plugin documents its own O(wait).
    WAIT = r"""
options:
  wait_timeout:
    description:
      - How many seconds to wait in all when O(wait=true); running out fails the task.
      - At least 1.
    type: int
    default: 600
  wait_sleep:
    description:
      - Seconds between polls when O(wait=true). At least 1.
    type: int
    default: 15
"""

    # For the plugins that need only the newest jobs of a history.
    LATEST = r"""
options: {}
notes:
  - The latest sync is the one with the greatest start time, whatever order the service lists jobs in.
  - To find it without reading a whole history (the service answers 10 jobs a request), the syncs that
    started in the last day are listed first, then those of the last 7, 30 and 365 days, and the whole
    history only when no such window holds what is needed. That costs one request per 10 syncs of the
    window read, so 3 for a data source that syncs hourly, however long its history.
  - Whether the service's time filter keeps syncs still in progress is not documented, so when a windowed
    read shows none, the statuses SYNCING, SYNCING_INDEXING and STOPPING are also listed without a time
    filter (up to 3 more requests, fewer when one finds the running sync). The gate skips them when no
    running sync can change its verdict (it does not wait, and its C(fail_on) holds no in-progress status).
"""

    # What the modules need on the host that runs them (instead of amazon.aws.boto3, whose "python >= 3.6"
    # is not what this collection supports: tests/config.yml, README "Requirements").
    REQUIREMENTS = r"""
options: {}
requirements:
  - python >= 3.8 on the host that runs the module (3.9 or later with ansible-core 2.20 and later)
  - boto3 >= 1.34.0
  - botocore >= 1.34.0
"""

    # What the plugins that run on the controller need there (the lookup, the action-backed gate and report).
    REQUIREMENTS_CONTROLLER = r"""
options: {}
requirements:
  - the controller Python of the ansible-core in use (ansible-core 2.17 or later)
  - boto3 >= 1.34.0 on the controller
  - botocore >= 1.34.0 on the controller
"""
