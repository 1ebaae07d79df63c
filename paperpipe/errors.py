"""Problems found in content and templates, reported to editors as
``file:line: what is wrong — what to do``.

Readers and passes do not stop at the first problem: they add it to a
``Problems`` collection and go on, so that one ``--check`` run lists them all.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    advice: str = ""
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.message}"
        if self.advice:
            text += f" — {self.advice}"
        if self.severity == "warning":
            text = "warning: " + text
        return text


def _cwd() -> Path:
    try:
        return Path.cwd()
    except OSError:  # the folder the command ran in was deleted meanwhile
        return Path("/")


@dataclass(frozen=True)
class FailedCall:
    """A template call that made nothing (its error is reported): the ids it
    may have made (a table's ``id:`` in the data it reads), so that a
    cross-reference to one of them is not a second message for one mistake."""

    file: str
    line: int
    ids: frozenset[str]
    every: bool = False  # a whole file that could not be read (its error is reported): it may have made any id


@dataclass
class Problems:
    """An ordered collection of problems. Files are shown as the editor can
    use them from the folder the command ran in (``base``): relative to it
    when they are below it ("content/sections/x.md", or "sections/x.md" when
    run inside content/), else absolute (a ``--content`` or ``--templates``
    elsewhere). ``root`` is the content folder."""

    root: Path | None = None
    items: list[Problem] = field(default_factory=list)
    _shown: dict = field(default_factory=dict, repr=False, compare=False)
    base: Path = field(default_factory=_cwd, compare=False)
    failed_calls: list[FailedCall] = field(default_factory=list, compare=False)
    _said: set = field(default_factory=set, repr=False, compare=False)

    def rel(self, file: str | Path) -> str:
        """The file's name as shown to editors (a name already shown stays
        as it is). Remembered per name, since every node of a file asks."""
        key = str(file)
        shown = self._shown.get(key)
        if shown is None:
            shown = self._shown[key] = self._relative(Path(file))
        return shown

    def _relative(self, path: Path) -> str:
        # abspath, not resolve: a folder reached through a link stays as typed
        full = Path(os.path.abspath(self.base / path))
        try:
            return str(full.relative_to(os.path.abspath(self.base)))
        except ValueError:
            return str(full)

    def path(self, shown: str | Path) -> Path:
        """A file as ``rel`` shows it, back as a path to open."""
        return self.base / shown

    def call_failed(self, file: str | Path, line: int, ids) -> None:
        """Record a template call that made nothing; its error is already reported."""
        self.failed_calls.append(FailedCall(self.rel(file), line, frozenset(ids)))

    def failed_call_for(self, ident: str) -> FailedCall | None:
        """The failed template call that may have made ``ident``, if any."""
        return next((call for call in self.failed_calls if call.every or ident in call.ids), None)

    def unread(self, file: str | Path) -> None:
        """Record a section file that could not be read (its error is reported): a
        cross-reference to an id it may hold is not a second message for one mistake."""
        self.failed_calls.append(FailedCall(self.rel(file), 0, frozenset(), every=True))

    def error(self, file: str | Path, line: int, message: str, advice: str = "") -> None:
        problem = Problem(self.rel(file), line, message, advice)
        if problem not in self._said:  # the same mistake found again (a template call expanded twice): said once
            self._said.add(problem)
            self.items.append(problem)

    def warning(self, file: str | Path, line: int, message: str, advice: str = "") -> None:
        self.items.append(Problem(self.rel(file), line, message, advice, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def __bool__(self) -> bool:
        return bool(self.errors)


class BuildError(Exception):
    """Raised when content has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def shortened(text: str, size: int = 60) -> str:
    """A text as a message quotes it: cut after ``size`` characters."""
    return text if len(text) <= size else text[:size] + "…"


def nearest(word: str, choices) -> str:
    """Advice naming the closest known id, or the empty string."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return match[0] if match else ""
