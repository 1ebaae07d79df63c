"""The command line, for editors: ``paperpipe new|build|check|watch``.

``paperpipe`` is the command pip installs; ``python build.py`` in the
project folder is the same command (``python build.py --format pdf`` still
builds, ``python build.py new DIR`` starts a paper). Exit status: 0 done,
1 the content has mistakes (each listed with its file:line), 2 the command
line is wrong. What is printed goes through ``console.Console``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import collector
from .pipeline import FORMATS, build, check
from .console import NORMAL, QUIET, VERBOSE, Console, plural
from .errors import BuildError

CHOICES = (*FORMATS, "all")
COMMANDS = ("new", "build", "check", "watch", "review")
PACKAGE = Path(__file__).resolve().parent

DESCRIPTION = """\
Makes an output paper (a PDF, a Word file and a web page) from a folder of
plain text files: paper.yaml (title, date, order of the sections),
sections/*.md (the text, in Markdown), data/*.yaml (agenda, people) and
figures/. Run '%(prog)s COMMAND --help' to see the options of a command."""

NEW_EXAMPLE = 'new our-next-paper --title "Clusters and Skills" --date 2025-06-12 --place "Vienna, Austria" --deliverable D4.05'


def epilog(prog: str) -> str:
    """The examples, as they work from where this command runs: 'paperpipe'
    inside the paper's folder, 'python build.py' in the project's folder
    (a new paper has no build.py of its own)."""
    if prog == "paperpipe":
        examples = (f"  {prog} {NEW_EXAMPLE}\n"
                    f"  cd our-next-paper && {prog} build --format all\n"
                    f"  {prog} check            (in the paper's folder, after each change: lists every mistake at once)")
    else:
        examples = (f"  {prog} {NEW_EXAMPLE}\n"
                    f"  {prog} build --content our-next-paper --format all\n"
                    f"  {prog} check --content our-next-paper     (after each change: lists every mistake at once)")
    return f"""examples:
{examples}

Mistakes are listed as file:line: what is wrong — what to do. A build that
fails writes nothing and keeps the files of the last good build.
exit status: 0 done, 1 the content has mistakes, 2 the command was mistyped."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # exit status 2, with a pointer to --help
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\nformats: {', '.join(CHOICES)}; see '{self.prog} --help'\n")
        sys.exit(2)


# ----------------------------------------------------------------------------- defaults
def default_content(base: Path) -> Path:
    """content/ when there is one (the project folder), else the folder
    itself when it holds paper.yaml (a folder made by 'new')."""
    if (base / "content").is_dir() or not (base / "paper.yaml").is_file():
        return base / "content"
    return base


def default_templates(base: Path) -> Path:
    """templates/ of the project folder, else the templates paperpipe ships."""
    if (base / "templates" / "style.yaml").is_file():
        return base / "templates"
    return PACKAGE / "templates"


# ----------------------------------------------------------------------------- parsers
def _paper_options(p: argparse.ArgumentParser, base: Path, formats: bool = True) -> None:
    if formats:
        p.add_argument("--format", choices=CHOICES, default="pdf", metavar="FORMAT",
                       help=f"what to make: {', '.join(CHOICES)} (default: pdf)")
    p.add_argument("--content", type=Path, default=default_content(base), metavar="DIR",
                   help="the paper's folder, the one with paper.yaml (default: content/, or this folder if it has paper.yaml)")
    if formats:
        p.add_argument("--output", type=Path, default=base / "output", metavar="DIR",
                       help="where the PDF, Word and web page files go (default: output/)")
    p.add_argument("--templates", type=Path, default=default_templates(base), metavar="DIR",
                   help="house style: style.yaml, macros, fonts (default: templates/, or the ones paperpipe comes with)")
    talk = p.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", action="store_const", dest="level", const=QUIET, default=NORMAL,
                      help="print only mistakes and warnings")
    talk.add_argument("-v", "--verbose", action="store_const", dest="level", const=VERBOSE,
                      help="print every step with its time")


def parser(project: Path, prog: str = "paperpipe") -> argparse.ArgumentParser:
    """The top-level parser: the commands."""
    p = _Parser(prog=prog, description=DESCRIPTION, epilog=epilog(prog), formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(title="commands", dest="command", metavar="COMMAND", parser_class=_Parser)

    new = sub.add_parser("new", help="start a new paper in the folder DIR; it builds at once", formatter_class=argparse.RawDescriptionHelpFormatter,
                         description="Start a new paper in the folder DIR: paper.yaml with every field explained, three short\n"
                                     "sections that show everything you can write, a one-day agenda, a people file, a figure\n"
                                     "and README.md, the editors' guide. It builds at once; then replace the text with yours.",
                         epilog=f"example:\n  {prog} {NEW_EXAMPLE}\n"
                                "Facts not given stay [placeholders] that 'check' warns about; the event's dates\n"
                                "(--when) are the date's day unless given.")
    new.add_argument("dir", type=Path, metavar="DIR", help="the folder to create (it must not exist, or be empty)")
    new.add_argument("--title", help="the paper's title (default: a placeholder to replace)")
    new.add_argument("--date", help="the paper's date, YYYY-MM-DD (default: today); also the event's day unless --when is given")
    new.add_argument("--deliverable", help="the deliverable code, e.g. D4.05 (default: a placeholder)")
    new.add_argument("--author", help="who publishes it (default: European Cluster Collaboration Platform)")
    new.add_argument("--place", help="where the event takes place, e.g. 'Brussels, Belgium' (default: a placeholder)")
    new.add_argument("--when", help="the event's dates as printed, e.g. '12/13 June 2025' (default: the --date's day)")

    build_p = sub.add_parser("build", help="make the PDF, the Word file and/or the web page in output/ (what 'python build.py' does)",
                             description="Make the PDF, the Word file and/or the web page of the paper.")
    _paper_options(build_p, project)
    build_p.add_argument("--check", action="store_true", help=argparse.SUPPRESS)  # the old spelling of 'check'
    build_p.add_argument("--watch", action="store_true", help=argparse.SUPPRESS)  # the old spelling of 'watch'

    check = sub.add_parser("check", help="look for mistakes in the content; writes nothing (fast)",
                           description="Read the paper and list every mistake with its file:line; writes nothing.")
    _paper_options(check, project, formats=False)

    watch = sub.add_parser("watch", help="build again every time you save a file (Ctrl-C to stop)",
                           description="Build now, then again every time a file of the paper or its templates is saved.\n"
                                       "Mistakes are listed and the watch goes on; Ctrl-C stops it.")
    _paper_options(watch, project)
    _serve_options(watch)

    review = sub.add_parser("review", help="list a reviewer's changes and comments (a returned DOCX or PDF) at their file:line",
                            formatter_class=argparse.RawDescriptionHelpFormatter,
                            description="Read a DOCX or PDF that came back from a reviewer and list every tracked change, comment\n"
                                        "and annotation at the content file and line its text comes from. Writes nothing unless\n"
                                        "--apply is given.",
                            epilog=f"examples:\n  {prog} review returned.docx\n  {prog} review returned.docx --apply --dry-run\n  {prog} review proof-with-notes.pdf")
    review.add_argument("file", type=Path, metavar="FILE", help="the .docx or .pdf the reviewer sent back")
    _paper_options(review, project, formats=False)
    review.add_argument("--apply", action="store_true", help="bring the changes into the content files (comments are never applied)")
    review.add_argument("--dry-run", action="store_true", help="with --apply: show the changes as a diff, write nothing")
    review.add_argument("--force", action="store_true", help="with --apply: write the changes that could be placed even if some could not")
    return p


def _serve_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--serve", action="store_true", help="also show the paper at http://127.0.0.1:PORT/, reloaded after each build")
    p.add_argument("--port", type=int, default=8000, metavar="PORT", help="the preview's port (default: 8000)")


def legacy_parser(project: Path) -> argparse.ArgumentParser:
    """``python build.py --format pdf`` (no command): the options of 'build'
    with --check and --watch, as the README has always said."""
    p = _Parser(prog="build.py", description="Build the output paper as PDF, DOCX and/or HTML from the content folder. "
                "Also: 'python build.py new DIR' starts a new paper, 'python build.py --help' lists the commands.")
    _paper_options(p, project)
    p.add_argument("--check", action="store_true", help="only read and validate the content; write nothing")
    p.add_argument("--watch", action="store_true", help="rebuild whenever a content or template file changes")
    _serve_options(p)
    return p


def _formats(choice: str) -> tuple[str, ...]:
    return FORMATS if choice == "all" else (choice,)


# ----------------------------------------------------------------------------- entry points
def main(argv: list[str] | None = None, project: Path | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    base = Path(project) if project is not None else Path.cwd()
    prog = "python build.py" if project is not None else "paperpipe"
    if argv and argv[0] in COMMANDS or (argv and argv[0] in ("-h", "--help")) or not argv and project is None:
        p = parser(base, prog)
        args = p.parse_args(argv or ["--help"])
        sub = p._subparsers._group_actions[0].choices[args.command]  # noqa: SLF001 - argparse keeps them there
    elif argv and not argv[0].startswith("-"):
        p = parser(base, prog)
        p.error(f"unknown command '{argv[0]}' (commands: {', '.join(COMMANDS)})")
    else:
        sub = legacy_parser(base)
        args = sub.parse_args(argv)
        args.command = "check" if args.check else "watch" if args.watch else "build"
    if args.command == "build" and (args.check or args.watch):
        args.command = "check" if args.check else "watch"
    console = Console(level=getattr(args, "level", NORMAL))
    if args.command == "new":
        from .new import new_paper

        return new_paper(args, console, sub)
    for name in ("content", "templates"):
        folder = getattr(args, name)
        if not folder.is_dir():
            advice = " or start a paper with 'paperpipe new DIR'" if name == "content" else ""
            sub.error(f"the {name} folder '{folder}' does not exist (give it with --{name}{advice})")
    try:
        return _run(args, console)
    except KeyboardInterrupt:
        console.stop()
        print("interrupted; nothing was written, previous output is kept.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - never a traceback for editors
        console.bug(exc)
        return 1


def run() -> int:
    """The ``paperpipe`` command (pyproject's [project.scripts])."""
    collector.one_shot()  # its modules are loaded by now: only the build's own objects are looked at less often
    collector.loaded()
    return main()


def _run(args, console: Console) -> int:
    if args.command == "review":
        from .review.command import review

        return review(args, console)
    if args.command == "check":
        console.start()
        try:
            loaded = check(args.content, args.templates, progress=console.step)
        except BuildError as exc:
            console.problems(exc)
            return 1
        console.stop()
        for warning in loaded.problems.warnings:
            console.problem(warning)
        doc = loaded.doc
        if console.level > QUIET:
            console.say(f"content OK: {plural(len(doc.contents), 'heading')}, {plural(len(doc.figures), 'figure')}, "
                        f"{plural(len(doc.tables), 'table')}, {plural(len(loaded.problems.warnings), 'warning')}; nothing written")
        return 0
    if args.command == "watch":
        from .watch import watch

        collector.for_watch()  # hours of rebuilds: Python's own collector settings

        if getattr(args, "serve", False):
            from .serve import serve

            return serve(args.content, args.templates, args.output, _formats(args.format), port=args.port, console=console)
        return watch(args.content, args.templates, args.output, _formats(args.format), console=console)
    console.start()
    try:
        report = build(args.content, args.templates, args.output, _formats(args.format), progress=console.step)
    except BuildError as exc:
        console.problems(exc)
        return 1
    console.summary(report)
    return 0
