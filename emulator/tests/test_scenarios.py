"""Scenarios (scenarios.py): ids filled in, histories seeded and generated, next-sync choices, bad documents refused whole."""

from __future__ import annotations

import json
import urllib.error
from typing import Any

import pytest

from conftest import EMULATOR_DIR, Harness, http_error
from qbusiness_emulator import control

DEMO = EMULATOR_DIR / "scenarios" / "demo.json"


def test_load_scenario_fills_ids_and_seeds(qb: Harness) -> None:
    doc = json.loads(DEMO.read_text())
    loaded = qb.ctl.load_scenario(doc)
    assert loaded["region"] == "us-east-1" and loaded["account_id"] == "123456789012"
    app = loaded["applications"][0]
    index = app["indices"][0]
    sources = {ds["name"]: ds for ds in index["data_sources"]}
    assert (app["application_id"], index["index_id"]) == ("a0000000-0000-4000-8000-000000000001", "b0000000-0000-4000-8000-000000000001")
    assert len(sources["handbook-s3"]["execution_ids"]) == 12
    c = qb.client()
    kw = {"applicationId": app["application_id"], "indexId": index["index_id"]}
    listed = c.list_data_sources(**kw)["dataSources"]
    assert [(d["displayName"], d["type"]) for d in listed] == [("handbook-s3", "S3"), ("wiki-confluence", "CONFLUENCEV2"),
                                                               ("tickets-sharepoint", "SHAREPOINTV2")]
    handbook = c.list_data_source_sync_jobs(**kw, dataSourceId=sources["handbook-s3"]["data_source_id"], maxResults=10)
    assert handbook["history"][0]["status"] == "SUCCEEDED" and "nextToken" in handbook
    wiki = c.list_data_source_sync_jobs(**kw, dataSourceId=sources["wiki-confluence"]["data_source_id"])["history"]
    assert wiki[0]["status"] == "FAILED"
    assert wiki[0]["error"] == {"errorCode": "InvalidRequest", "errorMessage": "Confluence credentials expired"}
    assert wiki[0]["dataSourceErrorCode"] == "AUTH_FAILED"
    assert [j["status"] for j in wiki[1:3]] == ["INCOMPLETE", "INCOMPLETE"] and all(
        int(j["metrics"]["documentsFailed"]) > 0 for j in wiki[1:3])
    tickets = sources["tickets-sharepoint"]["data_source_id"]
    assert [j["status"] for j in c.list_data_source_sync_jobs(**kw, dataSourceId=tickets)["history"]] == ["SUCCEEDED"] * 3
    c.start_data_source_sync_job(**kw, dataSourceId=tickets)
    assert c.list_data_source_sync_jobs(**kw, dataSourceId=tickets, maxResults=1)["history"][0]["status"] == "SYNCING"


def test_scenario_generated_ids_and_next_sync(qb: Harness) -> None:
    loaded = qb.ctl.load_scenario({"region": "eu-west-1", "applications": [{"name": "gen", "indices": [{"name": "i", "data_sources": [
        {"name": "d", "history": [{"status": "FAILED", "start_time": "2025-01-01T00:00:00Z"}],
         "generate_history": {"count": 3, "status": ["FAILED", "SUCCEEDED"], "interval_seconds": 60,
                              "newest_start_time": "2025-02-01T00:00:00Z"},
         "next_sync": {"outcome": "FAILED", "syncing_seconds": 0, "indexing_seconds": 0}}]}]}]})
    ds = loaded["applications"][0]["indices"][0]["data_sources"][0]
    assert len(ds["data_source_id"]) == 36 and len(ds["history"][0]["execution_id"]) == 36 and len(ds["execution_ids"]) == 4
    c = qb.client("eu-west-1")
    kw = {"applicationId": loaded["applications"][0]["application_id"], "indexId": loaded["applications"][0]["indices"][0]["index_id"],
          "dataSourceId": ds["data_source_id"]}
    history = c.list_data_source_sync_jobs(**kw)["history"]
    assert [j["status"] for j in history] == ["FAILED", "SUCCEEDED", "FAILED", "FAILED"]  # newest first; the list cycles from the newest
    assert history[0]["startTime"].isoformat().startswith("2025-02-01T00:00:00")
    c.start_data_source_sync_job(**kw)
    assert c.list_data_source_sync_jobs(**kw, maxResults=1)["history"][0]["status"] == "FAILED"


def test_scenario_history_with_an_unknown_status(qb: Harness) -> None:
    loaded = qb.ctl.load_scenario({"applications": [{"name": "u", "indices": [{"name": "i", "data_sources": [
        {"name": "d", "history": [{"status": "PAUSED", "start_time": "2025-01-01T00:00:00Z", "allow_unknown_status": True}]}]}]}]})
    app = loaded["applications"][0]
    kw = {"applicationId": app["application_id"], "indexId": app["indices"][0]["index_id"],
          "dataSourceId": app["indices"][0]["data_sources"][0]["data_source_id"]}
    assert [j["status"] for j in qb.client().list_data_source_sync_jobs(**kw)["history"]] == ["PAUSED"]


@pytest.mark.parametrize("doc, fragment", [
    ({"applications": [{"name": "a", "bogus": 1}]}, "'bogus'"),
    ({"applications": [{"name": "has space"}]}, "name"),
    ({"applications": [{"name": "a", "indices": [{"name": "i", "data_sources": [
        {"name": "d", "history": [{"status": "DONE", "start_time": 0}]}]}]}]}, "status"),
    ({"applications": [{"name": "a", "indices": [{"name": "i", "data_sources": [{"name": "d", "next_sync": {"outcome": "ABORTED"}}]}]}]},
     "outcome"),
    ({"applications": [{"name": "a", "application_id": "short"}]}, "application_id"),
    ({"applications": [{"name": "a", "indices": [{"name": "i", "data_sources": [
        {"name": "d", "history": [{"status": "PAUSED", "start_time": 0, "allow_unknown_status": "yes"}]}]}]}]}, "allow_unknown_status"),
    ({"behaviours": {"listing_delay_seconds": "soon"}, "applications": [{"name": "a"}]}, "listing_delay_seconds"),
    ({"behaviours": {"unknown_switch": 1}, "applications": [{"name": "a"}]}, "'unknown_switch'"),
])
def test_bad_scenarios_are_refused_whole(qb: Harness, doc: dict[str, Any], fragment: str) -> None:
    if qb.mode == "server":
        with pytest.raises(urllib.error.HTTPError) as exc:
            qb.ctl.load_scenario(doc)
        status, body = http_error(exc.value)
        assert status == 400 and fragment in body["message"]
    else:
        with pytest.raises(control.ControlError, match=fragment):
            qb.ctl.load_scenario(doc)
    assert qb.client().list_applications()["applications"] == []
