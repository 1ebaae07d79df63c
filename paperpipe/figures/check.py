"""Figure files checked for the reader: there, a supported and whole
picture, small enough; an SVG safe (``svg.py``). What a checked SVG
refers to, and its parsed tree, go into the build's context for the
writers; its drawing is made once, later (``drawing.draw_all``)."""
from __future__ import annotations

from pathlib import Path

from ..context import Context, OutsideFolders, SvgFacts
from ..errors import Problems
from ..filesize import TooLarge, read_bytes
from .bitmap import SUPPORTED, bitmap_problem


def check_image(path: Path, shown: str, problems: Problems, file, line: int, root: Path | None = None,
                context: Context | None = None) -> bool:
    """Record a problem if the figure file is missing, unsupported, corrupt,
    too large, or (an SVG) refers to anything outside ``root`` (default: its
    own folder). A checked SVG's facts go into the build's ``context``."""
    if path.suffix.lower() not in SUPPORTED:
        problems.error(file, line, f"the image '{shown}' has an unsupported type '{path.suffix}'", "use SVG (best: stays sharp), PNG or JPEG")
        return False
    if path.is_dir():
        problems.error(file, line, f"the image '{shown}' is a folder, not a file", "point to the picture file inside it")
        return False
    if path.exists() and not path.is_file():
        problems.error(file, line, f"the image '{shown}' is not a regular file", "copy the picture itself into the content folder")
        return False
    if not path.is_file():
        problems.error(file, line, f"the image '{shown}' was not found", "check the file name and that it is in the content folder")
        return False
    root = Path(root) if root is not None else path.parent
    if path.suffix.lower() == ".svg" and context is not None:
        known = context.svg(path)
        if known is not None and known.root == root:
            return True  # checked already in this build (a figure used twice)
    try:
        data = read_bytes(context.inside(path) if context is not None else path, "svg" if path.suffix.lower() == ".svg" else "picture")
    except OutsideFolders:
        problems.error(file, line, f"the image '{shown}' lies outside the paper's folders (through a link)",
                       "copy the picture itself into the content folder")
        return False
    except TooLarge as exc:  # before any parser sees it
        problems.error(file, line, f"the image '{shown}' is too large: {exc.message}", exc.advice)
        return False
    except OSError as exc:
        problems.error(file, line, f"the image '{shown}' cannot be read ({exc.strerror})", "check the file's permissions")
        return False
    if path.suffix.lower() == ".svg":
        return _check_svg(path, data, shown, problems, file, line, root, context)
    why = bitmap_problem(data)
    if why:
        problems.error(file, line, f"the image '{shown}' {why[0]}", why[1])
        return False
    return True


def _check_svg(path: Path, data: bytes, shown: str, problems: Problems, file, line: int, root: Path, context: Context | None) -> bool:
    from .svg import check_svg

    trees: dict = {}
    refs = check_svg(path, data, shown, problems, file, line, root, trees)
    if refs is None:
        return False
    if context is not None:
        context.record_svg(path, SvgFacts(root, tuple(refs), trees.get(path), (file, line, shown)))
    return True
