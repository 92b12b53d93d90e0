"""`feltkonsulent profile`: set what is given, print the profile, fail in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import environment, run  # noqa: F401  (autouse fixture)


@pytest.fixture
def profiled_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "team.db"
    code, _, err = run(capsys, "demo", "--db", str(path), "--records", "1")
    assert code == 0, err
    code, _, err = run(capsys, "profile", "--db", str(path), "--municipality", "Vejle Kommune",
                       "--consultant", "Mette Kjær")
    assert code == 0, err
    return path


def test_options_set_fields_and_json_prints_them_all(
    capsys: pytest.CaptureFixture[str], profiled_db: Path
) -> None:
    code, out, err = run(capsys, "profile", "--db", str(profiled_db), "--department", "Jobcenter Vejle",
                         "--address", "Kirketorvet 22, 7100 Vejle", "--consultant-email",
                         "mekj@vejle.dk", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "municipality": "Vejle Kommune", "department": "Jobcenter Vejle",
        "address": "Kirketorvet 22, 7100 Vejle", "phone": "70 10 20 30",
        "email": "virksomhedsservice@nordby.example", "consultant": "Mette Kjær",
        "consultant_phone": "20 30 40 50", "consultant_email": "mekj@vejle.dk",
    }


def test_without_options_it_prints_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], profiled_db: Path
) -> None:
    code, out, _ = run(capsys, "profile", "--db", str(profiled_db))
    assert code == 0
    assert "Municipality:" in out and "Vejle Kommune" in out and "Mette Kjær" in out
    assert run(capsys, "profile", "--db", str(profiled_db))[1] == out


def test_an_empty_value_clears_and_a_bad_one_fails_in_one_line(
    capsys: pytest.CaptureFixture[str], profiled_db: Path
) -> None:
    code, out, _ = run(capsys, "profile", "--db", str(profiled_db), "--phone", "", "--format", "json")
    assert code == 0 and json.loads(out)["phone"] is None
    code, out, err = run(capsys, "profile", "--db", str(profiled_db), "--consultant-phone", "12",
                         "--email", "x")
    assert code == 1 and out == ""
    assert err == "feltkonsulent profile: email: is not an e-mail address\n"
    after = json.loads(run(capsys, "profile", "--db", str(profiled_db), "--format", "json")[1])
    assert after["consultant_phone"] == "20 30 40 50" and after["email"] is not None


def test_the_municipality_cannot_be_cleared(
    capsys: pytest.CaptureFixture[str], profiled_db: Path
) -> None:
    code, _, err = run(capsys, "profile", "--db", str(profiled_db), "--municipality", "")
    assert code == 1 and err == "feltkonsulent profile: municipality: is required\n"
