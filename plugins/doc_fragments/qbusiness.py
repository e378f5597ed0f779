# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Option documentation shared by the qbusiness.ops plugins."""

from __future__ import annotations


class ModuleDocFragment:
    """Use as ``qbusiness.ops.qbusiness`` (the index) and ``qbusiness.ops.qbusiness.filters`` (listing filters)."""

    # The application and index that hold the data sources.
    DOCUMENTATION = r"""
options:
  application_id:
    description:
      - The identifier of the Amazon Q Business application.
      - 36 characters, a letter or digit followed by letters, digits or hyphens; checked before any request.
    type: str
    required: true
  index_id:
    description:
      - The identifier of the Q Business index the data source belongs to.
      - 36 characters, a letter or digit followed by letters, digits or hyphens; checked before any request.
    type: str
    required: true
"""

    # Filters of ListDataSourceSyncJobs, applied by the service.
    FILTERS = r"""
options:
  start_time:
    description:
      - Only sync jobs that started at or after this time (the service's C(startTime) filter).
      - An ISO 8601 date-time such as V(2024-05-01T00:00:00Z); offsets such as V(+02:00) are allowed,
        and a value without an offset is taken as UTC.
    type: str
  end_time:
    description:
      - Only sync jobs up to this time (the service's C(endTime) filter).
      - An ISO 8601 date-time like O(start_time); it must not be before O(start_time).
    type: str
  status_filter:
    description:
      - Only sync jobs with this status. The service filters; nothing is filtered on the client.
    type: str
    choices: [FAILED, SUCCEEDED, SYNCING, INCOMPLETE, STOPPING, ABORTED, SYNCING_INDEXING]
"""
