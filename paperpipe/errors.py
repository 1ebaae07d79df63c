"""Problems found in content and templates, reported to editors as
``file:line: what is wrong — what to do``.

Readers and passes do not stop at the first problem: they add it to a
``Problems`` collection and go on, so that one ``--check`` run lists them all.
"""
from __future__ import annotations

import difflib
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


@dataclass
class Problems:
    """An ordered collection of problems; ``root`` makes file names relative."""

    root: Path | None = None
    items: list[Problem] = field(default_factory=list)
    _shown: dict = field(default_factory=dict, repr=False, compare=False)

    def rel(self, file: str | Path) -> str:
        """The file's name as shown to editors: relative to the content
        folder's parent ("content/sections/x.md"). Remembered per name, since
        every node of a file asks for it."""
        key = str(file)
        shown = self._shown.get(key)
        if shown is None:
            shown = self._shown[key] = self._relative(Path(file))
        return shown

    def _relative(self, path: Path) -> str:
        if self.root is not None:
            try:
                return str(path.resolve().relative_to(self.root.resolve().parent))
            except ValueError:
                pass
        return str(path)

    def error(self, file: str | Path, line: int, message: str, advice: str = "") -> None:
        self.items.append(Problem(self.rel(file), line, message, advice))

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


def nearest(word: str, choices) -> str:
    """Advice naming the closest known id, or the empty string."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return match[0] if match else ""
