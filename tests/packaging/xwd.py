"""Reading an X window dump (`xwd -root`, the format of X11's XWDFile.h) and writing it as PNG.

Only what an Xvfb screen in TrueColor gives is read: 24 or 32 bits a pixel, ZPixmap, 8-bit red,
green and blue masks. Pure Python (zlib), so the test of the real window needs no Qt of its own
and no ImageMagick. As a command: `python tests/packaging/xwd.py screen.xwd screen.png`.
"""

from __future__ import annotations

import struct
import sys
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

_HEADER = struct.Struct(">25I")  # XWDFileHeader: 25 CARD32, most significant byte first
_COLOR_SIZE = 12  # XWDColor: pixel CARD32, red/green/blue CARD16, flags and pad CARD8
_ZPIXMAP = 2
_LSB_FIRST = 0


@dataclass(frozen=True)
class Screen:
    width: int
    height: int
    rgb: bytes  # width * height * 3 bytes, row by row from the top

    def crop(self, x: int, y: int, width: int, height: int) -> Screen:
        x0, y0 = max(x, 0), max(y, 0)
        x1, y1 = min(x + width, self.width), min(y + height, self.height)
        rows = (self.rgb[(row * self.width + x0) * 3:(row * self.width + x1) * 3] for row in range(y0, y1))
        return Screen(max(x1 - x0, 0), max(y1 - y0, 0), b"".join(rows))

    def colours(self) -> Counter[bytes]:
        """How many pixels have each colour (3 bytes: red, green, blue)."""
        data = self.rgb
        return Counter(data[i:i + 3] for i in range(0, len(data), 3))

    def write_png(self, path: Path) -> None:
        stride = self.width * 3
        raw = b"".join(b"\x00" + self.rgb[row * stride:(row + 1) * stride] for row in range(self.height))

        def chunk(kind: bytes, body: bytes) -> bytes:
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)  # 8-bit RGB
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                         + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def read_xwd(data: bytes) -> Screen:
    (header_size, _version, pixmap_format, _depth, width, height, _xoffset, byte_order, _unit,
     _bit_order, _pad, bits_per_pixel, bytes_per_line, _visual, red_mask, green_mask, blue_mask,
     _bits_per_rgb, _entries, ncolors, *_window) = _HEADER.unpack_from(data)
    if pixmap_format != _ZPIXMAP or bits_per_pixel not in (24, 32):
        raise ValueError(f"not a TrueColor ZPixmap dump (format {pixmap_format}, {bits_per_pixel} bpp)")
    if (red_mask, green_mask, blue_mask) != (0xFF0000, 0xFF00, 0xFF):
        raise ValueError(f"unexpected colour masks {red_mask:#x} {green_mask:#x} {blue_mask:#x}")
    start = header_size + ncolors * _COLOR_SIZE
    step = bits_per_pixel // 8
    # Least significant byte first: blue, green, red (, pad); else (pad,) red, green, blue.
    red, green, blue = (2, 1, 0) if byte_order == _LSB_FIRST else (step - 3, step - 2, step - 1)
    rgb = bytearray(width * height * 3)
    for row in range(height):
        line = data[start + row * bytes_per_line:start + row * bytes_per_line + width * step]
        if len(line) < width * step:
            raise ValueError("the dump ends before its last row")
        out = row * width * 3
        rgb[out:out + width * 3:3] = line[red::step]
        rgb[out + 1:out + width * 3:3] = line[green::step]
        rgb[out + 2:out + width * 3:3] = line[blue::step]
    return Screen(width, height, bytes(rgb))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tests/packaging/xwd.py SCREEN.xwd SCREEN.png")
    read_xwd(Path(sys.argv[1]).read_bytes()).write_png(Path(sys.argv[2]))
