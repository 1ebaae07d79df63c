#!/usr/bin/env python3
"""Benchmark of the paper build: prints figures (it is not a timed test).

    python bench/bench.py                 # the full run (content/, 5 runs each, 1×/10×/30×)
    python bench/bench.py --quick         # 1 run each, 1× and 10× only
    python bench/bench.py --smoke         # a few seconds (CI's log): the mini paper, cold PDF, save -> page
    python bench/bench.py --paper tests/fixtures/mini --json bench/results/mini.json

What it measures (see bench/README.md):

- cold command-line time of ``build.py --format pdf|docx|all``: median of N
  runs, each a fresh process, into a temporary output folder, with the
  child's peak memory;
- warm rebuild time in one process: ``build()`` called again and again
  after a first build;
- save -> refreshed page: ``watch --serve --format all`` on a copy of the
  paper, one paragraph added per save, timed until the page's event stream
  says so and ``GET /`` shows it (bench/preview_latency.py), then until the
  PDF and DOCX are written;
- the time of ``review`` on the paper's own DOCX, where the command exists;
- synthetic papers that repeat the content 10× and 30× (ids renamed per
  copy): pages, time, pages per second, peak memory, and whether growth is
  linear (30× ≤ 35 × the 1× time);
- Typst (the Python package ``typst``), when installed, side by side on an
  equivalent Typst rendition of the same paper (contents, lists of figures
  and tables, the same headings, paragraphs, lists, tables and figures),
  then the issue's targets with PASS/MISS.  Without Typst it compares with
  the issue's reference figures. Typst's recompile after the same
  one-paragraph edit (as ``typst watch``) stands beside save -> page.
- at the end, issue 18's table: every row with Typst beside it and the ratio.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the bench's own modules, however it is started

from children import BUILD, ROOT, TEMPLATES, _fail_reason, pdf_pages, run_child  # noqa: E402
from preview_latency import edited_section, save_to_page  # noqa: E402

sys.path.insert(0, str(ROOT))  # paperpipe itself (not installed)
from paperpipe.errors import BuildError  # noqa: E402
from typst_side import make_typst, typst_build, typst_incremental, typst_version, typst_warm  # noqa: E402

# The reference figures for peers on a 2-core machine.
REFERENCE = {
    "typst_1x_s": 0.2, "typst_1x_pages": 17,
    "typst_500p_s": 3.6, "typst_500p_pages": 500,
    "pandoc_latex_1x_s": 3.2, "pandoc_latex_500p_s": 27.0,
}
# The targets.
TARGET_COLD_PDF = 2.5      # × Typst's time
TARGET_ALL = 4.0           # × Typst's time
TARGET_WARM = 1.0          # × Typst's time
TARGET_BIG = 1.0           # × Typst's time for the big paper (issue 18: at least as fast)
TARGET_PAGE = 3.0          # × Typst's recompile after the same one-paragraph edit (issue 18)
TARGET_MEMORY_MB = 400.0
LINEAR_LIMIT = 35.0        # 30× content ≤ 35 × the 1× time

def cold_build(content: Path, fmt: str, runs: int, figure_cache: bool = False) -> dict:
    """Median wall time of ``build.py --format fmt`` over ``runs`` fresh processes.

    Each run writes into a new, empty output folder, so nothing is cached;
    with ``figure_cache`` the runs share one output folder whose .cache/ of
    converted figures an untimed first build has filled, as an editor's
    repeated builds have."""
    times, peaks, cpus = [], [], []
    shared = tempfile.TemporaryDirectory(prefix="bench-cache-") if figure_cache else None
    if shared is not None:
        run_child([sys.executable, str(BUILD), "--format", fmt, "--content", str(content), "--output", shared.name])
    for _ in range(runs):
        with (tempfile.TemporaryDirectory(prefix="bench-out-") if shared is None else _Keep(shared.name)) as out:
            result = run_child([sys.executable, str(BUILD), "--format", fmt, "--content", str(content), "--output", out])
            if result["rc"] != 0:
                return {"format": fmt, "ok": False, "error": _fail_reason(result)}
            times.append(result["seconds"])
            peaks.append(result["peak_mb"])
            cpus.append(result["cpu_s"])
            pdfs = sorted(Path(out).glob("*.pdf"))
            pages = pdf_pages(pdfs[0]) if pdfs else None
    if shared is not None:
        shared.cleanup()
    return {"format": fmt, "ok": True, "median_s": statistics.median(times), "runs": times, "cpu_s": statistics.median(cpus),
            "peak_mb": max(peaks), "pages": pages}


def print_cold(r: dict) -> None:
    """One line of the cold command-line figures."""
    fmt = r["format"]
    if not r["ok"]:
        print(f"  --format {fmt:<5}     n/a   ({r['error']})")
        return
    pages = f"  {r['pages']} pages" if r.get("pages") else ""
    spread = f"  (runs {min(r['runs']):.2f}–{max(r['runs']):.2f} s)" if len(r["runs"]) > 1 else ""
    print(f"  --format {fmt:<5} {r['median_s']:7.2f} s   cpu {r['cpu_s']:5.2f} s   peak {r['peak_mb']:6.0f} MB{pages}{spread}")


class _Keep:
    """A context manager that yields a folder and leaves it in place."""

    def __init__(self, folder: str):
        self.folder = folder

    def __enter__(self) -> str:
        return self.folder

    def __exit__(self, *exc) -> None:
        return None

# ----------------------------------------------------------------------------- warm rebuild
WARM_CODE = r"""
import json, statistics, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from paperpipe.context import Memory
from paperpipe.pipeline import build, load, render
content, templates, runs = Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[5])
formats = tuple(sys.argv[4].split(","))
memory = Memory()  # what a watch keeps between builds (drawings, renderings of unchanged figures)
with tempfile.TemporaryDirectory(prefix="bench-warm-") as out:
    t = time.perf_counter(); build(content, templates, Path(out), formats, memory=memory); first = time.perf_counter() - t
    times, loads, renders = [], [], []
    for _ in range(runs):
        t = time.perf_counter(); build(content, templates, Path(out), formats, memory=memory); times.append(time.perf_counter() - t)
    for _ in range(runs):  # the two halves of a build, for the profile
        t = time.perf_counter(); loaded = load(content, templates); loads.append(time.perf_counter() - t)
        t = time.perf_counter(); render(loaded, formats, templates); renders.append(time.perf_counter() - t)
print(json.dumps({"first_s": first, "median_s": statistics.median(times), "runs": times,
                  "load_s": statistics.median(loads), "render_s": statistics.median(renders)}))
"""


def warm_build(content: Path, fmt: str, runs: int) -> dict:
    formats = "pdf,docx" if fmt == "all" else fmt
    result = run_child([sys.executable, "-c", WARM_CODE, str(ROOT), str(content), str(TEMPLATES), formats, str(runs)])
    if result["rc"] != 0:
        return {"format": fmt, "ok": False, "error": _fail_reason(result)}
    data = json.loads(result["stdout"].strip().splitlines()[-1])
    return {"format": fmt, "ok": True, **data}


# ----------------------------------------------------------------------------- synthetic papers
_ID = r"[A-Za-z][\w:.-]*"


def _paper_yaml(content: Path) -> dict:
    import yaml

    return yaml.safe_load((content / "paper.yaml").read_text(encoding="utf-8"))


def _explicit_ids(content: Path) -> set[str]:
    """The ids of sections, figures and tables (as the pipeline sees them)."""
    sys.path.insert(0, str(ROOT))
    from paperpipe.pipeline import load

    return set(load(content, TEMPLATES).doc.targets)


def make_synthetic(content: Path, copies: int, dest: Path) -> Path:
    """A content folder whose paper.yaml lists the section files ``copies``
    times; every copy after the first renames its ids (``{#id}``,
    ``](#id)``, and ``id:`` in data files and table blocks) with a suffix,
    and uses its own copy of each data file, so no id is used twice."""
    import yaml

    paper = _paper_yaml(content)
    ids = _explicit_ids(content)
    dest.mkdir(parents=True, exist_ok=True)
    for item in content.iterdir():  # figures, data, images … (not the sections)
        if item.name == "paper.yaml" or item.suffix == ".md":
            continue
        if item.is_dir():
            shutil.copytree(item, dest / item.name, ignore=shutil.ignore_patterns("*.md"))
        else:
            shutil.copy2(item, dest / item.name)
    data = dict(paper.get("data") or {})
    id_alt = "|".join(sorted((re.escape(i) for i in ids), key=len, reverse=True)) or r"(?!)"
    heading_id = re.compile(r"(\{#)(" + id_alt + r")(?=[\s}])")
    ref_id = re.compile(r"(\]\(#)(" + id_alt + r")(?=\))")
    yaml_id = re.compile(r"^(\s*-?\s*id:\s*[\"']?)(" + id_alt + r")([\"']?\s*)$", re.M)
    data_ref = re.compile(r"\bdata\.(" + "|".join(re.escape(k) for k in data) + r")\b") if data else None

    def rename(text: str, suffix: str) -> str:
        if not suffix:
            return text
        text = heading_id.sub(lambda mt: mt.group(1) + mt.group(2) + suffix, text)
        text = ref_id.sub(lambda mt: mt.group(1) + mt.group(2) + suffix, text)
        text = yaml_id.sub(lambda mt: mt.group(1) + mt.group(2) + suffix + mt.group(3), text)
        if data_ref is not None:
            text = data_ref.sub(lambda mt: f"data.{mt.group(1)}_{suffix.lstrip('-')}", text)
        return text

    sections: list[str] = []
    new_data: dict = dict(data)
    for k in range(1, copies + 1):
        suffix = "" if k == 1 else f"-c{k}"
        for rel in paper["sections"]:
            text = (content / rel).read_text(encoding="utf-8")
            name = f"sections/c{k:03d}/" + rel.replace("/", "_")
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_text(rename(text, suffix), encoding="utf-8")
            sections.append(name)
        if suffix:
            for key, entry in data.items():
                rel, kind = (entry["file"], entry.get("schema", key)) if isinstance(entry, dict) else (entry, key)
                src = content / rel
                copy_rel = str(Path(rel).with_name(f"{Path(rel).stem}{suffix}{Path(rel).suffix}"))
                (dest / copy_rel).write_text(rename(src.read_text(encoding="utf-8"), suffix), encoding="utf-8")
                new_data[f"{key}_c{k}"] = {"file": copy_rel, "schema": kind}  # the copy is data of the same kind
    paper["sections"] = sections
    if new_data:
        paper["data"] = new_data
    (dest / "paper.yaml").write_text(yaml.safe_dump(paper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dest

# ----------------------------------------------------------------------------- review
def review_time(content: Path, runs: int) -> dict:
    """``build.py review`` of the paper's own DOCX (as a reviewer returns it
    unchanged), each run a fresh process; skipped where there is no review command."""
    help_text = run_child([sys.executable, str(BUILD), "--help"])
    if "review" not in help_text["stdout"] + help_text["stderr"]:
        return {"ok": False, "error": "no review command"}
    with tempfile.TemporaryDirectory(prefix="bench-review-") as out:
        made = run_child([sys.executable, str(BUILD), "--format", "docx", "--content", str(content), "--output", out])
        docx = next(Path(out).glob("*.docx"), None)
        if made["rc"] != 0 or docx is None:
            return {"ok": False, "error": _fail_reason(made)}
        times = []
        for _ in range(runs):
            result = run_child([sys.executable, str(BUILD), "review", str(docx), "--content", str(content)])
            if result["rc"] not in (0, 1):
                return {"ok": False, "error": _fail_reason(result)}
            times.append(result["seconds"])
    return {"ok": True, "median_s": statistics.median(times), "runs": times}


# ----------------------------------------------------------------------------- report
def print_table(cold: dict, warm: dict, preview: dict, review: dict, synth: dict, big: int, typst_res: dict, peak) -> list:
    """Issue 18's table, every row side by side with Typst (measured in this run) and the ratio."""
    def seconds(r: dict, key: str = "median_s"):
        return r.get(key) if r and r.get("ok") else None

    t1, tbig = typst_res.get(1, {}), typst_res.get(big, {})
    pages = synth.get(big, {}).get("pages")
    rows = [
        ("cold --format pdf", seconds(cold["pdf"]), seconds(t1), "s"),
        ("cold --format all", seconds(cold["all"]), seconds(t1), "s"),
        ("warm rebuild, PDF (in one process)", seconds(warm["pdf"]), seconds(typst_res.get("warm", {})), "s"),
        ("save -> refreshed page (watch --serve --format all)", seconds(preview), seconds(typst_res.get("incremental", {})), "s"),
        ("save -> PDF and DOCX written (same saves)", seconds(preview, "whole_s"), None, "s"),
        (f"{big}× paper{f' ({pages} pages)' if pages else ''}, PDF", synth.get(big, {}).get("seconds") if big > 1 and synth.get(big, {}).get("ok") else None,
         seconds(tbig) if big > 1 else None, "s"),
        ("peak memory (largest build)", peak, tbig.get("peak_mb") if tbig.get("ok") else None, "MB"),
        ("review (of the paper's DOCX)", seconds(review), None, "s"),
    ]
    print("\nissue 18's table (this run; Typst's figures measured beside; ratio = paperpipe / Typst):")
    print(f"  {'':<52} {'paperpipe':>11}  {'Typst':>11}  {'ratio':>7}")
    table = []
    for name, ours, theirs, unit in rows:
        def cell(v):
            return "n/a" if v is None else (f"{v:.0f} {unit}" if unit == "MB" else f"{v:.3f} {unit}")
        ratio = f"{ours / theirs:.1f}×" if ours is not None and theirs and unit == "s" else ""
        print(f"  {name:<52} {cell(ours):>11}  {cell(theirs):>11}  {ratio:>7}")
        table.append({"row": name, "paperpipe": ours, "typst": theirs, "unit": unit})
    return table


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Benchmark the paper build (prints figures).")
    p.add_argument("--paper", type=Path, default=None,
                   help="content folder (default: content/, or tests/fixtures/mini if content/paper.yaml is missing)")
    p.add_argument("--runs", type=int, default=5, help="runs per cold/warm/Typst figure, median taken (default 5)")
    p.add_argument("--scales", default="1,10,30", help="synthetic paper sizes, comma-separated (default 1,10,30)")
    p.add_argument("--quick", action="store_true", help="a short run: 1 run each, 1× and 10× only")
    p.add_argument("--smoke", action="store_true",
                   help="a few seconds, for CI logs: the mini paper (unless --paper), 1 run, cold and warm PDF, save -> page, Typst beside")
    p.add_argument("--no-typst", action="store_true", help="do not run Typst even if installed")
    p.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = p.parse_args(argv)

    if args.quick:
        args.runs, args.scales = 1, "1,10"
    if args.smoke:
        args.runs, args.scales = 1, "1"
        args.paper = args.paper or ROOT / "tests" / "fixtures" / "mini"
    smoke = args.smoke
    scales = sorted({int(s) for s in args.scales.split(",") if s.strip()} | {1})
    content = args.paper
    if content is None:
        content = ROOT / "content"
        if not (content / "paper.yaml").is_file():
            content = ROOT / "tests" / "fixtures" / "mini"
            print("note: content/paper.yaml is missing; benchmarking the mini paper instead")
    content = content.resolve()
    runs = max(1, args.runs)
    docx_ready = (ROOT / "paperpipe" / "writers" / "docx").is_dir()
    tv = None if args.no_typst else typst_version()
    paper = _paper_yaml(content)

    fig: dict = {"paper": str(content.relative_to(ROOT) if content.is_relative_to(ROOT) else content),
                 "deliverable": paper.get("deliverable"), "runs": runs, "python": platform.python_version(),
                 "cpus": os.cpu_count(), "machine": platform.machine(), "typst": tv}
    print(f"paperpipe benchmark: paper {fig['paper']} ({fig['deliverable']}); Python {fig['python']}; "
          f"{fig['cpus']} CPUs; median of {runs} run(s)")
    if os.environ.get("PYTHONDONTWRITEBYTECODE") and not Path(importlib.util.cache_from_source(str(ROOT / "paperpipe" / "cli.py"))).is_file():
        print("note: PYTHONDONTWRITEBYTECODE is set, so every cold run also compiles paperpipe's own sources "
              "(about 0.1 s more than with cached bytecode)")

    # --- cold command line
    print(f"\ncold command line (build.py, fresh process each, median of {runs}):")
    cold = {}
    for fmt in ("pdf", "docx", "all"):
        if smoke and fmt != "pdf":
            cold[fmt] = {"format": fmt, "ok": False, "error": "not in --smoke"}
            continue
        if fmt != "pdf" and not docx_ready:
            cold[fmt] = {"format": fmt, "ok": False, "error": "paperpipe/writers/docx/ is not there yet"}
        else:
            cold[fmt] = cold_build(content, fmt, runs)
        print_cold(cold[fmt])
    fig["cold"] = cold

    # --- cold process, figures already converted (output/.cache from an earlier build)
    cached = {}
    if not smoke:
        print(f"\ncold command line with the figure cache filled (an editor's next build; median of {runs}):")
    for fmt in ("pdf", "docx", "all") if not smoke else ():
        if fmt != "pdf" and not docx_ready:
            continue
        cached[fmt] = cold_build(content, fmt, runs, figure_cache=True)
        print_cold(cached[fmt])
    fig["cold_cached"] = cached

    # --- warm rebuild
    if not smoke:
        print(f"\nwarm rebuild (build() again in one process, as --watch sees it, median of {runs}):")
    warm = {}
    for fmt in ("pdf", "all"):
        if smoke:
            warm[fmt] = {"format": fmt, "ok": False, "error": "not in --smoke"}
            continue
        if fmt == "all" and not docx_ready:
            warm[fmt] = {"format": fmt, "ok": False, "error": "paperpipe/writers/docx/ is not there yet"}
        else:
            warm[fmt] = warm_build(content, fmt, runs)
        r = warm[fmt]
        if r["ok"]:
            print(f"  {fmt:<5} {r['median_s']:7.2f} s   (first build {r['first_s']:.2f} s; of a rebuild: "
                  f"load {r['load_s']:.2f} s + render {r['render_s']:.2f} s)")
        else:
            print(f"  {fmt:<5}     n/a   ({r['error']})")
    fig["warm"] = warm

    # --- the preview: save -> refreshed page, through the real server
    saves = 2 if smoke else max(3, runs)
    print(f"\nsave -> refreshed page (watch --serve --format all; the page's event stream, then GET /, as a browser; median of {saves} saves):")
    preview = save_to_page(content, saves)
    if preview["ok"]:
        print(f"  save -> refreshed page {preview['median_s']:6.3f} s   (the stream told after {preview['event_s']:.3f} s; "
              f"the PDF and DOCX written after {preview['whole_s']:.2f} s)")
    else:
        print(f"  n/a ({preview['error']})")
    fig["preview"] = preview

    # --- review
    review = {"ok": False, "error": "not in --smoke"} if smoke else review_time(content, runs)
    if not smoke:
        print(f"\nreview (build.py review of the paper's own DOCX, fresh process, median of {runs}):")
        print(f"  review {review['median_s']:7.2f} s" if review["ok"] else f"  n/a ({review['error']})")
    fig["review"] = review

    # --- synthetic papers, and Typst on the same papers
    work = Path(tempfile.mkdtemp(prefix="bench-synthetic-"))
    typst_res: dict = {}
    try:
        print("\nsynthetic papers (the content repeated N×, ids renamed; build.py --format pdf, fresh process):")
        print(f"  {'scale':>5}  {'pages':>6}  {'time s':>7}  {'pages/s':>7}  {'peak MB':>7}")
        synth: dict = {}
        folders: dict[int, Path] = {}
        for n in scales:
            folder = content if n == 1 else make_synthetic(content, n, work / f"x{n}")
            folders[n] = folder
            if n == 1 and cold["pdf"]["ok"]:
                r = {"ok": True, "seconds": cold["pdf"]["median_s"], "peak_mb": cold["pdf"]["peak_mb"], "pages": cold["pdf"]["pages"]}
            else:
                with tempfile.TemporaryDirectory(prefix="bench-out-") as out:
                    res = run_child([sys.executable, str(BUILD), "--format", "pdf", "--content", str(folder), "--output", out])
                    if res["rc"] != 0:
                        r = {"ok": False, "error": _fail_reason(res)}
                    else:
                        r = {"ok": True, "seconds": res["seconds"], "peak_mb": res["peak_mb"],
                             "pages": pdf_pages(next(Path(out).glob("*.pdf")))}
            synth[n] = r
            if r["ok"]:
                r["pages_per_s"] = r["pages"] / r["seconds"]
                print(f"  {str(n) + '×':>5}  {r['pages']:>6}  {r['seconds']:>7.2f}  {r['pages_per_s']:>7.1f}  {r['peak_mb']:>7.0f}")
            else:
                print(f"  {str(n) + '×':>5}  failed: {r['error']}")
        fig["synthetic"] = {str(k): v for k, v in synth.items()}
        big = max(scales)
        linear = None
        if big > 1 and synth[1]["ok"] and synth[big]["ok"]:
            factor = synth[big]["seconds"] / synth[1]["seconds"]
            limit = LINEAR_LIMIT * big / 30
            linear = factor <= limit
            per_page = [synth[n]["seconds"] / synth[n]["pages"] * 1000 for n in (1, big)]
            print(f"  growth: {big}× content took {factor:.1f}× the 1× time (limit {limit:.0f}×): "
                  f"{'linear' if linear else 'NOT linear'}; {per_page[0]:.0f} ms/page at 1×, {per_page[1]:.0f} ms/page at {big}×")
        fig["linear"] = linear

        # --- Typst
        if tv:
            print(f"\nTypst {tv} (an equivalent Typst rendition of the same paper, fresh process, median of {runs}):")
            for n in sorted({1, big}):
                try:
                    typ = make_typst(folders[n], work / f"typst-x{n}", edit_after=edited_section(folders[n]))
                except BuildError as exc:  # the paper itself did not load (see its row above)
                    typst_res[n] = {"ok": False, "error": f"the paper did not load ({len(exc.problems)} problem(s))"}
                    print(f"  {str(n) + '×':>4}  not compiled: {typst_res[n]['error']}")
                    continue
                r = typst_build(typ, runs)
                typst_res[n] = r
                if r["ok"]:
                    print(f"  {str(n) + '×':>4}  {r['pages']:>5} pages  {r['median_s']:6.2f} s  cpu {r['cpu_s']:5.2f} s  (compile alone {r['compile_s']:.2f} s)  "
                          f"peak {r['peak_mb']:.0f} MB")
                else:
                    print(f"  {str(n) + '×':>4}  failed: {r['error']}")
            w = typst_warm(work / "typst-x1" / "paper.typ", runs) if not smoke else {"ok": False, "error": "not in --smoke"}
            typst_res["warm"] = w
            if w["ok"]:
                print(f"  warm recompile in one process (typst.Compiler): {w['median_s']:.3f} s")
            inc = typst_incremental(work / "typst-x1" / "paper.typ", 2 if smoke else max(3, runs))
            typst_res["incremental"] = inc
            print(f"  recompile after a one-paragraph edit (as typst watch): {inc['median_s']:.3f} s" if inc["ok"] else f"  incremental: failed: {inc['error']}")
        fig["typst_measured"] = {str(k): v for k, v in typst_res.items()}
    finally:
        shutil.rmtree(work, ignore_errors=True)

    # --- targets
    measured = bool(typst_res.get(1, {}).get("ok"))
    if measured:
        t1 = typst_res[1]["median_s"]
        tbig = typst_res[big]["median_s"] if typst_res.get(big, {}).get("ok") else None
        source = f"Typst measured in this run: {t1:.2f} s at 1×" + (f", {tbig:.2f} s at {big}×" if tbig and big > 1 else "")
    else:
        t1 = REFERENCE["typst_1x_s"]
        tbig = REFERENCE["typst_500p_s"] if big >= 30 else None
        source = (f"Typst not measured; the issue's reference figures: {t1} s for ~{REFERENCE['typst_1x_pages']} pages, "
                  f"{REFERENCE['typst_500p_s']} s for ~{REFERENCE['typst_500p_pages']} pages")
    print(f"\ntargets ({source}):")
    targets = []

    def target(name: str, ours: float | None, limit_factor: float, base: float | None, unit_note: str = ""):
        if ours is None or base is None:
            print(f"  {name:<34} n/a")
            targets.append({"target": name, "verdict": "n/a"})
            return
        ratio = ours / base
        ok = ratio <= limit_factor
        print(f"  {name:<34} {ours:6.2f} s = {ratio:5.2f}× Typst's {base:.2f} s  (≤ {limit_factor:g}×)  {_verdict(ok)}{unit_note}")
        targets.append({"target": name, "ours_s": ours, "typst_s": base, "ratio": ratio, "limit": limit_factor, "verdict": _verdict(ok)})

    target("cold PDF", cold["pdf"].get("median_s"), TARGET_COLD_PDF, t1)
    if not smoke:
        target("cold PDF + DOCX (--format all)", cold["all"].get("median_s"), TARGET_ALL, t1)
        target("warm rebuild (PDF)", warm["pdf"].get("median_s"), TARGET_WARM, t1)
    if warm["all"].get("ok"):
        target("warm rebuild (PDF + DOCX)", warm["all"].get("median_s"), TARGET_WARM, t1)
    if big > 1:
        target(f"{big}× paper (PDF)", synth[big]["seconds"] if synth[big]["ok"] else None, TARGET_BIG, tbig)
    peaks = [r["peak_mb"] for r in (*cold.values(), *synth.values()) if r.get("ok")]
    peak = max(peaks) if peaks else None
    if peak is not None:
        ok = peak < TARGET_MEMORY_MB
        print(f"  {'peak memory (largest of all builds)':<34} {peak:6.0f} MB (< {TARGET_MEMORY_MB:.0f} MB)  {_verdict(ok)}")
        targets.append({"target": "peak memory", "ours_mb": peak, "limit_mb": TARGET_MEMORY_MB, "verdict": _verdict(ok)})
    if linear is not None:
        print(f"  {'linear growth':<34} {_verdict(linear)}")
        targets.append({"target": "linear growth", "verdict": _verdict(linear)})
    inc = typst_res.get("incremental", {})
    target("save -> refreshed page", preview.get("median_s"), TARGET_PAGE, inc.get("median_s") if inc.get("ok") else None)
    print(f"  (pandoc through LaTeX, the issue's reference: {REFERENCE['pandoc_latex_1x_s']} s and {REFERENCE['pandoc_latex_500p_s']} s)")
    fig["targets"] = targets
    fig["table"] = print_table(cold, warm, preview, review, synth, big, typst_res, peak)

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(fig, indent=2, default=str), encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
