# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The gate's reports: JUnit XML valid against a schema GitLab and Jenkins accept, the Markdown summary and its size
bound, the JSON result, and writing them (summary_path: auto, a report that cannot be written)."""

from __future__ import annotations

import json
import os
import pathlib
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest
import xmlschema

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import FailedDocuments
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_index_selection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import IndexRef
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import report_paths
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import validate_gate_options
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.reports import SUMMARY_LIMIT
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.reports import GateRun
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.reports import json_report
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.reports import junit_report
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.reports import markdown_summary
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.reports import write_reports
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.verdicts import Verdict
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.verdicts import gate_message
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports import files

SCHEMA = xmlschema.XMLSchema(str(pathlib.Path(__file__).with_name("junit.xsd")))
APP = "a5555555-0000-4000-8000-000000000001"
INDEX = "b5555555-0000-4000-8000-000000000001"
INDEX_REF = IndexRef(APP, INDEX, "assistant", "main")
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
DOCUMENT = dict(document_id="spaces/ENG/Runbook", status="FAILED", error_code="InvalidRequest", error_message="The document exceeds the 50 MB size limit")


def ds_id(number):
    return f"c5555555-0000-4000-8000-{number:012d}"


def job(status, started_hours_ago, **extra):
    started = NOW - timedelta(hours=started_hours_ago)
    return dict(
        execution_id=f"e-{status.lower()}-{started_hours_ago}",
        status=status,
        start_time=started.isoformat(),
        end_time=(started + timedelta(minutes=10)).isoformat(),
        **extra,
    )


def passing(number=1, name="handbook"):
    metrics = dict(documents_added=1, documents_deleted=0, documents_failed=0, documents_modified=0, documents_scanned=10)
    return Verdict(
        ds_id(number), job=job("SUCCEEDED", 3.2, metrics=metrics), ref=INDEX_REF.data_source(ds_id(number), name), data_source_status="ACTIVE", elapsed=0.25
    )


def failing(number=2, name="wiki", reason="latest sync e-incomplete-1 INCOMPLETE", documents=(DOCUMENT,)):
    metrics = dict(documents_added=3, documents_deleted=0, documents_failed=7, documents_modified=0, documents_scanned=90)
    error = dict(error_code="InternalError", error_message="Crawler stopped")
    verdict = Verdict(
        ds_id(number),
        reasons=[reason],
        job=job("INCOMPLETE", 1, metrics=metrics, error=error),
        ref=INDEX_REF.data_source(ds_id(number), name),
        data_source_status="ACTIVE",
        elapsed=0.5,
    )
    verdict.failed_documents = FailedDocuments([dict(document) for document in documents], complete=False)
    return verdict


def unreadable(number=3):
    error = f"Failed to list the sync jobs of data source {ds_id(number)}: An error occurred (AccessDeniedException): not authorized"
    return Verdict(
        ds_id(number), reasons=[f"could not read its sync history: {error}"], ref=INDEX_REF.data_source(ds_id(number)), read_error=error, elapsed=0.1
    )


def gate_run(verdicts, index=INDEX_REF):
    return GateRun(validate_index_selection(dict(application_id=APP, index_id=INDEX)), started_at=NOW, index=index, verdicts=verdicts)


def parse_junit(text):
    """The report, validated against the schema, as its one test suite."""
    SCHEMA.validate(text)
    root = ET.fromstring(text)
    assert root.tag == "testsuites" and len(root) == 1
    return root[0]


def properties(suite):
    return {prop.get("name"): prop.get("value") for prop in suite.find("properties")}


@pytest.mark.parametrize(
    "verdicts, counts",
    [
        ([passing()], (1, 0, 0)),
        ([failing()], (1, 1, 0)),
        ([unreadable()], (1, 0, 1)),
        ([passing(), failing(), unreadable()], (3, 1, 1)),
    ],
    ids=["pass", "fail", "read error", "all three"],
)
def test_junit_is_valid_with_one_case_per_data_source_and_its_counts(verdicts, counts):
    suite = parse_junit(junit_report(gate_run(verdicts), 1.5, gate_message(verdicts)))
    cases = suite.findall("testcase")
    assert (int(suite.get("tests")), int(suite.get("failures")), int(suite.get("errors")), int(suite.get("skipped"))) == counts + (0,)
    assert len(cases) == counts[0]
    assert len(suite.findall("testcase/failure")) == counts[1] and len(suite.findall("testcase/error")) == counts[2]
    assert suite.get("name") == f"qbusiness.ops.qbusiness_sync_gate index main ({INDEX})"
    assert suite.get("time") == "1.500" and suite.get("timestamp") == "2024-05-01T12:00:00+00:00"
    assert [case.get("name") for case in cases] == [v.label for v in verdicts]
    assert {case.get("classname") for case in cases} == {f"qbusiness_sync_gate.main ({INDEX})"}
    props = properties(suite)
    assert props["application_id"] == APP and props["application_name"] == "assistant" and props["index_id"] == INDEX and props["index_name"] == "main"
    for verdict, case in zip(verdicts, cases):
        assert props[f"data_source.{verdict.label}.data_source_id"] == verdict.data_source_id
        assert case.get("time") == f"{verdict.elapsed:.3f}"
        out = case.find("system-out").text
        assert f"data_source_id: {verdict.data_source_id}\n" in out and f"index_id: {INDEX}\n" in out
        if verdict.job:
            assert props[f"data_source.{verdict.label}.execution_id"] == verdict.job["execution_id"]
            assert f"execution_id: {verdict.job['execution_id']}\n" in out


def test_a_failure_holds_the_reasons_the_judged_job_and_its_failed_documents():
    verdict = failing()
    verdict.reasons.append("7 documents failed, more than max_documents_failed (5)")
    failure = parse_junit(junit_report(gate_run([verdict]), 1.0, gate_message([verdict]))).find("testcase/failure")
    assert failure.get("message") == "latest sync e-incomplete-1 INCOMPLETE; 7 documents failed, more than max_documents_failed (5)"
    assert failure.get("type") == "sync_gate"
    text = failure.text
    assert "judged sync: e-incomplete-1, status INCOMPLETE\n" in text
    assert "  started: 2024-05-01T11:00:00+00:00\n  ended: 2024-05-01T11:10:00+00:00\n" in text
    assert "  error: InternalError: Crawler stopped\n" in text
    assert "  metrics: documents_added 3, documents_deleted 0, documents_failed 7, documents_modified 0, documents_scanned 90\n" in text
    assert "failed documents (1 listed, more not read):\n  - spaces/ENG/Runbook (FAILED) InvalidRequest: The document exceeds the 50 MB size limit\n" in text


def test_a_read_error_is_an_error_not_a_failure():
    error = parse_junit(junit_report(gate_run([unreadable()]), 1.0, "")).find("testcase/error")
    assert error.get("type") == "read_error" and error.get("message").startswith("could not read its sync history: Failed to list")


def test_a_gate_that_could_not_judge_has_one_error_case_for_the_index():
    run = GateRun(validate_index_selection(dict(application_name="assistant", index_name="mian")), started_at=NOW)
    message = "Q Business sync gate failed: no index named 'mian' in application assistant; its indices: main"
    suite = parse_junit(junit_report(run, 0.4, message))
    (case,) = suite.findall("testcase")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "0", "1")
    assert case.get("name") == "mian" and case.get("classname") == "qbusiness_sync_gate.mian"
    assert case.find("error").get("message") == message and case.find("error").get("type") == "could_not_judge"
    assert properties(suite) == dict(application_name="assistant", index_name="mian")


def test_xml_special_and_control_characters_are_escaped_or_left_out():
    name = "wiki <\"&'> \x00\x1b\x7f\ud800 ünïcödé"
    verdict = failing(
        name=name,
        reason='latest sync FAILED: bad\x01 <tag> & "quotes"\x0b\x0c end',
        documents=[dict(DOCUMENT, document_id="a&b<c>.pdf", error_message="ctrl\x08 msg")],
    )
    text = junit_report(gate_run([verdict]), 1.0, "")
    case = parse_junit(text).find("testcase")
    assert case.get("name") == f"wiki <\"&'> \x7f ünïcödé ({verdict.data_source_id})"
    assert case.find("failure").get("message") == 'latest sync FAILED: bad <tag> & "quotes" end'
    assert "  - a&b<c>.pdf (FAILED) InvalidRequest: ctrl msg\n" in case.find("failure").text
    assert "\x1b" not in text and "<tag>" not in text


@pytest.mark.parametrize(
    "mutation",
    [
        lambda text: text.replace('tests="1"', 'tests="one"', 1),
        lambda text: text.replace(' classname="', ' class="', 1),
        lambda text: text.replace('timestamp="2024-05-01T12:00:00+00:00"', 'timestamp="yesterday"'),
        lambda text: text.replace("<properties>", "<properties><bogus/>"),
    ],
    ids=["count", "classname", "timestamp", "element"],
)
def test_the_schema_rejects_what_the_tools_would(mutation):
    """The schema is no rubber stamp: each of these is refused."""
    text = junit_report(gate_run([failing()]), 1.0, "")
    assert SCHEMA.is_valid(text)
    assert not SCHEMA.is_valid(mutation(text))


def test_markdown_has_the_verdict_a_table_row_per_data_source_and_the_failed_documents():
    verdicts = [passing(), failing(), unreadable()]
    text = markdown_summary(gate_run(verdicts), 2.0, gate_message(verdicts))
    assert text.startswith("## Q Business sync gate: failed — 3 data sources\n\nIndex main (" + INDEX + "), read at 2024-05-01T12:00:00+00:00 in 2.0s.\n")
    lines = text.splitlines()
    assert "| Data source | Verdict | Status | Started | Age | Documents failed | Why |" in lines
    assert f"| handbook ({ds_id(1)}) | ✅ passed | SUCCEEDED | 2024-05-01T08:48:00+00:00 | 3h 12m | 0 |  |" in lines
    assert f"| wiki ({ds_id(2)}) | ❌ failed | INCOMPLETE | 2024-05-01T11:00:00+00:00 | 1h | 7 | latest sync e-incomplete-1 INCOMPLETE |" in lines
    assert f"| {ds_id(3)} | ⚠️ could not read | — | — | — | — | could not read its sync history: Failed to list" in text
    assert f"<details><summary>wiki &#40;{ds_id(2)}&#41;: 1 failed documents</summary>" in lines
    assert "| spaces/ENG/Runbook | FAILED | InvalidRequest | The document exceeds the 50 MB size limit |" in lines
    assert "Left out" not in text
    assert markdown_summary(gate_run([passing()]), 0.5, "").startswith("## Q Business sync gate: passed — 1 data source\n")


def test_markdown_age_is_never_negative():
    """A sync that started after the gate began (during its wait, or on a clock ahead of the controller's)."""
    verdict = Verdict(ds_id(1), job=job("SUCCEEDED", -0.5), ref=INDEX_REF.data_source(ds_id(1), "handbook"))
    row = [line for line in markdown_summary(gate_run([verdict]), 0.5, "").splitlines() if line.startswith("| handbook")]
    assert row == [f"| handbook ({ds_id(1)}) | ✅ passed | SUCCEEDED | 2024-05-01T12:30:00+00:00 | 0s | — |  |"]


def test_markdown_shows_hostile_names_and_messages_as_written_not_as_markup():
    hostile = "[x](https://evil) ![i](https://t/p.png) **b** <b>"
    verdict = failing(name=hostile, reason="latest sync FAILED: " + hostile)
    text = markdown_summary(gate_run([verdict]), 1.0, gate_message([verdict]))
    escaped = "\\[x\\](https:&#47;/evil) \\!\\[i\\](https:&#47;/t/p.png) \\*\\*b\\*\\* &lt;b>"
    assert f"| {escaped} ({ds_id(2)}) | ❌ failed |" in text and f"| latest sync FAILED: {escaped} |" in text
    # The <details> line is HTML (backslashes would show there as written): character references instead.
    assert (
        "<details><summary>&#91;x&#93;&#40;https:&#47;/evil&#41; &#33;&#91;i&#93;&#40;https:&#47;/t/p.png&#41; "
        f"&#42;&#42;b&#42;&#42; &#60;b&#62; &#40;{ds_id(2)}&#41;: 1 failed documents</summary>"
    ) in text.splitlines()
    assert re.search(r"(?<!\\)\]\(", text) is None and "<b>" not in text and "://" not in text  # "](" only as "\]("


def test_markdown_of_a_gate_that_could_not_judge_says_why():
    run = GateRun(validate_index_selection(dict(application_id=APP, index_id=INDEX)), started_at=NOW, index=INDEX_REF)
    text = markdown_summary(run, 0.3, "Q Business sync gate failed: index main (x) has no data sources to gate")
    assert text.startswith(
        f"## Q Business sync gate: could not judge — index main ({INDEX})\n\nQ Business sync gate failed: index main (x) has no data sources"
    )


def test_markdown_stays_under_its_limit_leaving_out_details_then_passing_rows_first():
    """3,000 data sources with long reasons and failed documents: far over 512 KiB in full."""
    long_reason = "latest sync FAILED: " + "the crawler could not reach the site | " * 40
    verdicts = [failing(number, f"failing-{number}", long_reason, [DOCUMENT] * 10) for number in range(2000)]
    verdicts += [passing(number, f"passing-{number}") for number in range(2000, 3000)]
    text = markdown_summary(gate_run(verdicts), 9.0, "")
    size = len(text.encode("utf-8"))
    assert SUMMARY_LIMIT - 2048 < size <= SUMMARY_LIMIT  # cut to fit, not far under
    assert "<details>" not in text
    note = text.rstrip("\n").splitlines()[-1]
    assert note.startswith("_Left out to stay under GitHub's step-summary limit: 2000 of 2000 failed-document lists and ")
    dropped = int(note.split(" lists and ")[1].split(" of ")[0])
    assert "of 3000 rows (1000 of them passed)" in note and dropped > 1000  # every passing row went before any failing one
    assert text.count("| ❌ failed |") == 3000 - dropped and "| ✅ passed |" not in text
    assert f"| failing-0 ({ds_id(0)}) |" in text and f"| failing-{2999 - dropped} (" in text  # the first failing rows stay
    assert f"| failing-{3000 - dropped} (" not in text
    why = [line.split(" | ")[-1] for line in text.splitlines() if line.startswith("| failing-")]
    assert max(len(cell.replace("\\|", "|")) for cell in why) <= 300 + 2  # the cell's cut, and its closing " |"


def test_markdown_leaves_out_only_what_it_must():
    verdicts = [failing(number, f"failing-{number}", documents=[DOCUMENT] * 100) for number in range(60)]
    full = markdown_summary(gate_run(verdicts), 1.0, "", limit=10**9)
    bounded = markdown_summary(gate_run(verdicts), 1.0, "", limit=len(full.encode("utf-8")) - 1000)
    assert "limit: 1 of 60 failed-document lists and 0 of 60 rows (0 of them passed)." in bounded and bounded.count("<details>") == 59


def test_json_is_the_task_result_pretty_sorted_and_ending_with_a_newline():
    verdicts = [passing()]
    result = dict(
        changed=False,
        msg=gate_message(verdicts),
        sync_jobs=[v.as_result() for v in verdicts],
        elapsed=0.7,
        invocation=dict(module_args={}),
        _ansible_no_log=False,
    )
    result["sync_job"] = result["sync_jobs"][0]
    text = json_report(result)
    assert text.endswith("}\n") and text.startswith('{\n  "changed": false,\n  "elapsed": 0.7,\n  "failed": false,\n')
    assert json.loads(text) == dict(changed=False, failed=False, msg=result["msg"], sync_jobs=result["sync_jobs"], sync_job=result["sync_job"], elapsed=0.7)


def test_summary_path_auto_appends_to_github_step_summary_when_it_is_set(tmp_path):
    step_summary = tmp_path / "step_summary.md"
    step_summary.write_text("earlier step\n")
    paths = report_paths(dict(summary_path="auto"), {"GITHUB_STEP_SUMMARY": str(step_summary)})
    assert paths.summary is not None and paths.summary.append and paths.summary.path == str(step_summary)
    for dummy in range(2):
        write_reports(paths, gate_run([passing()]), dict(changed=False, msg="passed"))
    text = step_summary.read_text()
    assert text.startswith("earlier step\n## Q Business sync gate: passed") and text.count("## Q Business sync gate: passed") == 2
    assert report_paths(dict(summary_path="auto"), {}).summary is None
    assert report_paths(dict(summary_path="auto"), {"GITHUB_STEP_SUMMARY": ""}).summary is None


def test_summary_path_auto_checks_the_file_github_names(tmp_path):
    with pytest.raises(OptionError, match=r"^summary_path \(auto: \$GITHUB_STEP_SUMMARY\): cannot write .*/missing/summary.md: its directory"):
        report_paths(dict(summary_path="auto"), {"GITHUB_STEP_SUMMARY": str(tmp_path / "missing" / "summary.md")})


@pytest.mark.parametrize(
    "params, environ, first, second",
    [
        (dict(junit_path="gate.xml", json_path="./gate.xml"), {}, "junit_path", "json_path"),
        (dict(junit_path="gate.xml", summary_path="sub/../gate.xml"), {}, "junit_path", "summary_path"),
        (dict(summary_path="gate.md", json_path="link.md"), {}, "summary_path", "json_path"),
        (dict(junit_path="step.md", summary_path="auto"), {"GITHUB_STEP_SUMMARY": "step.md"}, "junit_path", "summary_path (auto: $GITHUB_STEP_SUMMARY)"),
    ],
)
def test_two_reports_in_one_file_are_refused_naming_both_options(tmp_path, monkeypatch, params, environ, first, second):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.md").symlink_to(tmp_path / "gate.md")
    with pytest.raises(OptionError) as err:
        validate_gate_options(dict(params, application_id=APP, index_id=INDEX), environ)
    assert err.value.message.startswith(f"{first} and {second} name the same file {tmp_path}/")
    assert err.value.message.endswith(": give each report its own path")
    assert report_paths(dict(junit_path="gate.xml", summary_path="gate.md", json_path="gate.json"), {}).json is not None


def test_every_report_is_written_whether_the_gate_passes_or_fails(tmp_path):
    verdicts = [passing(), failing()]
    paths = report_paths(dict(junit_path=str(tmp_path / "gate.xml"), summary_path=str(tmp_path / "gate.md"), json_path=str(tmp_path / "gate.json")), {})
    (tmp_path / "gate.md").write_text("yesterday's summary\n")
    result = dict(changed=False, failed=True, msg=gate_message(verdicts), sync_jobs=[v.as_result() for v in verdicts], elapsed=1.25)
    assert write_reports(paths, gate_run(verdicts), result) is result and result["msg"] == gate_message(verdicts)
    assert parse_junit((tmp_path / "gate.xml").read_text()).get("time") == "1.250"
    assert (tmp_path / "gate.md").read_text().startswith("## Q Business sync gate: failed")  # overwritten, not appended
    assert json.loads((tmp_path / "gate.json").read_text())["sync_jobs"] == result["sync_jobs"]
    assert sorted(os.listdir(tmp_path)) == ["gate.json", "gate.md", "gate.xml"]


def test_a_report_that_cannot_be_written_fails_the_task_after_the_gate_s_message(tmp_path, monkeypatch):
    """No emulator can make a write fail after the path was checked; a mocked os.replace does."""
    junit = str(tmp_path / "gate.xml")
    real_replace = os.replace

    def replace(source, destination):
        if destination == junit:
            raise PermissionError(13, "Permission denied")
        real_replace(source, destination)

    monkeypatch.setattr(files.os, "replace", replace)
    paths = report_paths(dict(junit_path=junit, json_path=str(tmp_path / "gate.json")), {})
    result = dict(changed=False, msg="Q Business sync gate passed for 1 data source(s): handbook", sync_jobs=[passing().as_result()], elapsed=0.2)
    write_reports(paths, gate_run([passing()]), result)
    expected = f"Q Business sync gate passed for 1 data source(s): handbook; could not write junit_path {junit}: Permission denied"
    assert result["failed"] is True and result["msg"] == expected
    # The JSON report, written last, is the failed task's result; no temporary file is left behind.
    assert json.loads((tmp_path / "gate.json").read_text())["msg"] == expected
    assert os.listdir(tmp_path) == ["gate.json"]
