"""A finding's legal reference in the interface's language: a paragraph as the law has it, and
the limits' one reference in words (37 hours, normal full time in practice) in English too."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from feltkonsulent import i18n
from feltkonsulent.domain.enums import PlacementKind
from feltkonsulent.domain.rules.limits import LIMITS
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.ui.findings import PRACTICE_FULL_TIME
from feltkonsulent.ui.main_window import MainWindow
from tests import factories
from tests.ui.conftest import TODAY


def test_every_reference_of_the_limits_is_a_paragraph_or_said_in_words() -> None:
    """A new reference in words in the limits' data would be shown in Danish in English."""
    for reference in {limit.reference for limit in LIMITS}:
        assert reference == PRACTICE_FULL_TIME or "§" in reference or "L 82" in reference, reference


@pytest.mark.parametrize(("language", "row", "sentence"), [
    ("en", "Hours above full time (normal full time in practice)",
     "40 hours a week, at most 37 (normal full time in practice)"),
    ("da", "Flere timer end fuld tid (praksis: normal fuld tid)",
     "40 timer om ugen, højst 37 (normal fuld tid i praksis)"),
])
def test_today_says_the_full_time_of_practice_in_the_interfaces_language(
    qtbot: QtBot, workspace: Workspace, language: str, row: str, sentence: str
) -> None:
    i18n.set_language(language)
    company, citizen = factories.company(employee_count=Decimal(40)), factories.citizen()
    placement = factories.placement(citizen.id, company.id, kind=PlacementKind.WAGE_SUBSIDY,
                                    start_date=date(2026, 11, 16), end_date=date(2026, 12, 18),
                                    weekly_hours=Decimal(40))
    workspace.register_placement(PlacementRegistration(company, citizen, placement))
    window = MainWindow(workspace, today=lambda: TODAY)
    qtbot.addWidget(window)
    findings = window.today_page.findings
    qtbot.waitUntil(lambda: findings.childCount() > 0
                    and findings.child(0).flags() != Qt.ItemFlag.NoItemFlags, timeout=10_000)
    shown = [findings.child(i) for i in range(findings.childCount())]
    (hours,) = [item for item in shown if item.text(0) == row]
    assert sentence in hours.toolTip(0)
    assert "fuld tid" not in hours.toolTip(0) or language == "da"
    window.close()
