# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The inventory's own options, checked before any request; each failure names its option."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from typing import Callable
from typing import FrozenSet
from typing import Iterable
from typing import List
from typing import Mapping
from typing import Optional
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_name
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import shorten
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_id

# The shape of an AWS region name (us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5): checked on the client,
# since botocore builds an endpoint for any string, and a typo would only show as a connection error.
_REGION = re.compile(r"\A[a-z]{2}(-[a-z]+)+-\d+\Z")
# A data source's own status (the model's DataSourceStatus).
DATA_SOURCE_STATUSES = ("PENDING_CREATION", "CREATING", "ACTIVE", "DELETING", "FAILED", "UPDATING")
# Keys of an inventory file that are no option of the plugin: the key that names it.
_FILE_KEYS = ("plugin",)


@dataclass(frozen=True)
class InventoryOptions:
    """What to read: the regions (None: the configured one), the applications, indices and statuses (empty: all)."""

    regions: Optional[Tuple[str, ...]] = None
    application_ids: Tuple[str, ...] = ()
    application_names: Tuple[str, ...] = ()
    index_ids: Tuple[str, ...] = ()
    index_names: Tuple[str, ...] = ()
    data_source_statuses: Optional[FrozenSet[str]] = None
    include_latest_sync: bool = False
    hostnames: Optional[str] = None

    def cache_identity(self) -> Tuple[Any, ...]:
        """What the read depends on: a cached inventory is only reused for the same selection."""
        statuses = tuple(sorted(self.data_source_statuses)) if self.data_source_statuses is not None else None
        return (self.regions, self.application_ids, self.application_names, self.index_ids, self.index_names, statuses, self.include_latest_sync)


def check_known_options(config: Mapping[str, Any], known: Iterable[str]) -> None:
    """Refuse a key of the inventory file that is no option (nor alias) of the plugin: ansible-core ignores them."""
    allowed = set(known) | set(_FILE_KEYS)
    unknown = sorted(str(key) for key in config if key not in allowed)
    if unknown:
        raise OptionError(
            f"unknown option{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}; the options are: {', '.join(sorted(allowed - set(_FILE_KEYS)))}"
        )


def validate_region(option: str, value: Any) -> str:
    """``value`` if it has the shape of a region name, else OptionError naming ``option``."""
    if not isinstance(value, str) or not _REGION.match(value):
        raise OptionError(f"{option}: {shorten(value)} is not an AWS region name (such as us-east-1)")
    return value


def _as_list(option: str, value: Any) -> List[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, (list, tuple)):
        raise OptionError(f"{option} must be a list; got {shorten(value)}")
    return list(value)


def _unique(values: Iterable[str]) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _boolean(option: str, value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    raise OptionError(f"{option} must be a boolean (true or false); got {shorten(value)}")


def validate_options(get: Callable[[str], Any]) -> InventoryOptions:
    """The plugin's own options (``get(name)``: the option's value), checked; raises OptionError naming the option."""
    given_regions = get("regions")
    regions = None
    if given_regions:  # amazon.aws documents [] as the default
        regions = _unique(validate_region("regions", region) for region in _as_list("regions", given_regions))
    statuses = None
    given_statuses = _as_list("data_source_statuses", get("data_source_statuses"))
    if given_statuses:
        bad = [status for status in given_statuses if status not in DATA_SOURCE_STATUSES]
        if bad:
            raise OptionError(
                f"data_source_statuses: {', '.join(shorten(status) for status in bad)} "
                f"{'is no' if len(bad) == 1 else 'are no'} data source status; the statuses are {', '.join(DATA_SOURCE_STATUSES)}"
            )
        statuses = frozenset(given_statuses)
    hostnames = get("hostnames")
    if hostnames is not None and (not isinstance(hostnames, str) or not hostnames.strip()):
        raise OptionError(f"hostnames must be a template (a string) over the host variables; got {shorten(hostnames)}")
    return InventoryOptions(
        regions=regions,
        application_ids=_unique(validate_id("application_ids", value) for value in _as_list("application_ids", get("application_ids"))),
        application_names=_unique(validate_name("application_names", value) for value in _as_list("application_names", get("application_names"))),
        index_ids=_unique(validate_id("index_ids", value) for value in _as_list("index_ids", get("index_ids"))),
        index_names=_unique(validate_name("index_names", value) for value in _as_list("index_names", get("index_names"))),
        data_source_statuses=statuses,
        include_latest_sync=_boolean("include_latest_sync", get("include_latest_sync")),
        hostnames=hostnames,
    )
