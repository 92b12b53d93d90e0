"""The packaging recipe is consistent without building it: the spec's data files exist, versions
agree with pyproject.toml, the desktop entry, metainfo and installer script are valid."""

from __future__ import annotations

import ast
import configparser
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from feltkonsulent import __version__, i18n

from .project import PACKAGING, ROOT, bundle_data, project_version

BUNDLE_DATA = bundle_data()
APP_ID = BUNDLE_DATA.APP_ID
DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
NSIS = PACKAGING / "windows" / "feltkonsulent.nsi"
ICONS = ROOT / "resources" / "icons"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
SCRIPTS = ("build.sh", "smoke.sh", "icons.sh", "linux/install.sh")


def test_every_data_file_exists_and_lands_under_its_source_folder() -> None:
    files = BUNDLE_DATA.data_files()
    assert files
    for source, folder in files:
        path = Path(source)
        assert path.is_file(), source
        assert path.parent.relative_to(ROOT).as_posix() == Path(folder).as_posix()


def test_the_bundle_carries_every_compiled_catalogue_and_the_icons() -> None:
    sources = {Path(source) for source, _ in BUNDLE_DATA.data_files()}
    catalogues = BUNDLE_DATA.expected_catalogues()
    assert catalogues, "no translations/*/LC_MESSAGES/feltkonsulent.po"
    for mo in catalogues:
        assert mo in sources, mo
    assert ICONS / "feltkonsulent.svg" in sources
    assert ICONS / "feltkonsulent.ico" in sources


def test_the_bundle_layout_is_where_the_app_looks_when_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Frozen, i18n.translations_dir() is sys._MEIPASS/translations: the spec puts them there."""
    monkeypatch.delenv("FELTKONSULENT_TRANSLATIONS", raising=False)
    monkeypatch.setattr("sys._MEIPASS", "/bundle", raising=False)
    frozen = i18n.translations_dir()
    folders = {Path(source): folder for source, folder in BUNDLE_DATA.data_files()}
    for mo in BUNDLE_DATA.expected_catalogues():
        language = mo.parent.parent.name
        assert Path("/bundle", folders[mo], mo.name) == frozen / language / "LC_MESSAGES" / mo.name


def test_the_recipe_knows_the_apps_languages_and_domain() -> None:
    assert BUNDLE_DATA.LANGUAGES == i18n.LANGUAGES
    assert BUNDLE_DATA.DOMAIN == i18n.DOMAIN


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/translations/qtbase_da.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/translations/qt_help_da.qm", False),
        ("PySide6\\Qt\\translations\\qtbase_en.qm", True),
        ("babel/locale-data/root.dat", True),
        ("babel/locale-data/da_DK.dat", True),
        ("babel/locale-data/en_GB.dat", True),
        ("babel/locale-data/de.dat", False),
        ("babel/global.dat", True),
        ("translations/da/LC_MESSAGES/feltkonsulent.mo", True),
        ("resources/icons/feltkonsulent.svg", True),
    ],
)
def test_only_the_offered_languages_qt_and_babel_data_is_kept(dest: str, kept: bool) -> None:
    assert BUNDLE_DATA.keep_data(dest) is kept


def test_the_spec_parses_and_names_files_that_exist() -> None:
    spec = PACKAGING / "feltkonsulent.spec"
    tree = ast.parse(spec.read_text(encoding="utf-8"), filename=str(spec))
    strings = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)}
    assert "launcher.py" in strings and (PACKAGING / "launcher.py").is_file()
    assert "feltkonsulent.ico" in strings
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= called
    assert "excludes" in {k.arg for n in ast.walk(tree) if isinstance(n, ast.Call) for k in n.keywords}
    assert "PySide6.QtWebEngineCore" in BUNDLE_DATA.EXCLUDED_MODULES
    assert "PySide6.QtQuick" in BUNDLE_DATA.EXCLUDED_MODULES


def test_the_apps_imports_are_not_excluded() -> None:
    imported = set()
    for path in (ROOT / "src" / "feltkonsulent").rglob("*.py"):
        imported |= set(re.findall(r"^\s*from (PySide6\.\w+) import", path.read_text(encoding="utf-8"), re.M))
    assert imported
    wrongly_excluded = imported & set(BUNDLE_DATA.EXCLUDED_MODULES)
    assert not wrongly_excluded, f"the app imports {wrongly_excluded}: un-exclude in packaging/bundle_data.py"


def test_one_version_everywhere() -> None:
    version = project_version()
    assert BUNDLE_DATA.version() == version
    assert __version__ == version
    nsis = NSIS.read_text(encoding="utf-8-sig")
    assert re.search(r'^!define /ifndef VERSION "([^"]+)"', nsis, re.M)[1] == version
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases and releases[0].get("version") == version


def test_the_build_pins_pyinstaller() -> None:
    build = (PACKAGING / "build.sh").read_text(encoding="utf-8")
    assert re.search(r'PYINSTALLER_PIN="pyinstaller==\d+\.\d+(\.\d+)?"', build)
    assert re.search(r'HOOKS_PIN="pyinstaller-hooks-contrib==[\d.]+"', build)


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_shell_scripts_parse(script: str) -> None:
    result = subprocess.run(["bash", "-n", str(PACKAGING / script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_the_icon_comes_in_every_size() -> None:
    ET.parse(ICONS / "feltkonsulent.svg")
    for size in ICON_SIZES:
        assert png_size(ICONS / f"feltkonsulent-{size}.png") == (size, size)
    ico = (ICONS / "feltkonsulent.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1)
    sizes = {ico[6 + 16 * i] or 256 for i in range(count)}  # a width byte of 0 means 256
    assert sizes == set(ICON_SIZES)


def test_the_desktop_entry_names_the_app_and_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"].split()[0] == "feltkonsulent"
    assert section["Icon"] == APP_ID
    assert section["Categories"].endswith(";")


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils not installed")
def test_the_desktop_entry_validates() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_the_metainfo_names_the_desktop_entry() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("provides/binary") == "feltkonsulent"


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstreamcli not installed")
def test_the_metainfo_validates() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def nsis_files() -> list[Path]:
    """Every file the installer script names by a path relative to itself."""
    text = NSIS.read_text(encoding="utf-8-sig")
    return [
        (NSIS.parent / match.replace("\\", "/")).resolve()
        for match in re.findall(r'"(\.\.\\[^"$]+\.\w+)"', text)
    ]


def test_the_installer_script_names_files_that_exist() -> None:
    named = nsis_files()
    assert ICONS / "feltkonsulent.ico" in named
    for path in named:
        assert path.is_file(), path
    assert NSIS.read_bytes().startswith(b"\xef\xbb\xbf"), "makensis needs the BOM for æ, ø, å"


def test_the_installer_installs_what_the_spec_builds() -> None:
    """The executables the uninstaller removes are the ones the spec makes on Windows."""
    nsis = NSIS.read_text(encoding="utf-8-sig")
    spec = (PACKAGING / "feltkonsulent.spec").read_text(encoding="utf-8")
    for exe in re.findall(r'^!define (?:MAIN|CLI)_EXE "([^"]+)\.exe"', nsis, re.M):
        assert f'executable("{exe}"' in spec, exe
    assert "RequestExecutionLevel user" in nsis
    for language in ("English", "Danish"):
        assert f'!insertmacro MUI_LANGUAGE "{language}"' in nsis


@pytest.mark.skipif(not shutil.which("makensis"), reason="nsis not installed")
def test_the_installer_compiles(tmp_path: Path) -> None:
    """Against a stand-in bundle: checks the script, not the Windows build."""
    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    for name in ("Feltkonsulent.exe", "feltkonsulent-cli.exe", "_internal/base_library.zip"):
        (bundle / name).write_bytes(b"stand-in")
    result = subprocess.run(
        ["makensis", "-V2", "-WX", f"-DBUNDLE={bundle}", f"-DOUTDIR={tmp_path}", str(NSIS)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / f"Feltkonsulent-{project_version()}-setup.exe").is_file()
