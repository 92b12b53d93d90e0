"""Export and import: the round trip, all-or-nothing with bad input of each kind, and updates
that go through the change log field by field."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest

from feltkonsulent.domain.entities import Company, RuleOverride
from feltkonsulent.services import transfer
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.storage import migrations
from feltkonsulent.storage.changes import pending_changes, pending_count
from feltkonsulent.storage.database import Store, open_database
from feltkonsulent.storage.keys import RawKey
from tests import factories


def fill(ws: Workspace) -> None:
    company = factories.company()
    citizen = factories.citizen()
    contact = factories.contact(company.id, is_employee_representative=True)
    placement = factories.placement(citizen.id, company.id, contact_id=contact.id)
    ws.register_placement(
        PlacementRegistration(
            company,
            citizen,
            placement,
            contact,
            [factories.support(placement.id)],
            [factories.language_partner(placement.id)],
        )
    )
    first = ws.record_visit(factories.visit(placement.id))
    ws.correct_visit(first.id, dataclasses.replace(first, notes='Rettet: Amina trives <godt> & "smiler"'))
    ws.save(
        ws.new(
            RuleOverride,
            placement_id=placement.id,
            code="internship_too_long",
            reason="Aftalt med jobcentret",
            decided_on=placement.start_date,
        )
    )
    ws.save(factories.company(name="Slettet ApS", p_number=None, employee_count=None))
    gone = ws.repos.companies.by_cvr(factories.GOOD_CVR)[-1]
    ws.delete(Company, gone.id)


def export_json(ws: Workspace) -> dict[str, Any]:
    out = io.StringIO()
    transfer.write_json(ws, out)
    document: dict[str, Any] = json.loads(out.getvalue())
    return document


def export_csv(ws: Workspace) -> str:
    out = io.StringIO()
    transfer.write_csv(ws, out)
    return out.getvalue()


@pytest.fixture
def empty(tmp_path: Path, clock: Any) -> Any:
    stores: list[Store] = []

    def make(name: str = "empty.db") -> Workspace:
        store = open_database(tmp_path / name, RawKey.generate(), create=True, clock=clock)
        stores.append(store)
        return Workspace(store)

    yield make
    for store in stores:
        store.close()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_export_is_one_object_with_a_list_per_entity(workspace: Workspace) -> None:
    fill(workspace)
    document = export_json(workspace)
    assert list(document) == ["schema_version", *transfer.ENTITIES]
    assert document["schema_version"] == migrations.SCHEMA_VERSION
    assert {k: len(v) for k, v in document.items() if k != "schema_version"} == {
        "companies": 1,
        "contacts": 1,
        "citizens": 1,
        "placements": 1,
        "support_arrangements": 1,
        "language_partners": 1,
        "aftercare_visits": 2,
        "rule_overrides": 1,
        "agreements": 0,
        "team_profiles": 0,
        "consultant_profiles": 0,
    }


def test_json_export_import_export_gives_the_same_records(
    workspace: Workspace, empty: Any, tmp_path: Path
) -> None:
    fill(workspace)
    before = export_json(workspace)
    target = empty()
    summary = transfer.import_file(target, write(tmp_path / "x.json", json.dumps(before)))
    assert sum(summary.created.values()) == 9
    assert export_json(target) == before


def test_csv_export_import_export_gives_the_same_records(
    workspace: Workspace, empty: Any, tmp_path: Path
) -> None:
    fill(workspace)
    before = export_csv(workspace)
    target = empty()
    transfer.import_file(target, write(tmp_path / "x.csv", before))
    assert export_csv(target) == before
    assert export_json(target) == export_json(workspace)


def test_importing_the_same_file_twice_changes_nothing(workspace: Workspace, tmp_path: Path) -> None:
    fill(workspace)
    path = write(tmp_path / "x.json", json.dumps(export_json(workspace)))
    before = pending_count(workspace.store)
    summary = transfer.import_file(workspace, path)
    assert sum(summary.unchanged.values()) == 9 and not summary.created and not summary.updated
    assert pending_count(workspace.store) == before


def test_an_import_updates_existing_records_field_by_field(workspace: Workspace, tmp_path: Path) -> None:
    fill(workspace)
    document = export_json(workspace)
    document["companies"][0]["name"] = "Bageriet Ørsted & Søn ApS"
    document["citizens"][0]["phone"] = "20304050"
    before = pending_count(workspace.store)
    summary = transfer.import_file(workspace, write(tmp_path / "x.json", json.dumps(document)))
    assert dict(summary.updated) == {"companies": 1, "citizens": 1}
    new_ops = pending_changes(workspace.store)[before:]
    assert [(c.entity, c.field, c.value) for c in new_ops] == [
        ("companies", "name", "Bageriet Ørsted & Søn ApS"),
        ("citizens", "phone", "20304050"),
    ]


def test_a_spreadsheet_of_new_companies_without_ids_or_team(workspace: Workspace, tmp_path: Path) -> None:
    sheet = 'name,cvr,postal_code,city,employee_count\nNetto Vejle,13585628,7100,Vejle,"12,5"\n'
    transfer.import_file(workspace, write(tmp_path / "companies.csv", sheet))
    (company,) = workspace.repos.companies.where()
    assert (company.name, str(company.employee_count), company.team_id) == ("Netto Vejle", "12.5", "local")


def bad_inputs() -> list[tuple[str, Any, str]]:
    """(name, how to spoil the export, the location the error must name)."""

    def set_field(entity: str, index: int, field: str, value: Any) -> Any:
        def spoil(doc: dict[str, Any]) -> None:
            doc[entity][index][field] = value

        return spoil

    def add_company(doc: dict[str, Any]) -> None:
        doc["companies"].append({**doc["companies"][0], "id": "new-1", "cvr": "12345678"})

    return [
        ("bad cvr", set_field("companies", 0, "cvr", "13585629"), "record 1 (companies)"),
        ("unknown company", set_field("placements", 0, "company_id", "no-such"), "record 1 (placements)"),
        ("end before start", set_field("placements", 0, "end_date", "2020-01-01"), "record 1 (placements)"),
        (
            "bad date",
            set_field("support_arrangements", 0, "start_date", "1. maj"),
            "record 1 (support_arrangements)",
        ),
        ("wrong type", set_field("citizens", 0, "needs_interpreter", "ja"), "record 1 (citizens)"),
        ("unknown field", set_field("contacts", 0, "shoe_size", 44), "record 1 (contacts)"),
        ("bad enum", set_field("placements", 0, "kind", "volunteering"), "record 1 (placements)"),
        (
            "changed note",
            set_field("aftercare_visits", 0, "notes", "rewritten"),
            "record 1 (aftercare_visits)",
        ),
        ("a second bad record", add_company, "record 2 (companies)"),
    ]


@pytest.mark.parametrize(("name", "spoil", "where"), bad_inputs(), ids=[b[0] for b in bad_inputs()])
def test_one_bad_record_imports_nothing_and_is_named(
    workspace: Workspace, empty: Any, tmp_path: Path, name: str, spoil: Any, where: str
) -> None:
    fill(workspace)
    document = export_json(workspace)
    document["companies"][0]["name"] = "Changed too, but must not be saved"
    spoil(document)
    # A changed note is only wrong where the note already exists; elsewhere it is a new note.
    targets = [workspace] if name == "changed note" else [workspace, empty(f"{name}.db")]
    for target in targets:
        before = (export_json(target), pending_count(target.store))
        with pytest.raises(transfer.ImportFailed) as caught:
            transfer.import_file(target, write(tmp_path / "bad.json", json.dumps(document)))
        assert str(caught.value).startswith(where)
        assert (export_json(target), pending_count(target.store)) == before


def test_malformed_json_names_its_line(workspace: Workspace, tmp_path: Path) -> None:
    fill(workspace)
    text = json.dumps(export_json(workspace), indent=1).replace('"Amina Hassan"', '"Amina Hassan",,', 1)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "Amina Hassan" in t)
    with pytest.raises(transfer.ImportFailed) as caught:
        transfer.import_file(workspace, write(tmp_path / "bad.json", text))
    assert str(caught.value).startswith(f"line {line} column")


def test_a_csv_with_one_bad_row_names_the_line(workspace: Workspace, empty: Any, tmp_path: Path) -> None:
    fill(workspace)
    rows = list(csv.reader(io.StringIO(export_csv(workspace))))
    header = rows[0]
    rows[3][header.index("cpr")] = "3213901234"  # the citizens row: 32 December is no date
    assert rows[3][0] == "citizens"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    target = empty()
    with pytest.raises(transfer.ImportFailed) as caught:
        transfer.import_file(target, write(tmp_path / "bad.csv", out.getvalue()))
    assert str(caught.value) == "line 4 (citizens): cpr: cpr_date"
    assert target.repos.companies.count() == 0


def test_a_file_from_a_newer_version_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(transfer.ImportFailed) as caught:
        transfer.import_file(workspace, write(tmp_path / "x.json", '{"schema_version": 99}'))
    assert caught.value.problems[0].errors[0].code == "newer_schema"


def test_every_problem_is_reported_not_only_the_first(workspace: Workspace, tmp_path: Path) -> None:
    fill(workspace)
    document = export_json(workspace)
    document["companies"][0]["cvr"] = "1"
    document["citizens"][0]["cpr"] = "1"
    with pytest.raises(transfer.ImportFailed) as caught:
        transfer.import_file(workspace, write(tmp_path / "x.json", json.dumps(document)))
    assert [p.entity for p in caught.value.problems] == ["companies", "citizens"]


def test_export_is_audited_per_citizen(workspace: Workspace) -> None:
    fill(workspace)
    export_json(workspace)
    rows = workspace.store.conn.execute("SELECT citizen_id FROM audit_log WHERE action = 'export'").fetchall()
    assert len(rows) == 1


def test_notes_that_supersede_each_other_in_a_circle_are_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    fill(workspace)
    document = export_json(workspace)
    a, b = (dict(document["aftercare_visits"][0]), dict(document["aftercare_visits"][1]))
    c1, c2 = "0193a000-0000-7000-8000-0000000000c1", "0193a000-0000-7000-8000-0000000000c2"
    a.update(id=c1, supersedes=c2)
    b.update(id=c2, supersedes=c1)
    document["aftercare_visits"] += [a, b]
    with pytest.raises(transfer.ImportFailed) as caught:
        transfer.import_file(workspace, write(tmp_path / "x.json", json.dumps(document)))
    assert [(p.location, p.errors[0].code) for p in caught.value.problems] == [
        ("record 3", "supersedes_cycle"),
        ("record 4", "supersedes_cycle"),
    ]
    assert workspace.repos.aftercare_visits.count() == 2


# -- duplicates: the same citizen (CPR) or workplace (CVR and P-number) twice --------------------
def test_a_citizen_whose_cpr_is_in_the_database_is_refused_naming_both(
    workspace: Workspace, tmp_path: Path
) -> None:
    fill(workspace)
    (amina,) = workspace.repos.citizens.where()
    newcomer = {"name": "Amal Hasan", "cpr": "211062-5629", "target_group": "other"}
    document = {"schema_version": migrations.SCHEMA_VERSION,
                "companies": [{"name": "Ny ApS", "cvr": "10150817"}], "citizens": [newcomer]}
    before = (export_json(workspace), pending_count(workspace.store))
    with pytest.raises(transfer.ImportFailed) as caught:
        transfer.import_file(workspace, write(tmp_path / "x.json", json.dumps(document)))
    (problem,) = caught.value.problems
    (error,) = problem.errors
    assert (problem.location, problem.entity, error.code, error.field) == (
        "record 1", "citizens", "duplicate_citizen", "cpr")
    assert error.params["name"] == "Amal Hasan" and error.params["other_name"] == "Amina Hassan"
    assert error.params["other_id"] == amina.id and error.params["other_location"] is None
    assert error.params["cpr"] == "211062-xxxx"
    assert "2110625629" not in str(caught.value) and "5629" not in str(caught.value)
    assert (export_json(workspace), pending_count(workspace.store)) == before  # not the company


def test_two_rows_of_one_csv_file_with_one_cpr_are_refused(empty: Any, tmp_path: Path) -> None:
    sheet = ("name,cpr,target_group\nAmina Hassan,2110625629,other\nPeter Hansen,0101901233,other\n"
             "Amina Hasan,211062-5629,other\n")
    target = empty()
    with pytest.raises(transfer.ImportFailed) as caught:
        transfer.import_file(target, write(tmp_path / "citizens.csv", sheet))
    (problem,) = caught.value.problems
    (error,) = problem.errors
    assert (problem.location, error.code) == ("line 4", "duplicate_citizen")
    assert (error.params["name"], error.params["other_name"]) == ("Amina Hasan", "Amina Hassan")
    assert error.params["other_location"] == "line 2"
    assert target.repos.citizens.count() == 0


def test_a_company_is_refused_only_with_the_same_cvr_and_p_number(
    workspace: Workspace, tmp_path: Path
) -> None:
    fill(workspace)  # Bageriet Ørsted ApS: 13585628, P-number 1003388394
    (bakery,) = workspace.repos.companies.where()
    header = "name,cvr,p_number\n"
    branch = '"Bageriet Ørsted, Vejle",13585628,1003388386\n'
    transfer.import_file(workspace, write(tmp_path / "companies.csv", header + branch))
    assert workspace.repos.companies.count() == 2  # another workplace of the same company
    with pytest.raises(transfer.ImportFailed) as caught:
        transfer.import_file(workspace, write(
            tmp_path / "companies.csv", header + "Ørsteds Bageri,13 58 56 28,1003388394\n"))
    (error,) = caught.value.problems[0].errors
    assert (error.code, error.params["other_id"], error.params["p_number"]) == (
        "duplicate_company", bakery.id, "1003388394")
    # Without a P-number twice in one file: one workplace, the same company twice.
    twice = header + "Netto,10150817,\nNetto A/S,10150817,\n"
    with pytest.raises(transfer.ImportFailed) as caught:
        transfer.import_file(workspace, write(tmp_path / "companies.csv", twice))
    (error,) = caught.value.problems[0].errors
    assert (error.code, error.params["p_number"], error.params["other_location"]) == (
        "duplicate_company", None, "line 2")
    assert workspace.repos.companies.count() == 2


def test_an_update_is_no_duplicate_but_a_changed_cpr_that_another_has_is(
    workspace: Workspace, tmp_path: Path
) -> None:
    fill(workspace)
    workspace.save(factories.citizen(name="Peter Hansen", cpr="0101901233"))
    document = export_json(workspace)
    amina = next(c for c in document["citizens"] if c["name"] == "Amina Hassan")
    amina["phone"] = "20304050"
    summary = transfer.import_file(workspace, write(tmp_path / "x.json", json.dumps(document)))
    assert summary.updated["citizens"] == 1
    amina["cpr"] = "0101901233"
    with pytest.raises(transfer.ImportFailed) as caught:
        transfer.import_file(workspace, write(tmp_path / "x.json", json.dumps(document)))
    (problem,) = caught.value.problems
    (error,) = problem.errors
    # Amina comes first in the file: Peter's row is the one named, with Amina's place.
    assert (error.params["name"], error.params["other_name"]) == ("Peter Hansen", "Amina Hassan")
    assert error.params["other_location"] == "record 1"


def test_a_citizen_of_another_team_with_the_same_cpr_is_not_a_duplicate(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.save(factories.citizen(team_id="other-team"))
    sheet = "name,cpr,target_group\nAmina Hassan,2110625629,other\n"
    transfer.import_file(workspace, write(tmp_path / "citizens.csv", sheet))
    assert workspace.repos.citizens.count() == 2
