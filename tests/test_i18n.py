"""The gettext catalogue agrees with the code (what `bash scripts/i18n.sh check` checks), the
Danish is complete and keeps the glossary's words, and babel formats the Danish way."""

from __future__ import annotations

import ast
import gettext
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from feltkonsulent import i18n

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "feltkonsulent"
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "feltkonsulent.pot"
PO = TRANSLATIONS / "da" / "LC_MESSAGES" / "feltkonsulent.po"
MO = PO.with_suffix(".mo")
FIX = "run `bash scripts/i18n.sh extract update`, translate, then `bash scripts/i18n.sh compile`"

# The same keywords as scripts/i18n.sh: `_("...")` and `ngettext("one", "many", n)`.
KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "ngettext": (1, 2)}

BRACES = re.compile(r"\{[^{}]*\}")
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")

# English words of the msgids and the Danish word (GLOSSARY.md) the translation must use.
GLOSSARY = {
    r"\bCVR[ -]numbers?\b": "CVR-nummer",
    r"\bP-numbers?\b": "P-nummer",
    r"\bCPR[ -]numbers?\b": "CPR-nummer",
    r"\bcitizens?('s)?\b": "borger",
    r"\bcompany('s)?\b|\bcompanies\b": "virksomhed",
    r"\bplacements?\b": "forløb",
    r"\bwage subsid(y|ies)\b": "løntilskud",
    r"\bsprogmakker|\blanguage partners?\b": "sprogmakker",
    r"\b(aftercare|follow-up) visits?\b": "opfølgningsbesøg",
    r"\bcontact persons?\b": "kontaktperson",
}


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _entries(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def _forms(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None or isinstance(value, str):
        return (value or "",)
    return tuple(value)


def _placeholders(text: str) -> tuple[list[str], list[str]]:
    return sorted(BRACES.findall(text)), sorted(PERCENT.findall(text))


@pytest.fixture(scope="module")
def template() -> Catalog:
    return _read(POT)


@pytest.fixture(scope="module")
def danish() -> Catalog:
    return _read(PO, locale="da")


@pytest.fixture
def language() -> Iterator[None]:
    """Put the language back as it was, whatever the test switched to."""
    before = i18n.current_language()
    yield
    i18n.set_language(before)


# -- the catalogue agrees with the code ------------------------------------------------------
def test_the_template_has_every_string_of_the_source_and_no_other(template: Catalog) -> None:
    source: dict[object, set[str]] = {}
    for _file, _line, message, comments, _context in extract_from_dir(
        str(SOURCE), method_map=[("**.py", "python")], keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
    ):
        key = message if isinstance(message, str) else tuple(message)
        source.setdefault(key, set()).update(comments)
    in_template = {m.id: set(m.auto_comments) for m in _entries(template)}
    assert sorted(map(str, in_template.keys() - source.keys())) == [], f"strings gone: {FIX}"
    assert sorted(map(str, source.keys() - in_template.keys())) == [], f"new strings: {FIX}"
    assert in_template == source, f"translator comments changed: {FIX}"


def test_the_danish_catalogue_has_exactly_the_templates_entries(
    template: Catalog, danish: Catalog
) -> None:
    assert {m.id for m in _entries(danish)} == {m.id for m in _entries(template)}, FIX


def test_every_danish_entry_is_translated_and_not_fuzzy(danish: Catalog) -> None:
    assert not danish.fuzzy, "the .po header is marked fuzzy"
    assert danish.plural_forms == "nplurals=2; plural=(n != 1);"
    untranslated = [m.id for m in _entries(danish) if not all(_forms(m.string))]
    fuzzy = [m.id for m in _entries(danish) if m.fuzzy]
    assert untranslated == [], FIX
    assert fuzzy == [], "check the Danish of these and remove their `#, fuzzy`"
    plurals = [m.id for m in _entries(danish) if m.pluralizable and len(_forms(m.string)) != 2]
    assert plurals == [], "a Danish plural entry needs msgstr[0] and msgstr[1]"


def test_every_translation_keeps_the_placeholders_of_its_msgid(danish: Catalog) -> None:
    wrong = []
    for m in _entries(danish):
        ids, strings = _forms(m.id), _forms(m.string)
        for i, text in enumerate(strings):
            source = ids[min(i, len(ids) - 1)]
            if _placeholders(text) != _placeholders(source):
                wrong.append((source, text))
    assert wrong == []
    assert [(m.id, errors) for m, errors in danish.check()] == []


def test_the_compiled_catalogue_is_the_po_compiled(danish: Catalog) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, danish)
    assert MO.is_file(), "run `bash scripts/i18n.sh compile`"
    assert MO.read_bytes() == compiled.getvalue(), "run `bash scripts/i18n.sh compile`"


def test_the_danish_uses_the_glossarys_words(danish: Catalog) -> None:
    wrong = []
    for m in _entries(danish):
        for source, text in zip(_forms(m.id), _forms(m.string), strict=False):
            for english, word in GLOSSARY.items():
                if re.search(english, source, re.IGNORECASE) and word.lower() not in text.lower():
                    wrong.append((source, text, word))
    assert wrong == [], "GLOSSARY.md: the Danish translation uses the consultants' words"


def test_no_string_is_translated_when_a_module_is_imported() -> None:
    """A `_()` evaluated at import time stays in the language of that moment: call it inside
    the function that shows the text."""
    frozen = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        frozen += [f"{path.relative_to(ROOT)}:{line}" for line in _calls_outside_functions(tree)]
    assert frozen == []


def _calls_outside_functions(node: ast.AST) -> Iterator[int]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if (isinstance(child, ast.Call) and isinstance(child.func, ast.Name)
                and child.func.id in KEYWORDS):
            yield child.lineno
        yield from _calls_outside_functions(child)


# -- the language switch -----------------------------------------------------------------------
@pytest.mark.usefixtures("language")
def test_danish_is_what_the_catalogue_says_and_english_is_the_source(danish: Catalog) -> None:
    entries = _entries(danish)
    assert entries, "the catalogue is empty"
    i18n.set_language("da")
    for m in entries:
        if m.pluralizable:
            (one, many), (da_one, da_many) = _forms(m.id), _forms(m.string)
            assert (i18n.ngettext(one, many, 1), i18n.ngettext(one, many, 3)) == (da_one, da_many)
        else:
            assert i18n._(m.id) == m.string
    i18n.set_language("en")
    for m in entries:
        if m.pluralizable:
            one, many = _forms(m.id)
            assert (i18n.ngettext(one, many, 1), i18n.ngettext(one, many, 3)) == (one, many)
        else:
            assert i18n._(m.id) == m.id


@pytest.mark.usefixtures("language")
def test_a_known_string_in_both_languages() -> None:
    i18n.set_language("da")
    assert i18n.current_language() == "da"
    assert i18n._("Must be filled in.") == "Skal udfyldes."
    assert i18n._("Internship") == "Virksomhedspraktik"
    i18n.set_language("en")
    assert i18n._("Must be filled in.") == "Must be filled in."
    assert i18n._("Internship") == "Internship"


def test_the_compiled_danish_plural_is_singular_for_one_only() -> None:
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    assert [compiled.plural(n) for n in (0, 1, 2, 5, 21)] == [1, 0, 1, 1, 1]


@pytest.mark.usefixtures("language")
def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        i18n.set_language("sv")


# -- babel formatting ------------------------------------------------------------------------
@pytest.mark.usefixtures("language")
def test_danish_dates_numbers_and_money() -> None:
    i18n.set_language("da")
    assert i18n.format_date(date(2026, 11, 22)) == "22.11.2026"
    assert i18n.format_date(date(2026, 11, 22), "long") == "22. november 2026"
    assert i18n.format_date(None) == ""
    assert i18n.format_number(Decimal("1234.5")) == "1.234,5"
    # A no-break space keeps the amount and "kr." on one line.
    assert i18n.format_money(Decimal("1234.5")) == "1.234,50\N{NO-BREAK SPACE}kr."
    assert i18n.format_money(None) == ""


@pytest.mark.usefixtures("language")
def test_english_formatting_is_not_danish() -> None:
    i18n.set_language("en")
    assert i18n.format_number(Decimal("1234.5")) == "1,234.5"
    # One short date in both languages, the form typed into the date fields.
    assert i18n.format_date(date(2026, 12, 7)) == "07.12.2026"
    assert i18n.format_date(date(2026, 12, 7), "long") == "7 December 2026"
    assert i18n.format_datetime(datetime(2026, 12, 7, 14, 32)) == "07.12.2026 14:32"
    i18n.set_language("da")
    assert i18n.format_datetime(datetime(2026, 12, 7, 14, 32)) == "07.12.2026 14.32"


def test_the_pseudo_locale_stretches_every_string_but_keeps_placeholders_and_mnemonics() -> None:
    before = i18n.current_language()
    try:
        i18n.set_language(i18n.PSEUDO)
        shown = i18n._("Today, {date}")
        assert shown == "[Tödàý, {date}·····]"
        assert shown.format(date="22.11.2026").count("22.11.2026") == 1
        assert len(shown) >= len("Today, {date}") * 1.4
        assert "&Save" not in i18n._("&Save") and "&" in i18n._("&Save")
        assert i18n.ngettext("{n} visit", "{n} visits", 2).startswith("[{n} vîšîtš")
        assert i18n.format_date(date(2026, 12, 1), "long") == "1 December 2026"  # English
    finally:
        i18n.set_language(before)
