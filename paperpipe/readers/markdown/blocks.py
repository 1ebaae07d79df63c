"""Block-level Markdown: headings, paragraphs, lists, tables, boxes,
quotations and whole-paragraph template calls, in the order they stand, one
small named rule per case (``BLOCK_RULES``, tried in order for a token's
type; a guard comes before the rule it guards)."""
from __future__ import annotations

import re

from markdown_it.tree import SyntaxTreeNode

from ... import model as m
from ...errors import nearest, shortened
from ...visit import plain_text
from .attrs import only_attrs, split_trailing_attrs, trailing_attrs
from .figures import figure_box as read_figure_box, image_figure
from .inlines import _trim, plain, read_inlines
from .lookalikes import braces_at_end, lookalikes, printed_as_typed, unread_braces
from .limits import MAX_HEADING, MAX_ITEMS
from .ruler import Rule, Ruler
from .state import BlockWalk, ReadState
from .syntax import _ATTRIBUTION, _COMMENT, _MD, _TEMPLATE_CALL, _WHERE, ADMONITIONS
from .tables import _DELIMITER, caption_text, captioned, cells_of, fence as read_fence, pipe_table as read_pipe_table

BOXES = ("container_sidebar", "container_figure", "container_admonition")  # the ::: boxes (container_other: any other ::: line)


# ---------------------------------------------------------------------- the rules
# Each takes (state, node, src, walk): it appends what the node makes to
# ``walk.out`` and returns True, or returns False to leave the node to the
# next rule for its type.

def heading_in_box(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    """A heading inside a list or a box is reported, then read as a heading."""
    if st.inside:
        st.error(src, f"a heading cannot stand inside {_WHERE[st.inside[-1]]}",
                 "end the list or box before the heading (an empty line, or ':::' for a box)")
    return False


def dashes_under_text(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    """Text with a line of '---' right under it is a heading for Markdown
    (a 'setext' heading): meant as a separator, it turned the paragraph
    above it into a heading of the contents, silently."""
    if node.markup != "-":
        return False
    text = node.children[0].content.strip().split("\n")[-1] if node.children else ""
    shown = shortened(text, 40)
    dashes = m.Source(src.file, src.line + node.map[1] - node.map[0] - 1) if node.map and src.line else src
    # a warning: 'Results' underlined with dashes is Markdown's other way to write a heading (pandoc writes it)
    st.problems.warning(st.file, dashes.line, f"the line of '---' right under '{shown}' makes that text a heading",
                        f"if it is meant as a heading, write '## {shown}' (to give it an id); to keep it text, put an empty line "
                        "before the '---' (a separator line is not printed: sections start on their own)")
    return False


def heading(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    walk.out.append(_heading(st, node, src))
    return True


def caption_then_table(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    """``Table: Caption`` just above a pipe table: both are the table."""
    caption = caption_text(node)
    following = walk.following()
    if caption is None or following is None or following.type != "table":
        return False
    walk.out.append(read_pipe_table(st, following, caption, src))
    walk.take_following()
    return True


def table_then_caption(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    """``Table: Caption`` just under a table that has none."""
    caption = caption_text(node)
    out = walk.out
    if caption is None or not out or not isinstance(out[-1], m.Table) or out[-1].caption:
        return False
    out[-1] = captioned(st, out[-1], caption, src)
    return True


def lonely_caption(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    """A ``Table: Caption`` line with no pipe table right under or above it
    (or under one that has its caption): it was printed as a paragraph."""
    caption = caption_text(node)
    if caption is None:
        return False
    out = walk.out
    if out and isinstance(out[-1], m.Table) and out[-1].caption:
        st.error(src, "the table above already has a caption, and this one would be printed as a paragraph",
                 "keep one of the two captions")
    else:
        st.error(src, "the caption 'Table: …' has no table right under or above it, and would be printed as a paragraph",
                 "put it on the line right under the table's last row or after one empty line (or right above the table); "
                 "a ```table block takes its caption inside it, as 'caption: …'")
    return True


# "Table 1: …", "table: …", "Table:Votes", "Caption: …" (the right form, "Table: Votes", is read before);
# not "Table 3.2 shows …" (its number's dot is followed by a digit)
_NEAR_CAPTION = re.compile(r"\s*(?:table[ \t]*(?:\d+(?:\.\d+)*)?[ \t]*[:.](?!\d)|caption[ \t]*:)", re.I)


def near_caption(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    """A caption line typed nearly as it should ('Table 1: Votes', 'table:
    Votes', 'Caption: Votes'): it was printed as a paragraph, and the table
    had no caption."""
    content = node.children[0].content if node.children else ""
    found = _NEAR_CAPTION.match(content)
    if not found:
        return False
    rest = content[found.end():].strip().split("\n")[0]
    st.error(src, f"'{found.group(0).strip()}' is not read as a table's caption, and the line would be printed as a paragraph",
             f"write it as 'Table: {rest[:40] or '…'}' (capital T, a space after the ':', no number: tables are numbered by themselves), "
             "on a line of its own right under or above the table")
    return True


def broken_table(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    """A table whose '|---|' line has not one '---' per cell of the header:
    markdown-it reads it all as a paragraph, '|' and '---' printed."""
    lines = node.children[0].content.split("\n") if node.children else []
    if len(lines) < 2 or "|" not in lines[0] or "|" not in lines[1] or not _DELIMITER.fullmatch(lines[1].strip()):
        return False
    header, under = (len(cells_of(line)) for line in lines[:2])
    st.error(src, f"the table's header has {header} cell{'s' if header != 1 else ''} but the line under it has {under}, "
                  "and the table would be printed as a paragraph of '|' and '---'",
             f"write the line under the header with one '---' per column: '|{'---|' * header}'")
    return True


def paragraph(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    walk.out.extend(_paragraph(st, node, src))
    return True


def too_many_items(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    return st.too_many(src, len(node.children), MAX_ITEMS, "items", "split it into several lists")


def bullet_list(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    walk.out.append(m.BulletList(_items(st, node), src))
    return True


def list_from_zero(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    """A list numbered from 0: the outputs number from 1 at least (it was printed 1, 2 …)."""
    if int(node.attrs.get("start", 1)) != 0:
        return False
    st.error(src, "a numbered list cannot start at 0", "start it at 1, or at any number above 0")
    return True


def ordered_list(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    start = int(node.attrs.get("start", 1))
    walk.out.append(m.OrderedList(_items(st, node), start, src))
    return True


def pipe_table(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    walk.out.append(read_pipe_table(st, node, None, src))
    return True


def stray_closing(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    """A ``:::`` line that closes no box."""
    if node.info.strip():
        return False
    if not st.box_error:  # else the end of the box reported just before
        st.error(src, f"a '{node.markup}' line that closes no box", "remove it, or start the box with '::: sidebar Title' or '::: figure Caption'")
    return True


def unclosed_box(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    if st.closed(node):
        return False
    st.error(src, f"the box '{node.markup} {node.info.strip()}' is not closed", f"end it with a line '{node.markup}' after its last paragraph")
    return True


def box_in_box(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    outer = next((k for k in reversed(st.inside) if k in ("sidebar", "figure", "cell")), None)
    if outer is None:
        return False
    st.box_error = True
    st.error(src, f"a {node.info.strip().split()[0]} box cannot stand inside {_WHERE[outer]}",
             "close the outer box (':::') before this one, or write the text without the inner box")
    return True


def sidebar(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    title = _box_title(st, node.info.strip()[len("sidebar"):].strip(), "sidebar", src)
    walk.out.append(m.Sidebar(_box_body(st, node, src, "sidebar", title), title, "sidebar", src))
    return True


def _box_body(st: ReadState, node, src: m.Source, kind: str, title) -> tuple[m.Block, ...]:
    """A box's blocks; one with neither a title nor a word in it is an error (an empty tinted box was printed)."""
    if title:
        return st.nested("sidebar", node.children, src)
    return st.filled("sidebar", node.children, src, f"the {kind} box holds nothing: an empty box would be printed",
                     f"write its text between the '::: {kind}' line and ':::', or delete the box")


def figure_box(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    walk.out.append(read_figure_box(st, node, src))
    return True


def admonition(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    """``::: note [title]`` / ``::: warning [title]``: an aside the theme labels."""
    word, _, title = node.info.strip().partition(" ")
    title = _box_title(st, title.strip(), word, src)
    walk.out.append(m.Admonition(_box_body(st, node, src, word, title), title, word, src))
    return True


def unknown_box(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    word = node.info.strip().split()[0]
    close = nearest(word, ("sidebar", "figure", *ADMONITIONS))
    st.error(src, f"'{node.markup} {word}' is not a kind of box",
             f"did you mean '{node.markup} {close}'?" if close else "write '::: sidebar Title' or '::: figure Caption'")
    return True


def fence(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    """A ```` ```table ```` block; any other code block is an error."""
    block = read_fence(st, node, src)
    if block is not None:
        walk.out.append(block)
    return True


def comment(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    """``<!-- a note for editors -->`` on lines of its own: never printed."""
    return bool(_COMMENT.fullmatch(node.content))


def comment_and_text(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    """A comment left open, or with words after it on its last line: markdown-it
    hides everything up to the end of that line (or of the file)."""
    if not node.content.lstrip().startswith("<!--"):
        return False
    if "-->" not in node.content:
        st.error(src, "the comment '<!--' is not closed by '-->': the text after it would not be printed",
                 "end the comment with '-->'")
    else:
        st.error(src, "the words after '-->' on the comment's line would not be printed",
                 "put them on the next line, or the comment on lines of its own")
    return True


def raw_html(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    st.error(src, "raw HTML is not supported", "write it in Markdown (lists, tables, **bold**) or remove it")
    return True


def rule_line(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    st.problems.warning(st.file, src.line, "a horizontal rule (---) is not printed", "remove it; sections start on their own")
    return True


def link_definition(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    """``[1]: https://…`` is never printed (markdown-it keeps it for ``[text][1]``)."""
    st.error(src, f"the link definition '[{node.meta.get('label', '')}]: {node.meta.get('url', '')}' is not printed",
             "write a list of sources as a list ('- [Title](https://…)'), and each link with its address: [text](https://…)")
    return True


def quote(st: ReadState, node, src: m.Source, walk: BlockWalk) -> bool:
    walk.out.append(_quote(st, node, src))
    return True


BLOCK_RULES = Ruler("block", [
    Rule("heading_in_box", ("heading",), heading_in_box),
    Rule("dashes_under_text", ("heading",), dashes_under_text),
    Rule("heading", ("heading",), heading),
    # a caption between two tables is the one above's, unless it has one (as the generated and written papers mean it)
    Rule("table_then_caption", ("paragraph",), table_then_caption),
    Rule("caption_then_table", ("paragraph",), caption_then_table),
    Rule("lonely_caption", ("paragraph",), lonely_caption),
    Rule("near_caption", ("paragraph",), near_caption),
    Rule("broken_table", ("paragraph",), broken_table),
    Rule("paragraph", ("paragraph",), paragraph),
    Rule("too_many_items", ("bullet_list", "ordered_list"), too_many_items),
    Rule("bullet_list", ("bullet_list",), bullet_list),
    Rule("list_from_zero", ("ordered_list",), list_from_zero),
    Rule("ordered_list", ("ordered_list",), ordered_list),
    Rule("pipe_table", ("table",), pipe_table),
    Rule("stray_closing", ("container_other",), stray_closing),
    Rule("unclosed_box", (*BOXES, "container_other"), unclosed_box),
    Rule("box_in_box", BOXES, box_in_box),
    Rule("sidebar", ("container_sidebar",), sidebar),
    Rule("figure_box", ("container_figure",), figure_box),
    Rule("admonition", ("container_admonition",), admonition),
    Rule("unknown_box", ("container_other",), unknown_box),
    Rule("fence", ("fence", "code_block"), fence),
    Rule("comment", ("html_block",), comment),
    Rule("comment_and_text", ("html_block",), comment_and_text),
    Rule("raw_html", ("html_block",), raw_html),
    Rule("rule_line", ("hr",), rule_line),
    Rule("link_definition", ("definition",), link_definition),
    Rule("quote", ("blockquote",), quote),
])


# ---------------------------------------------------------------------- what the rules read
def _box_title(st: ReadState, text: str, kind: str, src: m.Source) -> str:
    """The title after '::: sidebar', '::: note' or '::: warning'. Braces of
    attributes after it ('{#box-speakers}') are an error: a box has no id or
    number to refer to, and the braces would print as part of its title
    (braces holding words, '{in euros}', are the title's own)."""
    found = trailing_attrs(text)
    if found:
        st.error(src, f"a {kind} box takes no attributes: '{found.group(0).strip()}' would be printed in its title",
                 "remove the braces; to point readers to the box, refer to the section it stands in ([](#sec-…)), "
                 "or make it a '::: figure Caption {#fig-…}' if it should have a number")
        text = text[:found.start()]
    typed = _MARKUP_IN_TITLE.get(next((t.type for t in _MD.parseInline(text)[0].children if t.type in _MARKUP_IN_TITLE), ""))
    if typed and "{{" not in text:
        st.error(src, f"the {kind} box's title is plain text: its {typed} would be printed as typed",
                 "write the title without Markdown; put emphasis, code or a link in the box's text")
    return plain(st, text, src)


_MARKUP_IN_TITLE = {"strong_open": "'**'", "em_open": "'*'", "code_inline": "backticks", "link_open": "link"}


def _items(st: ReadState, node: SyntaxTreeNode) -> tuple[tuple[m.Block, ...], ...]:
    return tuple(st.nested("list", item.children, st.src(item)) for item in node.children)


def _quote(st: ReadState, node: SyntaxTreeNode, src: m.Source) -> m.Quote:
    """``> text`` lines; a last paragraph starting with a dash ("— ", "-- ",
    "―", "–") names who said it: only the mark goes. So does the last line
    of the last paragraph when it starts so, the '>' line before it left out
    ('> quote' then '> — Name': the name was printed as the quotation's
    last words)."""
    split = _attribution_line(node)
    if split is None:
        blocks = list(st.blocks(node.children))
    else:
        last = node.children[-1]
        where, kids = st.src(last), last.children[0].children
        blocks = [*st.blocks(node.children[:-1]), st.long_paragraph(m.Paragraph(_trim(read_inlines(st, kids[:split], where)), where))]
        said = m.Source(where.file, where.line + last.children[0].content.count("\n") if where.line else 0)
        blocks.append(m.Paragraph(_trim(read_inlines(st, kids[split + 1:], said)), said))
    attribution: tuple[m.Inline, ...] = ()
    last = blocks[-1] if blocks else None
    mark = _ATTRIBUTION.match(last.children[0].text) if isinstance(last, m.Paragraph) and last.children \
        and isinstance(last.children[0], m.Text) else None
    if mark:
        attribution = _trim((m.Text(last.children[0].text[mark.end():]), *last.children[1:]))
        blocks.pop()
        if not plain_text(attribution).strip():
            st.error(last.source, f"the line '{mark.group(0).strip()}' names nobody",
                     "write who said it after the dash, e.g. '> — Name, Role', or remove the line")
    if not blocks:
        st.error(src, "the quotation has no text", "write the quoted words on '> ' lines above the '> — Name' line")
    elif not attribution and len(blocks) > 1 and _one_item_list(blocks[-1]):
        # '> - Name, Role': a hyphen starts a list, where an em dash names who said it
        st.problems.warning(st.file, blocks[-1].source.line, "the quotation ends with a list of one item, printed as a list in the quotation",
                            "if it names who said it, write '> — Name, Role' (an em dash, or '--') instead of '> - Name, Role'")
    if any(isinstance(b, (m.Heading, m.Figure, m.Table, m.Sidebar)) for b in blocks):
        st.error(src, "a quotation holds only paragraphs and lists", "end the quotation (a line without '>') before the heading, table, figure or box")
    return m.Quote(tuple(blocks), "", "quote", src, attribution)


def _one_item_list(block: m.Block) -> bool:
    return isinstance(block, m.BulletList) and len(block.items) == 1 and len(block.items[0]) == 1 \
        and isinstance(block.items[0][0], m.Paragraph)


def _attribution_line(node: SyntaxTreeNode) -> int | None:
    """Where the last line of a quotation's last paragraph starts (the index
    of the line break before it among the paragraph's inline nodes) when
    that line starts with an attribution's dash; else None."""
    last = node.children[-1] if node.children else None
    if last is None or last.type != "paragraph" or not last.children:
        return None
    kids = last.children[0].children
    breaks = [i for i, kid in enumerate(kids) if kid.type in ("softbreak", "hardbreak")]
    if not breaks or breaks[-1] + 1 >= len(kids):
        return None
    after = kids[breaks[-1] + 1]
    # the quoted words end before it ('… money.'); a line after one that ends mid-sentence goes on with
    # the quotation ('> skills, not only money' / '> – and they need them now.')
    start = breaks[-2] + 1 if len(breaks) > 1 else 0
    before = "".join(kid.content for kid in kids[start:breaks[-1]] if kid.type in ("text", "code_inline")).rstrip()
    if not before.endswith(_SENTENCE_END):
        return None
    return breaks[-1] if after.type == "text" and _ATTRIBUTION.match(after.content) else None


_SENTENCE_END = tuple(".!?…\"”’»)")


def _heading(st: ReadState, node: SyntaxTreeNode, src: m.Source) -> m.Heading:
    level = int(node.tag[1])
    inline = node.children[0]
    children = list(read_inlines(st, inline.children, src))
    attrs: dict[str, str] = {}
    if children and isinstance(children[-1], m.Text):
        text, attrs = split_trailing_attrs(children[-1].text)
        children[-1] = m.Text(text)
        if not text:
            children.pop()
        st.unknown_attrs(attrs, ("id", "class", "unnumbered"), "a heading", src)
    if level > 3:
        st.error(src, f"heading level {level} ('{'#' * level}') is too deep", "use #, ## or ### (three levels)")
        level = 3
    text = plain_text(_trim(tuple(children))).strip()
    if not text:
        st.error(src, "the heading has no text", "write its title after the #, or delete the line")
    elif len(text) > MAX_HEADING:
        st.error(src, f"the heading is {len(text):,} characters long, more than the {MAX_HEADING} a line of the contents can hold",
                 "shorten it, and put the rest in a paragraph under it")
    ident = st.ident(attrs.get("id"), src)
    return m.Heading(level, _trim(tuple(children)), ident, "", "unnumbered" not in attrs, src)


def _paragraph(st: ReadState, node: SyntaxTreeNode, src: m.Source) -> list[m.Block]:
    """A paragraph; one that is only a template call is the blocks the call
    writes, one that is only a picture (and its attributes) is a figure."""
    inline = node.children[0]
    content = inline.content
    if _TEMPLATE_CALL.match(content):
        return list(_template_call(st, content, src))
    kids = [k for k in inline.children if not (k.type == "text" and not k.content.strip())]
    if kids and kids[0].type == "image" and "cell" in st.inside:
        st.error(src, "a figure cannot stand inside a table cell",
                 "put the figure before or after the table, and refer to it in the cell with [](#fig-id)")
        return []
    if kids and kids[0].type == "image":
        if len(kids) == 1:
            return [image_figure(st, kids[0], None, src)]
        attrs = only_attrs(kids[1].content) if len(kids) == 2 and kids[1].type == "text" else None
        if attrs is not None:
            return [image_figure(st, kids[0], attrs, src)]
        # as typed (the text token has its quotes set): from the first '{' after the picture's '](…'
        braces = content[content.find("{", content.find("](")):] if kids[1].type == "text" and kids[1].content.lstrip().startswith("{") else ""
        if "#" in braces or "=" in braces:  # meant as attributes ('{wq1}' is words: the picture must stand alone)
            unread_braces(st, braces, src)
            return []
    children = _trim(read_inlines(st, inline.children, src))
    braces_at_end(st, children, m.Source(src.file, src.line + content.count("\n") if src.line else 0))
    printed_as_typed(st, children, content, src)
    lookalikes(st, content, src)
    return [st.long_paragraph(m.Paragraph(children, src))]


def _template_call(st: ReadState, content: str, src: m.Source) -> tuple[m.Block, ...]:
    """``{{ macro(…) }}`` alone in a paragraph: the blocks it writes, each
    pointing at the call's line."""
    if st.expand is None or st.depth > 3:
        st.error(src, "template calls ({{ … }}) cannot be used here", "move the call into a section file")
        return ()
    text = st.expand(content.strip(), src)
    if text is None:
        return ()
    return st.sub(src.line - 1, st.depth + 1).read(text)
