"""The command line: ``python build.py --format pdf|docx|all``."""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from .build import FORMATS, build, load
from .errors import BuildError

CHOICES = (*FORMATS, "all")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # exit status 2, and say which formats exist
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\nformats: {', '.join(CHOICES)}\n")
        sys.exit(2)


def parser(project: Path) -> argparse.ArgumentParser:
    p = _Parser(prog="build.py", description="Build the output paper as PDF and/or DOCX from the content folder.")
    p.add_argument("--format", choices=CHOICES, default="pdf", help="what to build (default: pdf)")
    p.add_argument("--content", type=Path, default=project / "content", help="the content folder (default: content/)")
    p.add_argument("--output", type=Path, default=project / "output", help="where the files go (default: output/)")
    p.add_argument("--templates", type=Path, default=project / "templates", help="templates and style (default: templates/)")
    p.add_argument("--check", action="store_true", help="only read and validate the content; write nothing")
    p.add_argument("--watch", action="store_true", help="rebuild whenever a content or template file changes")
    return p


def _formats(choice: str) -> tuple[str, ...]:
    return FORMATS if choice == "all" else (choice,)


def _report_problems(exc: BuildError, file=None) -> None:
    file = file or sys.stderr
    errors = [p for p in exc.problems if p.severity == "error"]
    for problem in exc.problems:
        print(str(problem), file=file)
    print(f"{len(errors)} error(s); nothing was written, previous output is kept.", file=file, flush=True)


def _report_bug(exc: BaseException, file=None) -> None:
    """An exception no reader or writer expected: say so plainly, no traceback
    (PAPERPIPE_DEBUG=1 shows it for whoever fixes paperpipe)."""
    file = file or sys.stderr
    if os.environ.get("PAPERPIPE_DEBUG"):
        traceback.print_exception(exc, file=file)
    print(f"internal error: {type(exc).__name__}: {exc}", file=file)
    print("This is a bug in paperpipe, not a mistake in your content. Nothing was written; the previous output is kept.\n"
          "Please report it with the command you ran (PAPERPIPE_DEBUG=1 shows the details).", file=file, flush=True)


def main(argv: list[str] | None = None, project: Path | None = None) -> int:
    project = project or Path.cwd()
    p = parser(project)
    args = p.parse_args(argv)
    for name in ("content", "templates"):
        folder = getattr(args, name)
        if not folder.is_dir():
            p.error(f"the {name} folder '{folder}' does not exist (give it with --{name})")
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("interrupted; nothing was written, previous output is kept.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - never a traceback for editors
        _report_bug(exc)
        return 1


def _run(args) -> int:
    if args.check:
        try:
            loaded = load(args.content, args.templates)
        except BuildError as exc:
            _report_problems(exc)
            return 1
        for warning in loaded.problems.warnings:
            print(str(warning), file=sys.stderr)
        doc = loaded.doc
        print(f"content OK: {len(doc.contents)} headings, {len(doc.figures)} figures, {len(doc.tables)} tables, "
              f"{len(loaded.problems.warnings)} warnings")
        return 0
    if args.watch:
        from .watch import watch

        return watch(args.content, args.templates, args.output, _formats(args.format))
    try:
        report = build(args.content, args.templates, args.output, _formats(args.format))
    except BuildError as exc:
        _report_problems(exc)
        return 1
    for warning in report.warnings:
        print(str(warning), file=sys.stderr)
    print(report.summary())
    return 0
