# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures shared by the unit tests."""

from __future__ import annotations

import os

from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

# ansible-core's collection loader, installed before anything imports ansible_collections (as ansible-test's pytest
# plugin does): the inventory plugin's tests load it by name, with its documented options, as ansible-inventory does.
_AnsibleCollectionFinder(paths=[os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", ".."))])._install()

import boto3  # noqa: E402  pylint: disable=wrong-import-position
import pytest
import qbusiness_emulator  # noqa: F401  pylint: disable=unused-import  # registers the qbusiness backend with moto
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper
from moto import mock_aws
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import RETRY_DECORATOR


@pytest.fixture(name="emulated_client")
def emulated_client_fixture(monkeypatch):
    """A qbusiness client with the collection's retry policy, on the emulator in-process (moto.mock_aws)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        control.reset()  # faults and the request log are process-wide, outside moto's reset
        yield RetryingBotoClientWrapper(boto3.client("qbusiness", region_name="us-east-1"), RETRY_DECORATOR)
        control.reset()
