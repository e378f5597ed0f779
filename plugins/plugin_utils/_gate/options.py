# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gate's options: its argument spec, and checking them into a :class:`GateRequest` before any request."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta
from decimal import Decimal
from typing import Any
from typing import Dict
from typing import FrozenSet
from typing import List
from typing import Mapping
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import INDEX_SPEC
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import WAIT_SPEC
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import Spec
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import argument_spec as spec_of
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import DEFAULT_SHOW_FAILED_DOCUMENTS
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import SYNC_JOB_STATUSES
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import IndexSelection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import Named
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_data_source_list
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_index_selection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import int_at_least
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import parse_duration
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import shorten
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_status
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_wait
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.waiting import DEFAULT_WAIT_SLEEP
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.waiting import DEFAULT_WAIT_TIMEOUT
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.files import check_report_path

DEFAULT_FAIL_MSG = "Q Business sync gate failed"
# The statuses that fail the gate unless fail_on says otherwise (the spec's default, the options' default).
DEFAULT_FAIL_ON = ("FAILED",)


def argument_spec() -> Spec:
    """The gate's options: those documented in plugins/modules/qbusiness_sync_gate.py (a unit test keeps them equal)."""
    return spec_of(
        aws_argument_spec(),
        INDEX_SPEC,
        WAIT_SPEC,
        data_source_id=dict(type="list", elements="str"),
        data_source_name=dict(type="list", elements="str"),
        fail_on=dict(type="list", elements="str", default=list(DEFAULT_FAIL_ON), choices=list(SYNC_JOB_STATUSES)),
        wait=dict(type="bool", default=False),
        max_age=dict(type="raw"),
        max_documents_failed=dict(type="raw"),
        show_failed_documents=dict(type="int", default=DEFAULT_SHOW_FAILED_DOCUMENTS),
        allow_no_history=dict(type="bool", default=False),
        fail_msg=dict(type="str"),
        junit_path=dict(type="path"),
        summary_path=dict(type="path"),
        json_path=dict(type="path"),
    )


@dataclass(frozen=True)
class DocumentLimit:
    """``max_documents_failed``: a number of documents, or a share of the documents scanned (a percentage, exact)."""

    count: Optional[int] = None
    percent: Optional[Decimal] = None  # 0 to 100
    given: str = ""  # as the user wrote it, for messages

    @property
    def share(self) -> Optional[float]:
        """The percentage as a share from 0 to 1 (None for a count)."""
        return None if self.percent is None else float(self.percent) / 100.0

    def reason(self, metrics: Dict[str, Any]) -> Optional[str]:
        """Why a sync with these metrics (snake_case, integers) has too many failed documents; None when it has not.
        A count the service did not report fails: the gate never passes on a number it did not read."""
        failed = metrics.get("documents_failed")
        if not isinstance(failed, int):
            return f"the service reported no failed-document count, so max_documents_failed ({self.given}) cannot be checked"
        if self.count is not None:
            return f"{failed} documents failed, more than max_documents_failed ({self.given})" if failed > self.count else None
        if failed == 0:
            return None  # within any share
        scanned = metrics.get("documents_scanned")
        if not isinstance(scanned, int):
            return f"the service reported no documents-scanned count, so max_documents_failed ({self.given}) cannot be checked"
        # Compared exactly (failed / scanned > percent / 100), so that a share at its limit passes.
        if scanned == 0 or Decimal(failed) * 100 > (self.percent or Decimal(0)) * scanned:
            observed = f"{100.0 * failed / scanned:.2f}%" if scanned else "none scanned"
            return f"{failed} of {scanned} scanned documents failed ({observed}), more than max_documents_failed ({self.given})"
        return None


_PERCENT = re.compile(r"\A\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*\Z")
_COUNT = re.compile(r"\A\s*([0-9]+)\s*\Z")


def parse_document_limit(value: Any) -> DocumentLimit:
    """``max_documents_failed``: an integer of at least 0 (as a number or digits), or a percentage such as ``2%`` or ``0.5%``."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return DocumentLimit(count=value, given=str(value))
    if isinstance(value, str):
        count = _COUNT.match(value)
        if count:
            return DocumentLimit(count=int(count.group(1)), given=count.group(1))
        percent = _PERCENT.match(value)
        if percent and Decimal(percent.group(1)) <= 100:
            return DocumentLimit(percent=Decimal(percent.group(1)), given=f"{percent.group(1)}%")
    raise OptionError(
        "max_documents_failed must be a number of failed documents (0 or more) or a share of the documents scanned "
        f"from 0% to 100%, such as 2%; got {shorten(value)}"
    )


@dataclass(frozen=True)
class GateOptions:
    """What makes a data source fit to deploy on; validated by :func:`validate_gate_options`."""

    fail_on: FrozenSet[str] = frozenset(DEFAULT_FAIL_ON)
    max_age: Optional[timedelta] = None
    max_documents_failed: Optional[DocumentLimit] = None
    show_failed_documents: int = DEFAULT_SHOW_FAILED_DOCUMENTS
    allow_no_history: bool = False
    wait: bool = False
    wait_timeout: int = DEFAULT_WAIT_TIMEOUT
    wait_sleep: int = DEFAULT_WAIT_SLEEP


# summary_path's value for GitHub's step summary: append to the file this variable names, when it is set.
SUMMARY_AUTO = "auto"
STEP_SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"


@dataclass(frozen=True)
class ReportFile:
    """A report to write: the option that asked for it (as messages name it), its checked absolute path, and
    whether it is appended to (GitHub's step summary) rather than overwritten whole."""

    option: str
    path: str
    append: bool = False


@dataclass(frozen=True)
class ReportPaths:
    """The gate's report files (``junit_path``, ``summary_path``, ``json_path``); None: not asked for."""

    junit: Optional[ReportFile] = None
    summary: Optional[ReportFile] = None
    json: Optional[ReportFile] = None


def report_paths(params: Dict[str, Any], environ: Mapping[str, str]) -> ReportPaths:
    """The report options, each path checked before any request (see files.check_report_path)."""

    def checked(option: str, value: Any, append: bool = False) -> Optional[ReportFile]:
        path = check_report_path(option, value)
        return None if path is None else ReportFile(option, path, append)

    summary = params.get("summary_path")
    if summary == SUMMARY_AUTO:
        # An unset or empty variable: not on GitHub Actions, so there is no summary to write.
        step_summary = environ.get(STEP_SUMMARY_VARIABLE) or None
        summary_file = checked(f"summary_path ({SUMMARY_AUTO}: ${STEP_SUMMARY_VARIABLE})", step_summary, append=True)
    else:
        summary_file = checked("summary_path", summary)
    reports = ReportPaths(checked("junit_path", params.get("junit_path")), summary_file, checked("json_path", params.get("json_path")))
    _check_distinct(reports)
    return reports


def _check_distinct(reports: ReportPaths) -> None:
    """Two reports in one file: the last written would silently replace (or be appended to) the other."""
    seen: Dict[str, str] = {}
    for report in (reports.junit, reports.summary, reports.json):
        if report is None:
            continue
        real = os.path.realpath(report.path)  # a symbolic link to the same file is the same file
        if real in seen:
            raise OptionError(f"{seen[real]} and {report.option} name the same file {report.path}: give each report its own path")
        seen[real] = report.option


@dataclass(frozen=True)
class GateRequest:
    """A validated gate: where to look (IDs or names, not yet resolved) and what to judge."""

    index: IndexSelection
    # None: every data source of the index, found with ListDataSources.
    data_sources: Optional[List[Named]]
    options: GateOptions
    fail_msg: str = DEFAULT_FAIL_MSG
    reports: ReportPaths = field(default_factory=ReportPaths)


def _fail_on(value: Any) -> FrozenSet[str]:
    """``fail_on``: a list of statuses (None: the default)."""
    fail_on = list(DEFAULT_FAIL_ON) if value is None else value
    if not isinstance(fail_on, list):
        raise OptionError(f"fail_on must be a list of statuses; got {fail_on!r}")
    return frozenset(validate_status("fail_on", status) for status in fail_on)


def validate_gate_options(params: Dict[str, Any], environ: Optional[Mapping[str, str]] = None) -> GateRequest:
    """Check every gate option (already type-converted by the argument spec) before any request; ``environ`` (the
    controller's environment by default) tells where ``summary_path: auto`` writes."""
    index = validate_index_selection(params)
    wait_timeout, wait_sleep = validate_wait(params)
    data_sources = validate_data_source_list(params)
    max_age = params.get("max_age")
    max_documents_failed = params.get("max_documents_failed")
    options = GateOptions(
        fail_on=_fail_on(params.get("fail_on")),
        max_age=None if max_age is None else parse_duration("max_age", max_age),
        max_documents_failed=None if max_documents_failed is None else parse_document_limit(max_documents_failed),
        show_failed_documents=int_at_least("show_failed_documents", params.get("show_failed_documents", DEFAULT_SHOW_FAILED_DOCUMENTS), 0),
        allow_no_history=bool(params.get("allow_no_history")),
        wait=bool(params.get("wait")),
        wait_timeout=wait_timeout,
        wait_sleep=wait_sleep,
    )
    fail_msg = params.get("fail_msg")
    reports = report_paths(params, os.environ if environ is None else environ)
    return GateRequest(index, data_sources, options, fail_msg if fail_msg else DEFAULT_FAIL_MSG, reports)
