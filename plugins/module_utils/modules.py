# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module class every qbusiness.ops module is built on."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.qbusiness.ops.plugins.module_utils.common import COLLECTION_NAME
from ansible_collections.qbusiness.ops.plugins.module_utils.common import COLLECTION_VERSION


class QBusinessModule(AnsibleAWSModule):
    """AnsibleAWSModule that names qbusiness.ops (not amazon.aws) in the User-Agent, as community.aws does."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)
