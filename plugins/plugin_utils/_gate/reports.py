# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gate's reports, written on the controller once the gate has its verdicts (or knows it could not judge):

* JUnit XML (``junit_path``): one ``<testsuite>`` for the gate's index, one ``<testcase>`` per data source; a data
  source that is not fit has a ``<failure>`` (its reasons, and as text the judged job and its failed documents),
  one whose history or own status could not be read an ``<error>``. The IDs are properties of the suite (the only
  place the Jenkins/xunit schema allows them) and repeated in each case's ``<system-out>``. A gate that could not
  judge at all (names that match nothing, a listing refused) has one case for the index, with an ``<error>``.
* Markdown (``summary_path``, GitHub's step summary): the verdict as a heading and one table, data source by data
  source, then the failed documents of each failing one; kept under :data:`SUMMARY_LIMIT`.
* JSON (``json_path``): the task's result (not its invocation), pretty-printed with sorted keys.
"""

from __future__ import annotations

import json
import re
import socket
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timezone
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import IndexSelection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import IndexRef
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import ReportFile
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import ReportPaths
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.verdicts import Verdict
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.files import ReportError
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.files import write_report
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.markdown import cell
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.markdown import html_text
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.markdown import table
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.text import NONE_SHOWN
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.text import human_duration

SUITE = "qbusiness.ops.qbusiness_sync_gate"
# Half of GitHub's 1 MiB step-summary limit: room for the other steps' summaries in the same job.
SUMMARY_LIMIT = 512 * 1024
_HEADERS = ("Data source", "Verdict", "Status", "Started", "Age", "Documents failed", "Why")
# What XML 1.0 allows (its Char production); anything else, such as a control character in a service's
# message, would make the file unparseable, so it is dropped.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The task result's keys that make the JSON report (not the invocation, nor ansible-core's own keys).
_RESULT_KEYS = ("changed", "failed", "msg", "sync_jobs", "sync_job", "elapsed")


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class GateRun:
    """One run of the gate as its reports describe it, filled in as the gate goes."""

    selection: IndexSelection  # the index as given, for a gate that could not resolve it
    started_at: datetime = field(default_factory=_utcnow)
    started: float = field(default_factory=time.monotonic)
    index: Optional[IndexRef] = None  # once resolved
    verdicts: Optional[List[Verdict]] = None  # None: the gate could not judge (the result's msg says why)

    @property
    def index_label(self) -> str:
        """The index as messages name it, or as it was given when it could not be resolved."""
        if self.index is not None:
            return self.index.label
        return str(self.selection.index.id or self.selection.index.name)

    def identity(self) -> Dict[str, str]:
        """The application's and the index's IDs and names, as far as they are known."""
        if self.index is not None:
            return self.index.identity()
        known = dict(
            application_id=self.selection.application.id,
            application_name=self.selection.application.name,
            index_id=self.selection.index.id,
            index_name=self.selection.index.name,
        )
        return {key: value for key, value in known.items() if value is not None}


def _xml_text(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def _element(parent: ET.Element, tag: str, text: Optional[str] = None, **attributes: Any) -> ET.Element:
    """A child element, every value cleaned of what XML forbids (ElementTree escapes the rest)."""
    element = ET.SubElement(parent, tag, {key: _xml_text(value) for key, value in attributes.items()})
    if text is not None:
        element.text = _xml_text(text)
    return element


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"


def _job_lines(title: str, job: Dict[str, Any]) -> List[str]:
    lines = [f"{title}: {job.get('execution_id', '?')}, status {job.get('status', '?')}"]
    for key, name in (("start_time", "started"), ("end_time", "ended")):
        if job.get(key):
            lines.append(f"  {name}: {job[key]}")
    error = job.get("error") or {}
    if error.get("error_code") or error.get("error_message"):
        lines.append(f"  error: {': '.join(str(part) for part in (error.get('error_code'), error.get('error_message')) if part)}")
    if job.get("data_source_error_code"):
        lines.append(f"  data source error code: {job['data_source_error_code']}")
    metrics = job.get("metrics") or {}
    if metrics:
        lines.append("  metrics: " + ", ".join(f"{key} {value}" for key, value in sorted(metrics.items())))
    return lines


def _case_text(verdict: Verdict) -> str:
    """What a failing data source's ``<failure>`` or ``<error>`` holds: plain text a person reads in CI."""
    lines = [f"data source {verdict.label}"] + [f"- {reason}" for reason in verdict.reasons]
    if verdict.data_source_status is not None:
        lines.append(f"data source status: {verdict.data_source_status}")
    if verdict.job is not None:
        lines.extend(_job_lines("judged sync", verdict.job))
    if verdict.running_job is not None:
        lines.extend(_job_lines("running sync (not judged)", verdict.running_job))
    if verdict.failed_documents is not None and verdict.failed_documents.documents:
        listed = verdict.failed_documents.listed()
        lines.append(f"failed documents ({listed['count']} listed{'' if listed['complete'] else ', more not read'}):")
        for document in verdict.failed_documents.documents:
            error = ": ".join(str(part) for part in (document.get("error_code"), document.get("error_message")) if part)
            lines.append(f"  - {document.get('document_id')} ({document.get('status')}){' ' + error if error else ''}")
    if verdict.failed_documents_error is not None:
        lines.append(f"failed documents could not be read: {verdict.failed_documents_error}")
    return "\n".join(lines) + "\n"


def _ids_text(identity: Dict[str, str]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in identity.items())


def junit_report(run: GateRun, elapsed: float, message: str) -> str:
    """The JUnit XML report; ``message`` (the task's) says why when the gate could not judge."""
    index_label = run.index_label
    classname = f"qbusiness_sync_gate.{index_label}"
    identity = run.identity()
    verdicts = run.verdicts
    errors = 1 if verdicts is None else sum(1 for v in verdicts if v.read_error is not None)
    failures = 0 if verdicts is None else sum(1 for v in verdicts if not v.passed and v.read_error is None)
    tests = 1 if verdicts is None else len(verdicts)
    counts = dict(tests=str(tests), failures=str(failures), errors=str(errors))

    suites = ET.Element("testsuites", dict(name=SUITE, **counts, time=_seconds(elapsed)))
    suite = _element(
        suites,
        "testsuite",
        name=f"{SUITE} index {index_label}",
        **counts,
        skipped="0",
        time=_seconds(elapsed),
        timestamp=run.started_at.isoformat(timespec="seconds"),
        hostname=socket.gethostname(),
    )
    properties = _element(suite, "properties")
    for key, value in identity.items():
        _element(properties, "property", name=key, value=value)
    if verdicts is None:
        case = _element(suite, "testcase", name=index_label, classname=classname, time=_seconds(elapsed))
        _element(case, "error", f"The gate could not judge the data sources of index {index_label}:\n{message}\n", message=message, type="could_not_judge")
        _element(case, "system-out", _ids_text(identity))
    for verdict in verdicts or []:
        ids = verdict.ref.identity() if verdict.ref is not None else dict(identity, data_source_id=verdict.data_source_id)
        execution_id = (verdict.job or {}).get("execution_id")
        if execution_id:
            ids["execution_id"] = execution_id
        for key in ("data_source_id", "execution_id"):
            if key in ids:
                _element(properties, "property", name=f"data_source.{verdict.label}.{key}", value=ids[key])
        case = _element(suite, "testcase", name=verdict.label, classname=classname, time=_seconds(elapsed if verdict.elapsed is None else verdict.elapsed))
        if not verdict.passed:
            kind = "error" if verdict.read_error is not None else "failure"
            _element(case, kind, _case_text(verdict), message="; ".join(verdict.reasons), type="read_error" if kind == "error" else "sync_gate")
        _element(case, "system-out", _ids_text(ids))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _started(job: Optional[Dict[str, Any]]) -> Optional[datetime]:
    started = (job or {}).get("start_time")
    try:
        return datetime.fromisoformat(started) if isinstance(started, str) else None
    except ValueError:
        return None


def _row(verdict: Verdict, now: datetime) -> List[Any]:
    job = verdict.job or {}
    started = _started(verdict.job)
    if verdict.read_error is not None:
        shown = "⚠️ could not read"
    else:
        shown = "✅ passed" if verdict.passed else "❌ failed"
    failed = (job.get("metrics") or {}).get("documents_failed")
    return [
        verdict.label,
        shown,
        job.get("status", NONE_SHOWN),
        job.get("start_time", NONE_SHOWN),
        # Never negative: a sync started while the gate waited, or a clock ahead of ours.
        human_duration(None if started is None else max(0.0, (now - started).total_seconds())),
        NONE_SHOWN if failed is None else failed,
        "; ".join(verdict.reasons),
    ]


def _details(verdict: Verdict) -> str:
    """The failed documents of a failing data source, folded (empty when there are none)."""
    documents = verdict.failed_documents.documents if verdict.failed_documents is not None else []
    if verdict.passed or not documents:
        return ""
    rows = [[document.get("document_id"), document.get("status"), document.get("error_code"), document.get("error_message")] for document in documents]
    return (
        f"<details><summary>{html_text(verdict.label)}: {len(documents)} failed documents</summary>\n\n"
        + table(("Document", "Status", "Error code", "Error"), rows)
        + "\n</details>\n\n"
    )


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def markdown_summary(run: GateRun, elapsed: float, message: str, limit: int = SUMMARY_LIMIT) -> str:
    """The Markdown report: the verdict, one table, the failed documents; at most ``limit`` bytes (detail blocks
    are left out first, from the last, then rows, passing data sources first, each time saying how many)."""
    where = f"Index {cell(run.index_label)}, read at {run.started_at.isoformat(timespec='seconds')} in {elapsed:.1f}s."
    if run.verdicts is None:
        return f"## Q Business sync gate: could not judge — index {cell(run.index_label)}\n\n{cell(message, 4000)}\n\n{where}\n\n"
    verdicts = run.verdicts
    count = f"{len(verdicts)} data source{'' if len(verdicts) == 1 else 's'}"
    head = f"## Q Business sync gate: {'passed' if all(v.passed for v in verdicts) else 'failed'} — {count}\n\n{where}\n\n"
    rows = [_row(verdict, run.started_at) for verdict in verdicts]
    details = [text for text in (_details(verdict) for verdict in verdicts) if text]
    # Sizes one by one, so that leaving parts out costs no re-rendering of the whole.
    empty = table(_HEADERS, [])
    row_sizes = [_size(table(_HEADERS, [row])) - _size(empty) for row in rows]
    size = _size(head) + _size(empty) + sum(row_sizes) + 1 + sum(_size(text) for text in details)
    reserve = 400  # the line that says what was left out
    kept_details = len(details)
    while size + reserve > limit and kept_details:
        kept_details -= 1
        size -= _size(details[kept_details])
    dropped: List[int] = []
    order = [i for i in reversed(range(len(rows))) if verdicts[i].passed] + [i for i in reversed(range(len(rows))) if not verdicts[i].passed]
    while size + reserve > limit and len(dropped) < len(rows):
        index = order[len(dropped)]
        dropped.append(index)
        size -= row_sizes[index]
    left = set(dropped)
    text = head + table(_HEADERS, [row for i, row in enumerate(rows) if i not in left]) + "\n" + "".join(details[:kept_details])
    if dropped or kept_details < len(details):
        text += (
            f"_Left out to stay under GitHub's step-summary limit: {len(details) - kept_details} of {len(details)} failed-document "
            f"lists and {len(dropped)} of {len(rows)} rows ({sum(1 for i in dropped if verdicts[i].passed)} of them passed). "
            "The JSON report (json_path) and the task's result hold every data source._\n\n"
        )
    return text


def json_report(result: Dict[str, Any]) -> str:
    """The task's result as a file: ``changed``, ``failed``, ``msg`` and, once the data sources were found,
    ``sync_jobs``, ``sync_job`` and ``elapsed``."""
    data = {key: result[key] for key in _RESULT_KEYS if key in result}
    data.update(changed=bool(result.get("changed")), failed=bool(result.get("failed")))
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"


def write_reports(paths: ReportPaths, run: GateRun, result: Dict[str, Any]) -> Dict[str, Any]:
    """Write the reports asked for, whatever the verdict and in check mode too (they are the gate's result, not a
    change to a host). One that cannot be written fails the task: its path and the reason follow the gate's message.
    Returns ``result``."""
    elapsed = float(result.get("elapsed", round(time.monotonic() - run.started, 3)))
    message = str(result.get("msg", ""))

    reports: Sequence[Tuple[Optional[ReportFile], Callable[[], str]]] = (
        (paths.junit, lambda: junit_report(run, elapsed, message)),
        (paths.summary, lambda: markdown_summary(run, elapsed, message)),
        # Last: it is the task's result, with the other reports' errors in its msg.
        (paths.json, lambda: json_report(result)),
    )
    for report, render in reports:
        if report is None:
            continue
        try:
            write_report(report.option, report.path, render(), append=report.append)
        except ReportError as e:
            result.update(failed=True, msg=f"{result.get('msg', '')}; {e}")
    return result
