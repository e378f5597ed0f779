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
from typing import Set

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostnames import Render
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostnames import clash_warning
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostnames import render_hostnames
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostnames import unique_hostnames
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostvars import connection_variables
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostvars import untrusted

GROUP = "qbusiness"


def populate(plugin: Any, hosts: Sequence[Dict[str, Any]], hostnames: Optional[str], render: Render) -> List[str]:
    """Add ``hosts`` (their ``qbusiness_*`` variables) to ``plugin.inventory``; returns the host names given.

    ``plugin`` is a Constructable inventory plugin with its options set; a shared host name is warned about. The
    source fails whole: when a host fails (``compose``, ``groups`` or ``keyed_groups`` with ``strict``), the hosts
    and groups added before it are removed again before the error is raised, so that no play runs over a part.
    """
    # What the service sent is never a template (unsafe on ansible-core 2.17/2.18), in the hostnames template too.
    hosts = [untrusted(own) for own in hosts]
    names, clashes = unique_hostnames(hosts, render_hostnames(hosts, hostnames, render))
    if clashes:
        plugin.display.warning(clash_warning(clashes))
    inventory = plugin.inventory
    # A host of another source by the same name would be merged into (its variables overwritten, its groups kept):
    # API objects are never merged silently, and the rollback below removes only what this source added.
    taken = sorted(set(names) & set(inventory.hosts))
    if taken:
        raise OptionError(
            f"hostnames: {', '.join(taken[:5])}{' and more' if len(taken) > 5 else ''} already in the inventory from another "
            "source; give the data sources other names (hostnames, e.g. with qbusiness_region or qbusiness_data_source_id)"
        )
    hosts_before, groups_before = set(inventory.hosts), set(inventory.groups)
    try:
        _add_hosts(plugin, names, hosts)
    except BaseException:
        _remove_added(inventory, hosts_before, groups_before)
        raise
    return names


def _add_hosts(plugin: Any, names: Sequence[str], hosts: Sequence[Dict[str, Any]]) -> None:
    inventory = plugin.inventory
    inventory.add_group(GROUP)
    strict = plugin.get_option("strict")
    compose = plugin.get_option("compose")
    groups = plugin.get_option("groups")
    keyed_groups = plugin.get_option("keyed_groups")
    for name, own in zip(names, hosts):
        inventory.add_host(name, group=GROUP)
        # The interpreter is a template (hosts are already untrusted: populate).
        variables = dict(own, **connection_variables())
        for key, value in variables.items():
            inventory.set_variable(name, key, value)
        plugin._set_composite_vars(compose, variables, name, strict=strict)
        # Groups see the composed variables too, as with ansible.builtin.constructed.
        variables = inventory.get_host(name).get_vars()
        plugin._add_host_to_composed_groups(groups, variables, name, strict=strict)
        plugin._add_host_to_keyed_groups(keyed_groups, variables, name, strict=strict)


def _remove_added(inventory: Any, hosts_before: Set[str], groups_before: Set[str]) -> None:
    """Remove the hosts and groups added since ``hosts_before`` and ``groups_before`` (names) were taken."""
    for name in [name for name in inventory.hosts if name not in hosts_before]:
        inventory.remove_host(inventory.hosts[name])  # out of every group too, those from before as well
    for name in [name for name in inventory.groups if name not in groups_before]:
        group = inventory.groups[name]
        for parent in list(group.parent_groups):  # a keyed group's parent_group may be older than this source
            if group in parent.child_groups:
                parent.child_groups.remove(group)
                parent.clear_hosts_cache()
        for child in list(group.child_groups):  # a pre-existing child keeps no parent that is gone
            if group in child.parent_groups:
                child.parent_groups.remove(group)
        for host in list(group.hosts):  # ansible-core 2.17/2.18 leave the group on its hosts (remove_group by name)
            host.remove_group(group)
        try:
            inventory.remove_group(name)  # ansible-core before 2.19 takes the name
        except AttributeError:
            inventory.remove_group(group)  # 2.19+ the group
