# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A report the writers' tests draw: two named data sources (one with a hostile name and error message) and one without
a name (an ID that ListDataSources did not list: labelled by its ID)."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import IndexRef
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.report import build_report

UNTIL = datetime(2024, 5, 31, 12, 0, tzinfo=timezone.utc)
SINCE = UNTIL - timedelta(days=30)
INDEX = IndexRef("a0000000-0000-4000-8000-000000000001", "b0000000-0000-4000-8000-000000000001", "Demo-assistant", "main")
HOSTILE_NAME = 'wiki</script><img src=x onerror="alert(1)">&amp;'
HOSTILE_MESSAGE = "</script><script>document.body.dataset.chartsError='pwned'</script> & <b>bold</b>"
IDS = ["c0000000-0000-4000-8000-000000000001", "c0000000-0000-4000-8000-000000000002", "c0000000-0000-4000-8000-000000000003"]


def job(hours_ago, status, minutes=5, failed=0, error=None, number=0):
    start = UNTIL - timedelta(hours=hours_ago)
    result = {
        "execution_id": f"e0000000-0000-4000-8000-{number:012d}",
        "status": status,
        "start_time": start.isoformat(),
        "metrics": {"documents_added": 10, "documents_modified": 2, "documents_deleted": 1, "documents_failed": failed, "documents_scanned": 40},
    }
    if minutes is not None:
        result["end_time"] = (start + timedelta(minutes=minutes)).isoformat()
    if error is not None:
        result["error"] = {"error_code": "InvalidRequest", "error_message": error}
    return result


def sample_report():
    """handbook: 27 ok, 2 failed, 1 incomplete; the hostile one: failing twice in a row; the third (no name): no sync."""
    handbook = [job(24 * day + 1, "SUCCEEDED", minutes=5 + day % 3, number=day) for day in range(27)]
    handbook += [job(700, "FAILED", error="Timeout", number=100), job(701, "FAILED", number=101), job(702, "INCOMPLETE", failed=3, number=102)]
    hostile = [
        job(1, "FAILED", error=HOSTILE_MESSAGE, number=200),
        job(2, "INCOMPLETE", failed=7, number=201),
        job(3, "SUCCEEDED", number=202),
        job(0.5, "SYNCING", minutes=None, number=203),
    ]
    histories = [(INDEX.data_source(IDS[0], "handbook-s3"), handbook), (INDEX.data_source(IDS[1], HOSTILE_NAME), hostile), (INDEX.data_source(IDS[2]), [])]
    return build_report(INDEX, histories, SINCE, UNTIL)
