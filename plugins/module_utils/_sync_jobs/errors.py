# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The errors of qbusiness.ops: each carries a message fit for the user."""

from __future__ import annotations

from typing import Optional
from typing import Tuple
from typing import Type

try:
    import botocore
except ImportError:
    pass  # The plugin shells report a missing botocore through amazon.aws.

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError


class QBusinessError(AnsibleAWSError):
    """A failure with a message fit for the user; ``exception`` keeps the botocore error, if there was one."""


class OptionError(QBusinessError):
    """An option failed validation; raised before any request is sent."""


class SyncConflict(QBusinessError):
    """The service answered ConflictException (for Start: usually a sync already running)."""


def service_errors() -> Tuple[Type[Exception], ...]:
    """The botocore exceptions a call to the service can raise, for an ``except`` clause; the calls turn them into QBusinessError."""
    return (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError)


def error_code(error: Exception) -> Optional[str]:
    """The service's error code of a botocore ClientError (None for any other exception)."""
    if isinstance(error, botocore.exceptions.ClientError):
        return error.response.get("Error", {}).get("Code")
    return None


def is_conflict(error: Exception) -> bool:
    """Whether ``error`` is the service's ConflictException."""
    return error_code(error) == "ConflictException"


def is_validation_error(error: Exception) -> bool:
    """Whether ``error`` is the service's ValidationException (the answer to a request it refuses as malformed)."""
    return error_code(error) == "ValidationException"
