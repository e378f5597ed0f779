# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Behaviours: service semantics AWS does not document, each a switch (the set_behaviours keys).

The defaults are what the emulator always did. Unlike the faults, a behaviour decides no single request by
chance: it changes what the service *is* (how its tokens, time filters, listing and Start/Stop answer), so
a client can be shown right, or failing clearly, under each reading of the documentation.
:data:`BEHAVIOURS` is process-wide (all regions and accounts), like the faults.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from typing import ClassVar

from .clock import IN_PROGRESS
from .exceptions import ControlError
from .validation import SpecFields
from .validation import check_keys
from .validation import flag
from .validation import spec_field

TIME_FILTER_FIELDS = ("start_time", "end_time")
TIME_FILTER_BOUNDS = ("inclusive", "exclusive")
CONFLICT_ANSWERS = ("conflict", "ok")


def _one_of(choices: tuple[str, ...]) -> Callable[[Any, str, str], str]:
    def parse(value: Any, key: str, where: str) -> str:
        if value not in choices:
            raise ControlError(f"{where}: '{key}' must be one of {list(choices)}, not {value!r}")
        return str(value)

    return parse


def _number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)


def _ttl(value: Any, key: str, where: str) -> float | None:
    if value is not None and (not _number(value) or value <= 0):
        raise ControlError(f"{where}: '{key}' must be a number > 0 or null")
    return value  # as given: an integer stays an integer in get_behaviours


def _delay(value: Any, key: str, where: str) -> float:
    if not _number(value) or value < 0:
        raise ControlError(f"{where}: '{key}' must be a number >= 0")
    return value


@dataclass(frozen=True)
class BehaviourConfig(SpecFields):
    """The set_behaviours keyword arguments. Defaults are the emulator's behaviour before the switches existed."""

    WHERE: ClassVar[str] = "behaviours"

    tokens_bound_to_request: bool = spec_field(False, flag)
    token_ttl_seconds: float | None = spec_field(None, _ttl)
    time_filter_field: str = spec_field("start_time", _one_of(TIME_FILTER_FIELDS))
    time_filter_bounds: str = spec_field("inclusive", _one_of(TIME_FILTER_BOUNDS))
    time_filter_keeps_running: bool = spec_field(True, flag)
    listing_delay_seconds: float = spec_field(0, _delay)
    stop_without_sync: str = spec_field("conflict", _one_of(CONFLICT_ANSWERS))
    start_while_running: str = spec_field("conflict", _one_of(CONFLICT_ANSWERS))

    @classmethod
    def merged(cls, base: BehaviourConfig, changes: Any, where: str | None = None) -> BehaviourConfig:
        """``base`` with the keys of ``changes`` replaced (validated; an unknown key or a bad value names it)."""
        check_keys(changes, cls.keys(), where or cls.WHERE)
        return cls.from_spec({**base.to_spec(), **changes}, where)

    @property
    def bisectable(self) -> bool:
        """Whether the time filters compare startTime and keep running jobs: bisects over the order answer them."""
        return self.time_filter_field == "start_time" and self.time_filter_keeps_running

    def bounds(self, start: int | None, end: int | None) -> tuple[int | None, int | None]:
        """The filter bounds as inclusive ones: times are whole milliseconds, so ``> t`` is ``>= t + 1``."""
        if self.time_filter_bounds == "inclusive":
            return start, end
        return (None if start is None else start + 1), (None if end is None else end - 1)

    def time_matches(self, start: int | None, end: int | None, status: str, start_ms: int, end_ms: int | None) -> bool:
        """Whether a job (its status, start and end) passes the startTime/endTime filters of a request."""
        if start is None and end is None:
            return True
        if not self.time_filter_keeps_running and status in IN_PROGRESS:
            return False
        at = start_ms if self.time_filter_field == "start_time" else end_ms
        if at is None:  # compared by end time, a job without one (in progress) matches no time filter
            return False
        low, high = self.bounds(start, end)
        return (low is None or at >= low) and (high is None or at <= high)


class Behaviours:
    """The process-wide behaviour switches. ``config`` is replaced whole, never changed in place."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.config = BehaviourConfig()

    def update(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Set the given keys (the others keep their values); the whole configuration as get_behaviours shows it."""
        with self._lock:
            self.config = BehaviourConfig.merged(self.config, changes)
            return self.config.to_spec()

    def current(self) -> dict[str, Any]:
        """Every key with its current value."""
        return self.config.to_spec()

    def reset(self) -> dict[str, Any]:
        """Every key back to its default."""
        with self._lock:
            self.config = BehaviourConfig()
            return self.config.to_spec()


BEHAVIOURS = Behaviours()


def parse_assignment(text: str) -> tuple[str, Any]:
    """A CLI ``KEY=VALUE``: VALUE as JSON, else the string itself; the key and value are checked here."""
    key, sep, raw = text.partition("=")
    if not sep or not key:
        raise ControlError(f"--behaviour: expected KEY=VALUE, got {text!r}")
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    BehaviourConfig.merged(BehaviourConfig(), {key: value}, "--behaviour")
    return key, value
