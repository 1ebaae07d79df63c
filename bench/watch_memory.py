#!/usr/bin/env python3
"""Memory of one watch process over many saves (issue 18: it stays flat).

    python bench/watch_memory.py [--saves 200] [--paper DIR]

Starts ``build.py watch --serve --format all`` on a copy of the paper, saves
the middle section ``--saves`` times (one sentence changed each time, so the
paper keeps its size), waits for each build to be written whole, and prints
the process's resident memory (RSS, from /proc) after the first build and
after every 50th. Linux only (it reads /proc/PID/status).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from children import BUILD, ROOT  # noqa: E402
from preview_latency import _Lines, edited_section  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--saves", type=int, default=200)
    p.add_argument("--paper", type=Path, default=ROOT / "content")
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    child = None
    try:
        paper = work / "paper"
        shutil.copytree(args.paper, paper, ignore=shutil.ignore_patterns("output", ".*"))
        section = paper / edited_section(args.paper.resolve()).relative_to(args.paper.resolve())
        original = section.read_text(encoding="utf-8").rstrip("\n")
        child = subprocess.Popen(
            [sys.executable, "-u", str(BUILD), "watch", "--serve", "--port", "0", "--format", "all", "--content", str(paper),
             "--templates", str(ROOT / "templates"), "--output", str(work / "output")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=work, env={**os.environ, "NO_COLOR": "1"},
        )
        lines = _Lines(child.stdout)
        lines.wait_for(r"^built ")
        print(f"after build 1 (the start): RSS {rss_mb(child.pid):.0f} MB", flush=True)
        started = time.perf_counter()
        for n in range(1, args.saves + 1):
            section.write_text(f"{original}\n\nThis sentence was saved as number {n % 10} of ten.\n", encoding="utf-8")
            lines.wait_for(r"^built ", timeout=300)
            if n + 1 in (2, 10) or (n + 1) % 50 == 0 or n == args.saves:
                print(f"after build {n + 1}: RSS {rss_mb(child.pid):.0f} MB ({time.perf_counter() - started:.0f} s)", flush=True)
        return 0
    finally:
        if child is not None and child.poll() is None:
            child.terminate()
            child.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
