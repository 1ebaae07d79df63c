"""``review --apply``: the tracked changes (and a PDF's insert, delete and
replace marks) written into the content files, where the changed words
stand literally in a Markdown or YAML file.

Every change is first placed; a change that cannot be placed exactly (its
words are not in the content as one stretch, a template or formatting
stands between them, another change overlaps it, or the YAML would no
longer read) is listed with why and where to edit by hand. Files are
written all at once (``atomic.write_atomic``) and only when every change
was placed, or with ``--force``; ``--dry-run`` shows the diff and writes
nothing. Comments are never applied.
"""
from __future__ import annotations

import difflib
import sys

from ..atomic import OutputError, write_atomic
from ..console import plural
from ..errors import Problems
from ..readers.templates import escape_markdown
from ..readers.yamlfile import parse_yaml
from .locate import Finding, Locator
from .report import quote, visible


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def place(finding: Finding, locator: Locator) -> tuple[int, int, str] | str:
    """(start, end, new text) in the content file, or why the change cannot be placed."""
    where, mark = finding.place, finding.mark
    if where is None:
        return "its words are not in the content as it is now"
    text, theirs, file = locator.reviewed.text, locator.alignment.theirs, where.file
    found = file.words
    first, last = where.core
    if mark.kind == "deletion" and not mark.old.strip() and 0 < where.first < len(found) and where.before and where.after:
        # a deleted paragraph mark or line end: the two paragraphs become one
        lead, tail = text[theirs[first - 1][2]:mark.start], text[mark.end:theirs[first][1]]
        start, end = found[where.first - 1][2] + len(lead), found[where.first][1] - len(tail)
        if (file.text[start - len(lead):start] == lead and file.text[end:end + len(tail)] == tail
                and start <= end and file.text[start:end].strip() == ""):
            return start, end, " "
        return "the text between the two paragraphs is not only blank lines in the file"
    if mark.kind in ("deletion", "replacement"):
        if where.first >= where.end or last <= first:
            return "it changes no whole word (only spaces or punctuation)"
        start = found[where.first][1] - (theirs[first][1] - mark.start)
        if 0 <= start and file.text[start:start + len(mark.old)] == mark.old:
            return start, start + len(mark.old), mark.new  # written as one stretch, as the file had it
        if not where.exact:
            return "only some of its words were found together in the file"
        ts, te = theirs[first][1], theirs[last - 1][2]
        start = found[where.first][1] - (ts - mark.start)
        end = found[where.end - 1][2] + (mark.end - te)
        if 0 <= start <= end <= len(file.text) and _same(file.text[start:end], mark.old):
            return start, end, mark.new
        return "the words are not written as one stretch in the file (formatting, a template or a line of data stands between them)"
    # an insertion: beside the word before it, else the word after it
    if where.before and first > 0 and where.first > 0:
        gap = text[theirs[first - 1][2]:mark.start]
        at = found[where.first - 1][2]
        if file.text[at:at + len(gap)] == gap:
            return at + len(gap), at + len(gap), mark.new
    if where.after and first < len(theirs) and where.first < len(found):
        gap = text[mark.start:theirs[first][1]]
        at = found[where.first][1]
        if file.text[at - len(gap):at] == gap:
            return at - len(gap), at - len(gap), mark.new
    return "the words around it are not written the same way in the file"


def apply(findings: list[Finding], locator: Locator, args, shown: str) -> int:
    changes = [f for f in findings if f.mark.kind != "comment"]
    comments = len(findings) - len(changes)
    placed: dict = {}   # ContentFile -> [(start, end, new, finding)]
    failed: list[tuple[Finding, str]] = []
    for finding in changes:
        result = place(finding, locator)
        if isinstance(result, str):
            failed.append((finding, result))
            continue
        start, end, new = result
        if finding.place.file.path.suffix != ".md" and ("{{" in new or "{%" in new):
            failed.append((finding, "its text holds '{{' or '{%', which the paper would read as a template call in a data file"))
            continue
        if finding.place.file.path.suffix == ".md":
            # the reviewer's words print as typed: no emphasis, and no {{ … }} or {% … %} run as a template
            new = escape_markdown(new).replace("{{", "\\{{").replace("{%", "\\{%")
        edits = placed.setdefault(finding.place.file, [])
        if any(start < e and s < end or (start == end == s) for s, e, _, _ in edits):
            failed.append((finding, "another change touches the same words"))
            continue
        edits.append((start, end, new, finding))
    texts: dict = {}
    for file, edits in list(placed.items()):
        text = file.text
        for start, end, new, _ in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            text = text[:start] + new + text[end:]
        if file.path.suffix in (".yaml", ".yml") and parse_yaml(text, file.path, Problems(file.path.parent)) is None:
            failed.extend((f, "the YAML would no longer read with the new text (quote the value)") for *_, f in edits)
            del placed[file]
            continue
        texts[file] = text
    out = sys.stdout
    for file, edits in placed.items():
        for _, _, _, finding in sorted(edits, key=lambda e: e[0]):
            print(f"{file.shown}:{finding.place.line}: {'would apply' if args.dry_run else 'applied'}: {_what(finding)}", file=out)
    for finding, why in failed:
        at = f"{finding.place.file.shown}:{finding.place.line}" if finding.place else (finding.hint or shown)
        print(f"{at}: not applied: {_what(finding)} — {why}; edit it by hand", file=out)
    if comments:
        print(f"{shown}: {comments} comment{'s are' if comments != 1 else ' is'} not applied (comments are for you to read)", file=sys.stderr)
    if args.dry_run:
        for file, text in texts.items():
            sys.stdout.writelines(difflib.unified_diff(file.text.splitlines(True), text.splitlines(True), file.shown, file.shown))
        print(f"{shown}: dry run: nothing written" + (f"; {len(failed)} of {len(changes)} changes could not be placed" if failed else ""),
              file=sys.stderr)
        return 1 if failed and not args.force else 0
    if failed and not args.force:
        print(f"{shown}: nothing written: {len(failed)} of {len(changes)} changes could not be placed "
              f"(edit them by hand, or give --force to write the {len(changes) - len(failed)} that could)", file=sys.stderr)
        return 1
    try:
        write_atomic({file.path: text.encode("utf-8") for file, text in texts.items()})
    except OutputError as exc:
        print(f"{shown}: nothing written: cannot write {exc.path} ({exc.strerror or exc}); check that the content folder can be written",
              file=sys.stderr)
        return 1
    print(f"{shown}: {plural(sum(len(e) for e in placed.values()), 'change')} written into {plural(len(texts), 'file')}; "
          f"build the paper to see them", file=sys.stderr)
    return 0


def _what(finding: Finding) -> str:
    mark = finding.mark
    if mark.kind == "insertion":
        return f"insertion of {quote(mark.new)} {visible(finding.anchor)}"
    if mark.kind == "deletion":
        return f"deletion of {quote(mark.old)}"
    return f"{quote(mark.old)} → {quote(mark.new)}"
