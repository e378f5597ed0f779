# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin qbusiness_sync_gate: a thin shell over module_utils/gate.py (docs: plugins/modules/qbusiness_sync_gate.py)."""

from __future__ import annotations

import time

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec
from ansible_collections.amazon.aws.plugins.plugin_utils.base import AWSPluginBase

from ansible_collections.qbusiness.ops.plugins.module_utils.common import COLLECTION_NAME
from ansible_collections.qbusiness.ops.plugins.module_utils.common import COLLECTION_VERSION
from ansible_collections.qbusiness.ops.plugins.module_utils.gate import gate_data_source
from ansible_collections.qbusiness.ops.plugins.module_utils.gate import gate_message
from ansible_collections.qbusiness.ops.plugins.module_utils.gate import validate_gate_options
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import DEFAULT_WAIT_SLEEP
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import DEFAULT_WAIT_TIMEOUT
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import SYNC_JOB_STATUSES
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import list_data_source_ids
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import qbusiness_client
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import run_concurrently

display = Display()


def argument_spec() -> dict:
    """The gate's options: those documented in plugins/modules/qbusiness_sync_gate.py (a unit test keeps them equal)."""
    spec = aws_argument_spec()
    spec.update(
        application_id=dict(type="str", required=True),
        index_id=dict(type="str", required=True),
        data_source_id=dict(type="list", elements="str"),
        fail_on=dict(type="list", elements="str", default=["FAILED"], choices=list(SYNC_JOB_STATUSES)),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=DEFAULT_WAIT_TIMEOUT),
        wait_sleep=dict(type="int", default=DEFAULT_WAIT_SLEEP),
        max_age=dict(type="raw"),
        max_documents_failed=dict(type="int"),
        allow_no_history=dict(type="bool", default=False),
        fail_msg=dict(type="str"),
    )
    return spec


class ActionModule(AWSPluginBase, ActionBase):
    """Fail the task when a data source's latest sync is not fit to deploy on."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True

    def _do_fail(self, message: str):
        raise AnsibleActionFail(message)

    def get_options(self) -> dict:
        # AWSPluginBase builds the boto3 client from get_options(): here, the validated task arguments.
        return self._gate_params

    def _progress(self, data_source_id: str, job: dict, elapsed: float) -> None:
        scanned = (job.get("metrics") or {}).get("documents_scanned", "?")
        display.v(
            f"qbusiness_sync_gate: data source {data_source_id}: {job.get('status')}, {scanned} documents scanned, "
            f"{elapsed:.0f}s/{self._gate.options.wait_timeout}s"
        )

    def run(self, tmp=None, task_vars=None):
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
        set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)
        client = qbusiness_client(self)
        gate = self._gate

        data_source_ids = gate.data_source_ids
        if data_source_ids is None:
            try:
                data_source_ids = list_data_source_ids(client, gate.application_id, gate.index_id)
            except QBusinessError as e:
                raise AnsibleActionFail(f"{gate.fail_msg}: {e}") from None
            if not data_source_ids:
                raise AnsibleActionFail(f"{gate.fail_msg}: index {gate.index_id} has no data sources to gate")

        # One wait budget for all data sources, however many the thread pool runs at a time.
        deadline = started + gate.options.wait_timeout
        verdicts = run_concurrently(
            lambda data_source_id: gate_data_source(
                client, gate.application_id, gate.index_id, data_source_id, gate.options, progress=self._progress, deadline=deadline
            ),
            data_source_ids,
        )

        sync_jobs = [verdict.as_result() for verdict in verdicts]
        result.update(changed=False, sync_jobs=sync_jobs, elapsed=round(time.monotonic() - started, 3), msg=gate_message(verdicts, gate.fail_msg))
        if len(sync_jobs) == 1:
            result["sync_job"] = sync_jobs[0]
        if not all(verdict.passed for verdict in verdicts):
            result["failed"] = True
        return result
