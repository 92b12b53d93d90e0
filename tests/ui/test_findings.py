"""The findings box: each finding's numbers and the rule's words, the provisional mark under the
new act, and a reason field only for a warning (in Danish, as the consultant sees it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from feltkonsulent import i18n
from feltkonsulent.domain.enums import PlacementKind, Purpose, TargetGroup
from feltkonsulent.domain.rules import PlacementContext, findings_for
from feltkonsulent.ui.findings import FindingsBox
from feltkonsulent.ui.labels import label
from tests import factories


@pytest.fixture
def danish() -> Iterator[None]:
    i18n.set_language("da")
    yield
    i18n.set_language("en")


def internship(start: date, days: int, group: TargetGroup) -> PlacementContext:
    company = factories.company(employee_count=Decimal(40))
    citizen = factories.citizen(target_group=group)
    p = factories.placement(citizen.id, company.id, kind=PlacementKind.INTERNSHIP,
                            purpose=Purpose.CLARIFICATION, start_date=start,
                            end_date=start + timedelta(days=days - 1), weekly_hours=Decimal(30))
    return PlacementContext(p, citizen, company, (p,), (p,))


def shown(qtbot: QtBot, ctx: PlacementContext) -> FindingsBox:
    box = FindingsBox()
    qtbot.addWidget(box)
    box.show_findings(findings_for(ctx))
    return box


@pytest.mark.usefixtures("danish")
def test_a_finding_under_the_new_act_says_it_is_provisional(qtbot: QtBot) -> None:
    box = shown(qtbot, internship(date(2027, 1, 4), 36, TargetGroup.CASH_BENEFIT_JOB_READY))
    (title,) = box.titles
    assert title.text() == (
        "Praktikken er for lang: 5 uger og 1 dag, højst 4 uger for jobparate "
        "kontanthjælpsmodtagere (LAB § 61); foreløbig: ikke bekræftet efter den nye lov, der "
        "gælder fra 01.01.2027")
    assert list(box.reasons) == ["internship_too_long"]  # a warning asks for a reason


@pytest.mark.usefixtures("danish")
def test_a_finding_before_the_new_act_is_not_provisional(qtbot: QtBot) -> None:
    box = shown(qtbot, internship(date(2026, 3, 2), 140, TargetGroup.UNEMPLOYMENT_BENEFIT))
    (title,) = box.titles
    assert title.text() == ("Praktikken er for lang: 20 uger, højst 4 uger for dagpengemodtagere "
                            "(LAB § 61)")
    assert "foreløbig" not in title.text()


@pytest.mark.usefixtures("danish")
def test_an_unknown_limit_is_a_notice_without_a_reason_field(qtbot: QtBot) -> None:
    box = shown(qtbot, internship(date(2026, 3, 2), 200, TargetGroup.INTEGRATION_PROGRAMME))
    (title,) = box.titles
    assert title.text().startswith(
        "Grænsen er ikke kendt: Grænsen for borgere i introduktionsprogrammet er ikke kendt, så "
        "»Praktikken er for lang« er ikke kontrolleret (Integrationsloven (introduktionsprogram, "
        "lov nr. 1654 af 30.12.2024 § 3")
    assert box.reasons == {}


@pytest.mark.usefixtures("danish")
def test_the_target_groups_are_named_as_the_law_names_them_now() -> None:
    assert label(TargetGroup.EDUCATION_BENEFIT) == "Kontanthjælp (tidl. uddannelseshjælp)"
    assert label(TargetGroup.INTEGRATION_PROGRAMME) == "Introduktionsprogram"
