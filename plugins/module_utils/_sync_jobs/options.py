# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Checking options before any request: each check returns the value it accepts or raises OptionError naming the option."""

from __future__ import annotations

import re
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from typing import Any
from typing import Dict
from typing import Optional
from typing import Tuple

try:
    from dateutil.parser import isoparser
except ImportError:  # python-dateutil comes with botocore; before 2.7 it has no isoparser
    HAS_ISOPARSER = False
else:
    HAS_ISOPARSER = True
    _ISOPARSER = isoparser(sep="T")

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import SYNC_JOB_STATUSES
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.tokens import PAGE_SIZE
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.tokens import ResumePoint
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.tokens import decode_resume_token
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.waiting import DEFAULT_WAIT_SLEEP
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.waiting import DEFAULT_WAIT_TIMEOUT

# The service's identifier pattern; botocore only checks the minimum length before sending.
_ID_PATTERN = re.compile(r"\A[a-zA-Z0-9][a-zA-Z0-9-]{35}\Z")

_DURATION = re.compile(r"\A\s*(\d+)\s*([smhdw]?)\s*\Z", re.IGNORECASE)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
# Far beyond any sync history, and far from datetime's limits.
MAX_DURATION = timedelta(days=3650)


def shorten(value: Any) -> str:
    """``repr(value)``, cut to 60 characters, for quoting a bad value in a message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate_id(option: str, value: Any) -> str:
    """Return ``value`` if it is a Q Business identifier, else raise OptionError naming ``option``."""
    if not isinstance(value, str) or not _ID_PATTERN.match(value):
        raise OptionError(f"{option} must be a Q Business ID: 36 characters, a letter or digit followed by letters, digits or hyphens; got {shorten(value)}")
    return value


def _time_error(option: str, value: Any) -> OptionError:
    return OptionError(f"{option} must be an ISO 8601 date-time such as 2024-05-01T00:00:00Z; got {shorten(value)}")


def parse_time(option: str, value: Any) -> Optional[datetime]:
    """Parse an ISO 8601 date-time (``2024-05-01T00:00:00Z``, offsets allowed) into an aware UTC datetime.

    python-dateutil's ``isoparse`` reads it, not ``datetime.fromisoformat``, whose grammar grew in Python
    3.11 (``.5Z``, ``20240501T000000Z``, week dates): modules run on the managed host's Python, so the
    same text must mean the same instant on every Python. Letters may be lowercase and a space may
    separate date and time. A value with no offset is taken as UTC. None stays None.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        if not HAS_ISOPARSER:
            raise OptionError(f"{option} needs python-dateutil 2.7 or later (installed with botocore) to read ISO 8601 times")
        text = value.strip().upper().replace(" ", "T")
        try:
            parsed = _ISOPARSER.isoparse(text)
        except (ValueError, OverflowError):
            raise _time_error(option, value) from None
    else:
        raise _time_error(option, value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    try:
        return parsed.astimezone(timezone.utc)
    except OverflowError:  # an offset that moves the instant past year 1 or 9999
        raise _time_error(option, value) from None


def validate_status(option: str, value: Any) -> str:
    """Return ``value`` if it is one of the seven sync statuses, else raise OptionError naming ``option``."""
    if value not in SYNC_JOB_STATUSES:
        raise OptionError(f"{option} must be one of {', '.join(SYNC_JOB_STATUSES)}; got {shorten(value)}")
    return value


def build_list_filters(start_time: Any = None, end_time: Any = None, status_filter: Any = None) -> Dict[str, Any]:
    """Check the listing filters and return them as ListDataSourceSyncJobs parameters."""
    start = parse_time("start_time", start_time)
    end = parse_time("end_time", end_time)
    if start is not None and end is not None and end < start:
        raise OptionError(f"end_time ({end.isoformat()}) is before start_time ({start.isoformat()})")
    filters: Dict[str, Any] = {}
    if start is not None:
        filters["startTime"] = start
    if end is not None:
        filters["endTime"] = end
    if status_filter is not None:
        filters["statusFilter"] = validate_status("status_filter", status_filter)
    return filters


def int_at_least(option: str, value: Any, minimum: int, expected: Optional[str] = None) -> int:
    """Return ``value`` if it is an integer of at least ``minimum``, else raise OptionError naming ``option``.

    ``expected`` words the requirement in the message (default: "an integer of at least <minimum>").
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise OptionError(f"{option} must be {expected or f'an integer of at least {minimum}'}; got {shorten(value)}")
    return value


def validate_wait(params: Dict[str, Any]) -> Tuple[int, int]:
    """``wait_timeout`` and ``wait_sleep``: whole seconds, at least 1."""
    return (
        int_at_least("wait_timeout", params.get("wait_timeout", DEFAULT_WAIT_TIMEOUT), 1),
        int_at_least("wait_sleep", params.get("wait_sleep", DEFAULT_WAIT_SLEEP), 1),
    )


def validate_max_results(value: Any) -> Optional[int]:
    """``max_results`` is a positive number of jobs in total, or None for all of them."""
    return None if value is None else int_at_least("max_results", value, 1, expected="a positive integer")


def validate_next_token(value: Any, page_size: int = PAGE_SIZE, items: str = "jobs") -> Optional[ResumePoint]:
    """``next_token``: a resume token (botocore's format, as this collection returns it, of a listing in pages of
    ``page_size`` ``items``) or a plain service token."""
    if value is None:
        return None
    try:
        return decode_resume_token(value, page_size, items)
    except ValueError as e:
        raise OptionError(
            f"next_token must be the next_token of an earlier listing (a resume token, as boto3 writes them, or the service's "
            f"own nextToken), but {e}; got {shorten(value)}"
        ) from None


def parse_duration(option: str, value: Any) -> timedelta:
    """A positive duration: seconds as a number, or ``<n>s``, ``<n>m``, ``<n>h``, ``<n>d``, ``<n>w``."""
    seconds: Optional[int] = None
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
    if seconds is None or not 0 < seconds <= MAX_DURATION.total_seconds():
        raise OptionError(f"{option} must be a positive duration of at most 10 years (3650 days), such as 90m, 24h, 7d or a number of seconds; got {value!r}")
    return timedelta(seconds=seconds)
