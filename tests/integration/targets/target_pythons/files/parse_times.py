# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Parse every input of the ISO 8601 table with the collection's module_utils, on the Python that runs this.

Usage: python parse_times.py CASES.json COLLECTIONS_ROOT ANSIBLE_PACKAGE_DIR
Prints a JSON list: for each case, the parsed instant (isoformat, UTC) or null where parse_time refused it.
Only the ``ansible`` package is put on the path (what AnsiballZ ships to a managed host), not the controller's
site-packages, so the managed-host Python's own python-dateutil is the one used.
"""

import json
import os
import sys
import tempfile


def main():
    cases_file, collections_root, ansible_dir = sys.argv[1:4]
    shim = tempfile.mkdtemp()
    os.symlink(ansible_dir, os.path.join(shim, "ansible"))
    sys.path[:0] = [collections_root, shim]
    # pylint: disable-next=import-outside-toplevel
    from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError

    # pylint: disable-next=import-outside-toplevel
    from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import parse_time

    parsed = []
    with open(cases_file, encoding="utf-8") as f:
        cases = json.load(f)
    for case in cases:
        try:
            parsed.append(parse_time("start_time", case["input"]).isoformat())
        except OptionError:
            parsed.append(None)
    print(json.dumps(parsed))


if __name__ == "__main__":
    main()
