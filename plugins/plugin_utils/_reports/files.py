# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Report files on the controller: a path is checked before any request, and a file that cannot be written fails
the task with its path and the reason (a report is never silently missing)."""

from __future__ import annotations

import os
import tempfile
from typing import Any
from typing import Optional

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import shorten


class ReportError(QBusinessError):
    """A report file could not be written."""


def check_report_path(option: str, value: Any) -> Optional[str]:
    """The absolute path ``option`` names (``~`` expanded), or None when unset; OptionError when it cannot be written."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise OptionError(f"{option} must be the path of a file to write; got {shorten(value)}")
    if "\x00" in value:
        # No file name holds a NUL byte (the OS calls raise ValueError on it).
        raise OptionError(f"{option} must be the path of a file to write; got {shorten(value)} (a NUL byte)")
    path = os.path.abspath(os.path.expanduser(value))
    directory = os.path.dirname(path)
    why = None
    if os.path.isdir(path):
        why = "it is a directory"
    elif not os.path.isdir(directory):
        why = f"its directory {directory} does not exist"
    elif not os.access(directory, os.W_OK | os.X_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        why = "permission denied"
    if why is not None:
        raise OptionError(f"{option}: cannot write {path}: {why}")
    return path


def write_report(option: str, path: str, text: str, append: bool = False) -> None:
    """Write ``text`` to ``path`` (whole, through a temporary file beside it, unless ``append``)."""
    try:
        if append:
            # errors="replace": a lone surrogate (JSON allows them in a service's answer) must not lose the whole report.
            with open(path, "a", encoding="utf-8", errors="replace") as stream:
                stream.write(text)
            return
        fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".qbusiness-report-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as stream:
                stream.write(text)
            # mkstemp makes the file 0600; a report is meant to be read (a CI artifact), as other files are.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as e:
        raise ReportError(f"could not write {option} {path}: {e.strerror or e}") from e
    except ValueError as e:  # e.g. an embedded NUL byte in a path not checked with check_report_path
        raise ReportError(f"could not write {option} {path!r}: {e}") from e
