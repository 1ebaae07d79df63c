"""A build imports only what its formats need: the page alone needs no PDF,
DOCX or SVG-drawing library, and ``check`` imports no writer before it lays
the paper out. Each case runs in a fresh interpreter (imports are per
process) and reports the modules it ended with."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import MINI, ROOT

HEAVY = ("pikepdf", "docx", "svglib", "reportlab", "pypdfium2")

PROBE = """
import json, sys
sys.path.insert(0, {root!r})
from paperpipe import cli
code = cli.main({args!r}, project=None)
print(json.dumps([code, sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r} or m.startswith('paperpipe.writers.'))]))
"""


def modules_after(*args: str) -> tuple[int, list[str]]:
    script = PROBE.format(root=str(ROOT), args=list(args), heavy=HEAVY)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_the_page_alone_imports_no_pdf_docx_or_svg_library(tmp_path):
    code, loaded = modules_after("build", "--format", "html", "--content", str(MINI), "--output", str(tmp_path), "--quiet")
    assert code == 0 and (tmp_path / "T1.01-maritime-clusters.html").is_file()
    assert [m for m in loaded if m.split(".")[0] in HEAVY] == []
    assert [m for m in loaded if m.startswith("paperpipe.writers.")] == ["paperpipe.writers.html"] + sorted(
        m for m in loaded if m.startswith("paperpipe.writers.html."))


def test_the_probe_sees_what_a_pdf_build_imports(tmp_path):
    """The same probe is not blind: a PDF build does load reportlab, svglib and pikepdf."""
    code, loaded = modules_after("build", "--format", "pdf", "--content", str(MINI), "--output", str(tmp_path), "--quiet")
    assert code == 0
    assert {"reportlab", "svglib", "pikepdf"} <= {m.split(".")[0] for m in loaded}
    assert "docx" not in loaded and not any(m.startswith("paperpipe.writers.docx") for m in loaded)


def test_check_imports_no_writer_before_the_layout(monkeypatch):
    """In-process: the reading step of check imports no writer (the writers
    come with the layout, after every reading problem is known)."""
    from paperpipe import pipeline

    seen = {}

    def render(loaded, formats, templates, step=None, times=None, **options):
        seen["writers"] = sorted(m for m in sys.modules if m.startswith("paperpipe.writers."))
        return {}, 0

    for name in [m for m in sys.modules if m.startswith("paperpipe.writers.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(pipeline, "render", render)
    pipeline.check(MINI, ROOT / "templates")
    assert seen["writers"] == []
