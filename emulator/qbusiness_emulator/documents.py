# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Documents: what ListDocuments answers. A data source's documents are seeded (scenario ``documents`` /
``generate_documents``, control ``seed_documents``) and changed by the clocked syncs that end.

A document is {document_id, status, error (failed statuses only), created_ms, updated_ms, seq}; ``seq`` is a
creation sequence number of the ServiceState, so a listing's snapshot leaves out documents created after its
first page. A data source's documents are listed in creation order: by createdAt, then seq.

The sync clock is never ticked, and documents follow it lazily: a clocked job that has ended changes the
documents the first time they are read (a listing, a seed) after its end, with its end time as their
updatedAt, so what a read sees depends only on the clock, never on when the reads came.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from .clock import DOCUMENT_STATUSES
from .clock import FAILED_DOCUMENT_STATUSES
from .clock import parse_spec_time
from .clock import to_epoch_seconds
from .exceptions import ControlError
from .history import Window
from .jobs import DEFAULT_DOCUMENT_ERRORS
from .jobs import NextSync
from .jobs import parse_document_errors
from .jobs import parse_error
from .jobs import parse_failed_statuses
from .validation import check_keys

DOCUMENT_SPEC_KEYS = ("document_id", "status", "error", "created_at", "updated_at")
GENERATE_DOCUMENTS_KEYS = ("count", "status", "failed", "failed_status", "errors", "created_at", "updated_at")
DOCUMENT_ID_MAX = 1825  # the model's DocumentId length
MAX_DOCUMENTS_PER_SEED = 100_000  # one seed (a scenario data source, a seed_documents call) adds at most this many
DEFAULT_GENERATED_STATUS = "INDEXED"
# Not failed and still in the index: the documents a sync may modify, fail or delete.
GONE_STATUSES = frozenset({"DELETING", "DELETED"})
_EXTENSIONS = ("pdf", "docx", "html", "txt", "pptx")
_NOT_BUCKET = re.compile(r"[^a-z0-9.-]+")


@dataclass
class Document:
    """One document of a data source."""

    document_id: str
    status: str
    created_ms: int
    updated_ms: int
    seq: int
    error: dict[str, str] | None = None  # wire form; failed statuses only

    def wire(self) -> dict[str, Any]:
        """The DocumentDetails wire structure."""
        out: dict[str, Any] = {
            "documentId": self.document_id,
            "status": self.status,
            "createdAt": to_epoch_seconds(self.created_ms),
            "updatedAt": to_epoch_seconds(self.updated_ms),
        }
        if self.error is not None:
            out["error"] = dict(self.error)
        return out


def _order_key(doc: Document) -> tuple[int, int]:
    return doc.created_ms, doc.seq


@dataclass
class DocumentDraft:
    """A checked document spec, not yet in a data source (no seq; no id when the data source picks one)."""

    document_id: str | None
    status: str
    error: dict[str, str] | None
    created_ms: int
    updated_ms: int


def spread(total: int, picked: int) -> list[int]:
    """``picked`` distinct positions out of ``range(total)``, spread evenly and ascending (picked <= total)."""
    return [(2 * j + 1) * total // (2 * picked) for j in range(picked)]


def check_document_id(value: Any, where: str) -> str:
    """A documentId as the model allows it: 1..1825 characters, no control or unassigned characters (\\P{C}*)."""
    if not isinstance(value, str) or not 1 <= len(value) <= DOCUMENT_ID_MAX or any(unicodedata.category(ch).startswith("C") for ch in value):
        raise ControlError(f"{where}: 'document_id' must be a string of 1..{DOCUMENT_ID_MAX} characters without control characters")
    return value


def _time(value: Any, key: str, where: str, at_ms: int) -> int:
    try:
        return parse_spec_time(value, at_ms)
    except ValueError as exc:
        raise ControlError(f"{where}: bad '{key}': {exc}") from None


def _times(spec: dict[str, Any], where: str, at_ms: int) -> tuple[int, int]:
    """createdAt and updatedAt: each defaults to the other, both to ``at_ms``; updated_at may not be before created_at."""
    created = None if spec.get("created_at") is None else _time(spec["created_at"], "created_at", where, at_ms)
    updated = None if spec.get("updated_at") is None else _time(spec["updated_at"], "updated_at", where, at_ms)
    created_ms = created if created is not None else (updated if updated is not None else at_ms)
    updated_ms = updated if updated is not None else created_ms
    if updated_ms < created_ms:
        raise ControlError(f"{where}: 'updated_at' is before 'created_at'")
    return created_ms, updated_ms


def _statuses(value: Any, key: str, where: str, allowed: Iterable[str]) -> list[str]:
    allowed = list(allowed)
    statuses = [value] if isinstance(value, str) else value
    if not isinstance(statuses, list) or not statuses or any(s not in allowed for s in statuses):
        raise ControlError(f"{where}: '{key}' must be one of {allowed} or a non-empty list of them, not {value!r}")
    return statuses


def _count(value: Any, key: str, where: str, required: bool = False) -> int:
    if value is None and not required:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ControlError(f"{where}: '{key}' {'is required and ' if required else ''}must be an integer >= 0")
    return value


def document_drafts(documents: Any, generate: Any, at_ms: int, where: str = "documents", generate_where: str = "generate") -> list[DocumentDraft]:
    """Check a list of document specs and/or a generate spec; the drafts, ``documents`` first.

    Document spec: document_id (optional), status (required: a DocumentStatus), error ({error_code,
    error_message}, failed statuses only; default: DEFAULT_DOCUMENT_ERRORS cycled over the failed specs),
    created_at / updated_at (any time form; each defaults to the other, both to now). Generate spec: see
    :func:`generate_drafts`. Document ids given twice are refused.
    """
    if documents is not None and not isinstance(documents, list):
        raise ControlError(f"{where}: must be a list of document specs")
    drafts: list[DocumentDraft] = []
    failed_seen = 0
    for i, spec in enumerate(documents or []):
        here = f"{where}[{i}]"
        check_keys(spec, DOCUMENT_SPEC_KEYS, here)
        status = spec.get("status")
        if status not in DOCUMENT_STATUSES:
            raise ControlError(f"{here}: 'status' is required and must be one of {list(DOCUMENT_STATUSES)}, not {status!r}")
        document_id = None if spec.get("document_id") is None else check_document_id(spec["document_id"], here)
        error = None
        if status in FAILED_DOCUMENT_STATUSES:
            default = DEFAULT_DOCUMENT_ERRORS[failed_seen % len(DEFAULT_DOCUMENT_ERRORS)]
            failed_seen += 1
            error = dict(default) if spec.get("error") is None else parse_error(spec["error"], here, default)
        elif spec.get("error") is not None:
            raise ControlError(f"{here}: 'error' is only for status {' or '.join(FAILED_DOCUMENT_STATUSES)}, not {status}")
        created_ms, updated_ms = _times(spec, here, at_ms)
        drafts.append(DocumentDraft(document_id, status, error, created_ms, updated_ms))
    if generate is not None:
        drafts.extend(generate_drafts(generate, at_ms, generate_where))
    if len(drafts) > MAX_DOCUMENTS_PER_SEED:
        raise ControlError(f"{where}: at most {MAX_DOCUMENTS_PER_SEED} documents at once, not {len(drafts)}")
    seen: set[str] = set()
    for draft in drafts:
        if draft.document_id is not None:
            if draft.document_id in seen:
                raise ControlError(f"{where}: document_id '{draft.document_id}' appears twice")
            seen.add(draft.document_id)
    return drafts


def generate_drafts(spec: Any, at_ms: int, where: str = "generate") -> list[DocumentDraft]:
    """Expand a generate_documents spec: ``count`` documents (ids chosen by the data source), ``failed`` of them
    failed, spread evenly over the listing.

    Keys: count (required, >= 0); status (default INDEXED: a status that is not failed, or a list of them, cycled
    over the documents that are not failed); failed (0..count, default 0); failed_status (FAILED or
    DOCUMENT_FAILED_TO_INDEX or a list, cycled; default both alternately, FAILED first); errors (a list of
    {error_code, error_message}, cycled over the failed ones; default DEFAULT_DOCUMENT_ERRORS); created_at,
    updated_at (any time form; each defaults to the other, both to now).
    """
    check_keys(spec, GENERATE_DOCUMENTS_KEYS, where)
    count = _count(spec.get("count"), "count", where, required=True)
    if count > MAX_DOCUMENTS_PER_SEED:
        raise ControlError(f"{where}: 'count' must be at most {MAX_DOCUMENTS_PER_SEED}")
    failed = _count(spec.get("failed"), "failed", where)
    if failed > count:
        raise ControlError(f"{where}: 'failed' ({failed}) is more than 'count' ({count})")
    ok_statuses = [s for s in DOCUMENT_STATUSES if s not in FAILED_DOCUMENT_STATUSES]
    statuses = _statuses(spec.get("status", DEFAULT_GENERATED_STATUS), "status", where, ok_statuses)
    failed_statuses = parse_failed_statuses(spec.get("failed_status"), "failed_status", where) or FAILED_DOCUMENT_STATUSES
    errors = parse_document_errors(spec.get("errors"), "errors", where) or DEFAULT_DOCUMENT_ERRORS
    created_ms, updated_ms = _times(spec, where, at_ms)
    failed_at = set(spread(count, failed))
    drafts = []
    ok_seen = failed_seen = 0
    for i in range(count):
        if i in failed_at:
            status, error = failed_statuses[failed_seen % len(failed_statuses)], dict(errors[failed_seen % len(errors)])
            failed_seen += 1
        else:
            status, error = statuses[ok_seen % len(statuses)], None
            ok_seen += 1
        drafts.append(DocumentDraft(None, status, error, created_ms, updated_ms))
    return drafts


def default_id_prefix(name: str, ds_type: str) -> str:
    """Where a data source's generated document ids start: s3://<bucket>/documents/ for S3, <name>/documents/ else."""
    if ds_type == "S3":
        bucket = _NOT_BUCKET.sub("-", name.lower()).strip("-.") or "bucket"
        return f"s3://{bucket}/documents/"
    return f"{name}/documents/"


@dataclass
class DocumentSet:
    """The documents of one data source: by id, in creation order (cached), and the ids it makes up."""

    id_prefix: str = ""
    by_id: dict[str, Document] = field(default_factory=dict)
    version: int = 0  # bumped when a document is added or removed (not when one changes status)
    _number: int = 0  # the last number used in a generated id
    _ordered: tuple[int, list[Document], int] = field(default=(-1, [], 0), repr=False, compare=False)

    def ordered(self) -> tuple[list[Document], int]:
        """The documents in creation order (createdAt, then seq) and the highest seq among them; cached by version."""
        version, docs, max_seq = self._ordered
        if version != self.version:
            docs = sorted(self.by_id.values(), key=_order_key)
            max_seq = max((d.seq for d in docs), default=0)
            self._ordered = (self.version, docs, max_seq)
        return docs, max_seq

    def new_id(self) -> str:
        """The next free generated id: <prefix>doc-0001.pdf, doc-0002.docx, … (extensions cycle)."""
        while True:
            self._number += 1
            candidate = f"{self.id_prefix}doc-{self._number:04d}.{_EXTENSIONS[(self._number - 1) % len(_EXTENSIONS)]}"
            if candidate not in self.by_id:
                return candidate

    def add(self, drafts: list[DocumentDraft], next_seq: Callable[[], int], replace: bool = False) -> list[str]:
        """Add checked drafts (all or none: an id already used is refused first); their ids, in draft order."""
        taken = set() if replace else set(self.by_id)
        for draft in drafts:
            if draft.document_id is not None and draft.document_id in taken:
                raise ControlError(f"documents: document_id '{draft.document_id}' is already used in this data source")
        if replace:
            self.by_id.clear()
            self._number = 0
        fixed = {d.document_id for d in drafts if d.document_id is not None}
        ids = []
        for draft in drafts:
            document_id = draft.document_id
            while document_id is None or (draft.document_id is None and document_id in fixed):
                document_id = self.new_id()  # a made-up id never takes one the drafts fix further on
            self.by_id[document_id] = Document(
                document_id, draft.status, draft.created_ms, draft.updated_ms, next_seq(), None if draft.error is None else dict(draft.error)
            )
            ids.append(document_id)
        self.version += 1
        return ids

    def apply_sync(self, metrics: dict[str, int], run: NextSync, end_ms: int, next_seq: Callable[[], int]) -> None:
        """What a clocked sync that ended at ``end_ms`` with these final metrics leaves behind (its updatedAt: end_ms).

        Among the documents that are not DELETING/DELETED, in listing order: documents_failed of them turn failed
        (spread evenly; more than there are: new failed documents for the rest), then documents_modified of the
        others UPDATED, then documents_deleted of the rest DELETED (both capped at what there is). documents_added
        new documents are INDEXED, created at end_ms, the new failed ones spread among them. The failed ones' statuses
        and errors cycle over ``run.document_failed_status`` / ``run.document_errors`` in listing order.
        """
        live = [d for d in self.ordered()[0] if d.status not in GONE_STATUSES]
        wanted_failed = metrics.get("documents_failed", 0)
        failed_old = [live[i] for i in spread(len(live), min(wanted_failed, len(live)))]
        picked = {id(d) for d in failed_old}
        rest = [d for d in live if id(d) not in picked]
        modified = [rest[i] for i in spread(len(rest), min(metrics.get("documents_modified", 0), len(rest)))]
        picked.update(id(d) for d in modified)
        rest = [d for d in rest if id(d) not in picked]
        deleted = [rest[i] for i in spread(len(rest), min(metrics.get("documents_deleted", 0), len(rest)))]
        for doc, status in [(d, "UPDATED") for d in modified] + [(d, "DELETED") for d in deleted]:
            doc.status, doc.error, doc.updated_ms = status, None, end_ms
        failed_new = wanted_failed - len(failed_old)
        new_count = metrics.get("documents_added", 0) + failed_new
        failed_at = set(spread(new_count, failed_new))
        new_docs = []
        for _ in range(new_count):
            doc = Document(self.new_id(), "INDEXED", end_ms, end_ms, next_seq())
            self.by_id[doc.document_id] = doc
            new_docs.append(doc)
        statuses = run.document_failed_status or FAILED_DOCUMENT_STATUSES
        errors = run.document_errors or DEFAULT_DOCUMENT_ERRORS
        for n, doc in enumerate(failed_old + [new_docs[i] for i in sorted(failed_at)]):
            doc.status, doc.error, doc.updated_ms = statuses[n % len(statuses)], dict(errors[n % len(errors)]), end_ms
        if new_docs:
            self.version += 1


def merged_order(sets: list[DocumentSet]) -> tuple[list[Document], int]:
    """The documents of several data sources in one creation order, and the highest seq among them."""
    orders = [s.ordered() for s in sets]
    if len(orders) == 1:
        return orders[0]
    docs = list(heapq.merge(*(docs for docs, _ in orders), key=_order_key))
    return docs, max((max_seq for _, max_seq in orders), default=0)


def document_window(docs: list[Document], max_seq: int) -> Window[Document]:
    """A paginator window over documents in listing order: a slice, unless some were created after the snapshot."""

    def window(cap: int, offset: int, size: int) -> tuple[list[Document], int]:
        if max_seq <= cap:
            return docs[offset : offset + size], len(docs)
        visible = [d for d in docs if d.seq <= cap]
        return visible[offset : offset + size], len(visible)

    return window
