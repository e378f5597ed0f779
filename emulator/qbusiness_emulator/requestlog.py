# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The request log: one entry per Q Business API request (control calls are never logged), and its listeners."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

MAX_LOGGED_REQUESTS = 10_000
Listener = Callable[[dict[str, Any]], None]


def new_entry(operation: str | None, region: str, account_id: str, method: str, path: str, params: dict[str, Any], user_agent: str) -> dict[str, Any]:
    """A log entry for a request just arrived; status_code and fault are filled in once it is answered."""
    return {
        "operation": operation or "Unknown",
        "region": region,
        "account_id": account_id,
        "method": method,
        "path": path,
        "params": params,
        "user_agent": user_agent,
        "status_code": 0,  # stays 0 when the connection is dropped: no answer was sent
        "fault": None,
        "time": time.time(),
    }


class RequestLog:
    """The newest MAX_LOGGED_REQUESTS entries, oldest first; listeners see every entry as it is recorded."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []
        self._listeners: list[Listener] = []

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener`` with a copy of every entry recorded from now on (kept across clear and reset)."""
        with self._lock:
            self._listeners.append(listener)

    def record(self, entry: dict[str, Any]) -> None:
        """Append an entry and tell the listeners (outside the lock: a slow listener holds no request up)."""
        with self._lock:
            self._entries.append(entry)
            if len(self._entries) > MAX_LOGGED_REQUESTS:
                del self._entries[: len(self._entries) - MAX_LOGGED_REQUESTS]
            listeners = list(self._listeners)
        for listener in listeners:
            listener(dict(entry))

    def entries(self) -> list[dict[str, Any]]:
        """The log, oldest first (copies)."""
        with self._lock:
            return [json.loads(json.dumps(e)) for e in self._entries]

    def clear(self) -> None:
        """Empty the log (listeners stay)."""
        with self._lock:
            self._entries.clear()


REQUEST_LOG = RequestLog()
