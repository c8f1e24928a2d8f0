"""The language of the kit's own words: widget labels, status lines, diagnoses, hints, figures.

    import nnkit
    nnkit.set_language("zh")      # 控件、提示和图中的文字使用中文
    nnkit.get_language()          # 'zh'

Messages come from gettext catalogs shipped in ``nnkit/locale`` (managed with Babel: ``make
messages`` extracts the marked strings into ``nnkit.pot``, updates ``zh_CN/LC_MESSAGES/nnkit.po``
and compiles ``nnkit.mo``).  At run time only the standard library's ``gettext`` is used.

A module marks a message with ``_`` and formats AFTER translating, so the catalog holds one
template for every value::

    from nnkit.i18n import _, ngettext
    _("The loss rose from {a} to {b}").format(a=0.1, b=3.2)
    ngettext("{n} epoch", "{n} epochs", n).format(n=n)

The default language is the ``NNKIT_LANG`` environment variable (``en`` or ``zh``), else the
kernel's locale (the first of ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set:
starting with ``zh`` → Chinese), else English.  Exceptions raised by the library stay in English, as NumPy's and Keras's do.
"""
import gettext as _gettext
import os
from pathlib import Path

__all__ = ["set_language", "get_language", "_", "ngettext", "LANGUAGES", "LOCALE_DIR"]

#: The languages ``set_language`` accepts, with the gettext catalog each one reads (None: the
#: English message ids themselves).
LANGUAGES = {"en": None, "zh": "zh_CN"}
#: Where the compiled catalogs live: ``LOCALE_DIR/<catalog>/LC_MESSAGES/nnkit.mo``.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "nnkit"

_ALIASES = {"en": "en", "en_us": "en", "en_gb": "en", "english": "en",
            "zh": "zh", "zh_cn": "zh", "zh_hans": "zh", "zh_sg": "zh", "chinese": "zh"}

_state = {"language": "en", "translations": _gettext.NullTranslations()}
_listeners = []      # called with the new language (nnkit.plots.fonts registers its font switch)


def _normalise(language):
    """'zh', 'zh-CN', 'zh_CN.UTF-8' → 'zh'; None when not a language this kit knows."""
    if not isinstance(language, str):
        return None
    key = language.strip().split(".")[0].split("@")[0].replace("-", "_").lower()
    return _ALIASES.get(key)


def _translations_for(language):
    catalog = LANGUAGES[language]
    if catalog is None:
        return _gettext.NullTranslations()
    # fallback=True: a missing .mo file (a broken install) shows English rather than failing
    return _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[catalog],
                                fallback=True)


def set_language(language) -> None:
    """Choose the language of widget labels, status lines, hints and figure labels.

    language : "en" or "zh" (also "zh_CN", "zh-CN", "zh_CN.UTF-8" …).  Widgets and figures made
    after this call use it; exceptions stay in English.  Returns None (as a setter does, so a
    notebook cell ending with it shows nothing); ``get_language()`` tells the language in use.
    """
    code = _normalise(language)
    if code is None:
        raise ValueError(f"set_language: language={language!r} is not one this kit knows; "
                         f"allowed: {sorted(LANGUAGES)} (or a locale such as 'zh_CN.UTF-8')")
    _state["language"] = code
    _state["translations"] = _translations_for(code)
    for listener in _listeners:
        listener(code)


def on_language_change(listener):
    """Call ``listener(language)`` after every ``set_language`` (and once now); for modules that
    must change more than words — ``nnkit.plots.fonts`` picks a font with Chinese letters."""
    _listeners.append(listener)
    listener(get_language())


def get_language():
    """The language in use: "en" or "zh"."""
    return _state["language"]


def _(message):
    """The message in the current language (the English id when there is no translation)."""
    return _state["translations"].gettext(message)


def ngettext(singular, plural, n):
    """The singular or plural message for the count ``n``, in the current language."""
    return _state["translations"].ngettext(singular, plural, n)


def N_(message):
    """Mark a message for extraction without translating it now (module-level constants);
    translate it with ``_`` where it is shown."""
    return message


def default_language(environ=None):
    """The language the environment asks for: NNKIT_LANG, else a zh locale, else English.

    A bad NNKIT_LANG raises ValueError naming the allowed values (a typo should not pass silently).
    """
    environ = os.environ if environ is None else environ
    chosen = environ.get("NNKIT_LANG", "").strip()
    if chosen:
        code = _normalise(chosen)
        if code is None:
            raise ValueError(f"NNKIT_LANG={chosen!r} is not a language this kit knows; "
                             f"allowed: {sorted(LANGUAGES)}")
        return code
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            # LANGUAGE may list several, "zh_CN:en"; the first one decides
            return "zh" if value.split(":")[0].lower().startswith("zh") else "en"
    return "en"


set_language(default_language())
