"""How large each kind of input file may be, checked before it is parsed
(a 70 MB data file took 18 s and 1.5 GB before any limit spoke). A file is
read up to one byte past its limit and no further, so that a file that
grows, or that the system reports wrongly, cannot make the read unbounded.
The limits are listed in content/README.md."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

# kind -> (bytes, what the editors call it, what to do)
LIMITS = {
    "markdown": (4_000_000, "a section file", "split it into several section files"),
    "yaml": (1_000_000, "a YAML file", "split the data into several files named in paper.yaml, or keep only what the paper prints"),
    "svg": (10_000_000, "an SVG figure", "simplify the drawing, or export it as PNG"),
    "picture": (50_000_000, "a PNG or JPEG picture", "save it smaller (300 pixels per inch of printed size is enough; JPEG for photographs)"),
    "template": (1_000_000, "a template file", "split the macros into several .md.j2 files"),
}


class TooLarge(Exception):
    """A file past its kind's limit; ``message`` and ``advice`` in the editors' words."""

    def __init__(self, kind: str, size: int):
        limit, what, advice = LIMITS[kind]
        super().__init__(f"the file is larger than the {_megabytes(limit)} {what} may be")
        self.message, self.advice, self.size = str(self), advice, size


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


def read_bytes(path: Path, kind: str) -> bytes:
    """The file's bytes, or TooLarge (OSError as open and read raise it, and
    for what is not a regular file: opening a pipe waits for ever)."""
    limit = LIMITS[kind][0]
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(errno.EINVAL, "it is not a file but a pipe, a device or a folder")
    with Path(path).open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(kind, len(data))
    return data
