# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""GitHub-flavoured Markdown tables, as the gate's summary and the sync report write them."""

from __future__ import annotations

import re
from typing import Any
from typing import Sequence

# What GitHub's Markdown acts on inside a line (links, images, emphasis, code, strikethrough, headings, pipes):
# backslash-escaped, so a name or a service's message shows as written and never as markup.
# Not "(" and ")": a link needs "[", which is escaped, and a name shows as "name (id)" in the raw file too.
_PUNCTUATION = re.compile(r"([\\`*_\[\]!~#|])")
# Bare URLs that GitHub links by itself; an entity in place of one character shows the same text, not linked.
_AUTOLINK = re.compile(r"(?i)(:)(//)|(www)(\.)")
# In HTML text: what HTML and Markdown act on, as numeric character references.
_HTML_INERT = re.compile(r"[&<>\"'\\`*_\[\]()!~#|]")


def _unlink(match: "re.Match[str]") -> str:
    return f"{match.group(1)}&#47;/" if match.group(1) else f"{match.group(3)}&#46;"


def _one_line(value: Any, limit: int) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell(value: Any, limit: int = 300) -> str:
    """One table cell (or inline text): on one line, Markdown punctuation escaped and bare URLs unlinked, cut to
    ``limit`` characters; an empty cell for None. Not for HTML (a ``<details>`` line): see :func:`html_text`."""
    if value is None:
        return ""
    text = _PUNCTUATION.sub(r"\\\1", _one_line(value, limit))
    if text.startswith(">"):
        text = "\\" + text  # a block quote only at the start
    # "&" before any entity is added: a name holding "&amp;" must show as written, not as "&".
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _AUTOLINK.sub(_unlink, text)


def html_text(value: Any, limit: int = 300) -> str:
    """Text inside an HTML line of the Markdown (``<summary>``), where backslash escapes would show as written:
    HTML-escaped, with Markdown's punctuation and bare URLs as character references, inert whether it is read as
    HTML or as Markdown; on one line, cut to ``limit`` characters."""
    # One pass over HTML's specials and Markdown's punctuation, so that no reference is escaped again.
    text = _HTML_INERT.sub(lambda match: f"&#{ord(match.group(0))};", _one_line(value, limit))
    return _AUTOLINK.sub(_unlink, text)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A table with a header row; each value goes through :func:`cell`."""
    lines = ["| " + " | ".join(cell(header) for header in headers) + " |", "|" + "---|" * len(headers)]
    lines.extend("| " + " | ".join(cell(value) for value in row) + " |" for row in rows)
    return "\n".join(lines) + "\n"
