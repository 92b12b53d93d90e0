"""Registering by keyboard only, counted (issue 14's goals; the national system needs about 80
clicks): a known company and citizen with a buddy and a sprogmakker in at most 20 interactions,
a new company, contact person and citizen in at most 45, "Kopiér forløb" in at most 12.

An interaction is one shortcut, one key that moves or chooses (Tab, Enter, Space, a letter that
picks from a list), or typing one value into one field. Keys go to the widget that has focus, as
they would for a user: the test never sets focus itself. The counts are printed (pytest -s)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from feltkonsulent import i18n
from feltkonsulent.domain.entities import Placement
from feltkonsulent.domain.enums import PlacementStatus, Purpose, SupportRole, TargetGroup
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.ui.main_window import MainWindow
from feltkonsulent.ui.new_placement import NewPlacementDialog
from feltkonsulent.ui.placement import PlacementDialog
from tests import factories
from tests.ui.conftest import TODAY

KNOWN_GOAL, NEW_GOAL, COPY_GOAL = 20, 45, 12
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


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


def started(qtbot: QtBot, workspace: Workspace) -> tuple[MainWindow, Keyboard]:
    i18n.set_language("da")  # the consultants' language: a letter picks "Opkvalificering"
    window = MainWindow(workspace, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window, Keyboard(qtbot)


def saved(qtbot: QtBot, dialog: NewPlacementDialog, keys: Keyboard) -> Placement:
    keys.press(Qt.Key.Key_S, CTRL)
    # A button's shortcut clicks it the way a mouse would, after showing it pressed (~100 ms).
    qtbot.waitUntil(lambda: dialog.saved_placement is not None or dialog.refusal.isVisibleTo(dialog))
    assert dialog.saved_placement is not None, dialog.refusal.text()
    return dialog.saved_placement


def test_a_known_company_and_citizen_with_a_buddy_and_a_sprogmakker_in_20(
    qtbot: QtBot, workspace: Workspace
) -> None:
    company = factories.company(name="Bageriet Ørsted ApS", employee_count=Decimal(12))
    contact = factories.contact(company.id)
    citizen = factories.citizen(name="Amina Hassan", target_group=TargetGroup.INTEGRATION_PROGRAMME)
    for record in (company, contact, citizen):
        workspace.save(record)
    window, keys = started(qtbot, workspace)
    keys.press(Qt.Key.Key_N, CTRL_SHIFT)
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
    keys.press(Qt.Key.Key_B, ALT)  # "&Buddy eller mentor": ticked, on to its name
    qtbot.waitUntil(lambda: keys.focus() is dialog.support.editors["person_name"])
    keys.type("Jens Madsen")
    keys.field("2")
    keys.press(Qt.Key.Key_S, ALT)  # "&Sprogmakker"
    qtbot.waitUntil(lambda: keys.focus() is dialog.partner.editors["partner_name"])
    keys.type("Lone Sørensen")
    placement = saved(qtbot, dialog, keys)
    print(f"\nKnown company and citizen, internship, buddy and sprogmakker: {keys.count} "
          f"keyboard interactions (goal ≤ {KNOWN_GOAL})")
    assert keys.count <= KNOWN_GOAL
    placement = workspace.repos.placements.require(placement.id)
    assert (placement.company_id, placement.citizen_id, placement.contact_id) == (
        company.id, citizen.id, contact.id)
    assert (placement.start_date, placement.end_date, placement.weekly_hours) == (
        date(2026, 12, 1), date(2026, 12, 28), Decimal(20))
    assert placement.purpose is Purpose.UPSKILLING and placement.status is PlacementStatus.PLANNED
    (buddy,), (partner,) = workspace.arrangements_of(placement.id)
    assert (buddy.role, buddy.person_name, buddy.hours_per_week) == (SupportRole.BUDDY, "Jens Madsen", 2)
    assert (buddy.start_date, buddy.end_date) == (placement.start_date, placement.end_date)
    assert (partner.partner_name, partner.start_date, partner.end_date) == (
        "Lone Sørensen", placement.start_date, placement.end_date)
    window.close()


def test_a_new_company_contact_person_and_citizen_in_45(qtbot: QtBot, workspace: Workspace) -> None:
    window, keys = started(qtbot, workspace)
    keys.press(Qt.Key.Key_N, CTRL_SHIFT)
    dialog = window.findChild(NewPlacementDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.company.typed.hasFocus())
    keys.type("Bageriet Ørsted ApS")
    keys.press(Qt.Key.Key_Return)  # nothing matches: a new company, with the name typed
    qtbot.waitUntil(lambda: keys.focus() is dialog.company.form.editors["cvr"])
    keys.type("13585628")
    keys.press(Qt.Key.Key_Tab)  # past the P-number
    keys.field("Søndergade 12")
    keys.field("8600")
    keys.field("Silkeborg")
    keys.field("12")  # ordinary employees
    keys.press(Qt.Key.Key_O, ALT)  # "Ny k&ontaktperson" (Danish: Alt+O), on to its name
    qtbot.waitUntil(lambda: keys.focus() is dialog.contact.editors["name"])
    keys.type("Mette Kjær")
    keys.field("Butikschef")
    keys.field("86 12 34 56")
    keys.press(Qt.Key.Key_R, ALT)  # "Ny bo&rger"
    qtbot.waitUntil(lambda: keys.focus() is dialog.citizen.form.editors["name"])
    keys.type("Amina Hassan")
    keys.field("211062-5629")
    keys.press(Qt.Key.Key_Tab)
    keys.type("i")  # Introduktionsprogram
    for _field in ("readiness", "without_work_experience", "latest_employer", "placement"):
        keys.press(Qt.Key.Key_Return)  # Enter goes on, past the fields left empty
    assert keys.focus() is dialog.placement.editors["kind"]
    keys.press(Qt.Key.Key_Tab)
    keys.type("o")
    keys.field("01.12.2026")
    keys.field("28.12.2026")
    keys.field("20")
    keys.press(Qt.Key.Key_B, ALT)
    qtbot.waitUntil(lambda: keys.focus() is dialog.support.editors["person_name"])
    keys.type("Jens Madsen")
    keys.field("2")
    placement = saved(qtbot, dialog, keys)
    print(f"\nNew company, contact person and citizen, internship and buddy: {keys.count} "
          f"keyboard interactions (goal ≤ {NEW_GOAL})")
    assert keys.count <= NEW_GOAL
    (company,) = workspace.repos.companies.where()
    assert (company.name, company.cvr, company.street, company.postal_code, company.city,
            company.employee_count) == ("Bageriet Ørsted ApS", "13585628", "Søndergade 12",
                                        "8600", "Silkeborg", Decimal(12))
    (contact,) = workspace.contacts_of(company.id)
    assert (contact.name, contact.role, contact.phone) == ("Mette Kjær", "Butikschef", "86 12 34 56")
    (citizen,) = workspace.repos.citizens.where()
    assert (citizen.name, citizen.cpr, citizen.target_group) == (
        "Amina Hassan", "2110625629", TargetGroup.INTEGRATION_PROGRAMME)
    placement = workspace.repos.placements.require(placement.id)
    assert (placement.company_id, placement.citizen_id, placement.contact_id) == (
        company.id, citizen.id, contact.id)
    assert (placement.start_date, placement.end_date, placement.purpose) == (
        date(2026, 12, 1), date(2026, 12, 28), Purpose.UPSKILLING)
    (buddy,), _partners = workspace.arrangements_of(placement.id)
    assert (buddy.person_name, buddy.hours_per_week) == ("Jens Madsen", 2)
    window.close()


def test_kopier_forloeb_for_the_next_citizen_in_12(qtbot: QtBot, workspace: Workspace) -> None:
    company = factories.company(name="Bageriet Ørsted ApS", employee_count=Decimal(30))
    contact = factories.contact(company.id)
    first = factories.citizen(name="Amina Hassan", target_group=TargetGroup.UNEMPLOYMENT_BENEFIT)
    second = factories.citizen(name="Yonas Tesfay", cpr="0305881234",
                               target_group=TargetGroup.UNEMPLOYMENT_BENEFIT)
    original = factories.placement(
        first.id, company.id, contact_id=contact.id, start_date=date(2026, 11, 2),
        end_date=date(2026, 11, 20), purpose=Purpose.UPSKILLING, weekly_hours=Decimal(25),
        work_tasks="Bagning og opvask", goals=("Følger en arbejdsplan", "Bruger fagord"))
    buddy = factories.support(original.id, start_date=original.start_date,
                              end_date=original.end_date, person_name="Jens Madsen")
    partner = factories.language_partner(original.id, start_date=original.start_date,
                                end_date=original.end_date, partner_name="Lone Sørensen")
    workspace.register_placement(PlacementRegistration(company, first, original, contact,
                                                       [buddy], [partner]))
    workspace.save(second)
    window, keys = started(qtbot, workspace)
    opened = PlacementDialog(workspace, original.id, TODAY, window)
    opened.show()
    qtbot.waitUntil(opened.isActiveWindow)
    keys.press(Qt.Key.Key_D, CTRL_SHIFT)  # "Kopiér forløb"
    qtbot.waitUntil(lambda: window.findChild(NewPlacementDialog) is not None)
    dialog = window.findChild(NewPlacementDialog)
    assert dialog is not None and not opened.isVisible()
    qtbot.waitUntil(lambda: keys.focus() is dialog.citizen.typed)
    keys.type("yonas")
    keys.press(Qt.Key.Key_Return)
    assert keys.focus() is dialog.placement.editors["start_date"]  # the rest is copied
    keys.type("30.11.2026")
    keys.field("18.12.2026")
    placement = saved(qtbot, dialog, keys)
    print(f"\nKopiér forløb for the next citizen: {keys.count} keyboard interactions "
          f"(goal ≤ {COPY_GOAL})")
    assert keys.count <= COPY_GOAL
    copy = workspace.repos.placements.require(placement.id)
    assert (copy.company_id, copy.citizen_id, copy.contact_id) == (company.id, second.id, contact.id)
    assert (copy.kind, copy.purpose, copy.weekly_hours, copy.work_tasks, copy.goals) == (
        original.kind, original.purpose, original.weekly_hours, original.work_tasks, original.goals)
    assert (copy.start_date, copy.end_date) == (date(2026, 11, 30), date(2026, 12, 18))
    (copied_buddy,), (copied_partner,) = workspace.arrangements_of(copy.id)
    assert (copied_buddy.person_name, copied_buddy.role, copied_buddy.start_date) == (
        "Jens Madsen", buddy.role, copy.start_date)
    assert (copied_partner.partner_name, copied_partner.end_date) == ("Lone Sørensen", copy.end_date)
    assert workspace.repos.placements.count() == 2
    window.close()
