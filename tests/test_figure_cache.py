"""The figure cache in output/.cache: reused across builds, keyed by the
figure's content, and never changing what is built."""
from __future__ import annotations

import shutil

from conftest import MINI, run_build

NAME = "T1.01-maritime-clusters"


def test_cached_build_is_identical_and_follows_figure_changes(tmp_path):
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_build("--format", "all", "--content", str(paper), "--output", str(first)).returncode == 0
    entries = sorted(p.name for p in (first / ".cache").iterdir())
    assert [e.rsplit(".", 1)[1] for e in entries].count("drawing") == 2  # one SVG figure, and the cover's SVG logo
    assert any(e.endswith(".png") for e in entries)  # and its picture for the DOCX

    # a second build in the same folder reads the cache and writes the same bytes
    before = {f: (first / f).read_bytes() for f in (f"{NAME}.pdf", f"{NAME}.docx")}
    assert run_build("--format", "all", "--content", str(paper), "--output", str(first)).returncode == 0
    assert {f: (first / f).read_bytes() for f in before} == before
    # ... as a build without any cache does
    assert run_build("--format", "all", "--content", str(paper), "--output", str(second)).returncode == 0
    assert {f: (second / f).read_bytes() for f in before} == before

    # an edited figure is converted again
    svg = paper / "figures" / "map.svg"
    svg.write_text(svg.read_text(encoding="utf-8").replace("Poland: 5", "Poland: 6"), encoding="utf-8")
    assert run_build("--format", "pdf", "--content", str(paper), "--output", str(first)).returncode == 0
    assert len([p for p in (first / ".cache").iterdir() if p.suffix == ".drawing"]) == 3
    assert (first / f"{NAME}.pdf").read_bytes() != before[f"{NAME}.pdf"]
