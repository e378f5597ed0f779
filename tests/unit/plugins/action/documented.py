# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An action plugin's options live twice by Ansible's design: in the action's argument spec and in its docs-only module
file. validate-modules cannot compare them for a docs-only module, so the action tests do, through this."""

from __future__ import annotations

import ast
import pathlib
from typing import Any
from typing import Dict

import yaml
from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec

ROOT = pathlib.Path(__file__).resolve().parents[4]


def documented_options(module: str) -> Dict[str, Any]:
    """``module``'s documented options (plugins/modules/<module>.py), with those of its qbusiness.ops fragments."""
    tree = ast.parse((ROOT / f"plugins/modules/{module}.py").read_text())
    doc = yaml.safe_load(next(node.value.value for node in tree.body if isinstance(node, ast.Assign) and node.targets[0].id == "DOCUMENTATION"))
    options = dict(doc["options"])
    fragments = {}
    for node in ast.walk(ast.parse((ROOT / "plugins/doc_fragments/qbusiness.py").read_text())):
        if isinstance(node, ast.Assign):
            fragments[node.targets[0].id] = yaml.safe_load(node.value.value)["options"]
    for name in doc["extends_documentation_fragment"]:
        if name.startswith("qbusiness.ops.qbusiness"):
            suffix = name[len("qbusiness.ops.qbusiness") :].lstrip(".")
            options.update(fragments[suffix.upper() or "DOCUMENTATION"])
    return options


def assert_spec_matches_documentation(spec: Dict[str, Any], module: str) -> None:
    """Every option of ``spec`` (less amazon.aws's common ones) documented by ``module``, with the same type, elements,
    default, choices and requiredness, and nothing documented that the spec lacks."""
    own = {name: value for name, value in spec.items() if name not in aws_argument_spec()}
    documented = documented_options(module)
    assert set(own) == set(documented)
    for name, option in own.items():
        doc = documented[name]
        assert option.get("type", "str") == doc.get("type", "str"), name
        assert option.get("elements") == doc.get("elements"), name
        assert option.get("default") == doc.get("default"), name
        assert option.get("choices") == doc.get("choices"), name
        assert bool(option.get("required")) == bool(doc.get("required")), name
