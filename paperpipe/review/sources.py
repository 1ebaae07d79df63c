"""Where the paper's words come from.

Two views of the same content, both made in memory from the files as they
are now:

- ``built_text``: the paper's text in reading order (cover, contents,
  headings, paragraphs, list items, table cells, captions, sidebars), each
  piece with the file and line of the block it belongs to. Returned files
  are aligned against it to know which block a mark falls in.
- ``ContentIndex``: every word written in the content files (Markdown and
  YAML), with its file, line and offsets. A Markdown link's address, an
  attribute block, a ``[@id]`` or a ``{{ … }}`` call are not words the
  paper prints, and neither are YAML keys and comments: they are left out,
  so that the words a reader sees are found where an editor typed them, in
  a section file, a data file, the people file or paper.yaml.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .. import model as m
from ..visit import Visitor, plain_text, walk
from .untrusted import Refused

WORD = re.compile(r"[^\W_]+")
MAX_CONTENT_FILES = 2_000
MAX_CONTENT_BYTES = 50 * 1024 * 1024


def norm(word: str) -> str:
    """A word as compared: ligatures and widths unfolded, case ignored."""
    return unicodedata.normalize("NFKC", word).casefold()


def words(text: str) -> list[tuple[str, int, int]]:
    """(normalised word, start, end) of each word in ``text``."""
    return [(norm(found.group()), found.start(), found.end()) for found in WORD.finditer(text)]


# --------------------------------------------------------------------------- the built paper
@dataclass(frozen=True)
class Piece:
    start: int  # offset in the built text
    file: str   # as errors show it
    line: int


def built_text(doc: m.Document) -> tuple[str, list[Piece]]:
    """The paper's text in reading order and where each piece of it starts."""
    parts: list[str] = []
    pieces: list[Piece] = []
    size = 0
    paper = str(doc.root / "paper.yaml")

    def add(text: str, source: m.Source | None) -> None:
        nonlocal size
        if not text:
            return
        file, line = (source.file, source.line) if source is not None and source.file != m.NOWHERE.file else (paper, 0)
        pieces.append(Piece(size, file, line))
        parts.append(text + "\n")
        size += len(text) + 1

    for value in _flatten(doc.meta.cover):
        add(str(value), None)
    for line in doc.meta.header:
        add(line, None)
    heads = {block.id: block.source for block in walk(doc.blocks) if isinstance(block, m.Heading) and block.id}
    for entry in doc.contents:
        add(entry.text or f"{entry.number} {entry.title}", heads.get(entry.id))

    class Printed(Visitor):
        """Each block's printed text, in the order the PDF prints it."""

        def blocks(self, items, source_of_list=None) -> None:
            for block in items:
                self.visit(block, getattr(block, "source", None) or source_of_list)

        def visit_heading(self, block, source) -> None:
            number = block.label.text if block.label is not None else block.number
            add(f"{number} {plain_text(block.children)}".strip(), source)

        def visit_paragraph(self, block, source) -> None:
            add(plain_text(block.children), source)

        def visit_bullet_list(self, block, source) -> None:
            for item in block.items:
                self.blocks(item, source)

        visit_ordered_list = visit_bullet_list

        def visit_table(self, block, source) -> None:  # captions first, as the PDF prints them
            if block.caption:
                add(_label(block) + plain_text(block.caption), source)
            for row in block.rows:
                for cell in row.cells:
                    self.blocks(cell.blocks, source)

        def visit_figure(self, block, source) -> None:
            add(_label(block) + plain_text(block.caption), source)
            self.blocks(block.body, source)

        def visit_image(self, block, source) -> None:
            pass  # a picture prints no text

        def visit_sidebar(self, block, source) -> None:
            add(block.title, source)
            self.blocks(block.blocks, source)

        def visit_quote(self, block, source) -> None:
            self.visit_sidebar(block, source)
            add(plain_text(block.attribution), source)

        def visit_admonition(self, block, source) -> None:
            add(block.label or block.title, source)  # "Note", "Warning: …" (the realize stage's)
            self.blocks(block.blocks, source)

    Printed().blocks(doc.blocks)
    for entry in (*doc.figures, *doc.tables):
        add(entry.text or entry.title, None)
    return "".join(parts), pieces


def _label(block) -> str:
    label = getattr(block, "label", None)
    return label.text if label is not None and hasattr(label, "text") else ""


def _flatten(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, list):
        for item in value:
            yield from _flatten(item)
    elif isinstance(value, str):
        yield value


# --------------------------------------------------------------------------- the content files
_MD_HIDDEN = re.compile(
    r"\]\([^)\n]*\)"             # a link's address: [text](address)
    r"|\{[#.][^}\n]*\}"          # an attribute block {#id .class}
    r"|\[@[A-Za-z][\w-]*\]"      # a person named by id: their name is in the people file
    r"|\{\{.*?\}\}|\{%.*?%\}"    # a template call or fact: its words are elsewhere
    r"|<!--.*?-->"               # a comment
    r"|^[ \t]*:::+[ \t]*[\w-]*"     # a box's fence and its kind (its title is text)
    r"|^[ \t]*```+[^\n]*",             # a code fence and its kind
    re.S | re.M)
_YAML_KEY = re.compile(r"^([ \t]*(?:-[ \t]+)*)([\w.-][\w .-]*?:)(?=[ \t\n]|$)", re.M)
_FILE_NAME = re.compile(r"[^\s\"'\[\](){}]+\.(?:md|ya?ml|svg|png|jpe?g|json)\b")  # a path: no printed words
_YAML_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#[^\n]*", re.M)


def _hide(text: str, pattern: re.Pattern, group: int = 0) -> str:
    def blank(found: re.Match) -> str:
        whole = found.group(0)
        if group:
            begin, end = found.start(group) - found.start(0), found.end(group) - found.start(0)
            return whole[:begin] + re.sub(r"[^\n]", " ", whole[begin:end]) + whole[end:]
        return re.sub(r"[^\n]", " ", whole)

    return pattern.sub(blank, text)


@dataclass(eq=False)
class ContentFile:
    path: Path
    shown: str
    text: str
    words: list[tuple[str, int, int]]
    starts: list[int]  # offset of each line

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


class ContentIndex:
    """Every printed word of the content files, to find text where it was typed."""

    def __init__(self, root: Path, shown):
        self.files: list[ContentFile] = []
        self.postings: dict[str, list[tuple[int, int]]] = {}  # word -> [(file index, word index)]
        total = 0
        found = sorted(p for p in root.rglob("*") if p.suffix in (".md", ".yaml", ".yml") and p.is_file() and p.name != "README.md")
        if len(found) > MAX_CONTENT_FILES:
            raise Refused(f"the content folder holds more than {MAX_CONTENT_FILES} text files; give the paper's own folder with --content")
        for path in found:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeError):
                continue  # the build reports it
            total += len(text)
            if total > MAX_CONTENT_BYTES:
                raise Refused(f"the content files hold more than {MAX_CONTENT_BYTES // (1024 * 1024)} MB of text; give the paper's own folder with --content")
            self.add(path, shown(path), text)

    def add(self, path: Path, shown: str, text: str) -> None:
        masked = self.mask(path, text)
        found = words(masked)
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        index = len(self.files)
        self.files.append(ContentFile(path, shown, text, found, starts))
        for position, (word, _, _) in enumerate(found):
            self.postings.setdefault(word, []).append((index, position))

    @staticmethod
    def mask(path: Path, text: str) -> str:
        if path.suffix == ".md":
            masked = _hide(text, _MD_HIDDEN)
            # a ```table fence holds YAML: its keys are not text either
            return _hide(masked, _YAML_KEY, 2) if "```" in text else masked
        return _hide(_hide(_hide(text, _YAML_COMMENT), _YAML_KEY, 2), _FILE_NAME)
