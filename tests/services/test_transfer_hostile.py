"""`import` of hostile files: each is refused whole, with where and why, and the database is
unchanged; records of the placeholder team take the database's team, another team's are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feltkonsulent.domain.ids import TeamId
from feltkonsulent.services import transfer
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.team import join_team

from .test_transfer import export_json, fill, write

GOOD = '{"id": "0193c5e2-7b1a-7c3d-9e4f-0a1b2c3d4e5f", "name": "Netto", "cvr": "13585628"'
HOSTILE = [
    ("empty.csv", "", "empty_file"),
    ("blank.json", "  \n", "empty_file"),
    ("header.csv", "id,name,cvr\n", "empty_file"),
    ("array.json", "[" + GOOD + "}]", "not_an_object"),
    ("deep.json", "[" * 100_000 + "]" * 100_000, "too_deep"),
    ("twice.json", '{"schema_version": 2, "companies": [' + GOOD + ', "name": "Fakta"}]}', "duplicate_key"),
    ("inf.json", '{"schema_version": 2, "companies": [' + GOOD + ', "employee_count": 1e400}]}',
     "out_of_range"),
    ("nan.json", '{"schema_version": 2, "companies": [' + GOOD + ', "employee_count": NaN}]}',
     "bad_value"),  # not a number
    ("huge.json", '{"schema_version": 2, "companies": [' + GOOD + ', "employee_count": 1'
     + "0" * 400 + "}]}", "out_of_range"),
    ("digits.json", '{"schema_version": 2, "companies": [' + GOOD + ', "employee_count": 1'
     + "0" * 5000 + "}]}", "malformed_json"),
    ("surrogate.json", '{"schema_version": 2, "companies": [' + GOOD.replace("Netto", "Netto \\ud800")
     + "}]}", "bad_text"),
    ("path.json", '{"schema_version": 2, "companies": [' + GOOD.replace(
        "0193c5e2-7b1a-7c3d-9e4f-0a1b2c3d4e5f", "../../../etc/passwd") + "}]}", "id_format"),
    ("team.json", '{"schema_version": 2, "companies": [' + GOOD + ', "team_id": ["vejle"]}]}',
     "team_format"),  # not "belongs to team ['vejle']"
    ("inf/companies.csv", "name,cvr,employee_count\nNetto,13585628,1e400\n", "out_of_range"),
    ("long/companies.csv", "name,cvr,notes\nNetto,13585628," + "x" * 20_001 + "\n", "too_long"),
]


@pytest.mark.parametrize(("name", "text", "code"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_file_is_refused_whole_naming_why_and_nothing_changes(
    workspace: Workspace, tmp_path: Path, name: str, text: str, code: str
) -> None:
    fill(workspace)
    before = export_json(workspace)
    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with pytest.raises(transfer.ImportFailed) as caught:
        transfer.import_file(workspace, path)
    assert [e.code for p in caught.value.problems for e in p.errors][:1] == [code]
    assert export_json(workspace) == before


def test_records_of_the_placeholder_team_take_the_databases_team_and_others_are_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    fill(workspace)
    exported = export_json(workspace)  # made before any sync: every record is of team "local"
    join_team(workspace.store, TeamId("vejle"))
    transfer.import_file(workspace, write(tmp_path / "old.json", json.dumps(exported)))
    after = export_json(workspace)
    teams = {r["team_id"] for entity in transfer.ENTITIES for r in after.get(entity, [])}
    assert teams == {"vejle"}  # an old export never moves a record back to "local"

    foreign = {**after, "companies": [{**after["companies"][0], "team_id": "aarhus"}]}
    with pytest.raises(transfer.ImportFailed) as caught:
        transfer.import_file(workspace, write(tmp_path / "foreign.json", json.dumps(foreign)))
    (problem,) = caught.value.problems
    assert problem.errors[0].code == "foreign_team"
    assert "aarhus" in str(problem) and "vejle" in str(problem)
    assert export_json(workspace) == after


# -- CSV as spreadsheets write it ----------------------------------------------------------------
CSV_HOSTILE = [
    # (file name, bytes, the first problem as ImportFailed words it)
    ("companies.csv", b'name;cvr;notes\r\nNetto;13585628;"to\r\nlinjer"\r\n\r\nFakta;1;x\r\n',
     "line 5 (companies): cvr: cvr_length (length=1)"),  # a row starts after a cell's line break
    ("companies.csv", b'name;cvr;notes\r\nNetto;13585628;ok\r\nFakta;13585628;"aldrig lukket\r\n\r\n',
     "line 3 (file): unclosed_quote"),  # not "cvr: is required"
    ("companies.csv", b'name,cvr\n"Netto" A/S,13585628\n', "line 2 (file): stray_quote"),
    ("companies.csv", b"name,cvr,notes\nNetto,13585628," + b"x" * 131_073 + b"\n",
     "line 2 (file): cell_too_large (max=131072)"),
    ("companies.csv", b"navn;cvr\r\nNetto;13585628\r\n",  # the header is line 1, never a field on line 2
     "line 1 (file): unknown_column (column=navn, kinds=companies)"),
    ("companies.csv", b"name;cvr;name\r\nNetto;13585628;Fakta\r\n",
     "line 1 (file): duplicate_column (column=name)"),
    ("firmaer.csv", b"name;cvr\r\nNetto;13585628\r\n", "line 1 (file): no_entity (name=firmaer)"),
    ("x.csv", b"entity;name;cvr\r\n;Netto;13585628\r\n", "line 2 (file): entity: required"),
    ("x.csv", b"entity;name;cvr\r\nfirmaer;Netto;13585628\r\n", "line 2 (firmaer): unknown_entity"),
    ("companies.csv", b"name;cvr;\r\nNetto;13585628;x\r\n", "line 2 (companies): unnamed_column"),
    ("companies.csv", b"name;cvr;employee_count\r\nNetto;13585628;12,5,0\r\n",
     "line 2 (companies): employee_count: csv_number (value=12,5,0)"),
    ("companies.csv", b"name;cvr\r\nNetto \x81;13585628\r\n",
     "line 2 (file): not_text (offset=16, byte=0x81)"),
]


@pytest.mark.parametrize(("name", "data", "first"), CSV_HOSTILE,
                         ids=[c[2].split(": ")[-1][:24] for c in CSV_HOSTILE])
def test_a_bad_csv_file_names_the_line_it_is_on(
    workspace: Workspace, tmp_path: Path, name: str, data: bytes, first: str
) -> None:
    fill(workspace)
    before = export_json(workspace)
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(transfer.ImportFailed) as caught:
        transfer.import_file(workspace, path)
    assert str(caught.value.problems[0]) == first
    assert export_json(workspace) == before


def test_every_bad_row_of_a_csv_file_is_named_not_only_the_first(
    workspace: Workspace, tmp_path: Path
) -> None:
    sheet = "name;cvr;employee_count\r\nNetto;13585628;mange\r\nFakta;13585628;12\r\nLidl;13585628;1,2,3\r\n"
    with pytest.raises(transfer.ImportFailed) as caught:
        transfer.import_file(workspace, write(tmp_path / "companies.csv", sheet))
    assert [p.location for p in caught.value.problems] == ["line 2", "line 4"]


def test_a_danish_spreadsheet_of_new_records_imports(workspace: Workspace, tmp_path: Path) -> None:
    sheet = ("name;cvr\r\n" + "Bageriet Ørsted;13585628\r\n;;\r\n").encode("cp1252")
    path = tmp_path / "companies.csv"
    path.write_bytes(sheet)
    transfer.import_file(workspace, path)
    assert [c.name for c in workspace.repos.companies.where()] == ["Bageriet Ørsted"]
