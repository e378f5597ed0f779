# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Register item 4: whether the service binds a nextToken to the request that produced it, and whether it expires.

Each token is used once, so that a service whose tokens serve only once is not taken for one that binds them.
"""

from __future__ import annotations

import time
from typing import Callable
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._probe.context import ProbeContext
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import Behaviour
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import Finding
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import not_observable
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import not_probed
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import observed
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.recording import describe_error
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import is_validation_error
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob

TOKEN_BINDING = Behaviour(
    item=4,
    key="token_binding",
    title="Whether a nextToken is accepted only with the parameters of the request that produced it",
    assumed=(
        "Nothing of binding: every page of a listing asks maxResults=10, and max_results ending inside a page is cut on "
        "the client. It depends only on this: the service takes its nextToken with the very parameters of the request "
        "that produced it, and the next page goes on (other jobs, another token)."
    ),
    reference="not_bound",
)

TOKEN_EXPIRY = Behaviour(
    item=4,
    key="token_expiry",
    title="Whether a nextToken expires",
    assumed=(
        "Nothing: a token the service refuses fails with a message that says so (it may be bound to another request or "
        "expired), naming next_token when it was the user's."
    ),
    reference="accepted",
)

Page = Tuple[List[ServiceJob], Optional[str]]


def _ids(jobs: List[ServiceJob]) -> List[str]:
    return [str(job.get("executionId")) for job in jobs]


def _page_or_refusal(ctx: ProbeContext, max_results: int, token: str) -> Tuple[Optional[Page], Optional[str]]:
    """The page the token asks for, or (None, the refusal) when the service answers ValidationException;
    any other error is raised on (the probe fails with it)."""
    try:
        return ctx.source.list_sync_jobs_page(max_results, token), None
    except QBusinessError as e:
        if e.exception is not None and is_validation_error(e.exception):
            return None, describe_error(e.exception)
        raise


def probe_token_binding(ctx: ProbeContext) -> Finding:
    """Page 1 with maxResults=1, then its token with maxResults=2 (binding); a fresh page 1 and its token with
    maxResults=1 again (what the collection depends on). Four requests."""
    mark = len(ctx.recorder.calls)
    first, token = ctx.source.list_sync_jobs_page(1)
    if not token:
        return not_observable(
            TOKEN_BINDING,
            "the first page of one job carried no nextToken: the data source has fewer than 2 sync jobs",
            ctx.recorder.since(mark),
        )
    other, refusal = _page_or_refusal(ctx, 2, token)
    value = "bound" if other is None else "not_bound"
    again, same_token = ctx.source.list_sync_jobs_page(1)
    evidence = ctx.recorder.since(mark)
    if not same_token:
        return observed(TOKEN_BINDING, value, "the second first page carried no nextToken: the history shrank meanwhile", evidence)
    nxt, same_refusal = _page_or_refusal(ctx, 1, same_token)
    evidence = ctx.recorder.since(mark)
    problems = []
    if nxt is None:
        problems.append(f"the service REFUSED its token with the very parameters that produced it ({same_refusal})")
    else:
        jobs, next_token = nxt
        repeated = sorted(set(_ids(jobs)) & set(_ids(again)))
        if repeated:
            problems.append(f"the next page listed again job(s) {', '.join(repeated)}")
        if next_token is not None and next_token == same_token:
            problems.append("the next page answered the same nextToken again")
    binding = (
        f"a token taken with maxResults=2 instead of the 1 that produced it was refused ({refusal})"
        if other is None
        else "a token taken with maxResults=2 instead of the 1 that produced it was accepted"
    )
    resumed = "; ".join(problems) if problems else "with the same parameters the token gave the next page, other jobs and a new token"
    return observed(TOKEN_BINDING, value, f"{binding}; {resumed}", evidence, holds=not problems)


def probe_token_expiry(ctx: ProbeContext, wait_seconds: int, sleep: Callable[[float], None] = time.sleep) -> Finding:
    """A token used ``wait_seconds`` after the service gave it, with the same parameters. Two requests."""
    if wait_seconds == 0:
        return not_probed(TOKEN_EXPIRY, "not probed: token_ttl_probe_seconds is 0; the collection does not depend on it (register item 4)")
    mark = len(ctx.recorder.calls)
    dummy, token = ctx.source.list_sync_jobs_page(1)
    if not token:
        return not_observable(TOKEN_EXPIRY, "the first page of one job carried no nextToken: fewer than 2 sync jobs", ctx.recorder.since(mark))
    sleep(wait_seconds)
    page, refusal = _page_or_refusal(ctx, 1, token)
    evidence = ctx.recorder.since(mark)
    evidence.insert(1, f"waited {wait_seconds} s")
    if page is None:
        return observed(TOKEN_EXPIRY, "refused", f"the token was refused {wait_seconds} s after it was given ({refusal})", evidence)
    return observed(TOKEN_EXPIRY, "accepted", f"the token was still accepted {wait_seconds} s after it was given", evidence)
