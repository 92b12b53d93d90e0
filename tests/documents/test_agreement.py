"""The agreement as data (no PDF): what each kind says, who signs, the sums, the languages."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest

from feltkonsulent import i18n
from feltkonsulent.documents import AgreementData
from feltkonsulent.documents.amounts import days_in_period, support_total, weeks_in_period
from feltkonsulent.documents.model import FILL_IN, Section
from feltkonsulent.domain.enums import PlacementKind, Purpose
from tests import factories
from tests.documents.conftest import Records, override, records


def section(data: AgreementData, heading: str) -> Section:
    (found,) = [s for s in (*data.sections, *data.annexes) if s.heading.startswith(heading)]
    return found


def value(data: AgreementData, heading: str, label: str) -> str:
    (found,) = [r.value for r in section(data, heading).rows if r.label == label]
    return found


@pytest.mark.parametrize(("kind", "title", "headings"), [
    (PlacementKind.INTERNSHIP, "Aftale om virksomhedspraktik",
     ["Formål (BAB § 60)", "Forsikring og tavshedspligt", "Rimelighedskravet (BAB § 65)"]),
    (PlacementKind.WAGE_SUBSIDY, "Aftale om løntilskud", ["Løn", "Rimelighedskravet (BAB § 65)"]),
    (PlacementKind.IGU, "Aftale om integrationsgrunduddannelse (IGU)", ["Løn", "Uddannelsesdel"]),
    (PlacementKind.HYBRID, "Aftale om hybridpraktik",
     ["Formål (BAB § 60)", "Løn", "Ordinære løntimer", "Forsikring og tavshedspligt",
      "Rimelighedskravet (BAB § 65)"]),
    (PlacementKind.ORDINARY_HOURS, "Aftale om ordinære løntimer", ["Løn", "Ordinære løntimer"]),
])
def test_each_kind_has_its_title_and_sections(kind: PlacementKind, title: str,
                                              headings: list[str]) -> None:
    data = records(kind).agreement()
    assert data.title == title
    assert [s.heading for s in data.sections] == [
        "Arbejdspladsen", "Borgeren", "Periode og timer", "Arbejdsopgaver og mål", *headings]
    assert data.metadata_title == f"{title}, version 2"


def test_the_internship_states_its_purpose_and_the_legal_purpose(internship: Records) -> None:
    data = internship.agreement()
    purpose = section(data, "Formål")
    assert value(data, "Formål", "Formål") == "Opkvalificeringspraktik"
    assert [(c.text, c.ticked) for c in purpose.choices] == [
        ("Afklaring af borgerens beskæftigelses- eller uddannelsesmål", False),
        ("Optræning af konkrete kompetencer", True),
        ("Med henblik på ordinære løntimer", False),
    ]
    # Recruitment maps to no legal purpose for certain: the parties tick it on paper.
    recruiting = records(purpose=Purpose.RECRUITMENT).agreement()
    assert not any(c.ticked for c in section(recruiting, "Formål").choices)
    assert section(recruiting, "Formål").paragraphs == (
        "Parterne sætter kryds ved det lovbestemte formål, der gælder.",)


def test_the_paragraph_numbers_are_left_out_from_the_new_act_on() -> None:
    data = records(start_date=date(2027, 1, 4), end_date=date(2027, 1, 29)).agreement()
    headings = [s.heading for s in data.sections]
    assert "Formål" in headings and "Rimelighedskravet" in headings
    assert not any("§" in h for h in headings)


def test_the_ratio_declaration_has_the_numbers_and_lines_for_initials(internship: Records) -> None:
    data = internship.agreement(supported_at_workplace=Decimal("1.60812"))
    ratio = section(data, "Rimelighedskravet")
    assert [r.value for r in ratio.rows] == ["12", "1,61"]
    assert ratio.paragraphs[0] == ("Med 12 ordinært ansatte må arbejdspladsen have 2 personer i "
                                   "praktik eller løntilskud ad gangen.")
    assert ratio.initials == ("Arbejdsgiverens initialer", "Medarbejderrepræsentantens initialer")
    unknown = internship.replace(company=factories.company(employee_count=None))
    assert [r.value for r in section(unknown.agreement(supported_at_workplace=None),
                                     "Rimelighedskravet").rows] == [FILL_IN, FILL_IN]


def test_the_employee_representative_signs_only_where_there_is_more_than_one_employee(
    internship: Records,
) -> None:
    def parties(r: Records) -> list[str]:
        return [b.party for b in r.agreement().signatures]

    everyone = ["Virksomheden", "Medarbejderrepræsentanten", "Borgeren", "Jobcentret"]
    assert parties(internship) == everyone
    unknown = internship.replace(company=factories.company(employee_count=None), representative=None)
    assert parties(unknown) == everyone  # an unknown count: the representative signs
    alone = internship.replace(company=factories.company(employee_count=Decimal(1)),
                               representative=None)
    assert parties(alone) == ["Virksomheden", "Borgeren", "Jobcentret"]
    assert section(alone.agreement(), "Rimelighedskravet").initials == ("Arbejdsgiverens initialer",)
    assert not any(r.label == "Medarbejderrepræsentant"
                   for r in section(alone.agreement(), "Arbejdspladsen").rows)


def test_the_citizen_is_named_with_the_birth_date_unless_the_full_cpr_is_asked_for(
    internship: Records,
) -> None:
    assert [(r.label, r.value) for r in section(internship.agreement(), "Borgeren").rows] == [
        ("Navn", "Amina Hassan"), ("Fødselsdato", "1. december 1990")]
    with_cpr = internship.agreement(include_cpr=True)
    assert value(with_cpr, "Borgeren", "CPR-nummer") == "011290-1238"


def test_a_bought_out_buddy_costs_hours_times_rate_times_weeks(internship: Records) -> None:
    buddy, mentor = internship.support
    assert (days_in_period(buddy.start_date, buddy.end_date), weeks_in_period(
        buddy.start_date, buddy.end_date)) == (49, Decimal(7))
    assert support_total(buddy) == Decimal("3500.00")  # 2,5 h x 200 kr. x 7 weeks
    assert support_total(mentor) == Decimal("12345.50")  # 5 h x 246,91 kr. x 10 weeks
    assert weeks_in_period(date(2026, 12, 1), date(2026, 12, 10)) == Decimal("1.43")
    no_rate = factories.support(buddy.placement_id, hourly_rate=None)
    assert support_total(no_rate) is None
    data = internship.agreement()
    assert value(data, "Bilag 2: Mentor", "Beløb i alt") == "12.345,50\N{NO-BREAK SPACE}kr."
    assert value(data, "Bilag 2: Mentor", "Uger i perioden") == "10 uger (70 dage)"
    assert "delt med 7" in section(data, "Bilag 1: Buddy").paragraphs[0]
    sprogmakker = section(data, "Bilag 3: Sprogmakker")
    assert [r.value for r in sprogmakker.rows][2:] == [
        "20. oktober 2026", "To gange om ugen, 20 minutter", "• Fagord\n• Small talk i frokostpausen"]


def test_wage_subsidy_igu_and_rising_hours() -> None:
    wage = records(PlacementKind.WAGE_SUBSIDY).agreement()
    assert value(wage, "Løn", "Timeløn") == "142,50\N{NO-BREAK SPACE}kr."
    assert value(wage, "Løn", "Løntilskud pr. time") == "85,20\N{NO-BREAK SPACE}kr."
    assert any("(LAB § 78)" in p for p in section(wage, "Løn").paragraphs)
    assert wage.signatures[1].note == "Godkender efter arbejdsgiveren"
    igu = records(PlacementKind.IGU).agreement()
    assert value(igu, "Uddannelsesdel", "Uddannelsesplan").startswith("Sprogcenter Aarhus")
    assert "23 skoleuger" in section(igu, "Uddannelsesdel").paragraphs[0]
    hybrid = records(PlacementKind.HYBRID, paid_hours_plan=("2026-11-02 5", "2026-11-23 7.5",
                                                            "not a step")).agreement()
    assert [(r.label, r.value) for r in section(hybrid, "Ordinære løntimer").rows] == [
        ("Fra 2. november 2026", "5 timer om ugen"), ("Fra 23. november 2026", "7,5 timer om ugen"),
        ("Trin", "not a step")]
    assert value(hybrid, "Periode og timer", "Timer om ugen i alt") == "22,5 timer om ugen"


def test_the_override_page_lists_the_findings_gone_past_with_reasons(internship: Records) -> None:
    assert internship.agreement().overrides is None
    pid = internship.placement.id
    data = internship.replace(overrides=(
        override(pid, "ratio_exceeded", "To deltidsansatte; under én fuldtidsperson.",
                 date(2026, 10, 28)),
        override(pid, "internship_too_long", "Ny praktik med andet indhold.", date(2026, 10, 20)),
        override(pid, "some_future_rule", "Ukendt kode.", date(2026, 10, 29)),
    )).agreement()
    assert data.overrides is not None
    assert [(e.title, e.reason, e.decided_on) for e in data.overrides.entries] == [
        ("Praktikken er for lang", "Ny praktik med andet indhold.", "20. oktober 2026"),
        ("Rimelighedskravet er overskredet", "To deltidsansatte; under én fuldtidsperson.",
         "28. oktober 2026"),
        ("some_future_rule", "Ukendt kode.", "29. oktober 2026"),
    ]
    english = internship.replace(overrides=(
        override(pid, "ratio_exceeded", "r", date(2026, 10, 28)),)).agreement(language="en")
    assert english.overrides is not None
    assert english.overrides.entries[0].title == "Ratio of supported to ordinary employees exceeded"


def test_the_summary_speaks_to_the_citizen_in_short_sentences(internship: Records) -> None:
    summary = internship.agreement().summary
    assert summary.heading == "Kort fortalt – til borgeren"
    assert summary.sentences[:4] == (
        "Du skal i virksomhedspraktik hos Bageriet Ørsted ApS.",
        "Du får ikke løn i praktikken. Du beholder din ydelse.",
        "Du starter den 2. november 2026.",
        "Du stopper den 20. december 2026.",
    )
    assert "Lone Sørensen er din sprogmakker. I taler dansk sammen på arbejdet." in summary.sentences
    assert max(len(s.split()) for s in summary.sentences) <= 15  # short sentences (B1)


def test_the_document_language_does_not_follow_the_interface(internship: Records) -> None:
    before = i18n.current_language()
    try:
        i18n.set_language("da")
        english = internship.agreement(language="en")
        i18n.set_language("en")
        danish = internship.agreement(language="da")
    finally:
        i18n.set_language(before)
    assert english.title == "Agreement on internship"
    assert english.texts.issued == "Issued 1 December 2026"
    assert danish.title == "Aftale om virksomhedspraktik"
    assert danish.texts.issued == "Udstedt 1. december 2026"
    with pytest.raises(ValueError, match="unsupported language"):
        internship.agreement(language="sv")


def test_agreements_are_built_alike_on_many_threads_at_once(internship: Records) -> None:
    languages = ["da", "en"] * 20
    alone = {lang: internship.agreement(language=lang) for lang in ("da", "en")}
    with ThreadPoolExecutor(max_workers=8) as pool:
        made = list(pool.map(lambda lang: internship.agreement(language=lang), languages))
    assert all(data == alone[lang] for data, lang in zip(made, languages, strict=True))
