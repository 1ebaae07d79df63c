"""``paperpipe new DIR``: a starter paper that builds at once.

The starter is package data (``paperpipe/starter/``): paper.yaml with every
field explained, three short sections that show every construct with a
one-line comment each, a one-day agenda and a people file in data/, a figure,
and README.md, the editors' guide (the same file as the project's
content/README.md: one source, so the two cannot drift). The options fill
in paper.yaml's facts; everything else prints them from there.
"""
from __future__ import annotations

import argparse
import datetime
import json
import re
import shutil
import unicodedata
from pathlib import Path

from .console import QUIET, Console
from .dates import parse_day

STARTER = Path(__file__).resolve().parent / "starter"
FACT_OPTIONS = ("title", "author", "deliverable", "date", "place", "when")


def slug(text: str) -> str:
    """'Clusters & Skills: 2025' -> 'clusters-skills-2025' (ASCII, for file names)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def _yaml_text(value: str) -> str:
    """A value as a double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def fill_paper_yaml(text: str, values: dict[str, str]) -> str:
    """paper.yaml's text with the given facts in place of the starter's, each
    line's comment kept."""
    for key, value in values.items():
        pattern = re.compile(rf"^({re.escape(key)}:[ \t]*)(\"[^\"\n]*\"|[^#\n]*?)([ \t]+#[^\n]*)?$", re.M)
        text, count = pattern.subn(lambda m_: _keep_column(m_, _yaml_text(value)), text, count=1)
        assert count == 1, key  # the starter has every fact on its own line
    return text


def _keep_column(match: re.Match, value: str) -> str:
    """``key: value   # comment`` with the new value, the comment where it was."""
    comment = match.group(3) or ""
    if not comment:
        return match.group(1) + value
    width = len(match.group(2)) + len(comment) - len(comment.lstrip())
    return match.group(1) + value + " " * max(1, width - len(value)) + comment.lstrip()


def new_paper(args: argparse.Namespace, console: Console, parser: argparse.ArgumentParser) -> int:
    dest: Path = args.dir
    if dest.exists() and not dest.is_dir():
        parser.error(f"'{dest}' is a file; give the name of a new folder")
    if dest.is_dir() and any(dest.iterdir()):
        parser.error(f"the folder '{dest}' already holds files; give the name of a new (or empty) folder")
    values = {key: getattr(args, key) for key in FACT_OPTIONS if getattr(args, key, None) is not None}
    for key, value in values.items():
        if not value.strip() or "{{" in value or "{%" in value or "\n" in value:
            parser.error(f"--{key} must be plain text on one line")
    if "date" in values and parse_day(values["date"]) is None:
        parser.error(f"--date {values['date']} is not a date written YYYY-MM-DD, e.g. --date 2025-06-12")
    values.setdefault("date", datetime.date.today().isoformat())
    if "when" not in values:  # the event's day as printed, from the date, rather than the starter's placeholder
        day = parse_day(values["date"])
        values["when"] = f"{day.day} {day.strftime('%B')} {day.year}"
    if "title" in values and slug(values["title"]):
        values["output"] = "{{ paper.deliverable }}-" + slug(values["title"])

    text = fill_paper_yaml((STARTER / "paper.yaml").read_text(encoding="utf-8"), values)
    refused = refusals(text, values)
    if refused:  # nothing is written: the options are checked as 'check' would check the paper they make
        parser.error("\n  ".join(refused))
    try:
        shutil.copytree(STARTER, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
        paper = dest / "paper.yaml"
        paper.write_text(text, encoding="utf-8")
    except OSError as exc:
        console.say(f"{dest}: cannot create the paper ({exc.strerror or exc}) — check that the folder can be written", console.err)
        return 1
    if console.level > QUIET:
        files = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
        console.say(f"created a new paper in {dest}: {', '.join(files)}")
        console.say(f"next: cd {dest} and run 'paperpipe build' (or 'python build.py --content {dest}' in the project folder);\n"
                    "then read README.md there and replace the starter's text with yours.")
    return 0


def refusals(text: str, values: dict[str, str]) -> list[str]:
    """What 'check' would refuse in the starter's paper.yaml filled in with
    the options, each said as the option's mistake ('--title: …')."""
    from .errors import Problems
    from .readers.content import check_meta, facts
    from .readers.metafields import check_output_name
    from .readers.yamlfile import parse_yaml

    problems = Problems(Path.cwd())
    paper = Path("paper.yaml")
    raw = parse_yaml(text, paper, problems)
    if raw is not None and check_meta(raw, paper, problems) is not None and isinstance(raw.get("output"), str):
        known = facts(raw)
        output = re.sub(r"\{\{\s*paper\.(\w+)\s*\}\}", lambda g: known.get(g[1], g[0]), raw["output"])
        check_output_name(output, paper, raw.line("output"), problems)
    lines = {raw.line(key): key for key in FACT_OPTIONS if key in values and key in raw} if isinstance(raw, dict) else {}
    out = []
    for problem in problems.errors:
        key = lines.get(problem.line)
        if key:  # the message names the mistake; the advice speaks of paper.yaml's lines
            out.append(f"--{key}: {problem.message}")
        elif isinstance(raw, dict) and problem.line == raw.line("output"):
            out.append(f"--deliverable and --title make the output name: {problem.message} ({problem.advice})")
        else:
            out.append(f"the options: {problem.message}")
    return out

