"""A picture more than twice as sharp as print needs at its printed size goes
into the outputs downsampled to 300 dpi, with a note; the editor's file is
untouched; a picture within the limit goes in as it is."""
from __future__ import annotations

import base64
import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pikepdf
from PIL import Image

from paperpipe.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def _picture(path: Path, width: int, height: int) -> None:
    # a smooth gradient, as a photograph compresses, not noise
    img = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    img.save(path)


def _pdf_image_widths(pdf: Path) -> list[int]:
    with pikepdf.open(pdf) as doc:
        return sorted(int(obj.Width) for obj in doc.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image")


def test_a_picture_far_sharper_than_print_is_downsampled_into_the_outputs_only(tmp_path):
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    _picture(paper / "figures" / "big.png", 3000, 2000)    # at 25% of the text width: ~1900 dpi
    _picture(paper / "figures" / "fine.png", 500, 300)     # at 50%: ~160 dpi, left alone
    original = hashlib.sha256((paper / "figures" / "big.png").read_bytes()).hexdigest()
    results = paper / "sections" / "02-results.md"
    results.write_text(results.read_text(encoding="utf-8").replace("## Next steps", (
        '![A large photograph](figures/big.png){#fig-big width="25%" alt="A grey gradient standing for a photograph"}\n\n'
        '![A small photograph](figures/fine.png){#fig-fine width="50%" alt="A grey gradient standing for a small photograph"}\n\n'
        "## Next steps")), encoding="utf-8")

    report = build(paper, ROOT / "templates", tmp_path / "out", ("pdf", "docx"))
    text_cm = 0.25 * (report_text_width := _text_width()) / 72 * 2.54
    expected = round(0.25 * report_text_width / 72 * 300)
    assert len(report.notes) == 1, report.notes
    note = report.notes[0]
    assert "figures/big.png: 3000×2000 px" in note and f"printed width of {text_cm:.1f} cm" in note
    assert f"downsampled to {expected}×" in note and "(300 dpi)" in note and "the file itself is unchanged" in note
    assert hashlib.sha256((paper / "figures" / "big.png").read_bytes()).hexdigest() == original

    assert _pdf_image_widths(tmp_path / "out" / "T1.01-maritime-clusters.pdf") == sorted([expected, 500])
    with zipfile.ZipFile(tmp_path / "out" / "T1.01-maritime-clusters.docx") as docx:
        widths = sorted(Image.open(docx.open(name)).width for name in docx.namelist()
                        if name.startswith("word/media/") and not name.endswith((".svg", ".emf")))
    assert expected in widths and 3000 not in widths


def _text_width() -> float:
    from paperpipe.errors import Problems
    from paperpipe.theme import load_theme

    return load_theme(ROOT / "templates", Problems()).page.text_width


def test_a_photo_with_an_exif_orientation_is_turned_upright_in_every_output(tmp_path):
    """A phone photo stored on its side with EXIF orientation 6 ('turn 90°
    clockwise'): the web page showed it upright (browsers follow the tag),
    the PDF and the Word file on its side, 400 × 200 instead of 200 × 400."""
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    img = Image.new("RGB", (400, 200), (200, 30, 30))
    img.paste((0, 0, 200), (0, 0, 100, 200))  # blue at the left as stored: at the top once turned
    exif = Image.Exif()
    exif[0x0112] = 6
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()  # a phone's would be Display P3
    img.save(paper / "figures" / "photo.jpg", exif=exif.tobytes(), icc_profile=profile)
    original = (paper / "figures" / "photo.jpg").read_bytes()
    results = paper / "sections" / "02-results.md"
    results.write_text(results.read_text(encoding="utf-8").replace("## Next steps", (
        '![A photograph](figures/photo.jpg){#fig-photo width="25%" alt="A red field under a blue band"}\n\n## Next steps')),
        encoding="utf-8")

    report = build(paper, ROOT / "templates", tmp_path / "out", ("pdf", "docx", "html"))
    assert report.notes == [] and (paper / "figures" / "photo.jpg").read_bytes() == original
    out = tmp_path / "out" / "T1.01-maritime-clusters"
    with pikepdf.open(f"{out}.pdf") as doc:
        sizes = [(int(o.Width), int(o.Height)) for o in doc.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
    assert sizes == [(200, 400)]
    with zipfile.ZipFile(f"{out}.docx") as docx:
        photos = [Image.open(docx.open(n)) for n in docx.namelist() if n.endswith(".jpg")]
    assert [p.size for p in photos] == [(200, 400)] and photos[0].getexif().get(0x0112) is None
    assert photos[0].info.get("icc_profile") == profile  # its colours as the camera meant them (the turned copy had lost the profile)
    top, bottom = photos[0].convert("RGB").getpixel((100, 20)), photos[0].convert("RGB").getpixel((100, 380))
    assert top[2] > 150 > top[0] and bottom[0] > 150 > bottom[2]
    page = Path(f"{out}.html").read_text(encoding="utf-8")
    shown = Image.open(io.BytesIO(base64.b64decode(page.split("data:image/jpeg;base64,")[1].split('"')[0])))
    assert shown.size == (200, 400) and shown.getexif().get(0x0112) is None  # the same picture, turned once
