"""How wide a line of text is drawn, in points, before Graphviz draws it.

The layout places every box itself (see place.py), so it must know label sizes up front.
The widths are the advance widths of DejaVu Sans, the face fontconfig gives Graphviz for
"Helvetica" or "sans-serif" on Linux and the widest of the common sans faces: a box sized
here also holds the text in Helvetica or Arial, which browsers and macOS substitute.
"""

from __future__ import annotations

import functools
import unicodedata

# Advance widths of ASCII 32..126 in thousandths of an em (DejaVu Sans Book and Bold).
_REGULAR = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775,
    752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390,
    337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)
_BOLD = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821,
    837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457,
    365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687,
    716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
)
_WIDE = 1000     # CJK and other full-width characters: one em
_OTHER = 720     # accented Latin, Greek, Cyrillic, symbols: a little over the ASCII average
LINE = 1.2       # line height, in ems (Graphviz's own spacing for DejaVu is about 1.16)


def char_width(ch: str, bold: bool = False) -> int:
    code = ord(ch)
    if 32 <= code <= 126:
        return (_BOLD if bold else _REGULAR)[code - 32]
    if unicodedata.combining(ch):
        return 0
    return _WIDE if unicodedata.east_asian_width(ch) in ("W", "F") else _OTHER


@functools.lru_cache(maxsize=8192)
def _units(text: str, bold: bool) -> int:
    # Labels repeat (wrapping tries the same words again): measure each string once.
    table = _BOLD if bold else _REGULAR
    total = 0
    for ch in text:
        code = ord(ch)
        total += table[code - 32] if 32 <= code <= 126 else char_width(ch, bold)
    return total


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The drawn width of one line of ``text`` at ``size`` points."""
    return _units(text, bold) * size / 1000.0


def line_height(size: float) -> float:
    return size * LINE
