# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The qbusiness client: the collection's retry policy, its name in the User-Agent, and the one pagination loop."""

from __future__ import annotations

from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import is_validation_error
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import service_errors
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.tokens import PAGE_SIZE
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.tokens import ResumePoint
from ansible_collections.qbusiness.ops.plugins.module_utils.common import COLLECTION_NAME
from ansible_collections.qbusiness.ops.plugins.module_utils.common import COLLECTION_VERSION

# amazon.aws's AWSRetry does not count these as retryable; Q Business throttles with ThrottlingException,
# and a 5xx without an error code reaches botocore as its bare HTTP status.
_EXTRA_RETRYABLE_CODES = ["ThrottlingException", "InternalServerException", "500", "502", "503", "504"]
# botocore (legacy mode) already makes 5 attempts per call; this outer layer rides out longer bursts.
RETRY_DECORATOR = AWSRetry.jittered_backoff(retries=6, delay=2, max_delay=20, catch_extra_error_codes=_EXTRA_RETRYABLE_CODES)


def qbusiness_client(plugin: Any) -> Any:
    """A qbusiness client with the collection's retry policy, from an AnsibleAWSModule, an AWSLookupBase or an AWSPluginBase.

    Its requests name qbusiness.ops (not amazon.aws) in the User-Agent, as community.aws does. Calls through
    it must pass ``aws_retry=True`` to get the retries.
    """
    set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)
    return plugin.client("qbusiness", retry_decorator=RETRY_DECORATOR)


def _list_error(what: str, error: Exception, token: Optional[str], users_token: bool, items: int) -> QBusinessError:
    """The failure of one page: a ValidationException to a request carrying a nextToken is the service refusing the token."""
    if token and is_validation_error(error):
        if users_token:
            why = (
                "the service refused next_token: a token resumes only the listing that returned it (the same data source "
                "and filters), and a service may bind it to that request or let it expire; list again without next_token"
            )
        else:
            why = (
                f"the service refused the nextToken it had returned for the next page, after {items} items; a service may "
                "bind its tokens to the request that produced them or let them expire"
            )
        return QBusinessError(message=f"Failed to list {what}: {why}", exception=error)
    return QBusinessError(message=f"Failed to list {what}", exception=error)


def paginate(
    call: Callable[..., Dict[str, Any]],
    request: Dict[str, Any],
    result_key: str,
    what: str,
    max_results: Optional[int] = None,
    start: Optional[ResumePoint] = None,
    page_size: int = PAGE_SIZE,
    keep: Optional[Callable[[Dict[str, Any]], bool]] = None,
) -> Tuple[List[Dict[str, Any]], Optional[str]]:
    """Follow ``nextToken`` across pages of a List call; the one pagination loop of the collection.

    Every page asks for ``page_size`` items (the sync jobs' PAGE_SIZE unless given: a resume token counts
    in pages of it), from the first to the last, as botocore's paginator does: a
    service may accept a nextToken only with the very parameters of the request that produced it. The
    listing starts at ``start`` (a page's token and how many of its items to skip) and stops at its end,
    or once ``max_results`` items are in hand. Returns the items and, when items are left, the resume
    token (botocore's format, see tokens.py) to go on from; None when the listing ended.

    ``keep`` filters items on the client (for a listing the service cannot filter): only the items it keeps
    are returned and count towards ``max_results``, and a cut inside a page resumes after the last kept one.
    """
    items: List[Dict[str, Any]] = []
    token = start.service_token if start else None
    skip = start.skip if start else 0
    # A service that hands out a token it already gave would make this loop forever.
    seen_tokens = {token} if token else set()
    first_request = True
    while True:
        page_request = dict(request, maxResults=page_size)
        if token:
            page_request["nextToken"] = token
        try:
            response = call(aws_retry=True, **page_request)
        except service_errors() as e:
            raise _list_error(what, e, token, users_token=first_request and start is not None, items=len(items)) from e
        first_request = False
        page = (response.get(result_key) or [])[skip:]
        page_start, skip = skip, 0  # only the first page resumes inside itself
        next_token = response.get("nextToken")
        # The positions in the page of the items returned.
        kept = [position for position, item in enumerate(page) if keep is None or keep(item)]
        if max_results is not None and len(items) + len(kept) > max_results:
            # Cut inside the page: the token says how many of its items were read, so resuming skips them.
            wanted = kept[: max_results - len(items)]
            items.extend(page[position] for position in wanted)
            return items, ResumePoint(token, page_start + wanted[-1] + 1).encode()
        items.extend(page[position] for position in kept)
        if not next_token:
            return items, None
        if next_token in seen_tokens:
            raise QBusinessError(
                message=f"Failed to list {what}: the service returned a nextToken it had already returned, after {len(items)} "
                "items; stopping rather than reading the same pages again"
            )
        seen_tokens.add(next_token)
        token = next_token
        if max_results is not None and len(items) >= max_results:
            return items, ResumePoint(token).encode()
