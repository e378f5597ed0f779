# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The inventory plugin through ansible-core's InventoryManager, against the emulator in-process: hosts, groups,
compose, connection variables, the cache, and bad configuration failing before any request."""

from __future__ import annotations

import pytest
from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader
from ansible.template import Templar
from ansible_collections.amazon.aws.plugins.plugin_utils.base import AWSPluginBase
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.hostvars import trust_as_template

APP = "a2a2a2a2-a2a2-4a2a-8a2a-a2a2a2a2a2a2"
INDEX = "b2b2b2b2-b2b2-4b2b-8b2b-b2b2b2b2b2b2"
WIKI = "c2c2c2c2-c2c2-4c2c-8c2c-c2c2c2c2c201"
WIKI_TWIN = "c2c2c2c2-c2c2-4c2c-8c2c-c2c2c2c2c202"
S3 = "c2c2c2c2-c2c2-4c2c-8c2c-c2c2c2c2c203"


@pytest.fixture(name="seeded")
def seeded_fixture(emulated_client, monkeypatch):
    # As ANSIBLE_INVENTORY_UNPARSED_FAILED=true does (the constants are read once, at import).
    monkeypatch.setattr(C, "INVENTORY_UNPARSED_IS_FAILED", True)
    control.load_scenario(
        {
            "region": "us-east-1",
            "applications": [
                {
                    "name": "handbook",
                    "application_id": APP,
                    "indices": [
                        {
                            "name": "main",
                            "index_id": INDEX,
                            "data_sources": [
                                {"name": "wiki", "data_source_id": WIKI, "type": "CONFLUENCEV2", "history": [{"status": "FAILED", "start_time": "now-600"}]},
                                {"name": "wiki", "data_source_id": WIKI_TWIN, "history": [{"status": "SUCCEEDED", "start_time": "now-600"}]},
                                {"name": "s3", "data_source_id": S3},
                            ],
                        }
                    ],
                }
            ],
        }
    )
    control.clear_requests()


def load(tmp_path, body, name="test.qbusiness.yml"):
    path = tmp_path / name
    regions = "" if "regions:" in body else "regions: [us-east-1]\n"
    path.write_text("plugin: qbusiness.ops.qbusiness\n" + regions + body, encoding="utf-8")
    # A fresh plugin each time, as a new ansible-inventory process would have (the loader caches instances).
    inventory_loader._plugin_instance_cache = {}  # pylint: disable=protected-access
    return InventoryManager(loader=DataLoader(), sources=[str(path)])


def test_hosts_groups_and_variables(seeded, tmp_path):
    inventory = load(
        tmp_path,
        """include_latest_sync: true
keyed_groups:
  - key: qbusiness_latest_sync.status
    prefix: qbusiness_sync
    separator: _
  - key: qbusiness_data_source_type
    prefix: type
compose:
  ansible_connection: "'ssh' if qbusiness_data_source_name == 's3' else 'local'"
  label: qbusiness_application_name ~ ':' ~ qbusiness_data_source_name
""",
    )
    groups = inventory.get_groups_dict()
    assert sorted(groups["qbusiness"]) == sorted([f"handbook/wiki_{WIKI}", f"handbook/wiki_{WIKI_TWIN}", "handbook/s3"])
    assert groups["qbusiness_sync_FAILED"] == [f"handbook/wiki_{WIKI}"]
    assert groups["qbusiness_sync_SUCCEEDED"] == [f"handbook/wiki_{WIKI_TWIN}"]
    assert groups["type_CONFLUENCEV2"] == [f"handbook/wiki_{WIKI}"]
    s3 = inventory.get_host("handbook/s3").get_vars()
    assert s3["qbusiness_data_source_id"] == S3 and s3["qbusiness_latest_sync"] is None
    assert s3["label"] == "handbook:s3"
    # The connection variables unless composed otherwise.
    assert s3["ansible_connection"] == "ssh"
    wiki = inventory.get_host(f"handbook/wiki_{WIKI}").get_vars()
    assert (wiki["ansible_connection"], wiki["ansible_python_interpreter"]) == ("local", "{{ ansible_playbook_python }}")
    assert wiki["qbusiness_latest_sync"]["status"] == "FAILED"


def test_hostnames_template(seeded, tmp_path):
    inventory = load(tmp_path, 'hostnames: "{{ qbusiness_region }}-{{ qbusiness_data_source_id[-2:] }}"\n')
    assert sorted(inventory.get_groups_dict()["qbusiness"]) == ["us-east-1-01", "us-east-1-02", "us-east-1-03"]


def test_the_cache_answers_the_second_read(seeded, tmp_path):
    cache = f"""cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: {tmp_path / "cache"}
"""
    first = load(tmp_path, cache)
    sent = len(control.requests())
    assert sent == 1 + 1 + 1 + 3  # applications, indices, data sources, GetDataSource x 3
    second = load(tmp_path, cache)
    assert len(control.requests()) == sent
    assert second.get_groups_dict()["qbusiness"] == first.get_groups_dict()["qbusiness"]
    assert second.get_host("handbook/s3").get_vars()["ansible_connection"] == "local"
    # Another selection in the same file is read again.
    load(tmp_path, cache + "data_source_statuses: [ACTIVE]\n")
    assert len(control.requests()) == 2 * sent


@pytest.mark.parametrize(
    "body, message",
    [
        ("bogus: 1\n", "qbusiness.ops.qbusiness: unknown option: bogus"),
        ("regions: [moon]\n", "qbusiness.ops.qbusiness: regions: 'moon' is not an AWS region name"),
        ("application_ids: [nope]\n", "qbusiness.ops.qbusiness: application_ids must be a Q Business ID"),
        ("application_names: [nope]\n", "qbusiness.ops.qbusiness: application_names 'nope': no application in region us-east-1"),
        ("hostnames: '{{ qbusiness_index_name }}-{{ nope }}'\n", "qbusiness.ops.qbusiness: hostnames: "),
    ],
)
def test_bad_configuration_fails_naming_the_option(seeded, tmp_path, body, message, capsys):
    with pytest.raises(AnsibleError, match="No inventory was parsed"):
        load(tmp_path, body, name="bad.qbusiness.yml")
    assert message in capsys.readouterr().err
    if "no application" not in message and "hostnames" not in message:
        assert control.requests() == []


def test_the_cache_key_holds_where_the_inventory_is_read_from(seeded, tmp_path, monkeypatch):
    # The same file, read from another region (the environment's) or through another endpoint, is read again.
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    cache = f"""regions: []
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: {tmp_path / "cache"}
"""
    assert len(load(tmp_path, cache).get_groups_dict()["qbusiness"]) == 3
    sent = len(control.requests())
    load(tmp_path, cache)
    assert len(control.requests()) == sent  # from the cache
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    assert load(tmp_path, cache).get_groups_dict()["qbusiness"] == []
    assert [r["region"] for r in control.requests()[sent:]] == ["eu-west-1"]  # its ListApplications
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    load(tmp_path, cache + "endpoint_url: https://qbusiness.us-east-1.amazonaws.com\n")
    assert len(control.requests()) == 2 * sent + 1


def test_a_host_that_fails_fails_the_source_whole(seeded, tmp_path, monkeypatch, capsys):
    # strict: the data source that never synced has no qbusiness_latest_sync.status; the two before it are not left.
    monkeypatch.setattr(C, "INVENTORY_UNPARSED_IS_FAILED", False)
    inventory = load(
        tmp_path,
        """include_latest_sync: true
strict: true
keyed_groups:
  - key: qbusiness_latest_sync.status
    prefix: qbusiness_sync
    separator: _
""",
    )
    assert "qbusiness_latest_sync" in capsys.readouterr().err
    assert inventory.list_hosts() == []
    assert not {"qbusiness", "qbusiness_sync_FAILED", "qbusiness_sync_SUCCEEDED"} & set(inventory.groups)


def test_what_the_service_sent_is_not_templated(seeded, tmp_path):
    text = "bad {{ x }} and {% now 'utc' %} here"
    control.load_scenario(
        {
            "region": "eu-west-1",
            "applications": [
                {
                    "name": "tmpl",
                    "indices": [
                        {
                            "name": "main",
                            "data_sources": [
                                {
                                    "name": "s",
                                    "history": [{"status": "FAILED", "start_time": "now-600", "error": {"error_code": "InternalError", "error_message": text}}],
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    )
    inventory = load(
        tmp_path,
        """regions: [eu-west-1]
include_latest_sync: true
strict: true
keyed_groups:
  - key: qbusiness_latest_sync.status
    prefix: qbusiness_sync
    separator: _
compose:
  message: qbusiness_latest_sync.error.error_message
""",
    )
    assert inventory.get_groups_dict()["qbusiness_sync_FAILED"] == ["tmpl/s"]
    host = inventory.get_host("tmpl/s")
    templar = Templar(loader=DataLoader(), variables=host.get_vars())
    # As a task's argument would be rendered: the variable's text, not templated again.
    assert templar.template(trust_as_template("{{ qbusiness_latest_sync.error.error_message }}")) == text
    assert templar.template(trust_as_template("{{ message }}")) == text


def test_a_role_is_assumed_in_the_first_region_without_region(seeded, tmp_path, monkeypatch):
    # Without region, amazon.aws builds the STS client with none (with an endpoint_url, botocore then fails with a
    # bare "You must specify a region."): it gets the first of the regions.
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    clients = []
    original = AWSPluginBase.client

    def recording(self, service, retry_decorator=None, **params):
        clients.append((service, params.get("region")))
        return original(self, service, retry_decorator=retry_decorator, **params)

    monkeypatch.setattr(AWSPluginBase, "client", recording)
    inventory = load(tmp_path, "assume_role_arn: arn:aws:iam::123456789012:role/qbusiness-inventory\n")
    assert len(inventory.get_groups_dict()["qbusiness"]) == 3
    assert ("sts", "us-east-1") in clients


def test_a_host_name_another_source_has_fails_the_source(seeded, tmp_path, monkeypatch, capsys):
    # Two sources naming the same data sources: the second is refused (naming hostnames), the first stays whole.
    monkeypatch.setattr(C, "INVENTORY_UNPARSED_IS_FAILED", False)
    for name in ("a.qbusiness.yml", "b.qbusiness.yml"):
        (tmp_path / name).write_text("plugin: qbusiness.ops.qbusiness\nregions: [us-east-1]\n", encoding="utf-8")
    inventory_loader._plugin_instance_cache = {}  # pylint: disable=protected-access
    inventory = InventoryManager(loader=DataLoader(), sources=[str(tmp_path / "a.qbusiness.yml"), str(tmp_path / "b.qbusiness.yml")])
    assert "hostnames: " in capsys.readouterr().err
    assert len(inventory.get_groups_dict()["qbusiness"]) == 3
    host = inventory.get_host(inventory.get_groups_dict()["qbusiness"][0])
    assert host.get_vars()["qbusiness_region"] == "us-east-1"
