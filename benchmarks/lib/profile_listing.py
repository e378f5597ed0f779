# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where the time of a long listing goes: the module's listing code path under cProfile, in-process.

Run by benchmarks/profile (or benchmarks/run --profile). Seeds one data source with --jobs sync jobs
(default 10,000) in an emulator, then, in this process, does what qbusiness_sync_job_info does between
its argument parsing and exit_json:

    client = RetryingBotoClientWrapper(boto3.client("qbusiness", ...), RETRY_DECORATOR)  # as AnsibleAWSModule.client()
    jobs, dummy = DataSourceService(client, DataSourceRef(application_id, index_id, data_source_id)).list_sync_jobs_and_token()
    history = [normalize_job(job) for job in newest_first(jobs)]

first without the profiler (timings of each step, this process's CPU, the emulator's CPU, and for
reference a bare boto3 paginator over the same history with the same client), then under cProfile. It
prints the top functions by cumulative time and splits the profiled self time into categories by source
file: ours (qbusiness.ops module_utils), amazon.aws (the retry wrapper), botocore/boto3, the HTTP stack
(urllib3, http.client, socket), waiting for the emulator (blocking socket reads), the emulator itself
(only with --in-process), and the rest. Standard-library functions are charged to whoever called them.

Then (unless --no-whole-module) the whole module process: `python qbusiness_sync_job_info.py ARGS.json`, the
way ansible-core runs a module for debugging (the same code as under AnsiballZ, without the zip and the
controller), plain and under cProfile: imports, AnsibleModule, client creation, the listing, and
exit_json (whose no_log scrubbing walks the whole result).

Default: the emulator is a separate process (python -m qbusiness_emulator) on 127.0.0.1, so its time
shows as socket reads here and as its process CPU (from /proc). --in-process runs it inside this
thread through moto.mock_aws() instead (no HTTP at all: botocore's request goes to moto's fake
transport), so the profile shows its functions; its per-page cost is O(history) there too.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import bench  # noqa: E402  (benchmarks/bench.py: the emulator wrapper, the staging, the credentials)

CATEGORIES = (
    "ours: qbusiness.ops module_utils",
    "ours: qbusiness.ops module (plugins/modules)",
    "amazon.aws: retry wrapper, module_utils",
    "ansible-core: AnsibleModule, exit_json (no_log scrubbing, JSON)",
    "imports (module loading, compiling)",
    "botocore / boto3 (serialise, sign, parse)",
    "HTTP stack: urllib3, http.client, socket",
    "waiting for the emulator (blocking socket reads)",
    "emulator in-process: qbusiness_emulator, moto, werkzeug",
    "this profiler script",
    "other / unattributed",
)
OURS, OURS_MODULE, AMAZON, ANSIBLE, IMPORTS, BOTO, HTTP, WAIT, EMULATOR, HARNESS, OTHER = CATEGORIES

WAIT_BUILTINS = ("recv_into", "recv", "connect", "accept", "poll", "select")


def classify(func: tuple[str, int, str]) -> str | None:
    """The category of a profiled function, or None for standard-library code (charged to its callers)."""
    filename, dummy, name = func
    path = filename.replace("\\", "/")
    if path == "~":  # a builtin
        if any(f"'{wait}'" in name or name.endswith(f".{wait}>") for wait in WAIT_BUILTINS) and "socket" in name:
            return WAIT
        return None
    if "ansible_collections/qbusiness/ops/plugins/modules" in path:
        return OURS_MODULE
    if "ansible_collections/qbusiness/ops" in path:
        return OURS
    if "ansible_collections/amazon/aws" in path:
        return AMAZON
    if "/botocore/" in path or "/boto3/" in path or "/jmespath/" in path or "/dateutil/" in path or "/s3transfer/" in path:
        return BOTO
    if "/site-packages/ansible/" in path:
        return ANSIBLE
    if path.startswith("<frozen importlib") or path.endswith("/importlib/__init__.py") or "_bootstrap" in path:
        return IMPORTS
    if "/urllib3/" in path or path.endswith(("/http/client.py", "/socket.py", "/ssl.py", "/selectors.py")) or "/email/" in path:
        return HTTP
    if "/qbusiness_emulator/" in path or "/moto/" in path or "/werkzeug/" in path or "/responses/" in path:
        return EMULATOR
    if path == __file__ or path.endswith("/benchmarks/lib/profile_listing.py"):
        return HARNESS
    if "/lib/python3" in path and "site-packages" not in path:
        return None  # standard library
    return OTHER


def split_by_category(stats: pstats.Stats) -> dict[str, float]:
    """Self time per category; standard-library and builtin self time goes to the callers' categories, in
    proportion to the self time spent under each caller (pstats keeps that per call edge)."""
    table = stats.stats  # func -> (cc, nc, tt, ct, callers{caller: (nc, cc, tt, ct)})
    memo: dict[Any, dict[str, float]] = {}

    def shares(func: Any, visiting: frozenset) -> dict[str, float]:
        if func in memo:
            return memo[func]
        category = classify(func)
        if category is not None:
            return {category: 1.0}
        if func in visiting or func not in table:
            return {OTHER: 1.0}
        callers = table[func][4]
        total = sum(edge[2] for edge in callers.values())
        if not callers or total <= 0:
            total_calls = sum(edge[0] for edge in callers.values())
            if not callers or total_calls <= 0:
                return {OTHER: 1.0}
            weights = {caller: edge[0] / total_calls for caller, edge in callers.items()}
        else:
            weights = {caller: edge[2] / total for caller, edge in callers.items()}
        out: dict[str, float] = {}
        for caller, weight in weights.items():
            for category, share in shares(caller, visiting | {func}).items():
                out[category] = out.get(category, 0.0) + weight * share
        memo[func] = out
        return out

    split = dict.fromkeys(CATEGORIES, 0.0)
    for func, (_cc, _nc, tt, _ct, _callers) in table.items():
        for category, share in shares(func, frozenset()).items():
            split[category] += tt * share
    return split


def seed(size: int, in_process: bool, workdir: Path, gc_tuned: bool = False):
    doc = {
        "region": "us-east-1",
        "applications": [
            {
                "name": "profile-assistant",
                "indices": [
                    {
                        "name": "main",
                        "data_sources": [{"name": "profile-ds", "generate_history": {"count": size, "status": bench.STATUS_CYCLE, "interval_seconds": 3600}}],
                    }
                ],
            }
        ],
    }
    if in_process:
        import moto
        import qbusiness_emulator  # noqa: F401  (registers the backend with moto)
        from qbusiness_emulator import control

        mock = moto.mock_aws()
        mock.start()
        control.reset()
        loaded = control.load_scenario(doc)
        return None, mock, loaded
    emulator = bench.Emulator(workdir, "profile", gc_tuned=gc_tuned).start()
    loaded = emulator.ctl("POST", "scenario", doc, timeout=600)
    return emulator, None, loaded


def print_split(split: dict[str, float], title: str) -> None:
    total = sum(split.values()) or 1.0
    print(f"\n{title}:")
    for category in CATEGORIES:
        if split[category] > 0.0005:
            print(f"  {category:66} {split[category]:8.2f} s  {100 * split[category] / total:5.1f} %")
    print(f"  {'total':66} {total:8.2f} s")


def profile_whole_module(args: argparse.Namespace, emulator: Any, application_id: str, index_id: str, data_source_id: str, workdir: Path) -> dict[str, Any]:
    """The whole module process, as Ansible runs it minus AnsiballZ: python qbusiness_sync_job_info.py ARGS.json
    (ansible-core's documented way to run a module directly), once plain and once under cProfile."""
    module = Path(args.collections) / "ansible_collections" / "qbusiness" / "ops" / "plugins" / "modules" / "qbusiness_sync_job_info.py"
    args_file = workdir / "module-args.json"
    args_file.write_text(
        json.dumps(
            {
                "ANSIBLE_MODULE_ARGS": {
                    "endpoint_url": emulator.url,
                    "region": "us-east-1",
                    "application_id": application_id,
                    "index_id": index_id,
                    "data_source_id": data_source_id,
                }
            }
        )
    )
    env = dict(os.environ, PYTHONPATH=args.collections)
    out: dict[str, Any] = {}
    for name, prefix in (("plain", []), ("profiled", ["-m", "cProfile", "-o", str(workdir / "module.prof")])):
        rusage_file = workdir / f"module-{name}.rusage"
        emulator.ctl("DELETE", "requests")
        emu0 = emulator.cpu_seconds()
        t0 = time.perf_counter()
        with open(workdir / f"module-{name}.out", "wb") as stdout:
            done = subprocess.run(
                bench.launcher(rusage_file) + [str(bench.VENV_PY)] + prefix + [str(module), str(args_file)],
                stdout=stdout,
                stderr=subprocess.PIPE,
                env=env,
                timeout=bench.RUN_TIMEOUT,
                check=False,
            )
        wall = time.perf_counter() - t0
        if done.returncode != 0:
            raise bench.BenchError(f"the module failed: {done.stderr.decode(errors='replace')[-2000:]}")
        answer = json.loads((workdir / f"module-{name}.out").read_text())
        assert len(answer["history"]) == args.jobs
        usage = bench.read_rusage(rusage_file)[0]
        out[name] = {
            "wall": wall,
            "emulator_cpu": emulator.cpu_seconds() - emu0,
            "maxrss_mib": usage["maxrss_kib"] / 1024,
            "cpu": usage["utime"] + usage["stime"],
            "result_json_mib": (workdir / f"module-{name}.out").stat().st_size / 2**20,
        }
    print("\nthe whole module process (python qbusiness_sync_job_info.py ARGS.json, no AnsiballZ, no controller):")
    for name, row in out.items():
        print(
            f"  {name:9} wall {row['wall']:7.2f} s  its CPU {row['cpu']:6.2f} s  emulator CPU {row['emulator_cpu']:6.2f} s  "
            f"peak RSS {row['maxrss_mib']:6.1f} MiB  result {row['result_json_mib']:.1f} MiB of JSON"
        )
    stats = pstats.Stats(str(workdir / "module.prof"))
    wanted = (
        "main",
        "list_sync_jobs_and_token",
        "paginate",
        "qbusiness_client",
        "normalize_job",
        "newest_first",
        "exit_json",
        "remove_values",
        "_return_formatted",
        "__init__",
        "dumps",
    )
    print("  where its time goes (cumulative, profiled):")
    rows = []
    for func, (_cc, nc, _tt, ct, _callers) in stats.stats.items():
        filename, dummy, name = func
        if name in wanted and (
            "qbusiness/ops" in filename
            or "ansible/module_utils/basic.py" in filename
            or "common/parameters.py" in filename
            or (name == "dumps" and "json/__init__" in filename)
            or (name == "__init__" and "amazon/aws/plugins/module_utils/modules.py" in filename)
        ):
            rows.append((ct, nc, f"{Path(filename).name}:{func[1]}({name})"))
    imports = sum(ct for func, (cc, nc, tt, ct, callers) in stats.stats.items() if func[2] == "<module>" and "qbusiness_sync_job_info" in func[0])
    main_ct = next((ct for func, (cc, nc, tt, ct, callers) in stats.stats.items() if func[2] == "main" and "qbusiness_sync_job_info" in func[0]), 0.0)
    print(f"  {imports - main_ct:8.3f} s  imports (the module file's top level, less main())")
    for ct, nc, label in sorted(rows, reverse=True)[:14]:
        print(f"  {ct:8.3f} s  {nc:6d} calls  {label}")
    split = split_by_category(stats)
    print_split(split, "  the whole module's self time by category")
    out["profiled"]["self_time_by_category"] = split
    out["profiled"]["imports_seconds"] = imports - main_ct
    out["profiled"]["functions"] = [{"function": label, "cumulative": ct, "calls": nc} for ct, nc, label in sorted(rows, reverse=True)[:14]]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Profile the module's listing code path in-process.")
    parser.add_argument("--jobs", type=int, default=10000, help="history size (default 10000)")
    parser.add_argument("--top", type=int, default=25, help="how many functions to list (default 25)")
    parser.add_argument("--in-process", action="store_true", help="run the emulator in this thread (moto.mock_aws) so it shows in the profile")
    parser.add_argument(
        "--collections",
        default=str(bench.STAGE),
        help="ANSIBLE_COLLECTIONS_PATH holding qbusiness.ops and amazon.aws (default: the benchmark's staged copy, "
        "re-staged from the working tree; /work/main/.build/collections after `make stage` works too)",
    )
    parser.add_argument(
        "--emulator-gc",
        choices=("stock", "tuned"),
        default="stock",
        help="tuned: the emulator process with a higher garbage-collector threshold (lib/emulator_gc_tuned.py)",
    )
    parser.add_argument(
        "--no-whole-module",
        dest="whole_module",
        action="store_false",
        help="skip the second part: the whole module process run directly, plain and under cProfile",
    )
    parser.add_argument("--output", default=str(HERE.parent / "results" / "profile.json"), help="where to write the numbers (JSON)")
    args = parser.parse_args(argv)

    if Path(args.collections).resolve() == bench.STAGE.resolve():
        bench.stage_collection()
    sys.path.insert(0, args.collections)
    for key, value in bench.FAKE_CREDENTIALS.items():
        os.environ[key] = value
    os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent"
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

    import boto3
    from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

    from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs import client as sync_client
    from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs import jobs as sync_jobs
    from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceRef
    from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService

    workdir = Path(tempfile.mkdtemp(prefix="qb-profile-"))
    emulator, mock, loaded = seed(args.jobs, args.in_process, workdir, args.emulator_gc == "tuned")
    try:
        ids = loaded["applications"][0]["indices"][0]
        application_id = loaded["applications"][0]["application_id"]
        index_id, data_source_id = ids["index_id"], ids["data_sources"][0]["data_source_id"]
        endpoint = None if args.in_process else emulator.url
        raw_client = boto3.client("qbusiness", region_name="us-east-1", endpoint_url=endpoint)
        client = RetryingBotoClientWrapper(raw_client, sync_client.RETRY_DECORATOR)
        service = DataSourceService(client, DataSourceRef(application_id, index_id, data_source_id))

        def emulator_cpu() -> float:
            return emulator.cpu_seconds() if emulator else 0.0

        def fresh_log() -> None:
            # Each measurement starts with an empty request log, as in bench.py.
            if emulator:
                emulator.ctl("DELETE", "requests")

        def the_module_path() -> dict[str, float]:
            t0 = time.perf_counter()
            jobs, dummy = service.list_sync_jobs_and_token()
            t1 = time.perf_counter()
            ordered = sync_jobs.newest_first(jobs)
            t2 = time.perf_counter()
            history = [sync_jobs.normalize_job(job) for job in ordered]
            t3 = time.perf_counter()
            encoded = json.dumps({"changed": False, "history": history, "latest": history[0] if history else None})
            t4 = time.perf_counter()
            assert len(history) == args.jobs, (len(history), args.jobs)
            return {
                "list_sync_jobs": t1 - t0,
                "newest_first": t2 - t1,
                "normalize_job": t3 - t2,
                "json_dumps_result": t4 - t3,
                "result_json_mib": len(encoded) / 2**20,
            }

        def bare_paginator() -> float:
            t0 = time.perf_counter()
            count = 0
            for page in raw_client.get_paginator("list_data_source_sync_jobs").paginate(
                applicationId=application_id, indexId=index_id, dataSourceId=data_source_id
            ):
                count += len(page["history"])
            assert count == args.jobs
            return time.perf_counter() - t0

        print(
            f"history: {args.jobs} jobs, {-(-args.jobs // 10)} pages of 10; emulator "
            + ("in this thread (moto.mock_aws)" if args.in_process else f"process at {emulator.url}"),
            flush=True,
        )
        raw_client.list_data_source_sync_jobs(applicationId=application_id, indexId=index_id, dataSourceId=data_source_id)  # warm: loaders, pool

        rows = {}
        for name, work in (("bare boto3 paginator (same client, unwrapped)", bare_paginator), ("module path, no profiler", the_module_path)):
            fresh_log()
            cpu0, emu0, busy0 = resource.getrusage(resource.RUSAGE_SELF), emulator_cpu(), bench.machine_busy_seconds()
            t0 = time.perf_counter()
            detail = work()
            wall = time.perf_counter() - t0
            cpu1, emu1, busy1 = resource.getrusage(resource.RUSAGE_SELF), emulator_cpu(), bench.machine_busy_seconds()
            own = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
            rows[name] = {
                "wall": wall,
                "this_process_cpu": own,
                "emulator_cpu": emu1 - emu0,
                "other_cpu": max(0.0, (busy1 - busy0) - own - (emu1 - emu0)),
                "detail": detail if isinstance(detail, dict) else None,
            }
        print("\nwithout the profiler (seconds):")
        print(f"  {'':48} {'wall':>8} {'our CPU':>8} {'emulator CPU':>13} {'other processes':>16}")
        for name, row in rows.items():
            print(f"  {name:48} {row['wall']:8.2f} {row['this_process_cpu']:8.2f} {row['emulator_cpu']:13.2f} {row['other_cpu']:16.2f}")
        detail = rows["module path, no profiler"]["detail"]
        print("  module path steps: " + ", ".join(f"{k} {v:.3f}" + (" MiB" if k.endswith("mib") else " s") for k, v in detail.items()))

        profiler = cProfile.Profile()
        fresh_log()
        emu0 = emulator_cpu()
        t0 = time.perf_counter()
        profiler.enable()
        the_module_path()
        profiler.disable()
        profiled_wall = time.perf_counter() - t0
        profiled_emulator_cpu = emulator_cpu() - emu0

        stats = pstats.Stats(profiler)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).strip_dirs().sort_stats("cumulative").print_stats(args.top)
        print(f"\nunder cProfile: wall {profiled_wall:.2f} s (profiling slows this process down; the emulator's CPU meanwhile: {profiled_emulator_cpu:.2f} s)")
        print(f"\ntop {args.top} functions by cumulative time:")
        print("\n".join(line for line in text.getvalue().splitlines() if line.strip() and not line.startswith("   Random listing")))

        split = split_by_category(stats)
        print_split(split, "self time by category (standard library charged to its callers)")

        ours = sorted(((tt, func) for func, (cc, nc, tt, ct, callers) in stats.stats.items() if classify(func) in (OURS, AMAZON)), reverse=True)
        print("\nour code and the amazon.aws wrapper, by self time:")
        for tt, func in ours[:12]:
            cc, nc, tt_, ct, dummy = stats.stats[func]
            print(f"  {tt:7.3f} s self  {ct:7.3f} s cumulative  {nc:7d} calls  {Path(func[0]).name}:{func[1]}({func[2]})")

        whole = None
        if not args.in_process and args.whole_module:
            whole = profile_whole_module(args, emulator, application_id, index_id, data_source_id, workdir)

        result = {
            "jobs": args.jobs,
            "in_process": args.in_process,
            "emulator_gc": args.emulator_gc,
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "unprofiled": rows,
            "whole_module": whole,
            "profiled": {"wall": profiled_wall, "emulator_cpu": profiled_emulator_cpu, "self_time_by_category": split},
            "ours_top": [
                {"function": f"{Path(f[0]).name}:{f[1]}({f[2]})", "self": stats.stats[f][2], "cumulative": stats.stats[f][3], "calls": stats.stats[f][1]}
                for tt, f in ours[:12]
            ],
        }
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(json.dumps(result, indent=1) + "\n")
        print(f"\nnumbers written to {args.output}")
    finally:
        if emulator:
            emulator.stop()
        if mock:
            mock.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
