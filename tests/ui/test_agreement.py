""""Udskriv aftale": the preview, printing and saving issue a version; batches print in the
background with a progress bar; the placement shows where its agreement stands."""

from __future__ import annotations

import dataclasses
import hashlib
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from feltkonsulent.domain.entities import RuleOverride
from feltkonsulent.services import profile
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.ui.agreement import AgreementBox, AgreementDialog
from feltkonsulent.ui.main_window import MainWindow
from feltkonsulent.ui.profile import ProfileDialog
from tests import factories
from tests.ui.conftest import TODAY
from tests.ui.qt_dialogs import completer_popup, print_to_file, save_to, when_shown


@pytest.fixture(autouse=True)
def issuer(workspace: Workspace) -> None:
    """Who issues: a consultant who has set the profile (the first agreement asks for it)."""
    profile.update(workspace, municipality="Vejle Kommune", consultant="Mette Kjær")


def registered(ws: Workspace, n: int = 1) -> list[str]:
    ids = []
    for i in range(n):
        company, citizen = factories.company(name=f"Bageri {i}"), factories.citizen(name=f"Borger {i}")
        placement = factories.placement(citizen.id, company.id, start_date=date(2026, 12, 1),
                                        end_date=date(2026, 12, 20))
        ws.register_placement(PlacementRegistration(company, citizen, placement))
        ids.append(placement.id)
    return ids


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_the_preview_shows_the_next_version_and_saving_issues_it(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    (pid,) = registered(workspace)
    dialog = AgreementDialog(workspace, pid, TODAY)
    qtbot.addWidget(dialog)
    assert dialog.document is not None and dialog.document.pageCount() >= 2
    assert dialog.status.text() == "Version 1, not issued yet"
    assert workspace.repos.agreements.count() == 0  # looking is not issuing
    target = tmp_path / "aftale.pdf"
    dialog.save_as(target)
    (issued,) = workspace.repos.agreements.where()
    assert issued.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    assert issued.issued_by == workspace.store.actor  # who opened the database
    assert dialog.status.text() == "Version 1 issued"
    dialog.save_as(tmp_path / "igen.pdf")  # the same version again: not a new one
    assert workspace.repos.agreements.count() == 1


def test_printing_prints_every_page_and_issues_once(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    (pid,) = registered(workspace)
    dialog = AgreementDialog(workspace, pid, TODAY)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))  # made again in English
    assert dialog.draft is not None and dialog.draft.language == "en"
    pages = dialog.document.pageCount() if dialog.document else 0
    out = tmp_path / "printed.pdf"
    dialog.print_agreement(pdf_printer(out))
    assert len(PdfReader(out).pages) == pages
    (issued,) = workspace.repos.agreements.where()
    assert (issued.version, issued.language) == (1, "en")


def test_the_placement_shows_the_agreement_and_it_is_marked_signed(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    (pid,) = registered(workspace)
    box = AgreementBox(workspace, pid, TODAY)
    qtbot.addWidget(box)
    assert box.state.text() == "No agreement issued yet." and not box.signed_button.isEnabled()
    dialog = AgreementDialog(workspace, pid, TODAY)
    qtbot.addWidget(dialog)
    dialog.save_as(tmp_path / "a.pdf")
    box.show_state()
    assert box.state.text() == "Version 1 issued 22.11.2026, not signed yet."
    box.signed_button.click()
    assert box.state.text() == "Version 1 signed 22.11.2026."
    assert workspace.repos.agreements.where()[0].signed_on == TODAY


def test_a_batch_prints_in_the_background_with_progress(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    ids = registered(workspace, 3)
    window = MainWindow(workspace, today=lambda: TODAY)
    qtbot.addWidget(window)
    out = tmp_path / "batch.pdf"
    window.print_batch(ids, pdf_printer(out))
    qtbot.waitUntil(lambda: workspace.repos.agreements.count() == 3 and not window.tasks.busy,
                    timeout=20_000)
    single = AgreementDialog(workspace, ids[0], TODAY)
    qtbot.addWidget(single)
    per_agreement = single.document.pageCount() if single.document else 0
    assert len(PdfReader(out).pages) == 3 * per_agreement
    assert {a.placement_id for a in workspace.repos.agreements.where()} == set(ids)
    window.close()


def test_the_internal_note_button_saves_the_reasons_and_issues_nothing(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (pid,) = registered(workspace)
    workspace.save(workspace.new(RuleOverride, placement_id=pid, code="hours_above_full_time",
                                 reason="Højsæson, afspadseres i januar.", decided_on=TODAY))
    target = tmp_path / "note.pdf"
    asked: list[str] = []

    def chosen(*args: object, **kwargs: object) -> tuple[str, str]:
        asked.append(str(args[1]))  # the dialog's caption
        return str(target), "PDF (*.pdf)"

    # The OS file dialog is the edge: it answers with the file the user would pick.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(chosen))
    dialog = AgreementDialog(workspace, pid, TODAY)
    qtbot.addWidget(dialog)
    assert "Højsæson" not in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(dialog.draft.pdf)).pages)  # type: ignore[union-attr]
    qtbot.mouseClick(dialog.note_button, Qt.MouseButton.LeftButton)
    assert asked == ["Save the internal note"]
    shown = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Internal note: rules departed from, and the reasons" in shown
    assert "Højsæson, afspadseres i januar." in shown
    assert dialog.status.text() == "Internal note saved"
    assert workspace.repos.agreements.count() == 0  # a note is not an agreement version


def test_the_save_button_clicked_saves_through_the_dialog(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog, target = preview_saving_to_file(qtbot, workspace, tmp_path, monkeypatch)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (issued,) = workspace.repos.agreements.where()
    assert issued.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()


def test_a_ratio_breach_is_shown_and_nothing_can_be_issued(
    qtbot: QtBot, workspace: Workspace
) -> None:
    ids = registered(workspace, 1)
    placement = workspace.repos.placements.require(ids[0])
    company = workspace.repos.companies.require(placement.company_id)
    workspace.save(dataclasses.replace(placement, weekly_hours=Decimal(37)))
    other = factories.citizen(name="Yonas Tesfay", cpr="0112901238")
    second = factories.placement(other.id, company.id, start_date=date(2026, 12, 1),
                                 end_date=date(2026, 12, 20), weekly_hours=Decimal(37))
    workspace.register_placement(PlacementRegistration(company, other, second))
    workspace.save(dataclasses.replace(company, employee_count=Decimal(3)))
    dialog = AgreementDialog(workspace, second.id, TODAY)
    qtbot.addWidget(dialog)
    assert dialog.draft is None and not dialog.save_button.isEnabled()
    assert "more than the 1 the ratio allows (BAB § 65)" in dialog.status.text()


def preview_without_profile(qtbot: QtBot, workspace: Workspace, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> tuple[AgreementDialog, Path]:
    """The preview on a new laptop (no profile), its save dialog answering `aftale.pdf`."""
    for table in ("team_profiles", "consultant_profiles"):
        with workspace.store.write():
            workspace.store.conn.execute(f"DELETE FROM {table}")
    return preview_saving_to_file(qtbot, workspace, tmp_path, monkeypatch)


def preview_saving_to_file(qtbot: QtBot, workspace: Workspace, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> tuple[AgreementDialog, Path]:
    """A placement's preview whose save dialog answers `aftale.pdf` (the file chosen)."""
    (pid,) = registered(workspace)
    target = tmp_path / "aftale.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PDF (*.pdf)")))
    dialog = AgreementDialog(workspace, pid, TODAY)
    qtbot.addWidget(dialog)
    return dialog, target


def test_the_first_agreement_asks_who_issues_it_and_prints_their_names(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new consultant with no profile clicks Save: asked for the municipality and their name,
    the agreement saved names them (not fill-in lines)."""
    dialog, target = preview_without_profile(qtbot, workspace, tmp_path, monkeypatch)
    asked: list[str] = []

    def answer() -> None:
        form = QApplication.activeModalWidget()
        assert isinstance(form, ProfileDialog)
        asked.append(form.windowTitle())
        for name, text in (("municipality", "Vejle Kommune"), ("department", "Virksomhedsservice"),
                           ("consultant", "Ali Hassan")):
            edit = form.findChild(QLineEdit, name)
            assert edit is not None
            qtbot.keyClicks(edit, text)
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert asked == ["Municipality and consultant"]
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Vejle Kommune" in text and "Ali Hassan" in text and "Virksomhedsservice" in text
    (issued,) = workspace.repos.agreements.where()
    assert issued.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()


def test_no_agreement_is_issued_when_asked_who_issues_it_is_cancelled(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog, target = preview_without_profile(qtbot, workspace, tmp_path, monkeypatch)
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())  # type: ignore[union-attr]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not target.exists()
    assert workspace.repos.agreements.count() == 0


# -- the real print and file dialogs, clicked and typed into as a consultant does ---------------

def shown_preview(qtbot: QtBot, ws: Workspace) -> AgreementDialog:
    (pid,) = registered(ws)
    dialog = AgreementDialog(ws, pid, TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # a shortcut reaches the active window only
    return dialog


def agreement_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


@completer_popup
@pytest.mark.parametrize("by", ["click", "ctrl+p"])
def test_print_in_the_preview_ends_in_the_print_dialogs_pdf_file(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, by: str
) -> None:
    dialog = shown_preview(qtbot, workspace)
    assert dialog.draft is not None and dialog.document is not None
    target, asked = tmp_path / "udskrevet.pdf", []
    print_to_file(qtbot, target, asked)
    if by == "click":
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    else:
        qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(target.exists)  # a button's shortcut clicks it after a short animation
    assert asked == ["Print"]
    pages = agreement_text(target)
    assert len(pages) == dialog.document.pageCount()
    assert all(pages) and "Bageri 0" in "".join(pages) and "Borger 0" in "".join(pages)
    assert target.read_bytes() == dialog.draft.pdf  # the agreement's own vector PDF
    (issued,) = workspace.repos.agreements.where()
    assert issued.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    assert dialog.status.text() == "Version 1 issued"


@completer_popup
@pytest.mark.parametrize("by", ["click", "ctrl+shift+s"])
def test_save_as_in_the_preview_ends_in_the_file_typed_in_the_file_dialog(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, by: str
) -> None:
    dialog = shown_preview(qtbot, workspace)
    target, asked = tmp_path / "gemt.pdf", []
    save_to(qtbot, target, asked, suggested="agreement-v1.pdf")
    if by == "click":
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    else:
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(target.exists)
    assert asked == ["Save the agreement"]
    assert "Borger 0" in "".join(agreement_text(target))
    (issued,) = workspace.repos.agreements.where()
    assert issued.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()


def test_cancelling_the_print_dialog_prints_and_issues_nothing(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = shown_preview(qtbot, workspace)
    when_shown(QPrintDialog, lambda printing: printing.reject())
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert workspace.repos.agreements.count() == 0
    assert dialog.status.text() == "Version 1, not issued yet"


@completer_popup
def test_a_batch_of_three_printed_to_a_pdf_file_is_the_agreements_vector_pages(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    """Ctrl+P on Forløb with three placements chosen, "Print to File (PDF)" in the print
    dialog: the file is the three agreements' own pages, text and not pictures of pages."""
    ids = registered(workspace, 3)
    window = MainWindow(workspace, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # Forløb
    table = window.placements.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 3)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # all chosen
    assert sorted(window.placements.chosen_ids()) == sorted(ids)
    out, asked = tmp_path / "batch.pdf", []
    print_to_file(qtbot, out, asked)
    qtbot.keyClick(table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["Print"]
    qtbot.waitUntil(lambda: out.exists() and not window.tasks.busy, timeout=20_000)
    single = AgreementDialog(workspace, ids[0], TODAY)
    qtbot.addWidget(single)
    per_agreement = single.document.pageCount() if single.document else 0
    pages = agreement_text(out)
    assert len(pages) == 3 * per_agreement
    assert all(text.strip() for text in pages)  # every page is text, not an image
    whole = "".join(pages)
    assert all(f"Borger {n}" in whole for n in range(3))
    assert out.stat().st_size < 400_000  # the raster pages were megabytes
    assert {a.placement_id for a in workspace.repos.agreements.where()} == set(ids)
    window.close()
