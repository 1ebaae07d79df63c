"""The findings as lines an editor reads: ``PATH:LINE: KIND: details`` on
standard output, one per finding (a reply right after its comment), and a
one-line summary on standard error."""
from __future__ import annotations

import unicodedata
from collections import Counter

from ..console import plural
from .locate import Finding

MAX_QUOTE = 120  # characters of a quoted text shown


_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def visible(text: str) -> str:
    """The file's text safe to print: a control character (an ANSI escape would drive the
    terminal) or a direction override (it would reorder the line as shown) is named, not sent."""
    if text.isprintable() and not _BIDI & set(text):
        return text
    return "".join(f"<U+{ord(ch):04X}>" if ch in _BIDI or (unicodedata.category(ch) == "Cc" and ch not in "\n\t") else ch
                   for ch in text)


def quote(text: str) -> str:
    text = visible(text).replace("\n", " ¶ ").replace("\t", " ")
    text = " ".join(text.split(" ")) if text.strip() else text
    if len(text) > MAX_QUOTE:
        text = text[: MAX_QUOTE - 1] + "…"
    return f"“{text}”"


def who(finding: Finding) -> str:
    mark = finding.mark
    if not mark.author and not mark.date:
        return "no author"
    return " ".join(x for x in (mark.author or "unknown author", f"({mark.date})" if mark.date else "") if x)


def details(finding: Finding, reply: bool = False) -> str:
    mark = finding.mark
    how = f" ({mark.note})" if mark.note and mark.kind != "comment" else ""
    if mark.kind == "comment":
        text = f"reply by {who(finding)}: {quote(mark.note)}" if reply else f"{who(finding)}: {quote(mark.note)}"
        on = f" on {quote(finding.anchor)}" if finding.anchor and not finding.anchor.startswith(("after ", "before ")) else (f" {finding.anchor}" if finding.anchor else "")
        return text + ("" if reply else on)
    if mark.kind == "insertion":
        return f"{who(finding)}: inserted {quote(mark.new)} {finding.anchor}{how}".rstrip()
    where = f" {_short(finding.anchor)}" if finding.anchor.startswith("in “") else ""
    if mark.kind == "deletion":
        return f"{who(finding)}: deleted {quote(mark.old)}{where}{how}"
    return f"{who(finding)}: {quote(mark.old)} → {quote(mark.new)}{where}{how}"


def _short(anchor: str) -> str:
    return anchor if len(anchor) <= MAX_QUOTE + 5 else anchor[:MAX_QUOTE + 3] + "…”"


def where(finding: Finding, returned: str) -> str:
    if finding.place is None:
        return returned
    return f"{finding.place.file.shown}:{finding.place.line}"


def lines(findings: list[Finding], returned: str) -> list[str]:
    out = []
    for finding in findings:
        tail = "" if finding.place is not None else " — not found in the content as it is now (edit it by hand" + (f"; the nearest block is {finding.hint})" if finding.hint else ")")
        out.append(visible(f"{where(finding, returned)}: {finding.mark.kind}: {details(finding)}{tail}"))
        for reply in finding.replies:
            out.append(visible(f"{where(reply, returned)}: comment: {details(reply, reply=True)}{tail}"))
    return out


def summary(findings: list[Finding], returned: str) -> str:
    every = [f for finding in findings for f in (finding, *finding.replies)]
    kinds = Counter(f.mark.kind for f in every)
    files = Counter(f.place.file.shown for f in every if f.place is not None)
    lost = sum(1 for f in every if f.place is None)
    text = f"review of {returned}: {plural(len(every), 'finding')}"
    if every:
        text += " (" + ", ".join(plural(n, k) for k, n in sorted(kinds.items())) + ")"
    if files:
        text += " in " + ", ".join(f"{name} ({n})" for name, n in sorted(files.items()))
    if lost:
        text += f"; {lost} not found in the content"
    return text
