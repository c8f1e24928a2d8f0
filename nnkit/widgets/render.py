"""The fast picture path shared by every live heatmap: values → colours → PNG bytes.

Redrawing a matplotlib heatmap costs 20–45 ms; a live widget has about 20 ms per frame for
everything.  So live views colour their grids with the plots' own lookup tables
(``nnkit.plots.shading`` — the same pixels a matplotlib figure shows) and hand the RGB array to
Pillow, which scales and encodes it in a few milliseconds.  The result goes into an
``ipywidgets.Image``, which any frontend (JupyterLab, Notebook, Voilà) displays.

Data points drawn over a heatmap never move while the model trains, so they are drawn once into
a transparent layer (``PointLayer``) and composited over each new background.

Colouring is done here with cached lookup tables (``class_rgb``, ``value_rgb``) — the same
arithmetic as ``nnkit.plots.shading``, identical pixels, about ten times faster because the
tables are built once.  Small charts and labels that change every frame (``LineChart``,
``AxesFrame``) are drawn with Pillow too: text in DejaVu Sans, the plots' font, at projector
sizes (≥ 14 px).
"""
from __future__ import annotations

import functools
import io
import math
import struct
import zlib

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from nnkit.plots import style

__all__ = ["png_bytes", "PointLayer", "class_rgb", "value_rgb", "font",
           "LineChart", "AxesFrame", "nice_ceiling", "collage"]


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


class PointLayer:
    """Data points as a transparent RGBA layer of ``size`` pixels, drawn once, reused per frame.

    xy:      (N, 2) data coordinates;  extent: (xmin, xmax, ymin, ymax) of the picture;
    colors:  (N, 3) uint8 RGB per point;  hollow: (N,) bool — hollow rings (test points).
    rim:     RGB of the filled dots' outline (white; a dark rim for values near white).
    """

    def __init__(self, xy: np.ndarray, colors: np.ndarray, extent, size: tuple[int, int],
                 hollow: np.ndarray | None = None, radius: float = 5.0,
                 rim: tuple[int, int, int] = (255, 255, 255)):
        width, height = size
        self.image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        draw = ImageDraw.Draw(self.image)
        xmin, xmax, ymin, ymax = extent
        px = (np.asarray(xy[:, 0]) - xmin) / (xmax - xmin) * (width - 1)
        py = (ymax - np.asarray(xy[:, 1])) / (ymax - ymin) * (height - 1)   # y grows upwards
        hollow = np.zeros(len(px), bool) if hollow is None else np.asarray(hollow, bool)
        r = radius
        for x, y, color, ring in zip(px, py, np.asarray(colors, dtype=int), hollow):
            box = (x - r, y - r, x + r, y + r)
            if ring:
                draw.ellipse(box, outline=tuple(color) + (255,), width=max(2, int(r / 2.5)))
            else:
                draw.ellipse(box, fill=tuple(color) + (255,), outline=tuple(rim) + (255,), width=1)

    def over(self, background: Image.Image) -> Image.Image:
        """This layer composited over an RGB background of the same size (RGB out)."""
        out = background.convert("RGBA")
        out.alpha_composite(self.image)
        return out.convert("RGB")             # opaque: RGB encodes ~15 % faster than RGBA



# ---- colours: the plots' shading with cached lookup tables --------------------------------------

@functools.lru_cache(maxsize=None)
def _confidence_lut(n_classes: int) -> np.ndarray:
    return style.confidence_lut(n_classes)


def class_ramp_rgb(probs: np.ndarray, k: int, n_classes: int) -> np.ndarray:
    """One class's probability (R, C) → white (0) … the colour of class ``k`` (1), (R, C, 3)."""
    level = np.rint(255 * np.clip(probs, 0.0, 1.0)).astype(np.intp)
    return _confidence_lut(n_classes)[k][level]


@functools.lru_cache(maxsize=None)
def _lut(name: str) -> np.ndarray:
    return {"background": style.probability_lut, "full": style.diverging_lut}[name]()


def class_rgb(probs: np.ndarray, discretize: bool = False) -> np.ndarray:
    """``nnkit.plots.shading.class_shading`` with a cached table: the same pixels, faster.

    probs: (R, C) P(class 1) or (R, C, K) class probabilities → (R, C, 3) uint8.
    """
    probs = np.asarray(probs, dtype=float)
    if probs.ndim == 2:                          # binary: the arithmetic of a stacked (1-p, p)
        top = np.maximum(1.0 - probs, probs)
        winner = (probs > 1.0 - probs).astype(np.intp)
        n_classes = 2
    else:
        n_classes = probs.shape[-1]
        winner = probs.argmax(axis=-1)
        top = np.take_along_axis(probs, winner[..., None], axis=-1)[..., 0]
    if discretize:
        level = np.full(winner.shape, 255, dtype=np.intp)
    else:
        strength = (top - 1.0 / n_classes) / (1.0 - 1.0 / n_classes)
        level = np.rint(255 * np.clip(strength, 0.0, 1.0)).astype(np.intp)
    return _confidence_lut(n_classes)[winner, level]


def value_rgb(values: np.ndarray, vmax: float, strength: str = "background") -> np.ndarray:
    """Signed values → orange (−vmax) … white (0) … blue (+vmax), (…, 3) uint8.

    strength="background" is ``shading.value_shading`` (light, for behind data points);
    "full" is the plots' full diverging scale (for a neuron's output, a weight).
    """
    t = np.clip(np.asarray(values, dtype=float) / vmax, -1.0, 1.0)
    return _lut(strength)[np.rint(255 * (t + 1.0) / 2.0).astype(np.intp)]


# ---- text and small charts ----------------------------------------------------------------------

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


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is ≥ value (> 0):
    a round top for an axis that wastes little of the picture."""
    if not value > 0 or not math.isfinite(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10.0 * power


def _tick_label(value: float) -> str:
    return f"{value:.3g}"


class LineChart:
    """A live line chart drawn with Pillow: series of values against 0, 1, 2, … (e.g. epochs).

    size:   (width, height) in pixels;  series: [(label, (r, g, b)), …] one per line;
    ylabel: written top left, the legend (coloured labels) top right; the x axis runs from 0
    to the last index.  The y axis runs from 0 (or the smallest value, if negative) to a round
    number above the largest finite value.  NaN/inf values leave a gap.
    A whole chart costs well under a millisecond, so it is simply drawn again every frame.
    """

    def __init__(self, size: tuple[int, int], series, ylabel: str = "loss",
                 xlabel: str = "epoch", font_size: int = 14, line_width: int = 3):
        self.size = (int(size[0]), int(size[1]))
        self.series = [(str(label), tuple(int(c) for c in rgb)) for label, rgb in series]
        self.ylabel, self.xlabel = ylabel, xlabel
        self.font = font(font_size)
        self.font_size, self.line_width = font_size, line_width
        self._axes_key = None

    def image(self, values) -> Image.Image:
        """values: one sequence per series → an RGB picture of ``size``."""
        arrays = [np.asarray(v, dtype=float) for v in values]
        finite = np.concatenate([a[np.isfinite(a)] for a in arrays] + [np.zeros(1)])
        top = nice_ceiling(float(finite.max()))
        bottom = -nice_ceiling(-float(finite.min())) if finite.min() < 0 else 0.0
        if self._axes_key != (top, bottom):          # text is the slow part: redraw it rarely
            self._axes = self._draw_axes(top, bottom)
            self._axes_key = (top, bottom)
        canvas = self._axes.copy()
        draw = ImageDraw.Draw(canvas)
        x0, y0, x1, y1 = self._box
        n = max((len(a) for a in arrays), default=0)
        last = max(n - 1, 1)
        draw.text((x1, y1 + 4), str(max(n - 1, 0)), fill=(60, 60, 60), font=self.font, anchor="rt")
        for a, (_, rgb) in zip(arrays, self.series):
            if len(a) == 0:
                continue
            index = np.arange(len(a))
            if len(a) > 2 * (x1 - x0):                           # at most two points per pixel
                index = np.unique(np.linspace(0, len(a) - 1, int(2 * (x1 - x0))).astype(int))
            px = x0 + index / last * (x1 - x0)
            py = y1 - (a[index] - bottom) / (top - bottom) * (y1 - y0)
            ok = np.isfinite(py)
            for run in np.split(np.arange(len(px)), np.flatnonzero(~ok)):
                run = run[ok[run]]
                if len(run) == 1:
                    r = self.line_width / 2
                    draw.ellipse([px[run[0]] - r, py[run[0]] - r, px[run[0]] + r, py[run[0]] + r],
                                 fill=rgb)
                elif len(run) > 1:
                    draw.line(list(zip(px[run].tolist(), py[run].tolist())), fill=rgb,
                              width=self.line_width, joint="curve")
        return canvas

    def _draw_axes(self, top: float, bottom: float) -> Image.Image:
        """Everything but the lines and the last x label, for this y range."""
        width, height = self.size
        fs = self.font_size
        canvas = Image.new("RGB", self.size, (255, 255, 255))
        draw = ImageDraw.Draw(canvas)
        labels = [_tick_label(bottom), _tick_label((top + bottom) / 2), _tick_label(top)]
        left = 8 + max(draw.textlength(t, font=self.font) for t in labels)
        self._box = x0, y0, x1, y1 = (left, fs + 10, width - 10, height - fs - 10)
        for i, label in enumerate(labels):                       # y ticks and grid lines
            y = y1 - i * (y1 - y0) / 2
            draw.line([(x0, y), (x1, y)], fill=(225, 225, 225), width=1)
            draw.text((x0 - 5, y), label, fill=(60, 60, 60), font=self.font, anchor="rm")
        draw.line([(x0, y0), (x0, y1), (x1, y1)], fill=(120, 120, 120), width=1)
        draw.text((x0, 2), self.ylabel, fill=(30, 30, 30), font=self.font, anchor="lt")
        x = x1
        for label, rgb in reversed(self.series):                 # legend, right-aligned
            draw.text((x, 2), label, fill=rgb, font=self.font, anchor="rt")
            x -= draw.textlength(label, font=self.font) + 6
            draw.line([(x - 22, fs // 2 + 3), (x, fs // 2 + 3)], fill=rgb, width=self.line_width)
            x -= 32
        draw.text((x0, y1 + 4), "0", fill=(60, 60, 60), font=self.font, anchor="lt")
        draw.text(((x0 + x1) / 2, y1 + 4), self.xlabel, fill=(30, 30, 30), font=self.font,
                  anchor="mt")
        return canvas


class AxesFrame:
    """Ticks, tick labels and axis labels around a square plot area, drawn once.

    side:    the plot area's side in pixels; extent: (x1_min, x1_max, x2_min, x2_max) it shows.
    ``image`` is RGBA: white around the plot area, transparent inside it, so a heatmap placed
    behind shows through; ``box`` = (left, top) of the plot area within ``image``.
    """

    def __init__(self, side: int, extent, xlabel: str = "x₁", ylabel: str = "x₂",
                 font_size: int = 14):
        self.side = int(side)
        self.extent = tuple(float(e) for e in extent)
        f = font(font_size)
        x1_min, x1_max, x2_min, x2_max = self.extent
        ticks1, ticks2 = _ticks(x1_min, x1_max), _ticks(x2_min, x2_max)
        probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
        label_width = max(probe.textlength(_tick_label(t), font=f) for t in ticks2)
        left = int(label_width + probe.textlength(ylabel, font=f) + 18)
        top, right, bottom = 8, 10, 2 * font_size + 14
        self.box = (left, top)
        self.size = (left + self.side + right, top + self.side + bottom)
        self.image = Image.new("RGBA", self.size, (255, 255, 255, 255))
        draw = ImageDraw.Draw(self.image)
        draw.rectangle([left, top, left + self.side - 1, top + self.side - 1], fill=(0, 0, 0, 0))
        grey = (70, 70, 70, 255)
        draw.rectangle([left - 1, top - 1, left + self.side, top + self.side], outline=grey)
        for t in ticks1:
            x = left + (t - x1_min) / (x1_max - x1_min) * self.side
            draw.line([(x, top + self.side), (x, top + self.side + 5)], fill=grey, width=1)
            draw.text((x, top + self.side + 6), _tick_label(t), fill=grey, font=f, anchor="mt")
        for t in ticks2:
            y = top + self.side - (t - x2_min) / (x2_max - x2_min) * self.side
            draw.line([(left - 6, y), (left - 1, y)], fill=grey, width=1)
            draw.text((left - 8, y), _tick_label(t), fill=grey, font=f, anchor="rm")
        draw.text((left + self.side / 2, top + self.side + font_size + 10), xlabel,
                  fill=(20, 20, 20, 255), font=f, anchor="mt")
        draw.text((2, top + self.side / 2), ylabel, fill=(20, 20, 20, 255), font=f, anchor="lm")

    def compose(self, background: Image.Image, layers=()) -> Image.Image:
        """An opaque RGB picture: ``background`` scaled into the plot area, then the frame,
        then each RGBA layer of the plot area's size (e.g. a ``PointLayer.image``)."""
        canvas = Image.new("RGBA", self.size, (255, 255, 255, 255))
        canvas.paste(background.convert("RGB").resize((self.side, self.side), Image.BILINEAR),
                     self.box)
        canvas.alpha_composite(self.image)
        for layer in layers:
            canvas.alpha_composite(layer, dest=self.box)
        return canvas.convert("RGB")


def collage(columns, lines=(), gap: int = 12, font_size: int = 15) -> Image.Image:
    """Pictures laid out as a widget shows them, for a reader without a kernel (one RGB picture).

    columns: [[picture, …], …] Pillow images, each column stacked top to bottom, the columns
             side by side, tops aligned;  lines: text written above them, one line each.
    """
    f = font(font_size)
    columns = [[p.convert("RGB") for p in column if p is not None] for column in columns]
    columns = [column for column in columns if column]
    widths = [max(p.width for p in column) for column in columns]
    heights = [sum(p.height for p in column) + gap * (len(column) - 1) for column in columns]
    lines = [str(line) for line in lines if line]
    text_height = len(lines) * (font_size + 8)
    text_width = max((ImageDraw.Draw(Image.new("RGB", (1, 1))).textlength(line, font=f)
                      for line in lines), default=0)
    width = max(sum(widths) + gap * (len(columns) + 1), int(text_width) + 2 * gap)
    height = max(heights, default=0) + text_height + 2 * gap
    canvas = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    for i, line in enumerate(lines):
        draw.text((gap, gap + i * (font_size + 8)), line, fill=(30, 30, 30), font=f)
    x = gap
    for column, column_width in zip(columns, widths):
        y = gap + text_height
        for picture in column:
            canvas.paste(picture, (x, y))
            y += picture.height + gap
        x += column_width + gap
    return canvas


def _ticks(low: float, high: float, target: int = 6) -> list[float]:
    """Round tick values inside [low, high], about ``target`` of them."""
    step = nice_ceiling((high - low) / target)
    first = math.ceil(low / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(int((high - first) / step + 1e-9) + 1)]
