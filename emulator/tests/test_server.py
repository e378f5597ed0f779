# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP server (server.py): shutdown on a signal is safe whenever the signal arrives."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import EMULATOR_DIR
from qbusiness_emulator.server import EmulatorServer

# Runs in a child process, which the signals are sent to. Each round: install the stop handlers, start a
# server, load it from a thread, send SIGTERM from a timer thread at a random moment, and require
# StopSignals.wait() to return it. A handler that takes a lock the main thread may hold (the old
# threading.Event one) hangs a round sooner or later; the parent's timeout turns that into a failure.
SHUTDOWN_ROUNDS = r"""
import http.client, os, random, signal, sys, threading, urllib.request

from qbusiness_emulator.requestlog import REQUEST_LOG
from qbusiness_emulator.server import EmulatorServer, StopSignals

# An unsigned request with a credential scope: moto routes it to qbusiness (ListApplications).
SCOPE = {"Authorization": "AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/qbusiness/aws4_request, SignedHeaders=host, Signature=0"}


def load(url: str, done: threading.Event) -> None:
    while not done.is_set():
        for path in ("/_emulator/health", "/applications"):
            try:
                with urllib.request.urlopen(urllib.request.Request(url + path, headers=SCOPE), timeout=2) as answer:
                    answer.read()
            except (OSError, http.client.HTTPException):
                pass  # the server stopping under the request


rng = random.Random(int(sys.argv[1]))
rounds = int(sys.argv[2])
for i in range(rounds):
    with StopSignals() as stop:
        server = EmulatorServer().start()
        done = threading.Event()
        loader = threading.Thread(target=load, args=(server.endpoint_url, done), daemon=True)
        loader.start()
        threading.Timer(rng.uniform(0, 0.05), os.kill, (os.getpid(), signal.SIGTERM)).start()
        received = stop.wait(timeout=20)
        # Stopped while the loader still sends: serve_forever notices the shutdown within its poll interval.
        server.stop()
        done.set()
        loader.join()
    if received != signal.SIGTERM:
        sys.exit(f"round {i}: wait() returned {received!r}")
print(f"rounds={rounds} requests={len(REQUEST_LOG.entries())}")
"""


def test_shutdown_survives_a_signal_at_any_moment_under_load() -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(EMULATOR_DIR)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    result = subprocess.run([sys.executable, "-c", SHUTDOWN_ROUNDS, "20250301", "200"], capture_output=True, text=True, env=env, timeout=90)
    assert result.returncode == 0, result.stderr
    rounds, requests = (int(part.split("=")[1]) for part in result.stdout.split())
    assert rounds == 200 and requests > 0, result.stdout


def test_the_server_warns_on_stderr_whenever_it_binds_a_non_loopback_address(capsys: pytest.CaptureFixture[str]) -> None:
    with EmulatorServer("0.0.0.0", 0, allow_remote=True) as server:
        warned = capsys.readouterr().err
        assert f"WARNING: listening on the non-loopback address 0.0.0.0 (http://0.0.0.0:{server.port})" in warned
        assert "checks no signature and accepts any credentials" in warned
    with EmulatorServer("127.0.0.1", 0):
        assert capsys.readouterr().err == ""
