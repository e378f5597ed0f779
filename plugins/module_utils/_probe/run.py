# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The probe: every behaviour of the register, read from one data source, in one result."""

from __future__ import annotations

import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import List

from ansible_collections.qbusiness.ops.plugins.module_utils._probe.context import ProbeContext
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import DIFFERS
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import Behaviour
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import Finding
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import not_probed
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.history import probe_history_order
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.history import probe_statuses
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.options import ProbeOptions
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.recording import RecordingClient
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.time_filter import probe_running
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.time_filter import probe_time_filter
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.tokens import probe_token_binding
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.tokens import probe_token_expiry
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import NameResolver
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService

CONFLICT = Behaviour(
    item=6,
    key="conflict",
    title="What ConflictException means on Start and on Stop (or a 200 instead)",
    assumed=(
        "On Start, a sync in progress: the module re-reads and follows it. On Stop, no sync in progress: the module re-reads "
        "and fails if one still runs. A 200 instead: the module re-reads and reports the sync with the executionId it got."
    ),
    reference="conflict",
)

LISTING_DELAY = Behaviour(
    item=7,
    key="listing_delay",
    title="Whether a started sync is listed at once",
    assumed=(
        "Nothing: after Start the module follows the executionId Start returned; until it is listed, with wait it keeps "
        "polling, without wait it returns execution_id and no sync_job."
    ),
    reference="listed_at_once",
)

_DATA_SOURCE_KEYS = (("displayName", "display_name"), ("type", "type"), ("status", "status"))


def _not_probed_read_only(behaviour: Behaviour) -> Finding:
    return not_probed(behaviour, f"not probed read-only: the collection does not depend on it (register item {behaviour.item})")


def run_probe(client: Any, options: ProbeOptions, sleep: Callable[[float], None] = time.sleep) -> Dict[str, Any]:
    """Probe the data source through ``client`` (a qbusiness client with the collection's retry policy) and
    return the module's result. It only reads; a service error raises QBusinessError."""
    ref = NameResolver(client).data_source_ref(options.selection)  # names are resolved first, outside the evidence
    recorder = RecordingClient(client)
    source = DataSourceService(recorder, ref)
    ctx = ProbeContext(source, recorder, options.sample_size)

    data_source = source.get_data_source()
    sample, dummy, sample_evidence = ctx.read()
    findings: List[Finding] = [
        probe_history_order(sample, sample_evidence),
        probe_time_filter(ctx, sample),
        probe_running(ctx, sample),
        probe_token_binding(ctx),
        probe_token_expiry(ctx, options.token_wait, sleep),
    ]
    # Every job any listing above answered.
    findings.append(probe_statuses(list(recorder.jobs.values())))
    findings.extend(_not_probed_read_only(behaviour) for behaviour in (CONFLICT, LISTING_DELAY))

    unheld = [f.behaviour.key for f in findings if f.holds is False]
    checked = [f.behaviour.key for f in findings if f.holds is True]
    differs = [f.behaviour.key for f in findings if f.result == DIFFERS]
    label = f"{data_source['displayName']} ({ref.data_source_id})" if data_source.get("displayName") else ref.data_source_id
    if unheld:
        verdict = f"what the collection depends on DOES NOT HOLD: {', '.join(unheld)}"
    elif checked:
        verdict = f"what the collection depends on holds (checked: {', '.join(checked)})"
    else:
        # Too few jobs, none finished, nothing running: an empty check is not a pass to rely on.
        verdict = "nothing the collection depends on could be checked on this data source's history (see each behaviour)"
    headline = (
        f"Q Business service probe of data source {label}: "
        + verdict
        + (f"; differs from the emulator: {', '.join(differs)}" if differs else "; everything seen is as the emulator does")
        + f" ({len(recorder.calls)} read requests)"
    )
    report = [headline]
    for finding in findings:
        report.extend(finding.report())
    return dict(
        ref.identity(),
        changed=False,
        holds=not unheld,
        unheld=unheld,
        checked=checked,
        differs=differs,
        data_source={new: data_source[old] for old, new in _DATA_SOURCE_KEYS if old in data_source},
        behaviours=[finding.to_result() for finding in findings],
        requests=list(recorder.calls),
        report=report,
        msg=headline,
    )
