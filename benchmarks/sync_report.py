# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What qbusiness_sync_report costs over a long window, next to the bare SDK; run it with benchmarks/run, not directly.

One emulator process, seeded through its control API with an index of 50 data sources, each holding 30 days of
hourly syncs (720 jobs, the newest 10 minutes old: 36,000 jobs), then every Q Business request delayed by 25 ms
(the emulator's ``latency_ms`` fault). Then N times each, round-robin, in fresh processes:

  empty        ansible-playbook with an empty play (its fixed cost)
  report       a play with qbusiness.ops.qbusiness_sync_report over the index, since 30d (no file written)
  report_html  the same with html_path (plotly's page for 50 data sources)
  boto3        a bare boto3 paginator doing the same reads one data source after another
               (list_data_source_sync_jobs with startTime/endTime, all pages: lib/boto3_loop.py)

Measured as bench.py measures (its Runner): wall time, the emulator's request log, peak RSS of the process tree
(GNU time), the emulator's CPU. The run fails (exit 1) when a run fails, reads another number of jobs than the
window holds, or when the report reads more (or fewer) ListDataSourceSyncJobs pages than the windowed listings
need: the sum over data sources of ceil(jobs in the window / 10). Results: results/sync-report.json, which
report.py puts into docs/performance.md. Nothing is asserted about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import bench
from bench import ANSIBLE_PLAYBOOK
from bench import HERE
from bench import LIB
from bench import PLAYBOOKS
from bench import STATUS_CYCLE
from bench import VENV_PY
from bench import BenchError
from bench import Emulator
from bench import Runner
from bench import log

DATA_SOURCES = 50
DAYS = 30
JOBS_PER_DATA_SOURCE = DAYS * 24  # hourly
NEWEST_AGE = 600  # seconds: the newest sync started 10 minutes before seeding
INTERVAL = 3600
LATENCY_MS = 25
PAGE_SIZE = 10  # ListDataSourceSyncJobs's most (and default) per page
SINCE = f"{DAYS}d"
APPROACHES = ("empty", "report", "report_html", "boto3")
OUTPUT = HERE / "results" / "sync-report.json"


def scenario() -> dict[str, Any]:
    history = {"count": JOBS_PER_DATA_SOURCE, "status": STATUS_CYCLE, "interval_seconds": INTERVAL, "newest_start_time": f"now-{NEWEST_AGE}"}
    return {
        "region": "us-east-1",
        "applications": [
            {
                "name": "report-bench-assistant",
                "indices": [{"name": "main", "data_sources": [{"name": f"report-ds-{i:02d}", "generate_history": history} for i in range(DATA_SOURCES)]}],
            }
        ],
    }


def jobs_in_window(seeded_at: float, since: float, until: float) -> int:
    """How many of one data source's seeded jobs started in [since, until] (epoch seconds)."""
    starts = (seeded_at - NEWEST_AGE - INTERVAL * k for k in range(JOBS_PER_DATA_SOURCE))
    return sum(1 for start in starts if since <= start <= until)


def parse_epoch(value: str) -> float:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat()


class ReportRunner(Runner):
    """bench.Runner (the measuring, the request log, the CPU accounting) with this part's commands and checks."""

    def __init__(self, workdir: Path, env: dict[str, str], emulator: Emulator, ids: dict[str, Any], seeded_at: float) -> None:
        super().__init__(workdir, env)
        self.emulator = emulator
        self.ids = ids
        self.seeded_at = seeded_at
        self.html_path = workdir / "report.html"
        self.window = (0.0, 0.0)  # the boto3 loop's [since, until], epoch seconds, set by each run
        self.vars_file.write_text(
            json.dumps(
                {
                    "qb_endpoint": emulator.url,
                    "qb_application_id": ids["application_id"],
                    "qb_index_id": ids["index_id"],
                    "qb_since": SINCE,
                    "ansible_python_interpreter": str(VENV_PY),
                }
            )
        )

    def command(self, approach: str) -> list[str]:
        if approach == "boto3":
            return [
                str(VENV_PY),
                str(LIB / "boto3_loop.py"),
                self.emulator.url,
                self.ids["application_id"],
                self.ids["index_id"],
                ",".join(self.ids["data_source_ids"]),
                iso(self.window[0]),
                iso(self.window[1]),
            ]
        playbook = "empty" if approach == "empty" else "report"
        extra = ["-e", json.dumps({"qb_html_path": str(self.html_path)})] if approach == "report_html" else []
        return [str(ANSIBLE_PLAYBOOK), "-i", "localhost,", "-c", "local", "-e", f"@{self.vars_file}", *extra, str(PLAYBOOKS / f"{playbook}.yml")]

    def run(self, approach: str, size: int, tag: str) -> dict[str, Any]:
        self.html_path.unlink(missing_ok=True)
        # The report's window as the report takes it: since 30 days before now, until now.
        now = time.time()
        self.window = (now - DAYS * 86400, now)
        return super().run(approach, size, tag)

    def check(self, approach: str, size: int, tag: str, result: dict[str, Any]) -> None:
        """Every run worked; each read what the window holds; the report read exactly the pages the listings need."""
        where = f"{tag} ({approach})"
        if result["rc"] != 0:
            raise BenchError(f"{where}: exit code {result['rc']}\nstdout: {result['stdout'][-3000:]}\nstderr: {result['stderr'][-3000:]}")
        requests = result["requests"]
        if requests["errors"]:
            raise BenchError(f"{where}: {requests['errors']} requests were answered with an error: {requests}")
        if approach == "empty":
            return
        if approach == "boto3":
            read = json.loads(result["stdout"].strip().splitlines()[-1])
            counts = [read["count"]]
            since, until = self.window
        else:
            read = report_output(result["stdout"], where)
            if read["data_source_ids"] != self.ids["data_source_ids"]:
                raise BenchError(f"{where}: the report covered {len(read['data_source_ids'])} data sources, not the index's {DATA_SOURCES} in order")
            counts = [sum(syncs.values()) for syncs in read["syncs"]]
            since, until = parse_epoch(read["since"]), parse_epoch(read["until"])
            if approach == "report_html":
                if read["html_path"] != str(self.html_path) or not self.html_path.is_file():
                    raise BenchError(f"{where}: no page at {self.html_path} (html_path {read['html_path']!r})")
                result["html_bytes"] = self.html_path.stat().st_size
        in_window = jobs_in_window(self.seeded_at, since, until)
        expected_jobs = in_window * DATA_SOURCES
        pages = DATA_SOURCES * max(1, math.ceil(in_window / PAGE_SIZE))
        listings = requests.get("ListDataSourceSyncJobs", 0)
        if sum(counts) != expected_jobs:
            raise BenchError(f"{where}: read {sum(counts)} jobs, the window holds {expected_jobs} ({in_window} per data source)")
        if listings != pages:
            raise BenchError(
                f"{where}: {listings} ListDataSourceSyncJobs pages, the windowed listings need {pages} "
                f"({DATA_SOURCES} x ceil({in_window}/{PAGE_SIZE})): {requests}"
            )
        result["jobs"] = sum(counts)
        result["pages_needed"] = pages


def report_output(stdout: str, where: str) -> dict[str, Any]:
    """The REPORT={...} line the playbook's debug task prints (as the default callback shows a msg)."""
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith('"msg": "REPORT='):
            return json.loads(json.loads(line.split(": ", 1)[1])[len("REPORT=") :])
    raise BenchError(f"{where}: no REPORT= line in the play's output:\n{stdout[-2000:]}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=1, help="measured runs of each approach (default 1: the boto3 loop alone takes ~2 minutes)")
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
    workdir = Path(tempfile.mkdtemp(prefix="qb-bench-report-"))
    (workdir / "ansible.cfg").write_text("[defaults]\n")
    emulator = Emulator(workdir, "report").start()
    try:
        t0 = time.perf_counter()
        seeded_at = time.time()
        app = emulator.ctl("POST", "scenario", scenario(), timeout=600)["applications"][0]
        seed_seconds = time.perf_counter() - t0
        index = app["indices"][0]
        ids = {
            "application_id": app["application_id"],
            "index_id": index["index_id"],
            "data_source_ids": [source["data_source_id"] for source in index["data_sources"]],
        }
        faults = emulator.ctl("POST", "faults", {"latency_ms": LATENCY_MS})
        log(
            f"{DATA_SOURCES} x {JOBS_PER_DATA_SOURCE} jobs seeded in {seed_seconds:.1f} s; latency {faults['latency_ms']} ms per request; "
            f"emulator at {emulator.url}"
        )
        runner = ReportRunner(workdir, bench.base_env(workdir), emulator, ids, seeded_at)
        # One untimed run of the cheapest plays: byte-compiled caches and the page cache, as bench.py's warm-up.
        runner.run("empty", 0, "warmup-empty")
        runs: dict[str, list[dict[str, Any]]] = {a: [] for a in APPROACHES}
        quiet_waits = []
        for rep in range(args.runs):
            for approach in APPROACHES:
                if args.wait_quiet > 0:
                    quiet_waits.append(bench.wait_for_quiet(args.wait_quiet, emulator))
                result = bench.measure_with_retries(runner, approach, DATA_SOURCES * JOBS_PER_DATA_SOURCE, f"report-{approach}-{rep}", args, emulator)
                runs[approach].append(result)
                log(
                    f"run {rep + 1}/{args.runs}  {approach:<11} {result['wall']:7.2f} s  emulator cpu {result['emulator_cpu']:6.2f} s  "
                    f"requests {result['requests']}  peak RSS {result['maxrss_kib'] / 1024:6.1f} MiB  other CPU {result['other_cpu']:5.2f} s"
                )
        results = {
            "machine": bench.machine_info(staged),
            "config": {
                "data_sources": DATA_SOURCES,
                "jobs_per_data_source": JOBS_PER_DATA_SOURCE,
                "days": DAYS,
                "since": SINCE,
                "interval_seconds": INTERVAL,
                "newest_age_seconds": NEWEST_AGE,
                "latency_ms": LATENCY_MS,
                "runs": args.runs,
                "status_cycle_newest_first": STATUS_CYCLE,
                "page_size": PAGE_SIZE,
            },
            "seed_seconds": round(seed_seconds, 3),
            "emulator_peak_rss_mib": round(emulator.peak_rss_kib() / 1024, 1),
            "quiet_waits": quiet_waits,
            "runs": runs,
            "summary": {
                a: bench.summarize(r) | {"jobs": r[0].get("jobs"), "pages_needed": r[0].get("pages_needed"), "html_bytes": r[0].get("html_bytes")}
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
