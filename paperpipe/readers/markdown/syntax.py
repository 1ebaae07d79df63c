"""The Markdown parser (markdown-it with pipe tables, attributes, ::: boxes,
``{{ … }}`` expressions and ``[@id]`` people) and the patterns the reader
matches its text with."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block.table import escapedSplit, getLine, table as _table
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError, parse as parse_attr_block
from mdit_py_plugins.container import container_plugin

_CAPTION = re.compile(r"^\s*(?:Table)?:\s+(.*)$", re.S)
_TEMPLATE_CALL = re.compile(r"^\s*\{\{(?:(?!\}\}).)*\}\}\s*$", re.S)  # exactly one {{ … }}
_COMMENT = re.compile(r"\s*(?:<!--.*?-->\s*)+", re.S)  # HTML comments: notes that are not printed
_ID = re.compile(r"^[A-Za-z][\w:.-]*$")
# a web address as every output links it (paperpipe/links.py), with a host:
# http(s):// and a host, or mailto:
_EXTERNAL = re.compile(r"^(?:https?://[^\s\x00-\x1f\x7f/?#]|mailto:[^\s\x00-\x1f\x7f])[^\s\x00-\x1f\x7f]*$", re.I)
_NO_SLASHES = re.compile(r"^(https?):(?!//)", re.I)
# the mark before who said a quotation: an em dash (documented), a horizontal
# bar, an en dash or two hyphens, with or without a space after it
_ATTRIBUTION = re.compile(r"^(?:—|―|–|--)[ \t]*")
_CLOSING = re.compile(r"^[\s>]*:{3,}\s*$")  # a closing ::: line, also inside a quotation ("> :::")
ADMONITIONS = ("note", "warning")  # ::: note / ::: warning: the kinds of aside the theme labels (style.yaml admonitions:)
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


PERSON = re.compile(r"\[@([A-Za-z][\w-]*)\]")  # [@id]: a person of the people file (also in paper.yaml's printed fields)


def _person_rule(state, silent: bool) -> bool:
    """``[@id]``: a person of the people file, printed by name. Skipped when
    markdown-it scans a link's words (``silent``): a token there that starts
    with '[' is taken for a link inside a link, and '[Talk by [@anna]](https://…)'
    was no link; its brackets count as text, and the words are read later."""
    if silent or not state.src.startswith("[@", state.pos):
        return False
    match = PERSON.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("person_ref", "", 0)
        token.content = match.group(1)
    state.pos = match.end()
    return True


def _picture_attrs_rule(state, silent: bool) -> bool:
    """Keeps what stands between the braces of a picture's ``{…}`` as the
    picture's ``meta["attrs_text"]`` and leaves the braces to the attribute
    rule after it, which keeps one of a key typed twice: the reader reports
    such a key from this text."""
    token = state.tokens[-1] if state.tokens and not state.pending else None
    if token is None or token.type != "image" or not state.src.startswith("{", state.pos):
        return False
    try:
        end, _ = parse_attr_block(state.src[state.pos:])
    except ParseError:
        return False
    token.meta["attrs_text"] = state.src[state.pos + 1:state.pos + end]
    return False


def _table_rule(state, start: int, end: int, silent: bool) -> bool:
    """markdown-it's pipe table, with the number of cells typed on each body
    row kept as ``meta["typed"]``: markdown-it drops the cells past the
    header's number, and the reader reports them instead; a row typed
    without any '|' keeps its line as ``meta["bare"]``."""
    first = len(state.tokens)
    if not _table(state, start, end, silent):
        return False
    for token in state.tokens[first:]:
        if token.type == "tr_open" and token.map:
            line = getLine(state, token.map[0]).strip()
            if "|" not in line:  # a line under the table without a '|' (its caption, or text): markdown-it made it a row
                token.meta["bare"] = line
            cells = escapedSplit(line)
            if cells and cells[0] == "":
                cells.pop(0)
            if cells and cells[-1] == "":
                cells.pop()
            token.meta["typed"] = len(cells)
    return True


def _parser(quotes: tuple[str, ...] = ()) -> MarkdownIt:
    # a link definition ([1]: https://…) is kept in the token stream as a
    # 'definition' token, so that the reader reports it instead of dropping it
    md = MarkdownIt("commonmark", {"inline_definitions": True}).enable("table")
    if quotes:
        # typed straight quotes become the language's marks in text (never in
        # code, addresses or attributes; a backslash keeps one straight):
        # markdown-it's own smartquotes rule, without its other replacements
        md.options["typographer"] = True
        md.options["quotes"] = list(quotes)
        md.enable("smartquotes")
    # attributes only after an image (a figure's {#fig-id alt="…"}): braces after
    # code or a link are text, printed as typed
    md.use(attrs_plugin, after=("image",))
    md.inline.ruler.before("attr", "picture_attrs", _picture_attrs_rule)
    md.block.ruler.at("table", _table_rule, {"alt": ["paragraph", "reference"]})
    md.inline.ruler.before("text", "template", _template_rule)
    md.inline.ruler.before("link", "person", _person_rule)
    md.use(container_plugin, name="sidebar")
    md.use(container_plugin, name="figure")
    md.use(container_plugin, name="admonition", validate=lambda params, markup: params.strip().split(" ", 1)[0] in ADMONITIONS)
    # any other ::: line (a misspelt kind, a stray closing :::) is read as a
    # box too, so that the reader reports it instead of printing ':::'
    md.use(container_plugin, name="other", validate=lambda params, markup: True)
    return md


_MD = _parser()
def parser(quotes: tuple[str, ...] = ()) -> MarkdownIt:
    """The reader's parser; with ``quotes`` (four marks), a new one that sets
    them (made once per paper: the reader hands it down to every text)."""
    return _parser(quotes) if quotes else _MD


_PUNCTUATION = re.compile(r"""\\(?=['"])|([!#$%&()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def smart_plain(text: str, md: MarkdownIt | None) -> str:
    """A line of plain text (paper.yaml's cover, header, subject) with its
    quotes set as the Markdown's are: the same rule, the same escape (\\'
    stays straight), every other character printed as typed. ``md``: the
    paper's parser (``parser(quotes)``), or None to keep quotes as typed."""
    if md is None or md is _MD or ("'" not in text and '"' not in text):
        return text
    escaped = _PUNCTUATION.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(0), text)
    tokens = md.parseInline(escaped)
    children = tokens[0].children if tokens and tokens[0].children else []
    return "".join("\n" if t.type in ("softbreak", "hardbreak") else t.content for t in children)
