"""Pictures for the widgets' notebook outputs: a fast PNG encoder and the plots' font.

* ``png_bytes``: an RGB(A) array or Pillow image → PNG bytes, about three times faster than
  Pillow's default; ``figure_png``: a matplotlib figure → PNG (a widget's static picture).
* ``font``: DejaVu Sans (matplotlib's font, so Pillow text matches the plots), or the CJK font of
  ``nnkit.plots.fonts`` for Chinese text.
"""
from __future__ import annotations

import functools
import io
import struct
import zlib

import numpy as np
from PIL import Image, ImageFont

__all__ = ["png_bytes", "figure_png", "font"]


def png_bytes(image: Image.Image | np.ndarray) -> bytes:
    """Encode an RGB or RGBA picture as PNG, fast (these pictures live for one frame).

    Pillow's encoder tries five row filters per row (~6 ms for a 480×360 picture); here every
    row uses the "Sub" filter (each byte minus the one a pixel to its left, computed by NumPy)
    and zlib level 1 — the same file size, about three times faster.  Other modes go to Pillow.
    """
    if isinstance(image, Image.Image):
        if image.mode not in ("RGB", "RGBA"):
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", compress_level=1)
            return buffer.getvalue()
        image = np.asarray(image)
    a = np.ascontiguousarray(image, dtype=np.uint8)
    if a.ndim != 3 or a.shape[2] not in (3, 4):
        raise ValueError(f"png_bytes needs an (H, W, 3) RGB or (H, W, 4) RGBA array. "
                         f"Received shape {a.shape}.")
    h, w, c = a.shape
    flat = a.reshape(h, w * c)
    rows = np.empty((h, w * c + 1), np.uint8)
    rows[:, 0] = 1                                          # filter type 1: Sub
    rows[:, 1:1 + c] = flat[:, :c]
    np.subtract(flat[:, c:], flat[:, :-c], out=rows[:, 1 + c:])   # wraps mod 256, as PNG wants
    header = struct.pack(">IIBBBBB", w, h, 8, 2 if c == 3 else 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows, 1)) + _chunk(b"IEND", b""))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def figure_png(figure) -> bytes:
    """A matplotlib Figure drawn now (Agg) and encoded by ``png_bytes``.

    A layout engine, if any, lays the figure out at this first draw and is then switched off:
    later draws keep that layout (a layout costs about a third of a draw).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(figure)
    canvas.draw()
    if figure.get_layout_engine() is not None:
        figure.set_layout_engine("none")
    return png_bytes(np.asarray(canvas.buffer_rgba())[..., :3])


@functools.lru_cache(maxsize=None)
def font(size: int, bold: bool = False, chinese: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (matplotlib's font, so pictures match the plots) at ``size`` pixels;
    ``chinese``: the CJK font of ``nnkit.plots.fonts`` when one is installed (it has Latin
    letters too)."""
    from matplotlib import font_manager
    if chinese:
        from nnkit.plots.fonts import cjk_face_index, cjk_font_path
        path = cjk_font_path(bold)
        if path is not None:
            return ImageFont.truetype(path, size, index=cjk_face_index(path))
    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans",
                                                             weight="bold" if bold else "normal"))
    return ImageFont.truetype(path, size)
