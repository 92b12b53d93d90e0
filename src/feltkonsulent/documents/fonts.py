"""reportlab set up for agreements: the embedded font family (æ, ø, å) as every default, and no
file or URL ever loaded from a document's markup.

reportlab keeps this in process-wide settings (rl_config), so it is set when this module is
imported; the app prints nothing else with reportlab.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "FeltkonsulentSans"
BOLD = "FeltkonsulentSans-Bold"
# DejaVu Sans (Bitstream Vera licence, resources/fonts/LICENSE-DejaVu.txt).
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

# An `<img src=…>` or `<link>` that reached the parser could load a URL: trust no scheme and no
# host. (A plain file path is opened directly whatever these say; markup.py keeps tags out.)
rl_config.trustedSchemes = []
rl_config.trustedHosts = None
# Colour names from markup are looked up, never evaluated (neither of the two eval modes).
rl_config.toColorCanUse = ""

_lock = threading.Lock()
_registered: Path | None = None


def register(fonts: Path) -> None:
    """Register the family from `fonts` (the folder with the .ttf files) once, and make it the
    canvas's and the graphics' default font, so no unembedded Helvetica is ever referenced."""
    global _registered
    folder = fonts.resolve()
    with _lock:
        if _registered == folder:
            return
        for name, file in FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                      boldItalic=BOLD)
        # What registerFontFamily(baseFontFor="canvas graphics") does: the canvas's first font
        # (every page names it) and the graphics' default (shapes.STATE_DEFAULTS, _FONTNAME).
        rl_config.canvas_basefontname = REGULAR
        rl_config.defaultGraphicsFontName = REGULAR
        _registered = folder
