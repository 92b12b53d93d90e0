"""The command line as users and administrators script it: exit codes, one-line errors, files."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from feltkonsulent.cli import main

PASSPHRASE = "Sommerfugl-Vejle-42"


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FELTKONSULENT_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.db"
    code, out, _ = run(capsys, "demo", "--db", str(path), "--records", "30", "--seed", "7")
    assert code == 0, out
    return path


def export(capsys: pytest.CaptureFixture[str], db: Path) -> dict[str, Any]:
    code, out, err = run(capsys, "export", "--db", str(db))
    assert code == 0, err
    document: dict[str, Any] = json.loads(out)
    return document


def test_demo_creates_an_encrypted_database_with_every_kind(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = export(capsys, demo_db)
    assert all(document[entity] for entity in document if entity != "schema_version")
    assert len(document["placements"]) == 30
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(demo_db).execute("SELECT * FROM sqlite_master").fetchall()


def test_demo_refuses_to_overwrite(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo", "--db", str(demo_db))
    assert code == 1 and out == ""
    assert err == f"feltkonsulent demo: {demo_db} already exists; name a new file with --db\n"


def test_export_to_a_file_then_import_into_a_new_database_round_trips(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt in ("json", "csv"):
        exported = tmp_path / f"export.{fmt}"
        assert run(capsys, "export", "--db", str(demo_db), "--format", fmt, "-o", str(exported))[0] == 0
        copy = tmp_path / f"copy-{fmt}.db"
        code, out, err = run(capsys, "import", "--db", str(copy), str(exported))
        assert code == 0, err
        assert out.startswith(f"imported {exported}: ") and " created, 0 updated" in out
        assert export(capsys, copy) == export(capsys, demo_db)
    assert not list(tmp_path.glob(".feltkonsulent-*.tmp"))  # no temporary files left behind


def test_a_bad_import_changes_nothing_and_says_where(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = export(capsys, demo_db)
    document["companies"][2]["name"] = "Would be changed"
    document["placements"][4]["end_date"] = "2001-01-01"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    before = export(capsys, demo_db)
    code, out, err = run(capsys, "import", "--db", str(demo_db), str(bad))
    assert code == 1 and out == ""
    assert err.splitlines()[0].startswith(
        "feltkonsulent import: record 5 (placements): end_date: ends (2001-01-01) before it starts"
    )
    assert err.splitlines()[0].endswith("- nothing was imported")
    assert export(capsys, demo_db) == before


def test_a_failed_import_into_a_new_database_leaves_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "companies": [{"name": "X", "cvr": "1"}]}', encoding="utf-8")
    target = tmp_path / "new.db"
    code, _, err = run(capsys, "import", "--db", str(target), str(bad))
    assert code == 1
    assert err == (
        "feltkonsulent import: record 1 (companies): cvr: CVR number must have 8 digits "
        "(has 1) - nothing was imported\n"
    )
    assert list(tmp_path.iterdir()) == [bad, tmp_path / "home"] or not target.exists()


def test_a_wrong_passphrase_is_one_plain_line(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FELTKONSULENT_PASSPHRASE", "not-the-passphrase")
    code, out, err = run(capsys, "export", "--db", str(demo_db))
    assert (code, out) == (1, "")
    assert err == (
        f"feltkonsulent export: cannot open {demo_db}: wrong passphrase or key, "
        "or not a Feltkonsulent database\n"
    )


def test_no_passphrase_and_no_terminal(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FELTKONSULENT_PASSPHRASE")
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115 - closed by pytest's capture
    code, _, err = run(capsys, "export", "--db", str(demo_db))
    sys.stdin.close()
    assert code == 1 and "FELTKONSULENT_PASSPHRASE" in err and len(err.splitlines()) == 1


def test_a_missing_database_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", "--db", str(tmp_path / "nowhere.db"))
    assert code == 1 and err == f"feltkonsulent export: no database at {tmp_path / 'nowhere.db'}\n"


def test_the_installed_entry_point_runs(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "FELTKONSULENT_PASSPHRASE": PASSPHRASE,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "HOME": str(tmp_path),
    }
    exe = Path(sys.executable).with_name("feltkonsulent")
    result = subprocess.run(
        [str(exe), "demo", "--db", str(tmp_path / "d.db"), "--records", "5"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"created {tmp_path / 'd.db'}: ")
    assert result.stderr == ""
