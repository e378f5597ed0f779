# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Input checks: request fields (collected into one ValidationException, like the service) and control payloads.

Control payloads whose keys are a dataclass's fields derive from :class:`SpecFields`: the fields are then the
one list of keys, defaults, checks and the snake_case form shown back (``from_spec`` / ``to_spec``).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import inspect
import math
import re
import uuid
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any
from typing import ClassVar
from typing import TypeVar

from .exceptions import ControlError
from .exceptions import ValidationException

ID_PATTERN = "[a-zA-Z0-9][a-zA-Z0-9-]{35}"
NAME_PATTERN = "[a-zA-Z0-9][a-zA-Z0-9_-]*"
ID_RE = re.compile(ID_PATTERN)
NAME_RE = re.compile(NAME_PATTERN)
PATH_IDS = ("applicationId", "indexId", "dataSourceId")


def new_id() -> str:
    """A fresh resource or execution id (uuid4, 36 characters; fits the model's ID pattern)."""
    return str(uuid.uuid4())


class FieldChecks:
    """Collects field validation failures so one ValidationException reports them all, like the service."""

    def __init__(self) -> None:
        self.fields: list[dict[str, str]] = []
        self.reason: str | None = None

    @classmethod
    def of_path(cls, path: dict[str, str]) -> FieldChecks:
        """Checks with the path's resource ids already checked."""
        checks = cls()
        for name in PATH_IDS:
            if name in path:
                checks.id(name, path[name])
        return checks

    def fail(self, name: str, message: str, reason: str = "FIELD_VALIDATION_FAILED") -> None:
        self.fields.append({"name": name, "message": message})
        self.reason = self.reason or reason

    def id(self, name: str, value: str) -> None:
        if not isinstance(value, str) or not ID_RE.fullmatch(value):
            self.fail(name, f"Value '{value}' at '{name}' failed to satisfy constraint: Member must satisfy regular expression pattern: {ID_PATTERN}")

    def name(self, name: str, value: Any, required: bool = True) -> None:
        if value is None:
            if required:
                self.fail(name, f"Value null at '{name}' failed to satisfy constraint: Member must not be null")
            return
        if not isinstance(value, str) or not 1 <= len(value) <= 1000 or not NAME_RE.fullmatch(value):
            self.fail(name, f"Value '{value}' at '{name}' failed to satisfy constraint: Member must satisfy regular expression pattern: {NAME_PATTERN}")

    def optional_str(self, name: str, value: Any, max_len: int) -> None:
        if value is not None and (not isinstance(value, str) or len(value) > max_len):
            self.fail(name, f"Value at '{name}' failed to satisfy constraint: Member must be a string of at most {max_len} characters")

    def enum(self, name: str, value: Any, allowed: Iterable[str]) -> None:
        if value is not None and value not in allowed:
            self.fail(name, f"Value '{value}' at '{name}' failed to satisfy constraint: Member must satisfy enum value set")

    def raise_if_any(self) -> None:
        if self.fields:
            n = len(self.fields)
            detail = "; ".join(f["message"] for f in self.fields)
            raise ValidationException(f"{n} validation error{'s' if n > 1 else ''} detected: {detail}", self.reason or "FIELD_VALIDATION_FAILED", self.fields)


def check_keys(spec: Any, allowed: Iterable[str], where: str) -> dict[str, Any]:
    """Require an object whose keys are all in ``allowed``; the error names the first unknown key."""
    if not isinstance(spec, dict):
        raise ControlError(f"{where}: expected an object")
    allowed = list(allowed)
    for key in spec:
        if key not in allowed:
            raise ControlError(f"{where}: unknown key '{key}'; allowed: {allowed}")
    return spec


def seconds(value: Any, key: str, where: str) -> float:
    """A duration in seconds: a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ControlError(f"{where}: '{key}' must be a number >= 0")
    return float(value)


def flag(value: Any, key: str, where: str) -> bool:
    """A true/false option."""
    if not isinstance(value, bool):
        raise ControlError(f"{where}: '{key}' must be true or false")
    return value


# A field's check: (value, key, where) -> the value to store; raises ControlError.
Parse = Callable[[Any, str, str], Any]
# A field's snake_case form in to_spec: stored value -> shown value.
Show = Callable[[Any], Any]
S = TypeVar("S", bound="SpecFields")
R = TypeVar("R")


def spec_field(default: Any, parse: Parse, show: Show = copy.deepcopy) -> Any:
    """A dataclass field that is a control-payload key: its default, its check and how to_spec shows it."""
    return dataclasses.field(default=default, metadata={"parse": parse, "show": show})


class SpecFields:
    """Mixin for a dataclass whose fields are the keys of one control payload."""

    WHERE: ClassVar[str] = "spec"  # names the payload in error messages
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]  # set by @dataclass on the subclass

    @classmethod
    def keys(cls) -> list[str]:
        """The payload keys, in field order."""
        return [f.name for f in dataclasses.fields(cls)]

    @classmethod
    def from_spec(cls: type[S], spec: Any, where: str | None = None) -> S:
        """Validate a snake_case payload; absent keys take the field defaults."""
        where = where or cls.WHERE
        check_keys(spec, cls.keys(), where)
        values = {f.name: f.metadata["parse"](spec.get(f.name, f.default), f.name, where) for f in dataclasses.fields(cls)}
        return cls(**values)

    def to_spec(self) -> dict[str, Any]:
        """The stored values as a snake_case payload (what from_spec would take back)."""
        return {f.name: f.metadata["show"](getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def parameters(cls) -> list[inspect.Parameter]:
        """The fields as keyword parameters with their defaults."""
        return [inspect.Parameter(f.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=f.default, annotation=f.type) for f in dataclasses.fields(cls)]


def takes_spec(spec_class: type[SpecFields], before: Sequence[str] = (), after: Sequence[str] = ()) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Give a ``def f(<before>, <after>, **spec)`` the signature ``f(<before>, <spec fields>, <after>)``.

    Calls are bound to that signature (a wrong name is a TypeError, as for any function) and ``spec``
    receives every field, defaults included; inspect.signature shows the fields, which is what the
    HTTP control routes check payload keys against.
    """

    def decorate(func: Callable[..., R]) -> Callable[..., R]:
        own = inspect.signature(func).parameters
        signature = inspect.Signature(
            [own[name] for name in before] + spec_class.parameters() + [own[name] for name in after],
            return_annotation=inspect.signature(func).return_annotation,
        )
        spec_keys = spec_class.keys()

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> R:
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as exc:  # worded as Python words a call that does not fit a def
                raise TypeError(f"{func.__name__}() {exc}") from None
            bound.apply_defaults()
            named = {k: v for k, v in bound.arguments.items() if k not in spec_keys}
            return func(**named, **{k: bound.arguments[k] for k in spec_keys})

        wrapper.__signature__ = signature  # type: ignore[attr-defined]
        return wrapper

    return decorate
