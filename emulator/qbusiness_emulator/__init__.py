# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A local Amazon Q Business emulator, built as a moto backend.

Importing the package registers the ``qbusiness`` backend with moto (see :func:`register`), so both
``moto.mock_aws()`` and moto's server answer Q Business calls. Scenario control lives in
:mod:`qbusiness_emulator.control`; the HTTP server and CLI in :mod:`qbusiness_emulator.server`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

__version__ = "0.1.0"
__all__ = ["BACKEND_URL_PATTERN", "HOST_SUFFIXES", "host_regex", "is_registered", "register"]

# The real endpoint is qbusiness.<region>.api.aws; moto's server rewrites the host of a signed request
# to qbusiness.<region>.amazonaws.com, so every match of a qbusiness host accepts both.
HOST_SUFFIXES = (r"api\.aws", r"amazonaws\.com")


def host_regex(region: str = "(.+)", suffixes: Sequence[str] = HOST_SUFFIXES) -> str:
    """The qbusiness host (scheme included) as a regex; ``region`` is the regex of the region label."""
    suffix = suffixes[0] if len(suffixes) == 1 else f"({'|'.join(suffixes)})"
    return rf"https?://qbusiness\.{region}\.{suffix}"


BACKEND_URL_PATTERN = re.compile(host_regex())


def register() -> None:
    """Register the qbusiness backend with moto; safe to call any number of times.

    moto has no plugin hook: it imports ``moto.<service>`` to find ``<service>_backends`` and matches
    URLs against ``moto.backend_index.backend_url_patterns``. So the models module is placed in
    ``sys.modules["moto.qbusiness"]`` and the URL pattern is inserted into that shared list in place
    (moto's server and mock_aws hold references to the same list object).
    """
    import moto.backend_index as backend_index

    from . import models

    sys.modules["moto.qbusiness"] = models
    patterns = backend_index.backend_url_patterns
    if not any(name == "qbusiness" for name, _ in patterns):
        # First, so no broader pattern can claim the qbusiness hosts.
        patterns.insert(0, ("qbusiness", BACKEND_URL_PATTERN))


def is_registered() -> bool:
    """Whether moto currently routes qbusiness URLs to this emulator."""
    import moto.backend_index as backend_index

    module = sys.modules.get("moto.qbusiness")
    routed = any(name == "qbusiness" for name, _ in backend_index.backend_url_patterns)
    return getattr(module, "qbusiness_backends", None) is not None and routed


register()
