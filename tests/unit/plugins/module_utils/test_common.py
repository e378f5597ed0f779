# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The version the User-Agent carries is the collection's own (galaxy.yml): a release bumps both."""

from __future__ import annotations

import pathlib

import yaml

from ansible_collections.qbusiness.ops.plugins.module_utils.common import COLLECTION_VERSION

GALAXY_YML = pathlib.Path(__file__).resolve().parents[4] / "galaxy.yml"


def test_collection_version_is_galaxy_yml_version() -> None:
    galaxy = yaml.safe_load(GALAXY_YML.read_text(encoding="utf-8"))
    assert COLLECTION_VERSION == galaxy["version"]
