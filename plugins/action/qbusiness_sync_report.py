# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin qbusiness_sync_report: a thin shell over plugin_utils/_sync_report/ (docs: plugins/modules/qbusiness_sync_report.py)."""

from __future__ import annotations

import time
from typing import Any
from typing import Dict
from typing import Optional

from ansible.errors import AnsibleActionFail

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import qbusiness_client
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.plugin_utils._action_base import QBusinessAction
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.options import argument_spec
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.options import validate_report_options
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.reading import read_histories
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.reading import resolve
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.reading import unread_message
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.report import build_report
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.writing import write_reports


class ActionModule(QBusinessAction):
    """Read the sync history of data sources over a window, return its statistics, and write them as Markdown and HTML."""

    def run(self, tmp: Optional[str] = None, task_vars: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        result = super().run(tmp, task_vars)
        del tmp  # no remote files

        started = time.monotonic()
        params = self.validated_params(argument_spec())
        try:
            request = validate_report_options(params)
        except OptionError as e:
            # Returned, not raised: ansible-core 2.17 would attach this handled exception's traceback (shown at -vvv).
            result.update(failed=True, changed=False, msg=e.message)
            return result
        self.require_aws_sdk()
        client = qbusiness_client(self)

        try:
            index, refs = resolve(client, request)
        except QBusinessError as e:
            # Returned, not raised, like a bad option: a name that matches nothing is the user's input.
            result.update(failed=True, changed=False, msg=f"qbusiness_sync_report: {e}")
            return result
        histories = read_histories(client, refs, request)
        unread = unread_message(histories)
        if unread is not None:
            raise AnsibleActionFail(f"qbusiness_sync_report: {unread}")

        report = build_report(index, [(history.ref, history.jobs) for history in histories], request.since, request.until, request.title)
        result.update(changed=False, **report.as_result())
        # Written in check mode too: the files are the report itself, on the controller, not a change to a managed host.
        try:
            result.update(write_reports(report, request.markdown_path, request.html_path))
        except QBusinessError as e:
            raise AnsibleActionFail(f"qbusiness_sync_report: {e}") from None
        result["elapsed"] = round(time.monotonic() - started, 3)
        return result
