// Copyright: qbusiness.ops contributors
// GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
// SPDX-License-Identifier: GPL-3.0-or-later
// The AWS SDK for JavaScript v3 as a user's Node tool would use it, against the emulator.
// Usage: node sync-jobs.cjs ENDPOINT APPLICATION_ID INDEX_ID DATA_SOURCE_ID [MAX_ATTEMPTS]
// Lists the data source's sync jobs, starts a sync, lists again; prints one JSON document on stdout.
// Run by emulator/tests/test_http2.py with NODE_PATH pointing at the installed node_modules.
"use strict";

const {
  QBusinessClient,
  ListDataSourceSyncJobsCommand,
  StartDataSourceSyncJobCommand,
} = require("@aws-sdk/client-qbusiness");

async function listAll(client, ids) {
  // Two jobs a page, so that the listing takes nextToken round trips.
  const jobs = [];
  let nextToken;
  do {
    const page = await client.send(new ListDataSourceSyncJobsCommand({ ...ids, maxResults: 2, nextToken }));
    jobs.push(...page.history.map((job) => ({ executionId: job.executionId, status: job.status })));
    nextToken = page.nextToken;
  } while (nextToken);
  return jobs;
}

async function main() {
  const [endpoint, applicationId, indexId, dataSourceId, maxAttempts = "1"] = process.argv.slice(2);
  const ids = { applicationId, indexId, dataSourceId };
  const client = new QBusinessClient({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    maxAttempts: Number(maxAttempts),
  });
  try {
    const before = await listAll(client, ids);
    const started = await client.send(new StartDataSourceSyncJobCommand(ids));
    const after = await listAll(client, ids);
    const handler = client.config.requestHandler;
    console.log(JSON.stringify({
      requestHandler: handler.constructor.name,
      before,
      executionId: started.executionId,
      after,
    }));
  } finally {
    client.destroy();
  }
}

main().catch((error) => {
  console.error(`${error.name}: ${error.message}`);
  process.exit(1);
});
