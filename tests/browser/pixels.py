"""What a picture shows, read from the page: is anything drawn, and what changed.

Both work on an ``<img>`` (an ``ipywidgets.Image``: the Playground's views, the LSTM explorer's
FigureView) by drawing it onto a canvas in the page; ``ink`` also reads a ``<canvas>``.
"""
from __future__ import annotations

import json

# How much is drawn on an <img> or <canvas>: pixels unlike the most common colour, and colours.
INK_JS = """el => {
  let c = el;
  if (el.tagName === 'IMG') {
    if (!el.complete || !el.naturalWidth) return {ink: 0, colours: 0};
    c = document.createElement('canvas');
    c.width = el.naturalWidth; c.height = el.naturalHeight;
    c.getContext('2d').drawImage(el, 0, 0);
  }
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const counts = new Map();
  for (let i = 0; i < d.length; i += 4) {
    const k = (d[i] >> 4) << 8 | (d[i+1] >> 4) << 4 | (d[i+2] >> 4) | (d[i+3] > 127) << 12;
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  const most = Math.max(...counts.values());
  return {ink: d.length / 4 - most, colours: counts.size, pixels: d.length / 4};
}"""

# Pixels of an <img> kept under a key, then compared with what it shows later.
SNAPSHOT_JS = """([el, key]) => {
  if (!el.complete || !el.naturalWidth) return null;          // a new picture still loading
  const c = document.createElement('canvas');
  c.width = el.naturalWidth; c.height = el.naturalHeight;
  c.getContext('2d').drawImage(el, 0, 0);
  const now = c.getContext('2d').getImageData(0, 0, c.width, c.height);
  const before = (window.__nnkit_snap ??= {})[key];
  window.__nnkit_snap[key] = now;
  if (!before || before.width !== now.width || before.height !== now.height) return null;
  let changed = 0, x0 = now.width, x1 = -1, y0 = now.height, y1 = -1;
  for (let y = 0; y < now.height; y++) for (let x = 0; x < now.width; x++) {
    const i = 4 * (y * now.width + x);
    if (Math.abs(now.data[i] - before.data[i]) + Math.abs(now.data[i+1] - before.data[i+1])
        + Math.abs(now.data[i+2] - before.data[i+2]) > 30) {
      changed++;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  return {changed, x0, x1, y0, y1, width: now.width, height: now.height};
}"""


def ink(locator) -> dict:
    """{ink: pixels unlike the most common colour, colours: distinct colours} of an img/canvas."""
    return locator.evaluate(INK_JS)


def snapshot(locator, key: str) -> dict | None:
    """Keep the pixels an <img> shows now; returns how they differ from the last snapshot
    under ``key`` ({changed: pixels, x0, x1, y0, y1: their bounding box}) or None the first time."""
    return locator.evaluate(f"el => ({SNAPSHOT_JS})([el, {json.dumps(key)}])")
