"""``paperpipe review FILE``: the reviewer's DOCX or PDF, back at the
content file and line of each change and comment (see ``__init__``)."""
from __future__ import annotations

import sys
from pathlib import Path

from ..pipeline import load
from ..errors import BuildError, Problems
from .align import MIN_SHARE, not_this_paper
from .locate import locate
from .marks import Reviewed
from .report import lines, summary, visible
from .sources import ContentIndex, built_text, words
from .untrusted import Refused, read_bytes


def read_returned(path: Path, data: bytes) -> tuple[str, Reviewed]:
    """The returned file's kind ('docx' or 'pdf') and what it holds."""
    if data[:5] == b"%PDF-" or (path.suffix.lower() == ".pdf" and b"%PDF-" in data[:1024]):
        from .pdf import read_pdf

        return "pdf", read_pdf(data)
    if data[:2] == b"PK" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        from .docx import read_docx

        return "docx", read_docx(data)
    raise Refused("this is neither a Word .docx nor a PDF file (review reads the .docx or .pdf a reviewer sends back)")


def _fresh_share(kind: str, loaded, templates, built: str) -> float:
    """How much of a file made now from the content is the paper's words: all
    of a DOCX's, less of a PDF's (its running headers, page numbers, contents)."""
    if kind != "pdf":
        return 1.0
    from ..pipeline import render
    from .align import Alignment
    from .pdf import read_pdf

    try:
        data, _pages = render(loaded, ("pdf",), templates)
        return Alignment(read_pdf(data["pdf"]).text, built).share
    except (BuildError, Refused):  # no PDF can be made now: the file is measured as a DOCX would be
        return 1.0


def review(args, console) -> int:
    file = Path(args.file)
    problems = Problems(Path(args.content))
    shown = problems.rel(file)
    try:
        data = read_bytes(file)
        kind, reviewed = read_returned(file, data)
    except Refused as exc:
        print(f"{shown}: {exc}", file=sys.stderr)
        return 1
    console.start()
    try:
        loaded = load(args.content, args.templates)
    except BuildError as exc:
        console.problems(exc)
        print(f"{shown}: the content has mistakes (above); fix them, then run review again", file=sys.stderr)
        return 1
    console.stop()
    try:
        built, pieces = built_text(loaded.doc)
        index = ContentIndex(Path(args.content), loaded.problems.rel)
        if kind == "docx" and not reviewed.tracked:
            from .untracked import compare

            reviewed = compare(reviewed, loaded, args.templates)
        labels = {word for value in loaded.doc.meta.labels.values() for word, _, _ in words(str(value))}
        findings, locator = locate(reviewed, built, pieces, index, labels)
    except Refused as exc:
        print(f"{shown}: {exc}", file=sys.stderr)
        return 1
    share = locator.alignment.share
    if share < MIN_SHARE:
        print(f"{shown}: {not_this_paper(share)}", file=sys.stderr)
        return 1
    for line in lines(findings, shown):
        print(line)
    for note in reviewed.notes:
        print(f"{shown}: note: {visible(note)}", file=sys.stderr)
    print(summary(findings, shown), file=sys.stderr)
    lost = sum(1 for f in findings if f.place is None)
    if lost and share < _fresh_share(kind, loaded, args.templates, built) - 0.02:
        print(f"{shown}: this file was made from other content than the paper's now ({share:.0%} of its words are still in it); "
              f"what could not be found is listed above with the file's name: edit those by hand", file=sys.stderr)
    if getattr(args, "apply", False) or getattr(args, "dry_run", False):
        from .apply import apply

        return apply(findings, locator, args, shown)
    return 0
