"""Screenshots of the main screens on demo data, in Danish, for docs/screenshots/ and the README.

Needs a real X server: run `bash scripts/screenshots.sh`, which starts one with Xvfb. The demo
database is made in a temporary folder with a fixed seed and a fixed "today", so the pictures
come out the same every time (ids differ, but no picture shows one).

    python scripts/screenshots.py [--out docs/screenshots] [--records 80] [--seed 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import QEventLoop, QLibraryInfo, QPoint, QRect, QSettings, Qt, QTranslator
from PySide6.QtGui import QCursor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QWidget,
)

from feltkonsulent import i18n
from feltkonsulent.domain.entities import Citizen, Company
from feltkonsulent.domain.enums import PlacementKind, Purpose, TargetGroup
from feltkonsulent.services import demo
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.database import open_database
from feltkonsulent.storage.keys import RawKey
from feltkonsulent.ui import application
from feltkonsulent.ui.agreement import AgreementDialog
from feltkonsulent.ui.company import CompanyDialog
from feltkonsulent.ui.dialogs import RecordDialog
from feltkonsulent.ui.forms import RecordForm
from feltkonsulent.ui.main_window import MainWindow
from feltkonsulent.ui.new_placement import NewPlacementDialog
from feltkonsulent.ui.placement import PlacementDialog
from feltkonsulent.ui.visits import VisitDialog

ROOT = Path(__file__).resolve().parents[1]
# The demo data is made relative to "today" (services/demo.py); both are pinned here. This day
# and seed give "I dag" overdue visits, placements ending and findings of four rules.
TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
RECORDS, SEED = 80, 7
WINDOW = QRect(0, 0, 1280, 800)
SEARCH_TEXT = "Bageriet"  # the first word of a demo company's name
BAD_CVR = "13585629"  # the check digit is wrong (13585628 is right)
WAIT_MS = 10_000


class Shooter:
    """Grabs what is really on the X screen where a top-level window is, and saves it."""

    def __init__(self, app: QApplication, out: Path) -> None:
        self.app, self.out = app, out
        self.saved: list[Path] = []
        self.optipng = shutil.which("optipng")

    def settle(self, ms: int = 400) -> None:
        """Let Qt lay out, paint and the X server catch up."""
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.01)

    def wait_until(self, condition: Callable[[], bool], what: str) -> None:
        end = time.monotonic() + WAIT_MS / 1000
        while not condition():
            if time.monotonic() > end:
                raise SystemExit(f"screenshots: timed out waiting for {what}")
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.01)

    def shoot(self, window: QWidget, name: str) -> None:
        if not window.isVisible() or not window.isWindow():
            raise SystemExit(f"screenshots: {name}: {window!r} is not a shown top-level window")
        window.raise_()
        window.activateWindow()
        self.settle()
        frame = window.frameGeometry()
        screen = window.screen()
        pixmap = screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
        image = pixmap.toImage().convertToFormat(QImage.Format.Format_RGB888)
        if image.isNull() or _blank(image):
            raise SystemExit(f"screenshots: {name}: the grab came out empty")
        path = self.out / f"{name}.png"
        if not image.save(str(path), quality=0):  # 0: the smallest file Qt makes
            raise SystemExit(f"screenshots: could not write {path}")
        if self.optipng:
            subprocess.run([self.optipng, "-quiet", "-o2", "-strip", "all", str(path)], check=True)
        self.saved.append(path)
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
              f"{image.width()}x{image.height()}, {path.stat().st_size // 1024} KiB")


def _blank(image: QImage) -> bool:
    """All one colour (a window not mapped yet grabs as black). Every pixel is compared: a
    sample missed the lock page's few lines of text on a plain background."""
    width, per_line = image.width() * 3, image.bytesPerLine()
    data = bytes(image.constBits())
    plain = data[:3] * image.width()
    return all(data[y * per_line:y * per_line + width] == plain for y in range(image.height()))


def make_demo(folder: Path, records: int, seed: int) -> Workspace:
    store = open_database(folder / "demo.db", RawKey(bytes(range(32))), create=True,
                          clock=lambda: NOW, actor="demo")
    ws = Workspace(store)
    demo.populate(ws, records=records, seed=seed, today=TODAY)
    return ws


def start_app(settings_folder: Path, language: str = "da") -> QApplication:
    # Keep Qt's settings (the chosen language) away from the user's own.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_folder))
    app = QApplication(sys.argv[:1])
    application.prepare(app)  # the wheel guard and the focus frame, as the app has them
    app.setApplicationName("Feltkonsulent")
    app.setOrganizationName("Feltkonsulent")
    app.setStyle("Fusion")
    app.setCursorFlashTime(0)  # a steady text cursor: the same picture every time
    # A modal question ("discard the changes?") would wait for a click that never comes.
    setattr(QMessageBox, "question",  # noqa: B010
            lambda *_args, **_kwargs: QMessageBox.StandardButton.Discard)
    # As app.py does for Danish: our strings, and Qt's own (Gem, Annuller, …).
    i18n.set_language(language)
    if language == "da":
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if not translator.load("qtbase_da", folder):
            raise SystemExit("screenshots: Qt's Danish translation (qtbase_da) is missing")
        app.installTranslator(translator)
    return app


def place(dialog: QDialog, over: QWidget) -> None:
    """Centre a dialog on the main window, kept on the screen (there is no window manager)."""
    screen = over.screen().geometry()
    size = dialog.frameGeometry().size()
    centre = over.frameGeometry().center()
    x = min(max(screen.left(), centre.x() - size.width() // 2), screen.right() - size.width())
    y = min(max(screen.top(), centre.y() - size.height() // 2), screen.bottom() - size.height())
    dialog.move(QPoint(x, y))


def shown(window: MainWindow, cls: type[QDialog]) -> QDialog:
    found = [d for d in window.findChildren(cls) if d.isVisible()]
    if len(found) != 1:
        raise SystemExit(f"screenshots: expected one open {cls.__name__}, found {len(found)}")
    return found[0]


def type_into(form: RecordForm, **values: str) -> None:
    """Types as a user would, so the form checks as it does while typing."""
    for name, text in values.items():
        editor = form.editors[name]
        assert isinstance(editor, QLineEdit | QPlainTextEdit)
        editor.setFocus()
        for number, line in enumerate(text.split("\n")):
            if number:
                QTest.keyClick(editor, Qt.Key.Key_Return)
            QTest.keyClicks(editor, line)


def main_pages(shot: Shooter, window: MainWindow) -> None:
    window.navigation.setFocus()  # not the search field: no text cursor over its placeholder
    shot.wait_until(lambda: not window.tasks.busy and not window.quick.busy, "the background work")
    shot.shoot(window, "today")
    for row, name in ((window.COMPANIES, "companies"), (window.CITIZENS, "citizens"),
                      (window.PLACEMENTS, "placements"), (window.VISITS, "visits")):
        window.navigation.setCurrentRow(row)
        window.navigation.setFocus()
        shot.wait_until(lambda: not window.quick.busy, "the count of the list")
        shot.shoot(window, name)


def search(shot: Shooter, window: MainWindow) -> None:
    text = SEARCH_TEXT
    if not window.ws.search(text):
        text = sorted(c.name for c in window.ws.repos.companies.where())[0].split()[0]
    got: list[str] = []
    window.search.results.connect(lambda searched, _found: got.append(searched))
    window.search.setFocus()
    QTest.keyClicks(window.search, text)
    shot.wait_until(lambda: text in got and not window.quick.busy, "the search results")
    shot.shoot(window, "search")
    window.search.clear()
    window.navigation.setCurrentRow(window.TODAY)


def company_form(shot: Shooter, window: MainWindow) -> None:
    window.navigation.setCurrentRow(window.COMPANIES)
    window.new_record()
    dialog = shown(window, RecordDialog)
    assert isinstance(dialog, RecordDialog)
    shot.settle()
    place(dialog, window)
    type_into(dialog.form, name="Bageriet Ørsted ApS", cvr=BAD_CVR, street="Søndergade 12",
              postal_code="8600", city="Silkeborg", industry="Bagerier", employee_count="12")
    shot.wait_until(lambda: dialog.form.errors["cvr"].isVisible(), "the CVR message")
    shot.shoot(dialog, "company_form")
    dialog.done(QDialog.DialogCode.Rejected)  # past the "discard?" question


def new_placement(shot: Shooter, window: MainWindow) -> None:
    ws = window.ws
    company = _company_with_contacts(ws)
    citizen = _citizen(ws, TargetGroup.UNEMPLOYMENT_BENEFIT)
    window.new_placement()
    dialog = shown(window, NewPlacementDialog)
    assert isinstance(dialog, NewPlacementDialog)
    shot.settle()
    place(dialog, window)
    dialog.company.typed.setFocus()
    QTest.keyClicks(dialog.company.typed, company.name)
    dialog.contacts.setCurrentIndex(1)
    dialog.citizen.typed.setFocus()
    QTest.keyClicks(dialog.citizen.typed, citizen.name)
    dialog.placement.set_value("kind", PlacementKind.INTERNSHIP)
    dialog.placement.set_value("purpose", Purpose.CLARIFICATION)
    type_into(dialog.placement, start_date="30.11.2026", end_date="26.02.2027", weekly_hours="30",
              work_tasks="Ekspedition i butikken og opfyldning af varer",
              goals="Møder til tiden\nBruger fagord i butikken")
    dialog.support_box.setChecked(True)
    type_into(dialog.support, person_name="Jens Madsen", hours_per_week="2", hourly_rate="200")
    shot.wait_until(lambda: bool(_reason_fields(dialog)), "the findings")
    scroll = dialog.findChild(QScrollArea)
    assert scroll is not None
    bar = scroll.verticalScrollBar()
    bar.setValue(0)
    shot.shoot(dialog, "new_placement")
    dialog.save()  # refused: a warning without a reason
    bar.setValue(bar.maximum())
    _reason_fields(dialog)[0].setFocus()
    shot.shoot(dialog, "new_placement_findings")
    dialog.done(QDialog.DialogCode.Rejected)


def visit_notes(shot: Shooter, window: MainWindow) -> None:
    window.open_visits(_placement_with_correction(window.ws))
    dialog = shown(window, VisitDialog)
    assert isinstance(dialog, VisitDialog)
    shot.settle()
    place(dialog, window)
    shot.shoot(dialog, "visit_notes")
    dialog.done(QDialog.DialogCode.Rejected)


def company_view(shot: Shooter, window: MainWindow) -> None:
    """The company with the most placements, with its contact persons."""
    ws = window.ws
    counts = {c.id: len(ws.repos.placements.for_company(c.id)) for c in ws.repos.companies.where()}
    company = ws.repos.companies.require(max(sorted(counts), key=lambda cid: counts[cid]))
    window.open_record("companies", company.id)
    dialog = shown(window, CompanyDialog)
    shot.settle()
    place(dialog, window)
    shot.shoot(dialog, "company")
    dialog.done(QDialog.DialogCode.Rejected)


def placement_view(shot: Shooter, window: MainWindow) -> str:
    """A running placement with a buddy and a sprogmakker; returns its id."""
    ws = window.ws
    chosen = None
    for placement in ws.repos.placements.where("status = 'active'", order="start_date, id"):
        support, partners = ws.arrangements_of(placement.id)
        if support and partners:
            chosen = placement.id
            break
    if chosen is None:
        raise SystemExit("screenshots: no running demo placement has a buddy and a sprogmakker")
    window.open_record("placements", chosen)
    dialog = shown(window, PlacementDialog)
    shot.settle()
    place(dialog, window)
    shot.shoot(dialog, "placement")
    dialog.done(QDialog.DialogCode.Rejected)
    return chosen


def agreement_preview(shot: Shooter, window: MainWindow, placement_id: str) -> None:
    dialog = AgreementDialog(window.ws, placement_id, TODAY, window)
    dialog.show()
    shot.settle()
    place(dialog, window)
    shot.wait_until(lambda: dialog.document is not None and dialog.document.pageCount() > 0,
                    "the agreement")
    shot.settle()
    shot.shoot(dialog, "agreement_preview")
    dialog.done(QDialog.DialogCode.Rejected)


def lock_screen(shot: Shooter, window: MainWindow) -> None:
    window.lock()
    shot.settle()
    shot.shoot(window, "locked")
    window.unlock()


def _reason_fields(dialog: NewPlacementDialog) -> list[QLineEdit]:
    """The reason field of each warning found (the findings box is being reworked)."""
    box = dialog.findings_box
    reasons: dict[str, QLineEdit] = getattr(box, "reasons", None) or getattr(dialog, "reasons", {})
    return list(reasons.values())


def _company_with_contacts(ws: Workspace) -> Company:
    """A demo company with contact persons (the dialog offers them), by name for the same
    choice every time."""
    for company in sorted(ws.repos.companies.where(), key=lambda c: c.name):
        if ws.contacts_of(company.id):
            assert isinstance(company, Company)
            return company
    raise SystemExit("screenshots: no demo company has a contact person")


def _citizen(ws: Workspace, group: TargetGroup) -> Citizen:
    for citizen in sorted(ws.repos.citizens.where(), key=lambda c: c.name):
        if citizen.target_group is group:
            assert isinstance(citizen, Citizen)
            return citizen
    raise SystemExit(f"screenshots: no demo citizen in {group}")


def _placement_with_correction(ws: Workspace) -> str:
    """The placement whose corrected note is the most recent, with a few notes around it."""
    best: tuple[date, str] | None = None
    for placement in ws.repos.placements.where():
        history = ws.visit_history(placement.id)
        corrected = [v.visited_on or v.planned_on for v, superseded in history if superseded]
        if corrected and len(history) >= 4:
            candidate = (max(d for d in corrected if d), placement.id)
            best = candidate if best is None or candidate > best else best
    if best is None:
        raise SystemExit("screenshots: no demo placement has a corrected note")
    return best[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--records", type=int, default=RECORDS)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--language", choices=("da", "en", i18n.PSEUDO), default="da",
                        help="pseudo: stretched, accented English to find layouts that break")
    args = parser.parse_args()
    if os.environ.get("QT_QPA_PLATFORM", "xcb") != "xcb" or not os.environ.get("DISPLAY"):
        raise SystemExit("screenshots: needs an X display; run bash scripts/screenshots.sh")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="feltkonsulent-screenshots-") as tmp:
        folder = Path(tmp)
        ws = make_demo(folder, args.records, args.seed)
        app = start_app(folder / "settings", args.language)
        shot = Shooter(app, args.out)
        QCursor.setPos(app.primaryScreen().geometry().bottomRight())  # no hover highlight
        window = MainWindow(ws, today=lambda: TODAY)
        window.setGeometry(WINDOW)
        window.show()
        shot.wait_until(window.isVisible, "the main window")
        try:
            main_pages(shot, window)
            search(shot, window)
            company_form(shot, window)
            new_placement(shot, window)
            visit_notes(shot, window)
            company_view(shot, window)
            agreement_preview(shot, window, placement_view(shot, window))
            lock_screen(shot, window)
        finally:
            window.close()
            ws.close()
    print(f"{len(shot.saved)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
