"""Which dictionary the paper's words are hyphenated with: pyphen's (the
hyphenation patterns LibreOffice ships) for the paper's language, when the
theme hyphenates (``typography.hyphenate``). The PDF writer hands it to
reportlab; the DOCX and the page name the language and let Word and the
browser hyphenate with their own dictionaries, in the same text styles."""
from __future__ import annotations

from dataclasses import replace

from .. import model as m
from ..theme import Theme

# A word longer than this (in characters) is not hyphenated: reportlab asks
# again for each line of a word running over many lines, and the dictionary's
# work grows with the word's length (an 11,000-character word joined by
# hyphens took 34 s of CPU). Such a word still breaks after its own hyphens.
LONGEST_HYPHENATED = 64


def dictionary(language: str) -> str:
    """pyphen's dictionary for a language tag ("en-GB" -> "en_GB", "fr" ->
    "fr", "de-AT" -> "de_AT"), or "" when it has none."""
    import pyphen  # only a paper that hyphenates needs it

    return pyphen.language_fallback(language.strip().replace("-", "_")) or "" if language.strip() else ""


def realize_hyphenation(doc: m.Document, theme: Theme) -> m.Document:
    if not theme.typography.hyphenate:
        return doc
    return replace(doc, hyphenation=dictionary(doc.meta.language))


def hyphenator(name: str):
    """The places a word may be hyphenated with the dictionary ``name``, as
    reportlab asks for them (head, tail pairs, the longest head first): at
    least two letters before the hyphen and three after (TeX's English
    minimums), and never in a word with two capitals or more (an acronym
    such as EISMEA, as Word's 'do not hyphenate caps'), nor in a word longer
    than LONGEST_HYPHENATED."""
    import pyphen

    words = pyphen.Pyphen(lang=name, left=2, right=3)

    def pairs(word: str) -> list[tuple[str, str]]:
        if len(word) > LONGEST_HYPHENATED or sum(ch.isupper() for ch in word) > 1:
            return []
        return list(words.iterate(word))

    return pairs
