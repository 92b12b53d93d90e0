"""The main window as a consultant meets it: today's work, navigation, search as you type."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from feltkonsulent import i18n
from feltkonsulent.domain.enums import TargetGroup
from feltkonsulent.i18n import format_date
from feltkonsulent.services import agreements, rules
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.ui.company import CompanyDialog
from feltkonsulent.ui.main_window import MainWindow
from feltkonsulent.ui.models import ID_ROLE
from feltkonsulent.ui.placement import PlacementDialog
from feltkonsulent.ui.settings import SettingsDialog
from tests import factories
from tests.ui.conftest import TODAY
from tests.ui.qt_dialogs import completer_popup, save_to
from tests.ui.windows import shown_window


def children(item: QTreeWidgetItem) -> list[str]:
    return [item.child(i).text(0) for i in range(item.childCount())]


def test_today_shows_due_visits_ending_placements_and_findings(qtbot: QtBot, filled: Workspace) -> None:
    company, citizen = factories.company(), factories.citizen()
    running = factories.placement(citizen.id, company.id, weekly_hours=Decimal(40),
                                  start_date=date(2026, 11, 16), end_date=date(2026, 12, 4))
    filled.register_placement(PlacementRegistration(company, citizen, running))
    window = MainWindow(filled, today=lambda: TODAY)
    qtbot.addWidget(window)
    due = filled.due(TODAY)
    page = window.today_page
    assert page.heading.text() == "Today, 22 November 2026"
    qtbot.waitUntil(lambda: page.visits.childCount() > 0)  # read in the background
    assert len(children(page.visits)) == len(due.visits) > 0
    assert set(children(page.visits)) <= {"Visit", "Overdue visit"}
    assert len(children(page.ending)) == max(1, len(due.ending))
    open_findings = [c for c in rules.all_findings(filled, still_running_on=TODAY) if c.needs_attention]
    ended = [c for c in rules.all_findings(filled) if c.needs_attention and c not in open_findings]
    assert open_findings and ended  # only the findings of placements not over are for today
    count = len(open_findings)
    qtbot.waitUntil(lambda: page.findings.text(0) == f"Rule findings that need attention ({count})",
                    timeout=10_000)
    assert page.visits.text(0) == f"Visits today and overdue ({len(due.visits)})"
    qtbot.waitUntil(lambda: page.unsigned.childCount() > 0)
    assert page.unsigned.text(0).startswith(
        "Agreements to have signed, starting within 14 days or running (")
    window.close()


def register(ws: Workspace, name: str, start: date, end: date) -> str:
    company, citizen = factories.company(name=f"{name} ApS"), factories.citizen(name=name)
    placement = factories.placement(citizen.id, company.id, start_date=start, end_date=end)
    ws.register_placement(PlacementRegistration(company, citizen, placement))
    return placement.id


def test_today_leads_the_day_and_later_agreements_are_a_click_away(
    qtbot: QtBot, filled: Workspace
) -> None:
    """The demo's day: today's visits, then the overdue ones (longest overdue first); placements
    ending; the agreements to have signed of placements running or starting within 14 days; the
    later starts under "Show all (n)", opened by a click and then by Enter on a row."""
    soon = register(filled, "Sofie Snart", TODAY + timedelta(days=14), TODAY + timedelta(days=60))
    later = register(filled, "Lars Senere", TODAY + timedelta(days=15), TODAY + timedelta(days=60))
    window = shown_window(qtbot, filled)
    page, tree = window.today_page, window.today_page.tree
    groups = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    assert groups == [page.visits, page.ending, page.unsigned, page.findings]
    qtbot.waitUntil(lambda: page.visits.childCount() > 0 and page.later is not None)

    kinds = children(page.visits)
    due = sorted(filled.due(TODAY).visits, key=lambda d: d.due_on)
    assert "Visit" in kinds and "Overdue visit" in kinds  # the demo has both
    assert kinds == sorted(kinds, key=lambda k: k == "Overdue visit")  # today's first
    overdue = [page.visits.child(i).text(2) for i in range(kinds.count("Visit"), len(kinds))]
    assert overdue == [format_date(d.due_on) for d in due if d.overdue]  # longest overdue first

    split = agreements.unsigned_today(filled, TODAY)
    assert split.soon and split.later
    last_day = TODAY + timedelta(days=14)
    assert all(u.start_date <= last_day for u in split.soon)
    assert all(u.start_date > last_day for u in split.later)
    now = [page.unsigned.child(i) for i in range(page.unsigned.childCount() - 1)]
    assert [row.data(0, ID_ROLE) for row in now] == [u.placement_id for u in split.soon]
    assert soon in [row.data(0, ID_ROLE) for row in now]
    assert page.unsigned.text(0).endswith(f"({len(split.soon)})")
    more = page.later
    assert more is page.unsigned.child(page.unsigned.childCount() - 1)
    assert more.text(0) == f"Show all ({len(split.later)})" and not more.isExpanded()

    tree.scrollToItem(more)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tree.visualItemRect(more).center())
    assert more.isExpanded()
    rows = [more.child(i) for i in range(more.childCount())]
    assert [row.data(0, ID_ROLE) for row in rows] == [u.placement_id for u in split.later]
    assert all(not tree.visualItemRect(row).isEmpty() for row in rows[:3])  # shown
    row = next(r for r in rows if r.data(0, ID_ROLE) == later)
    assert row.text(1) == "Lars Senere · Lars Senere ApS"
    tree.setCurrentItem(row)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Return)  # opens the placement
    opened = window.findChild(PlacementDialog)
    assert opened is not None and opened.isVisible() and opened.placement.id == later
    opened.close()
    window.close()


def test_today_says_how_many_when_it_shows_only_the_first(qtbot: QtBot, filled: Workspace) -> None:
    window = MainWindow(filled, today=lambda: TODAY)
    qtbot.addWidget(window)
    due = filled.due(TODAY, limit=2)
    assert due.visits_total > 2
    window.today_page.show_due(due)
    assert window.today_page.visits.text(0) == f"Visits today and overdue (2 of {due.visits_total})"
    window.close()


def test_keyboard_navigation_between_pages(qtbot: QtBot, filled: Workspace) -> None:
    window = shown_window(qtbot, filled)
    qtbot.keyClick(window.navigation, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.citizens
    qtbot.keyClick(window.navigation, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.companies
    window.close()


def test_search_as_you_type_groups_results_by_kind(qtbot: QtBot, filled: Workspace) -> None:
    window = MainWindow(filled, today=lambda: TODAY)
    qtbot.addWidget(window)
    company = next(iter(filled.repos.companies.where()))
    word = company.name.split()[0]
    with qtbot.waitSignal(window.search.results, timeout=10_000) as found:
        qtbot.keyClicks(window.search, word)
    assert found.args is not None and found.args[0] == word
    assert window.pages.currentWidget() is window.results
    tree = window.results.tree
    groups = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert groups[0] == "Companies"
    assert company.name in children(tree.topLevelItem(0))
    group = tree.topLevelItem(0)
    hit = next(group.child(i) for i in range(group.childCount()) if group.child(i).text(0) == company.name)
    tree.setCurrentItem(hit)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Return)  # open the result
    opened = window.findChild(CompanyDialog)
    assert opened is not None and opened.company.id == company.id
    opened.close()
    window.close()


def test_the_status_bar_says_not_connected_and_what_waits(qtbot: QtBot, filled: Workspace) -> None:
    window = MainWindow(filled, today=lambda: TODAY)
    qtbot.addWidget(window)
    assert window.connection.text() == "Not connected"
    expected = f"{filled.pending_changes()} changes waiting to sync"
    qtbot.waitUntil(lambda: window.pending.text() == expected)
    window.close()


def test_after_a_save_only_the_views_showing_what_changed_reload(qtbot: QtBot, filled: Workspace) -> None:
    window = MainWindow(filled, today=lambda: TODAY)
    qtbot.addWidget(window)
    pages = {"companies": window.companies, "citizens": window.citizens,
             "placements": window.placements, "visits": window.visits}
    resets = dict.fromkeys(pages, 0)
    for name, page in pages.items():
        page.model.modelReset.connect(lambda name=name: resets.__setitem__(name, resets[name] + 1))
    window.refresh_changed()
    assert resets == dict.fromkeys(pages, 0)  # nothing saved: nothing reloads

    citizen = filled.repos.citizens.where()[0]
    filled.save(dataclasses.replace(citizen, danish_level="B1"))
    window.refresh_changed()
    assert resets == {"companies": 0, "citizens": 1, "placements": 1, "visits": 1}

    contact = filled.repos.contacts.where()[0]
    filled.save(dataclasses.replace(contact, phone="+45 12 34 56 78"))
    window.refresh_changed()  # no list shows contacts
    assert resets == {"companies": 0, "citizens": 1, "placements": 1, "visits": 1}
    window.close()


def test_export_runs_in_the_background_and_writes_every_record(
    qtbot: QtBot, filled: Workspace, tmp_path: Path
) -> None:
    window = MainWindow(filled, today=lambda: TODAY)
    qtbot.addWidget(window)
    target = tmp_path / "eksport.json"
    window.export_to(target)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Exported to eksport.json.",
                    timeout=20_000)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert len(document["placements"]) == filled.repos.placements.count()
    window.close()


def test_today_marks_a_finding_under_the_new_act_as_provisional(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """A placement starting on 4 January 2027 is checked by the earlier limits, and I dag says
    the finding is provisional; the row's tooltip has the whole sentence."""
    company = factories.company()
    citizen = factories.citizen(target_group=TargetGroup.UNEMPLOYMENT_BENEFIT)
    placement = factories.placement(citizen.id, company.id, start_date=date(2027, 1, 4),
                                    end_date=date(2027, 2, 26))
    workspace.register_placement(PlacementRegistration(company, citizen, placement))
    window = MainWindow(workspace, today=lambda: TODAY)
    qtbot.addWidget(window)
    findings = window.today_page.findings
    qtbot.waitUntil(lambda: findings.childCount() > 0 and findings.child(0).flags()
                    != Qt.ItemFlag.NoItemFlags)
    row = findings.child(0)
    assert row.text(0) == "Internship too long (LAB § 61), provisional"
    assert "provisional: not confirmed under the new act in force from" in row.toolTip(0)
    assert "7 weeks and 5 days" in row.toolTip(0)


def test_ctrl_comma_opens_the_settings(qtbot: QtBot, workspace: Workspace) -> None:
    """Ctrl+, on every platform (Qt's "Preferences" key is none on Linux and Windows)."""
    window = shown_window(qtbot, workspace)
    assert window.findChild(SettingsDialog) is None
    qtbot.keyClick(window.navigation, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    opened = window.findChild(SettingsDialog)
    assert opened is not None and opened.isVisible()
    opened.close()
    window.close()


@completer_popup
@pytest.mark.parametrize(("language", "suggested"), [("en", "feltkonsulent-export.json"),
                                                     ("da", "feltkonsulent-eksport.json")])
def test_export_suggests_a_file_name_in_the_language_and_writes_the_file_typed(
    qtbot: QtBot, filled: Workspace, tmp_path: Path, language: str, suggested: str
) -> None:
    i18n.set_language(language)
    window = shown_window(qtbot, filled)
    (export,) = [a for a in window.toolbar.actions() if a.text() in ("Export…", "Eksportér…")]
    button = window.toolbar.widgetForAction(export)
    target, asked = tmp_path / "alt.json", []
    save_to(qtbot, target, asked, suggested=suggested)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    qtbot.waitUntil(lambda: target.exists() and not window.tasks.busy, timeout=20_000)
    assert len(json.loads(target.read_text(encoding="utf-8"))["placements"]) == \
        filled.repos.placements.count()
    window.close()
