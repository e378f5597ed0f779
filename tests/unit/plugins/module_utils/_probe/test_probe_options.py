# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The probe's options: checked before any request, each failure naming its option."""

from __future__ import annotations

import pytest

from ansible_collections.qbusiness.ops.plugins.module_utils._probe.options import validate_probe_options
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import APP
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import BUSY
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import INDEX

GOOD = dict(application_id=APP, index_id=INDEX, data_source_id=BUSY, sample_size=30, token_ttl_probe_seconds=0)


def test_good_options():
    options = validate_probe_options(dict(GOOD, sample_size=2, token_ttl_probe_seconds=900))
    assert (options.selection.data_source.id, options.sample_size, options.token_wait) == (BUSY, 2, 900)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"sample_size": 1}, "sample_size must be an integer of at least 2; got 1"),
        ({"sample_size": True}, "sample_size must be an integer of at least 2; got True"),
        ({"token_ttl_probe_seconds": -1}, "token_ttl_probe_seconds must be a whole number of seconds, 0 or more; got -1"),
        ({"data_source_id": "short"}, "data_source_id must be a Q Business ID"),
        ({"index_id": None}, "one of index_id or index_name is required"),
        ({"index_name": "main"}, "index_id and index_name are mutually exclusive"),
        ({"data_source_id": None, "data_source_name": ""}, "data_source_name must be a display name"),
    ],
)
def test_bad_options_name_the_option(changes, message):
    with pytest.raises(OptionError) as raised:
        validate_probe_options(dict(GOOD, **changes))
    assert raised.value.message.startswith(message)
