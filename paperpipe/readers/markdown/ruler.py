"""An ordered table of small named rules, as markdown-it's own Ruler.

Each rule names the token types it reads (markdown-it's ``heading``,
``paragraph``, ``link`` …) and is a function that either takes the token and
returns True, or declines with False so that the next rule for that type is
tried: a guard ("a heading cannot stand inside a list") is a rule of its own,
placed before the rule that reads the token. A token type that no rule names,
or that every rule declines, raises ``UnknownToken``: nothing markdown-it
makes is dropped without a rule that says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class Rule:
    name: str                 # what it reads, for the table and its tests
    types: tuple[str, ...]    # the markdown-it token types it is tried on
    run: Callable[..., bool]  # True: the token is read; False: the next rule is tried


class UnknownToken(LookupError):
    """A token type that no rule reads (markdown-it made something the reader
    was not taught)."""

    def __init__(self, kind: str, ruler: str):
        super().__init__(f"no {ruler} rule reads the Markdown token '{kind}'")
        self.kind = kind


class Ruler:
    """Rules in order; ``apply`` runs the rules of a token's type until one
    takes it."""

    def __init__(self, name: str, rules: Iterable[Rule]):
        self.name = name
        self.rules = tuple(rules)
        names = [rule.name for rule in self.rules]
        if len(set(names)) != len(names):
            raise ValueError(f"the {name} rules repeat a name: {names}")
        self._by_type: dict[str, list[Rule]] = {}
        for rule in self.rules:
            for kind in rule.types:
                self._by_type.setdefault(kind, []).append(rule)

    @property
    def types(self) -> frozenset[str]:
        return frozenset(self._by_type)

    def names(self, kind: str | None = None) -> list[str]:
        """The rules' names in order (those tried on ``kind``, if given)."""
        return [rule.name for rule in (self._by_type.get(kind, ()) if kind else self.rules)]

    def apply(self, kind: str, *args) -> str:
        """Run the rules for ``kind`` on ``args`` until one takes it; its name."""
        for rule in self._by_type.get(kind, ()):
            if rule.run(*args):
                return rule.name
        raise UnknownToken(kind, self.name)
