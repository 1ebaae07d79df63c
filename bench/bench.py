#!/usr/bin/env python3
"""Benchmark of the paper build: prints figures (it is not a timed test).

    python bench/bench.py                 # the full run (content/, 5 runs each, 1×/10×/30×)
    python bench/bench.py --quick         # 1 run each, 1× and 10× only
    python bench/bench.py --paper tests/fixtures/mini --json bench/results/mini.json

What it measures (see bench/README.md):

- cold command-line time of ``build.py --format pdf|docx|all``: median of N
  runs, each a fresh process, into a temporary output folder, with the
  child's peak memory;
- warm rebuild time in one process, as ``--watch`` sees it: ``build()``
  called again and again after a first build;
- synthetic papers that repeat the content 10× and 30× (ids renamed per
  copy): pages, time, pages per second, peak memory, and whether growth is
  linear (30× ≤ 35 × the 1× time);
- Typst (the Python package ``typst``), when installed, side by side on an
  equivalent Typst rendition of the same paper (contents, lists of figures
  and tables, the same headings, paragraphs, lists, tables and figures),
  then the issue's targets with PASS/MISS.  Without Typst it compares with
  the issue's reference figures.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build.py"
TEMPLATES = ROOT / "templates"

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
TARGET_BIG = 3.0           # × Typst's time for the big paper
TARGET_MEMORY_MB = 400.0
LINEAR_LIMIT = 35.0        # 30× content ≤ 35 × the 1× time


# ----------------------------------------------------------------------------- processes
def _maxrss_mb(rusage) -> float:
    # ru_maxrss is in KiB on Linux, in bytes on macOS
    scale = 1 if sys.platform == "darwin" else 1024
    return rusage.ru_maxrss * scale / (1024 * 1024)


def run_child(cmd: list[str], cwd: Path = ROOT, timeout: float = 1800) -> dict:
    """Run ``cmd`` as a fresh process: wall time, exit status, peak memory of
    that child alone (os.wait4), and its output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        if hasattr(os, "wait4"):
            deadline = start + timeout
            while True:
                pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    proc.kill()
                    pid, status, rusage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.002)
            seconds = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            peak = _maxrss_mb(rusage)
            cpu = rusage.ru_utime + rusage.ru_stime
        else:  # no wait4: time only
            proc.wait(timeout)
            seconds = time.perf_counter() - start
            peak = cpu = float("nan")
        out.seek(0)
        err.seek(0)
        return {"seconds": seconds, "cpu_s": cpu, "rc": proc.returncode, "peak_mb": peak,
                "stdout": out.read().decode("utf-8", "replace"), "stderr": err.read().decode("utf-8", "replace")}


def _fail_reason(result: dict) -> str:
    lines = [line for line in (result["stderr"] or result["stdout"]).splitlines() if line.strip()]
    return lines[-1][:160] if lines else f"exit status {result['rc']}"


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


def pdf_pages(path: Path) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:  # a rough count without pypdf
        return len(re.findall(rb"/Type\s*/Page(?![s\w])", path.read_bytes()))
    return len(PdfReader(str(path)).pages)


# ----------------------------------------------------------------------------- warm rebuild
WARM_CODE = r"""
import json, statistics, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from paperpipe.pipeline import build, load, render
content, templates, runs = Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[5])
formats = tuple(sys.argv[4].split(","))
with tempfile.TemporaryDirectory(prefix="bench-warm-") as out:
    t = time.perf_counter(); build(content, templates, Path(out), formats); first = time.perf_counter() - t
    times, loads, renders = [], [], []
    for _ in range(runs):
        t = time.perf_counter(); build(content, templates, Path(out), formats); times.append(time.perf_counter() - t)
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


# ----------------------------------------------------------------------------- Typst rendition
def _s(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\t", " ") + '"'


def _colour(value: str) -> str:
    return f'rgb("{value}")'


class TypstWriter:
    """The paper in Typst markup, from the same document model the writers
    render (so template calls, data tables and numbering are the same)."""

    def __init__(self, doc, theme, image_dir: Path):
        self.doc, self.theme, self.image_dir = doc, theme, image_dir
        self.images: dict[Path, str] = {}

    # inlines ---------------------------------------------------------------
    def inlines(self, nodes) -> str:
        from paperpipe import model as m

        out = []
        for n in nodes:
            if isinstance(n, m.Text):
                out.append("#" + _s(n.text))
            elif isinstance(n, m.Strong):
                out.append("#strong[" + self.inlines(n.children) + "]")
            elif isinstance(n, m.Emph):
                out.append("#emph[" + self.inlines(n.children) + "]")
            elif isinstance(n, m.Code):
                out.append("#raw(" + _s(n.text) + ")")
            elif isinstance(n, m.LineBreak):
                out.append("#linebreak()")
            elif isinstance(n, m.Link):
                out.append(f"#link({_s(n.url)})[" + self.inlines(n.children) + "]")
            elif isinstance(n, m.Ref):
                target = self.doc.targets.get(n.target)
                if n.children:
                    out.append(f"#link(label({_s(n.target)}))[" + self.inlines(n.children) + "]")
                elif target is not None and target.number:
                    out.append(f"#ref(label({_s(n.target)}))")
                else:
                    out.append(f"#link(label({_s(n.target)}))[#{_s(n.label)}]")
        return "".join(out)

    # blocks ----------------------------------------------------------------
    def blocks(self, blocks) -> str:
        return "\n\n".join(self.block(b) for b in blocks)

    def block(self, b) -> str:
        from paperpipe import model as m

        if isinstance(b, m.Heading):
            numbering = '"1.1"' if b.numbered else "none"
            return f"#heading(level: {b.level}, numbering: {numbering})[{self.inlines(b.children)}]" + (f" <{b.id}>" if b.id else "")
        if isinstance(b, m.Paragraph):
            return self.inlines(b.children)
        if isinstance(b, m.BulletList):
            return "#list(" + ", ".join("[" + self.blocks(item) + "]" for item in b.items) + ")"
        if isinstance(b, m.OrderedList):
            return f"#enum(start: {b.start}, " + ", ".join("[" + self.blocks(item) + "]" for item in b.items) + ")"
        if isinstance(b, m.Sidebar):
            title = f"#strong[#{_s(b.title)}]\n\n" if b.title else ""
            box = self.theme.sidebars
            return (f"#block(fill: {_colour(box.fill)}, inset: {box.padding}pt, width: 100%, breakable: true)"
                    f"[#set text(size: {self.theme.text['sidebar'].size}pt)\n{title}{self.blocks(b.blocks)}]")
        if isinstance(b, m.Image):
            return self.image(b)
        if isinstance(b, m.Table):
            body = self.table(b)
            if b.caption and b.number:
                return f"#figure(kind: table, caption: [{self.inlines(b.caption)}], {body})" + (f" <{b.id}>" if b.id else "")
            return "#" + body
        if isinstance(b, m.Figure):
            if len(b.body) == 1 and isinstance(b.body[0], m.Image):
                body = self.image(b.body[0]).lstrip("#")
            else:
                body = "[" + self.blocks(b.body) + "]"
            return f"#figure(kind: image, supplement: [Figure], caption: [{self.inlines(b.caption)}], {body})" + (f" <{b.id}>" if b.id else "")
        raise TypeError(f"no Typst for {type(b).__name__}")

    def image(self, img) -> str:
        path = Path(img.path)
        if path not in self.images:
            name = f"{len(self.images):03d}-{path.name}"
            shutil.copy2(path, self.image_dir / name)
            self.images[path] = name
        return f'#image("{self.image_dir.name}/{self.images[path]}", width: {img.width * 100:.1f}%, alt: {_s(img.description)})'

    def table(self, t) -> str:
        from paperpipe import model as m

        look = self.theme.table(t.style)  # fills and bold by role: the theme's, as the writers use them
        widths = t.widths or (1.0,) * t.columns
        cols = "(" + ", ".join(f"{w:g}fr" for w in widths) + ("," if len(widths) == 1 else "") + ")"

        def cell(cl: m.Cell, row: m.Row, header: bool) -> str:
            args = []
            if cl.colspan > 1:
                args.append(f"colspan: {cl.colspan}")
            if cl.rowspan > 1:
                args.append(f"rowspan: {cl.rowspan}")
            row_look, cell_look = look.row_look(row.role or ("header" if header else "")), look.cell_look(cl.role)
            text = self.theme.text[cell_look.text or row_look.text or look.text]
            bold = text.face.startswith("bold") or row_look.bold or cell_look.bold
            body = f"#set text(fill: {_colour(text.colour)}, weight: \"{'bold' if bold else 'regular'}\")\n{self.blocks(cl.blocks)}"
            fill = cell_look.fill or row_look.fill
            if fill:
                args.append(f"fill: {_colour(fill)}")
            if cl.align in ("left", "center", "right"):
                args.append(f"align: {cl.align}")
            return f"table.cell({', '.join(args)})[{body}]"

        head, rest = [], []
        for i, row in enumerate(t.rows):
            target = head if i < t.header_rows else rest
            target.extend(cell(cl, row, i < t.header_rows) for cl in row.cells)
        stroke = f"{look.grid_width}pt + {_colour(look.grid_colour)}" if look.grid_width else "none"
        parts = [f"columns: {cols}", f"stroke: {stroke}", f"inset: (x: {look.padding_horizontal}pt, y: {look.padding_vertical}pt)"]
        if head:
            parts.append("table.header(repeat: true, " + ", ".join(head) + ")")
        parts.extend(rest)
        return "table(" + ",\n  ".join(parts) + ")"

    # document --------------------------------------------------------------
    def document(self) -> str:
        doc, th = self.doc, self.theme
        meta, page, text = doc.meta, th.page, th.text
        body_style = text["body"]
        labels = meta.labels
        cover = meta.cover or {}
        header = " #h(1fr) ".join("#" + _s(line) for line in meta.header)
        margin = (f"(top: {page.margin_top:.2f}pt, bottom: {page.margin_bottom:.2f}pt, "
                  f"left: {page.margin_left:.2f}pt, right: {page.margin_right:.2f}pt)")
        paper = "a4" if abs(page.width - 595.28) < 1 else "us-letter"
        lines = "\n\n".join("#" + _s(str(x)) for x in cover.get("lines", []))
        body = "\n\n".join(self.block(b) for b in doc.blocks)
        # Typst's leading is the gap from one line's baseline to the next line's cap height
        gap = body_style.leading - 0.65 * body_style.size
        h = {level: th.heading(level) for level in (1, 2, 3)}
        return f"""// Generated by bench/bench.py: the paper as Typst markup, for a side-by-side timing.
#set document(title: {_s(meta.title)}, author: {_s(meta.author)})
#set text(font: {_s(th.fonts.family)}, size: {body_style.size}pt, lang: {_s(meta.language[:2])}, fill: {_colour(body_style.colour)})
#set par(justify: true, leading: {gap:.2f}pt, spacing: {gap + body_style.after:.2f}pt)
#set heading(numbering: "1.1")
#show heading.where(level: 1): set text(size: {h[1].size}pt, fill: {_colour(h[1].colour)})
#show heading.where(level: 2): set text(size: {h[2].size}pt, fill: {_colour(h[2].colour)})
#show heading.where(level: 3): set text(size: {h[3].size}pt, fill: {_colour(h[3].colour)})
#show table: set text(size: {text['cell'].size}pt)
#show figure.caption: set text(size: {text[th.captions.style].size}pt)
#show figure: set block(breakable: true)
#show link: set text(fill: {_colour(th.links.colour)})
#set page(paper: {_s(paper)}, margin: {margin})

#page(header: none, footer: none)[
  #v(30%)
  #text(size: {text['cover_title'].size}pt, weight: "bold", fill: {_colour(th.cover.band_colour)})[#{_s(str(cover.get('title', meta.title)))}]

  #text(size: {text['cover_line'].size}pt)[{lines}]

  #v(1fr)
  #{_s(str(cover.get('kind', '')))}

  #{_s(str(cover.get('footer', '')))}
]

#set page(
  header: [#set text(size: {text['header'].size}pt, fill: {_colour(text['header'].colour)}); {header}],
  footer: context [#set text(size: {text['footer'].size}pt, fill: {_colour(text['footer'].colour)}); #h(1fr) #counter(page).display() #h(1fr)],
)
#counter(page).update(1)
#outline(title: [#{_s(labels['contents'])}], depth: 3)
#outline(title: [#{_s(labels['figures'])}], target: figure.where(kind: image))
#outline(title: [#{_s(labels['tables'])}], target: figure.where(kind: table))
#pagebreak()

{body}
"""


def make_typst(content: Path, dest: Path) -> Path:
    """dest/paper.typ (+ dest/img/) for the paper in ``content``."""
    sys.path.insert(0, str(ROOT))
    from paperpipe.pipeline import load

    loaded = load(content, TEMPLATES)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "img").mkdir(exist_ok=True)
    text = TypstWriter(loaded.doc, loaded.theme, dest / "img").document()
    path = dest / "paper.typ"
    path.write_text(text, encoding="utf-8")
    return path


TYPST_CODE = r"""
import sys, time
t = time.perf_counter()
import typst
typst.compile(sys.argv[1], output=sys.argv[2], root=sys.argv[3], font_paths=[sys.argv[4]])
print(time.perf_counter() - t)
"""


def typst_version() -> str | None:
    try:
        import typst  # noqa: F401
    except ImportError:
        return None
    try:
        from importlib.metadata import version

        return version("typst")
    except Exception:
        return "?"


def typst_build(typ: Path, runs: int) -> dict:
    times, inner, peaks, cpus = [], [], [], []
    out = typ.with_suffix(".pdf")
    for _ in range(runs):
        result = run_child([sys.executable, "-c", TYPST_CODE, str(typ), str(out), str(typ.parent), str(TEMPLATES / "fonts")])
        if result["rc"] != 0:
            return {"ok": False, "error": _fail_reason(result)}
        times.append(result["seconds"])
        inner.append(float(result["stdout"].strip().splitlines()[-1]))
        cpus.append(result["cpu_s"])
        peaks.append(result["peak_mb"])
    return {"ok": True, "median_s": statistics.median(times), "runs": times, "compile_s": statistics.median(inner), "cpu_s": statistics.median(cpus),
            "peak_mb": max(peaks), "pages": pdf_pages(out)}


TYPST_WARM_CODE = r"""
import json, statistics, sys, time
import typst
c = typst.Compiler(sys.argv[1], root=sys.argv[2], font_paths=[sys.argv[3]])
c.compile(); times = []
for _ in range(int(sys.argv[4])):
    t = time.perf_counter(); c.compile(); times.append(time.perf_counter() - t)
print(json.dumps({"median_s": statistics.median(times)}))
"""


def typst_warm(typ: Path, runs: int) -> dict:
    result = run_child([sys.executable, "-c", TYPST_WARM_CODE, str(typ), str(typ.parent), str(TEMPLATES / "fonts"), str(runs)])
    if result["rc"] != 0:
        return {"ok": False, "error": _fail_reason(result)}
    return {"ok": True, **json.loads(result["stdout"].strip().splitlines()[-1])}


# ----------------------------------------------------------------------------- report
def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Benchmark the paper build (prints figures).")
    p.add_argument("--paper", type=Path, default=None,
                   help="content folder (default: content/, or tests/fixtures/mini if content/paper.yaml is missing)")
    p.add_argument("--runs", type=int, default=5, help="runs per cold/warm/Typst figure, median taken (default 5)")
    p.add_argument("--scales", default="1,10,30", help="synthetic paper sizes, comma-separated (default 1,10,30)")
    p.add_argument("--quick", action="store_true", help="a smoke run: 1 run each, 1× and 10× only")
    p.add_argument("--no-typst", action="store_true", help="do not run Typst even if installed")
    p.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = p.parse_args(argv)

    if args.quick:
        args.runs, args.scales = 1, "1,10"
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
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set, so every cold run also compiles paperpipe's own sources "
              "(about 0.1 s more than with cached bytecode, as on CI)")

    # --- cold command line
    print(f"\ncold command line (build.py, fresh process each, median of {runs}):")
    cold = {}
    for fmt in ("pdf", "docx", "all"):
        if fmt != "pdf" and not docx_ready:
            cold[fmt] = {"format": fmt, "ok": False, "error": "paperpipe/writers/docx/ is not there yet"}
        else:
            cold[fmt] = cold_build(content, fmt, runs)
        print_cold(cold[fmt])
    fig["cold"] = cold

    # --- cold process, figures already converted (output/.cache from an earlier build)
    print(f"\ncold command line with the figure cache filled (an editor's next build; median of {runs}):")
    cached = {}
    for fmt in ("pdf", "docx", "all"):
        if fmt != "pdf" and not docx_ready:
            continue
        cached[fmt] = cold_build(content, fmt, runs, figure_cache=True)
        print_cold(cached[fmt])
    fig["cold_cached"] = cached

    # --- warm rebuild
    print(f"\nwarm rebuild (build() again in one process, as --watch sees it, median of {runs}):")
    warm = {}
    for fmt in ("pdf", "all"):
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
                typ = make_typst(folders[n], work / f"typst-x{n}")
                r = typst_build(typ, runs)
                typst_res[n] = r
                if r["ok"]:
                    print(f"  {str(n) + '×':>4}  {r['pages']:>5} pages  {r['median_s']:6.2f} s  cpu {r['cpu_s']:5.2f} s  (compile alone {r['compile_s']:.2f} s)  "
                          f"peak {r['peak_mb']:.0f} MB")
                else:
                    print(f"  {str(n) + '×':>4}  failed: {r['error']}")
            w = typst_warm(work / "typst-x1" / "paper.typ", runs)
            typst_res["warm"] = w
            if w["ok"]:
                print(f"  warm recompile in one process (typst.Compiler): {w['median_s']:.3f} s")
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
    target("cold PDF + DOCX (--format all)", cold["all"].get("median_s"), TARGET_ALL, t1)
    target("warm rebuild (PDF)", warm["pdf"].get("median_s"), TARGET_WARM, t1)
    if warm["all"].get("ok"):
        target("warm rebuild (PDF + DOCX)", warm["all"].get("median_s"), TARGET_WARM, t1)
    big_ours = synth[big]["seconds"] if big > 1 and synth[big]["ok"] else None
    target(f"{big}× paper (PDF)", big_ours, TARGET_BIG, tbig)
    peaks = [r["peak_mb"] for r in (*cold.values(), *synth.values()) if r.get("ok")]
    peak = max(peaks) if peaks else None
    if peak is not None:
        ok = peak < TARGET_MEMORY_MB
        print(f"  {'peak memory (largest of all builds)':<34} {peak:6.0f} MB (< {TARGET_MEMORY_MB:.0f} MB)  {_verdict(ok)}")
        targets.append({"target": "peak memory", "ours_mb": peak, "limit_mb": TARGET_MEMORY_MB, "verdict": _verdict(ok)})
    if linear is not None:
        print(f"  {'linear growth':<34} {_verdict(linear)}")
        targets.append({"target": "linear growth", "verdict": _verdict(linear)})
    print(f"  (pandoc through LaTeX, the issue's reference: {REFERENCE['pandoc_latex_1x_s']} s and {REFERENCE['pandoc_latex_500p_s']} s)")
    fig["targets"] = targets

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(fig, indent=2, default=str), encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
