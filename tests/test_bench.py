"""Smoke test of the benchmark: it runs end to end on the small paper and
prints every figure it promises. No timing is asserted. The --quick run
(every figure) is on demand: PAPERPIPE_SLOW_TESTS=1; the --smoke run
(cold PDF, save -> page) runs always, and its output is what .ci/run prints
as the benchmark's figures."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "bench.py"
MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.mark.skipif(not os.environ.get("PAPERPIPE_SLOW_TESTS"),
                    reason="the --quick benchmark takes ~35 s of CPU: PAPERPIPE_SLOW_TESTS=1 runs it (the --smoke run below always runs)")
def test_quick_benchmark_prints_its_figures(tmp_path):
    figures = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--paper", str(MINI), "--json", str(figures)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    for expected in (
        "paperpipe benchmark: paper tests/fixtures/mini (T1.01)",
        "cold command line",
        "--format pdf ",
        "--format docx",
        "--format all",
        "warm rebuild",
        "synthetic papers",
        "growth: 10× content took",
        "targets (",
        "cold PDF ",
        "warm rebuild (PDF)",
        "10× paper (PDF)",
        "peak memory",
        "save -> refreshed page",
        "issue 18's table",
        "cold --format all",
        "save -> PDF and DOCX written",
        "review (of the paper's DOCX)",
    ):
        assert expected in out, f"{expected!r} missing from:\n{out}"
    # the PDF is always built; its lines carry a time and a peak memory
    assert any(line.strip().startswith("--format pdf") and " s " in line and " MB" in line for line in out.splitlines()), out
    # both synthetic sizes were built (pages, time, pages/s, peak MB)
    rows = [line.split() for line in out.splitlines() if line.strip().startswith(("1×", "10×"))]
    assert any(r[0] == "10×" and len(r) == 5 and int(r[1]) > 0 for r in rows), out
    if importlib.util.find_spec("typst") is not None:
        assert "Typst" in out and "measured in this run" in out, out
    else:
        assert "the issue's reference figures" in out, out
    for line in out.splitlines():
        if "×" in line and "Typst's" in line:
            assert line.rstrip().endswith(("PASS", "MISS")), line

    data = json.loads(figures.read_text(encoding="utf-8"))
    assert data["deliverable"] == "T1.01"
    assert data["cold"]["pdf"]["ok"] and data["cold"]["pdf"]["pages"] > 0
    assert set(data["synthetic"]) == {"1", "10"}
    assert data["synthetic"]["10"]["pages"] > data["synthetic"]["1"]["pages"]
    assert {t["target"] for t in data["targets"]} >= {"cold PDF", "warm rebuild (PDF)", "peak memory", "save -> refreshed page"}
    assert data["preview"]["ok"] and data["preview"]["median_s"] > 0, data["preview"]  # the page came back with each save
    assert len(data["table"]) == 8


def test_smoke_benchmark_prints_the_preview_beside_typst(tmp_path):
    """Also the benchmark's figures in CI's log: .ci/run names a file in
    PAPERPIPE_BENCH_LOG and prints what this run wrote there (the benchmark
    runs once per CI run, here)."""
    figures = tmp_path / "smoke.json"
    result = subprocess.run([sys.executable, str(BENCH), "--smoke", "--json", str(figures)],
                            cwd=ROOT, capture_output=True, text=True, timeout=900)
    if os.environ.get("PAPERPIPE_BENCH_LOG"):
        Path(os.environ["PAPERPIPE_BENCH_LOG"]).write_text(result.stdout + result.stderr, encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(figures.read_text(encoding="utf-8"))
    assert data["deliverable"] == "T1.01" and data["cold"]["pdf"]["ok"] and data["preview"]["ok"], data
    assert "save -> refreshed page" in result.stdout and "issue 18's table" in result.stdout
    if importlib.util.find_spec("typst") is not None:
        assert data["typst_measured"]["incremental"]["ok"], data["typst_measured"]


def test_synthetic_paper_renames_ids_and_builds(tmp_path):
    """The 3× copy of the mini paper has no duplicate ids and passes --check."""
    sys.path.insert(0, str(BENCH.parent))
    try:
        import bench
    finally:
        sys.path.remove(str(BENCH.parent))
    folder = bench.make_synthetic(MINI, 3, tmp_path / "x3")
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((folder / "sections").rglob("*.md")))
    assert "{#fig-map" in text and "{#fig-map-c2" in text and "{#fig-map-c3" in text
    assert "](#results-c3)" in text
    from conftest import run_build  # build.py's command line in this process: a Python of its own adds nothing here

    result = run_build("--check", "--content", str(folder))
    assert result.returncode == 0, result.stderr
