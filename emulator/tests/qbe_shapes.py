# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small recursive checker of boto3 answers against botocore's qbusiness OUTPUT shapes."""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

import botocore.session

_MODEL = botocore.session.get_session().get_service_model("qbusiness")


def output_errors(operation: str, response: dict[str, Any]) -> list[str]:
    """Every way ``response`` (a parsed boto3 answer) breaks the operation's output shape."""
    shape = _MODEL.operation_model(operation).output_shape
    data = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    errors: list[str] = []
    if shape is None:
        if data:
            errors.append(f"{operation}: expected no output members, got {sorted(data)}")
        return errors
    _check(shape, data, operation, errors)
    return errors


def assert_output(operation: str, response: dict[str, Any]) -> None:
    """Fail with the list of violations if the answer does not match the model."""
    errors = output_errors(operation, response)
    assert not errors, "\n".join(errors)


# Java-style Unicode property patterns Python's re lacks: "\P{C}*" (no control, format, private-use, surrogate
# or unassigned character), the pattern of DocumentId among others.
_UNICODE_PROPERTY = re.compile(r"\\([pP])\{(\w)\}\*")


def _matches(pattern: str, value: str) -> bool:
    found = _UNICODE_PROPERTY.fullmatch(pattern)
    if found:
        negated, category = found.group(1) == "P", found.group(2)
        return all(unicodedata.category(ch).startswith(category) != negated for ch in value)
    return re.fullmatch(pattern, value) is not None


def _check_length(shape: Any, size: int, path: str, errors: list[str]) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and size < low:
        errors.append(f"{path}: length {size} < min {low}")
    if high is not None and size > high:
        errors.append(f"{path}: length {size} > max {high}")


def _check(shape: Any, value: Any, path: str, errors: list[str]) -> None:
    kind = shape.type_name
    if shape.metadata.get("document"):
        return  # a free-form document: anything JSON goes
    if kind == "structure":
        if not isinstance(value, dict):
            errors.append(f"{path}: expected an object, got {type(value).__name__}")
            return
        for name in shape.required_members:
            if name not in value:
                errors.append(f"{path}: missing required member {name}")
        for name, member_value in value.items():
            if name not in shape.members:
                errors.append(f"{path}: unknown member {name}")
                continue
            _check(shape.members[name], member_value, f"{path}.{name}", errors)
    elif kind == "list":
        if not isinstance(value, list):
            errors.append(f"{path}: expected a list, got {type(value).__name__}")
            return
        _check_length(shape, len(value), path, errors)
        for i, item in enumerate(value):
            _check(shape.member, item, f"{path}[{i}]", errors)
    elif kind == "map":
        if not isinstance(value, dict):
            errors.append(f"{path}: expected a map, got {type(value).__name__}")
            return
        for key, item in value.items():
            _check(shape.key, key, f"{path}<key>", errors)
            _check(shape.value, item, f"{path}[{key}]", errors)
    elif kind == "string":
        if not isinstance(value, str):
            errors.append(f"{path}: expected a string, got {type(value).__name__} {value!r}")
            return
        _check_length(shape, len(value), path, errors)
        enum = shape.metadata.get("enum")
        if enum and value not in enum:
            errors.append(f"{path}: {value!r} not in enum {enum}")
        pattern = shape.metadata.get("pattern")
        if pattern and not _matches(pattern, value):
            errors.append(f"{path}: {value!r} does not match pattern {pattern}")
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append(f"{path}: expected an integer, got {value!r}")
            return
        _check_length(shape, value, path, errors)
    elif kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append(f"{path}: expected a number, got {value!r}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            errors.append(f"{path}: expected a boolean, got {value!r}")
    elif kind == "timestamp":
        if not isinstance(value, datetime.datetime):
            errors.append(f"{path}: expected a timestamp, got {value!r}")
    elif kind == "blob":
        if not isinstance(value, (bytes, bytearray)):
            errors.append(f"{path}: expected bytes, got {type(value).__name__}")
    else:
        errors.append(f"{path}: shape type {kind} not handled by the checker")
