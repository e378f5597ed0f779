# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Names instead of IDs: the options checked before any request, then resolved against the emulator in-process,
counting the listings they cost."""

from __future__ import annotations

from collections import Counter

import pytest
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import APPLICATION
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import DATA_SOURCE
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import INDEX
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import Named
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import NameResolver
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_data_source_list
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_data_source_selection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_name
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_named

APP = "a1111111-0000-4000-8000-000000000001"
INDEX_ID = "b1111111-0000-4000-8000-000000000001"
DS = "c1111111-0000-4000-8000-0000000000{:02d}"


def _scenario(data_sources=30, applications=3):
    """``applications`` applications (the first holds the index), an index with ``data_sources`` data sources
    named ds-00..., two of them named "twin", and a second index also named "main" in another application."""
    sources = [dict(name=f"ds-{n:02d}", data_source_id=DS.format(n)) for n in range(data_sources)]
    if data_sources > 17:
        sources[5]["name"] = sources[17]["name"] = "twin"
    apps = [dict(name="handbook", application_id=APP, indices=[dict(name="main", index_id=INDEX_ID, data_sources=sources)])]
    apps.extend(dict(name=f"other-{n}", indices=[dict(name="main")]) for n in range(1, applications))
    return dict(applications=apps)


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    control.load_scenario(_scenario())
    control.clear_requests()
    return emulated_client


def operations():
    return Counter(request["operation"] for request in control.requests())


# --- checking the options, before any request ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["wiki", "a", "Wiki_2-b", "x" * 1000, "9lives", "has space"])
def test_names_accepted(value):
    assert validate_name("data_source_name", value) == value


@pytest.mark.parametrize(
    "value, says",
    [
        ("", "must be a display name"),
        ("x" * 1001, "must be a display name"),
        ("-wiki", "must be a display name"),
        (" wiki", "must be a display name"),
        ("éwiki", "must be a display name"),
        (None, "must be a display name"),
        (7, "must be a display name"),
        (["a", "b"], "takes one display name, not a list"),
        ("['a', 'b']", "takes one display name, not a list"),  # what a module's type: str makes of a list
    ],
)
def test_bad_names_name_the_option(value, says):
    with pytest.raises(OptionError) as err:
        validate_name("data_source_name", value)
    assert err.value.message.startswith(f"data_source_name {says}")


def test_id_or_name_exactly_one():
    assert validate_named(dict(application_id=APP), APPLICATION) == Named(APPLICATION, id=APP)
    assert validate_named(dict(application_name="handbook"), APPLICATION) == Named(APPLICATION, name="handbook")
    with pytest.raises(OptionError, match="^application_id and application_name are mutually exclusive"):
        validate_named(dict(application_id=APP, application_name="handbook"), APPLICATION)
    with pytest.raises(OptionError, match="^one of index_id or index_name is required$"):
        validate_named(dict(index_id=None, index_name=None), INDEX)
    with pytest.raises(OptionError, match="^data_source_id must be a Q Business ID"):
        validate_named(dict(data_source_id="wiki"), DATA_SOURCE)


def test_selection_checks_every_level():
    selection = validate_data_source_selection(dict(application_name="handbook", index_id=INDEX_ID, data_source_name="ds-01"))
    assert selection.application.name == "handbook" and selection.index.id == INDEX_ID and selection.data_source.name == "ds-01"
    with pytest.raises(OptionError, match="^one of data_source_id or data_source_name is required"):
        validate_data_source_selection(dict(application_id=APP, index_id=INDEX_ID))


def test_data_source_list():
    assert validate_data_source_list({}) is None
    listed = validate_data_source_list(dict(data_source_id=DS.format(1), data_source_name=["a", "b", "a"]))
    assert [(one.id, one.name) for one in listed] == [(DS.format(1), None), (None, "a"), (None, "b")]
    with pytest.raises(OptionError, match="^data_source_name must name at least one data source"):
        validate_data_source_list(dict(data_source_name=[]))


# --- resolving, counted -------------------------------------------------------------------------------------


def test_ids_send_no_request(client):
    ref = NameResolver(client).data_source_ref(validate_data_source_selection(dict(application_id=APP, index_id=INDEX_ID, data_source_id=DS.format(3))))
    assert (ref.application_id, ref.index_id, ref.data_source_id) == (APP, INDEX_ID, DS.format(3))
    assert ref.label == DS.format(3)
    assert not control.requests()


def test_names_resolve_across_pages(client):
    """30 data sources are three pages of ListDataSources (10 a page); the last name is on the last page."""
    selection = validate_data_source_selection(dict(application_name="handbook", index_name="main", data_source_name="ds-29"))
    ref = NameResolver(client).data_source_ref(selection)
    assert ref.identity() == dict(
        application_id=APP, application_name="handbook", index_id=INDEX_ID, index_name="main", data_source_id=DS.format(29), data_source_name="ds-29"
    )
    assert ref.label == f"ds-29 ({DS.format(29)})"
    assert operations() == Counter(ListApplications=1, ListIndices=1, ListDataSources=3)
    pages = [r["params"] for r in control.requests() if r["operation"] == "ListDataSources"]
    assert [page["maxResults"] for page in pages] == ["10", "10", "10"]
    assert [r["params"]["maxResults"] for r in control.requests() if r["operation"] != "ListDataSources"] == ["100", "100"]


def test_applications_over_several_pages(emulated_client):
    """105 applications: two pages of 100; a name on the second page is found."""
    control.load_scenario(_scenario(data_sources=1, applications=105))
    control.clear_requests()
    resolver = NameResolver(emulated_client)
    app_id, name = resolver.resolve(Named(APPLICATION, name="other-104"), {})
    assert name == "other-104" and app_id != APP
    assert operations() == Counter(ListApplications=2)


def test_each_level_is_listed_once_per_resolver(client):
    resolver = NameResolver(client)
    index = resolver.index_ref(validate_data_source_selection(dict(application_name="handbook", index_name="main", data_source_name="x")))
    refs = resolver.data_sources(index, [Named(DATA_SOURCE, name=f"ds-{n:02d}") for n in (1, 12, 25, 1)] + [Named(DATA_SOURCE, id=DS.format(12))])
    assert [ref.data_source_id for ref in refs] == [DS.format(1), DS.format(12), DS.format(25)]
    assert refs[1].data_source_name == "ds-12"  # given by name and by ID: the name is kept
    by_id_first = resolver.data_sources(index, [Named(DATA_SOURCE, id=DS.format(7)), Named(DATA_SOURCE, name="ds-07")])
    assert [(ref.data_source_id, ref.data_source_name) for ref in by_id_first] == [(DS.format(7), "ds-07")]  # the later name is added
    assert resolver.every_data_source(index)[29].data_source_name == "ds-29"
    assert operations() == Counter(ListApplications=1, ListIndices=1, ListDataSources=3)


def test_no_match_names_what_exists(client):
    with pytest.raises(QBusinessError) as err:
        NameResolver(client).data_source_ref(validate_data_source_selection(dict(application_id=APP, index_id=INDEX_ID, data_source_name="ds-99")))
    message = err.value.message
    assert message.startswith(f"data_source_name 'ds-99': no data source in index {INDEX_ID} in application {APP} has that display name")
    assert "'ds-00', 'ds-01'" in message and "and 9 more" in message  # 29 distinct names, 20 shown
    assert "ds-29" not in message
    assert operations() == Counter(ListDataSources=3)


def test_no_match_in_an_empty_level(emulated_client):
    selection = validate_data_source_selection(dict(application_name="handbook", index_id=INDEX_ID, data_source_id=DS.format(1)))
    with pytest.raises(QBusinessError, match="^application_name 'handbook': no application has that display name .*; there are no applications$"):
        NameResolver(emulated_client).index_ref(selection)


def test_several_matches_list_the_ids_and_ask_for_one(client):
    with pytest.raises(QBusinessError) as err:
        NameResolver(client).data_source_ref(validate_data_source_selection(dict(application_id=APP, index_id=INDEX_ID, data_source_name="twin")))
    message = err.value.message
    assert message.startswith(f"data_source_name 'twin': 2 data sources in index {INDEX_ID} in application {APP} have that display name")
    assert f"({DS.format(5)}, {DS.format(17)})" in message and message.endswith("so give data_source_id instead")


def test_duplicate_index_names_are_per_application(client):
    """Every application has an index named "main": only the application's own indices count."""
    index = NameResolver(client).index_ref(validate_data_source_selection(dict(application_name="handbook", index_name="main", data_source_id=DS.format(1))))
    assert index.index_id == INDEX_ID


def test_a_listing_error_names_the_listing(client):
    unknown = APP[:-1] + "9"  # ListIndices answers ResourceNotFoundException
    with pytest.raises(QBusinessError) as err:
        NameResolver(client).index_ref(validate_data_source_selection(dict(application_id=unknown, index_name="main", data_source_id=DS.format(1))))
    assert err.value.message == f"Failed to list the indices in application {unknown}"
    assert "ResourceNotFoundException" in str(err.value)
