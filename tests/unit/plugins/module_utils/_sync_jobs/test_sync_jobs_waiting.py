# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Waiting: how a duration is written; the polling itself is tested through its callers."""

from __future__ import annotations

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.waiting import format_duration


def test_format_duration():
    assert format_duration(93784) == "1d 2h 3m 4s"
    assert format_duration(5400) == "1h 30m"
    assert format_duration(0) == "0s"
