# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: qbusiness
version_added: 0.2.0
short_description: Amazon Q Business data sources as inventory hosts
description:
  - Every data source of the selected Amazon Q Business applications and indices, in one or more regions, is a host,
    with its application, index, type, status, schedule and, if asked, its latest sync as host variables. Plays then run
    over the data sources in parallel forks, for example one M(qbusiness.ops.qbusiness_sync_gate) task per data source.
  - Uses a YAML configuration file whose name ends with C(qbusiness.yml) or C(qbusiness.yaml), for example
    C(assistants.qbusiness.yml), with V(plugin=qbusiness.ops.qbusiness).
  - The hosts are API objects, not machines. Each gets C(ansible_connection=local) and
    C(ansible_python_interpreter={{ ansible_playbook_python }}) (the Python that runs Ansible, which has boto3), so tasks
    run on the controller or wherever they are delegated; O(compose) may set other values.
  - "Requests, per region: every page of C(ListApplications) (once, also for O(application_ids): the applications'
    display names are host variables), of C(ListIndices) once per selected application, of C(ListDataSources) once per
    selected index, then one C(GetDataSource) per data source kept (its schedule is in no listing) and, with
    O(include_latest_sync), the windowed read of the latest sync that M(qbusiness.ops.qbusiness_data_source_info) makes
    with O(qbusiness.ops.qbusiness_data_source_info#module:latest_sync=true). The listings of one region run
    concurrently, and so do the data sources."
  - Throttling and 5xx answers are retried with jittered backoff, as in every plugin of the collection.
  - Bad configuration (an unknown option, a region that is not a region name, an ID that is not a Q Business ID, a
    status that is none, a name that no application or index has, or several have) fails with a message that names the
    option, before any request for what can be checked without one.
author:
  - qbusiness.ops maintainers (@qbusiness-ops)
options:
  plugin:
    description: The name of this plugin; it must be V(qbusiness.ops.qbusiness) for the file to be read by it.
    required: true
    type: str
    choices: [qbusiness.ops.qbusiness]
  regions:
    description:
      - The regions to read, in this order.
      - Without it, the configured region only (O(region), else C(AWS_REGION) or C(AWS_DEFAULT_REGION), else the
        profile's region), not every region of the partition.
      - Each must have the shape of a region name (such as V(eu-west-1)); checked before any request.
    type: list
    elements: str
    default: []
  application_ids:
    description:
      - Only the applications with these IDs. With O(application_names), the applications either gives.
      - Without both, every application of each region.
      - An ID that is in none of the regions fails the inventory.
    type: list
    elements: str
    default: []
  application_names:
    description:
      - Only the applications with these display names, matched exactly against every page of C(ListApplications).
      - A name may be missing from some regions, but not from all of them; a name that two applications of one region
        have fails the inventory, naming their IDs (give O(application_ids) then).
    type: list
    elements: str
    default: []
  index_ids:
    description:
      - Only the indices with these IDs, in the selected applications. Without it and O(index_names), every index.
    type: list
    elements: str
    default: []
  index_names:
    description:
      - Only the indices with these display names, matched exactly in each selected application; a name must match in
        at least one of them, and at most one index of an application.
    type: list
    elements: str
    default: []
  data_source_statuses:
    description:
      - Only the data sources in these statuses (as C(ListDataSources) reports them). Without it, every data source.
    type: list
    elements: str
    default: []
    choices: [PENDING_CREATION, CREATING, ACTIVE, DELETING, FAILED, UPDATING]
  include_latest_sync:
    description:
      - Also read each data source's latest sync job into C(qbusiness_latest_sync), in the shape of
        M(qbusiness.ops.qbusiness_sync_job_info)'s history elements (V(null) when it has never synced).
      - Costs one to eight C(ListDataSourceSyncJobs) requests per data source (the recent windows, usually one to four).
    type: bool
    default: false
  hostnames:
    description:
      - A Jinja2 template over the host variables that gives each host its name, for example
        V({{ qbusiness_region }}/{{ qbusiness_data_source_id }}).
      - Without it, C(<application display name>/<data source display name>).
      - Display names need not be unique. When several data sources get the same name, each of them is named
        C(<name>_<data source ID>) instead, and a warning lists the names.
    type: str
notes:
  - "Host variables of every host: C(qbusiness_region), C(qbusiness_application_id), C(qbusiness_application_name),
    C(qbusiness_index_id), C(qbusiness_index_name), C(qbusiness_data_source_id), C(qbusiness_data_source_name),
    C(qbusiness_data_source_type), C(qbusiness_data_source_status), C(qbusiness_sync_schedule) (V(null) without a
    schedule), C(qbusiness_created_at), C(qbusiness_updated_at) (ISO 8601 in UTC), and with O(include_latest_sync)
    C(qbusiness_latest_sync)."
  - Every host is in the group C(qbusiness); O(keyed_groups) and O(groups) make more.
  - "With O(cache=true), the inventory read is kept in the cache plugin and a second run sends no request until
    O(cache_timeout) runs out. The cache key also holds where the inventory is read from (the regions, resolved from
    O(regions), O(region), C(AWS_REGION) or the profile; O(endpoint_url); O(profile); O(assume_role_arn); a hash of
    the access key ID, never the secret) and the options that choose what is read (applications, indices, statuses,
    O(include_latest_sync)), so another region, account or selection is read again. C(--flush-cache) reads again."
  - "ansible-core only warns when an inventory source fails (a bad option, a refused request), and a play then runs
    over whatever hosts are left, none at all: C(hosts: qbusiness) prints C(no hosts matched) and C(ansible-playbook)
    exits 0. A deployment gate must never pass on data it did not read: set
    C(ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true) (in C(ansible.cfg), C(any_unparsed_is_failed = true) in section
    C([inventory])) so that C(ansible-inventory) and C(ansible-playbook) fail when any source fails, and begin the
    gate playbook with a play on C(localhost) that asserts C('qbusiness' in groups) (the group exists whenever the
    plugin succeeded, even without hosts; a C(--limit) must name C(localhost) too, or that play is skipped); the
    README shows it."
  - "If a host fails while the inventory is built (O(compose), O(groups) or O(keyed_groups) with O(strict=true)), the
    source fails whole: the hosts and groups it added before are removed. A host name that another inventory source
    already has fails the source (naming O(hostnames)) rather than merge two hosts into one."
  - "What the service sent (names, error messages, ...) is never templated: on ansible-core 2.17 and 2.18 those
    values are marked unsafe, on 2.19+ they are not trusted as templates (the default); C(ansible_python_interpreter)
    remains a template."
  - The credentials are never part of a message. The plugin needs C(boto3) on the controller.
extends_documentation_fragment:
  - constructed
  - inventory_cache
  - qbusiness.ops.qbusiness.requirements_controller
  - amazon.aws.common.plugins
  - amazon.aws.region.plugins
  - amazon.aws.assume_role.plugins
seealso:
  - module: qbusiness.ops.qbusiness_sync_gate
  - module: qbusiness.ops.qbusiness_data_source_info
"""

EXAMPLES = r"""
# assistants.qbusiness.yml: every data source of two regions, grouped by application, type and latest sync.
# `ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true ansible-playbook -i assistants.qbusiness.yml gate.yml` with
# `hosts: qbusiness_sync_FAILED` runs on the failing ones (see the notes: the variable, and a guard play, make a
# failed read fail the run).
plugin: qbusiness.ops.qbusiness
regions:
  - us-east-1
  - eu-west-1
include_latest_sync: true
keyed_groups:
  # qbusiness_app_handbook_assistant, ... (ansible-core turns characters a group name cannot have into _)
  - key: qbusiness_application_name
    prefix: qbusiness_app
  # qbusiness_type_S3, qbusiness_type_CONFLUENCEV2, ...
  - key: qbusiness_data_source_type
    prefix: qbusiness_type
  # qbusiness_sync_FAILED, qbusiness_sync_SUCCEEDED, ... (a data source that never synced is in none of them)
  - key: qbusiness_latest_sync.status
    prefix: qbusiness_sync
    separator: _
groups:
  # The data sources whose own status is not ACTIVE (being created, failed, ...).
  qbusiness_not_active: qbusiness_data_source_status != 'ACTIVE'
compose:
  # A variable the play can use as is.
  qbusiness_label: qbusiness_application_name ~ ' / ' ~ qbusiness_data_source_name

---
# By name, one application and its main index, only the active data sources, named by region and ID.
plugin: qbusiness.ops.qbusiness
region: eu-west-1
application_names: [handbook-assistant]
index_names: [main]
data_source_statuses: [ACTIVE]
hostnames: "{{ qbusiness_region }}-{{ qbusiness_data_source_id }}"

---
# Another account through a role, the inventory kept for an hour in the JSON file cache. Without region, the role is
# assumed through STS in the first of the regions.
plugin: qbusiness.ops.qbusiness
regions: [us-west-2]
assume_role_arn: arn:aws:iam::123456789012:role/qbusiness-inventory
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: /var/cache/ansible/qbusiness
cache_timeout: 3600
"""

import hashlib
from typing import Any
from typing import Dict
from typing import List
from typing import NoReturn
from typing import Optional

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.errors import AnsibleParserError
from ansible_collections.amazon.aws.plugins.plugin_utils.inventory import AWSInventoryBase

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import qbusiness_client
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.build import populate
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.options import InventoryOptions
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.options import check_known_options
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.options import validate_options
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.options import validate_region
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.reading import read_inventory

_PREFIX = "qbusiness.ops.qbusiness"


class InventoryModule(AWSInventoryBase):
    """Data sources as hosts; a thin shell over plugin_utils/_inventory/ and the core."""

    NAME = "qbusiness.ops.qbusiness"
    INVENTORY_FILE_SUFFIXES = ("qbusiness.yml", "qbusiness.yaml")

    def __init__(self) -> None:
        super().__init__()
        self._checked: Optional[InventoryOptions] = None
        self._identity: Any = None

    def _do_fail(self, message: str) -> NoReturn:
        # amazon.aws's failures (credentials, role, region) as an inventory failure, naming the plugin.
        raise AnsibleParserError(f"{_PREFIX}: {message}")

    def _read_config_data(self, path: str) -> Dict[str, Any]:
        # Checked here, inside AWSInventoryBase.parse, before it assumes a role (the first request).
        config = super()._read_config_data(path)
        try:
            known = []
            for name, definition in C.config.get_configuration_definitions("inventory", self._load_name).items():
                known.append(name)
                known.extend(definition.get("aliases") or [])
            check_known_options(config, known)
            self._checked = validate_options(self._own_option)
            if self._checked.regions is None and self.get_option("region") is not None:
                validate_region("region", self.get_option("region"))
        except OptionError as e:
            raise AnsibleParserError(f"{_PREFIX}: {e.message}") from None
        return config

    def get_option(self, option: str, hostvars: Any = None) -> Any:
        if option == "regions":  # not through amazon.aws's templating of every list element (see _own_option)
            return self._own_option(option)
        return super().get_option(option, hostvars)

    def _own_option(self, name: str) -> Any:
        # amazon.aws's get_option templates every element of a list, which ansible-core 2.19 warns about: regions
        # (which amazon.aws templates) only where it is a template; the other options of this plugin are not templated
        # (hostnames is rendered for each host).
        value = super(AWSInventoryBase, self).get_option(name)
        if name == "regions" and isinstance(value, list):
            return [self.templar.template(item) if isinstance(item, str) and self.templar.is_template(item) else item for item in value]
        return value

    def _regions(self, options: InventoryOptions) -> List[str]:
        if options.regions:
            return list(options.regions)
        region = self.region  # the region option, the environment, or the profile
        if not region:
            raise AnsibleParserError(f"{_PREFIX}: regions: none given and no region configured; set regions, region, AWS_REGION or a profile's region")
        try:
            return [validate_region("region", region)]
        except OptionError as e:
            raise AnsibleParserError(f"{_PREFIX}: {e.message}") from None

    def client(self, service: str, retry_decorator: Any = None, **kwargs: Any) -> Any:
        # amazon.aws assumes the role (assume_role_arn) through an STS client in the configured region: with regions
        # but no region, the first of the regions rather than "You must specify a region".
        if service == "sts" and kwargs.get("region") is None and not self.region and self._checked is not None and self._checked.regions:
            kwargs["region"] = self._checked.regions[0]
        return super().client(service, retry_decorator=retry_decorator, **kwargs)

    def _cache_identity(self, regions: List[str], options: InventoryOptions) -> Any:
        """Where the inventory is read from (the resolved regions, the endpoint, the profile, the role, the access key
        ID: hashed, never the secret) and what is selected: a cached inventory is only served for the same."""
        access_key = self.get_option("access_key")
        access_key_hash = hashlib.sha256(str(access_key).encode()).hexdigest()[:16] if access_key else None
        where = (tuple(regions), self.get_option("endpoint_url"), self.get_option("profile"), self.get_option("assume_role_arn"), access_key_hash)
        return (where, options.cache_identity())

    def get_cache_key(self, path: str) -> str:
        # The file's path, where it is read from and what is read: not served another region's or account's inventory.
        identity = self._identity if self._identity is not None else (None, (self._checked or InventoryOptions()).cache_identity())
        selection = hashlib.sha256(repr(identity).encode()).hexdigest()[:16]
        return f"{super().get_cache_key(path)}_{selection}"

    def _render(self, template: str, variables: Dict[str, Any]) -> Any:
        self.templar.available_variables = variables
        return self.templar.template(template)

    def parse(self, inventory: Any, loader: Any, path: str, cache: bool = True) -> None:
        super().parse(inventory, loader, path, cache=cache)
        options = self._checked or InventoryOptions()
        regions = self._regions(options)  # resolved before the cache is looked up: the key holds them
        self._identity = self._cache_identity(regions, options)

        cached, hosts = self.get_cached_result(path, cache)
        if not cached:
            try:
                hosts = read_inventory(lambda region: qbusiness_client(_RegionPlugin(self, region)), regions, options)
            except QBusinessError as e:
                raise AnsibleError(f"{_PREFIX}: {e}") from None
        try:
            populate(self, hosts, options.hostnames, self._render)
        except OptionError as e:
            raise AnsibleParserError(f"{_PREFIX}: {e.message}") from None
        self.update_cached_result(path, cache, hosts)


class _RegionPlugin:
    """The plugin's client() for one region, in the shape qbusiness_client() takes."""

    def __init__(self, plugin: InventoryModule, region: str) -> None:
        self._plugin = plugin
        self._region = region

    def client(self, service: str, retry_decorator: Any = None) -> Any:
        return self._plugin.client(service, retry_decorator=retry_decorator, region=self._region)
