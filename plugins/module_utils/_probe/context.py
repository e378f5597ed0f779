# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every behaviour's probe reads through: the data source, the recorder of the requests, the read limit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._probe.recording import RecordingClient
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService


@dataclass(frozen=True)
class ProbeContext:
    """``source`` reads through ``recorder``; no listing of the probe reads more than ``limit`` jobs."""

    source: DataSourceService
    recorder: RecordingClient
    limit: int

    def read(self, filters: Optional[Dict[str, Any]] = None) -> Tuple[List[ServiceJob], bool, List[str]]:
        """Up to ``limit`` jobs of the listing with ``filters`` (through the core's pagination), whether that was
        the whole listing, and the requests it took."""
        mark = len(self.recorder.calls)
        jobs, token = self.source.list_sync_jobs_and_token(filters, max_results=self.limit)
        return jobs, token is None, self.recorder.since(mark)

    def listed(self, execution_id: str, filters: Dict[str, Any], evidence: List[str]) -> Optional[bool]:
        """Whether the listing with ``filters`` holds the job; None when ``limit`` cut it short before it did.
        The requests and the answer go to ``evidence``."""
        jobs, complete, lines = self.read(filters)
        found: Optional[bool] = any(job.get("executionId") == execution_id for job in jobs)
        if not found and not complete:
            found = None
        evidence.extend(lines)
        evidence.append(
            {
                True: f"  job {execution_id} listed",
                False: f"  job {execution_id} NOT listed",
                None: f"  job {execution_id} not among the first {self.limit} jobs listed (sample_size)",
            }[found]
        )
        return found
