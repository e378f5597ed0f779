# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The index the event source's tests watch, the emulator's clock under the test's hand, and counting requests."""

from __future__ import annotations

import time
from datetime import datetime
from datetime import timezone
from typing import Any
from typing import Dict
from typing import Set

import qbusiness_emulator.clock
from qbusiness_emulator import control

APP = "eeeeeeee-0000-4000-8000-000000000001"
INDEX = "eeeeeeee-0000-4000-8000-000000000002"
WIKI = "eeeeeeee-0000-4000-8000-000000000003"
POLICIES = "eeeeeeee-0000-4000-8000-000000000004"
OLD_FAILURE = "eeeeeeee-1000-4000-8000-000000000001"
OLD_SUCCESS = "eeeeeeee-1000-4000-8000-000000000002"
POLICIES_SUCCESS = "eeeeeeee-1000-4000-8000-000000000003"
# The phases of the syncs the tests start, in seconds of the emulator's clock.
SYNCING, INDEXING = 10, 10


class Clock:
    """The emulator's wall clock, moved only by the test (nothing else in the process sees it)."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def datetime(self) -> datetime:
        """The clock's time, for a watcher's ``now``."""
        return datetime.fromtimestamp(self.now, timezone.utc)


class EditedListing:
    """A client whose ListDataSourceSyncJobs answers the test edits: jobs left out (a service that lists a job late,
    or no longer) or shown with another status (a stale read); everything else is the client's."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.hidden: Set[str] = set()
        self.shown_as: Dict[str, str] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def list_data_source_sync_jobs(self, **request: Any) -> Dict[str, Any]:
        answer = self._client.list_data_source_sync_jobs(**request)
        history = [
            dict(job, status=self.shown_as.get(job["executionId"], job["status"])) for job in answer.get("history", []) if job["executionId"] not in self.hidden
        ]
        return dict(answer, history=history)


def drive_clock(monkeypatch) -> Clock:
    """Put the emulator's sync clock under a :class:`Clock`: a sync's phases pass without waiting."""
    clock = Clock()
    monkeypatch.setattr(qbusiness_emulator.clock, "time", clock)
    return clock


def load_index() -> None:
    """One index with two data sources: the wiki, whose newest sync failed a day ago, and the policies; log cleared."""
    control.load_scenario(
        {
            "region": "us-east-1",
            "applications": [
                {
                    "name": "handbook-assistant",
                    "application_id": APP,
                    "indices": [
                        {
                            "name": "main",
                            "index_id": INDEX,
                            "data_sources": [
                                {
                                    "name": "confluence-wiki",
                                    "data_source_id": WIKI,
                                    "history": [
                                        {"execution_id": OLD_SUCCESS, "status": "SUCCEEDED", "start_time": "now-172800"},
                                        {
                                            "execution_id": OLD_FAILURE,
                                            "status": "FAILED",
                                            "start_time": "now-86400",
                                            "error": {"error_code": "InvalidRequest", "error_message": "Confluence credentials expired"},
                                        },
                                    ],
                                },
                                {
                                    "name": "sharepoint-policies",
                                    "data_source_id": POLICIES,
                                    "history": [
                                        {"execution_id": POLICIES_SUCCESS, "status": "SUCCEEDED", "start_time": "now-3600"},
                                    ],
                                },
                            ],
                        }
                    ],
                }
            ],
        }
    )
    control.clear_requests()


def start_sync(data_source_id: str, outcome: str = "SUCCEEDED", **choice) -> str:
    """Start a sync as a schedule would (not an API request of the watcher's), with SYNCING/INDEXING phases."""
    control.set_next_sync(APP, INDEX, data_source_id, outcome=outcome, syncing_seconds=SYNCING, indexing_seconds=INDEXING, **choice)
    return control.start_sync(APP, INDEX, data_source_id)["execution_id"]


def sync_job_requests() -> list:
    """The ListDataSourceSyncJobs requests since the log was last cleared."""
    return [r for r in control.requests() if r["operation"] == "ListDataSourceSyncJobs"]


def changes(events) -> list:
    """(change, data source, previous status, status) of each event."""
    out = []
    for event in events:
        body = event["qbusiness_sync_job"]
        out.append((body["change"], body["data_source_id"], body["previous_status"], (body.get("job") or {}).get("status")))
    return out
