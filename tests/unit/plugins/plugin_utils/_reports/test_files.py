# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Report paths, checked before any request, and report files written whole or appended."""

from __future__ import annotations

import os
import stat
import tempfile

import pytest

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.files import ReportError
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.files import check_report_path
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.files import write_report

NOBODY = 65534


def _check(value):
    """check_report_path's message for ``value``, or None when it accepts it."""
    try:
        check_report_path("junit_path", value)
    except OptionError as e:
        return e.message
    return None


def _unprivileged(function):
    """``function()``'s text, run in a child process as nobody: the tests run as root here, and root may write
    anywhere whatever the modes say (os.access agrees), so a read-only file is only read-only to someone else."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.close(read)
            if os.geteuid() == 0:
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            os.write(write, str(function()).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as stream:
        text = stream.read()
    dummy, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
    return text


@pytest.fixture(name="shared_dir")
def shared_dir_fixture():
    """A directory anyone can enter (pytest's tmp_path is root's alone)."""
    path = tempfile.mkdtemp(prefix="qbusiness-reports-")
    os.chmod(path, 0o755)
    yield path
    for root, dirs, names in os.walk(path, topdown=False):
        for name in names:
            os.unlink(os.path.join(root, name))
        for name in dirs:
            os.rmdir(os.path.join(root, name))
    os.rmdir(path)


def test_a_writable_path_is_returned_absolute_and_unset_is_none(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert check_report_path("junit_path", "gate.xml") == str(tmp_path / "gate.xml")
    assert check_report_path("junit_path", None) is None


@pytest.mark.parametrize("value", ["", "  ", 5, ["a"]])
def test_a_value_that_is_no_path_is_refused(value):
    assert _check(value).startswith("junit_path must be the path of a file to write; got ")


def test_a_missing_directory(tmp_path):
    expected = f"junit_path: cannot write {tmp_path}/missing/gate.xml: its directory {tmp_path}/missing does not exist"
    assert _check(str(tmp_path / "missing" / "gate.xml")) == expected


def test_a_directory(tmp_path):
    assert _check(str(tmp_path)) == f"junit_path: cannot write {tmp_path}: it is a directory"


@pytest.mark.parametrize("under", ["file", "file/deeper"])
def test_a_path_under_a_file_fails_for_root_too(tmp_path, under):
    (tmp_path / "file").write_text("", encoding="utf-8")  # only a file of the test's own
    parent = str(tmp_path / under)
    assert _check(f"{parent}/x") == f"junit_path: cannot write {parent}/x: its directory {parent} does not exist"


def test_a_nul_byte_is_refused_before_any_request_and_never_a_traceback(tmp_path):
    assert _check("gate\x00.xml") == "junit_path must be the path of a file to write; got 'gate\\x00.xml' (a NUL byte)"
    with pytest.raises(ReportError) as err:  # not ValueError: a path that was not checked still fails as a report error
        write_report("json_path", f"{tmp_path}/gate\x00.json", "{}")
    assert str(err.value).startswith(f"could not write json_path '{tmp_path}/gate\\x00.json': ")
    assert os.listdir(tmp_path) == []


def test_a_read_only_directory_and_file(shared_dir):
    read_only_dir = os.path.join(shared_dir, "read-only")
    os.mkdir(read_only_dir, 0o555)
    os.chmod(read_only_dir, 0o555)
    read_only_file = os.path.join(shared_dir, "gate.xml")
    with open(read_only_file, "w", encoding="utf-8"):
        pass
    os.chmod(read_only_file, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    os.chmod(shared_dir, 0o777)  # the file's directory is writable: only the file is not
    try:
        assert _unprivileged(lambda: _check(os.path.join(read_only_dir, "gate.xml"))) == f"junit_path: cannot write {read_only_dir}/gate.xml: permission denied"
        assert _unprivileged(lambda: _check(read_only_file)) == f"junit_path: cannot write {read_only_file}: permission denied"
        assert _unprivileged(lambda: _check(os.path.join(shared_dir, "new.xml"))) == "None"
    finally:
        os.chmod(shared_dir, 0o755)
        os.chmod(read_only_dir, 0o755)


def test_write_replaces_the_file_whole_or_appends(tmp_path):
    path = str(tmp_path / "summary.md")
    write_report("summary_path", path, "first\n")
    write_report("summary_path", path, "second\n")
    assert open(path, encoding="utf-8").read() == "second\n"
    write_report("summary_path", path, "third\n", append=True)
    assert open(path, encoding="utf-8").read() == "second\nthird\n"
    assert os.listdir(tmp_path) == ["summary.md"]  # no temporary file left


def test_a_lone_surrogate_does_not_lose_the_report(tmp_path):
    path = str(tmp_path / "summary.md")
    write_report("summary_path", path, "name \ud800 end\n")
    write_report("summary_path", path, "more \udfff\n", append=True)
    assert open(path, encoding="utf-8").read() == "name ? end\nmore ?\n"


def test_a_write_that_fails_names_the_option_the_path_and_the_reason(tmp_path):
    path = str(tmp_path / "gone" / "gate.xml")  # its directory removed after the check
    with pytest.raises(ReportError) as err:
        write_report("junit_path", path, "<testsuites/>")
    assert str(err.value) == f"could not write junit_path {path}: No such file or directory"
