# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Putting the data sources into the inventory: hosts, their variables, the ``qbusiness`` group, then ansible-core's
constructed features (``compose``, ``groups``, ``keyed_groups``) over each host's variables."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence

from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostnames import Render
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostnames import clash_warning
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostnames import render_hostnames
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostnames import unique_hostnames
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostvars import connection_variables

GROUP = "qbusiness"


def populate(plugin: Any, hosts: Sequence[Dict[str, Any]], hostnames: Optional[str], render: Render) -> List[str]:
    """Add ``hosts`` (their ``qbusiness_*`` variables) to ``plugin.inventory``; returns the host names given.

    ``plugin`` is a Constructable inventory plugin with its options set; a shared host name is warned about.
    """
    names, clashes = unique_hostnames(hosts, render_hostnames(hosts, hostnames, render))
    if clashes:
        plugin.display.warning(clash_warning(clashes))
    inventory = plugin.inventory
    inventory.add_group(GROUP)
    strict = plugin.get_option("strict")
    compose = plugin.get_option("compose")
    groups = plugin.get_option("groups")
    keyed_groups = plugin.get_option("keyed_groups")
    for name, own in zip(names, hosts):
        inventory.add_host(name, group=GROUP)
        variables = dict(own, **connection_variables())
        for key, value in variables.items():
            inventory.set_variable(name, key, value)
        plugin._set_composite_vars(compose, variables, name, strict=strict)
        # Groups see the composed variables too, as with ansible.builtin.constructed.
        variables = inventory.get_host(name).get_vars()
        plugin._add_host_to_composed_groups(groups, variables, name, strict=strict)
        plugin._add_host_to_keyed_groups(keyed_groups, variables, name, strict=strict)
    return names
