# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The request log (requestlog.py): what is recorded for each API request, and clearing it."""

from __future__ import annotations

import pytest

from conftest import Harness


def test_request_log_records_operations_and_params(qb: Harness) -> None:
    c = qb.client()
    app = c.create_application(displayName="logged", description="x")["applicationId"]
    c.list_applications(maxResults=5)
    with pytest.raises(c.exceptions.ResourceNotFoundException):
        c.get_application(applicationId="00000000-0000-4000-8000-000000000000")
    log = qb.ctl.requests()
    assert [(r["operation"], r["status_code"], r["fault"], r["region"]) for r in log] == [
        ("CreateApplication", 200, None, "us-east-1"),
        ("ListApplications", 200, None, "us-east-1"),
        ("GetApplication", 404, None, "us-east-1"),
    ]
    assert log[0]["params"].pop("clientToken")  # botocore fills the idempotency token in
    assert log[0]["params"] == {"displayName": "logged", "description": "x"}
    assert log[0]["method"] == "POST" and log[0]["path"] == "/applications" and log[0]["account_id"] == "123456789012"
    assert log[1]["params"] == {"maxResults": "5"}
    assert log[2]["params"] == {"applicationId": "00000000-0000-4000-8000-000000000000"}
    assert log[0]["time"] <= log[2]["time"]
    assert all(r["user_agent"].startswith("Boto3/") for r in log)
    qb.ctl.clear_requests()
    assert qb.ctl.requests() == []
    c.get_application(applicationId=app)
    assert [r["operation"] for r in qb.ctl.requests()] == ["GetApplication"]
