# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gate's options live twice by Ansible's design: in the action's argument spec and in the docs-only
module file. validate-modules cannot compare them for a docs-only module, so this does."""

from __future__ import annotations

import ast
import os
import pathlib
import re
import subprocess
import sys

import pytest
import yaml
from qbusiness_emulator import control
from qbusiness_emulator.server import EmulatorServer

from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec
from ansible_collections.qbusiness.ops.plugins.action.qbusiness_sync_gate import argument_spec

ROOT = pathlib.Path(__file__).resolve().parents[4]


def _documented_options():
    """The gate's options: its own, and those of the qbusiness.ops fragments it names."""
    tree = ast.parse((ROOT / "plugins/modules/qbusiness_sync_gate.py").read_text())
    doc = yaml.safe_load(next(node.value.value for node in tree.body if isinstance(node, ast.Assign) and node.targets[0].id == "DOCUMENTATION"))
    options = dict(doc["options"])
    fragments = {}
    for node in ast.walk(ast.parse((ROOT / "plugins/doc_fragments/qbusiness.py").read_text())):
        if isinstance(node, ast.Assign):
            fragments[node.targets[0].id] = yaml.safe_load(node.value.value)["options"]
    for name in doc["extends_documentation_fragment"]:
        if name.startswith("qbusiness.ops.qbusiness"):
            suffix = name[len("qbusiness.ops.qbusiness"):].lstrip(".")
            options.update(fragments[suffix.upper() or "DOCUMENTATION"])
    return options


def test_argument_spec_matches_the_documentation():
    spec = {name: value for name, value in argument_spec().items() if name not in aws_argument_spec()}
    documented = _documented_options()
    assert set(spec) == set(documented)
    for name, option in spec.items():
        doc = documented[name]
        assert option.get("type", "str") == doc.get("type", "str"), name
        assert option.get("elements") == doc.get("elements"), name
        assert option.get("default") == doc.get("default"), name
        assert option.get("choices") == doc.get("choices"), name
        assert bool(option.get("required")) == bool(doc.get("required")), name


# --- through ansible-playbook, against the emulator's server --------------------------------------------------

APP = "abababab-0000-4000-8000-000000000001"
INDEX = "abababab-0000-4000-8000-000000000002"
DS = "abababab-0000-4000-8000-000000000003"
SECRET_KEY = "Sx9-the-secret-key-that-must-never-show-0001"
SESSION_TOKEN = "Tk7-the-session-token-that-must-never-show-0001"

PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Gate with a wait
      qbusiness.ops.qbusiness_sync_gate:
        endpoint_url: "%(endpoint)s"
        region: us-east-1
        access_key: AKIAEXAMPLEPROGRESS0
        secret_key: "%(secret)s"
        session_token: "%(token)s"
        application_id: %(app)s
        index_id: %(index)s
        data_source_id: %(ds)s
        wait: true
        wait_sleep: 1
        wait_timeout: 30
"""


@pytest.fixture(name="emulator")
def emulator_fixture():
    scenario = {
        "applications": [
            {"name": "progress", "application_id": APP, "indices": [{"name": "main", "index_id": INDEX, "data_sources": [{"name": "d", "data_source_id": DS}]}]}
        ]
    }
    control.reset()  # the emulator's state is process-wide
    with EmulatorServer(scenario=scenario) as server:
        yield server
    control.reset()


def _run_gate(emulator, tmp_path, verbosity):
    control.set_next_sync(APP, INDEX, DS, outcome="SUCCEEDED", syncing_seconds=2.5, indexing_seconds=0.5)
    control.start_sync(APP, INDEX, DS)
    playbook = tmp_path / "gate.yml"
    playbook.write_text(PLAYBOOK % dict(endpoint=emulator.endpoint_url, secret=SECRET_KEY, token=SESSION_TOKEN, app=APP, index=INDEX, ds=DS))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(ROOT.parents[2]), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    command = [str(pathlib.Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", str(playbook), "-" + "v" * verbosity]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_progress_lines_at_v(emulator, tmp_path):
    run = _run_gate(emulator, tmp_path, 1)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = [line for line in run.stdout.splitlines() if line.startswith(f"qbusiness_sync_gate: data source {DS}: ")]
    assert len(lines) >= 2, run.stdout
    assert all(re.fullmatch(rf"qbusiness_sync_gate: data source {DS}: SYNCING(_INDEXING)?, \d+ documents scanned, \d+s/30s", line) for line in lines), lines


def test_secrets_never_show_even_at_vvvv(emulator, tmp_path):
    run = _run_gate(emulator, tmp_path, 4)
    assert run.returncode == 0, run.stdout + run.stderr
    output = run.stdout + run.stderr
    assert "qbusiness_sync_gate: data source" in output  # the verbose run really printed its details
    assert SECRET_KEY not in output
    assert SESSION_TOKEN not in output
