"""Lines of a paragraph that look like Markdown for a heading or a list
but are not read so, and would print as text: '#Results' (no space after
the '#'), '3. Next steps' right under a paragraph (only a list starting at
1 may interrupt one), '• item' pasted from a word processor; and a '**'
or '*' that Markdown did not pair into emphasis ('**bold*', '** bold**'). Each is a
warning at its line: the words print, but not as the editor meant."""
from __future__ import annotations

import re

from ... import model as m
from .state import ReadState

_HEADING = re.compile(r"#{1,6}[^\W_][^#]*")  # '#Results', not '#tag #tag' nor '# Results'
_NUMBERED = re.compile(r"(?:[2-9]|[1-9]\d)[.)][ \t]+\S")  # '2. …' to '99) …' (a year ending a sentence, '2021. Then', is not)
_BULLET = re.compile(r"[•◦▪▫‣⁃●○■□][ \t]*\S")


def lookalikes(st: ReadState, content: str, src: m.Source) -> None:
    """Warn at the first line of the paragraph ``content`` (starting at
    ``src``'s line) that looks like a heading, and at the first that looks
    like a list item, counting the others like it."""
    found: dict[str, list[tuple[int, str]]] = {}
    for index, line in enumerate(content.split("\n")):
        text = line.strip()
        kind = ("heading" if _HEADING.fullmatch(text) else "numbered" if index and _NUMBERED.match(text)
                else "bullet" if _BULLET.match(text) else None)
        if kind:
            found.setdefault(kind, []).append((index, text))
    for kind, lines in found.items():
        index, text = lines[0]
        shown = text if len(text) <= 40 else text[:40] + "…"
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
    "bullet": lambda shown, text: (f"'{shown}' is printed as text: '{text[0]}' is not a list mark",
                                   "write each item of a bulleted list on its own line starting with '- ', after an empty line"),
}


_CODE_SPAN = re.compile(r"(`+).*?\1", re.S)
_ESCAPED_STAR = re.compile(r"\\\*")
_TYPED_STARS = re.compile(r"(?<!\\)\*+")  # a run of typed stars: one mark


def stray_stars(st: ReadState, printed: str, content: str, src: m.Source) -> None:
    """Warn when ``printed`` (the paragraph's words outside code) holds more
    '*' than its ``content`` escaped: Markdown paired the others with nothing
    ('**bold*', '** bold**', 'a *word'), and they print as typed."""
    stars = printed.count("*")
    if not stars:
        return
    typed = _CODE_SPAN.sub("", content)
    if stars <= len(_ESCAPED_STAR.findall(typed)):
        return
    lines = typed.split("\n")
    odd = next((i for i, line in enumerate(lines) if len(_TYPED_STARS.findall(line)) % 2), 0)
    st.problems.warning(st.file, src.line + odd if src.line else 0,
                        "a '*' here is printed as typed: it starts or ends no emphasis",
                        "write '*' (italic) or '**' (bold) on both sides of the words, with no space just inside them: "
                        "*like this*, **like this**; to print a '*', write '\\*'")
