# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Host names: the default, a template, and names that several data sources share."""

from __future__ import annotations

import pytest

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostnames import clash_warning
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostnames import render_hostnames
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostnames import unique_hostnames


def host(ds_id, ds_name="wiki", app_name="handbook"):
    return {
        "qbusiness_application_id": "a" * 36,
        "qbusiness_application_name": app_name,
        "qbusiness_data_source_id": ds_id,
        "qbusiness_data_source_name": ds_name,
    }


def not_rendered(template, variables):
    raise AssertionError("the default names need no template engine")


def test_default_names_are_application_and_data_source():
    hosts = [host("1" * 36), host("2" * 36, "s3"), host("3" * 36, None)]
    assert render_hostnames(hosts, None, not_rendered) == ["handbook/wiki", "handbook/s3", "handbook/" + "3" * 36]


def test_a_template_is_rendered_over_each_hosts_variables():
    hosts = [host("1" * 36), host("2" * 36)]
    seen = []

    def render(template, variables):
        seen.append(template)
        return variables["qbusiness_data_source_id"][:4] + " "

    assert render_hostnames(hosts, "{{ x }}", render) == ["1111", "2222"]
    assert seen == ["{{ x }}", "{{ x }}"]


@pytest.mark.parametrize("rendered", ["", "  ", None])
def test_an_empty_name_fails_naming_the_option(rendered):
    with pytest.raises(OptionError, match=r"^hostnames: '\{\{ x \}\}' gives an empty name for data source 1{36}$"):
        render_hostnames([host("1" * 36)], "{{ x }}", lambda template, variables: rendered)


def test_a_template_error_fails_naming_the_option():
    def render(template, variables):
        raise ValueError("'nope' is undefined")

    with pytest.raises(OptionError, match=r"^hostnames: '\{\{ nope \}\}' could not be rendered for data source 1{36}: 'nope' is undefined$"):
        render_hostnames([host("1" * 36)], "{{ nope }}", render)


def test_shared_names_get_their_data_source_id_and_are_reported():
    hosts = [host("1" * 36), host("2" * 36, "s3"), host("3" * 36)]
    names, clashes = unique_hostnames(hosts, ["handbook/wiki", "handbook/s3", "handbook/wiki"])
    assert names == ["handbook/wiki_" + "1" * 36, "handbook/s3", "handbook/wiki_" + "3" * 36]
    assert clashes == {"handbook/wiki": [names[0], names[2]]}
    warning = clash_warning(clashes)
    assert "'handbook/wiki' -> " + names[0] + ", " + names[2] in warning


def test_unique_names_are_left_alone():
    names, clashes = unique_hostnames([host("1" * 36), host("2" * 36)], ["a", "b"])
    assert (names, clashes) == (["a", "b"], {})


def test_a_suffixed_name_that_another_host_has_fails():
    hosts = [host("1" * 36), host("2" * 36), host("3" * 36)]
    with pytest.raises(OptionError, match=r"^hostnames: the host names x_1{36} remain shared"):
        unique_hostnames(hosts, ["x", "x", "x_" + "1" * 36])
