# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the collection's action plugins share: they run on the controller only, read the service through amazon.aws's
plugin base, and take their options through the argument spec of their docs-only module."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import NoReturn

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible_collections.amazon.aws.plugins.plugin_utils.base import AWSPluginBase

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.argument_specs import Spec


class QBusinessAction(AWSPluginBase, ActionBase):
    """An action that reads Q Business from the controller (no connection, no remote files, check mode supported)."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _params: Dict[str, Any] = {}

    def _do_fail(self, message: str) -> NoReturn:
        raise AnsibleActionFail(message)

    def get_options(self) -> Dict[str, Any]:
        # AWSPluginBase builds the boto3 client from get_options(): here, the validated task arguments.
        return self._params

    def validated_params(self, spec: Spec) -> Dict[str, Any]:
        """The task's arguments checked against ``spec`` (type conversion, defaults); kept for get_options()."""
        dummy, self._params = self.validate_argument_spec(spec)
        return self._params
