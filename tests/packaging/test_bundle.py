"""The built bundle starts and works: commands, the window offscreen, and what it carries.

Runs only against a bundle named in FELTKONSULENT_BUNDLE (packaging/smoke.sh, packaging/build.sh):
each test starts the frozen executable in a child process with its own home folder, so neither
the user's settings nor the OS keyring are touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from feltkonsulent.services.transfer import ENTITIES
from feltkonsulent.storage.migrations import SCHEMA_VERSION

from .project import project_version

BUNDLE = os.environ.get("FELTKONSULENT_BUNDLE", "")
if not BUNDLE:
    pytest.skip("no bundle: set FELTKONSULENT_BUNDLE=dist/feltkonsulent (packaging/smoke.sh)",
                allow_module_level=True)

WINDOWS = sys.platform == "win32"
PASSPHRASE = "smoke-test-adgangskode"
RECORDS = 5
WINDOW_SECONDS = 4.0  # how long the window must stay up (or run until the quit hook ends it)
QUIT_HOOK = "FELTKONSULENT_QUIT_AFTER_MS"  # app.py ends its event loop after this long


@pytest.fixture(scope="module")
def bundle() -> Path:
    path = Path(BUNDLE).resolve()
    assert path.is_dir(), f"FELTKONSULENT_BUNDLE={BUNDLE} is not a folder"
    return path


def command_exe(bundle: Path) -> Path:
    return bundle / ("feltkonsulent-cli.exe" if WINDOWS else "feltkonsulent")


def window_exe(bundle: Path) -> Path:
    return bundle / ("Feltkonsulent.exe" if WINDOWS else "feltkonsulent")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("FELTKONSULENT_", "XDG_"))}
    return {
        **keep,
        "HOME": str(home),
        "USERPROFILE": str(home),
        "APPDATA": str(home / "AppData" / "Roaming"),
        "LOCALAPPDATA": str(home / "AppData" / "Local"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "FELTKONSULENT_PASSPHRASE": PASSPHRASE,
        "QT_QPA_PLATFORM": "offscreen",
    }


def run(exe: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(exe), *args], env=env, capture_output=True, text=True, encoding="utf-8", timeout=120
    )


@pytest.fixture(scope="module")
def demo_db(bundle: Path, env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "demo.db"
    result = run(command_exe(bundle), env, "demo", "--db", str(path), "--records", str(RECORDS))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"created {path}"), result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    return path


def test_the_bundle_knows_its_version(bundle: Path, env: dict[str, str]) -> None:
    result = run(command_exe(bundle), env, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"feltkonsulent {project_version()}"


def test_demo_then_export_gives_every_entity(bundle: Path, env: dict[str, str], demo_db: Path) -> None:
    result = run(command_exe(bundle), env, "export", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["schema_version"] == SCHEMA_VERSION
    for entity in ENTITIES:
        assert isinstance(document[entity], list), entity
    assert len(document["placements"]) == RECORDS
    assert document["companies"] and document["citizens"] and document["aftercare_visits"]


def test_a_wrong_passphrase_is_one_line(bundle: Path, env: dict[str, str], demo_db: Path) -> None:
    wrong = {**env, "FELTKONSULENT_PASSPHRASE": "not-the-passphrase"}
    result = run(command_exe(bundle), wrong, "export", "--db", str(demo_db))
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_an_agreement_is_written_with_the_bundled_font(
    bundle: Path, env: dict[str, str], demo_db: Path, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    exported = json.loads(run(command_exe(bundle), env, "export", "--db", str(demo_db)).stdout)
    placement_id = exported["placements"][0]["id"]
    out = tmp_path / "aftale.pdf"
    result = run(command_exe(bundle), env, "agreement", "--db", str(demo_db), placement_id,
                 "-o", str(out))
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    fonts = {str(font["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}  # type: ignore[index, union-attr]
    assert fonts and all("DejaVu" in name for name in fonts), fonts


def test_rules_run_in_the_bundle(bundle: Path, env: dict[str, str], demo_db: Path) -> None:
    result = run(command_exe(bundle), env, "rules", "--db", str(demo_db), "--format", "json")
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)


def test_the_window_opens_offscreen_in_danish(bundle: Path, env: dict[str, str], demo_db: Path) -> None:
    """Danish is the default: a catalogue missing from the bundle would stop the start."""
    quit_ms = int(WINDOW_SECONDS * 1000)
    process = subprocess.Popen(
        [str(window_exe(bundle)), "--db", str(demo_db)],
        env={**env, QUIT_HOOK: str(quit_ms)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        code = process.wait(timeout=WINDOW_SECONDS + 30)
    finally:
        if process.poll() is None:
            process.kill()
        out, err = process.communicate()
    assert "Traceback" not in err, err
    assert "Fatal" not in err, err
    assert code == 0, f"exit status {code}\n{out}\n{err}"


def test_the_bundle_carries_its_data_and_not_the_heavy_qt(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert (internal / "translations" / "da" / "LC_MESSAGES" / "feltkonsulent.mo").is_file()
    assert (internal / "resources" / "icons" / "feltkonsulent.svg").is_file()
    qt = internal / "PySide6" / "Qt"
    assert (qt / "translations" / "qtbase_da.qm").is_file()
    assert not (qt / "translations" / "qtbase_de.qm").exists()
    assert (internal / "babel" / "locale-data" / "da.dat").is_file()
    assert not (internal / "babel" / "locale-data" / "de.dat").exists()
    names = {p.name for p in internal.rglob("*")}
    for heavy in ("Qt6Quick", "Qt6Qml", "Qt6WebEngineCore", "Qt63DCore"):
        assert not [n for n in names if heavy in n], heavy
    assert [n for n in names if "Qt6Pdf" in n]  # the agreement preview (QtPdf, QtPdfWidgets)
