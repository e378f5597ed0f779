# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Markdown cells: a name or a service's message shows as written in a GitHub step summary, never as markup."""

from __future__ import annotations

import pytest

from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.markdown import cell
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.markdown import html_text
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.markdown import table


@pytest.mark.parametrize(
    "value, expected",
    [
        ("[x](https://evil)", r"\[x\](https:&#47;/evil)"),  # no link
        ("![i](https://t/p.png)", r"\!\[i\](https:&#47;/t/p.png)"),  # no image (a tracking pixel)
        ("**b**", r"\*\*b\*\*"),  # no emphasis
        ("__u__ `c` ~~s~~ #1", r"\_\_u\_\_ \`c\` \~\~s\~\~ \#1"),
        ("see https://evil.example/x or WWW.evil.example", "see https:&#47;/evil.example/x or WWW&#46;evil.example"),  # no bare autolink
        ("> quoted > not", r"\> quoted > not"),  # a block quote only at the start
        ("a | b \\ c", r"a \| b \\ c"),
        ("<img src=x> &amp; &", "&lt;img src=x> &amp;amp; &amp;"),
        ("plain name-1.2 (id)", "plain name-1.2 (id)"),  # parentheses stay: without "[" no link can form
        ("line\nbreak", "line break"),
        (None, ""),
    ],
)
def test_markup_is_escaped(value, expected):
    assert cell(value) == expected


def test_a_long_value_is_cut_before_it_is_escaped():
    assert cell("*" * 400) == "\\*" * 299 + "…"


def test_a_table_escapes_every_cell():
    assert table(("Name", "Why"), [["[x](https://evil)", None]]) == ("| Name | Why |\n|---|---|\n| \\[x\\](https:&#47;/evil) |  |\n")


def test_html_text_is_inert_as_html_and_as_markdown():
    """A <summary> line is HTML to GitHub: backslashes would show, so references; none of them escaped twice."""
    assert html_text("[x](https://evil) \"q\" 'a' &amp; <b> www.e\nx") == (
        "&#91;x&#93;&#40;https:&#47;/evil&#41; &#34;q&#34; &#39;a&#39; &#38;amp; &#60;b&#62; www&#46;e x"
    )
    assert html_text("a" * 400) == "a" * 299 + "…"
