"""Writes templates/reference.docx, the Word template of the DOCX output,
from templates/style.yaml (page, fonts, sizes, spacing, colours).

    python tools/make_reference_docx.py [--templates templates] [--language en-GB] [--check]

Run it after changing style.yaml; commit the result.  ``--check`` only
reports whether the committed file is up to date (exit status 1 if not).
An organisation may instead hand-edit the template in Word to its house
style: the DOCX writer takes every style by its name.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from paperpipe.errors import Problems  # noqa: E402
from paperpipe.style import load_style  # noqa: E402
from paperpipe.writers.docx.reference import reference_docx  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--templates", type=Path, default=Path(__file__).resolve().parent.parent / "templates")
    parser.add_argument("--language", default="en-GB", help="default language of the styles (the writer sets the paper's own)")
    parser.add_argument("--check", action="store_true", help="only check that the committed template is up to date")
    args = parser.parse_args(argv)
    problems = Problems()
    style = load_style(args.templates, problems)
    if style is None:
        for problem in problems.items:
            print(problem, file=sys.stderr)
        return 2
    data = reference_docx(style, args.language)
    target = args.templates / "reference.docx"
    if args.check:
        current = target.read_bytes() if target.is_file() else b""
        if current != data:
            print(f"{target} is out of date: run python tools/make_reference_docx.py", file=sys.stderr)
            return 1
        return 0
    target.write_bytes(data)
    print(f"wrote {target} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
