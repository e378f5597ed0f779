# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The CLI: python -m qbusiness_emulator as a subprocess (the demo scenario, refusals, stopping on SIGTERM), its id listing."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import boto3
import moto
import pytest

from conftest import EMULATOR_DIR
from qbusiness_emulator import control
from qbusiness_emulator import server as cli

DEMO = EMULATOR_DIR / "scenarios" / "demo.json"
APP, INDEX = "a0000000-0000-4000-8000-000000000001", "b0000000-0000-4000-8000-000000000001"
HANDBOOK, WIKI, TICKETS = (f"c0000000-0000-4000-8000-00000000000{i}" for i in (1, 2, 3))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(EMULATOR_DIR)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return int(path.read_text().strip())
        if proc.poll() is not None:
            raise AssertionError(f"emulator exited early with {proc.returncode}: {proc.communicate()}")
        time.sleep(0.05)
    raise AssertionError("port file never appeared")


def test_cli_serves_demo_and_stops_on_sigterm(tmp_path: Path) -> None:
    port_file = tmp_path / "port"
    proc = subprocess.Popen(
        [sys.executable, "-m", "qbusiness_emulator", "--port", "0", "--port-file", str(port_file), "--scenario", str(DEMO), "--log-requests"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=tmp_path,
    )
    try:
        port = _wait_for(port_file, proc)
        endpoint = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(endpoint + "/_emulator/health", timeout=5) as answer:
            assert json.loads(answer.read()) == {"status": "ok"}
        c = boto3.client("qbusiness", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing")
        kw = {"applicationId": APP, "indexId": INDEX}
        assert [d["dataSourceId"] for d in c.list_data_sources(**kw)["dataSources"]] == [HANDBOOK, WIKI, TICKETS]
        pages = c.get_paginator("list_data_source_sync_jobs")
        handbook = [j for p in pages.paginate(**kw, dataSourceId=HANDBOOK) for j in p["history"]]
        assert len(handbook) == 12 and handbook[0]["status"] == "SUCCEEDED"
        wiki = c.list_data_source_sync_jobs(**kw, dataSourceId=WIKI)["history"]
        assert (wiki[0]["status"], wiki[0]["dataSourceErrorCode"]) == ("FAILED", "AUTH_FAILED")
        assert [j["status"] for j in c.list_data_source_sync_jobs(**kw, dataSourceId=TICKETS)["history"]] == ["SUCCEEDED"] * 3
        handbook_source = c.get_data_source(**kw, dataSourceId=HANDBOOK)
        assert (handbook_source["status"], handbook_source["syncSchedule"]) == ("ACTIVE", "cron(0 * * * ? *)")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert f"qbusiness emulator listening on http://127.0.0.1:{port}" in out
    assert f"data source handbook-s3: {HANDBOOK} (12 seeded jobs)\n" in out and "wiki-confluence" in out
    assert "ListDataSourceSyncJobs us-east-1 200" in out  # --log-requests
    assert not port_file.exists()


def test_cli_names_a_data_source_status_that_is_not_active(capsys: pytest.CaptureFixture[str]) -> None:
    """The id listing printed at start (server._print_ids, fed load_scenario's answer) names a status other than ACTIVE."""
    with moto.mock_aws():
        control.reset()
        loaded = control.load_scenario(
            {
                "applications": [
                    {
                        "name": "a",
                        "indices": [
                            {
                                "name": "i",
                                "data_sources": [
                                    {"name": "broken", "data_source_id": HANDBOOK, "status": "FAILED", "generate_documents": {"count": 3}},
                                    {"name": "fine", "data_source_id": WIKI},
                                ],
                            }
                        ],
                    }
                ]
            }
        )
        cli._print_ids(loaded)
    control.reset()
    out = capsys.readouterr().out
    assert f"data source broken: {HANDBOOK} (0 seeded jobs, 3 documents, status FAILED)\n" in out
    assert f"data source fine: {WIKI} (0 seeded jobs)\n" in out


def test_cli_refuses_remote_host(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "qbusiness_emulator", "--host", "0.0.0.0", "--port", "0"], capture_output=True, text=True, env=_env(), cwd=tmp_path, timeout=30
    )
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr


def test_cli_warns_on_stderr_when_it_binds_a_non_loopback_address(tmp_path: Path) -> None:
    port_file = tmp_path / "port"
    proc = subprocess.Popen(
        [sys.executable, "-m", "qbusiness_emulator", "--host", "0.0.0.0", "--allow-remote", "--port", "0", "--port-file", str(port_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=tmp_path,
    )
    try:
        port = _wait_for(port_file, proc)
        # The warning is printed before the "listening" line, so it is on stderr once the port file is there.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_emulator/health", timeout=5) as answer:
            assert json.loads(answer.read()) == {"status": "ok"}
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, (out, err)
    assert "WARNING: listening on the non-loopback address 0.0.0.0" in err
    assert "checks no signature and accepts any credentials" in err
    assert "/_emulator/" in err
    assert "listening on http://0.0.0.0:" in out


def test_cli_prints_no_warning_on_loopback(tmp_path: Path) -> None:
    port_file = tmp_path / "port"
    proc = subprocess.Popen(
        [sys.executable, "-m", "qbusiness_emulator", "--port", "0", "--port-file", str(port_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=tmp_path,
    )
    try:
        _wait_for(port_file, proc)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert "WARNING" not in err


def test_cli_rejects_bad_scenario(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"applications": [{"name": "x", "typo": 1}]}))
    result = subprocess.run(
        [sys.executable, "-m", "qbusiness_emulator", "--port", "0", "--scenario", str(bad)],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=tmp_path,
        timeout=30,
    )
    assert result.returncode == 2
    assert "'typo'" in result.stderr


def test_cli_sets_behaviours_after_the_scenario(tmp_path: Path) -> None:
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"behaviours": {"stop_without_sync": "ok", "time_filter_field": "end_time"}, "applications": []}))
    port_file = tmp_path / "port"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "qbusiness_emulator",
            "--port",
            "0",
            "--port-file",
            str(port_file),
            "--scenario",
            str(scenario),
            "--behaviour",
            "tokens_bound_to_request=true",
            "--behaviour",
            "token_ttl_seconds=2.5",
            "--behaviour",
            "time_filter_field=start_time",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=tmp_path,
    )
    try:
        port = _wait_for(port_file, proc)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_emulator/behaviours", timeout=5) as answer:
            behaviours = json.loads(answer.read())
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=15)
    # JSON values (true, 2.5), a bare string (start_time, which wins over the scenario's end_time), the scenario's own key.
    assert {k: behaviours[k] for k in ("tokens_bound_to_request", "token_ttl_seconds", "time_filter_field", "stop_without_sync")} == {
        "tokens_bound_to_request": True,
        "token_ttl_seconds": 2.5,
        "time_filter_field": "start_time",
        "stop_without_sync": "ok",
    }


def test_cli_rejects_bad_behaviours(tmp_path: Path) -> None:
    for arg, fragment in (("bogus=1", "'bogus'"), ("listing_delay_seconds=-2", "listing_delay_seconds"), ("no-equals", "KEY=VALUE")):
        result = subprocess.run(
            [sys.executable, "-m", "qbusiness_emulator", "--port", "0", "--behaviour", arg],
            capture_output=True,
            text=True,
            env=_env(),
            cwd=tmp_path,
            timeout=30,
        )
        assert result.returncode == 2 and fragment in result.stderr, (arg, result.stderr)


def test_cli_stops_on_sigterm_under_load(tmp_path: Path) -> None:
    """Six real processes, each stopped by SIGTERM while a client is sending requests; none may hang."""
    for round_number in range(6):
        port_file = tmp_path / f"port{round_number}"
        proc = subprocess.Popen(
            [sys.executable, "-m", "qbusiness_emulator", "--port", "0", "--port-file", str(port_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            cwd=tmp_path,
        )
        done = threading.Event()
        loader: threading.Thread | None = None
        try:
            endpoint = f"http://127.0.0.1:{_wait_for(port_file, proc)}"

            def load(url: str = endpoint, done: threading.Event = done) -> None:
                while not done.is_set():
                    try:
                        with urllib.request.urlopen(url + "/_emulator/health", timeout=2) as answer:
                            answer.read()
                    except (OSError, http.client.HTTPException):
                        pass  # the server going away under the request

            loader = threading.Thread(target=load, daemon=True)
            loader.start()
            time.sleep(0.01 * round_number)
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=15)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
            done.set()
            if loader is not None:
                loader.join(timeout=5)
        assert proc.returncode == 0, (round_number, err)
        assert "qbusiness emulator stopped" in out
        assert not port_file.exists()
