"""`export -o` killed while it writes: SIGTERM removes its temporary file at once; SIGKILL cannot
be caught, so the file it leaves (0600: it holds full CPR numbers) is removed by the next command."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from feltkonsulent.cli import main
from feltkonsulent.services import paths

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and modes are POSIX")

PASSPHRASE = "Sommerfugl-Vejle-42"
DRIVER = "import sys; from feltkonsulent.cli import main; sys.exit(main(sys.argv[1:]))"
RECORDS = 600  # an export of these takes a few hundred milliseconds: time to see its file


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FELTKONSULENT_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "demo.db"
    env = {**os.environ, "FELTKONSULENT_PASSPHRASE": PASSPHRASE,
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
           "XDG_DATA_HOME": str(path.parent / "data")}
    done = subprocess.run([sys.executable, "-c", DRIVER, "demo", "--db", str(path), "--records",
                           str(RECORDS)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return path


def export_killed_while_writing(db: Path, out: Path, signum: int) -> tuple[
        subprocess.CompletedProcess[str], Path, int]:
    """Start `export -o out`, wait until its temporary file is there, send `signum`: what the
    process did, the temporary file and its mode when it was seen."""
    process = subprocess.Popen([sys.executable, "-c", DRIVER, "export", "--db", str(db), "-o",
                                str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 60
    found: list[Path] = []
    while not found:
        assert process.poll() is None, "the export ended before its temporary file was seen"
        assert time.monotonic() < deadline
        found = list(out.parent.glob(".feltkonsulent-export-*.tmp"))
        time.sleep(0.001)
    mode = stat.S_IMODE(found[0].stat().st_mode)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)
    return (subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr),
            found[0], mode)


def test_a_sigkilled_export_leaves_a_0600_file_that_the_next_command_removes(
        big_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "exports" / "all.json"
    out.parent.mkdir()
    (out.parent / "mine.txt").write_text("the user's own file")
    done, left, mode = export_killed_while_writing(big_db, out, signal.SIGKILL)
    assert done.returncode == -signal.SIGKILL
    assert left.exists() and mode == 0o600 and not out.exists()
    assert [e.read_text() for e in paths.temporary_journal().iterdir()] == [str(left)]
    assert main(["profile", "--db", str(big_db)]) == 0  # any command, on any database
    capsys.readouterr()
    assert not left.exists()
    assert sorted(p.name for p in out.parent.iterdir()) == ["mine.txt"]
    assert list(paths.temporary_journal().iterdir()) == []


def test_a_terminated_export_removes_its_file_itself_and_says_so_in_one_line(
        big_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.json"
    done, left, _mode = export_killed_while_writing(big_db, out, signal.SIGTERM)
    assert done.returncode == 128 + signal.SIGTERM
    assert done.stderr == "feltkonsulent export: terminated; nothing was changed\n"
    assert not left.exists() and not out.exists()
    assert list(paths.temporary_journal().iterdir()) == []


def test_demo_makes_the_folders_it_needs_owner_only(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "new" / "sub" / "demo.db"
    old = os.umask(0o022)  # the usual one: folders 0755, open to every user
    try:
        assert main(["demo", "--db", str(db), "--records", "2"]) == 0
    finally:
        os.umask(old)
    capsys.readouterr()
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (db.parent, db.parent.parent)}
    assert modes == {"sub": 0o700, "new": 0o700}
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in db.parent.iterdir()} == dict.fromkeys(
        [p.name for p in db.parent.iterdir()], 0o600)
