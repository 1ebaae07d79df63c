"""The people file: everyone the paper names, written once, by id.

``paper.yaml`` names it as the data ``people`` (``data: {people:
data/people.yaml}``); it maps an id to a name, a role and an organisation and
is checked by ``paperpipe/schemas/people.schema.json``::

    merete-nielsen:
      name: Merete Nielsen
      organisation: Cluster Excellence Denmark

The text names a person by id, ``[@merete-nielsen]`` (their name), or
``{{ person("merete-nielsen").role }}``; data files name them by id under
``person:``, ``speaker:``, ``moderators:`` and ``speakers:`` (see
templates/macros.md.j2). So a corrected name or role changes everywhere.
Names typed literally in the text are warned about (``literal_names``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Problems, nearest

DATA_NAME = "people"  # the data name under which paper.yaml lists the people file
REFERENCE_KEYS = ("person", "speaker")  # a data value under these keys is a person's id
REFERENCE_LISTS = ("moderators", "speakers")  # lists whose plain entries are ids


class ContentError(Exception):
    """A mistake found while a template ran, with the editors' advice."""

    def __init__(self, message: str, advice: str = ""):
        super().__init__(message)
        self.message = message
        self.advice = advice


class HeldBack(ContentError):
    """A mistake that follows from one already reported (an id looked up in
    a people file that could not be read): not reported a second time."""


@dataclass(frozen=True)
class Person:
    """A person as templates print them: Markdown-safe text (a '*' in a
    name prints as a star). ``str(person)`` is the name."""

    id: str
    name: str
    role: str = ""
    organisation: str = ""

    @property
    def affiliation(self) -> str:
        """'Role, Organisation' (either may be missing): what lists print after the name."""
        return ", ".join(x for x in (self.role, self.organisation) if x)

    def __str__(self) -> str:
        return self.name


class People:
    """The people file as a lookup for templates: ``person(ref)`` where ref
    is an id, ``{person: id, role: …}`` (a role for one occasion) or an
    inline ``{name: …, role: …}``."""

    def __init__(self, raw, file: str, escape, broken: bool = False):
        self.file = file
        self.broken = broken  # the file has a mistake, reported on its line: unknown ids follow from it
        self.escape = escape
        self.raw = raw if isinstance(raw, dict) else {}
        self.by_id: dict[str, Person] = {}
        for ident, entry in self.raw.items():
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                self.by_id[str(ident)] = self._person(str(ident), entry)

    def _person(self, ident: str, entry: dict) -> Person:
        def text(key: str) -> str:
            value = entry.get(key)
            return self.escape(value) if isinstance(value, str) else ""

        return Person(ident, text("name"), text("role"), text("organisation"))

    def unknown(self, ident: str) -> ContentError:
        if self.broken:
            return HeldBack(f"no person with the id '{ident}' (the people file has a mistake)")
        close = nearest(ident, self.by_id)
        where = f"the people file ({self.file})" if self.file else "the people file (none is named in paper.yaml under data: people)"
        return ContentError(f"no person with the id '{ident}' in {where}",
                            f"did you mean '{close}'?" if close else f"add '{ident}:' with name, role and organisation to the people file")

    def person(self, ref) -> Person:
        if isinstance(ref, str):
            if ref not in self.by_id:
                raise self.unknown(ref)
            return self.by_id[ref]
        if isinstance(ref, dict) and isinstance(ref.get("person"), str):
            base = self.person(ref["person"])
            if isinstance(ref.get("role"), str):  # a role for this occasion replaces role and organisation
                return Person(base.id, base.name, self.escape(ref["role"]), "")
            return base
        if isinstance(ref, dict) and isinstance(ref.get("name"), str):
            return self._person("", ref)
        raise ContentError(f"'{ref}' is not a person", "give a person's id from the people file, e.g. 'merete-nielsen'")


def problem(message: str = "", advice: str = ""):
    """For templates: ``{{ problem("no slot has the id 'x'", "give …") }}``
    stops the call with a mistake reported at the call's file:line (a
    message and advice left empty are said in general words)."""
    raise ContentError(str(message).strip() or "a template found a mistake in the content, but does not say which",
                       str(advice).strip() or "check the template call and the data it reads")


def check_references(people: People, data: dict, files: dict[str, Path], problems: Problems) -> None:
    """Every id a data file gives under person:, speaker:, moderators: or
    speakers: is in the people file (reported on its own line)."""

    def walk(value, path: Path, key: str | None, owner, index):
        if isinstance(value, str):
            if key in REFERENCE_KEYS or key in REFERENCE_LISTS and index is not None:
                if value not in people.by_id:
                    error = people.unknown(value)
                    line = owner.line(index if index is not None else key) if hasattr(owner, "line") else 0
                    problems.error(path, line, error.message, error.advice)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, path, str(k), value, None)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, path, key, value, i)

    if people.broken:
        return  # the people file's own mistake is reported: what follows from it is held back
    for name, value in data.items():
        if name != DATA_NAME and name in files:
            walk(value, files[name], None, None, None)


MAX_NAME_WORDS = 12  # words of a name the scan for typed-out names looks for (longer names are not looked for)
_WORD = re.compile(r"\w+")


class NameIndex:
    """The people's names, for finding them typed out in a text in one pass
    (time linear in the text, whatever the number of people): each name by
    its first word, with the lengths it may have from there."""

    def __init__(self, names: dict[str, str]):
        self.ids = names  # name -> id
        self.lengths: dict[str, set[int]] = {}  # first word -> lengths of the names that start with it
        self.tails: set[int] = {0}  # characters after a name's last word (a name ending 'Jr.')
        self.words = 1
        for name in names:
            words = _WORD.findall(name)
            if not words or not name.startswith(words[0]) or len(words) > MAX_NAME_WORDS:
                continue
            self.lengths.setdefault(words[0], set()).add(len(name))
            self.tails.add(len(name) - _WORD_END(name))
            self.words = max(self.words, len(words))

    def find(self, line: str):
        """(start, name) of each name typed in ``line``, the longest at each
        place, none overlapping, left to right."""
        ends = [m.end() for m in _WORD.finditer(line)]
        starts = [m.start() for m in _WORD.finditer(line)]
        after = 0
        for index, start in enumerate(starts):
            if start < after:
                continue
            lengths = self.lengths.get(line[start:ends[index]])
            if not lengths:
                continue
            best = 0
            for end in ends[index:index + self.words]:
                for tail in self.tails:
                    size = end - start + tail
                    if size in lengths and size > best and line[start:start + size] in self.ids \
                            and not _WORD.match(line, start + size):
                        best = size
            if best:
                yield start, line[start:start + best]
                after = start + best


def _WORD_END(name: str) -> int:  # noqa: N802 - where the last word of a name ends
    last = None
    for last in _WORD.finditer(name):
        pass
    return last.end() if last else len(name)


def literal_names(people: People, text: str, file: Path, problems: Problems, shown_file: str) -> None:
    """Warn where a name from the people file is typed in a section's text
    instead of its [@id] (a later correction would miss it). Comments
    (<!-- … -->) are not text. One pass over the text (see ``NameIndex``)."""
    if not people.by_id:
        return
    plain = {p.id: _unescape(p.name) for p in people.by_id.values() if len(_unescape(p.name)) >= 4}
    if not plain:
        return
    ids: dict[str, str] = {}
    for ident, name in plain.items():
        ids.setdefault(name, ident)
    index = NameIndex(ids)
    for number, line in enumerate(_without_comments(text).splitlines(), 1):
        for _start, name in index.find(line):
            problems.warning(file, number, f"'{name}' is typed here, but is in the people file as '{ids[name]}'",
                             f"write [@{ids[name]}] so that a correction in {shown_file} changes it here too")


def _without_comments(text: str) -> str:
    """The text with each <!-- … --> blanked (its line ends kept), in one pass."""
    out, at = [], 0
    while True:
        start = text.find("<!--", at)
        end = text.find("-->", start + 4) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append(text[at:])
            return "".join(out)
        out.append(text[at:start])
        out.append(re.sub(r"[^\n]", " ", text[start:end + 3]))
        at = end + 3


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)
