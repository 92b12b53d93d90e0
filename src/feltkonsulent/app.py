"""The composition root: `feltkonsulent` without a subcommand opens the desktop application."""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from feltkonsulent import i18n
from feltkonsulent.i18n import _
from feltkonsulent.services import temporary
from feltkonsulent.services.paths import (
    APP_NAME,
    default_db_path,
    make_private_folder,
    resources_dir,
)
from feltkonsulent.services.unlock import UnlockError, os_user, unlock
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.database import Store, WrongKey
from feltkonsulent.ui import application
from feltkonsulent.ui.main_window import MainWindow
from feltkonsulent.ui.messages import describe_code
from feltkonsulent.ui.settings import chosen_language
from feltkonsulent.ui.unlock import ask_passphrase

log = logging.getLogger(__name__)
PASSPHRASE_ENV = "FELTKONSULENT_PASSPHRASE"
LANGUAGE_ENV = "FELTKONSULENT_LANGUAGE"  # da, en or pseudo: overrides the setting (screenshots)
# The bundle's smoke test (tests/packaging/test_bundle.py): open the window, run the event loop
# this many milliseconds, then leave as a user would.
QUIT_AFTER_ENV = "FELTKONSULENT_QUIT_AFTER_MS"
APP_ID = "dk.feltkonsulent.Feltkonsulent"  # the desktop entry's name (packaging/linux/)
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
MAX_TRIES = 5


def main(argv: Sequence[str] | None = None) -> int:
    """`feltkonsulent [--db PATH]` opens the app; anything else is a command (see cli)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) == 2 and args[0] == "--db":
        return run(Path(args[1]))
    if args:
        from feltkonsulent import cli  # not at the window's start: the commands import much

        return cli.main(args)
    return run(default_db_path())


def _install_translations(app: QApplication, language: str) -> None:
    i18n.set_language(language)
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)


def _app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(resources_dir() / "icons" / f"feltkonsulent-{size}.png"))
    return icon


def _language() -> str:
    wanted = os.environ.get(LANGUAGE_ENV, "")
    if wanted in (*i18n.LANGUAGES, i18n.PSEUDO):
        return wanted
    if wanted:
        log.warning("%s=%s is not a language of Feltkonsulent; using the setting", LANGUAGE_ENV, wanted)
    return chosen_language()


def _open(path: Path) -> Store | None:
    """Unlock silently from the keyring, else ask; a wrong password asks again."""
    error = ""

    def prompt(new: bool) -> str | None:
        return ask_passphrase(new, error)

    make_private_folder(path.parent)
    for _attempt in range(MAX_TRIES):
        try:
            return unlock(path, passphrase=os.environ.get(PASSPHRASE_ENV), prompt=prompt,
                          create=True, actor=os_user())
        except WrongKey:
            error = describe_code("wrong_key")
            os.environ.pop(PASSPHRASE_ENV, None)  # a wrong one from the environment: ask instead
        except UnlockError as failure:
            if failure.code == "passphrase_needed":
                return None  # the user cancelled
            error = describe_code(failure.code)
    return None


def no_display() -> str | None:
    """Why the window cannot open, before Qt tries: on Linux without a display Qt aborts with a
    hint about a library (xcb-cursor0) that is not what is missing. None when there is one, or
    when another platform plugin was chosen (QT_QPA_PLATFORM=offscreen, wayland, …)."""
    if not sys.platform.startswith("linux") or QApplication.instance() is not None:
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return ("feltkonsulent: there is no display to open the window on (neither DISPLAY nor "
            "WAYLAND_DISPLAY is set). Start it from the desktop, or on a machine without one under "
            "a virtual screen: xvfb-run feltkonsulent. The commands (feltkonsulent --help) need "
            "no display.")


def run(path: Path) -> int:
    logging.basicConfig(level=logging.WARNING)
    reason = no_display()
    if reason is not None:
        print(reason, file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)  # Wayland and task bars match the window to the menu entry
    app.setWindowIcon(_app_icon())
    application.prepare(app)  # the wheel and the focus frame, in every window
    _install_translations(app, _language())
    temporary.sweep()  # what a killed app or command left (services/temporary.py)
    store = _open(path)
    if store is None:
        QMessageBox.information(None, APP_NAME, _("Feltkonsulent was not opened."))
        return 1
    ws = Workspace(store)
    window = MainWindow(ws)
    window.show()
    quit_after = os.environ.get(QUIT_AFTER_ENV)
    if quit_after:
        QTimer.singleShot(int(quit_after), app.quit)
    code = _exec(app)
    if window.isVisible():  # quit without the window closed (SIGTERM, the quit-after timer):
        window.close()  # its threads stop, and its writer writes what it was handed
    ws.close()
    return int(code)


def _exec(app: QApplication) -> int:
    """The event loop; SIGTERM (logging out, a shutdown) leaves it as closing the window does, so
    a file being written is finished or removed and the database closed. Python sees a signal only
    when it runs: a timer wakes it twice a second."""
    if sys.platform == "win32":
        return app.exec()
    before = signal.signal(signal.SIGTERM, lambda _signum, _frame: app.quit())
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(500)
    try:
        return app.exec()
    finally:
        wake.stop()
        signal.signal(signal.SIGTERM, before)
