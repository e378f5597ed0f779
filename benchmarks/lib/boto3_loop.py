# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The floor: a bare boto3 loop over a data source's whole sync history.

Usage: boto3_loop.py ENDPOINT APPLICATION_ID INDEX_ID DATA_SOURCE_ID[,DATA_SOURCE_ID...] [START_TIME END_TIME]

Run by benchmarks/bench.py in a fresh interpreter, so that importing boto3 and creating the client are
counted like they are for the AWS CLI and the module. Several data sources (comma-separated) are listed one
after another, each over all pages; with START_TIME and END_TIME (ISO 8601) each listing is windowed with
startTime/endTime (the sync report's reads, benchmarks/sync_report.py). Prints one JSON line on stdout:
{"count", "pages", "t_import", "t_client", "t_loop", "t_total"} (seconds, perf_counter, from the first line of
this script; interpreter start-up before it is only in the wall time the runner measures).
"""

import json
import sys
import time

T0 = time.perf_counter()

import boto3  # noqa: E402

T_IMPORT = time.perf_counter()


def main() -> int:
    endpoint, application_id, index_id, data_source_ids = sys.argv[1:5]
    window = {"startTime": sys.argv[5], "endTime": sys.argv[6]} if len(sys.argv) > 6 else {}
    client = boto3.client("qbusiness", region_name="us-east-1", endpoint_url=endpoint)
    t_client = time.perf_counter()
    count = pages = 0
    paginator = client.get_paginator("list_data_source_sync_jobs")
    for data_source_id in data_source_ids.split(","):
        for page in paginator.paginate(applicationId=application_id, indexId=index_id, dataSourceId=data_source_id, **window):
            count += len(page["history"])
            pages += 1
    t_loop = time.perf_counter()
    print(
        json.dumps(
            {
                "count": count,
                "pages": pages,
                "t_import": T_IMPORT - T0,
                "t_client": t_client - T_IMPORT,
                "t_loop": t_loop - t_client,
                "t_total": t_loop - T0,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
