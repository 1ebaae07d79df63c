"""The figure cache in output/.cache: PNG bytes only (nothing read back is
ever unpickled or executed), named by a hash of every input, checked when
read; a build into a used output folder is byte-identical to one into an
empty folder. Builds run in-process; each build has its own context, so
each starts like a new process unless it is handed the Memory of another."""
from __future__ import annotations

import io
import pickle
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import MINI, ROOT
from paperpipe import cli
from paperpipe.context import Context, Memory
from paperpipe.errors import Problems
from paperpipe.figures import cache, inputs
from paperpipe.pipeline import build as build_in_process
from paperpipe.theme import load_theme

NAME = "T1.01-maritime-clusters"
SVG_WITH_PNG = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="160">
  <rect width="400" height="160" fill="#E9EFF7"/>
  <image href="dot.png" x="20" y="20" width="120" height="120"/>
</svg>
"""


def build(capsys, paper: Path, out: Path, fmt: str = "all") -> dict[str, bytes]:
    code = cli.main(["--format", fmt, "--content", str(paper), "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    return {f.name: f.read_bytes() for f in out.iterdir() if f.is_file()}


def _entry(out: Path, paper: Path) -> Path:
    """The cache entry of the mini paper's figure (named by the hash of its
    inputs, the resolution and the width it is placed at)."""
    found = sorted((out / ".cache").glob(f"{digest(paper)}-300-w*.png"))
    assert len(found) == 1, list((out / ".cache").iterdir())
    return found[0]


def png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def paper(tmp_path) -> Path:
    dest = tmp_path / "paper"
    shutil.copytree(MINI, dest)
    return dest


def test_cache_holds_png_bytes_only_and_changes_nothing(capsys, paper, tmp_path):
    first = build(capsys, paper, tmp_path / "first")
    entries = list((tmp_path / "first" / ".cache").iterdir())
    # the SVG figure's and the cover logo's pictures for the DOCX, nothing else
    assert entries and {p.suffix for p in entries} == {".png"}, entries
    assert all(p.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for p in entries)
    # a second build in the same folder reads the cache and writes the same bytes,
    assert build(capsys, paper, tmp_path / "first") == first
    # as a build without any cache does
    assert build(capsys, paper, tmp_path / "second") == first


def test_edited_figure_and_edited_png_inside_an_svg_are_rendered_again(capsys, paper, tmp_path):
    (paper / "figures" / "dot.png").write_bytes(png("red"))
    (paper / "figures" / "map.svg").write_text(SVG_WITH_PNG, encoding="utf-8")
    before = build(capsys, paper, tmp_path / "used")
    # was: the cache was keyed by the SVG alone, so the DOCX kept the old picture
    (paper / "figures" / "dot.png").write_bytes(png("blue"))
    after = build(capsys, paper, tmp_path / "used")
    assert after[f"{NAME}.docx"] != before[f"{NAME}.docx"]
    assert after == build(capsys, paper, tmp_path / "empty")
    # one entry per version of the figure's inputs (beside the logo's)
    assert len(list((tmp_path / "used" / ".cache").iterdir())) == len(list((tmp_path / "empty" / ".cache").iterdir())) + 1


# The entries are the DOCX's pictures (the PDF draws the SVG, the page inlines
# it): the tests of damaged entries build the DOCX alone, and compare its bytes.
def test_corrupt_or_foreign_entries_are_ignored_and_never_run(capsys, paper, tmp_path):
    out = tmp_path / "used"
    clean = build(capsys, paper, out, "docx")  # into an empty folder: a build without any cache
    entry = _entry(out, paper)
    assert entry.is_file(), list((out / ".cache").iterdir())
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (Path.touch, (marker,))

    whole = entry.read_bytes()
    changed = whole[:len(whole) // 2] + bytes([whole[len(whole) // 2] ^ 1]) + whole[len(whole) // 2 + 1:]  # one bit, mid-picture
    for bad in (b"", b"garbage", pickle.dumps(Payload()), whole[:100], b"\x89PNG\r\n\x1a\n" + b"\0" * 50, changed):
        entry.write_bytes(bad)
        assert build(capsys, paper, out, "docx") == clean
        assert not marker.exists()
        assert entry.read_bytes().startswith(b"\x89PNG") and len(entry.read_bytes()) > 1000  # rendered and written again


def digest(paper: Path) -> str:
    """The name of the map figure's cache entries (a hash of all its inputs)."""
    context = Context(paper, ROOT / "templates")
    context.fonts = load_theme(ROOT / "templates", Problems(), context).fonts  # as a build's: the figures' text is drawn with them
    return inputs.inputs_digest(context, (paper / "figures" / "map.svg").resolve())


def test_planted_renamed_or_linked_entries_are_ignored_and_replaced(capsys, paper, tmp_path):
    """An entry must be labelled inside with its own name: a whole PNG of
    another picture put under the name (planted), or another entry copied to
    it (stale), is not used; a link is never followed out of the folder."""
    out = tmp_path / "used"
    clean = build(capsys, paper, out, "docx")  # into an empty folder: a build without any cache
    entry = _entry(out, paper)
    other = next(p for p in (out / ".cache").iterdir() if p != entry)  # the cover logo's entry
    outside = tmp_path / "secret.png"
    outside.write_bytes(png("red"))
    for plant in ("planted", "renamed", "link"):
        entry.unlink()
        if plant == "planted":
            entry.write_bytes(png("red"))
        elif plant == "renamed":
            entry.write_bytes(other.read_bytes())
        else:
            entry.symlink_to(outside)
        assert build(capsys, paper, out, "docx") == clean, plant
        assert not entry.is_symlink() and cache._read_entry(out / ".cache", entry.name) is not None, plant
    # the cache folder itself a link: neither read nor written through
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(out / ".cache", elsewhere)
    for name in (p.name for p in elsewhere.iterdir()):
        (elsewhere / name).write_bytes(png("red"))
    shutil.rmtree(out / ".cache")
    (out / ".cache").symlink_to(elsewhere)
    assert build(capsys, paper, out, "docx") == clean
    assert all(p.read_bytes() == png("red") for p in elsewhere.iterdir())


def test_warm_memory_and_warm_folder_give_the_bytes_of_a_cold_build(paper, tmp_path):
    """The same bytes from a build with no cache at all, a second build into
    the same folder, and builds that share one process's Memory (watch)."""
    templates = ROOT / "templates"
    formats = ("pdf", "docx", "html")

    def outputs(folder: Path) -> dict[str, bytes]:
        return {f.name: f.read_bytes() for f in folder.iterdir() if f.is_file()}

    build_in_process(paper, templates, tmp_path / "cold", formats)
    cold = outputs(tmp_path / "cold")
    memory = Memory()
    for n in range(3):
        build_in_process(paper, templates, tmp_path / "warm", formats, memory=memory)
        assert outputs(tmp_path / "warm") == cold, n
    assert memory.sizes()["drawings"] == 2 and memory.sizes()["rasters"] == 2  # the map and the logo, once each


def test_the_cache_check_refuses_every_damaged_or_oversized_png():
    """A cache entry is checked chunk by chunk (CRCs, IHDR first, IEND last)
    instead of decoded: each kind of damage is still refused."""
    good = png("#336699")
    assert cache._valid_png(good)
    iend = good.rindex(b"IEND") - 4  # the IEND chunk: length, type, CRC
    idat = good.index(b"IDAT") + 6
    flipped = good[:idat] + bytes([good[idat] ^ 0x10]) + good[idat + 1:]
    no_ihdr = good[:8] + good[8 + 25:]  # signature, then straight to the next chunk
    no_data = good[:good.index(b"IDAT") - 4] + good[iend:]
    huge = io.BytesIO()
    Image.new("1", (cache.MAX_RASTER_SIDE + 1, cache.MAX_RASTER_SIDE)).save(huge, format="PNG")
    for name, bad in (("cut", good[:-1]), ("no IEND", good[:iend]), ("bytes after IEND", good + b"x"),
                      ("changed data", flipped), ("no IHDR", no_ihdr), ("no IDAT", no_data),
                      ("too many pixels", huge.getvalue())):
        assert not cache._valid_png(bad), name
