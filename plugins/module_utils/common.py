# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Identity of this collection, sent in the User-Agent of every request it makes."""

from __future__ import annotations

COLLECTION_NAME = "qbusiness.ops"
# Kept equal to galaxy.yml's version; a unit test checks that they agree.
COLLECTION_VERSION = "0.2.0"
