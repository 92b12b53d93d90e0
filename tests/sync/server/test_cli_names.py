"""`feltkonsulent server add-user` takes only names the value boundary takes: a team id is written
into every record its members sync, so a team of `../x`, of a line break or of the placeholder
`local` (a laptop that has never synced) would poison every laptop of the team."""

from __future__ import annotations

import pytest

from feltkonsulent.cli import main

from ..conftest import ServerDatabase
from .test_cli import add_user, where


@pytest.mark.parametrize(("option", "value"), [
    ("--team", "../etc"), ("--team", "local"), ("--team", ""), ("--team", "x" * 65),
    ("--team", "nord\nsyd"), ("--user", "anna\x00"), ("--user", " "), ("--device", "a\nb"),
])
def test_a_team_user_or_device_name_the_boundary_refuses_is_refused_in_one_line(
    server_database: ServerDatabase, capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    given = {"--team": "jobcenter-nord", "--user": "anna", "--device": "laptop", option: value}
    args = [part for pair in given.items() for part in pair]
    assert main(["server", "add-user", *where(server_database), *args]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("feltkonsulent server: ")
    assert option in err
    assert main(["server", "list", *where(server_database)]) in (0, 1)
    assert "anna" not in capsys.readouterr().out  # nobody was added


def test_a_team_name_with_inner_spaces_and_dots_is_taken(
    server_database: ServerDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = add_user(server_database, capsys, "--team", "Jobcenter Vejle.2", "--user", "anna")
    assert len(out.strip()) >= 43
