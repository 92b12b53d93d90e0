"""`agreement` reads the placement it prints: one audit row naming the placement and its citizen
(never the CPR number), for the agreement and for the internal note; a bad id audits nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feltkonsulent.cli import main
from feltkonsulent.cli.common import workspace


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FELTKONSULENT_PASSPHRASE", "Sommerfugl-Vejle-42")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def placement_reads(db: Path) -> list[tuple[str, str, str]]:
    with workspace(db) as ws:
        rows = ws.store.conn.execute(
            "SELECT actor, row_id, citizen_id FROM audit_log "
            "WHERE action = 'read' AND entity = 'placements' ORDER BY id").fetchall()
    return [tuple(r) for r in rows]


def test_the_agreement_and_the_internal_note_audit_the_placement_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db), "--records", "4", "--seed", "3"]) == 0
    capsys.readouterr()
    assert main(["export", "--db", str(db)]) == 0
    document = json.loads(capsys.readouterr().out)
    placement = document["placements"][0]
    cpr = next(c["cpr"] for c in document["citizens"] if c["id"] == placement["citizen_id"])
    before = placement_reads(db)  # the demo's own agreements; an export opens no placement
    out = tmp_path / "aftale.pdf"
    assert main(["agreement", "--db", str(db), placement["id"], "-o", str(out),
                 "--with-cpr"]) == 0
    assert main(["agreement", "--db", str(db), placement["id"], "-o", str(tmp_path / "n.pdf"),
                 "--internal-note"]) == 0
    reads = placement_reads(db)
    assert reads[:len(before)] == before
    assert [(row, citizen) for _actor, row, citizen in reads[len(before):]] == [
        (placement["id"], placement["citizen_id"])] * 2
    assert main(["agreement", "--db", str(db), "0193a000-0000-7000-8000-000000000000", "-o",
                 str(tmp_path / "x.pdf")]) == 1
    assert placement_reads(db) == reads
    with workspace(db) as ws:
        everything = json.dumps(ws.store.conn.execute("SELECT * FROM audit_log").fetchall())
    assert cpr not in everything and cpr.replace("-", "") not in everything
