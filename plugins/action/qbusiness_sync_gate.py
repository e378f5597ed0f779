# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin qbusiness_sync_gate: a thin shell over plugin_utils/_gate/ (docs: plugins/modules/qbusiness_sync_gate.py)."""

from __future__ import annotations

import os
import time
from typing import Any
from typing import Dict
from typing import Optional

from ansible.errors import AnsibleActionFail
from ansible.utils.display import Display

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import qbusiness_client
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.concurrency import run_concurrently
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import SyncJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import NameResolver
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceRef
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService
from ansible_collections.qbusiness.ops.plugins.plugin_utils._action_base import QBusinessAction
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import argument_spec
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import validate_gate_options
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.reading import gate_data_source
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.reports import GateRun
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.reports import write_reports
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.verdicts import Verdict
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.verdicts import gate_message

display = Display()


class ActionModule(QBusinessAction):
    """Fail the task when a data source's latest sync is not fit to deploy on."""

    def _progress(self, data_source: str, job: SyncJob, elapsed: float) -> None:
        scanned = (job.get("metrics") or {}).get("documents_scanned", "?")
        display.v(
            f"qbusiness_sync_gate: data source {data_source}: {job.get('status')}, {scanned} documents scanned, "
            f"{elapsed:.0f}s/{self._gate.options.wait_timeout}s"
        )

    def _environment(self) -> Dict[str, str]:
        """The controller's environment with the task's ``environment`` keyword over it: where ``summary_path: auto``
        looks for GITHUB_STEP_SUMMARY (the gate runs in the controller process, which the keyword does not reach)."""
        task_environment: Dict[str, Any] = {}
        self._compute_environment_string(task_environment)
        return {**os.environ, **{str(key): str(value) for key, value in task_environment.items()}}

    def run(self, tmp: Optional[str] = None, task_vars: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        result = super().run(tmp, task_vars)
        del tmp  # no remote files

        started = time.monotonic()
        params = self.validated_params(argument_spec())
        try:
            self._gate = validate_gate_options(params, self._environment())
        except OptionError as e:
            # Returned, not raised: ansible-core 2.17 would attach this handled exception's traceback (shown at -vvv).
            # Nothing was judged, so no report is written.
            result.update(failed=True, changed=False, msg=e.message)
            return result
        run = GateRun(self._gate.index, started=started)
        result.update(self._judge(run))
        return write_reports(self._gate.reports, run, result)

    def _judge(self, run: GateRun) -> Dict[str, Any]:
        """The gate's result; ``run`` gets the index and the verdicts as they are found."""
        gate = self._gate
        try:
            self.require_aws_sdk()
            client = qbusiness_client(self)
        except AnsibleActionFail as e:
            # No client (boto3 missing, no region, an unknown profile): the reports say why the gate could not judge.
            return dict(failed=True, changed=False, msg=f"{gate.fail_msg}: {e.message}")
        try:
            resolver = NameResolver(client)
            index = run.index = resolver.index_ref(gate.index)
            refs = resolver.selected_data_sources(index, gate.data_sources)  # every one: with names, from the listing
        except QBusinessError as e:
            # Returned, not raised, like a bad option: a name that matches nothing is the user's input.
            return dict(failed=True, changed=False, msg=f"{gate.fail_msg}: {e}")
        if not refs:
            return dict(failed=True, changed=False, msg=f"{gate.fail_msg}: index {index.label} has no data sources to gate")

        # One wait budget for all data sources, however many the thread pool runs at a time.
        deadline = run.started + gate.options.wait_timeout

        def gate_one(ref: DataSourceRef) -> Verdict:
            return gate_data_source(DataSourceService(client, ref), gate.options, progress=self._progress, deadline=deadline)

        verdicts = run.verdicts = run_concurrently(gate_one, refs)

        sync_jobs = [verdict.as_result() for verdict in verdicts]
        result: Dict[str, Any] = dict(
            changed=False, sync_jobs=sync_jobs, elapsed=round(time.monotonic() - run.started, 3), msg=gate_message(verdicts, gate.fail_msg)
        )
        if len(sync_jobs) == 1:
            result["sync_job"] = sync_jobs[0]
        if not all(verdict.passed for verdict in verdicts):
            result["failed"] = True
        return result
