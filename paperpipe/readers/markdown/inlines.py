"""Inline Markdown: text, emphasis, links, cross-references and ``{{ … }}``
expressions inside a line, one small named rule per kind of token
(``INLINE_RULES``, tried in order)."""
from __future__ import annotations

from markdown_it.tree import SyntaxTreeNode

from ... import model as m
from ...visit import plain_text
from .ruler import Rule, Ruler
from .state import InlineWalk, ReadState
from .syntax import _COMMENT, _EXTERNAL, _MD, _NO_SLASHES, PERSON as _PERSON, smart_plain


def read_inlines(st: ReadState, nodes, src: m.Source, walk: InlineWalk | None = None) -> tuple[m.Inline, ...]:
    """Inline nodes into the model, adjacent texts merged; ``walk`` carries
    the line reached across nested emphasis and links."""
    return _merge_text(st.inlines(nodes, walk if walk is not None else InlineWalk(src, src.line)))


def inline_markdown(st: ReadState, text: str, src: m.Source) -> tuple[m.Inline, ...]:
    """A line of Markdown text (a caption, a box title, what an expression writes)."""
    if not text.strip():
        return ()
    tree = SyntaxTreeNode((st.md or _MD).parseInline(text.strip()))
    inline = tree.children[0] if tree.children else None
    # SyntaxTreeNode wraps the inline token; descend to its children
    while inline is not None and inline.type != "inline" and inline.children:
        inline = inline.children[0]
    return _trim(read_inlines(st, inline.children if inline is not None else [], src))


def plain(st: ReadState, text: str, src: m.Source) -> str:
    """A plain-text attribute (a box title, alt text) with its {{ … }} and
    [@id] expanded (an [@id] was printed as typed), and its quotes set as the
    text's are (both are read as prose)."""
    if "{{" in text or "{%" in text:
        return plain_text(inline_markdown(st, text, src))
    text = smart_plain(text, st.md)
    if "[@" in text:
        return _PERSON.sub(lambda ref: plain_text(inline_expression(st, f'{{{{ person("{ref.group(1)}") }}}}', src)), text)
    return text


def inline_expression(st: ReadState, call: str, src: m.Source) -> tuple[m.Inline, ...]:
    """An expression inside a line: its text, read as inline Markdown."""
    if st.expand is None or st.depth > 3:
        st.error(src, "expressions ({{ … }}) cannot be used here", "move it into a section file")
        return ()
    text = st.expand(call.strip(), src)
    if text is None:
        return ()
    if "\n" in text.strip():
        st.error(src, f"'{call.strip()}' writes several lines (a list, a table or paragraphs), which cannot stand inside a line",
                 "put the call alone in its own paragraph, with an empty line before and after it")
        return ()
    if "{{" in text or "{%" in text:
        st.error(src, f"'{call.strip()}' writes another template expression", "data and macros must write text, not {{ … }}")
        return ()
    if not text.strip():  # '{{ person("anna").role }}' of a person without a role: the sentence lost its words
        st.error(src, f"'{call.strip()}' prints nothing here: what it reads is empty or not given",
                 "write the value in the data file or paper.yaml it comes from, or remove the expression")
        return ()
    return inline_markdown(st.sub(st.line_offset, st.depth + 1), text, src)


# ---------------------------------------------------------------------- the rules
# Each takes (state, node, walk, out): it appends what the node prints to
# ``out`` and returns True, or returns False to leave the node to the next rule.

def text(st: ReadState, node, walk: InlineWalk, out: list) -> bool:
    if node.content:
        # a tab pasted into a sentence is a space, as the PDF and the page print it (the DOCX made it a tab stop)
        out.append(m.Text(node.content.replace("\t", " ")))
    return True


def softbreak(st: ReadState, node, walk: InlineWalk, out: list) -> bool:
    out.append(m.Text(" "))
    walk.advance(1)
    return True


def hardbreak(st: ReadState, node, walk: InlineWalk, out: list) -> bool:
    out.append(m.LineBreak())
    walk.advance(1)
    return True


def strong(st: ReadState, node, walk: InlineWalk, out: list) -> bool:
    out.append(m.Strong(read_inlines(st, node.children, walk.src, walk)))
    return True


def em(st: ReadState, node, walk: InlineWalk, out: list) -> bool:
    out.append(m.Emph(read_inlines(st, node.children, walk.src, walk)))
    return True


def code(st: ReadState, node, walk: InlineWalk, out: list) -> bool:
    out.append(m.Code(node.content.replace("\t", " ")))
    return True


def link(st: ReadState, node, walk: InlineWalk, out: list) -> bool:
    """``[text](#id)`` a cross-reference, ``[text](https://…)`` a web link;
    anything else is an error and its text is printed."""
    href = str(node.attrs.get("href", ""))
    start = walk.here()
    children = read_inlines(st, node.children, walk.src, walk)
    if node.attrs.get("title"):
        st.error(start, f"the link's title \"{node.attrs['title']}\" is not printed",
                 "remove the quoted title after the address, or write its words in the text")
    if href.startswith("#"):
        # '[ ](#id)', a space typed between the brackets, prints the number as '[](#id)' does (it printed nothing)
        out.append(m.Ref(href[1:], children if plain_text(children).strip() else (), "", start))
    elif _EXTERNAL.match(href) and not plain_text(children).strip():
        st.error(start, f"the link to '{href}' has no text, so the PDF and the Word file would print nothing",
                 f"write the words to click between the brackets, or the address itself: <{href}>")
    elif _EXTERNAL.match(href):
        out.append(m.Link(href, children))
    elif _NO_SLASHES.match(href):
        scheme = _NO_SLASHES.match(href).group(1)
        st.error(start, f"the web address '{href}' has no '//' after '{scheme}:'",
                 f"write it in full: {scheme}://{href[len(scheme) + 1:].lstrip('/')}")
        out.extend(children)
    else:
        st.error(start, f"the link target '{href}' is neither a web address nor '#id'", "write https://… for a web page or #id for a section, figure or table")
        out.extend(children)
    return True


def image(st: ReadState, node, walk: InlineWalk, out: list) -> bool:
    st.error(walk.here(), "an image must stand alone in its own paragraph to become a figure", "put a blank line before and after ![Caption](file)")
    return True


def expression(st: ReadState, node, walk: InlineWalk, out: list) -> bool:
    """``{{ … }}`` inside a line: what it writes, read as inline Markdown."""
    out.extend(inline_expression(st, node.content, walk.here()))
    walk.advance(node.content.count("\n"))
    return True


def person(st: ReadState, node, walk: InlineWalk, out: list) -> bool:
    """``[@id]``: the person's name, as ``{{ person("id") }}`` prints it."""
    out.extend(inline_expression(st, f'{{{{ person("{node.content}") }}}}', walk.here()))
    return True


def bad_expression(st: ReadState, node, walk: InlineWalk, out: list) -> bool:
    if node.content == "{%":
        st.error(walk.here(), "'{%' statements cannot be used in the text", "use an expression {{ … }}, e.g. {{ paper.title }}; to print '{%' literally write '\\{%'")
    else:
        st.error(walk.here(), "'{{' is not closed by '}}'", "close the expression with }}, e.g. {{ paper.title }}; to print '{{' literally write '\\{{'")
    return True


def comment(st: ReadState, node, walk: InlineWalk, out: list) -> bool:
    """``<!-- … -->`` inside a paragraph: a note for editors, never printed."""
    if not _COMMENT.fullmatch(node.content):
        return False
    walk.advance(node.content.count("\n"))
    return True


def raw_html(st: ReadState, node, walk: InlineWalk, out: list) -> bool:
    st.error(walk.here(), f"raw HTML '{node.content}' is not supported", "use Markdown: **bold**, *italic*, [text](https://…)")
    walk.advance(node.content.count("\n"))
    return True


INLINE_RULES = Ruler("inline", [
    Rule("text", ("text",), text),
    Rule("softbreak", ("softbreak",), softbreak),
    Rule("hardbreak", ("hardbreak",), hardbreak),
    Rule("strong", ("strong",), strong),
    Rule("em", ("em",), em),
    Rule("code", ("code_inline",), code),
    Rule("link", ("link",), link),
    Rule("image", ("image",), image),
    Rule("expression", ("template",), expression),
    Rule("person", ("person_ref",), person),
    Rule("bad_expression", ("template_bad",), bad_expression),
    Rule("comment", ("html_inline",), comment),
    Rule("raw_html", ("html_inline",), raw_html),
])


def _merge_text(nodes: list[m.Inline]) -> tuple[m.Inline, ...]:
    out: list[m.Inline] = []
    for node in nodes:
        if isinstance(node, m.Text) and out and isinstance(out[-1], m.Text):
            out[-1] = m.Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


def _trim(nodes: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    nodes = list(nodes)
    if nodes and isinstance(nodes[0], m.Text):
        nodes[0] = m.Text(nodes[0].text.lstrip())
        if not nodes[0].text:
            nodes.pop(0)
    if nodes and isinstance(nodes[-1], m.Text):
        nodes[-1] = m.Text(nodes[-1].text.rstrip())
        if not nodes[-1].text:
            nodes.pop()
    return tuple(nodes)
