# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The report's options: its argument spec, and checking them into a :class:`ReportRequest` before any request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timezone
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import INDEX_SPEC
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import Spec
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import argument_spec as spec_of
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import IndexSelection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import Named
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_data_source_list
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_index_selection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import MAX_DURATION
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import parse_duration
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import parse_time
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import shorten
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.files import check_report_path
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.html import require_plotly

DEFAULT_SINCE = "30d"


def argument_spec() -> Spec:
    """The report's options: those documented in plugins/modules/qbusiness_sync_report.py (a unit test keeps them equal)."""
    return spec_of(
        aws_argument_spec(),
        INDEX_SPEC,
        data_source_id=dict(type="list", elements="str"),
        data_source_name=dict(type="list", elements="str"),
        since=dict(type="raw", default=DEFAULT_SINCE),
        html_path=dict(type="path"),
        markdown_path=dict(type="path"),
        title=dict(type="str"),
    )


@dataclass(frozen=True)
class ReportRequest:
    """A validated report: where to look (IDs or names, not yet resolved), the window, and the files to write."""

    index: IndexSelection
    # None: every data source of the index, found with ListDataSources.
    data_sources: Optional[List[Named]]
    since: datetime
    until: datetime
    html_path: Optional[str] = None
    markdown_path: Optional[str] = None
    title: Optional[str] = None


def parse_since(value: Any, now: datetime) -> datetime:
    """``since``: a duration before ``now`` (as max_age takes it) or an ISO 8601 date-time, at most MAX_DURATION
    (3650 days, "10 years") before ``now`` and not after it. A bare number (``86400``, even ``20240501``) is a number of seconds."""
    try:
        return now - parse_duration("since", value)
    except OptionError:
        pass
    try:
        since = parse_time("since", value)
    except OptionError:
        since = None
    if since is None:
        raise OptionError(
            "since must be a duration of at most 10 years (3650 days), such as 30d, 12h, 90m or a number of seconds, or an ISO 8601 "
            f"date-time such as 2024-05-01T00:00:00Z; got {shorten(value)}"
        )
    if since > now:
        raise OptionError(f"since ({since.isoformat()}) is in the future (it is now {now.isoformat()}): the window would hold no sync")
    if now - since > MAX_DURATION:
        raise OptionError(f"since ({since.isoformat()}) is more than 3650 days ago: the window is at most 10 years (3650 days)")
    return since


def validate_report_options(params: Dict[str, Any], now: Optional[datetime] = None) -> ReportRequest:
    """Check every report option (already type-converted by the argument spec) before any request; ``now`` ends the window."""
    until = now or datetime.now(timezone.utc)
    index = validate_index_selection(params)
    data_sources = validate_data_source_list(params)
    since = parse_since(params.get("since", DEFAULT_SINCE), until)
    html_path = check_report_path("html_path", params.get("html_path"))
    markdown_path = check_report_path("markdown_path", params.get("markdown_path"))
    if html_path is not None and html_path == markdown_path:
        raise OptionError(f"html_path and markdown_path are the same file ({html_path}); give each report its own")
    if html_path is not None:
        require_plotly()  # before any request: a report that cannot be drawn is known now
    title = params.get("title")
    if title is not None and not isinstance(title, str):
        raise OptionError(f"title must be a string; got {shorten(title)}")
    return ReportRequest(index, data_sources, since, until, html_path, markdown_path, (title.strip() or None) if title else None)
