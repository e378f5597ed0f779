# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the inventory plugin qbusiness.ops.qbusiness costs at the quota's scale; run it with benchmarks/run, not directly.

One emulator process, seeded through its control API with 50 applications x 1 index x 50 data sources (2,500
data sources: the quota is 50 applications an account and 50 data sources an application), each with one
SUCCEEDED sync 10 minutes old; then every Q Business request delayed by 25 ms (the emulator's ``latency_ms``
fault). Then N times each, in fresh processes, ``ansible-inventory -i <file> --list``:
  inventory         the data sources with their descriptions
  inventory_latest  the same with include_latest_sync: true
Measured as bench.py measures (its Runner): wall time, the emulator's request log, peak RSS of the process tree
(GNU time), the emulator's CPU. The run fails (exit 1) when a run fails, lists another number of hosts, or sends
another number of requests than the listings and reads need: per operation, ListApplications ceil(50/100) = 1,
ListIndices 50 (one page per application), ListDataSources 50 x ceil(50/10) = 250, GetDataSource 2,500 (one per
data source, for its schedule), and with include_latest_sync 2,500 x 4 ListDataSourceSyncJobs (the last day's
window, one page, then the three in-progress statuses, since none runs). Results: results/inventory.json, which
report.py puts into docs/performance.md. Nothing is asserted about time.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import bench
from bench import HERE
from bench import ROOT
from bench import BenchError
from bench import Emulator
from bench import Runner
from bench import log

APPLICATIONS = 50
DATA_SOURCES_PER_APPLICATION = 50
HOSTS = APPLICATIONS * DATA_SOURCES_PER_APPLICATION
LATENCY_MS = 25
# The model's (and the emulator's) page limits: emulator/qbusiness_emulator/history.py PAGE_LIMITS.
PAGE_LIMITS = {"ListApplications": 100, "ListIndices": 100, "ListDataSources": 10}
# The windowed latest-sync read of one data source whose only sync started 10 minutes ago and has ended: the last
# day's window (one page), then SYNCING, SYNCING_INDEXING and STOPPING by status (none runs).
LATEST_SYNC_REQUESTS = 4
APPROACHES = ("inventory", "inventory_latest")
ANSIBLE_INVENTORY = ROOT / ".venv" / "bin" / "ansible-inventory"
OUTPUT = HERE / "results" / "inventory.json"
# One entry of the emulator's --log-requests output: "<Operation> <region> <status>[ fault=<kind>] <params JSON>".
_LOG_ENTRY = re.compile(r"([A-Z][A-Za-z]+) [a-z]{2}(?:-[a-z]+)+-\d+ (\d{3})( fault=\w+)? \{")


def scenario() -> dict[str, Any]:
    sources = [{"name": f"ds-{n:02d}", "history": [{"status": "SUCCEEDED", "start_time": "now-600"}]} for n in range(DATA_SOURCES_PER_APPLICATION)]
    return {
        "region": "us-east-1",
        "applications": [{"name": f"bench-app-{a:02d}", "indices": [{"name": "main", "data_sources": sources}]} for a in range(APPLICATIONS)],
    }


def requests_needed(latest_sync: bool) -> dict[str, int]:
    """Per operation, the requests the listings and reads need, from the seeded sizes and the page limits."""
    needed = {
        "ListApplications": max(1, math.ceil(APPLICATIONS / PAGE_LIMITS["ListApplications"])),
        "ListIndices": APPLICATIONS * max(1, math.ceil(1 / PAGE_LIMITS["ListIndices"])),
        "ListDataSources": APPLICATIONS * max(1, math.ceil(DATA_SOURCES_PER_APPLICATION / PAGE_LIMITS["ListDataSources"])),
        "GetDataSource": HOSTS,
    }
    if latest_sync:
        needed["ListDataSourceSyncJobs"] = HOSTS * LATEST_SYNC_REQUESTS
    return needed


class LoggingEmulator(Emulator):
    """An emulator that prints every request (--log-requests): its request log keeps only the newest 10,000 entries,
    fewer than a listing with include_latest_sync sends, so the requests of a run are counted from its output."""

    def __init__(self, workdir: Path, tag: str) -> None:
        super().__init__(workdir, tag, extra_args=("--log-requests",))
        self._mark = 0

    def ctl(self, method: str, route: str, body: Any = None, timeout: float = 300) -> Any:
        if (method, route) == ("DELETE", "requests"):  # what Runner.run sends before each run: count from here
            self._mark = self.log_path.stat().st_size
        return super().ctl(method, route, body, timeout)

    def request_counts(self) -> dict[str, int]:
        # The log line of a request may be written a moment after its answer: read until two reads agree.
        counts = self._count()
        for _attempt in range(20):
            time.sleep(0.3)
            again = self._count()
            if again == counts:
                break
            counts = again
        return counts

    def _count(self) -> dict[str, int]:
        with open(self.log_path, "rb") as log_file:
            log_file.seek(self._mark)
            text = log_file.read().decode(errors="replace")
        counts: dict[str, int] = {"total": 0, "errors": 0}
        # Searched in the whole text, not line by line: print() writes an entry and its newline separately, so
        # the server's threads may put two entries on one line (each entry itself is one write).
        for operation, status, fault in _LOG_ENTRY.findall(text):
            counts["total"] += 1
            counts[operation] = counts.get(operation, 0) + 1
            if status != "200" or fault:
                counts["errors"] += 1
        return counts


class InventoryRunner(Runner):
    """bench.Runner (the measuring, the request log, the CPU accounting) with this part's commands and checks."""

    def __init__(self, workdir: Path, env: dict[str, str], emulator: Emulator) -> None:
        super().__init__(workdir, env)
        self.emulator = emulator
        self.env = dict(env, ANSIBLE_INVENTORY_ENABLED="qbusiness.ops.qbusiness", ANSIBLE_INVENTORY_UNPARSED_FAILED="true")
        for approach in APPROACHES:
            (workdir / f"{approach}.qbusiness.yml").write_text(
                "plugin: qbusiness.ops.qbusiness\nregions: [us-east-1]\n"
                f"endpoint_url: {emulator.url}\ninclude_latest_sync: {'true' if approach == 'inventory_latest' else 'false'}\n"
            )

    def command(self, approach: str) -> list[str]:
        return [str(ANSIBLE_INVENTORY), "-i", str(self.workdir / f"{approach}.qbusiness.yml"), "--list"]

    def check(self, approach: str, size: int, tag: str, result: dict[str, Any]) -> None:
        """Every run worked, listed every data source, and sent exactly the requests needed."""
        where = f"{tag} ({approach})"
        if result["rc"] != 0:
            raise BenchError(f"{where}: exit code {result['rc']}\nstdout: {result['stdout'][-3000:]}\nstderr: {result['stderr'][-3000:]}")
        requests = result["requests"]
        if requests["errors"]:
            raise BenchError(f"{where}: {requests['errors']} requests were answered with an error: {requests}")
        hosts = json.loads(result["stdout"])["qbusiness"]["hosts"]
        if len(hosts) != HOSTS:
            raise BenchError(f"{where}: {len(hosts)} hosts, not {HOSTS}")
        needed = requests_needed(approach == "inventory_latest")
        sent = {operation: count for operation, count in requests.items() if operation not in ("total", "errors")}
        if sent != needed:
            raise BenchError(f"{where}: sent {sent}, the listings and reads need {needed}")
        result["hosts"] = len(hosts)
        result["requests_needed"] = sum(needed.values())


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=1, help="measured runs of each approach (default 1)")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=30,
        metavar="SECONDS",
        help="before each run, wait up to this long for other processes to use < 0.25 CPU (default 30; 0: never)",
    )
    parser.add_argument("--busy-limit", type=float, default=0.25, metavar="SHARE", help="re-measure a short run disturbed beyond this share (default 0.25)")
    parser.add_argument("--retries", type=int, default=1, help="how many times at most (default 1)")
    parser.add_argument("--retry-below", type=float, default=15, metavar="SECONDS", help="only runs shorter than this are measured again (default 15)")
    parser.add_argument("--output", default=str(OUTPUT))
    parser.add_argument("--keep-workdir", action="store_true")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    staged = bench.stage_collection()
    workdir = Path(tempfile.mkdtemp(prefix="qb-bench-inventory-"))
    (workdir / "ansible.cfg").write_text("[defaults]\n")
    emulator = LoggingEmulator(workdir, "inventory").start()
    try:
        t0 = time.perf_counter()
        emulator.ctl("POST", "scenario", scenario(), timeout=600)
        seed_seconds = time.perf_counter() - t0
        faults = emulator.ctl("POST", "faults", {"latency_ms": LATENCY_MS})
        log(
            f"{APPLICATIONS} applications x {DATA_SOURCES_PER_APPLICATION} data sources seeded in {seed_seconds:.1f} s; "
            f"latency {faults['latency_ms']} ms per request; emulator at {emulator.url}"
        )
        runner = InventoryRunner(workdir, bench.base_env(workdir), emulator)
        runs: dict[str, list[dict[str, Any]]] = {a: [] for a in APPROACHES}
        quiet_waits = []
        for rep in range(args.runs):
            for approach in APPROACHES:
                if args.wait_quiet > 0:
                    quiet_waits.append(bench.wait_for_quiet(args.wait_quiet, emulator))
                result = bench.measure_with_retries(runner, approach, HOSTS, f"{approach}-{rep}", args, emulator)
                runs[approach].append(result)
                log(
                    f"run {rep + 1}/{args.runs}  {approach:<16} {result['wall']:7.2f} s  emulator cpu {result['emulator_cpu']:6.2f} s  "
                    f"requests {result['requests']}  peak RSS {result['maxrss_kib'] / 1024:6.1f} MiB  other CPU {result['other_cpu']:5.2f} s"
                )
        results = {
            "machine": bench.machine_info(staged),
            "config": {
                "applications": APPLICATIONS,
                "data_sources_per_application": DATA_SOURCES_PER_APPLICATION,
                "hosts": HOSTS,
                "latency_ms": LATENCY_MS,
                "runs": args.runs,
                "page_limits": PAGE_LIMITS,
            },
            "seed_seconds": round(seed_seconds, 3),
            "emulator_peak_rss_mib": round(emulator.peak_rss_kib() / 1024, 1),
            "quiet_waits": quiet_waits,
            "runs": runs,
            "summary": {
                a: bench.summarize(r)
                | {
                    "hosts": r[0].get("hosts"),
                    "requests_needed": r[0].get("requests_needed"),
                    "requests_by_operation": {op: n for op, n in r[0]["requests"].items() if op != "errors"},
                }
                for a, r in runs.items()
            },
        }
    finally:
        emulator.stop()
        if args.keep_workdir:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return bench.write_results(results, args.output, started)


if __name__ == "__main__":
    bench.run_main(main)
