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
    (PlacementKind.WAGE_SUBSIDY, "Aftale om løntilskud",
     ["Løn", "Merbeskæftigelse og statsstøtte", "Rimelighedskravet (BAB § 65)"]),
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
        "Kommunen", "Arbejdspladsen", "Borgeren", "Periode og timer", "Arbejdsopgaver og mål",
        *headings, "Fravær, ophør før tid og opfølgning", "Arbejdsmiljø og instruktion",
        "Klagevejledning og personoplysninger"]
    assert data.metadata_title == f"{title}, version 2"


def test_the_internship_states_its_purpose_and_the_legal_purpose(internship: Records) -> None:
    data = internship.agreement()
    purpose = section(data, "Formål")
    assert value(data, "Formål", "Formål") == "Opkvalificeringspraktik"
    assert [(c.text, c.ticked) for c in purpose.choices] == [
        ("Med henblik på ordinære løntimer (stk. 2, nr. 1)", False),
        ("Optræning af specifikke kompetencer (stk. 2, nr. 2)", True),
        ("Afklaring af beskæftigelsesmål (stk. 2, nr. 3)", False),
        ("Fastholdelse i job (for en borger, der er sygemeldt fra et job) (stk. 3)", False),
    ]
    assert purpose.paragraphs == ()
    # Recruitment is ordinary paid hours (BAB § 60 stk. 2 nr. 1).
    recruiting = records(purpose=Purpose.RECRUITMENT).agreement()
    assert [c.ticked for c in section(recruiting, "Formål").choices] == [True, False, False, False]
    clarifying = records(purpose=Purpose.CLARIFICATION).agreement()
    assert [c.ticked for c in section(clarifying, "Formål").choices] == [False, False, True, False]
    unknown = records(PlacementKind.HYBRID, purpose=None).agreement()
    assert section(unknown, "Formål").paragraphs == (
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
        return [b.party for b in r.agreement(supported_at_workplace=Decimal(1)).signatures]

    everyone = ["Virksomheden", "Medarbejderrepræsentanten", "Borgeren", "Kommunen"]
    assert parties(internship) == everyone
    unknown = internship.replace(company=factories.company(employee_count=None), representative=None)
    assert parties(unknown) == everyone  # an unknown count: the representative signs
    alone = internship.replace(company=factories.company(employee_count=Decimal(1)),
                               representative=None)
    assert parties(alone) == ["Virksomheden", "Borgeren", "Kommunen"]
    one = alone.agreement(supported_at_workplace=Decimal(1))
    assert section(one, "Rimelighedskravet").initials == ("Arbejdsgiverens initialer",)
    assert not any(r.label == "Medarbejderrepræsentant"
                   for r in section(one, "Arbejdspladsen").rows)


def test_the_citizen_is_named_with_the_birth_date_unless_the_full_cpr_is_asked_for(
    internship: Records,
) -> None:
    assert [(r.label, r.value) for r in section(internship.agreement(), "Borgeren").rows] == [
        ("Navn", "Amina Hassan"), ("Fødselsdato", "1. december 1990"),
        ("Borgerens seneste arbejdsgiver", FILL_IN)]
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
    assert value(data, "Bilag 2: Mentor", "Beløb i alt") == (
        "højst 12.345,50\N{NO-BREAK SPACE}kr., afregnes efter faktiske timer")
    assert value(data, "Bilag 2: Mentor", "Uger i perioden") == "10 uger"
    assert "delt med 7" in section(data, "Bilag 1: Buddy").paragraphs[0]
    sprogmakker = section(data, "Bilag 3: Sprogmakker")
    assert [r.value for r in sprogmakker.rows][2:] == [
        "20. oktober 2026", FILL_IN, FILL_IN, "To gange om ugen, 20 minutter",
        "• Fagord\n• Small talk i frokostpausen"]
    assert [r.label for r in sprogmakker.rows][3:5] == ["Sprogskole", "Underviser"]


def test_wage_subsidy_igu_and_rising_hours() -> None:
    wage = records(PlacementKind.WAGE_SUBSIDY).agreement()
    assert value(wage, "Løn", "Timeløn") == "142,50\N{NO-BREAK SPACE}kr."
    assert value(wage, "Løn", "Løntilskud pr. time") == "85,20\N{NO-BREAK SPACE}kr."
    assert ("Medarbejderrepræsentanten er hørt på forhånd og har afgivet skriftlig "
            "tilkendegivelse (LAB § 78).") in section(wage, "Løn").paragraphs
    assert wage.signatures[1].note == "Er hørt og har afgivet skriftlig tilkendegivelse"
    assert not any("odkend" in p for p in section(wage, "Løn").paragraphs)
    igu = records(PlacementKind.IGU).agreement()
    assert value(igu, "Uddannelsesdel", "Uddannelsesplan").startswith("Sprogcenter Aarhus")
    assert "23 skoleuger" in section(igu, "Uddannelsesdel").paragraphs[0]
    hybrid = records(PlacementKind.HYBRID, paid_hours_plan=("2026-11-02 5", "2026-11-23 7.5",
                                                            "not a step", "2027-01-04 20")).agreement()
    paid = section(hybrid, "Ordinære løntimer")
    assert [(r.label, r.value) for r in paid.rows] == [
        ("Fra 2. november 2026", "5 timer om ugen"), ("Fra 23. november 2026", "7,5 timer om ugen"),
        ("Trin", "not a step")]  # the step after the end date is left out, and said so
    assert "Et trin planlagt efter slutdatoen (20. december 2026) er udeladt." in paid.paragraphs
    assert value(hybrid, "Periode og timer", "Timer om ugen i alt") == "22,5 timer om ugen"


def test_the_internal_note_lists_the_findings_gone_past_with_reasons(internship: Records) -> None:
    pid = internship.placement.id
    r = internship.replace(overrides=(
        override(pid, "ratio_exceeded", "To deltidsansatte; under én fuldtidsperson.",
                 date(2026, 10, 28)),
        override(pid, "internship_too_long", "Ny praktik med andet indhold.", date(2026, 10, 20)),
        override(pid, "some_future_rule", "Ukendt kode.", date(2026, 10, 29)),
    ))
    note = r.note()
    assert note.title == "Intern note: regler, der er fraveget, og begrundelser"
    assert [(e.title, e.reason, e.decided_on) for e in note.page.entries] == [
        ("Praktikken er for lang", "Ny praktik med andet indhold.", "20. oktober 2026"),
        ("Rimelighedskravet er overskredet", "To deltidsansatte; under én fuldtidsperson.",
         "28. oktober 2026"),
        ("some_future_rule", "Ukendt kode.", "29. oktober 2026"),
    ]
    # The agreement itself holds no reason, whatever overrides the placement has.
    assert not hasattr(r.agreement(), "overrides")
    english = internship.replace(overrides=(
        override(pid, "ratio_exceeded", "r", date(2026, 10, 28)),)).note(language="en")
    assert english.page.entries[0].title == "Ratio of supported to ordinary employees exceeded"


def test_the_municipality_and_the_consultant_are_named_or_left_to_fill_in(
    internship: Records,
) -> None:
    data = internship.agreement()
    assert [r.value for r in section(data, "Kommunen").rows] == [
        "Aarhus Kommune", "Virksomhedsservice", "Værkmestergade 15, 8000 Aarhus C", "89 40 20 00",
        "virksomhedsservice@aarhus.dk", "Sara Holm\n41 85 20 11\nsaho@aarhus.dk"]
    assert data.signatures[-1].party == "Kommunen"
    assert data.signatures[-1].name == "Aarhus Kommune"
    assert data.texts.municipality == "Aarhus Kommune"
    assert "Din konsulent i kommunen er Sara Holm." in data.summary.sentences
    assert data.summary.sentences[-1] == "Spørg kommunen, hvis du har spørgsmål."
    blank = internship.agreement(issuer=None)
    assert {r.value for r in section(blank, "Kommunen").rows} == {FILL_IN}
    assert blank.signatures[-1].name == "" and blank.signatures[-1].name_line
    assert blank.texts.municipality == "Kommunen"
    everything = repr(data) + repr(internship.agreement(language="en"))
    assert "obcent" not in everything and "jobcentre" not in everything


def test_a_ratio_breach_is_refused_not_declared(internship: Records) -> None:
    from feltkonsulent.domain.errors import ValidationError

    with pytest.raises(ValidationError) as caught:
        internship.agreement(supported_at_workplace=Decimal("2.5"))  # 12 employees: 2 allowed
    (error,) = caught.value.errors
    assert (error.code, dict(error.params)) == ("ratio_breach", {"supported": "2.50", "allowed": 2})
    assert section(internship.agreement(supported_at_workplace=Decimal(2)), "Rimelighedskravet")


def test_a_company_without_an_employee_representative_has_a_box_and_who_signs_instead(
    internship: Records,
) -> None:
    ratio = section(internship.replace(representative=None).agreement(), "Rimelighedskravet")
    assert [(c.text, c.ticked) for c in ratio.choices] == [
        ("Virksomheden har ingen medarbejderrepræsentant", False)]
    assert any("BAB § 65, stk. 6" in p and "tillidsrepræsentanten" in p for p in ratio.paragraphs)
    assert section(internship.agreement(), "Rimelighedskravet").choices == ()


def test_wage_subsidy_declares_additional_employment_and_state_aid() -> None:
    data = records(PlacementKind.WAGE_SUBSIDY).agreement()
    declared = section(data, "Merbeskæftigelse og statsstøtte")
    assert [r.label for r in declared.rows] == [
        "Ordinært ansatte i seneste måned", "Gennemsnit af ordinært ansatte de seneste 12 måneder",
        "Løntilskud og anden offentlig støtte til virksomheden de seneste 12 måneder",
        "Virksomhedens samlede lønomkostninger i samme periode"]
    assert {r.value for r in declared.rows} == {FILL_IN}  # the employer declares them
    assert [c.ticked for c in declared.choices] == [False, False]
    assert "CVR-niveau" in declared.choices[0].text
    assert "afskedigelse inden for de seneste 3 måneder" in declared.choices[1].text


def test_igu_is_signed_by_employer_and_employee_and_has_no_wage_in_school_weeks() -> None:
    data = records(PlacementKind.IGU).agreement()
    assert [b.party for b in data.signatures] == ["Virksomheden", "Medarbejderen"]
    wage = section(data, "Løn")
    assert any("uddannelsesgodtgørelse" in p for p in wage.paragraphs)
    assert any("EGU" in p for p in wage.paragraphs)
    assert "23 skoleuger" in section(data, "Uddannelsesdel").paragraphs[0]


def test_hybrid_paid_hours_are_the_employers_insurance() -> None:
    wage = section(records(PlacementKind.HYBRID).agreement(), "Løn")
    assert any("arbejdsgiverens forsikring" in p and "kommunens egen erstatningsordning" in p
               for p in wage.paragraphs)


def test_the_duties_and_notices_of_a_municipal_agreement(internship: Records) -> None:
    data = internship.agreement()
    follow = section(data, "Fravær, ophør før tid og opfølgning")
    assert value(data, "Fravær", "Kommunens opfølgning") == FILL_IN
    assert any("sygdom" in p for p in follow.paragraphs)
    assert any("afbryde praktikken før tid" in p for p in follow.paragraphs)
    dated = records(follow_up_on=date(2026, 11, 30)).agreement()
    assert value(dated, "Fravær", "Kommunens opfølgning") == "30. november 2026"
    notices = section(data, "Klagevejledning")
    assert notices.paragraphs[0] == "Kontakt kommunen, hvis du vil klage over en afgørelse om dit tilbud."
    assert any("databeskyttelsesforordningen" in p for p in notices.paragraphs)
    assert any("instruerer" in p for p in section(data, "Arbejdsmiljø").paragraphs)
    employer = internship.replace(citizen=factories.citizen(cpr="0112901238",
                                                            latest_employer="Netto Viby"))
    assert value(employer.agreement(), "Borgeren", "Borgerens seneste arbejdsgiver") == "Netto Viby"


def test_weeks_and_days_and_money_in_both_languages() -> None:
    from feltkonsulent.documents.labels import money, weeks_and_days
    from feltkonsulent.i18n import translator

    da, en = translator("da"), translator("en")
    assert weeks_and_days(da, 89) == "12 uger og 5 dage"
    assert weeks_and_days(da, 7) == "1 uge" and weeks_and_days(da, 1) == "1 dag"
    assert weeks_and_days(en, 89) == "12 weeks and 5 days"
    assert money(da, Decimal(200)) == "200,00\N{NO-BREAK SPACE}kr."
    assert money(en, Decimal(200)) == "DKK\N{NO-BREAK SPACE}200.00"
    assert money(en, Decimal("12345.5")) == "DKK\N{NO-BREAK SPACE}12,345.50"


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
