"""Writing a build's output files all or nothing: each file is written whole
under a temporary name beside its place, and only when every one is whole
are they moved into place; a failure puts every previous file back."""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path


def write_atomic(files: dict[Path, bytes]) -> None:
    """All or nothing: write every file under a temporary name beside it,
    and only when all are whole move them into place, keeping a link to each
    previous file until the last is in place. If any step fails (a file open
    in another program, a folder that cannot be written), every output is
    put back as it was, and folders this call made are removed: never a
    partial file, never a new PDF beside an old DOCX."""
    made: list[Path] = []      # folders created here, innermost last
    staged: list[tuple[str, Path]] = []
    saved: dict[Path, str | None] = {}  # target -> link to its previous content (None: there was none)
    path = next(iter(files), Path("."))
    try:
        for path, data in files.items():
            missing = [p for p in [path.parent, *path.parent.parents] if not p.exists()]
            for folder in reversed(missing):
                folder.mkdir()
                made.append(folder)
            fd, tmp = _new_file(path)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            if path.is_dir() and not path.is_symlink():
                raise IsADirectoryError(21, "a folder has the output file's name", str(path))
            saved[path] = _keep(path) if os.path.lexists(path) else None
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException as exc:
        _undo(staged, saved, made)
        if isinstance(exc, OSError):
            raise OutputError(path, exc) from exc
        raise
    for link in saved.values():
        if link is not None and os.path.lexists(link):
            os.unlink(link)


def _new_file(path: Path) -> tuple[int, str]:
    """A new file beside ``path`` under a name no one else uses, open for
    writing, with a normal file's mode: the system applies the process's
    umask when it is made (no umask is read or changed here)."""
    for _attempt in range(100):
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.part")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(17, "no free temporary name beside the output", str(path))


def _keep(path: Path) -> str:
    """A second name for the file at ``path`` (a hard link; a copy where links are not possible)."""
    fd, keep = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".previous", dir=path.parent)
    os.close(fd)
    os.unlink(keep)
    try:
        os.link(path, keep, follow_symlinks=False)
    except OSError:
        import shutil

        shutil.copy2(path, keep, follow_symlinks=False)
    return keep


def _undo(staged: list[tuple[str, Path]], saved: dict[Path, str | None], made: list[Path]) -> None:
    """Put every output back as it was before ``write_atomic``."""
    for tmp, path in staged:
        try:
            moved = not os.path.lexists(tmp)  # the new file reached its place
            link = saved.get(path)
            if moved and link is not None:
                os.replace(link, path)  # the previous file back
            elif moved and path in saved and not path.is_dir():
                os.unlink(path)  # the place was empty before
            for name in (tmp, link):
                if name is not None and os.path.lexists(name):
                    os.unlink(name)
        except BaseException:  # noqa: BLE001 - undo as much as possible, then report the first failure
            pass
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            pass


class OutputError(OSError):
    """An output file that could not be written, with the file's name."""

    def __init__(self, path: Path, cause: OSError):
        super().__init__(cause.errno, cause.strerror or str(cause))
        self.path = path
