"""A complete placement with a buddy, keyboard only, counted: the issue's goal is under 25
interactions (the national system needs about 80 clicks).

An interaction is one shortcut, one key that moves or chooses (Tab, Enter, Space, a letter that
picks from a list), or typing one value into one field. Keys go to the widget that has focus, as
they would for a user: the test never sets focus itself."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from feltkonsulent import i18n
from feltkonsulent.domain.enums import PlacementStatus, Purpose, SupportRole, TargetGroup
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.main_window import MainWindow
from feltkonsulent.ui.new_placement import NewPlacementDialog
from tests import factories
from tests.ui.conftest import TODAY

GOAL = 25


class Keyboard:
    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.count = 0

    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.count += 1
        self.qtbot.keyClick(self.focus(), key, modifier)

    def type(self, text: str) -> None:
        self.count += 1
        self.qtbot.keyClicks(self.focus(), text)

    def field(self, text: str) -> None:
        """Tab to the next field and type its value: two interactions."""
        self.press(Qt.Key.Key_Tab)
        self.type(text)


def test_a_full_placement_with_a_buddy_takes_fewer_than_25_keyboard_interactions(
    qtbot: QtBot, workspace: Workspace
) -> None:
    company = factories.company(name="Bageriet Ørsted ApS", employee_count=Decimal(12))
    contact = factories.contact(company.id)
    citizen = factories.citizen(name="Amina Hassan", target_group=TargetGroup.INTEGRATION_PROGRAMME)
    for record in (company, contact, citizen):
        workspace.save(record)
    i18n.set_language("da")  # the consultants' language: a letter picks "Opkvalificering"
    window = MainWindow(workspace, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.findChild(NewPlacementDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.company.typed.hasFocus())
    keys.type("ørsted")
    keys.press(Qt.Key.Key_Return)  # the company; its only contact person comes with it
    assert dialog.citizen.typed.hasFocus()
    keys.type("amina")
    keys.press(Qt.Key.Key_Return)
    assert dialog.placement.editors["kind"].hasFocus()  # internship is the first type
    keys.press(Qt.Key.Key_Tab)
    keys.type("o")  # the purpose, Opkvalificering, picked by its first letter
    keys.field("01.12.2026")
    keys.field("28.12.2026")
    keys.field("20")
    keys.field("Mandag-torsdag 8-13")
    keys.field("Bagning, opvask og opfyldning")
    keys.field("Kan følge en arbejdsplan")
    keys.press(Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)  # "&Buddy eller mentor": ticked
    assert dialog.support_box.isChecked()
    qtbot.waitUntil(lambda: keys.focus() is dialog.support.editors["person_name"])
    keys.type("Jens Madsen")
    keys.field("2")
    keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    # A button's shortcut clicks it the way a mouse would, after showing it pressed (~100 ms).
    qtbot.waitUntil(lambda: dialog.saved_placement is not None or dialog.refusal.isVisibleTo(dialog))
    assert dialog.saved_placement is not None, dialog.refusal.text()
    print(f"\nA full placement with a buddy: {keys.count} keyboard interactions (goal < {GOAL})")
    assert keys.count < GOAL
    placement = workspace.repos.placements.require(dialog.saved_placement.id)
    assert (placement.company_id, placement.citizen_id, placement.contact_id) == (
        company.id, citizen.id, contact.id)
    assert (placement.start_date, placement.end_date, placement.weekly_hours) == (
        date(2026, 12, 1), date(2026, 12, 28), Decimal(20))
    assert placement.purpose is Purpose.UPSKILLING and placement.status is PlacementStatus.PLANNED
    assert placement.goals == ("Kan følge en arbejdsplan",)
    assert placement.working_hours == "Mandag-torsdag 8-13"
    (buddy,), _partners = workspace.arrangements_of(placement.id)
    assert (buddy.role, buddy.person_name, buddy.hours_per_week) == (SupportRole.BUDDY, "Jens Madsen", 2)
    assert (buddy.start_date, buddy.end_date) == (placement.start_date, placement.end_date)
    window.close()
