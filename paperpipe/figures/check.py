"""Figure files checked for the reader: there, a supported and whole
picture, small enough; an SVG safe (``svg.py``) and drawable. What a
checked SVG refers to is recorded for the writers."""
from __future__ import annotations

from pathlib import Path

from ..errors import Problems
from ..filesize import TooLarge, read_bytes
from .bitmap import SUPPORTED, bitmap_problem


def check_image(path: Path, shown: str, problems: Problems, file, line: int, root: Path | None = None) -> bool:
    """Record a problem if the figure file is missing, unsupported, corrupt,
    too large, or (an SVG) refers to anything outside ``root``."""
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
    try:
        data = read_bytes(path, "svg" if path.suffix.lower() == ".svg" else "picture")
    except TooLarge as exc:  # before any parser sees it
        problems.error(file, line, f"the image '{shown}' is too large: {exc.message}", exc.advice)
        return False
    except OSError as exc:
        problems.error(file, line, f"the image '{shown}' cannot be read ({exc.strerror})", "check the file's permissions")
        return False
    if path.suffix.lower() == ".svg":
        return _check_svg(path, data, shown, problems, file, line, Path(root) if root is not None else path.parent)
    why = bitmap_problem(data)
    if why:
        problems.error(file, line, f"the image '{shown}' {why[0]}", why[1])
        return False
    return True


def _check_svg(path: Path, data: bytes, shown: str, problems: Problems, file, line: int, root: Path) -> bool:
    from .drawing import svg_drawing
    from .inputs import record
    from .rules import drawing_problem
    from .svg import check_svg

    refs = check_svg(path, data, shown, problems, file, line, root)
    if refs is None:
        return False
    record(path, root, refs)
    # Well-formed XML is not enough: the writers need a drawing, so make
    # it now (cached, the build reuses it) and report a failure.
    try:
        drawing = svg_drawing(path)
    except Exception as exc:  # noqa: BLE001 - svglib raises many kinds
        drawing, why = None, str(exc) or type(exc).__name__
    else:
        why = "no drawing could be made from it"
    if drawing is not None and drawing.width > 0 and drawing.height > 0:
        why = drawing_problem(drawing)  # numbers that overflow or vanish (a width of 1e400, a viewBox of 1e308)
        if why:
            problems.error(file, line, f"the image '{shown}' cannot be printed: {why}", "export it again from your drawing program at its real size")
            return False
    if drawing is None or not (drawing.width > 0 and drawing.height > 0):
        if drawing is not None:
            why = "it has no width or height"
        problems.error(file, line, f"the image '{shown}' cannot be drawn ({why})", "export it again as plain SVG from your drawing program")
        return False
    return True
