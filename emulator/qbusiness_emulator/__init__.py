"""A local Amazon Q Business emulator, built as a moto backend.

Importing the package registers the ``qbusiness`` backend with moto (see :func:`register`), so both
``moto.mock_aws()`` and moto's server answer Q Business calls. Scenario control lives in
:mod:`qbusiness_emulator.control`; the HTTP server and CLI in :mod:`qbusiness_emulator.server`.
"""

from __future__ import annotations

import re
import sys

__version__ = "0.1.0"
__all__ = ["BACKEND_URL_PATTERN", "is_registered", "register"]

# Matches the real host (api.aws) and the host moto's server rewrites signed requests to (amazonaws.com).
BACKEND_URL_PATTERN = re.compile(r"https?://qbusiness\.(.+)\.(api\.aws|amazonaws\.com)")


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
    return getattr(module, "qbusiness_backends", None) is not None and any(name == "qbusiness" for name, _ in backend_index.backend_url_patterns)


register()
