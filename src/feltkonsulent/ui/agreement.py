""""Udskriv aftale": the agreement shown as it will print, then printed or saved — which issues
it (a version recorded with the PDF's SHA-256) — the internal note of the rules gone past saved
beside it (never part of the agreement), and batches of agreements printed in the background
with a progress bar."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent.domain.entities import Agreement
from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.i18n import _, current_language, format_date, ngettext
from feltkonsulent.services import agreements, files, printing, profile
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui import messages
from feltkonsulent.ui.file_dialogs import save_file_name
from feltkonsulent.ui.profile import ensure_profile
from feltkonsulent.ui.tasks import BackgroundTasks, Progress

LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}


def load_pdf(data: bytes, parent: QObject | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over bytes in memory (the buffer must live as long as the document)."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent) if parent is not None else QPdfDocument()
    document.load(buffer)
    return document, buffer


def print_pages(document: QPdfDocument, painter: QPainter, printer: QPrinter, first: bool) -> None:
    """Every page of `document` drawn on the printer as a picture at its resolution, each scaled
    to the printable page: only where the PDF itself cannot go (no CUPS, e.g. Windows)."""
    for page in range(document.pageCount()):
        if not (first and page == 0):
            printer.newPage()
        target = painter.viewport()
        points = document.pagePointSize(page)
        scale = min(target.width() / points.width(), target.height() / points.height())
        size = QSize(int(points.width() * scale), int(points.height() * scale))
        image = document.render(page, size)
        painter.drawImage(0, 0, image)


def pdf_file_of(printer: QPrinter) -> Path | None:
    """The file a printer writes ("Print to File (PDF)" in the print dialog), None for a real
    printer."""
    name = printer.outputFileName()
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and name:
        return Path(name)
    return None


_SIDES = {
    QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
    QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge",
    QPrinter.DuplexMode.DuplexNone: "one-sided",
}


class PrintJob:
    """Agreements printed as what they are, vector pages: to a PDF file, the agreements' own
    PDFs one after the other; to a printer where CUPS' `lp` is, the same file handed to CUPS.
    Elsewhere (Windows) each page is drawn on the printer at its resolution. Usable from a
    background thread: it touches no widget."""

    def __init__(self, printer: QPrinter) -> None:
        self.printer = printer
        self.file = pdf_file_of(printer)
        self.queue = printer.printerName() if self.file is None and printing.spooler() else ""
        self._pdfs: list[bytes] = []
        self._painter: QPainter | None = None

    @property
    def vector(self) -> bool:
        return self.file is not None or bool(self.queue)

    def add(self, pdf: bytes) -> None:
        if self.vector:
            self._pdfs.append(pdf)
            return
        first = self._painter is None
        if self._painter is None:
            painter = QPainter()
            if not painter.begin(self.printer):
                raise OSError(_("The printer could not be used."))
            self._painter = painter
        document, _buffer = load_pdf(pdf)
        print_pages(document, self._painter, self.printer, first=first)

    def finish(self) -> None:
        """Write the file or hand it to the printer (raises OSError where that fails)."""
        if self._painter is not None:
            self._painter.end()
            self._painter = None
        if not self._pdfs:
            return
        pdf = printing.combined(self._pdfs)
        if self.file is not None:
            files.write_bytes(self.file, pdf, "agreement")
        else:
            printing.spool(pdf, self.queue, self.printer.copyCount(),
                           duplex=_SIDES.get(self.printer.duplex()))


class AgreementDialog(QDialog):
    """The preview: language, full CPR or not, print (Ctrl+P) and save as (Ctrl+Shift+S)."""

    def __init__(self, ws: Workspace, placement_id: str, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.placement_id, self.today = ws, placement_id, today
        self.setWindowTitle(_("Agreement"))
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        room = screen.availableGeometry().height() if screen is not None else 980
        self.resize(860, min(980, int(room * 0.92)))  # an A4 page's width, and the screen's height
        self.draft: agreements.Draft | None = None
        self.issued: Agreement | None = None
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.with_cpr = QCheckBox(_("Print the full CPR number"))
        self.with_cpr.setObjectName("with_cpr")
        self.status = QLabel()
        self.status.setObjectName("status")
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.document: QPdfDocument | None = None
        self._buffer: QBuffer | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.print_button = QPushButton(_("Print…"))
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.clicked.connect(lambda: self.print_agreement())
        self.save_button = QPushButton(_("Save as…"))
        self.save_button.setShortcut(QKeySequence.StandardKey.SaveAs)
        # Through a lambda: `clicked` would hand the slot `checked=False` as its path.
        self.save_button.clicked.connect(lambda: self.save_as())
        self.note_button = QPushButton(_("Save internal note…"))
        self.note_button.setObjectName("internal_note")
        self.note_button.setToolTip(_("The rules gone past and the reasons: the municipality's "
                                      "own note, not part of the agreement"))
        self.note_button.clicked.connect(lambda: self.save_internal_note())
        for button in (self.print_button, self.save_button, self.note_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        options = QHBoxLayout()
        options.addWidget(QLabel(_("Language")))
        options.addWidget(self.language)
        options.addWidget(self.with_cpr)
        options.addStretch(1)
        options.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.language.currentIndexChanged.connect(self.make)
        self.with_cpr.toggled.connect(self.make)
        self.make()

    def make(self) -> None:
        """The agreement as it will print: the next version, not yet issued."""
        try:
            self.draft = agreements.prepare(self.ws, self.placement_id, self.language.currentData(),
                                            self.today, self.with_cpr.isChecked())
        except ValidationError as error:
            self.draft = None
            self.status.setText(messages.describe_all(error.errors))
            self.print_button.setEnabled(False)
            self.save_button.setEnabled(False)
            return
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self.issued = None
        self.document, self._buffer = load_pdf(self.draft.pdf, self)
        self.view.setDocument(self.document)
        if self.draft.unchanged:
            self.status.setText(_("Version {n}, the content is unchanged").format(
                n=self.draft.version))
        else:
            self.status.setText(_("Version {n}, not issued yet").format(n=self.draft.version))

    def _issue(self) -> bool:
        """Record the draft as issued, once (printing it again is the same version)."""
        if self.issued is not None:
            return True
        assert self.draft is not None
        try:
            self.issued = agreements.record(self.ws, self.draft)
        except ValidationError as error:
            QMessageBox.warning(self, _("Agreement"), messages.describe_all(error.errors))
            self.make()  # someone issued a version meanwhile: show the next one
            return False
        self.status.setText(_("Version {n} issued").format(n=self.issued.version))
        return True

    def _profile_ready(self) -> bool:
        """Before the first agreement is issued: who issues it. Given now, the draft is made
        again so the copy printed or saved names them; cancelled, nothing is issued."""
        if profile.is_complete(profile.current(self.ws)):
            return True
        if not ensure_profile(self.ws, self):
            return False
        self.make()
        return self.draft is not None

    def print_agreement(self, printer: QPrinter | None = None) -> None:
        if self.document is None or not self._profile_ready():
            return
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            assert self.draft is not None
            # The name "Print to File" suggests (on a display) and the print queue shows.
            printer.setDocName(_("agreement-v{n}").format(n=self.draft.version))
            dialog = QPrintDialog(printer, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
        # Issued first: a paper copy must carry a version that is recorded (another may have
        # been issued meanwhile); printed again, it is the same version.
        if not self._issue():
            return
        assert self.draft is not None
        job = PrintJob(printer)
        try:
            job.add(self.draft.pdf)
            job.finish()
        except OSError as error:
            QMessageBox.warning(self, _("Agreement"), _("The agreement was not printed: {reason}")
                                .format(reason=error.strerror or str(error)))

    def save_as(self, path: Path | None = None) -> None:
        if self.draft is None or not self._profile_ready():
            return
        assert self.draft is not None
        if path is None:
            path = save_file_name(self, _("Save the agreement"),
                                  _("agreement-v{n}.pdf").format(n=self.draft.version),
                                  "PDF (*.pdf)")
            if path is None:
                return
        try:
            files.write_bytes(path, self.draft.pdf, "agreement")
        except OSError as error:
            QMessageBox.warning(self, _("Agreement"),
                                _("The file could not be saved: {reason}").format(reason=error.strerror))
            return
        self._issue()

    def save_internal_note(self, path: Path | None = None) -> None:
        """Save the internal note (the rules gone past, with the reasons); nothing is issued."""
        language = self.language.currentData()
        if path is None:
            path = save_file_name(self, _("Save the internal note"), _("internal-note.pdf"),
                                  "PDF (*.pdf)")
            if path is None:
                return
        try:
            pdf = agreements.internal_note(self.ws, self.placement_id, language, self.today)
            files.write_bytes(path, pdf, "agreement")
        except ValidationError as error:
            QMessageBox.warning(self, _("Agreement"), messages.describe_all(error.errors))
            return
        except OSError as error:
            QMessageBox.warning(self, _("Agreement"),
                                _("The file could not be saved: {reason}").format(reason=error.strerror))
            return
        self.status.setText(_("Internal note saved"))


def print_batch(tasks: BackgroundTasks, placement_ids: Sequence[str], today: date,
                printer: QPrinter, parent: QWidget,
                on_done: Callable[[int], None] | None = None) -> int:
    """Issue and print many agreements in the background, one print job, with a progress bar
    that can cancel between two agreements. Returns the job id."""
    language = current_language()
    ids = list(placement_ids)
    progress = QProgressDialog(_("Printing agreements…"), _("Cancel"), 0, len(ids), parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.setValue(0)

    def job(ws: Workspace, report: Progress) -> int:
        output = PrintJob(printer)
        printed = 0
        try:
            for n, placement_id in enumerate(ids):
                if not report(n, len(ids)):
                    break
                draft = agreements.prepare(ws, placement_id, language, today)
                agreements.record(ws, draft)
                output.add(draft.pdf)
                printed += 1
            report(printed, len(ids))
        finally:
            output.finish()  # what was made before a cancel is printed too
        return printed

    def done(printed: int) -> None:
        if on_done is not None:
            on_done(printed)
        progress.setValue(len(ids))
        progress.setLabelText(ngettext("{n} agreement printed", "{n} agreements printed",
                                       printed).format(n=printed))

    def failed(error: Exception) -> None:
        progress.cancel()
        QMessageBox.warning(parent, _("Agreement"), _("Printing stopped: {reason}").format(
            reason=str(error)))

    job_id = tasks.submit_with_progress(job, lambda n, _total: progress.setValue(n), done, failed)
    progress.canceled.connect(lambda: tasks.cancel(job_id))
    return job_id



class AgreementBox(QGroupBox):
    """In the placement: where its agreement stands, "Udskriv aftale…" (Ctrl+P) and "signed"."""

    def __init__(self, ws: Workspace, placement_id: str, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Agreement"), parent)
        self.ws, self.placement_id, self.today = ws, placement_id, today
        self.state = QLabel()
        self.state.setObjectName("agreement_state")
        self.print_button = QPushButton(_("Print agreement…"))
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.clicked.connect(self.open_preview)
        self.signed_button = QPushButton(_("Signed today"))
        self.signed_button.clicked.connect(self.mark_signed)
        row = QHBoxLayout(self)
        row.addWidget(self.state, 1)
        row.addWidget(self.print_button)
        row.addWidget(self.signed_button)
        self.show_state()

    def show_state(self) -> None:
        latest = agreements.latest(self.ws, self.placement_id)
        if latest is None:
            text = _("No agreement issued yet.")
        elif latest.signed_on is None:
            text = _("Version {n} issued {day}, not signed yet.").format(
                n=latest.version, day=format_date(date.fromisoformat(latest.issued_at[:10])))
        else:
            text = _("Version {n} signed {day}.").format(n=latest.version,
                                                        day=format_date(latest.signed_on))
        self.state.setText(text)
        self.signed_button.setEnabled(latest is not None and latest.signed_on is None)

    def open_preview(self) -> None:
        dialog = AgreementDialog(self.ws, self.placement_id, self.today, self)
        dialog.finished.connect(lambda _result: self.show_state())
        dialog.open()

    def mark_signed(self) -> None:
        latest = agreements.latest(self.ws, self.placement_id)
        if latest is not None and latest.signed_on is None:
            agreements.mark_signed(self.ws, latest.id, self.today)
        self.show_state()
