"""A file name typed with other capitals than the file on disk has
('figures/Map.svg' for 'figures/map.svg'): not found on Linux, found on a
Mac or Windows, so a paper that builds on one computer fails on another.
The name as the folder spells it is looked up, for the error to show it."""
from __future__ import annotations

import os
from pathlib import Path, PurePath

MAX_LISTED = 10_000  # names of one folder looked at (a folder of more is not searched further)


def spelt_on_disk(root: Path, relative: str) -> str | None:
    """``relative`` as the folders under ``root`` spell it, when that differs
    from the typed name only in capitals; None when it is spelt alike, or
    when a part of it is not there at all (then it is simply missing)."""
    parts = PurePath(relative).parts
    if any(part in ("..", "") for part in parts) or PurePath(relative).is_absolute():
        return None
    folder, spelt = root, []
    for part in (p for p in parts if p != "."):
        found = _entry(folder, part)
        if found is None:
            return None
        spelt.append(found)
        folder = folder / found
    typed = [p for p in parts if p != "."]
    return "/".join(spelt) if spelt != typed else None


def _entry(folder: Path, name: str) -> str | None:
    """The entry of ``folder`` named ``name``, or else named so but for
    capitals (the first such), or None."""
    folded, close = name.casefold(), None
    try:
        with os.scandir(folder) as entries:
            for count, entry in enumerate(entries):
                if count >= MAX_LISTED:
                    break
                if entry.name == name:
                    return name
                if close is None and entry.name.casefold() == folded:
                    close = entry.name
    except OSError:
        return None
    return close
