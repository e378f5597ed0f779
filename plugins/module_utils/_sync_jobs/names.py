# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Applications, indices and data sources by ID or by display name: checking the options, then resolving names.

Nothing in the API makes a display name unique, and the service has no lookup by name: a name is matched
exactly against every page of ListApplications, ListIndices or ListDataSources. No match and several
matches both fail, naming the option; nothing is guessed. A task lists each level at most once
(:class:`NameResolver` keeps what it read), and a task given IDs lists nothing (unless it asks for the data sources'
names: :meth:`NameResolver.named_from_listing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import paginate
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import shorten
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_id
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceRef
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import IndexRef

# The model's length limit for every display name (ApplicationName, IndexName, DataSourceName).
_MAX_NAME_LENGTH = 1000
# How many existing names a "no such name" failure lists.
_NAMES_SHOWN = 20


@dataclass(frozen=True)
class Level:
    """One level of the hierarchy: its options, how the service lists it, and how its items are keyed."""

    noun: str  # as messages name one: "data source"
    plural: str
    id_option: str
    name_option: str
    operation: str  # the client method that lists it
    result_key: str
    id_key: str
    page_size: int  # the model's maxResults ceiling


APPLICATION = Level("application", "applications", "application_id", "application_name", "list_applications", "applications", "applicationId", 100)
INDEX = Level("index", "indices", "index_id", "index_name", "list_indices", "indices", "indexId", 100)
DATA_SOURCE = Level("data source", "data sources", "data_source_id", "data_source_name", "list_data_sources", "dataSources", "dataSourceId", 10)
# The request parameter of each parent level, as messages name it.
_PARENT_NOUNS = {"applicationId": "application", "indexId": "index"}


@dataclass(frozen=True)
class Named:
    """An application, index or data source as the user gave it: by ID or by display name, never both."""

    level: Level
    id: Optional[str] = None
    name: Optional[str] = None


@dataclass(frozen=True)
class IndexSelection:
    """The application and the index, each by ID or name (checked, not yet resolved)."""

    application: Named
    index: Named


@dataclass(frozen=True)
class DataSourceSelection:
    """One data source and the application and index that hold it, each by ID or name."""

    application: Named
    index: Named
    data_source: Named


def validate_name(option: str, value: Any) -> str:
    """Return ``value`` if it can be a display name, else raise OptionError naming ``option``.

    The model's names (ApplicationName, IndexName, DataSourceName) are 1 to 1000 characters that start with
    a letter or a digit. The rest of its pattern (no spaces) is not checked: names are matched on the client,
    never sent, and one outside the pattern simply matches nothing (reported with the names that exist). The
    first character also tells a list that a module's ``type: str`` turned into its text (``"['a', 'b']"``).
    """
    if isinstance(value, list) or (isinstance(value, str) and value.startswith("[") and value.endswith("]")):
        raise OptionError(f"{option} takes one display name, not a list; got {shorten(value)}")
    if not isinstance(value, str) or not 1 <= len(value) <= _MAX_NAME_LENGTH or not value[0].isalnum() or not value[0].isascii():
        raise OptionError(f"{option} must be a display name: 1 to {_MAX_NAME_LENGTH} characters, starting with a letter or a digit; got {shorten(value)}")
    return value


def validate_named(params: Dict[str, Any], level: Level) -> Named:
    """The level's ``*_id`` or ``*_name`` option: exactly one of them, checked."""
    given_id = params.get(level.id_option)
    given_name = params.get(level.name_option)
    if given_id is not None and given_name is not None:
        raise OptionError(f"{level.id_option} and {level.name_option} are mutually exclusive: give the {level.noun} by ID or by name, not both")
    if given_name is not None:
        return Named(level, name=validate_name(level.name_option, given_name))
    if given_id is None:
        raise OptionError(f"one of {level.id_option} or {level.name_option} is required")
    return Named(level, id=validate_id(level.id_option, given_id))


def validate_index_selection(params: Dict[str, Any]) -> IndexSelection:
    """``application_id``/``application_name`` and ``index_id``/``index_name``, checked."""
    return IndexSelection(validate_named(params, APPLICATION), validate_named(params, INDEX))


def validate_data_source_selection(params: Dict[str, Any]) -> DataSourceSelection:
    """The application, index and data source options (an ID or a name each), checked."""
    index = validate_index_selection(params)
    return DataSourceSelection(index.application, index.index, validate_named(params, DATA_SOURCE))


def validate_data_source_list(params: Dict[str, Any]) -> Optional[List[Named]]:
    """``data_source_id`` and ``data_source_name`` of a plugin that takes several (each one value or a list; the two may
    be mixed): the data sources in the given order, IDs first, each once; None when neither is given (every data source)."""
    named: List[Named] = []
    for option, make in ((DATA_SOURCE.id_option, _by_id), (DATA_SOURCE.name_option, _by_name)):
        raw = params.get(option)
        if raw is None:
            continue
        values = raw if isinstance(raw, list) else [raw]
        if not values:
            raise OptionError(f"{option} must name at least one data source; leave it out for every data source of the index")
        named.extend(make(option, value) for value in values)
    if not named:
        return None
    return list(dict.fromkeys(named))  # a data source given twice is taken once, where it first appears


def _by_id(option: str, value: Any) -> Named:
    return Named(DATA_SOURCE, id=validate_id(option, value))


def _by_name(option: str, value: Any) -> Named:
    if isinstance(value, list):  # a list inside the list
        raise OptionError(f"{option} takes display names (one, or a list of them); got {shorten(value)}")
    return Named(DATA_SOURCE, name=validate_name(option, value))


class NameResolver:
    """Resolves the names of one task: every level is listed (all its pages) at most once, and only for a name."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._listings: Dict[Tuple[Any, ...], List[Dict[str, Any]]] = {}

    def listing(self, level: Level, parents: Dict[str, str]) -> List[Dict[str, Any]]:
        """Every item of one level under ``parents`` (request parameters), as the service sent them; read once per task."""
        key = (level.operation,) + tuple(sorted(parents.items()))
        if key not in self._listings:
            call = getattr(self.client, level.operation)  # looked up at each call, so that a test can replace it
            self._listings[key], dummy = paginate(call, dict(parents), level.result_key, f"the {level.plural}{_where(parents)}", page_size=level.page_size)
        return self._listings[key]

    def resolve(self, named: Named, parents: Dict[str, str]) -> Tuple[str, Optional[str]]:
        """The ID of ``named`` and its display name (None when it was given by ID: no listing is read then)."""
        if named.name is None:
            return str(named.id), None
        level = named.level
        matches = self.matching(level, named.name, parents)
        if not matches:
            raise QBusinessError(message=_no_match(named, self.listing(level, parents), parents))
        if len(matches) > 1:
            raise QBusinessError(message=ambiguous_name(level, level.name_option, named.name, matches, _where(parents), level.id_option))
        return str(matches[0][level.id_key]), named.name

    def matching(self, level: Level, name: str, parents: Dict[str, str]) -> List[Dict[str, Any]]:
        """The items of one level under ``parents`` whose display name is exactly ``name`` (every page, read once)."""
        return [item for item in self.listing(level, parents) if item.get("displayName") == name]

    def index_ref(self, selection: IndexSelection) -> IndexRef:
        """The application and the index, resolved."""
        application_id, application_name = self.resolve(selection.application, {})
        index_id, index_name = self.resolve(selection.index, dict(applicationId=application_id))
        return IndexRef(application_id, index_id, application_name, index_name)

    def data_sources(self, index: IndexRef, named: Sequence[Named]) -> List[DataSourceRef]:
        """The data sources of ``index`` that ``named`` names, resolved, each once, where it first appears."""
        refs: Dict[str, DataSourceRef] = {}
        for one in named:
            data_source_id, name = self.resolve(one, index.request())
            known = refs.get(data_source_id)
            if known is None or (name and not known.data_source_name):
                refs[data_source_id] = index.data_source(data_source_id, name)
        return list(refs.values())

    def every_data_source(self, index: IndexRef) -> List[DataSourceRef]:
        """Every data source of ``index``, with its display name, in the service's order."""
        items = self.listing(DATA_SOURCE, index.request())
        return [index.data_source(str(item[DATA_SOURCE.id_key]), item.get("displayName")) for item in items]

    def named_from_listing(self, index: IndexRef, refs: Sequence[DataSourceRef]) -> List[DataSourceRef]:
        """``refs``, each with its display name: for those without one (given by ID), the name ListDataSources of
        ``index`` gives (the listing the names are resolved from: read once per task, not at all when every ref is
        named). An ID that the listing does not hold keeps no name."""
        if all(ref.data_source_name for ref in refs):
            return list(refs)
        names = {str(item.get(DATA_SOURCE.id_key)): item.get("displayName") for item in self.listing(DATA_SOURCE, index.request())}
        return [ref if ref.data_source_name else replace(ref, data_source_name=_name_or_none(names.get(ref.data_source_id))) for ref in refs]

    def selected_data_sources(self, index: IndexRef, named: Optional[Sequence[Named]]) -> List[DataSourceRef]:
        """The data sources ``named`` names, or every data source of ``index`` when none was given (None)."""
        return self.every_data_source(index) if named is None else self.data_sources(index, named)

    def data_source_ref(self, selection: DataSourceSelection) -> DataSourceRef:
        """One data source and its application and index, resolved."""
        index = self.index_ref(IndexSelection(selection.application, selection.index))
        return self.data_sources(index, [selection.data_source])[0]


def ambiguous_name(level: Level, option: str, name: str, matches: List[Dict[str, Any]], where: str, id_option: str) -> str:
    """The failure of a display name that several items have: their IDs, and the option to give instead."""
    ids = ", ".join(str(item.get(level.id_key)) for item in matches)
    return (
        f"{option} {name!r}: {len(matches)} {level.plural}{where} have that display name ({ids}); display names need not be unique, so give {id_option} instead"
    )


def _name_or_none(value: Any) -> Optional[str]:
    return str(value) if value not in (None, "") else None


def _where(parents: Dict[str, str]) -> str:
    """`` in index X in application Y`` for the request parameters of a listing."""
    return "".join(f" in {_PARENT_NOUNS[name]} {value}" for name, value in reversed(list(parents.items())))


def _no_match(named: Named, items: List[Dict[str, Any]], parents: Dict[str, str]) -> str:
    return no_match(named.level, named.level.name_option, str(named.name), items, _where(parents))


def no_match(level: Level, option: str, name: str, items: List[Dict[str, Any]], where: str) -> str:
    """The failure of a display name that none of ``items`` (the listings it was matched against) has, with the
    names that exist; ``where`` (`` in application X``) says which listings."""
    names = sorted({str(item.get("displayName")) for item in items if item.get("displayName") is not None})
    if not names:
        existing = f"there are no {level.plural}{where}"
    else:
        shown = ", ".join(repr(one) for one in names[:_NAMES_SHOWN])
        more = f" and {len(names) - _NAMES_SHOWN} more" if len(names) > _NAMES_SHOWN else ""
        existing = f"the {level.plural}{where} are named {shown}{more}"
    return f"{option} {name!r}: no {level.noun}{where} has that display name (matched exactly); {existing}"
