"""`feltkonsulent agreement`: the PDF written and the issue recorded; a bad id changes nothing."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from feltkonsulent.cli import main
from feltkonsulent.cli.common import workspace
from feltkonsulent.domain.entities import RuleOverride


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FELTKONSULENT_PASSPHRASE", "Sommerfugl-Vejle-42")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db), "--records", "8", "--seed", "2"]) == 0
    return db


def exported(capsys: pytest.CaptureFixture[str], db: Path) -> dict[str, list[dict[str, object]]]:
    capsys.readouterr()
    assert main(["export", "--db", str(db)]) == 0
    document: dict[str, list[dict[str, object]]] = json.loads(capsys.readouterr().out)
    return document


def test_the_agreement_is_written_and_recorded(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = exported(capsys, demo_db)
    placement = before["placements"][0]
    pid = str(placement["id"])
    out = tmp_path / "aftale.pdf"
    assert main(["agreement", "--db", str(demo_db), pid, "-o", str(out), "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert printed.strip().endswith(f"sha256 {digest}")
    assert len(PdfReader(out).pages) >= 1
    after = exported(capsys, demo_db)
    mine = [a for a in after["agreements"] if a["placement_id"] == pid]
    earlier = [a for a in before["agreements"] if a["placement_id"] == pid]
    assert len(mine) == len(earlier) + 1
    (newest,) = [a for a in mine if a["sha256"] == digest]
    assert newest["language"] == "en"
    assert int(str(newest["version"])) >= max([int(str(a["version"])) for a in earlier] or [1])


def test_the_internal_note_is_written_and_not_recorded(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = str(exported(capsys, demo_db)["placements"][0]["id"])
    with workspace(demo_db) as ws:
        ws.save(ws.new(RuleOverride, placement_id=pid, code="hours_above_full_time",
                       reason="Højsæson, afspadseres i januar.", decided_on=date(2026, 11, 20)))
    before = exported(capsys, demo_db)
    out = tmp_path / "note.pdf"
    assert main(["agreement", "--db", str(demo_db), pid, "--internal-note", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"{out}: internal note (not an agreement version)"
    shown = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Intern note: regler, der er fraveget, og begrundelser" in shown
    assert "Højsæson, afspadseres i januar." in shown
    assert exported(capsys, demo_db)["agreements"] == before["agreements"]
    english = tmp_path / "note-en.pdf"
    assert main(["agreement", "--db", str(demo_db), pid, "--internal-note", "-o", str(english),
                 "--lang", "en"]) == 0
    assert "Internal note: rules departed from" in PdfReader(english).pages[0].extract_text()


def test_an_unknown_placement_is_one_line_and_nothing_is_written(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = exported(capsys, demo_db)
    out = tmp_path / "aftale.pdf"
    unknown = "0193a000-0000-7000-8000-000000000000"
    assert main(["agreement", "--db", str(demo_db), unknown, "-o", str(out)]) == 1
    error = capsys.readouterr().err
    assert error == "feltkonsulent agreement: no placement 0193a000-0000-7000-8000-000000000000\n"
    assert not out.exists()
    assert exported(capsys, demo_db)["agreements"] == before["agreements"]


def test_a_missing_folder_is_refused(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = str(exported(capsys, demo_db)["placements"][0]["id"])
    assert main(["agreement", "--db", str(demo_db), pid, "-o", str(tmp_path / "nej" / "a.pdf")]) == 1
    assert capsys.readouterr().err.startswith("feltkonsulent agreement: no folder ")


def test_without_a_profile_the_agreement_is_issued_and_the_user_is_told(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A script is not stopped, but told in one line that the paper has fill-in lines."""
    document = exported(capsys, demo_db)
    document["team_profiles"], document["consultant_profiles"] = [], []
    source = tmp_path / "uden-profil.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    fresh = tmp_path / "ny.db"
    assert main(["import", "--db", str(fresh), str(source)]) == 0
    capsys.readouterr()
    pid = str(document["placements"][0]["id"])
    out = tmp_path / "aftale.pdf"
    assert main(["agreement", "--db", str(fresh), pid, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err == ("note: no municipality or consultant is set, so the agreement has fill-in "
                   "lines for them; set them with `feltkonsulent profile`\n")
    assert "Nordby Kommune" not in "".join(p.extract_text() for p in PdfReader(out).pages)
    assert main(["agreement", "--db", str(demo_db), pid, "-o", str(out)]) == 0
    assert capsys.readouterr().err == ""
