# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Host names: the ``hostnames`` template (or application and data source display names), made unique."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError

# What the default names read: <application display name>/<data source display name>.
DEFAULT_HOSTNAMES = "{{ qbusiness_application_name }}/{{ qbusiness_data_source_name }}"

Render = Callable[[str, Dict[str, Any]], Any]


def default_hostname(variables: Dict[str, Any]) -> str:
    """DEFAULT_HOSTNAMES without a template engine (2,500 hosts render in no time); a missing name is the ID."""
    application = variables.get("qbusiness_application_name") or variables["qbusiness_application_id"]
    data_source = variables.get("qbusiness_data_source_name") or variables["qbusiness_data_source_id"]
    return f"{application}/{data_source}"


def render_hostnames(hosts: Sequence[Dict[str, Any]], template: Optional[str], render: Render) -> List[str]:
    """Each host's name: ``template`` rendered over its variables by ``render``, or the default names."""
    if template is None:
        return [default_hostname(variables) for variables in hosts]
    names = []
    for variables in hosts:
        try:
            name = render(template, variables)
        except Exception as e:  # a template error, whatever the engine raises: the user's option is at fault
            raise OptionError(f"hostnames: {template!r} could not be rendered for data source {variables['qbusiness_data_source_id']}: {e}") from None
        text = "" if name is None else str(name).strip()
        if not text:
            raise OptionError(f"hostnames: {template!r} gives an empty name for data source {variables['qbusiness_data_source_id']}")
        names.append(text)
    return names


def unique_hostnames(hosts: Sequence[Dict[str, Any]], names: Sequence[str]) -> Tuple[List[str], Dict[str, List[str]]]:
    """``names`` made unique: every host of a name that several share becomes ``<name>_<data source ID>`` (IDs are
    unique). Returns the names, in the order of ``hosts``, and each shared name with the names given instead."""
    by_name: Dict[str, List[int]] = OrderedDict()
    for position, name in enumerate(names):
        by_name.setdefault(name, []).append(position)
    final = list(names)
    clashes: Dict[str, List[str]] = OrderedDict()
    for name, positions in by_name.items():
        if len(positions) < 2:
            continue
        for position in positions:
            final[position] = f"{name}_{hosts[position]['qbusiness_data_source_id']}"
        clashes[name] = [final[position] for position in positions]
    if len(set(final)) != len(final):  # a suffixed name that another host has as its own: nothing safe to pick
        taken = sorted({name for name in final if final.count(name) > 1})
        raise OptionError(
            f"hostnames: the host names {', '.join(taken)} remain shared after adding the data source IDs; choose a template that tells the data sources apart"
        )
    return final, clashes


def clash_warning(clashes: Dict[str, List[str]]) -> str:
    """The warning that says which names were shared and what the hosts are called instead."""
    parts = [f"{name!r} -> {', '.join(renamed)}" for name, renamed in clashes.items()]
    return f"qbusiness.ops.qbusiness: several data sources share a host name; each is named with its data source ID appended: {'; '.join(parts)}"
