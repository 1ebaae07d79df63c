"""The command line: ``python build.py --format pdf|docx|all``."""
from __future__ import annotations

import argparse
import sys
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


def _report_problems(exc: BuildError) -> None:
    errors = [p for p in exc.problems if p.severity == "error"]
    for problem in exc.problems:
        print(str(problem), file=sys.stderr)
    print(f"{len(errors)} error(s); nothing was written, previous output is kept.", file=sys.stderr)


def main(argv: list[str] | None = None, project: Path | None = None) -> int:
    project = project or Path.cwd()
    args = parser(project).parse_args(argv)
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
