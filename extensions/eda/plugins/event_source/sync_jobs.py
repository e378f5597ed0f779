# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""qbusiness.ops.sync_jobs: an Event-Driven Ansible event source for the sync jobs of Amazon Q Business data sources."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from typing import Any
from typing import Dict


def _find_collections() -> None:
    """Make ``ansible_collections.*`` importable where ansible-rulebook runs this file.

    ansible-rulebook finds a collection's source with ``ansible-galaxy collection list`` and runs the file with
    ``runpy.run_path``: no package, and nothing added to sys.path. So the collections root that holds this file
    (…/ansible_collections/qbusiness/ops/extensions/eda/plugins/event_source/sync_jobs.py: eight directory levels up)
    and then the configured collection paths (ANSIBLE_COLLECTIONS_PATH, ansible.cfg: amazon.aws may be installed
    elsewhere) are put at the front of sys.path, this file's own root first, so that this copy of the collection is
    the one imported, not another installed copy; ``ansible_collections`` is a namespace package, so every root adds
    its collections. abspath, not realpath: a symlinked collection's root is where it was found, as ansible-galaxy
    listed it.
    """
    root = os.path.abspath(__file__)
    for dummy in range(8):  # sync_jobs.py, event_source, plugins, eda, extensions, ops, qbusiness, ansible_collections
        root = os.path.dirname(root)
    roots = [root]
    try:
        from ansible import constants  # ansible.cfg and ANSIBLE_COLLECTIONS_PATH, as ansible-galaxy read them

        roots.extend(os.path.abspath(os.path.expanduser(path)) for path in constants.COLLECTIONS_PATHS)
    except Exception:  # pylint: disable=broad-except  # without ansible-core the imports below say what is missing
        pass
    wanted = [root for root in dict.fromkeys(roots) if os.path.isdir(os.path.join(root, "ansible_collections"))]
    for root in wanted:  # moved, when there already, so that the order is this one
        while root in sys.path:
            sys.path.remove(root)
    sys.path[:0] = wanted


_find_collections()

# pylint: disable=wrong-import-position
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.client import check_arguments  # noqa: E402
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.client import qbusiness_client_from_args  # noqa: E402
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.options import validate_watch_options  # noqa: E402
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.watcher import SyncJobWatcher  # noqa: E402

DOCUMENTATION = r"""
---
short_description: Events for the sync jobs of Amazon Q Business data sources.
description:
  - >-
    An ansible-rulebook event source plugin that polls the sync jobs of Amazon Q Business data sources every
    O(delay) seconds and puts one event on the queue for each change it sees: a sync C(started), changed status
    while in progress (C(status_changed)), C(finished) (SUCCEEDED, FAILED, INCOMPLETE or ABORTED), or the data
    source could not be read O(failures_before_event) polls in a row (C(poll_failed)).
  - >-
    Each event is C({"qbusiness_sync_job": {"change", "application_id", "index_id", "data_source_id",
    "data_source_name", "previous_status", "job"}}), C(job) being the sync job in the collection's snake_case shape
    (as qbusiness.ops.qbusiness_sync_job_info returns it); a C(poll_failed) event carries C(error) instead of C(job).
  - On start it emits nothing for syncs that already ended (unless O(emit_existing)), so a restarted rulebook does not
    replay old failures; a sync already running at start is followed and its end emitted. When the first reads fail,
    the syncs that started after the source did are emitted once they succeed.
  - A sync is news only if it started no earlier than the newest sync seen; each sync gives one C(finished), however
    long it ran, also on a service whose time filter leaves running syncs out (its C(started) is then not seen).
  - Unknown arguments are refused before any request (ansible-rulebook's own C(eda_feedback_queue) is accepted).
    C(data_source_name) is filled in the events also for data sources given by ID (one ListDataSources at start).
  - It reads only the recent part of each history, one ListDataSourceSyncJobs request per data source per poll in the
    steady state, the data sources concurrently; throttling is retried as in the collection's modules, and a failed
    poll is logged and tried again at the next one.
  - It needs ansible-core, boto3 and the amazon.aws collection where ansible-rulebook runs.
options:
  application_id:
    description:
      - The ID of the Q Business application. One of O(application_id) or O(application_name) is required.
    type: str
  application_name:
    description:
      - The display name of the application, instead of O(application_id); matched exactly, once at start.
    type: str
  index_id:
    description:
      - The ID of the index that holds the data sources. One of O(index_id) or O(index_name) is required.
    type: str
  index_name:
    description:
      - The display name of the index, instead of O(index_id); matched exactly, once at start.
    type: str
  data_source_id:
    description:
      - The data sources to watch, by ID (one or a list; may be mixed with O(data_source_name)).
      - With neither O(data_source_id) nor O(data_source_name), every data source of the index (listed at start).
    type: list
    elements: str
  data_source_name:
    description:
      - The data sources to watch, by display name (one or a list); each resolved once, at start.
    type: list
    elements: str
  delay:
    description:
      - Seconds between two polls.
    type: int
    default: 60
  emit_existing:
    description:
      - Emit, at start, one C(finished) event for the latest ended sync of each data source.
    type: bool
    default: false
  failures_before_event:
    description:
      - Emit a C(poll_failed) event after this many failed polls of a data source in a row (once per streak).
    type: int
    default: 3
  region:
    description:
      - The AWS region. Falls back on E(AWS_REGION) or E(AWS_DEFAULT_REGION), then on the profile's region.
    aliases: [aws_region]
    type: str
  profile:
    description:
      - A named AWS profile. Falls back on E(AWS_PROFILE). Not with O(access_key), O(secret_key) or O(session_token).
    aliases: [aws_profile]
    type: str
  endpoint_url:
    description:
      - A URL to connect to instead of the default AWS endpoint (a test service, say). Falls back on E(AWS_URL).
    aliases: [aws_endpoint_url]
    type: str
  access_key:
    description:
      - AWS access key ID. Falls back on E(AWS_ACCESS_KEY_ID), then on boto3's own credential chain.
    aliases: [aws_access_key_id, aws_access_key]
    type: str
  secret_key:
    description:
      - AWS secret access key, never logged. Falls back on E(AWS_SECRET_ACCESS_KEY).
    aliases: [aws_secret_access_key, aws_secret_key]
    type: str
  session_token:
    description:
      - STS session token for temporary credentials, never logged. Falls back on E(AWS_SESSION_TOKEN).
    aliases: [aws_session_token]
    type: str
  validate_certs:
    description:
      - Whether to check the service's TLS certificate.
    type: bool
    default: true
  aws_ca_bundle:
    description:
      - A CA bundle to check the certificate with. Falls back on E(AWS_CA_BUNDLE).
    type: path
  aws_config:
    description:
      - botocore client configuration (U(https://botocore.amazonaws.com/v1/documentation/api/latest/reference/config.html)).
    type: dict
"""

EXAMPLES = r"""
- name: Restart the wiki's sync once when it fails
  hosts: localhost
  sources:
    - qbusiness.ops.sync_jobs:
        region: eu-west-1
        application_name: handbook-assistant
        index_name: main
        data_source_name: confluence-wiki
        delay: 60
  rules:
    - name: A sync failed
      condition: >-
        event.qbusiness_sync_job.change == "finished"
        and event.qbusiness_sync_job.job.status == "FAILED"
      action:
        run_playbook:
          name: restart_sync.yml
"""

# Not __name__: ansible-rulebook runs this file as "<run_path>".
LOGGER = logging.getLogger("qbusiness.ops.sync_jobs")
# Replaced by the unit tests, which drive the emulator's clock instead of waiting.
_sleep = asyncio.sleep


async def main(queue: asyncio.Queue[Any], args: Dict[str, Any]) -> None:
    """Poll every ``delay`` seconds and put each change on ``queue``; a failed poll is logged and never ends the loop.

    Bad arguments end the source before any request, naming the argument.
    """
    check_arguments(args)
    options = validate_watch_options(args)
    # Built in a worker thread: boto3 reads files (credentials, its models) and may ask an instance's metadata.
    watcher = SyncJobWatcher(await asyncio.to_thread(qbusiness_client_from_args, args), options)
    while True:
        try:
            poll = await asyncio.to_thread(watcher.poll)  # boto3 blocks: the event loop must not wait for it
        except Exception as e:  # pylint: disable=broad-except  # anything unforeseen fails one poll, not the source
            LOGGER.error("qbusiness.ops.sync_jobs: poll failed: %s: %s", type(e).__name__, e)
        else:
            for error in poll.errors:
                LOGGER.warning("qbusiness.ops.sync_jobs: poll failed: %s", error)
            for event in poll.events:
                await queue.put(event)
        await _sleep(options.delay)


if __name__ == "__main__":

    class MockQueue(asyncio.Queue[Any]):
        """Prints the events (``python sync_jobs.py``, with the AWS_* and QBUSINESS_* variables set)."""

        async def put(self, item: Any) -> None:
            print(item)  # noqa: T201

    asyncio.run(main(MockQueue(), dict(application_id=os.environ.get("QBUSINESS_APPLICATION_ID"), index_id=os.environ.get("QBUSINESS_INDEX_ID"), delay=5)))
