# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The module class every qbusiness.ops module is built on: a public interface (README, "Development")."""

from __future__ import annotations

from typing import Callable
from typing import TypeVar

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError

# Part of this public interface: the errors that checked_options() and the collection's calls raise.
__all__ = ["OptionError", "QBusinessError", "QBusinessModule"]

T = TypeVar("T")


class QBusinessModule(AnsibleAWSModule):
    """AnsibleAWSModule with the collection's handling of bad options.

    Clients for it come from the collection's ``qbusiness_client``, which names qbusiness.ops (not amazon.aws)
    in the User-Agent, as community.aws does.
    """

    def checked_options(self, check: Callable[[], T]) -> T:
        """``check()``'s result; an OptionError it raises fails the module with its message.

        The failure is reported after the except block: inside it, ansible-core attaches the handled
        exception's traceback to the result (shown at -vvv), and a bad option is the user's input, not a fault.
        """
        try:
            return check()
        except OptionError as e:
            message = e.message
        return self.fail_json(msg=message)  # fail_json exits

    def checked_call(self, call: Callable[[], T]) -> T:
        """``call()``'s result; a QBusinessError it raises fails the module with its message.

        A service error (one that carries botocore's exception) fails through amazon.aws's ``fail_json_aws``, with
        the service's error code and response. One without (a display name that matches nothing, or several) is the
        user's input, like a bad option: reported after the except block, so that no traceback is attached.
        """
        try:
            return call()
        except QBusinessError as e:
            if e.exception is not None:
                self.fail_json_aws_error(e)
            message = e.message
        return self.fail_json(msg=message)
