# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A read-only view of the qbusiness client that writes down each request and what came back: the probe's evidence."""

from __future__ import annotations

from datetime import datetime
from datetime import timezone
from typing import Any
from typing import Callable
from typing import Dict
from typing import List

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import error_code
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import service_errors
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob

# The data source's IDs are the same in every request; the evidence leaves them out.
_LEFT_OUT = frozenset(("aws_retry", "applicationId", "indexId", "dataSourceId"))
# In the order a person reads a request.
_PARAMETER_ORDER = ("statusFilter", "startTime", "endTime", "maxResults", "nextToken")


def wire_time(value: datetime) -> str:
    """A time as botocore sends it, to the millisecond, in UTC."""
    utc = (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _value(name: str, value: Any) -> str:
    if isinstance(value, datetime):
        return wire_time(value)
    if name == "nextToken" and isinstance(value, str) and len(value) > 16:
        return value[:12] + "..."  # enough to tell tokens apart
    return str(value)


def describe_request(operation: str, request: Dict[str, Any]) -> str:
    """``ListDataSourceSyncJobs(startTime=..., maxResults=10)``: the parameters that vary, in reading order."""
    names = [n for n in _PARAMETER_ORDER if n in request] + sorted(n for n in request if n not in _PARAMETER_ORDER and n not in _LEFT_OUT)
    return f"{operation}({', '.join(f'{n}={_value(n, request[n])}' for n in names)})"


def _describe_listing(response: Dict[str, Any]) -> str:
    jobs = response.get("history") or []
    token = f", nextToken {_value('nextToken', response['nextToken'])}" if response.get("nextToken") else ", no nextToken"
    return f"{len(jobs)} job{'' if len(jobs) == 1 else 's'}{token}"


def _describe_data_source(response: Dict[str, Any]) -> str:
    return ", ".join(f"{key} {response[key]}" for key in ("displayName", "type", "status") if key in response) or "200"


def describe_error(error: Exception) -> str:
    code = error_code(error)
    if code is None:
        return f"{type(error).__name__}: {error}"
    message = getattr(error, "response", {}).get("Error", {}).get("Message", "")
    return f"{code}: {message}" if message else code


class RecordingClient:
    """The read calls of a qbusiness client (one made by client.qbusiness_client), each written down.

    It has no other method: the probe cannot start or stop a sync through it, by construction.
    ``calls`` holds one line per request (``request -> answer``), retries included in one call;
    ``jobs`` every job any listing answered, by execution ID, as last seen.
    """

    def __init__(self, client: Any) -> None:
        self._client = client
        self.calls: List[str] = []
        self.jobs: Dict[str, ServiceJob] = {}

    def list_data_source_sync_jobs(self, **request: Any) -> Dict[str, Any]:
        """ListDataSourceSyncJobs, written down."""
        response = self._record("ListDataSourceSyncJobs", self._client.list_data_source_sync_jobs, request, _describe_listing)
        for job in response.get("history") or []:
            self.jobs[str(job.get("executionId"))] = job
        return response

    def get_data_source(self, **request: Any) -> Dict[str, Any]:
        """GetDataSource, written down."""
        return self._record("GetDataSource", self._client.get_data_source, request, _describe_data_source)

    def since(self, mark: int) -> List[str]:
        """The calls made since ``len(calls)`` was ``mark``."""
        return self.calls[mark:]

    def _record(
        self, operation: str, call: Callable[..., Dict[str, Any]], request: Dict[str, Any], describe: Callable[[Dict[str, Any]], str]
    ) -> Dict[str, Any]:
        line = describe_request(operation, request)
        try:
            response = call(**request)
        except service_errors() as e:  # written down, then raised on unchanged: the caller decides what it means
            self.calls.append(f"{line} -> {describe_error(e)}")
            raise
        self.calls.append(f"{line} -> {describe(response)}")
        return response
