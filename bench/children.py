"""Running a command as a fresh process for the benchmark: wall time, CPU
time and peak memory of that child alone, and counting a PDF's pages."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build.py"
TEMPLATES = ROOT / "templates"


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


def pdf_pages(path: Path) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:  # a rough count without pypdf
        return len(re.findall(rb"/Type\s*/Page(?![s\w])", path.read_bytes()))
    return len(PdfReader(str(path)).pages)
