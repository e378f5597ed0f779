# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Resume tokens: where a listing cut short by ``max_results`` goes on, in botocore's own format.

botocore's paginator resumes from base64 of the JSON ``{"nextToken": <the service's token or null>,
"boto_truncate_amount": <items of that page already returned>}`` (the amount left out on a page
boundary). Writing the same format lets a token this collection returns resume boto3's
``PaginationConfig={"StartingToken": ...}`` and ``aws ... --starting-token`` too, and the other way round.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any
from typing import Optional

# The List calls answer at most this many items a request; every page of a listing asks for this many,
# since a service may bind its nextToken to every parameter of the request that produced it, maxResults included.
PAGE_SIZE = 10
# The service model's limit on nextToken (shape NextToken: 1 to 800 characters).
SERVICE_TOKEN_MAX = 800

_TOKEN_KEY = "nextToken"
_SKIP_KEY = "boto_truncate_amount"


@dataclass(frozen=True)
class ResumePoint:
    """Where a listing goes on: the service's token of the page to ask for (None: the first page) and how
    many items at the start of that page were already returned."""

    service_token: Optional[str] = None
    skip: int = 0

    def encode(self) -> str:
        """botocore's resume token: json.dumps then base64, as botocore.paginate.TokenEncoder writes it, the
        amount left out when nothing of the page was returned yet (as botocore does on a page boundary)."""
        token: dict = {_TOKEN_KEY: self.service_token}
        if self.skip:
            token[_SKIP_KEY] = self.skip
        return base64.b64encode(json.dumps(token).encode("utf-8")).decode("utf-8")


def _service_token_problem(value: Any) -> Optional[str]:
    if not isinstance(value, str) or not 1 <= len(value) <= SERVICE_TOKEN_MAX:
        return f"the service's tokens are strings of 1 to {SERVICE_TOKEN_MAX} characters"
    return None


def _botocore_token(text: str) -> Optional[dict]:
    """The JSON object inside ``text`` when it is one of botocore's resume tokens, else None."""
    try:
        decoded = json.loads(base64.b64decode(text, validate=True).decode("utf-8"))
    except (binascii.Error, ValueError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    # Only an object with botocore's keys is taken for one: the service's own tokens are opaque and may
    # well be base64 JSON themselves.
    if isinstance(decoded, dict) and (_TOKEN_KEY in decoded or _SKIP_KEY in decoded):
        return decoded
    return None


def decode_resume_token(text: Any, page_size: int = PAGE_SIZE, items: str = "jobs") -> ResumePoint:
    """A resume token (botocore's format) of a listing in pages of ``page_size`` ``items``, or a plain service token
    -> the ResumePoint; ValueError says why not."""
    if not isinstance(text, str) or not text:
        raise ValueError("it is empty or not a string")
    token = _botocore_token(text)
    if token is None:
        problem = _service_token_problem(text)
        if problem:
            raise ValueError(f"it is not a resume token and not a service token ({problem})")
        return ResumePoint(text)
    unknown = sorted(set(token) - {_TOKEN_KEY, _SKIP_KEY})
    if unknown or _TOKEN_KEY not in token:
        raise ValueError(f"a resume token holds {_TOKEN_KEY} and, optionally, {_SKIP_KEY}; this one holds {', '.join(sorted(token))}")
    service_token = token[_TOKEN_KEY]
    if service_token is not None and _service_token_problem(service_token):
        raise ValueError(f"its {_TOKEN_KEY} must be null or a string of 1 to {SERVICE_TOKEN_MAX} characters")
    skip = token.get(_SKIP_KEY, 0)
    # Pages hold at most page_size items, so fewer than that were returned from the one the token resumes.
    if isinstance(skip, bool) or not isinstance(skip, int) or not 0 <= skip < page_size:
        raise ValueError(f"its {_SKIP_KEY} must be an integer from 0 to {page_size - 1} (pages of {page_size} {items})")
    return ResumePoint(service_token, skip)
