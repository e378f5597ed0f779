# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run qbusiness.ops.sync_gate through ansible-runner, as AWX and Automation Controller run a job.

A private data directory in AWX's layout is written for each run:

  env/extravars   the job's extra vars (YAML): the application, index, data sources, region and endpoint
  env/envvars     the job's environment (YAML): the credentials, as a credential type injects them, and
                  ANSIBLE_COLLECTIONS_PATH, where AWX puts the collections of a project's requirements
  inventory/hosts the job's inventory (localhost, local connection)
  project/        the project directory the playbook runs in (the playbook itself comes from the collection)

then ansible_runner.run(private_data_dir=..., playbook="qbusiness.ops.sync_gate") runs it, and what AWX reads back
is printed as one JSON object: the run's status and rc, the gate task's job events (event name, the verdict's
sync_jobs and message), the playbook_on_stats event, and which files of the private data directory (artifacts/,
the job events, stdout) hold the secret key. Run with the default virtualenv's Python, which has ansible-runner.

usage: RUN_GATE_SECRET_KEY=... run_gate.py COLLECTIONS_ROOT ENDPOINT_URL REGION ACCESS_KEY WORKDIR NAME APPLICATION_ID INDEX_ID DATA_SOURCE_ID[,...]
"""

from __future__ import annotations

import json
import os
import sys
import time

import ansible_runner
import yaml

GATE_TASK = "Gate on the latest syncs"


def write_private_data_dir(
    base: str, collections: str, endpoint: str, region: str, access_key: str, secret_key: str, app: str, index: str, data_sources: str
) -> None:
    for sub in ("env", "inventory", "project"):
        os.makedirs(os.path.join(base, sub), exist_ok=True)
    extravars = {"application_id": app, "index_id": index, "data_source_id": data_sources, "region": region, "endpoint_url": endpoint}
    envvars = {"AWS_ACCESS_KEY_ID": access_key, "AWS_SECRET_ACCESS_KEY": secret_key, "ANSIBLE_COLLECTIONS_PATH": collections, "ANSIBLE_NOCOLOR": "1"}
    with open(os.path.join(base, "env", "extravars"), "w", encoding="utf-8") as f:
        yaml.safe_dump(extravars, f)
    with open(os.path.join(base, "env", "envvars"), "w", encoding="utf-8") as f:
        yaml.safe_dump(envvars, f)
    with open(os.path.join(base, "inventory", "hosts"), "w", encoding="utf-8") as f:
        f.write("localhost ansible_connection=local\n")


def files_holding(root: str, needle: str, skip: set[str]) -> list[str]:
    found = []
    for directory, _subdirs, names in os.walk(root):
        for name in names:
            path = os.path.join(directory, name)
            rel = os.path.relpath(path, root)
            if rel in skip:
                continue
            with open(path, "rb") as f:
                if needle.encode() in f.read():
                    found.append(rel)
    return sorted(found)


def main() -> int:
    collections, endpoint, region, access_key, workdir, name, app, index, data_sources = sys.argv[1:10]
    secret_key = os.environ.pop("RUN_GATE_SECRET_KEY")
    base = os.path.join(workdir, name)
    write_private_data_dir(base, collections, endpoint, region, access_key, secret_key, app, index, data_sources)
    # The job's environment is env/envvars on top of the runner's own, as in an execution environment: none of the
    # ANSIBLE_* settings of the test that runs this script; ansible-playbook from this Python's virtualenv.
    for key in [k for k in os.environ if k.startswith("ANSIBLE_")]:
        del os.environ[key]
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    started = time.monotonic()
    run = ansible_runner.run(private_data_dir=base, playbook="qbusiness.ops.sync_gate", ident="job", quiet=True)
    seconds = round(time.monotonic() - started, 1)
    events = list(run.events)
    gate = [e for e in events if e.get("event_data", {}).get("task") == GATE_TASK and e["event"] in ("runner_on_ok", "runner_on_failed")]
    stats = [e["event_data"] for e in events if e["event"] == "playbook_on_stats"]
    print(
        json.dumps(
            {
                "status": run.status,
                "rc": run.rc,
                "seconds": seconds,
                "event_names": sorted({e["event"] for e in events}),
                "gate_events": [
                    {"event": e["event"], "msg": e["event_data"]["res"].get("msg"), "sync_jobs": e["event_data"]["res"].get("sync_jobs")} for e in gate
                ],
                "stats": [{k: s.get(k) for k in ("ok", "failures", "changed")} for s in stats],
                "stdout": run.stdout.read(),
                "artifacts": sorted(os.listdir(os.path.join(base, "artifacts", "job"))),
                # env/envvars is the job's input, where AWX writes the credential too; everything the run wrote must not hold it.
                "secret_in": files_holding(base, secret_key, skip={os.path.join("env", "envvars")}),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
