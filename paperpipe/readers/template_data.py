"""What templates see: plain data, made for them.

Templates may read text, numbers, yes/no, nothing, lists and mappings, and
call the few functions made for them (``person``, ``problem``, ``range``,
their macros). Everything else of ours (a file's ``Path``, the metadata
object, the people file's reader, a YAML mapping that knows its lines) is
copied into plain data here before a template can reach it: a ``Path`` has
methods that read and write files anywhere, and the sandbox lets a template
call any method whose name does not start with "_".
"""
from __future__ import annotations

from pathlib import Path

PLAIN = (str, int, float, bool, type(None))


class Facts(dict):
    """paper.yaml's facts, {{ paper.title }} …: a plain mapping (it adds
    nothing to ``dict``) whose missing names are reported as facts."""


def plain(value, memo: dict | None = None):
    """A deep copy of ``value`` made of plain types only (``dict``, ``list``
    and the scalars of ``PLAIN``): YAML's line-keeping mappings and lists
    become ``dict`` and ``list``, tuples become lists, anything else becomes
    its text. Values shared by YAML aliases stay shared (the copy is as
    large as what was parsed, not as what the aliases stand for)."""
    memo = {} if memo is None else memo
    if isinstance(value, bool) or value is None:
        return value
    for kind in (str, int, float):  # a subclass (Markup, a YAML text that knows its line …): its plain value
        if isinstance(value, kind):
            return value if type(value) is kind else kind(value)
    key = id(value)
    if key in memo:
        return memo[key]
    if isinstance(value, dict):
        out: dict | list = Facts() if isinstance(value, Facts) else {}
        memo[key] = out
        for k, v in value.items():
            out[plain(k, memo) if isinstance(k, PLAIN) else str(k)] = plain(v, memo)
        return out
    if isinstance(value, (list, tuple)):
        out = []
        memo[key] = out
        out.extend(plain(v, memo) for v in value)
        return out
    return str(value)


def containers(value) -> set[int]:
    """The ids of every list and mapping inside ``value`` (each once)."""
    found: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (dict, list)) and id(item) not in found:
            found.add(id(item))
            stack.extend(item.values() if isinstance(item, dict) else item)
    return found


def meta_view(meta, root: Path) -> dict:
    """paper.yaml's metadata as templates see it (``meta.title``,
    ``meta.cover.lines``, ``meta.logos[0].file`` …): the logos' files as
    the editor wrote them, relative to the content folder, never a Path."""
    logos = []
    for logo in meta.logos:
        try:
            shown = Path(logo.file).resolve().relative_to(Path(root).resolve()).as_posix()
        except (ValueError, OSError):
            shown = Path(logo.file).name
        logos.append({"file": shown, "alt": logo.alt, "width": logo.width, "height": logo.height})
    return plain({
        "title": meta.title, "author": meta.author, "subject": meta.subject, "language": meta.language,
        "date": meta.date, "deliverable": meta.deliverable, "output_name": meta.output_name,
        "header": list(meta.header), "cover": meta.cover, "labels": meta.labels, "keywords": list(meta.keywords),
        "logos": logos,
    })


def person_view(person) -> dict:
    """A person as templates see them: id, name, role, organisation and
    affiliation ('Role, Organisation'), all text."""
    return {"id": person.id, "name": person.name, "role": person.role, "organisation": person.organisation,
            "affiliation": person.affiliation}
