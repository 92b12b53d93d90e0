"""`_()`, `ngettext()` and the language choice; Danish dates, numbers and money through babel.

Source strings are English (the code's language); Danish is the default language shown.
"""

from __future__ import annotations

import gettext
import os
import re
import sys
import threading
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.numbers import format_currency, format_decimal

DOMAIN = "feltkonsulent"
LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
# Not for users: English made longer and accented, to see which layouts break with longer text
# (FELTKONSULENT_LANGUAGE=pseudo, or scripts/screenshots.sh --language pseudo).
PSEUDO = "pseudo"
PSEUDO_STRETCH = 0.4  # German and Finnish run ~30-40 % longer than English
_LOCALES = {"da": "da_DK", "en": "en_GB", PSEUDO: "en_GB"}
# One short date in every language, the form typed into the date fields: 07.12.2026. A Danish
# municipality's tool, its English for colleagues who read English better: the day first, as
# en_GB has it, with the dots of the Danish form (en_GB's 07/12/2026 beside the typed 07.12.2026
# made two forms on one screen).
SHORT_DATE = "dd.MM.yyyy"
_ACCENTED = str.maketrans("aeiouyAEIOUYcnsz", "àéîöûýÀÉÎÖÛÝçñšž")
_PLACEHOLDER = re.compile(r"(\{[^{}]*\}|&&|&(?=\w))")


def pseudo(message: str) -> str:
    """"Save" -> "[Šàvé·····]": accented, stretched, bracketed; {placeholders} and & mnemonics
    kept as they are, so formatting and shortcuts still work."""
    parts = _PLACEHOLDER.split(message)
    text = "".join(p if _PLACEHOLDER.fullmatch(p) else p.translate(_ACCENTED) for p in parts)
    return f"[{text}{'·' * max(1, round(len(message) * PSEUDO_STRETCH))}]"


class _Pseudo(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)



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
    """Switch every later `_()` and format to `language` ('da', 'en' or the pseudo-locale);
    English needs no catalogue."""
    global _current
    _current = Translator(language)


def current_language() -> str:
    return _current.language


def locale() -> Locale:
    return _current.locale


def _(message: str) -> str:
    return _current._(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def format_date(day: date | None, length: str = "short") -> str:
    """`22.11.2026` (short, in every language) or `22. november 2026` (long, in Danish)."""
    return _current.format_date(day, length)


def format_datetime(moment: datetime) -> str:
    """`22.11.2026 14.32` in Danish, `22.11.2026 14:32` in English: the short date, the time."""
    return _current.format_datetime(moment)


def format_time(moment: datetime) -> str:
    """`14.32` in Danish, `14:32` in English."""
    return _current.format_time(moment)


def format_number(value: Decimal | float | int | None) -> str:
    return _current.format_number(value)


def format_money(amount: Decimal | float | int | None) -> str:
    """Danish kroner: `1.234,50 kr.`"""
    return _current.format_money(amount)


class Translator:
    """One language's `_()`, `ngettext()` and formats, whatever language the interface shows:
    a document in English while the UI is Danish. Immutable once made, so one instance may be
    used from any thread (batch printing runs off the GUI thread)."""

    def __init__(self, language: str) -> None:
        if language not in (*LANGUAGES, PSEUDO):
            raise ValueError(f"unsupported language: {language}")
        self.language = language
        # Parsed once: babel's Locale.parse on every date shown cost ~1 s for a long "I dag".
        self.locale = self._locale = Locale.parse(_LOCALES[language])
        self._translation: gettext.NullTranslations
        if language == PSEUDO:
            self._translation = _Pseudo()
        elif language == "en":
            self._translation = gettext.NullTranslations()
        else:
            self._translation = gettext.translation(DOMAIN, translations_dir(), languages=[language])

    def _(self, message: str) -> str:
        return self._translation.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translation.ngettext(singular, plural, n)

    def format_date(self, day: date | None, length: str = "short") -> str:
        """As `format_date()` in this translator's language: `1. december 2026` (Danish, long)."""
        if day is None:
            return ""
        pattern = SHORT_DATE if length == "short" else length
        return str(_babel_date(day, format=pattern, locale=self._locale))

    def format_time(self, moment: datetime) -> str:
        return str(_babel_time(moment, "short", locale=self._locale))

    def format_datetime(self, moment: datetime) -> str:
        return f"{self.format_date(moment.date())} {self.format_time(moment)}"

    def format_number(self, value: Decimal | float | int | None) -> str:
        if value is None:
            return ""
        return str(format_decimal(value, locale=self._locale))

    def format_money(self, amount: Decimal | float | int | None) -> str:
        """As `format_money()`: `12.345,50 kr.` in Danish (a no-break space before `kr.`)."""
        if amount is None:
            return ""
        return str(format_currency(amount, "DKK", locale=self._locale))


_translators: dict[str, Translator] = {}
_translators_lock = threading.Lock()


def translator(language: str) -> Translator:
    """The `Translator` of `language` ('da', 'en' or the pseudo-locale), made once."""
    with _translators_lock:
        found = _translators.get(language)
        if found is None:
            found = _translators[language] = Translator(language)
        return found


_current = Translator("en")  # until the app or a test chooses (English: the source strings)
