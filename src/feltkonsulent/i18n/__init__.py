"""`_()`, `ngettext()` and the language choice; Danish dates, numbers and money through babel.

Source strings are English (the code's language); Danish is the default language shown.
"""

from __future__ import annotations

import gettext
import os
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal

DOMAIN = "feltkonsulent"
LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
_LOCALES = {"da": "da_DK", "en": "en_GB"}

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def translations_dir() -> Path:
    """Where the compiled catalogues are: beside the bundle, or at the top of a source checkout."""
    override = os.environ.get("FELTKONSULENT_TRANSLATIONS")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "translations"
    return Path(__file__).resolve().parents[3] / "translations"


def set_language(language: str) -> None:
    """Switch every later `_()` to `language` ('da' or 'en'); English needs no catalogue."""
    global _translation, _language
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language: {language}")
    if language == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(DOMAIN, translations_dir(), languages=[language])
    _language = language


def current_language() -> str:
    return _language


def locale() -> Locale:
    return Locale.parse(_LOCALES[_language])


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def format_date(day: date | None, length: str = "short") -> str:
    """`22.11.2026` (short) or `22. november 2026` (long) in Danish."""
    if day is None:
        return ""
    return str(_babel_date(day, format=length, locale=locale()))


def format_number(value: Decimal | float | int | None) -> str:
    if value is None:
        return ""
    return str(format_decimal(value, locale=locale()))


def format_money(amount: Decimal | float | int | None) -> str:
    """Danish kroner: `1.234,50 kr.`"""
    if amount is None:
        return ""
    return str(format_currency(amount, "DKK", locale=locale()))
