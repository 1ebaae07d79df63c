"""An output folder laid out as a hostile visitor would wish, served by the
real preview server in this process, and a raw HTTP/1.1 client for it
(raw bytes, so requests no library would send can be sent)."""
from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from paperpipe.serve import Preview, start_server  # noqa: E402

PAGE = b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body><p>THE-PAGE</p></body></html>'
# files the server serves: request path (decoded) -> bytes on disk
PUBLIC = {
    "/paper.html": PAGE,
    "/paper.pdf": b"%PDF-1.7 THE-PDF",
    "/sub/notes.txt": b"THE-NOTES",
    "/r\u00e9sum\u00e9 1.pdf": b"%PDF-1.7 THE-ACCENTED",
}
LINKED = {"/alias.pdf": b"%PDF-1.7 THE-PDF"}  # a symlink to paper.pdf, inside the folder: served as it
# what must never come back, whatever the request
SECRETS = (b"SECRET-CACHE", b"SECRET-PART", b"SECRET-PREVIOUS", b"SECRET-OUTSIDE", b"SECRET-DOT", b"SECRET-SUBDOT")


def make_output(base: Path) -> Path:
    """base/output with public files, hidden ones, and links in and out."""
    out = base / "output"
    (out / "sub").mkdir(parents=True)
    (out / ".cache").mkdir()
    for path, data in PUBLIC.items():
        (out / path.lstrip("/")).write_bytes(data)
    (out / ".cache" / "fig.png").write_bytes(b"SECRET-CACHE")
    (out / ".paper.pdf.x1y2.part").write_bytes(b"SECRET-PART")
    (out / "paper.pdf.part").write_bytes(b"SECRET-PART")
    (out / ".paper.pdf.a9.previous").write_bytes(b"SECRET-PREVIOUS")
    (out / ".env").write_bytes(b"SECRET-DOT")
    (out / "sub" / ".hidden").write_bytes(b"SECRET-SUBDOT")
    outside = base / "secret.txt"
    outside.write_bytes(b"SECRET-OUTSIDE")
    (base / "secret-folder").mkdir()
    (base / "secret-folder" / "paper.pdf").write_bytes(b"SECRET-OUTSIDE")
    (out / "alias.pdf").symlink_to("paper.pdf")
    (out / "out-link.pdf").symlink_to(outside)
    (out / "out-dir").symlink_to(base / "secret-folder", target_is_directory=True)
    (out / "cache-link").symlink_to(".cache", target_is_directory=True)
    (out / "cache-file.png").symlink_to(".cache/fig.png")
    (out / "part-link.pdf").symlink_to(".paper.pdf.x1y2.part")
    (out / "loop").symlink_to("loop")
    if hasattr(os, "mkfifo"):
        os.mkfifo(out / "pipe.pdf")  # not a regular file: refused, never read (a read would block)
    return out


@dataclass
class Served:
    output: Path
    port: int
    preview: Preview
    server: object

    def raw(self, request: bytes, timeout: float = 20) -> tuple[int, dict[str, str], bytes]:
        """Send ``request`` as it stands; (status, headers, body) of the answer."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as conn:
            conn.sendall(request)
            data = b""
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return status, headers, body

    def request(self, method: str, target: str, host: str | None = "default", extra: bytes = b"") -> tuple[int, dict[str, str], bytes]:
        host_line = b"" if host is None else b"Host: " + (f"127.0.0.1:{self.port}" if host == "default" else host).encode("utf-8", "surrogateescape") + b"\r\n"
        return self.raw(method.encode("latin-1") + b" " + target.encode("utf-8", "surrogateescape") + b" HTTP/1.1\r\n"
                        + host_line + extra + b"Connection: close\r\n\r\n")


def serve_output(base: Path) -> Served:
    out = make_output(base)
    preview = Preview()
    preview.finished([], out / "paper.html")
    server = start_server(out, preview, 0)
    return Served(out, server.server_address[1], preview, server)


def stop(served: Served) -> None:
    served.preview.close()
    served.server.shutdown()
    served.server.server_close()
