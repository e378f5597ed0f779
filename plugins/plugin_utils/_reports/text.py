# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Values as a person reads them in a report: durations and shares."""

from __future__ import annotations

from typing import Optional

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.waiting import format_duration

# What a report shows for a value that does not exist (no sync finished, none succeeded).
NONE_SHOWN = "—"


def human_duration(seconds: Optional[float]) -> str:
    """``11560`` -> ``3h 13m``: two units at most (a day and more to the hour, an hour and more to the minute);
    :data:`NONE_SHOWN` for None."""
    if seconds is None:
        return NONE_SHOWN
    for size in (86400, 3600):
        if seconds >= size:
            step = size // (24 if size == 86400 else 60)
            return format_duration(round(seconds / step) * step)
    return format_duration(seconds)


def percent(share: Optional[float]) -> str:
    """``0.9667`` -> ``96.7%``, ``1.0`` -> ``100%``; :data:`NONE_SHOWN` for None."""
    if share is None:
        return NONE_SHOWN
    text = f"{share * 100:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"
