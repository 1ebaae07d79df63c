"""The Markdown parser (markdown-it with pipe tables, attributes, ::: boxes,
``{{ … }}`` expressions and ``[@id]`` people) and the patterns the reader
matches its text with."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin

_CAPTION = re.compile(r"^\s*(?:Table)?:\s+(.*)$", re.S)
_TEMPLATE_CALL = re.compile(r"^\s*\{\{(?:(?!\}\}).)*\}\}\s*$", re.S)  # exactly one {{ … }}
_COMMENT = re.compile(r"\s*(?:<!--.*?-->\s*)+", re.S)  # HTML comments: notes that are not printed
_ID = re.compile(r"^[A-Za-z][\w:.-]*$")
_EXTERNAL = re.compile(r"^(https?:|mailto:|ftp:)", re.I)
_CLOSING = re.compile(r"^\s*:{3,}\s*$")
_WHERE = {"list": "a list", "sidebar": "a sidebar", "figure": "a figure box", "cell": "a table cell"}


def _template_rule(state, silent: bool) -> bool:
    """``{{ expression }}`` inside a line becomes one 'template' token (its
    content the whole ``{{ … }}``), so that Markdown never splits or
    re-reads it; ``{%`` and an unclosed ``{{`` become a 'template_bad' token
    that the reader reports.  Code spans and ``\\{`` escapes run first, so
    `{{ x }}` in backticks prints literally."""
    src, pos = state.src, state.pos
    if src.startswith("{{", pos):
        end = src.find("}}", pos + 2)
        kind = "template" if end >= 0 else "template_bad"
        stop = end + 2 if end >= 0 else pos + 2
    elif src.startswith("{%", pos):
        kind, stop = "template_bad", pos + 2
    else:
        return False
    if not silent:
        token = state.push(kind, "", 0)
        token.content = src[pos:stop]
    state.pos = stop
    return True


_PERSON = re.compile(r"\[@([A-Za-z][\w-]*)\]")


def _person_rule(state, silent: bool) -> bool:
    """``[@id]``: a person of the people file, printed by name."""
    if not state.src.startswith("[@", state.pos):
        return False
    match = _PERSON.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("person_ref", "", 0)
        token.content = match.group(1)
    state.pos = match.end()
    return True


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table").use(attrs_plugin)
    md.inline.ruler.before("text", "template", _template_rule)
    md.inline.ruler.before("link", "person", _person_rule)
    md.use(container_plugin, name="sidebar")
    md.use(container_plugin, name="figure")
    # any other ::: line (a misspelt kind, a stray closing :::) is read as a
    # box too, so that the reader reports it instead of printing ':::'
    md.use(container_plugin, name="other", validate=lambda params, markup: True)
    return md


_MD = _parser()
