"""PNG and JPEG pictures checked: whole, decodable, and of a bounded size."""
from __future__ import annotations

import io

SUPPORTED = {".svg", ".png", ".jpg", ".jpeg"}
BITMAPS = {".png", ".jpg", ".jpeg"}
MAX_IMAGE_PIXELS = 50_000_000   # pixels of one PNG/JPEG (8000 x 6000 is 48 million)


def bitmap_problem(data: bytes) -> tuple[str, str] | None:
    """(what is wrong, what to do) with PNG/JPEG bytes, or None when they can be used."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            kind = img.format
            if img.width * img.height > MAX_IMAGE_PIXELS:
                return (f"has {img.width} x {img.height} pixels, more than the {MAX_IMAGE_PIXELS:,} allowed",
                        "scale it down (300 pixels per inch of printed size is enough)")
            img.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()  # verify() does not decode the pixels; truncated files fail only here
    except UnidentifiedImageError:
        return "is damaged or not a picture", "export it again as PNG or JPEG"
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, MemoryError) as exc:
        return f"is damaged ({exc})", "export it again as PNG or JPEG"
    if kind not in ("PNG", "JPEG"):
        return f"is a {kind} picture, not PNG or JPEG", "export it again as PNG or JPEG"
    return None
