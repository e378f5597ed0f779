# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``python -m qbusiness_emulator``: run the emulator server (see server.main)."""

from .server import main

raise SystemExit(main())
