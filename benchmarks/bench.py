# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""qbusiness.ops performance benchmark (issue "Performance"); run it with benchmarks/run, not directly.

For each history size (100, 1,000, 10,000 jobs), one emulator process is started on 127.0.0.1 (port 0)
and seeded through its HTTP control API with one index of 20 data sources, each holding that many hourly
sync jobs (newest 10 minutes old), plus an empty data source in a second index (a probe of the
emulator's fixed per-request cost). Then, round-robin, N times each:

  boto3     a bare boto3 paginator loop in a fresh interpreter (the floor)
  awscli    `aws qbusiness list-data-source-sync-jobs` (AWS CLI v1, its own venv)
  empty     ansible-playbook with an empty play (the fixed cost subtracted from the plays below)
  ping      a play with one ansible.builtin.ping task (the fixed cost of any module task; for attribution)
  module    qbusiness.ops.qbusiness_sync_job_info in a play
  lookup    lookup('qbusiness.ops.qbusiness_sync_job') in a debug task
  gate1     qbusiness.ops.qbusiness_sync_gate, max_age 90m, one data source
  gate20    the same gate over the index's 20 data sources (found with ListDataSources)

Each run is a child process timed from spawn to os.wait4 (wall), whose rusage gives its peak RSS; the
module process's own peak RSS comes from the interpreter wrapper lib/timed-python (GNU time). The
emulator's request log is cleared before and read after every run, and the emulator's CPU time
(/proc/<pid>/stat) is read around it. Results: results/latest.json. This script never asserts a target:
it exits non-zero only when something errors (a run fails, or reads a wrong number of jobs).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LIB = HERE / "lib"
PLAYBOOKS = HERE / "playbooks"
VENV_PY = ROOT / ".venv" / "bin" / "python"
ANSIBLE_PLAYBOOK = ROOT / ".venv" / "bin" / "ansible-playbook"
AWS_CLI = HERE / ".venv-awscli" / "bin" / "aws"
STAGE = HERE / ".build" / "collections"

APPROACHES = ("boto3", "awscli", "empty", "ping", "module", "lookup", "gate1", "gate20")
PLAY_APPROACHES = ("empty", "ping", "module", "lookup", "gate1", "gate20")
GATE_APPROACHES = ("gate1", "gate20")
DATA_SOURCES = 20
STATUS_CYCLE = ["SUCCEEDED", "SUCCEEDED", "INCOMPLETE", "SUCCEEDED", "FAILED"]  # newest first: the newest passes the gate
GATE_MAX_AGE = "90m"
RUN_TIMEOUT = 900  # seconds; one run of anything (a 10,000-job listing takes ~40 s here)
CLK_TCK = os.sysconf("SC_CLK_TCK")

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIABENCH00000000000",
    "AWS_SECRET_ACCESS_KEY": "benchmark-secret-key-not-a-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class BenchError(RuntimeError):
    """Something went wrong: the benchmark stops and exits non-zero."""


# ---------------------------------------------------------------------------------------------------------
# The environment every measured process gets


def base_env(workdir: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANSIBLE_", "BOTO_")) and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    env.update(FAKE_CREDENTIALS)
    env.update(
        AWS_CONFIG_FILE=str(workdir / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(workdir / "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        ANSIBLE_CONFIG=str(workdir / "ansible.cfg"),
        ANSIBLE_COLLECTIONS_PATH=str(STAGE),
        ANSIBLE_LOCALHOST_WARNING="False",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
        ANSIBLE_RETRY_FILES_ENABLED="False",
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_LOCAL_TEMP=str(workdir / "ansible-local-tmp"),
        ANSIBLE_REMOTE_TEMP=str(workdir / "ansible-remote-tmp"),
        QB_BENCH_PYTHON=str(VENV_PY),
        PYTHONUNBUFFERED="1",
    )
    return env


# ---------------------------------------------------------------------------------------------------------
# Other work on the machine (a 2-core machine shared with other people's test runs)


def machine_busy_seconds() -> float:
    """CPU seconds spent by everything on the machine so far (all CPUs, non-idle), from /proc/stat."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, idle, iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLK_TCK


def self_cpu_seconds() -> float:
    usage = os.times()
    return usage.user + usage.system


def wait_for_quiet(max_wait: float, emulator: Emulator | None = None, threshold_cores: float = 0.25) -> dict[str, float]:
    """Wait (at most ``max_wait`` seconds, in 1-second samples) until other processes use less than
    ``threshold_cores`` CPUs; returns how long it waited and what the last sample saw."""
    waited, seen = 0.0, 0.0
    while True:
        busy0, self0 = machine_busy_seconds(), self_cpu_seconds()
        emu0 = emulator.cpu_seconds() if emulator else 0.0
        time.sleep(1.0)
        busy = machine_busy_seconds() - busy0 - (self_cpu_seconds() - self0) - ((emulator.cpu_seconds() - emu0) if emulator else 0.0)
        waited += 1.0
        seen = max(busy, 0.0)
        if seen < threshold_cores or waited >= max_wait:
            return {"waited": waited, "other_cores": round(seen, 2)}


# ---------------------------------------------------------------------------------------------------------
# The emulator


class Emulator:
    """One emulator process (python -m qbusiness_emulator --port 0 --port-file F) and its control API."""

    def __init__(self, workdir: Path, tag: str, gc_tuned: bool = False, extra_args: tuple[str, ...] = ()) -> None:
        self.gc_tuned = gc_tuned
        self.extra_args = extra_args  # more command-line options (inventory.py: --log-requests)
        self.port_file = workdir / f"emulator-{tag}.port"
        self.log_path = workdir / f"emulator-{tag}.log"
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> Emulator:
        self.port_file.unlink(missing_ok=True)
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen(
                [str(VENV_PY)]
                + ([str(LIB / "emulator_gc_tuned.py")] if self.gc_tuned else ["-m", "qbusiness_emulator"])
                + ["--host", "127.0.0.1", "--port", "0", "--port-file", str(self.port_file), *self.extra_args],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=str(ROOT),
                start_new_session=True,
            )
        for _ in range(300):  # 30 s at most
            if self.port_file.exists() and self.port_file.read_text().strip():
                break
            if self.proc.poll() is not None:
                raise BenchError(f"the emulator did not start:\n{self.log_path.read_text()}")
            time.sleep(0.1)
        else:
            raise BenchError("the emulator did not start within 30 s")
        self.url = f"http://127.0.0.1:{int(self.port_file.read_text().strip())}"
        return self

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)

    def ctl(self, method: str, route: str, body: Any = None, timeout: float = 300) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}/_emulator/{route}", data=data, method=method, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return json.loads(answer.read())

    def cpu_seconds(self) -> float:
        """User + system CPU of the emulator process (all its threads, dead ones included), 1/CLK_TCK s steps."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def peak_rss_kib(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0

    def request_counts(self) -> dict[str, int]:
        entries = self.ctl("GET", "requests")["requests"]
        counts: dict[str, int] = {"total": len(entries), "errors": 0}
        for entry in entries:
            counts[entry["operation"]] = counts.get(entry["operation"], 0) + 1
            if entry.get("status_code") != 200 or entry.get("fault"):
                counts["errors"] += 1
        return counts


def history_spec(size: int) -> dict[str, Any]:
    return {"count": size, "status": STATUS_CYCLE, "interval_seconds": 3600, "newest_start_time": "now-600"}


def scenario(size: int) -> dict[str, Any]:
    """The first data source of index main with its history; the other 19 are seeded later (measure_size)."""
    return {
        "region": "us-east-1",
        "applications": [
            {
                "name": "bench-assistant",
                "indices": [
                    {
                        "name": "main",
                        "data_sources": [{"name": "bench-ds-00", "generate_history": history_spec(size)}]
                        + [{"name": f"bench-ds-{i:02d}"} for i in range(1, DATA_SOURCES)],
                    },
                    {"name": "probe", "data_sources": [{"name": "probe-empty"}]},
                ],
            }
        ],
    }


# ---------------------------------------------------------------------------------------------------------
# Running one measured process


def launcher(rusage_file: Path) -> list[str]:
    """A small process that forks the measured command and reports its rusage (os.wait4) to ``rusage_file``.

    Not this script itself: Linux counts in a child's ru_maxrss the RSS of the process that forked it, up
    to the exec (exec_mmap() keeps the old mm's high-water mark), so a child forked from this ~60 MiB
    process would never report less than 60 MiB. GNU time is ~2 MiB; the fallback wrapper ~10 MiB.
    """
    if os.access("/usr/bin/time", os.X_OK):
        return ["/usr/bin/time", "-o", str(rusage_file), "-f", "%M %e %U %S"]
    return [str(VENV_PY), "-S", str(LIB / "rss_wrap.py"), str(rusage_file)]


def read_rusage(path: Path) -> list[dict[str, Any]]:
    """The "<maxrss KiB> <elapsed> <user> <sys>" lines of GNU time or lib/rss_wrap.py."""
    found = []
    for line in path.read_text().splitlines() if path.exists() else []:
        fields = line.split()
        if len(fields) == 4 and fields[0].isdigit():
            found.append({"maxrss_kib": int(fields[0]), "elapsed": float(fields[1]), "utime": float(fields[2]), "stime": float(fields[3])})
    return found


def run_measured(cmd: list[str], env: dict[str, str], workdir: Path, tag: str, timeout: float = RUN_TIMEOUT) -> dict[str, Any]:
    """Run ``cmd`` under the launcher: wall time (spawn to reaped, this process's clock), exit code, and the
    command's rusage from the launcher's os.wait4 (its peak RSS, or that of the largest of its waited-for
    descendants; the CPU of the whole tree)."""
    out_path, err_path, rusage_path = workdir / f"{tag}.out", workdir / f"{tag}.err", workdir / f"{tag}.rusage"
    rusage_path.unlink(missing_ok=True)
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            launcher(rusage_path) + cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=str(workdir), start_new_session=True
        )
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        watchdog = threading.Timer(timeout, kill)
        watchdog.start()
        try:
            dummy, status, dummy_usage = os.wait4(proc.pid, 0)
        finally:
            watchdog.cancel()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    measured = read_rusage(rusage_path)
    if timed_out.is_set():
        raise BenchError(f"{tag}: still running after {timeout} s, killed")
    if len(measured) != 1:
        raise BenchError(f"{tag}: no rusage from the launcher (exit code {proc.returncode}): {err_path.read_text(errors='replace')[-2000:]}")
    result = {
        "wall": wall,
        "rc": proc.returncode,
        "maxrss_kib": measured[0]["maxrss_kib"],
        "utime": measured[0]["utime"],
        "stime": measured[0]["stime"],
        "stdout": out_path.read_text(errors="replace"),
        "stderr": err_path.read_text(errors="replace"),
    }
    return result


# ---------------------------------------------------------------------------------------------------------
# The approaches


class Runner:
    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = env
        self.vars_file = workdir / "vars.json"

    def set_target(self, emulator: Emulator, ids: dict[str, Any]) -> None:
        self.emulator = emulator
        self.ids = ids
        self.vars_file.write_text(
            json.dumps(
                {
                    "qb_endpoint": emulator.url,
                    "qb_application_id": ids["application_id"],
                    "qb_index_id": ids["index_id"],
                    "qb_data_source_id": ids["data_source_id"],
                    "qb_max_age": GATE_MAX_AGE,
                    "ansible_python_interpreter": str(LIB / "timed-python"),
                }
            )
        )

    def command(self, approach: str) -> list[str]:
        if approach == "boto3":
            return [str(VENV_PY), str(LIB / "boto3_loop.py"), self.emulator.url, self.ids["application_id"], self.ids["index_id"], self.ids["data_source_id"]]
        if approach == "awscli":
            return [
                str(AWS_CLI),
                "qbusiness",
                "list-data-source-sync-jobs",
                "--application-id",
                self.ids["application_id"],
                "--index-id",
                self.ids["index_id"],
                "--data-source-id",
                self.ids["data_source_id"],
                "--endpoint-url",
                self.emulator.url,
                "--region",
                "us-east-1",
                "--query",
                "length(history)",
                "--output",
                "json",
            ]
        return [str(ANSIBLE_PLAYBOOK), "-i", "localhost,", "-c", "local", "-e", f"@{self.vars_file}", str(PLAYBOOKS / f"{approach}.yml")]

    def run(self, approach: str, size: int, tag: str) -> dict[str, Any]:
        env = dict(self.env)
        rss_file = self.workdir / f"{tag}.module-rss"
        rss_file.unlink(missing_ok=True)
        if approach in PLAY_APPROACHES:
            env["QB_BENCH_RSS_FILE"] = str(rss_file)
        self.emulator.ctl("DELETE", "requests")
        cpu_before, busy_before, self_before = self.emulator.cpu_seconds(), machine_busy_seconds(), self_cpu_seconds()
        result = run_measured(self.command(approach), env, self.workdir, tag)
        cpu_after, busy_after, self_after = self.emulator.cpu_seconds(), machine_busy_seconds(), self_cpu_seconds()
        result["requests"] = self.emulator.request_counts()
        result["emulator_cpu"] = round(cpu_after - cpu_before, 3)
        # CPU that neither the measured process tree, nor the emulator, nor this script used: other people's work.
        result["other_cpu"] = round(
            max(0.0, (busy_after - busy_before) - (cpu_after - cpu_before) - (self_after - self_before) - (result["utime"] + result["stime"])), 3
        )
        if rss_file.exists():
            result["module_processes"] = read_rusage(rss_file)
        self.check(approach, size, tag, result)
        if approach == "boto3":
            result["boto3"] = json.loads(result["stdout"].strip().splitlines()[-1])
        for noisy in ("stdout", "stderr"):
            result[noisy] = result[noisy][-2000:] if result["rc"] != 0 else ""
        return result

    def check(self, approach: str, size: int, tag: str, result: dict[str, Any]) -> None:
        """Every run must have worked and read what it should: else the benchmark errors."""
        where = f"{tag} ({approach}, {size} jobs)"
        if result["rc"] != 0:
            raise BenchError(f"{where}: exit code {result['rc']}\nstdout: {result['stdout'][-3000:]}\nstderr: {result['stderr'][-3000:]}")
        requests = result["requests"]
        if requests["errors"]:
            raise BenchError(f"{where}: {requests['errors']} requests were answered with an error: {requests}")
        pages = max(1, math.ceil(size / 10))
        # The lookup lists the last day first (list_recent_jobs): hourly syncs, the newest 10 minutes old, are 24 jobs.
        last_day_pages = max(1, math.ceil(min(size, 24) / 10))
        listings = requests.get("ListDataSourceSyncJobs", 0)
        if approach in ("boto3", "awscli", "module") and listings != pages:
            raise BenchError(f"{where}: {listings} ListDataSourceSyncJobs requests, expected {pages} (all pages): {requests}")
        if approach == "lookup" and listings != last_day_pages:
            raise BenchError(f"{where}: {listings} ListDataSourceSyncJobs requests, expected {last_day_pages} (the last day's pages): {requests}")
        if approach == "boto3":
            count = json.loads(result["stdout"].strip().splitlines()[-1])["count"]
            if count != size:
                raise BenchError(f"{where}: the boto3 loop read {count} jobs, expected {size}")
        if approach == "awscli" and result["stdout"].strip() != str(size):
            raise BenchError(f"{where}: the AWS CLI counted {result['stdout'].strip()!r} jobs, expected {size}")
        if approach == "lookup" and f"LATEST={self.ids['newest_execution_id']}" not in result["stdout"]:
            raise BenchError(f"{where}: the lookup did not return the newest job {self.ids['newest_execution_id']}:\n{result['stdout'][-2000:]}")
        # A gate that fails fails its play (rc above); each data source must have been read at least once.
        if approach in ("gate1", "gate20") and listings < (1 if approach == "gate1" else DATA_SOURCES):
            raise BenchError(f"{where}: the gate read too few data sources: {requests}")
        if approach in ("module", "ping") and len(result.get("module_processes", [])) != 1:
            raise BenchError(f"{where}: expected one module process measured by lib/timed-python, got {result.get('module_processes')}")


def other_load(result: dict[str, Any]) -> float:
    """Other processes' CPU during a run, as a share of the machine's CPUs over the run's wall time."""
    return result.get("other_cpu", 0.0) / (result["wall"] * (os.cpu_count() or 1))


def measure_with_retries(runner: Runner, approach: str, size: int, tag: str, args: argparse.Namespace, emulator: Emulator) -> dict[str, Any]:
    """One measured run; a run during which other processes used more than --busy-limit of the machine is
    measured again (at most --retries times, only runs shorter than --retry-below seconds, after waiting a
    little for quiet), and the least disturbed attempt is kept. The attempts are recorded."""
    best: dict[str, Any] | None = None
    attempts: list[float] = []
    for attempt in range(1 + args.retries):
        result = runner.run(approach, size, f"{tag}-a{attempt}")
        load = other_load(result)
        attempts.append(round(load, 3))
        if best is None or load < other_load(best):
            best = result
        if load <= args.busy_limit or result["wall"] >= args.retry_below or attempt == args.retries:
            break
        wait_for_quiet(10, emulator)
    assert best is not None
    best["other_load_attempts"] = attempts
    return best


# ---------------------------------------------------------------------------------------------------------
# Emulator probe: its own per-request cost, fixed and per history size


def probe_emulator(emulator: Emulator, ids: dict[str, Any], size: int) -> dict[str, Any]:
    """Single-page ListDataSourceSyncJobs requests from this process, against the empty data source and
    against the seeded one: the emulator's CPU per request (from /proc) and the round trip."""
    sys.path.insert(0, str(LIB))
    import boto3  # the dev venv's boto3; this script runs in it

    client = boto3.client(
        "qbusiness",
        region_name="us-east-1",
        endpoint_url=emulator.url,
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    out: dict[str, Any] = {}
    targets = {
        "empty_data_source": (ids["probe_index_id"], ids["probe_data_source_id"], 200),
        "seeded_data_source_first_page": (ids["index_id"], ids["data_source_id"], 200 if size <= 1000 else 40),
    }
    for name, (index_id, data_source_id, count) in targets.items():
        client.list_data_source_sync_jobs(applicationId=ids["application_id"], indexId=index_id, dataSourceId=data_source_id)  # warm
        cpu0, t0 = emulator.cpu_seconds(), time.perf_counter()
        for _ in range(count):
            client.list_data_source_sync_jobs(applicationId=ids["application_id"], indexId=index_id, dataSourceId=data_source_id)
        wall, cpu = time.perf_counter() - t0, emulator.cpu_seconds() - cpu0
        out[name] = {"requests": count, "round_trip_ms": round(1000 * wall / count, 3), "emulator_cpu_ms": round(1000 * cpu / count, 3)}
    emulator.ctl("DELETE", "requests")
    return out


# ---------------------------------------------------------------------------------------------------------
# Setup, summary


def stage_collection() -> dict[str, Any]:
    """A private copy of the collection (from the working tree) and of amazon.aws (from make deps), so that a
    concurrent `make stage` elsewhere cannot swap the code under a running benchmark."""
    amazon = ROOT / ".build" / "collections" / "ansible_collections" / "amazon" / "aws"
    if not (amazon / "MANIFEST.json").exists():
        raise BenchError(f"{amazon} is missing: run `make deps` (or `make stage`) first")
    tree = STAGE / "ansible_collections" / "qbusiness" / "ops"
    shutil.rmtree(STAGE, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in ("plugins", "meta", "playbooks"):
        shutil.copytree(ROOT / part, tree / part, ignore=ignore)
    shutil.copy2(ROOT / "galaxy.yml", tree / "galaxy.yml")
    shutil.copytree(amazon, STAGE / "ansible_collections" / "amazon" / "aws", ignore=ignore)
    return {"amazon_aws": json.loads((amazon / "MANIFEST.json").read_text())["collection_info"]["version"]}


def command_output(cmd: list[str], cwd: Path = ROOT) -> str:
    try:
        return subprocess.run(cmd, cwd=str(cwd), capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine_info(staged: dict[str, Any]) -> dict[str, Any]:
    import ansible.release
    import boto3
    import botocore
    import moto
    import werkzeug

    cpu_model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    mem_kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:")))
    awscli_version = command_output([str(AWS_CLI), "--version"])
    try:
        dirty = subprocess.run(
            ["git", "--no-optional-locks", "status", "--porcelain", "--", "plugins", "meta", "emulator"],
            cwd=str(ROOT),
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        dirty = ""
    digest = hashlib.sha256()
    tree = STAGE / "ansible_collections" / "qbusiness" / "ops" / "plugins"
    for path in sorted(tree.rglob("*.py")):
        digest.update(str(path.relative_to(tree)).encode() + b"\0" + path.read_bytes())
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "ansible_core": ansible.release.__version__,
        "amazon_aws": staged["amazon_aws"],
        "boto3": boto3.__version__,
        "botocore": botocore.__version__,
        "moto": moto.__version__,
        "werkzeug": getattr(werkzeug, "__version__", "")
        or command_output([str(VENV_PY), "-c", "import importlib.metadata as m; print(m.version('werkzeug'))"]),
        "awscli": awscli_version,
        "git_head": command_output(["git", "rev-parse", "--short", "HEAD"]),
        "git_dirty_paths": [line[3:] for line in dirty.splitlines() if len(line) > 3],
        "staged_plugins_sha256": digest.hexdigest()[:16],
        "module_rss_tool": "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else "lib/rss_wrap.py (os.wait4)",
    }


def stats(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 4), "min": round(min(values), 4), "max": round(max(values), 4)} if values else {}


def summarize(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median/min of each measure over the measured runs of one approach at one size."""
    summary: dict[str, Any] = {
        "n": len(runs),
        "wall": stats([r["wall"] for r in runs]),
        "emulator_cpu": stats([r["emulator_cpu"] for r in runs]),
        "client_side": stats([r["wall"] - r["emulator_cpu"] for r in runs]),
        "maxrss_mib": stats([r["maxrss_kib"] / 1024 for r in runs]),
        "cpu": stats([r["utime"] + r["stime"] for r in runs]),
        # Other processes' CPU during the run, as a share of the machine's capacity over the run's wall time.
        "other_load": stats([r.get("other_cpu", 0.0) / (r["wall"] * (os.cpu_count() or 1)) for r in runs]),
        "requests": {op: max(r["requests"].get(op, 0) for r in runs) for op in ("ListDataSourceSyncJobs", "ListDataSources", "total")},
    }
    if runs and "boto3" in runs[0]:
        summary["in_loop"] = stats([r["boto3"]["t_loop"] for r in runs])
        summary["import_and_client"] = stats([r["boto3"]["t_import"] + r["boto3"]["t_client"] for r in runs])
        summary["in_loop_client_side"] = stats([r["boto3"]["t_loop"] - r["emulator_cpu"] for r in runs])
    modules = [r["module_processes"][0] for r in runs if r.get("module_processes")]
    if modules:
        summary["module_process"] = {
            "maxrss_mib": stats([m["maxrss_kib"] / 1024 for m in modules]),
            "elapsed": stats([m["elapsed"] for m in modules]),
            "cpu": stats([m["utime"] + m["stime"] for m in modules]),
        }
    return summary


def derive(size_result: dict[str, Any]) -> dict[str, Any]:
    """Net play times (minus the empty play) and ratios to the floor."""
    s = size_result["summary"]
    empty = s["empty"]
    floor = s["boto3"]
    derived: dict[str, Any] = {}
    for approach in ("ping", "module", "lookup", "gate1", "gate20"):
        net = {
            "median": round(s[approach]["wall"]["median"] - empty["wall"]["median"], 4),
            "min": round(s[approach]["wall"]["min"] - empty["wall"]["min"], 4),
            # The same, less the emulator's CPU during the run (the empty play causes none).
            "client_side_median": round(s[approach]["client_side"]["median"] - empty["client_side"]["median"], 4),
        }
        derived[approach] = {"net": net}
    for approach in ("awscli", "module", "lookup"):
        median = s[approach]["wall"]["median"] if approach == "awscli" else derived[approach]["net"]["median"]
        client_side = s[approach]["client_side"]["median"] if approach == "awscli" else derived[approach]["net"]["client_side_median"]
        ratios = {
            "to_floor_whole": round(median / floor["wall"]["median"], 3),
            "to_floor_in_loop": round(median / floor["in_loop"]["median"], 3),
            "client_side_to_floor_whole": round(client_side / floor["client_side"]["median"], 3),
            "client_side_to_floor_in_loop": round(client_side / floor["in_loop_client_side"]["median"], 3)
            if floor["in_loop_client_side"]["median"] > 0
            else None,
        }
        derived.setdefault(approach, {})["ratios"] = ratios
    module_process = s["module"].get("module_process")
    if module_process:
        # The module's own process (GNU time's elapsed, 10 ms steps) against the floor's whole process: both are a
        # fresh interpreter that imports, creates a client and lists; neither includes the controller.
        derived["module"]["module_process_to_floor_whole"] = round(module_process["elapsed"]["median"] / floor["wall"]["median"], 3)
        derived["module"]["controller_overhead_median"] = round(derived["module"]["net"]["median"] - module_process["elapsed"]["median"], 4)
        derived["module"]["beyond_ping_median"] = round(s["module"]["wall"]["median"] - s["ping"]["wall"]["median"], 4)
    derived["gate20_to_gate1"] = (
        round(derived["gate20"]["net"]["median"] / derived["gate1"]["net"]["median"], 3) if derived["gate1"]["net"]["median"] > 0 else None
    )
    return derived


# ---------------------------------------------------------------------------------------------------------
# One history size


def measure_phase(
    args: argparse.Namespace,
    runner: Runner,
    emulator: Emulator,
    size: int,
    approaches: list[str],
    warm_up: bool,
    runs: dict[str, list[dict[str, Any]]],
    quiet_waits: list[dict[str, float]],
) -> None:
    if warm_up:
        # One untimed run of each approach: byte-compiled caches, page cache, the staged collection's .pyc.
        for approach in approaches:
            runner.run(approach, size, f"warmup-{approach}")
        log(f"warm-up runs done: {', '.join(approaches)}")
    n = args.runs_large if size >= 10000 else args.runs
    for rep in range(n):
        if args.wait_quiet > 0:
            quiet_waits.append(wait_for_quiet(args.wait_quiet, emulator))
            if quiet_waits[-1]["other_cores"] >= 0.25:
                log(f"other processes still use {quiet_waits[-1]['other_cores']} CPUs after waiting {quiet_waits[-1]['waited']:.0f} s: measuring anyway")
        for approach in approaches:
            result = measure_with_retries(runner, approach, size, f"{size}-{approach}-{rep}", args, emulator)
            runs[approach].append(result)
            log(
                f"{size:>6} jobs  run {rep + 1}/{n}  {approach:<7} {result['wall']:7.2f} s  "
                f"emulator cpu {result['emulator_cpu']:6.2f} s  requests {result['requests']['total']:5d}  "
                f"peak RSS {result['maxrss_kib'] / 1024:6.1f} MiB  other CPU {result['other_cpu']:5.2f} s"
                + (f"  module process {result['module_processes'][0]['maxrss_kib'] / 1024:.1f} MiB" if result.get("module_processes") else "")
                + (f"  (attempts' other load {result['other_load_attempts']})" if len(result["other_load_attempts"]) > 1 else "")
            )


def measure_size(args: argparse.Namespace, runner: Runner, emulator: Emulator, size: int, first_size: bool) -> dict[str, Any]:
    """Two phases on one emulator. The listings run while only the listed data source holds a history: the
    emulator's cost per page grows with every job it holds (its garbage collector walks them all), so 19
    more histories would slow its answers to the listings down. Then the other 19 data sources get their
    histories and the gates run."""
    t0 = time.perf_counter()
    loaded = emulator.ctl("POST", "scenario", scenario(size), timeout=600)
    seed_seconds = time.perf_counter() - t0
    app = loaded["applications"][0]
    main_index, probe_index = app["indices"]
    first = main_index["data_sources"][0]
    ids = {
        "application_id": app["application_id"],
        "index_id": main_index["index_id"],
        "data_source_id": first["data_source_id"],
        "newest_execution_id": first["execution_ids"][0],
        "probe_index_id": probe_index["index_id"],
        "probe_data_source_id": probe_index["data_sources"][0]["data_source_id"],
    }
    runner.set_target(emulator, ids)
    log(
        f"{size} jobs seeded in 1 data source in {seed_seconds:.1f} s; emulator at {emulator.url}"
        + (" (garbage collector tuned)" if args.emulator_gc == "tuned" else "")
    )
    # Before the measured runs: it also warms the freshly seeded emulator up.
    probe = probe_emulator(emulator, ids, size)
    log(f"{size} jobs: emulator per request: {probe}")
    runs: dict[str, list[dict[str, Any]]] = {a: [] for a in args.approaches}
    quiet_waits: list[dict[str, float]] = []
    listing = [a for a in args.approaches if a not in GATE_APPROACHES]
    gates = [a for a in args.approaches if a in GATE_APPROACHES]
    measure_phase(args, runner, emulator, size, listing, first_size and not args.quick, runs, quiet_waits)
    seed_others = 0.0
    if gates:
        t0 = time.perf_counter()
        for source in main_index["data_sources"][1:]:
            emulator.ctl(
                "POST",
                "history",
                {
                    "application_id": ids["application_id"],
                    "index_id": ids["index_id"],
                    "data_source_id": source["data_source_id"],
                    "generate": history_spec(size),
                },
                timeout=600,
            )
        seed_others = time.perf_counter() - t0
        log(f"{size} jobs seeded in each of the other {DATA_SOURCES - 1} data sources in {seed_others:.1f} s")
        measure_phase(args, runner, emulator, size, gates, first_size and not args.quick, runs, quiet_waits)
    size_result = {
        "seed_seconds": round(seed_seconds, 3),
        "seed_other_data_sources_seconds": round(seed_others, 3),
        "emulator_gc": args.emulator_gc,
        "quiet_waits": quiet_waits,
        "emulator_probe": probe,
        "emulator_peak_rss_mib": round(emulator.peak_rss_kib() / 1024, 1),
        "runs": runs,
        "summary": {a: summarize(r) for a, r in runs.items()},
    }
    if all(a in runs for a in APPROACHES):
        size_result["derived"] = derive(size_result)
    return size_result


# ---------------------------------------------------------------------------------------------------------
# Main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000", help="history sizes (default 100,1000,10000)")
    parser.add_argument("-n", "--runs", type=int, default=5, help="measured runs per approach and size (default 5)")
    parser.add_argument(
        "--runs-large", type=int, default=3, help="measured runs for sizes of 10,000 jobs or more (default 3: a full 10,000-job listing takes ~40 s here)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: sizes 100 and 1000, one measured run each, no warm-up run, no re-measuring; writes results/quick.json, not latest.json",
    )
    parser.add_argument("--approaches", default=",".join(APPROACHES), help="subset to run (empty and boto3 are always run)")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=30,
        metavar="SECONDS",
        help="before each round of runs, wait up to this long for other processes to use < 0.25 CPU (default 30; 0: never)",
    )
    parser.add_argument(
        "--busy-limit",
        type=float,
        default=0.25,
        metavar="SHARE",
        help="a run during which other processes used more than this share of the machine's CPUs is measured again (default 0.25)",
    )
    parser.add_argument("--retries", type=int, default=2, help="how many times at most (default 2; 0: never)")
    parser.add_argument(
        "--retry-below",
        type=float,
        default=15,
        metavar="SECONDS",
        help="only runs shorter than this are measured again (default 15: not the 10,000-job listings)",
    )
    parser.add_argument(
        "--emulator-gc",
        choices=("stock", "tuned"),
        default="stock",
        help="tuned: start the emulator through lib/emulator_gc_tuned.py (a higher garbage-collector threshold, no code "
        "changed), which cuts its cost per page several times; results go to results/latest-gc-tuned.json",
    )
    parser.add_argument(
        "--output", default=None, help="default results/latest.json (results/latest-gc-tuned.json with --emulator-gc tuned; results/quick*.json with --quick)"
    )
    parser.add_argument("--keep-workdir", action="store_true", help="keep the run directory (outputs of every run) for inspection")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.runs_large = "100,1000", 1, 1
        args.wait_quiet, args.retries = min(args.wait_quiet, 5), 0
    if args.output is None:
        name = "quick" if args.quick else "latest"
        args.output = str(HERE / "results" / (f"{name}-gc-tuned.json" if args.emulator_gc == "tuned" else f"{name}.json"))
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    wanted = set(a.strip() for a in args.approaches.split(",")) | {"empty", "boto3"}
    unknown = wanted - set(APPROACHES)
    if unknown:
        parser.error(f"unknown approaches: {sorted(unknown)}")
    args.approaches = [a for a in APPROACHES if a in wanted]
    if args.runs < 1 or args.runs_large < 1 or not args.sizes:
        parser.error("runs must be at least 1 and at least one size is needed")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not os.access(AWS_CLI, os.X_OK) and "awscli" in args.approaches:
        raise BenchError(f"{AWS_CLI} is missing: run benchmarks/run (it creates benchmarks/.venv-awscli)")
    started = time.monotonic()
    staged = stage_collection()
    workdir = Path(tempfile.mkdtemp(prefix="qb-bench-"))
    (workdir / "ansible.cfg").write_text("[defaults]\n")
    env = base_env(workdir)
    runner = Runner(workdir, env)
    results: dict[str, Any] = {
        "machine": machine_info(staged),
        "config": {
            "sizes": args.sizes,
            "runs": args.runs,
            "runs_large": args.runs_large,
            "quick": args.quick,
            "emulator_gc": args.emulator_gc,
            "wait_quiet": args.wait_quiet,
            "busy_limit": args.busy_limit,
            "retries": args.retries,
            "retry_below": args.retry_below,
            "approaches": args.approaches,
            "data_sources": DATA_SOURCES,
            "gate_max_age": GATE_MAX_AGE,
            "history": {"interval_seconds": 3600, "newest_start": "10 minutes before seeding", "status_cycle_newest_first": STATUS_CYCLE},
        },
        "sizes": {},
    }
    log(f"work directory {workdir}; sizes {args.sizes}; N={args.runs} (N={args.runs_large} from 10,000 jobs); load average {os.getloadavg()}")
    try:
        for index, size in enumerate(args.sizes):
            emulator = Emulator(workdir, str(size), gc_tuned=args.emulator_gc == "tuned").start()
            try:
                results["sizes"][str(size)] = measure_size(args, runner, emulator, size, first_size=index == 0)
            finally:
                emulator.stop()
    finally:
        if args.keep_workdir:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return write_results(results, args.output, started)


def write_results(results: dict[str, Any], path: str, started: float) -> int:
    """Write a benchmark's results as JSON, with the seconds it took since ``started``; the exit status."""
    results["total_seconds"] = round(time.monotonic() - started, 1)
    output = Path(path)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=1) + "\n")
    log(f"done in {results['total_seconds']} s: {output}")
    return 0


def run_main(entry: Any) -> None:
    """Run a benchmark's main(): its exit status, or 1 with the message of a BenchError."""
    try:
        sys.exit(entry())
    except BenchError as e:
        log(f"ERROR: {e}")
        sys.exit(1)


if __name__ == "__main__":
    run_main(main)
