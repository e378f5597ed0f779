# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Listing order and pagination.

:class:`HistoryOrder` keeps a data source's jobs in one listing order; :func:`paginate` is the one
paginator of every List operation. Its tokens are opaque and carry an offset, a snapshot cap (the last
creation sequence number visible to the listing's first page), a digest of the request scope, which
a token must match, as moto's ``@paginate`` checks a token against the request's parameters, a digest of
the scope and page size (checked under the ``tokens_bound_to_request`` behaviour) and when it was minted
(checked under ``token_ttl_seconds``).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
import json
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from typing import TYPE_CHECKING
from typing import Any
from typing import TypeVar

from .behaviours import BEHAVIOURS
from .clock import now_ms
from .exceptions import ValidationException
from .validation import FieldChecks

if TYPE_CHECKING:
    from .jobs import SyncJob

T = TypeVar("T")
# A listing's items as the paginator asks for them: (cap, offset, size) -> (the page, how many items are visible).
Window = Callable[[int, int, int], tuple[list[T], int]]

HISTORY_ORDERS = ("newest_first", "oldest_first", "shuffled")
# Page-size ceilings from the service model; the default page size is the ceiling.
PAGE_LIMITS = {"ListApplications": 100, "ListIndices": 100, "ListDataSources": 10, "ListDataSourceSyncJobs": 10, "ListDocuments": 100}
_TOKEN_PREFIX = "qbe1."


def page_size(operation: str, query: dict[str, str], checks: FieldChecks) -> int:
    """The requested maxResults (validated against the operation's ceiling), else the ceiling."""
    limit = PAGE_LIMITS[operation]
    raw = query.get("maxResults")
    if raw is None:
        return limit
    try:
        value = int(raw)
    except ValueError:
        checks.fail("maxResults", f"Value '{raw}' at 'maxResults' could not be parsed as an integer", "CANNOT_PARSE")
        return limit
    if not 1 <= value <= limit:
        checks.fail("maxResults", f"Value '{value}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and {limit}")
    return value


def _scope_digest(scope: Sequence[Any]) -> str:
    return hashlib.sha256(json.dumps(list(scope), default=str).encode()).hexdigest()[:16]


def _token_error(message: str, reason: str = "FIELD_VALIDATION_FAILED") -> ValidationException:
    return ValidationException(message, reason, [{"name": "nextToken", "message": message}])


def _encode_token(offset: int, cap: int, digest: str, request_digest: str) -> str:
    raw = json.dumps({"o": offset, "c": cap, "s": digest, "r": request_digest, "t": now_ms()}, separators=(",", ":")).encode()
    return _TOKEN_PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_token(token: str, digest: str, request_digest: str) -> tuple[int, int]:
    bad = _token_error("1 validation error detected: Value at 'nextToken' failed to satisfy constraint: Invalid pagination token")
    if not token.startswith(_TOKEN_PREFIX):
        raise bad
    body = token[len(_TOKEN_PREFIX) :]
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) and not isinstance(data.get(k), bool) for k in ("o", "c", "t")):
        raise bad
    behaviours = BEHAVIOURS.config
    if behaviours.tokens_bound_to_request and data.get("r") != request_digest:
        # As services that bind a token to the request that produced it answer any other request.
        raise _token_error("The nextToken is not valid")
    if data.get("s") != digest or data["o"] < 0:
        # A token from another resource or with other filters is refused rather than misread.
        raise bad
    ttl = behaviours.token_ttl_seconds
    if ttl is not None and now_ms() - data["t"] > ttl * 1000:
        raise _token_error("The nextToken has expired")
    return data["o"], data["c"]


def paginate(
    window: Window[T], size: int, token: str | None, scope: Sequence[Any], last_seq: int, repeat_token: bool = False, params: Mapping[str, str] | None = None
) -> tuple[list[T], str | None]:
    """One page of a listing and its nextToken (None after the last page).

    ``scope`` names the request (operation, resource ids, filters): a token minted for another scope is
    an invalid pagination token. Under ``tokens_bound_to_request`` a token is refused unless ``params``
    (the query as sent) is exactly that of the request that minted it, nextToken aside: maxResults
    included, and an omitted maxResults differs from an explicit one. Under ``token_ttl_seconds`` one
    older than that is refused. The first page snapshots the listing at ``last_seq``; later pages keep
    that cap so items created meanwhile do not shift the offsets. ``repeat_token`` (a fault) answers every
    page after the first with the token it was asked with.
    """
    digest = _scope_digest(scope)
    request_digest = _scope_digest([*scope, size, sorted((k, v) for k, v in (params or {}).items() if k != "nextToken")])
    offset, cap = (0, last_seq) if token is None else _decode_token(token, digest, request_digest)
    page, visible = window(cap, offset, size)
    if offset + size >= visible:
        return page, None
    if repeat_token and token is not None:
        return page, token
    return page, _encode_token(offset + size, cap, digest, request_digest)


def snapshot(items: list[T], seq_of: Callable[[T], int]) -> Window[T]:
    """A window over a list: the items created up to the cap, sliced."""

    def window(cap: int, offset: int, size: int) -> tuple[list[T], int]:
        visible = [item for item in items if seq_of(item) <= cap]
        return visible[offset : offset + size], len(visible)

    return window


class HistoryOrder:
    """A data source's jobs in one listing order, built once per history version.

    Sorting (and, for ``shuffled``, hashing) every job on every page made a page cost O(history);
    with the order cached, a page without a status filter costs O(page) plus a bisect.
    """

    def __init__(self, jobs: list[SyncJob], order: str, seed: Any, data_source_id: str) -> None:
        self.newest_first = order != "oldest_first"
        self.start_keys: list[int] | None
        if order == "shuffled":
            # A fixed permutation per data source: sorting by a hash keeps every page consistent.
            self.jobs = sorted(jobs, key=lambda j: hashlib.sha256(f"{seed}|{data_source_id}|{j.execution_id}".encode()).hexdigest())
            self.start_keys = None
        else:
            self.jobs = sorted(jobs, key=lambda j: (j.start_ms, j.seq), reverse=self.newest_first)
            # Ascending along the list, so startTime/endTime bounds are two bisects: negated when newest first.
            self.start_keys = [-j.start_ms if self.newest_first else j.start_ms for j in self.jobs]
        by_seq = sorted(jobs, key=lambda j: j.seq)
        self.by_seq = by_seq
        self.seqs = [j.seq for j in by_seq]
        self._positions: dict[int, int] | None = None

    def span(self, start: int | None, end: int | None) -> tuple[list[SyncJob], int, int]:
        """The jobs with start <= startTime <= end: a list and the range [lo, hi) of it that holds them."""
        jobs = self.jobs
        if start is None and end is None:
            return jobs, 0, len(jobs)
        if self.start_keys is None:
            picked = [j for j in jobs if (start is None or j.start_ms >= start) and (end is None or j.start_ms <= end)]
            return picked, 0, len(picked)
        low, high = ((None if end is None else -end), (None if start is None else -start)) if self.newest_first else (start, end)
        lo = 0 if low is None else bisect.bisect_left(self.start_keys, low)
        hi = len(jobs) if high is None else bisect.bisect_right(self.start_keys, high)
        return jobs, lo, max(lo, hi)

    def late(self, cap: int) -> list[SyncJob]:
        """The jobs created after ``cap`` (usually none: only those added since a listing's first page)."""
        return self.by_seq[bisect.bisect_right(self.seqs, cap) :]

    def window(self, start: int | None, end: int | None) -> Window[SyncJob]:
        """The jobs within the bounds as a paginator window, without evaluating or copying the others."""

        def window(cap: int, offset: int, size: int) -> tuple[list[SyncJob], int]:
            jobs, lo, hi = self.span(start, end)
            late = self.late(cap)
            skip: list[int] = []
            if late and jobs is self.jobs:
                if self._positions is None:
                    self._positions = {id(job): i for i, job in enumerate(self.jobs)}
                positions = self._positions
                skip = sorted(p for p in (positions[id(job)] for job in late) if lo <= p < hi)
            elif late:
                skip = [i for i, job in enumerate(jobs) if job.seq > cap]
            # The visible offset -> a list position: step over every left-out job at or before it.
            pos = lo + offset
            for left_out in skip:
                if left_out > pos:
                    break
                pos += 1
            skipped = set(skip)
            out: list[SyncJob] = []
            while pos < hi and len(out) < size:
                if pos not in skipped:
                    out.append(jobs[pos])
                pos += 1
            return out, hi - lo - len(skip)

        return window
