"""Markdown typed nearly right, which Markdown reads otherwise than the
editor meant, so that it would print as typed.

Warnings (the words print, but not as meant), at their line: lines of a
paragraph that look like a heading or a list ('#Results' without the space,
'3. Next steps' right under a paragraph: only a list starting at 1 may
interrupt one, '• item' pasted from a word processor, '-item' without the
space after its mark), a '*' or '**' that
pairs into no emphasis ('**bold*', '** bold**').

Errors (what would print is plainly wrong): a link Markdown does not read
('[words](https://… with a space)', '[words] (https://…)'), a person
'[@id' left open, a footnote ('[^1]', which no output has), attributes at
the end of a paragraph ('… {#para-x}'), braces after a picture that cannot
be read as its attributes (single or curly quotes, 'alt = "…"')."""
from __future__ import annotations

import re

from ... import model as m
from ...errors import shortened
from .attrs import trailing_attrs
from .state import ReadState

_HEADING = re.compile(r"#{1,6}[^\W_][^#]*")  # '#Results', not '#tag #tag' nor '# Results'
_NUMBERED = re.compile(r"(?:[2-9]|[1-9]\d)[.)][ \t]+\S")  # '2. …' to '99) …' (a year ending a sentence, '2021. Then', is not)
_BULLET = re.compile(r"[•◦▪▫‣⁃●○■□][ \t]*\S")
_DASH_WORD = re.compile(r"[-+][^\W\d_]")  # '-item': a list mark without its space


def lookalikes(st: ReadState, content: str, src: m.Source) -> None:
    """Warn at the first line of the paragraph ``content`` (starting at
    ``src``'s line) that looks like a heading, and at the first that looks
    like a list item, counting the others like it."""
    found: dict[str, list[tuple[int, str]]] = {}
    for index, line in enumerate(content.split("\n")):
        text = line.strip()
        kind = ("heading" if _HEADING.fullmatch(text) else "numbered" if index and _NUMBERED.match(text)
                else "bullet" if _BULLET.match(text) else "dash" if index and _DASH_WORD.match(text) else None)
        if kind:
            found.setdefault(kind, []).append((index, text))
    for kind, lines in found.items():
        index, text = lines[0]
        shown = shortened(text, 40)
        more = f" (and {len(lines) - 1} more line{'s' if len(lines) > 2 else ''} like it)" if len(lines) > 1 else ""
        message, advice = _SAID[kind](shown, text)
        st.problems.warning(st.file, src.line + index if src.line else 0, message + more, advice)


def _heading(shown: str, text: str) -> tuple[str, str]:
    marks = len(text) - len(text.lstrip("#"))
    return (f"'{shown}' is printed as text, not as a heading",
            f"for a heading, write a space after the '#': '{(text[:marks] + ' ' + text[marks:])[:40]}'; "
            "to print a '#' at the start of the line, write '\\#'")


_SAID = {
    "heading": _heading,
    "numbered": lambda shown, text: (f"'{shown}' is printed as part of the paragraph above, not as a numbered list",
                                     "put an empty line before the list (a list right under a paragraph must start at 1)"),
    "dash": lambda shown, text: (f"'{shown}' is printed as part of the line above, not as a list item",
                                 f"write a space after the '{text[0]}': '{text[0]} {text[1:41]}'"),
    "bullet": lambda shown, text: (f"'{shown}' is printed as text: '{text[0]}' is not a list mark",
                                   "write each item of a bulleted list on its own line starting with '- ', after an empty line"),
}


_CODE_SPAN = re.compile(r"(`+).*?\1", re.S)
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
_ESCAPED_STAR = re.compile(r"\\\*")
_TYPED_STARS = re.compile(r"(?<!\\)\*+")  # a run of typed stars: one mark
_SPACED_STARS = re.compile(r"(?:(?<=\s)|^)\*+(?=\s|$)", re.M)  # '5 * 3', '* marks estimates': a star meant as a star


def stray_stars(st: ReadState, printed: str, content: str, src: m.Source) -> None:
    """Warn when ``printed`` (the paragraph's words outside code) holds more
    '*' than its ``content`` escaped: Markdown paired the others with nothing
    ('**bold*', '** bold**', 'a *word'), and they print as typed."""
    stars = printed.count("*")
    if not stars:
        return
    typed = _EXPRESSION.sub("", _CODE_SPAN.sub("", content))  # what {{ … }} prints is the data's, escaped
    # a run with a space (or the line's end) on both sides can neither open nor close emphasis:
    # the editor typed a star to print one
    spaced = sum(len(run) for run in _SPACED_STARS.findall(typed))
    typed = _SPACED_STARS.sub("", typed)
    if stars <= len(_ESCAPED_STAR.findall(typed)) + spaced or not _TYPED_STARS.search(typed):
        return
    lines = typed.split("\n")
    odd = next((i for i, line in enumerate(lines) if len(_TYPED_STARS.findall(line)) % 2), 0)
    st.problems.warning(st.file, src.line + odd if src.line else 0,
                        "a '*' here is printed as typed: it starts or ends no emphasis",
                        "write '*' (italic) or '**' (bold) on both sides of the words, with no space just inside them: "
                        "*like this*, **like this**; to print a '*', write '\\*'")


_OPEN_PERSON = re.compile(r"\[@[A-Za-z][\w-]*(?![\w\]-])(?![^\[\]\n]*\])")  # '[@anna-berg' left open, not '[@a, @b]'
# '[words] (https://…)', '[words](https://… a b)', '[words] (#sec-id)'; not '[A and B] (#1 and #2 in the vote)'
_FOOTNOTE = re.compile(r"(?<!\\)\[\^[^\[\]\s]+\]")  # '[^1]', '[^note]': a footnote's mark, or its text's ('[^1]: …')
_PICTURE_AS_TEXT = re.compile(r"!\[[^\[\]]*\][ \t]*\(([^()\n]*)\)")  # '![Map](figures/my map.svg)': a space in the file name
_LINK_AS_TEXT = re.compile(r"\[[^\[\]]*\][ \t]*\((?:https?:|mailto:|www\.)[^)]*\)?|\[[^\[\]]*\][ \t]*\(#[A-Za-z][\w:.-]*\)")


def printed_as_typed(st: ReadState, children: tuple, content: str, src: m.Source) -> None:
    """Markdown typed so that Markdown does not read it, printed as typed:
    '[words](https://… with a space)' or '[words] (https://…)' is no link
    (an error: brackets and address and all were printed), nor is a person
    '[@id' left open (an error), nor a footnote '[^1]' (an error: there
    are none); a '**' pairs with nothing (a warning, lookalikes.stray_stars)."""
    def words(nodes) -> str:
        return "".join(n.text if isinstance(n, m.Text) else words(n.children) if isinstance(n, (m.Strong, m.Emph)) else "\0"
                       for n in nodes)
    printed = words(children)
    stray_stars(st, printed, content, src)
    typed = _CODE_SPAN.sub("", content)  # what is typed outside code spans
    picture = _PICTURE_AS_TEXT.search(printed)
    if picture and re.search(r"(?<!\\)" + _PICTURE_AS_TEXT.pattern, typed):  # not an escaped '\![…](…)'
        shown, inside = shortened(picture.group(0), 80), picture.group(1).strip()
        spaced = " " in inside and not inside.startswith("<")
        st.error(src, f"'{shown}' is not read as a picture, and would be printed as typed",
                 f"write a file name with spaces between '<' and '>': ![…](<{inside}>)" if spaced
                 else "write ![caption](file) with nothing between ']' and '(', alone in its paragraph")
        return
    found = _LINK_AS_TEXT.search(printed)
    if found:
        shown = shortened(found.group(0), 80)
        st.error(src, f"'{shown}' is not read as a link, and would be printed as typed",
                 "write [words](address) with nothing between ']' and '(', and no space in the address (write %20 for one)")
    person = _OPEN_PERSON.search(printed)
    if person:
        st.error(src, f"'{person.group(0)}' is not closed by ']', and would be printed as typed instead of the person's name",
                 f"write '{person.group(0)}]'")
    note = _FOOTNOTE.search(typed)
    if note and note.group(0) in printed:
        at = m.Source(src.file, src.line + content[:content.find(note.group(0))].count("\n") if src.line else 0)
        st.error(at, f"'{note.group(0)}' would be printed as typed: footnotes are not supported",
                 "write the note's words in the sentence (in brackets), or in a paragraph of their own; to print the "
                 f"brackets, write '\\{note.group(0)}'")


def braces_at_end(st: ReadState, children: tuple, src: m.Source) -> None:
    """'{#id}' (or '{.class}', '{key=value}') at the end of a paragraph or a
    list item: only headings, figures and tables take attributes, and these
    would be printed as its last words (braces of words, '{2024}', are text)."""
    last = children[-1] if children else None
    found = trailing_attrs(last.text) if isinstance(last, m.Text) else None
    if found and _PICTURE_AS_TEXT.search(last.text):
        return  # the braces of a picture Markdown did not read: said as such (printed_as_typed)
    if found and any(token != "-" for token in found.group(1).split()):
        where = {"list": "a list item", "cell": "a table cell"}.get(st.inside[-1] if st.inside else "", "a paragraph")
        st.error(src, f"{where} takes no attributes: '{found.group(0).strip()}' would be printed as its last words",
                 "remove the braces: only headings, figures and tables take {#id}; to refer to this text, "
                 "refer to the section it stands in ([](#sec-…))")


def unread_braces(st: ReadState, braces: str, src: m.Source) -> None:
    """The {…} after a picture that cannot be read as its attributes: it was
    reported as 'an image must stand alone in its own paragraph'."""
    typed = braces.strip().split("\n")[0]
    shown = shortened(typed, 80)
    why = ("curly quotes (“ ” ‘ ’) around a value" if re.search("[“”‘’„«»]", typed)
           else "a value in single quotes" if re.search(r"=\s*'", typed)
           else "a space around '='" if re.search(r"\s=|=\s", typed)
           else "a quote that is not closed" if typed.count('"') % 2
           else "a word that is not #id, .class or key=value")
    st.error(src, f"the braces after the picture, '{shown}', cannot be read as its attributes ({why})",
             'write them as {#fig-id width="80%" alt="…"}: straight double quotes around a value, no space around \'=\', '
             'a space between attributes')
