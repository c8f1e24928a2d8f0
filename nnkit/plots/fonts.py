"""Fonts for figures in the chosen language: Chinese letters need a CJK font, never boxes (□□□).

With ``nnkit.set_language("zh")`` matplotlib keeps DejaVu Sans for Latin letters and digits and
falls back, letter by letter, to the first CJK font it finds (``CJK_FONTS``: Noto Sans CJK SC
from the Debian package ``fonts-noto-cjk`` that binder/apt.txt and .ci/run install, then the
usual Windows/macOS ones).  When none is installed, the figures' labels stay English and ONE
notice says so.

    from nnkit.plots.fonts import figure_text as _
    ax.set_xlabel(_("epoch"))          # "轮次" with a CJK font, "epoch" without one
"""
from __future__ import annotations

import functools
import warnings

import matplotlib
from matplotlib import font_manager

from nnkit import i18n
from nnkit.i18n import N_

__all__ = ["CJK_FONTS", "cjk_font", "cjk_font_path", "figure_text", "figure_language"]

#: Fonts with Simplified Chinese letters, most wanted first.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC",
             "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei",
             "SimHei", "PingFang SC", "Heiti SC", "Noto Serif CJK SC")

NOTICE = ("nnkit: no font with Chinese letters was found, so figure labels stay in English "
          "(widgets and messages are in Chinese). Install one, e.g. `apt-get install "
          "fonts-noto-cjk` (binder/apt.txt does this on Binder), then restart the kernel.")

_state = {"warned": False, "family": None}

# Words that reach ``label_axes`` as data (default axis labels, history keys), marked here so the
# catalog has them; ``label_axes`` translates every label it is given.
AXIS_WORDS = (N_("epoch"), N_("loss"), N_("accuracy"), N_("val_loss"), N_("val_accuracy"))


#: Parts of the file names of those fonts (for a font installed after matplotlib cached its list).
CJK_FILES = ("notosanscjk", "notoserifcjk", "notosanssc", "sourcehansans", "wqy", "msyh",
             "simhei", "pingfang", "stheiti")


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The name of the first installed font of ``CJK_FONTS``, or None.

    matplotlib keeps its font list in a cache made the first time it ran; a CJK font installed
    later (``apt-get install fonts-noto-cjk``) is not in it, so the system's font folders are
    looked through once (about 0.05 s) and such fonts added."""
    def first():
        installed = {f.name for f in font_manager.fontManager.ttflist}
        return next((name for name in CJK_FONTS if name in installed), None)

    found = first()
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(part in path.lower().replace("-", "").replace("_", "") for part in CJK_FILES):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):   # a broken font file: skip it
                    continue
        found = first()
    return found


def cjk_font_path(bold: bool = False) -> str | None:
    """The file of that font (for Pillow-drawn pictures), or None."""
    name = cjk_font()
    if name is None:
        return None
    return font_manager.findfont(font_manager.FontProperties(
        family=name, weight="bold" if bold else "normal"), fallback_to_default=False)


@functools.lru_cache(maxsize=2)
def cjk_face_index(path: str) -> int:
    """Which face of a font collection (.ttc) is ``cjk_font()``: Noto's holds the Japanese,
    Korean, Simplified and Traditional Chinese forms, and Pillow would take the first."""
    from PIL import ImageFont
    for index in range(16):
        try:
            face = ImageFont.truetype(path, 12, index=index)
        except OSError:                                    # past the last face
            break
        if face.getname()[0] == cjk_font():
            return index
    return 0


def figure_language() -> str:
    """The language figures are labelled in: the kit's, unless Chinese has no font here."""
    language = i18n.get_language()
    if language == "zh" and cjk_font() is None:
        if not _state["warned"]:
            _state["warned"] = True
            warnings.warn(NOTICE, UserWarning, stacklevel=3)
        return "en"
    return language


def figure_text(message: str) -> str:
    """``_`` for figure labels: translated when the figure can show the letters."""
    return i18n._(message) if figure_language() != "en" else message


def _use_fonts(language: str) -> None:
    """zh: DejaVu Sans first (Latin, digits, maths), the CJK font for the letters it lacks; en:
    matplotlib's families as before."""
    family = matplotlib.rcParams["font.family"]
    if language == "zh" and cjk_font() is not None:
        if _state["family"] is None:
            _state["family"] = list(family)
        matplotlib.rcParams["font.family"] = ["DejaVu Sans", cjk_font()]
    elif _state["family"] is not None:
        matplotlib.rcParams["font.family"] = _state["family"]
        _state["family"] = None


i18n.on_language_change(_use_fonts)
