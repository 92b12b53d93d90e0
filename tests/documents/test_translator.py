"""A translator per language (i18n.translator): a document's language, whatever the interface
shows; formats agree with the interface's; safe to share between threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest

from feltkonsulent import i18n


def test_a_translator_keeps_its_language_whatever_the_interface_shows() -> None:
    before = i18n.current_language()
    try:
        i18n.set_language("en")
        danish = i18n.translator("da")
        assert danish._("Internship") == "Virksomhedspraktik"
        assert i18n._("Internship") == "Internship"
        i18n.set_language("da")
        english = i18n.translator("en")
        assert english._("Internship") == "Internship"
        assert english.ngettext("{hours} hour a week", "{hours} hours a week", 2) == (
            "{hours} hours a week")
        assert danish.ngettext("{hours} hour a week", "{hours} hours a week", 1) == (
            "{hours} time om ugen")
    finally:
        i18n.set_language(before)
    assert i18n.translator("da") is danish  # made once


@pytest.mark.parametrize("language", ["da", "en"])
def test_formats_agree_with_the_interface_in_the_same_language(language: str) -> None:
    before = i18n.current_language()
    t = i18n.translator(language)
    try:
        i18n.set_language(language)
        for day in (date(2026, 12, 1), None):
            for length in ("short", "long"):
                assert t.format_date(day, length) == i18n.format_date(day, length)
        for amount in (Decimal("12345.5"), Decimal(0), None):
            assert t.format_money(amount) == i18n.format_money(amount)
            assert t.format_number(amount) == i18n.format_number(amount)
    finally:
        i18n.set_language(before)


def test_danish_long_dates_and_kroner() -> None:
    t = i18n.translator("da")
    assert t.format_date(date(2026, 12, 1), "long") == "1. december 2026"
    assert t.format_money(Decimal("12345.5")) == "12.345,50\N{NO-BREAK SPACE}kr."
    assert i18n.translator("en").format_date(date(2026, 12, 1), "long") == "1 December 2026"
    with pytest.raises(ValueError, match="unsupported language"):
        i18n.translator("sv")


def test_translators_are_shared_safely_between_threads() -> None:
    def work(n: int) -> tuple[str, str]:
        t = i18n.translator("da" if n % 2 else "en")
        return t._("Internship"), t.format_date(date(2026, 12, 1), "long")

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = set(pool.map(work, range(200)))
    assert results == {("Virksomhedspraktik", "1. december 2026"),
                       ("Internship", "1 December 2026")}
