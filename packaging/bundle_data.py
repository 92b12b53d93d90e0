"""What goes into the bundle besides code: data files, trimmed Qt/babel data, excluded modules.

Plain Python without PyInstaller, so that `feltkonsulent.spec` and the fast packaging tests
(tests/packaging/) read the same lists.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "dk.feltkonsulent.Feltkonsulent"  # reverse-DNS id: desktop file, metainfo, icon name
DOMAIN = "feltkonsulent"  # the gettext domain (feltkonsulent.i18n.DOMAIN)
# The interface languages (feltkonsulent.i18n.LANGUAGES). Only their Qt and babel data is kept.
LANGUAGES = ("da", "en")

# Qt modules the app does not use. PyInstaller collects only what is imported, so these guard
# against a stray import dragging in a heavy module with its plugins and QML files.
EXCLUDED_QT = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtBluetooth", "QtCanvasPainter", "QtCharts", "QtConcurrent", "QtDataVisualization",
    "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation",
    "QtMultimedia", "QtMultimediaWidgets", "QtNetworkAuth", "QtNfc", "QtOpenGLWidgets",
    "QtPositioning", "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickTest",
    "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort",
    "QtSpatialAudio", "QtSql", "QtStateMachine", "QtTest", "QtTextToSpeech", "QtUiTools",
    "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets",
    "QtWebSockets", "QtWebView",
)
EXCLUDED_MODULES = (
    *(f"PySide6.{name}" for name in EXCLUDED_QT),
    "tkinter", "_tkinter", "turtle", "pydoc_data", "lib2to3", "ensurepip", "idlelib",
)


def version() -> str:
    """The one version number: pyproject.toml's."""
    with (ROOT / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def numeric_version() -> tuple[int, ...]:
    """`0.1.0` -> (0, 1, 0, 0), as Windows version resources want it."""
    parts = [int(p) for p in re.findall(r"\d+", version())[:4]]
    return tuple([*parts, 0, 0, 0, 0][:4])


def data_files() -> list[tuple[str, str]]:
    """(source file, folder in the bundle) for PyInstaller's `datas`.

    The bundle keeps the source tree's layout below its root (sys._MEIPASS): `translations/`
    and `resources/`, which is where feltkonsulent.i18n.translations_dir() looks when frozen.
    """
    found: list[tuple[str, str]] = []
    for mo in sorted((ROOT / "translations").glob(f"*/LC_MESSAGES/{DOMAIN}.mo")):
        found.append((str(mo), str(mo.parent.relative_to(ROOT))))
    for path in sorted((ROOT / "resources").rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            found.append((str(path), str(path.parent.relative_to(ROOT))))
    return found


def expected_catalogues() -> list[Path]:
    """A compiled catalogue for every translated language (English is the source)."""
    return [
        po.with_suffix(".mo")
        for po in sorted((ROOT / "translations").glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    ]


_QT_TRANSLATION = re.compile(r"PySide6/Qt/translations/(?P<name>[^/]+)$")
_BABEL_LOCALE = re.compile(r"babel/locale-data/(?P<locale>[^/]+)\.dat$")


def keep_data(dest: str) -> bool:
    """False for the Qt and babel data of languages the app does not offer.

    Qt's translations come to ~14 MB and babel's locale data to ~30 MB; the app needs
    `qtbase_<lang>.qm` (loaded by app._install_translations) and babel's `root`, `da*`, `en*`.
    """
    dest = dest.replace("\\", "/")
    qt = _QT_TRANSLATION.search(dest)
    if qt:
        return qt["name"] in {f"qtbase_{lang}.qm" for lang in LANGUAGES}
    locale = _BABEL_LOCALE.search(dest)
    if locale:
        return locale["locale"] == "root" or locale["locale"].split("_")[0] in LANGUAGES
    return True


def trimmed(toc: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """PyInstaller's TOC (dest, source, kind) without the entries `keep_data` refuses."""
    return [entry for entry in toc if keep_data(entry[0])]


# Qt plugins the app does not need that would drag QML and Quick in with them: the virtual
# keyboard (an input method plugin from pyside6-addons, which QtPdf comes with).
UNWANTED_BINARIES = ("libqtvirtualkeyboardplugin", "qtvirtualkeyboardplugin", "Qt6VirtualKeyboard",
                     "Qt6Qml", "Qt6Quick", "Qt6PdfQuick")


def keep_binary(dest: str) -> bool:
    name = dest.replace("\\", "/").rsplit("/", 1)[-1]
    return not any(unwanted in name for unwanted in UNWANTED_BINARIES)


def trimmed_binaries(toc: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """PyInstaller's binaries without the unwanted plugins and the libraries only they need."""
    return [entry for entry in toc if keep_binary(entry[0])]


# Modules reportlab imports by name at run time (its barcode widgets), which PyInstaller's
# analysis cannot see.
HIDDEN_IMPORT_PACKAGES = ("reportlab.graphics.barcode",)
