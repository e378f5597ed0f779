# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gate's options live twice by Ansible's design: in the action's argument spec and in the docs-only
module file. validate-modules cannot compare them for a docs-only module, so this does. (What the gate prints
through ansible-playbook is tested by the integration target qbusiness_sync_gate, tasks/progress.yml.)"""

from __future__ import annotations

import ast
import pathlib

import yaml

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
