# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The sync_jobs event source's own arguments, checked before any request (the AWS options are client.py's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from typing import Iterable
from typing import List
from typing import Mapping
from typing import Optional

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import IndexSelection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import Named
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_data_source_list
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_index_selection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import int_at_least
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import shorten

# The source's own arguments; the AWS options (and their aliases) are client.py's.
WATCH_ARGUMENTS = (
    "application_id",
    "application_name",
    "index_id",
    "index_name",
    "data_source_id",
    "data_source_name",
    "delay",
    "emit_existing",
    "failures_before_event",
)
# What ansible-rulebook adds to a source's arguments (engine.py: the feedback queue, when the source has one).
INJECTED_ARGUMENTS = ("eda_feedback_queue",)
DEFAULT_DELAY = 60
DEFAULT_FAILURES_BEFORE_EVENT = 3
# Booleans as Ansible reads them: a rulebook's "{{ var }}" may hand over its text.
_TRUE = frozenset(("yes", "on", "1", "true", "y", "t"))
_FALSE = frozenset(("no", "off", "0", "false", "n", "f"))


@dataclass(frozen=True)
class WatchOptions:
    """What to watch and how: the index, the data sources (None: every one of the index), the poll settings."""

    index: IndexSelection
    data_sources: Optional[List[Named]]
    delay: int = DEFAULT_DELAY
    emit_existing: bool = False
    failures_before_event: int = DEFAULT_FAILURES_BEFORE_EVENT


def _integer(option: str, value: Any, default: int) -> int:
    """A whole number of at least 1; digits as text are taken, as a module's ``type: int`` takes them."""
    if value is None:
        return default
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return int_at_least(option, value, 1)


def boolean(option: str, value: Any, default: bool = False) -> bool:
    """A boolean as a module's ``type: bool`` takes it (yes/no, on/off, 1/0, true/false as text too)."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise OptionError(f"{option} must be a boolean (true or false); got {shorten(value)}")


def check_known_arguments(args: Mapping[str, Any], others: Iterable[str]) -> None:
    """Refuse an argument that is none of the source's, of ``others`` (the AWS options) or of ansible-rulebook's."""
    known = set(WATCH_ARGUMENTS) | set(INJECTED_ARGUMENTS) | set(others)
    unknown = sorted(str(name) for name in args if name not in known)
    if unknown:
        raise OptionError(
            f"unsupported argument{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}; supported: {', '.join(sorted(known - set(INJECTED_ARGUMENTS)))}"
        )


def validate_watch_options(args: Mapping[str, Any]) -> WatchOptions:
    """The source's arguments, checked with the modules' rules; raises OptionError naming the argument."""
    params = dict(args)
    return WatchOptions(
        index=validate_index_selection(params),
        data_sources=validate_data_source_list(params),
        delay=_integer("delay", params.get("delay"), DEFAULT_DELAY),
        emit_existing=boolean("emit_existing", params.get("emit_existing")),
        failures_before_event=_integer("failures_before_event", params.get("failures_before_event"), DEFAULT_FAILURES_BEFORE_EVENT),
    )
