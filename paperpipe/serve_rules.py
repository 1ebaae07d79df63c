"""Which requests the preview server answers, and with which file.

The preview runs on an editor's machine while a browser visits other sites,
so every rule here is about what a page on another site could make that
browser ask for:

- ``host_allowed``: a request is answered only when its ``Host`` names the
  loopback (``127.0.0.1``, ``localhost`` or ``[::1]``) with the server's own
  port. A page on another site that re-points its own name at 127.0.0.1
  (DNS rebinding) sends its own name as ``Host``, and gets 400.
- ``resolve``: the request's path is decoded once (percent escapes, then
  UTF-8), refused when it is anything but plain ``/``-separated names
  (backslashes, empty or dot segments, a second layer of escapes, control
  characters), and its file is the real path (symlinks resolved) of a
  regular file inside the output folder, with no dot-file or half-written
  ``.part`` file anywhere along it. Everything else is "not found".
- ``scrub``: a message shown in the page names files relative to the paper,
  never by an absolute path of the editor's machine.
"""
from __future__ import annotations

import hashlib
import base64
import os
import re
import stat
from pathlib import Path
from urllib.parse import unquote_to_bytes

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
HIDDEN_SUFFIXES = (".part", ".previous")  # the atomic writer's files, beside the outputs while a build writes


def host_allowed(values: list[str], port: int) -> bool:
    """Exactly one Host header, naming the loopback with our own port."""
    if len(values) != 1:
        return False
    host = values[0].strip().lower()
    return any(host == f"{name}:{port}" for name in LOOPBACK_NAMES)


class Refused(Exception):
    """A request path that names no servable file; ``status`` is what to answer."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def request_path(target: str) -> str:
    """The decoded path of a request target (``/a/b.pdf?x``): one layer of
    percent escapes, UTF-8. Raises Refused(400) for anything that is not a
    plain absolute path, Refused(404) for a path no file of ours can have."""
    if not target.startswith("/") or target.startswith("//"):
        raise Refused(400)  # absolute-form (http://host/…) or a scheme-relative target
    raw = target.split("?", 1)[0].split("#", 1)[0]
    try:
        path = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(404) from None
    if re.search(r"%[0-9A-Fa-f]{2}", path):
        raise Refused(404)  # escaped twice: a second decoder (a proxy, a framework) would see another path
    if "\\" in path or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path):
        raise Refused(404)
    return path


def hidden(name: str) -> bool:
    """A name the server never serves: dot-files (the figure cache, editors'
    swap files) and the atomic writer's half-written files."""
    return name.startswith(".") or name.endswith(HIDDEN_SUFFIXES)


def resolve(output: Path, path: str) -> Path:
    """The real path of the regular file that ``path`` (decoded, as from
    ``request_path``) names inside ``output``; Refused(404) otherwise."""
    parts = path.split("/")[1:]
    if not parts or any(part in ("", ".", "..") or hidden(part) for part in parts):
        raise Refused(404)
    root = Path(os.path.realpath(output))
    real = Path(os.path.realpath(root.joinpath(*parts)))
    try:
        inside = real.relative_to(root)
    except ValueError:
        raise Refused(404) from None  # a symlink out of the output folder
    if not inside.parts or any(hidden(part) for part in inside.parts):
        raise Refused(404)  # a symlink into the cache, or onto a half-written file
    try:
        info = os.stat(real, follow_symlinks=False)
    except (OSError, ValueError):
        raise Refused(404) from None
    if not stat.S_ISREG(info.st_mode):
        raise Refused(404)  # folders are not listed; devices, pipes and sockets are not files
    return real


def open_file(real: Path):
    """``real`` (from ``resolve``) opened for reading, refusing a symlink put
    in its place since, or anything but a regular file; (file, size)."""
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        raise Refused(404) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise Refused(404)
    return os.fdopen(fd, "rb"), info.st_size


# ----------------------------------------------------------------------------- what the browser may do
def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def page_policy(script: str) -> str:
    """The Content-Security-Policy of a served page: it is self-contained
    (inline CSS and SVG, pictures and fonts as data: URLs), runs only the reload
    script, and talks only to its own event stream."""
    return "; ".join([
        "default-src 'none'",
        "img-src data: 'self'",
        "font-src data:",
        "style-src 'unsafe-inline'",
        f"script-src {script_hash(script)}",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ])


# a file that is not a page (the PDF, the DOCX): it loads nothing and is framed by no other site
# (no `sandbox`: Chromium refuses to show a PDF in a sandboxed document)
FILE_POLICY = "default-src 'none'; frame-ancestors 'none'"


# ----------------------------------------------------------------------------- what the page is told
_ABSOLUTE = re.compile(r"(?<![\w:/.~-])(?:/|[A-Za-z]:[\\/])[^\s:;,'\"()<>]*")


def scrub(text: str, roots: dict[Path, str]) -> str:
    """``text`` with every absolute path shown relative to the paper: a path
    under one of ``roots`` (folder -> the name to show it by) by that name,
    any other absolute path by its last name only."""
    folders: dict[str, str] = {}
    for folder, name in roots.items():
        for spelling in (os.path.abspath(folder), os.path.realpath(folder)):
            if spelling.rstrip("/\\"):
                folders[spelling.rstrip("/\\")] = name
    for folder in sorted(folders, key=len, reverse=True):  # the deepest first: output/ may lie inside the paper
        text = re.sub(re.escape(folder) + r"(?=[\\/]|$|[\s:;,'\"()<>])", lambda _found, name=folders[folder]: name, text)

    def tail(found: re.Match) -> str:
        return re.split(r"[\\/]", found.group(0).rstrip("/\\"))[-1] or "…"

    return _ABSOLUTE.sub(tail, text)
