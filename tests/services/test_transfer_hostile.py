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
