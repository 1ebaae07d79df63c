"""The Markdown reader as named rules (issue 16): an ordered table per level
(blocks, inlines), a guard before the rule it guards, every token type that
the parser makes read by a rule, and a type no rule reads reported at its
line instead of dropped."""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from markdown_it.tree import SyntaxTreeNode

from paperpipe.errors import Problems
from paperpipe.readers.markdown import MarkdownReader
from paperpipe.readers.markdown.blocks import BLOCK_RULES
from paperpipe.readers.markdown.inlines import INLINE_RULES
from paperpipe.readers.markdown.reader import GRAMMAR
from paperpipe.readers.markdown.ruler import Rule, Ruler, UnknownToken
from paperpipe.readers.markdown.state import Grammar, ReadState
from paperpipe.readers.markdown.syntax import _MD

ROOT = Path(__file__).resolve().parent.parent

# Every construct the parser knows (CommonMark, pipe tables, ::: boxes,
# {{ }} and [@id]), so that every token type it can make shows up.
EVERYTHING = """# Heading {#h}

Setext
======

Text *em* **strong** `code` [link](https://example.eu) [ref](#h) ![img](a.svg)
a\\
hard <b>html</b> <!-- c --> {{ x }} {{ bad [@person] &amp; \\* <https://example.eu>

- bullet
1. ordered

> quote

| a | b |
|---|---|
| c | d |

::: sidebar Box
x
:::

::: figure Cap
x
:::

::: note Title
x
:::

::: other
:::

```table
rows: [[a]]
```

    indented code

<div>html</div>

<!-- comment -->

---

[def]: https://example.eu
"""
# read by the rule of their parent, never on their own
PARTS = {"list_item", "thead", "tbody", "tr", "th", "td", "inline", "root"}


def _types(node: SyntaxTreeNode, inline: bool = False):
    for child in node.children:
        is_inline = inline or child.type == "inline"
        yield child.type, is_inline
        yield from _types(child, is_inline)


def test_every_token_type_the_parser_makes_has_a_rule():
    seen = set(_types(SyntaxTreeNode(_MD.parse(EVERYTHING))))
    blocks = {kind for kind, inline in seen if not inline} - PARTS
    inlines = {kind for kind, inline in seen if inline} - PARTS
    # the corpus covers what the tables name (else this test proves little)
    assert blocks == set(BLOCK_RULES.types) and inlines == set(INLINE_RULES.types)


def test_the_tables_in_order():
    assert BLOCK_RULES.names("paragraph") == ["table_then_caption", "caption_then_table", "lonely_caption", "near_caption", "broken_table", "paragraph"]
    assert BLOCK_RULES.names("heading") == ["heading_in_box", "dashes_under_text", "heading"]
    assert BLOCK_RULES.names("container_other") == ["stray_closing", "unclosed_box", "unknown_box"]
    assert BLOCK_RULES.names("container_sidebar") == ["unclosed_box", "box_in_box", "sidebar"]
    assert BLOCK_RULES.names("html_block") == ["comment", "comment_and_text", "raw_html"]
    assert INLINE_RULES.names("html_inline") == ["comment", "raw_html"]
    assert BLOCK_RULES.names("container_admonition") == ["unclosed_box", "box_in_box", "admonition"]
    assert BLOCK_RULES.names("ordered_list") == ["too_many_items", "list_from_zero", "ordered_list"]
    assert len(BLOCK_RULES.names()) == 28 and len(INLINE_RULES.names()) == 13


def test_a_ruler_tries_rules_in_order_and_raises_for_a_type_it_does_not_read():
    seen: list[str] = []

    def rule(name: str, takes: bool):
        return Rule(name, ("x",), lambda value: seen.append(f"{name}:{value}") or takes)

    ruler = Ruler("test", [rule("guard", False), rule("reader", True), rule("never", True)])
    assert ruler.apply("x", 1) == "reader" and seen == ["guard:1", "reader:1"]
    with pytest.raises(UnknownToken, match="no test rule reads the Markdown token 'y'"):
        ruler.apply("y", 1)
    with pytest.raises(UnknownToken):  # every rule declines
        Ruler("test", [rule("guard", False)]).apply("x", 2)
    with pytest.raises(ValueError, match="repeat a name"):
        Ruler("test", [rule("a", True), rule("a", True)])


@pytest.mark.parametrize("text, kind, message, line", [
    ("Text.\n\n---\n", "hr", "unsupported Markdown block 'hr'", 3),
    ("Text\nwith `code` here.\n", "code_inline", "unsupported inline Markdown 'code_inline'", 2),
])
def test_a_token_no_rule_reads_is_an_error_at_its_line(text, kind, message, line, tmp_path):
    """A parser that makes a token the tables do not name (here a table
    without its rule) reports it: never dropped, never a traceback."""
    def without(ruler: Ruler) -> Ruler:
        return Ruler(ruler.name, [r for r in ruler.rules if kind not in r.types])

    problems = Problems(tmp_path)
    state = ReadState(tmp_path / "x.md", problems, Grammar(without(BLOCK_RULES), without(INLINE_RULES)))
    state.read(text)
    assert [(p.line, p.message) for p in problems.items] == [(line, message)]
    assert problems.items[0].advice


def test_the_reader_keeps_no_state_of_its_own(tmp_path):
    """The state of a read is declared (ReadState's fields), made per read:
    the same reader reads two texts alike, and sets no attribute on itself."""
    problems = Problems(tmp_path)
    reader = MarkdownReader(tmp_path / "x.md", problems)
    first = reader.read("- a\n\n  ::: sidebar B\n  x\n  :::\n\n:::\n")
    before = dict(vars(reader))
    assert reader.read("- a\n\n  ::: sidebar B\n  x\n  :::\n\n:::\n") == first
    assert vars(reader) == before
    assert {f.name for f in fields(ReadState)} >= {"inside", "lines", "box_error", "too_deep"}
    assert GRAMMAR.blocks is BLOCK_RULES and GRAMMAR.inlines is INLINE_RULES
