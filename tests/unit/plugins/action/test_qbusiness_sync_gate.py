# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The gate's argument spec and its docs-only module agree. (What the gate prints through ansible-playbook is tested
by the integration target qbusiness_sync_gate, tasks/progress.yml.)"""

from __future__ import annotations

from ansible_collections.qbusiness.ops.plugins.action.qbusiness_sync_gate import argument_spec
from ansible_collections.qbusiness.ops.tests.unit.plugins.action.documented import assert_spec_matches_documentation


def test_argument_spec_matches_the_documentation():
    assert_spec_matches_documentation(argument_spec(), "qbusiness_sync_gate")
