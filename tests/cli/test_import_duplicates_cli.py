"""`feltkonsulent import` refuses a second citizen with a CPR number, or a second company with a
CVR and P-number, that another record has: one plain line naming both, the CPR masked, exit 1."""

from __future__ import annotations

import json
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
    assert run(capsys, "demo", "--db", str(path), "--records", "12", "--seed", "5")[0] == 0
    return path


def export(capsys: pytest.CaptureFixture[str], db: Path) -> dict[str, Any]:
    code, out, err = run(capsys, "export", "--db", str(db))
    assert code == 0, err
    document: dict[str, Any] = json.loads(out)
    return document


def test_a_second_citizen_with_a_cpr_in_the_database_is_refused_naming_both(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = export(capsys, demo_db)
    existing = before["citizens"][3]
    copy = {**existing, "id": "0193a000-0000-7000-8000-000000000001", "name": "Kopi Af Borger"}
    path = tmp_path / "citizens.json"
    path.write_text(json.dumps({"schema_version": before["schema_version"], "citizens": [copy]}),
                    encoding="utf-8")
    code, out, err = run(capsys, "import", "--db", str(demo_db), str(path))
    masked = existing["cpr"][:6] + "-xxxx"
    assert code == 1 and out == ""
    assert err == (
        f"feltkonsulent import: record 1 (citizens): cpr: Kopi Af Borger (id {copy['id']}) has "
        f"the CPR number {masked} that the citizen {existing['name']} (id {existing['id']}) in "
        "the database already has - nothing was imported\n"
    )
    assert existing["cpr"] not in err and existing["cpr"][6:] not in err
    assert export(capsys, demo_db) == before


def test_two_companies_of_one_workplace_in_a_file_are_refused_and_nothing_is_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "companies.csv"
    first, second, third = (f"0193a000-0000-7000-8000-00000000000{n}" for n in (1, 2, 3))
    sheet.write_text(f"id,name,cvr,p_number\n{first},Netto Vejle,13585628,1003388394\n"
                     f"{second},Netto Vejle Nord,13585628,1003388386\n"
                     f"{third},Netto Vejle (igen),13585628,1003388394\n", encoding="utf-8")
    target = tmp_path / "new.db"
    code, out, err = run(capsys, "import", "--db", str(target), str(sheet))
    assert code == 1 and out == ""
    assert err == (
        f"feltkonsulent import: line 4 (companies): cvr: Netto Vejle (igen) (id {third}) has the "
        f"CVR number 13585628 and P-number 1003388394 that the company Netto Vejle (id {first}) "
        "at line 2 of the file already has - nothing was imported\n"
    )
    assert not target.exists()


def test_the_same_records_imported_again_are_updates_not_duplicates(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = export(capsys, demo_db)
    document["citizens"][0]["phone"] = "20 30 40 50"
    path = tmp_path / "again.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, out, err = run(capsys, "import", "--db", str(demo_db), str(path))
    assert code == 0, err
    assert out.startswith(f"imported {path}: 0 created, 1 updated")
