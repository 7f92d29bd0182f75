"""Writes designgrade/render/icondata.py: every icon a diagram can use, prepared once.

    .venv/bin/python scripts/build_icons.py        (needs Pillow and diagrams)

Each icon of designgrade/render/icons.py is read from mingrammer/diagrams' artwork,
cropped to its visible pixels, scaled to fit a 96 px square with the same margin (so
every icon is drawn at one size), and, for the kind glyphs, repainted in one slate
colour (so the glyphs have one weight and no role borrows a vendor's colours). The PNGs
are stored base64-encoded in a Python module: the package then ships them without any
packaging rule, and a picture embeds each one once, a few KB instead of the original
10-30 KB. tests/render/test_icons.py checks the module covers every icon named.
"""

from __future__ import annotations

import base64
import importlib
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from designgrade.render.icons import GLYPHS, all_icons  # noqa: E402

SIZE = 96          # pixels: twice the drawn size on a high-density screen
ART = 88           # the artwork's longer side inside the square
SLATE = (55, 71, 79)  # #37474F, the colour of text in the pictures
OUT = ROOT / "designgrade" / "render" / "icondata.py"


def source(path: str) -> tuple[str, Path]:
    module, _, name = path.rpartition(".")
    cls = getattr(importlib.import_module(f"diagrams.{module}"), name)
    base = Path(importlib.import_module("diagrams").__file__).resolve().parent.parent
    rel = f"{cls._icon_dir.removeprefix('resources/')}/{cls._icon}"
    return rel, base / "resources" / rel


def prepare(file: Path, glyph: bool) -> bytes:
    image = Image.open(file).convert("RGBA")
    alpha = image.getchannel("A").point(lambda a: 255 if a > 8 else 0)
    box = alpha.getbbox()
    if box:
        image = image.crop(box)
    scale = ART / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    square = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    offset = ((SIZE - size[0]) // 2, (SIZE - size[1]) // 2)
    if glyph:
        # One colour: the artwork's shape (its alpha, darkened where it was light) in slate,
        # stored as a palette of that colour at 32 opacities.
        grey = image.convert("LA")
        mask = Image.new("L", image.size)
        mask.putdata([round(a * (1 - lum / 255 * 0.8)) if a else 0 for lum, a in grey.get_flattened_data()])
        mask = mask.resize(size, Image.Resampling.LANCZOS)
        canvas = Image.new("L", (SIZE, SIZE), 0)
        canvas.paste(mask, offset)
        levels = 32
        glyph_image = Image.new("P", (SIZE, SIZE))
        glyph_image.putpalette(list(SLATE) * levels)
        glyph_image.putdata([round(a * (levels - 1) / 255) for a in canvas.get_flattened_data()])
        out = io.BytesIO()
        glyph_image.save(out, "PNG", optimize=True,
                         transparency=bytes(round(i * 255 / (levels - 1)) for i in range(levels)))
        return out.getvalue()
    image = image.resize(size, Image.Resampling.LANCZOS)
    square.paste(image, offset, image)
    out = io.BytesIO()
    square.save(out, "PNG", optimize=True)
    packed = io.BytesIO()
    square.quantize(96, method=Image.Quantize.FASTOCTREE).save(packed, "PNG", optimize=True)
    # A palette image is a third of the size; vendor artwork keeps its colours well in 96.
    return min(out.getvalue(), packed.getvalue(), key=len)


def main() -> int:
    import diagrams  # noqa: F401  (fails early with a clear message when missing)

    lines = [
        '"""Icons prepared by scripts/build_icons.py: do not edit, run it again.',
        "",
        "SOURCES: diagrams class path -> its artwork under diagrams' resources folder.",
        "ICONS: diagrams class path -> a 96 px PNG, base64: cropped, one size, glyphs in slate.",
        '"""',
        "",
        f"SIZE = {SIZE}",
        "SOURCES: dict[str, str] = {",
    ]
    data_lines = ["ICONS: dict[str, str] = {"]
    total = 0
    for path in all_icons():
        rel, file = source(path)
        png = prepare(file, path in GLYPHS)
        total += len(png)
        lines.append(f"    {path!r}: {rel!r},")
        encoded = base64.b64encode(png).decode("ascii")
        chunks = [encoded[i:i + 96] for i in range(0, len(encoded), 96)]
        data_lines.append(f"    {path!r}: (")
        data_lines += [f'        "{chunk}"' for chunk in chunks]
        data_lines.append("    ),")
    lines.append("}")
    data_lines.append("}")
    OUT.write_text("\n".join(lines + [""] + data_lines) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(all_icons())} icons, {total / 1024:.0f} KB of PNG")
    return 0


if __name__ == "__main__":
    sys.exit(main())
