# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""GitHub-flavoured Markdown tables, as the gate's summary and the sync report write them."""

from __future__ import annotations

from typing import Any
from typing import Sequence


def cell(value: Any, limit: int = 300) -> str:
    """One table cell: on one line, pipes escaped, cut to ``limit`` characters; an empty cell for None."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    # "&" first: a name holding "&amp;" must show as written, not as "&".
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("&", "&amp;").replace("<", "&lt;")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A table with a header row; each value goes through :func:`cell`."""
    lines = ["| " + " | ".join(cell(header) for header in headers) + " |", "|" + "---|" * len(headers)]
    lines.extend("| " + " | ".join(cell(value) for value in row) + " |" for row in rows)
    return "\n".join(lines) + "\n"
