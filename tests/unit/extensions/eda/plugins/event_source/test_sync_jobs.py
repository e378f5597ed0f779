# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The qbusiness.ops.sync_jobs event source's main(queue, args), as ansible.eda tests its sources (a queue that keeps
what it is given, the loop stopped after N polls), against the emulator in-process with its clock driven; its
DOCUMENTATION against its JSON schema; and loading it the way ansible-rulebook does (runpy.run_path)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import threading
from typing import Any
from typing import Callable
from typing import Dict
from typing import List

import jsonschema
import pytest
import yaml
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.extensions.eda.plugins.event_source import sync_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.client import qbusiness_client_from_args
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import APP
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import INDEX
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import WIKI
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import changes
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import drive_clock
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import load_index
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import start_sync

SECRET = "s3cr3t-never-logged"
ARGS = dict(
    region="us-east-1",
    access_key="testing",
    secret_key=SECRET,
    application_name="handbook-assistant",
    index_id=INDEX,
    data_source_name="confluence-wiki",
    delay=5,
)
SCHEMA_PATH = os.path.join(os.path.dirname(sync_jobs.__file__), "schemas", "sync_jobs.json")


class _MockQueue(asyncio.Queue):
    def __init__(self) -> None:
        super().__init__()
        self.queue: List[Any] = []

    async def put(self, item: Any) -> None:
        self.queue.append(item)


@pytest.fixture(name="clock")
def clock_fixture(emulated_client, monkeypatch):
    clock = drive_clock(monkeypatch)
    load_index()
    return clock


def run(monkeypatch, clock, args: Dict[str, Any], polls: int, between: Callable[[int], None] = lambda poll: None) -> List[Any]:
    """main(queue, args) for ``polls`` polls: each sleep moves the emulator's clock by ``delay`` (no real wait) and calls
    ``between`` with the number of the poll just made; the loop is then cancelled, as ansible-rulebook ends a source."""
    made = []

    async def sleep(seconds: float) -> None:
        made.append(seconds)
        between(len(made))
        clock.advance(seconds)
        if len(made) == polls:
            raise asyncio.CancelledError

    monkeypatch.setattr(sync_jobs, "_sleep", sleep)
    queue = _MockQueue()
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(sync_jobs.main(queue, args))
    assert made == [args["delay"]] * polls
    return queue.queue


def test_a_sync_that_starts_runs_and_succeeds(monkeypatch, clock):
    events = run(monkeypatch, clock, ARGS, 6, lambda poll: start_sync(WIKI) if poll == 1 else None)
    assert changes(events) == [
        ("started", WIKI, None, "SYNCING"),
        ("status_changed", WIKI, "SYNCING", "SYNCING_INDEXING"),
        ("finished", WIKI, "SYNCING_INDEXING", "SUCCEEDED"),
    ]
    assert events[0]["qbusiness_sync_job"]["data_source_name"] == "confluence-wiki"
    assert events[0]["qbusiness_sync_job"]["application_id"] == APP


def test_a_failed_poll_is_logged_and_never_ends_the_loop(monkeypatch, clock, caplog):
    denied = qbusiness_client_from_args(ARGS).client._request_signer._credentials.access_key  # in-process: the mock's key

    def between(poll: int) -> None:
        if poll == 1:
            control.set_faults(denied_access_keys=[denied], operations=["ListDataSourceSyncJobs"])
        elif poll == 4:
            control.clear_faults()
            start_sync(WIKI, outcome="FAILED")

    caplog.set_level(logging.WARNING, logger="qbusiness.ops.sync_jobs")
    events = run(monkeypatch, clock, dict(ARGS, failures_before_event=2), 8, between)
    assert changes(events) == [
        ("poll_failed", WIKI, None, None),
        ("started", WIKI, None, "SYNCING"),
        ("status_changed", WIKI, "SYNCING", "SYNCING_INDEXING"),
        ("finished", WIKI, "SYNCING_INDEXING", "FAILED"),
    ]
    failures = [record.getMessage() for record in caplog.records]
    assert len(failures) == 3 and all("poll failed" in m and "AccessDeniedException" in m for m in failures)
    assert SECRET not in caplog.text


def test_an_unforeseen_error_is_logged_and_the_next_poll_goes_on(monkeypatch, clock, caplog):
    real_poll = sync_jobs.SyncJobWatcher.poll
    calls = []

    def poll(self):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return real_poll(self)

    monkeypatch.setattr(sync_jobs.SyncJobWatcher, "poll", poll)
    caplog.set_level(logging.ERROR, logger="qbusiness.ops.sync_jobs")
    events = run(monkeypatch, clock, ARGS, 6, lambda n: start_sync(WIKI) if n == 2 else None)
    assert "RuntimeError: boom" in caplog.text
    assert [change for change, *dummy in changes(events)] == ["started", "status_changed", "finished"]


def test_bad_arguments_end_the_source_before_any_request(clock):
    with pytest.raises(OptionError, match="delay must be an integer of at least 1"):
        asyncio.run(sync_jobs.main(_MockQueue(), dict(ARGS, delay=0)))
    with pytest.raises(OptionError, match="one of index_id or index_name is required"):
        asyncio.run(sync_jobs.main(_MockQueue(), {k: v for k, v in ARGS.items() if k != "index_id"}))
    assert control.requests() == []


# DOCUMENTATION's types as JSON schema types.
_TYPES = {"str": "string", "path": "string", "int": "integer", "bool": "boolean", "dict": "object", "list": ["string", "array"]}


def test_the_schema_and_the_documentation_agree():
    documented = yaml.safe_load(sync_jobs.DOCUMENTATION)["options"]
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    properties = schema["properties"]
    aliases = {alias: name for name, option in documented.items() for alias in option.get("aliases", [])}
    assert sorted(properties) == sorted(list(documented) + list(aliases))  # each alias too: no other argument is taken
    assert schema["additionalProperties"] is False
    for name, option in list(documented.items()) + [(alias, documented[name]) for alias, name in aliases.items()]:
        assert properties[name]["type"] == _TYPES[option["type"]], name
        assert properties[name].get("default") == option.get("default"), name
        secret = aliases.get(name, name) in ("access_key", "secret_key", "session_token")
        assert (properties[name].get("format") == "password") == secret, name


def test_the_examples_satisfy_the_schema_and_an_index_is_required():
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        validator = jsonschema.Draft202012Validator(json.load(f))
    examples = yaml.safe_load(sync_jobs.EXAMPLES)
    args = [source["qbusiness.ops.sync_jobs"] for rulebook in examples for source in rulebook["sources"]]
    assert args and all(not list(validator.iter_errors(one)) for one in args)
    assert list(validator.iter_errors(dict(application_id=APP)))  # no index
    assert list(validator.iter_errors(dict(application_id=APP, application_name="a", index_id=INDEX)))  # both
    assert list(validator.iter_errors(dict(application_id=APP, index_id=INDEX, dleay=5)))  # an unknown argument
    assert not list(validator.iter_errors(dict(application_id=APP, index_id=INDEX, aws_region="eu-west-1")))  # an alias


def test_an_unknown_argument_ends_the_source_before_any_request(monkeypatch, clock):
    async def sleep(seconds: float) -> None:
        raise asyncio.CancelledError  # so that a source that took the argument stops (and fails the test) at once

    monkeypatch.setattr(sync_jobs, "_sleep", sleep)
    with pytest.raises(OptionError, match="unsupported argument: data_source"):
        asyncio.run(sync_jobs.main(_MockQueue(), dict(ARGS, data_source="confluence-wiki")))
    assert control.requests() == []
    # ansible-rulebook's own argument is taken
    assert run(monkeypatch, clock, dict(ARGS, eda_feedback_queue=asyncio.Queue()), 1) == []


def test_the_client_is_built_in_a_worker_thread(monkeypatch, clock):
    threads = []

    def build(args):
        threads.append(threading.current_thread())
        return qbusiness_client_from_args(args)

    monkeypatch.setattr(sync_jobs, "qbusiness_client_from_args", build)
    run(monkeypatch, clock, ARGS, 1)
    assert threads and threads[0] is not threading.main_thread()  # boto3 may block: not on the event loop


def _staged_root() -> str:
    """The collections root of the copy under test: eight directory levels above the source file."""
    root = os.path.abspath(sync_jobs.__file__)
    for dummy in range(8):
        root = os.path.dirname(root)
    return root


def test_ansible_rulebook_s_way_of_loading_finds_the_collection_code(tmp_path):
    """ansible-rulebook runs the file with runpy.run_path, from its own working directory, with nothing of the
    collections on sys.path: the source finds its collections root from its own path (as found: through a symlink
    here, abspath not realpath) and puts it at the front, before another copy of the collection on sys.path."""
    decoy = tmp_path / "decoy"
    events = decoy / "ansible_collections" / "qbusiness" / "ops" / "plugins" / "plugin_utils" / "_events"
    events.mkdir(parents=True)
    (events / "watcher.py").write_text("SyncJobWatcher = 'a decoy'\n", encoding="utf-8")
    linked = tmp_path / "linked"
    linked.symlink_to(_staged_root(), target_is_directory=True)
    source = os.path.join(str(linked), os.path.relpath(os.path.abspath(sync_jobs.__file__), _staged_root()))
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS")}
    env.update(HOME=str(home), PYTHONPATH=str(decoy))
    code = (
        "import runpy, sys; module = runpy.run_path(sys.argv[1]); import ansible_collections.qbusiness.ops.plugins.plugin_utils._events."
        "watcher as w, ansible_collections.qbusiness.ops.plugins.plugin_utils._events.client as c; print(w.__file__); print(c.__file__); "
        "print(module['SyncJobWatcher'].__module__)"
    )
    done = subprocess.run([sys.executable, "-c", code, source], env=env, cwd=str(tmp_path), capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    watcher_file, client_file, module = done.stdout.split()
    assert watcher_file.startswith(str(linked) + os.sep) and client_file.startswith(str(linked) + os.sep), done.stdout
    assert module == "ansible_collections.qbusiness.ops.plugins.plugin_utils._events.watcher"
