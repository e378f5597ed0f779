# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Offline stand-in for the get-pip script that ansible-test downloads to bootstrap its virtualenvs.

ansible-test runs a cached ``~/.ansible/test/cache/get_pip_<version>.py`` instead of downloading one,
passing pip-install arguments. This bootstraps pip from the interpreter's own ensurepip and then
installs what was asked for from the package index this machine reaches.
"""

import ensurepip
import os
import subprocess
import sys


def main() -> int:
    # get-pip's own switches; plain pip install does not know them.
    args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
    ensurepip.bootstrap(upgrade=True)
    # ensurepip points PIP_CONFIG_FILE at /dev/null, which would hide the machine's pip.conf (index, CA bundle).
    os.environ.pop("PIP_CONFIG_FILE", None)
    return subprocess.call([sys.executable, "-m", "pip", "install", *args])


if __name__ == "__main__":
    sys.exit(main())
