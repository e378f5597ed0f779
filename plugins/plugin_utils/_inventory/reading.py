# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading the data sources the inventory selects, over the core: its listings (every page, with its retries),
its name matching, GetDataSource and the windowed latest-sync read of qbusiness_data_source_info, run concurrently.

Per region: ListApplications once (the applications' display names are host variables, so it is read even for
IDs), ListIndices once per selected application, ListDataSources once per selected index, then one GetDataSource
per data source kept (its sync schedule is in no listing) and, with ``include_latest_sync``, the latest-sync read.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Sequence
from typing import Set
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.concurrency import run_concurrently
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.data_sources import describe_data_sources
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import APPLICATION
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import DATA_SOURCE
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import INDEX
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import Level
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import NameResolver
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import ambiguous_name
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import no_match
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import IndexRef
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostvars import host_variables
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.options import InventoryOptions

Item = Dict[str, Any]


@dataclass
class _Found:
    """Which given IDs and names matched something, over every region (one that matched nothing is an error), and
    every item listed, for the names a failure lists."""

    ids: Set[str] = field(default_factory=set)
    names: Set[str] = field(default_factory=set)
    listed: List[Item] = field(default_factory=list)


def _select(
    resolver: NameResolver, level: Level, parents: Dict[str, str], selection: Tuple[Sequence[str], Sequence[str]], where: str, found: _Found
) -> List[Item]:
    """The items of one listing given by ID or display name (``selection``: the IDs and the names; all the items when
    neither is given), in the service's order; names are matched by the core (NameResolver.matching).

    A name that several items of one listing have is ambiguous, as everywhere in the collection; a name or an ID
    missing from this listing may be in another (another region, another application).
    """
    ids, names = selection
    items = resolver.listing(level, parents)
    if not ids and not names:
        return list(items)
    found.listed.extend(items)
    id_option, name_option = f"{level.id_option}s", f"{level.name_option}s"
    chosen: Set[str] = set()
    for name in names:
        matches = resolver.matching(level, name, parents)
        if len(matches) > 1:
            raise QBusinessError(message=ambiguous_name(level, name_option, name, matches, f" {where}", id_option))
        if matches:
            found.names.add(name)
            chosen.add(str(matches[0][level.id_key]))
    for item in items:
        if str(item[level.id_key]) in ids:
            found.ids.add(str(item[level.id_key]))
            chosen.add(str(item[level.id_key]))
    return [item for item in items if str(item[level.id_key]) in chosen]


def _check_found(level: Level, ids: Sequence[str], names: Sequence[str], found: _Found, where: str) -> None:
    missing_ids = [value for value in ids if value not in found.ids]
    if missing_ids:
        raise QBusinessError(message=f"{level.id_option}s: no {level.noun} {where} has the ID {', '.join(missing_ids)}")
    missing_names = [value for value in names if value not in found.names]
    if missing_names:  # the core's message, with the names that exist: one name at a time, as everywhere
        raise QBusinessError(message=no_match(level, f"{level.name_option}s", missing_names[0], found.listed, f" {where}"))


@dataclass
class _RegionRead:
    """One region's selection, before the data sources are described."""

    region: str
    resolver: NameResolver
    indices: List[Tuple[Item, Item]]  # (application, index)


def _read_region_indices(client: Any, region: str, options: InventoryOptions, applications_found: _Found, indices_found: _Found) -> _RegionRead:
    resolver = NameResolver(client)
    selection = (options.application_ids, options.application_names)
    applications = _select(resolver, APPLICATION, {}, selection, f"in region {region}", applications_found)

    def indices_of(application: Item) -> List[Tuple[Item, Item]]:
        application_id = str(application[APPLICATION.id_key])
        where = f"in application {application.get('displayName')} ({application_id}) in region {region}"
        selected = _select(resolver, INDEX, {"applicationId": application_id}, (options.index_ids, options.index_names), where, indices_found)
        return [(application, index) for index in selected]

    pairs = [pair for pairs_of_one in run_concurrently(indices_of, applications) for pair in pairs_of_one]
    return _RegionRead(region, resolver, pairs)


def read_inventory(client_for: Callable[[str], Any], regions: Sequence[str], options: InventoryOptions) -> List[Dict[str, Any]]:
    """The host variables of every data source selected, region by region in the order given, then in the services'
    order (applications, indices, data sources); each region's calls through ``client_for(region)``."""
    applications_found, indices_found = _Found(), _Found()
    reads = [_read_region_indices(client_for(region), region, options, applications_found, indices_found) for region in regions]
    where = f"in region{'s' if len(regions) > 1 else ''} {', '.join(regions)}"
    # Checked before the data sources are read: a bad name costs no more requests.
    _check_found(APPLICATION, options.application_ids, options.application_names, applications_found, where)
    _check_found(INDEX, options.index_ids, options.index_names, indices_found, f"of the selected applications {where}")
    hosts: List[Dict[str, Any]] = []
    for read in reads:
        hosts.extend(_read_data_sources(read, options))
    return hosts


def _read_data_sources(read: _RegionRead, options: InventoryOptions) -> List[Dict[str, Any]]:
    resolver = read.resolver
    refs = [
        IndexRef(str(application[APPLICATION.id_key]), str(index[INDEX.id_key]), application.get("displayName"), index.get("displayName"))
        for application, index in read.indices
    ]
    listed = run_concurrently(lambda ref: resolver.listing(DATA_SOURCE, ref.request()), refs)
    kept: List[Tuple[IndexRef, Item]] = [
        (ref, item)
        for ref, items in zip(refs, listed)
        for item in items
        if options.data_source_statuses is None or item.get("status") in options.data_source_statuses
    ]
    data_source_refs = [ref.data_source(str(item[DATA_SOURCE.id_key]), item.get("displayName")) for ref, item in kept]
    described = describe_data_sources(resolver.client, data_source_refs, latest_sync=options.include_latest_sync)
    return [
        host_variables(read.region, ref, item, description, options.include_latest_sync)
        for ref, (dummy, item), description in zip(data_source_refs, kept, described)
    ]
