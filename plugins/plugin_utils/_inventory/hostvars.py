# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A data source's host variables (``qbusiness_*``) and the connection variables every host gets."""

from __future__ import annotations

from typing import Any
from typing import Dict

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import iso_time
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceRef

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core before 2.19 templates every inventory string; 2.19 only those marked trusted
    from ansible.utils.unsafe_proxy import wrap_var

    def trust_as_template(value: Any) -> Any:
        return value

    def untrusted(value: Any) -> Any:
        """``value`` (what the service sent) marked unsafe, recursively: ansible-core 2.17 and 2.18 would template it."""
        return wrap_var(value)

else:

    def untrusted(value: Any) -> Any:
        """``value`` as is: ansible-core 2.19+ templates no string that is not marked trusted as a template."""
        return value


PREFIX = "qbusiness_"
# The hosts are API objects: the work runs on the controller (or where the user delegates), with the Python that
# runs Ansible, which has boto3. compose may set other values: it is applied after these.
CONNECTION_VARIABLES = {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}


def host_variables(region: str, ref: DataSourceRef, listed: Dict[str, Any], described: Dict[str, Any], with_latest_sync: bool) -> Dict[str, Any]:
    """The ``qbusiness_*`` variables of one data source: from GetDataSource (``described``, normalised by the core),
    the listing's fields where it sent none. Absent values are null, so that templates can test every key."""

    def value(described_key: str, listed_key: str) -> Any:
        if described.get(described_key) is not None:
            return described[described_key]
        return iso_time(listed.get(listed_key))

    variables: Dict[str, Any] = {
        "region": region,
        "application_id": ref.application_id,
        "application_name": ref.application_name,
        "index_id": ref.index_id,
        "index_name": ref.index_name,
        "data_source_id": ref.data_source_id,
        "data_source_name": value("display_name", "displayName"),
        "data_source_type": value("type", "type"),
        "data_source_status": value("status", "status"),
        "sync_schedule": described.get("sync_schedule"),
        "created_at": value("created_at", "createdAt"),
        "updated_at": value("updated_at", "updatedAt"),
    }
    if with_latest_sync:
        variables["latest_sync"] = described.get("latest_sync")
    return {PREFIX + key: item for key, item in variables.items()}


def connection_variables() -> Dict[str, Any]:
    """``ansible_connection: local`` and the controller's Python, the template marked as one for ansible-core 2.19+."""
    return {key: trust_as_template(value) for key, value in CONNECTION_VARIABLES.items()}
