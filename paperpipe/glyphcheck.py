"""Every character of the paper must be drawable by the embedded fonts and
storable in every output: the check that names each one that is not, with
the line it stands on."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from . import model as m
from .errors import Problems
from .theme import Theme
from .visit import inlines_of, plain_text, walk


def check_glyphs(doc: m.Document, theme: Theme, problems: Problems) -> None:
    """Every character must be drawable by the embedded fonts: name each one
    that is not, with the line it stands on. Invisible control characters
    (a stray BEL or ESC pasted from elsewhere) are refused too: neither
    output can hold them (XML forbids them). In YAML files the reader has
    already reported them, on the line of their key."""
    from .theme.glyphs import missing_glyphs

    paper = doc.root / "paper.yaml"
    meta = doc.meta

    def texts():
        """(file, line, text, drawn): drawn text must be in the font; all text free of control characters."""
        yield paper, 0, " ".join([meta.title, *meta.header, *meta.labels.values(), *(str(v) for v in _flatten(meta.cover))]), True
        for block in walk(doc.blocks):
            if isinstance(block, m.Sidebar):
                yield block.source.file, block.source.line, block.title, True
            for inlines in inlines_of(block):
                if inlines:
                    yield block.source.file, block.source.line, plain_text(inlines), True
            if isinstance(block, (m.Figure, m.Image)):
                yield block.source.file, block.source.line, block.description, False

    def bad(text: str, drawn: bool) -> set[str]:
        found = {ch for ch in set(text) if _is_control(ch)}
        return found | missing_glyphs(theme.fonts, text) if drawn else found

    def meta_bad(text: str, drawn: bool) -> set[str]:
        return {ch for ch in bad(text, drawn) if not _is_control(ch)}  # the YAML reader reported those

    everything = list(texts())
    if not bad("".join(t for _, _, t, drawn in everything if drawn), True) and not bad("".join(t for *_, t, _ in everything), False):
        return  # the usual case: one look-up for the whole paper instead of one per block (~35 ms a build)

    for file, line, text, drawn in everything:
        for ch in sorted((meta_bad if file == paper else bad)(text, drawn)):
            path = problems.path(file)
            if _is_control(ch):
                problems.error(path, _line_of(path, line, ch), f"an invisible control character (U+{ord(ch):04X}) is in the text",
                               "delete it: retype the words around it (it often comes with text pasted from elsewhere)")
                continue
            name = unicodedata.name(ch, "")
            problems.error(
                path, _line_of(path, line, ch),
                f"the character '{ch}' (U+{ord(ch):04X}{' ' + name if name else ''}) cannot be drawn by the font {theme.fonts.family}",
                "replace it with a character the font has, or choose a font that covers it in templates/style.yaml",
            )


def _is_control(ch: str) -> bool:
    """Characters XML (so DOCX) cannot hold and no font draws; tab and line ends are fine."""
    return (unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n\r") or ch in "\ufffe\uffff"


def _line_of(path: Path, start: int, ch: str) -> int:
    """The line that holds ``ch``: a block's source line is where the block
    starts, the character may stand further down in the same paragraph
    (``start`` 0: anywhere in the file)."""
    try:
        from .readers.markdown.state import LINE_ENDS

        lines = LINE_ENDS.split(path.read_text(encoding="utf-8"))  # as Markdown counts them: splitlines() shifted the rest
    except (OSError, UnicodeError):
        return start
    for number in range(max(start, 1), len(lines) + 1):
        text = lines[number - 1]
        if ch in text:
            return number
        if start and not text.strip() and number > start:
            break  # end of the block's paragraph: the character came from elsewhere (a template call)
    return start or 1


def _flatten(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _flatten(v)
    elif isinstance(value, list):
        for v in value:
            yield from _flatten(v)
    elif value is not None:
        yield value
