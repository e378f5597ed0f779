# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A sync report: the window, each data source's syncs and statistics, the statistics of all of them, and the
table that both the Markdown and the HTML report show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import SyncJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import iso_time
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceRef
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import IndexRef
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.text import NONE_SHOWN
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.text import human_duration
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.text import percent
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.stats import ordered
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.stats import status_of
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.stats import sync_stats

# How the table words each status's count ("27 ok, 2 failed"); another status is shown as the service names it.
STATUS_WORDS = {
    "SUCCEEDED": "ok",
    "FAILED": "failed",
    "INCOMPLETE": "incomplete",
    "ABORTED": "aborted",
    "SYNCING": "syncing",
    "SYNCING_INDEXING": "indexing",
    "STOPPING": "stopping",
}
TABLE_HEADERS = (
    "data source",
    "syncs",
    "success rate",
    "failure streak",
    "since last success",
    "p50",
    "p95",
    "documents added / modified / deleted / failed",
    "latest sync",
)
OVERALL_LABEL = "all"


@dataclass(frozen=True)
class DataSourceReport:
    """One data source: its syncs in the window (newest first) and their statistics."""

    ref: DataSourceRef
    jobs: List[SyncJob]
    stats: Dict[str, Any]

    def as_result(self) -> Dict[str, Any]:
        """``data_source_id``, ``data_source_name`` (None when not known), and the statistics."""
        return dict(owner(self.ref), **self.stats)


@dataclass(frozen=True)
class SyncReport:
    """The whole report, as the task returns it (:meth:`as_result`) and the files show it."""

    index: IndexRef
    since: datetime
    until: datetime
    data_sources: List[DataSourceReport]
    overall: Dict[str, Any]
    title: str

    @property
    def application_label(self) -> str:
        """The application as messages name it: ``name (id)``, or the ID."""
        name, identifier = self.index.application_name, self.index.application_id
        return f"{name} ({identifier})" if name else identifier

    def as_result(self) -> Dict[str, Any]:
        """The task's result keys (without ``elapsed`` and the paths written)."""
        return dict(
            self.index.identity(),
            since=iso_time(self.since),
            until=iso_time(self.until),
            data_sources=[data_source.as_result() for data_source in self.data_sources],
            overall=self.overall,
        )


def build_report(
    index: IndexRef, histories: Sequence[Tuple[DataSourceRef, List[SyncJob]]], since: datetime, until: datetime, title: Optional[str] = None
) -> SyncReport:
    """The statistics of each history and of all of them at ``until`` (the end of the window); in the overall ones,
    each job (so ``latest_sync``) carries its data source's ID and name (None when not known)."""
    data_sources = [DataSourceReport(ref, ordered(jobs), sync_stats(jobs, until)) for ref, jobs in histories]
    every = [dict(job, **owner(ref)) for ref, jobs in histories for job in jobs]
    return SyncReport(index, since, until, data_sources, sync_stats(every, until), title or f"Q Business sync report: index {index.label}")


def owner(ref: DataSourceRef) -> Dict[str, Optional[str]]:
    """``data_source_id`` and ``data_source_name`` (None when not known: an ID that ListDataSources did not list)."""
    return dict(data_source_id=ref.data_source_id, data_source_name=ref.data_source_name)


def window_text(report: SyncReport) -> str:
    """``2024-05-01T00:00:00+00:00 to 2024-05-31T00:00:00+00:00 (30d)``."""
    return f"{iso_time(report.since)} to {iso_time(report.until)} ({human_duration((report.until - report.since).total_seconds())})"


def syncs_text(syncs: Dict[str, int]) -> str:
    """``30 (27 ok, 2 failed, 1 incomplete)``: the total and each status that occurred; ``0`` for none."""
    total = sum(syncs.values())
    parts = [f"{count} {STATUS_WORDS.get(status, status)}" for status, count in _by_weight(syncs) if count]
    return f"{total} ({', '.join(parts)})" if total else "0"


def _by_weight(syncs: Dict[str, int]) -> List[Tuple[str, int]]:
    # Finished outcomes first (ok, failed, incomplete, aborted), then running ones, then statuses the collection does not know.
    known = [(status, syncs.get(status, 0)) for status in STATUS_WORDS]
    return known + sorted((status, count) for status, count in syncs.items() if status not in STATUS_WORDS)


def table_row(label: str, stats: Dict[str, Any]) -> List[str]:
    """One row of the statistics table (plain text; each writer escapes it its own way)."""
    documents = stats["documents"]
    latest = stats["latest_sync"]
    return [
        label,
        syncs_text(stats["syncs"]),
        percent(stats["success_rate"]),
        str(stats["failure_streak"]),
        human_duration(stats["since_last_success"]),
        human_duration(stats["duration_p50"]),
        human_duration(stats["duration_p95"]),
        " / ".join(str(documents[key]) for key in ("added", "modified", "deleted", "failed")),
        f"{status_of(latest)} {iso_time(latest.get('start_time')) or 'no start time'}" if latest else NONE_SHOWN,
    ]


def table_rows(report: SyncReport) -> List[List[str]]:
    """One row per data source, in the report's order, then the row of all of them."""
    rows = [table_row(data_source.ref.label, data_source.stats) for data_source in report.data_sources]
    rows.append(table_row(OVERALL_LABEL, report.overall))
    return rows
