# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin qbusiness_sync_gate: a thin shell over plugin_utils/_gate/ (docs: plugins/modules/qbusiness_sync_gate.py)."""

from __future__ import annotations

import time
from typing import Any
from typing import Dict
from typing import NoReturn
from typing import Optional

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.amazon.aws.plugins.plugin_utils.base import AWSPluginBase

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import qbusiness_client
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import SyncJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import NameResolver
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceRef
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.concurrency import run_concurrently
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import argument_spec
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import validate_gate_options
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.reading import gate_data_source
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.verdicts import Verdict
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.verdicts import gate_message

display = Display()


class ActionModule(AWSPluginBase, ActionBase):
    """Fail the task when a data source's latest sync is not fit to deploy on."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True

    def _do_fail(self, message: str) -> NoReturn:
        raise AnsibleActionFail(message)

    def get_options(self) -> Dict[str, Any]:
        # AWSPluginBase builds the boto3 client from get_options(): here, the validated task arguments.
        return self._gate_params

    def _progress(self, data_source: str, job: SyncJob, elapsed: float) -> None:
        scanned = (job.get("metrics") or {}).get("documents_scanned", "?")
        display.v(
            f"qbusiness_sync_gate: data source {data_source}: {job.get('status')}, {scanned} documents scanned, "
            f"{elapsed:.0f}s/{self._gate.options.wait_timeout}s"
        )

    def run(self, tmp: Optional[str] = None, task_vars: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        result = super().run(tmp, task_vars)
        del tmp  # no remote files

        started = time.monotonic()
        dummy, self._gate_params = self.validate_argument_spec(argument_spec())
        try:
            self._gate = validate_gate_options(self._gate_params)
        except OptionError as e:
            # Returned, not raised: ansible-core 2.17 would attach this handled exception's traceback (shown at -vvv).
            result.update(failed=True, changed=False, msg=e.message)
            return result
        self.require_aws_sdk()
        client = qbusiness_client(self)
        gate = self._gate

        try:
            resolver = NameResolver(client)
            index = resolver.index_ref(gate.index)
            if gate.data_sources is None:
                refs = resolver.every_data_source(index)  # with their names, which the listing holds anyway
            else:
                refs = resolver.data_sources(index, gate.data_sources)
        except QBusinessError as e:
            # Returned, not raised, like a bad option: a name that matches nothing is the user's input.
            result.update(failed=True, changed=False, msg=f"{gate.fail_msg}: {e}")
            return result
        if not refs:
            raise AnsibleActionFail(f"{gate.fail_msg}: index {index.label} has no data sources to gate")

        # One wait budget for all data sources, however many the thread pool runs at a time.
        deadline = started + gate.options.wait_timeout

        def gate_one(ref: DataSourceRef) -> Verdict:
            return gate_data_source(DataSourceService(client, ref), gate.options, progress=self._progress, deadline=deadline)

        verdicts = run_concurrently(gate_one, refs)

        sync_jobs = [verdict.as_result() for verdict in verdicts]
        result.update(changed=False, sync_jobs=sync_jobs, elapsed=round(time.monotonic() - started, 3), msg=gate_message(verdicts, gate.fail_msg))
        if len(sync_jobs) == 1:
            result["sync_job"] = sync_jobs[0]
        if not all(verdict.passed for verdict in verdicts):
            result["failed"] = True
        return result
