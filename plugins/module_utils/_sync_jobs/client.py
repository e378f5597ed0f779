# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

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

from ansible_collections.qbusiness.ops.plugins.module_utils.common import COLLECTION_NAME
from ansible_collections.qbusiness.ops.plugins.module_utils.common import COLLECTION_VERSION
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import service_errors

# amazon.aws's AWSRetry does not count these as retryable; Q Business throttles with ThrottlingException,
# and a 5xx without an error code reaches botocore as its bare HTTP status.
_EXTRA_RETRYABLE_CODES = ["ThrottlingException", "InternalServerException", "500", "502", "503", "504"]
# botocore (legacy mode) already makes 5 attempts per call; this outer layer rides out longer bursts.
RETRY_DECORATOR = AWSRetry.jittered_backoff(retries=6, delay=2, max_delay=20, catch_extra_error_codes=_EXTRA_RETRYABLE_CODES)

# The List calls answer at most this many items a request.
PAGE_SIZE = 10


def qbusiness_client(plugin: Any) -> Any:
    """A qbusiness client with the collection's retry policy, from an AnsibleAWSModule, an AWSLookupBase or an AWSPluginBase.

    Its requests name qbusiness.ops (not amazon.aws) in the User-Agent, as community.aws does. Calls through
    it must pass ``aws_retry=True`` to get the retries.
    """
    set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)
    return plugin.client("qbusiness", retry_decorator=RETRY_DECORATOR)


def paginate(
    call: Callable[..., Dict[str, Any]],
    request: Dict[str, Any],
    result_key: str,
    what: str,
    max_results: Optional[int] = None,
    next_token: Optional[str] = None,
) -> Tuple[List[Dict[str, Any]], Optional[str]]:
    """Follow ``nextToken`` across pages of a List call; the one pagination loop of the collection.

    Stops at the end of the listing, or once ``max_results`` items are in hand. Pages never ask for more
    than remain to be read, so a listing cut short ends on a page boundary and the service's own token
    resumes it exactly. Returns the items and the token to resume from (None when the listing ended).
    """
    items: List[Dict[str, Any]] = []
    # A service that hands out a token it already gave would make this loop forever.
    seen_tokens = {next_token} if next_token else set()
    token = next_token
    while True:
        page_size = PAGE_SIZE if max_results is None else min(PAGE_SIZE, max_results - len(items))
        page_request = dict(request, maxResults=page_size)
        if token:
            page_request["nextToken"] = token
        try:
            response = call(aws_retry=True, **page_request)
        except service_errors() as e:
            raise QBusinessError(message=f"Failed to list {what}", exception=e) from e
        items.extend(response.get(result_key) or [])
        token = response.get("nextToken")
        if not token:
            return items, None
        if token in seen_tokens:
            raise QBusinessError(
                message=f"Failed to list {what}: the service returned a nextToken it had already returned, after {len(items)} "
                "items; stopping rather than reading the same pages again"
            )
        seen_tokens.add(token)
        if max_results is not None and len(items) >= max_results:
            return items, token
