"""Every command that takes a database, an output file or an id, given a bad one: exit 1 (2 for a
usage error), exactly one line on stderr, no traceback, nothing on stdout, and not a file made,
changed or left behind (DESIGN.md: "a command that fails exits non-zero with a one-line reason on
stderr and changes nothing")."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from feltkonsulent.cli import main

PASSPHRASE = "Sommerfugl-Vejle-42"
UNKNOWN = "0193a000-0000-7000-8000-000000000000"


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FELTKONSULENT_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FELTKONSULENT_TOKEN", raising=False)


class World:
    """A folder with a good database, its export, a token file, a folder and a file that is no
    database; `pid` is a placement of the good database."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.db = root / "good.db"
        assert main(["demo", "--db", str(self.db), "--records", "3", "--seed", "5"]) == 0
        self.export = root / "good.json"
        assert main(["export", "--db", str(self.db), "-o", str(self.export)]) == 0
        self.pid = json.loads(self.export.read_text())["placements"][0]["id"]
        self.token = root / "device.token"
        self.token.write_text("not-a-real-token\n")
        (root / "folder").mkdir()
        (root / "not-a-db.db").write_text("hello, I am no database\n")
        capsys.readouterr()

    def records(self, capsys: pytest.CaptureFixture[str]) -> str:
        assert main(["export", "--db", str(self.db)]) == 0
        return capsys.readouterr().out

    def files(self) -> dict[str, str]:
        """Every file under the folder (temporary files too) and its content's hash."""
        found = {}
        for path in sorted(self.root.rglob("*")):
            if path.is_file():
                found[str(path.relative_to(self.root))] = hashlib.sha256(
                    path.read_bytes()).hexdigest()
        return found


@pytest.fixture
def world(tmp_path: Path, capsys: pytest.CaptureFixture[str], own_data_dir: Path) -> World:
    return World(tmp_path, capsys)


# A command, given the database and the world, as its argument list.
Command = Callable[[str, World], list[str]]
COMMANDS: dict[str, Command] = {
    "export": lambda db, w: ["export", "--db", db],
    "export -o": lambda db, w: ["export", "--db", db, "--format", "csv", "-o",
                                str(w.root / "out.csv")],
    "import": lambda db, w: ["import", "--db", db, str(w.export)],
    "rules": lambda db, w: ["rules", "--db", db, "--format", "json"],
    "agreement": lambda db, w: ["agreement", "--db", db, w.pid, "-o", str(w.root / "a.pdf")],
    "agreement --internal-note": lambda db, w: ["agreement", "--db", db, w.pid, "--internal-note",
                                                "-o", str(w.root / "n.pdf")],
    "profile": lambda db, w: ["profile", "--db", db],
    "profile --municipality": lambda db, w: ["profile", "--db", db, "--municipality", "Vejle"],
    "sync": lambda db, w: ["sync", "--db", db, "--server", "http://127.0.0.1:9",
                           "--token-file", str(w.token)],
}
BAD_DATABASES: dict[str, tuple[Callable[[World], Path], str]] = {
    "a folder": (lambda w: w.root / "folder", "it is a folder, not a database"),
    "a missing folder": (lambda w: w.root / "nowhere" / "x.db", "no "),
    "no database": (lambda w: w.root / "not-a-db.db", "wrong passphrase or key, or not a "),
    "a wrong passphrase": (lambda w: w.db, "wrong passphrase or key, or not a "),
}


def one_line_failure(capsys: pytest.CaptureFixture[str], args: list[str], code: int = 1) -> str:
    try:
        got = main(args)
    except SystemExit as leaving:  # argparse's usage errors
        got = int(str(leaving.code))
    out, err = capsys.readouterr()
    assert (got, out) == (code, ""), err
    assert "Traceback" not in err and len(err.splitlines()) == 1 and err.endswith("\n"), err
    if code == 1:
        assert err.startswith(f"feltkonsulent {args[0]}: "), err
    else:  # the parser that found it: `feltkonsulent server run:`, `feltkonsulent:` for an
        assert err.startswith("feltkonsulent") and err.rstrip().endswith("--help)"), err  # option
    return err


@pytest.mark.parametrize("bad", BAD_DATABASES)
@pytest.mark.parametrize("command", COMMANDS)
def test_a_bad_database_is_one_line_and_changes_nothing(
        world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        command: str, bad: str) -> None:
    where, says = BAD_DATABASES[bad]
    if bad == "a wrong passphrase":
        monkeypatch.setenv("FELTKONSULENT_PASSPHRASE", "not-the-passphrase")
    before = world.files()
    err = one_line_failure(capsys, COMMANDS[command](str(where(world)), world))
    assert says in err
    assert world.files() == before


OUTPUTS: dict[str, tuple[Callable[[World], Path], str]] = {
    "a folder": (lambda w: w.root / "folder", "it is a folder"),
    "a missing folder": (lambda w: w.root / "nowhere" / "out", "no folder "),
    "a file for a folder": (lambda w: w.root / "not-a-db.db" / "out", "no folder "),
    "a folder one may not write in": (lambda w: Path("/proc/feltkonsulent-out"), "cannot write "),
}
WRITERS: dict[str, Callable[[World, Path], list[str]]] = {
    "export": lambda w, out: ["export", "--db", str(w.db), "-o", str(out)],
    "agreement": lambda w, out: ["agreement", "--db", str(w.db), w.pid, "-o", str(out)],
    "agreement --internal-note": lambda w, out: ["agreement", "--db", str(w.db), w.pid,
                                                 "--internal-note", "-o", str(out)],
}


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="/proc is Linux's")
@pytest.mark.parametrize("bad", OUTPUTS)
@pytest.mark.parametrize("command", WRITERS)
def test_a_bad_output_is_one_line_and_writes_nothing(
        world: World, capsys: pytest.CaptureFixture[str], command: str, bad: str) -> None:
    where, says = OUTPUTS[bad]
    records = world.records(capsys)  # (an export is audited: read it before the files)
    before = world.files()
    err = one_line_failure(capsys, WRITERS[command](world, where(world)))
    assert says in err
    if bad == "a folder one may not write in":
        # Found only when the file is written, after the agreement was made: its reads of the
        # placement and the citizen were reads all the same, and are in the audit log.
        before = {k: v for k, v in before.items() if k != "good.db"}
        assert {k: v for k, v in world.files().items() if k != "good.db"} == before
    else:
        assert world.files() == before
    assert world.records(capsys) == records  # no agreement version recorded


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="permissions are POSIX's, and root may write anywhere")
@pytest.mark.parametrize("command", WRITERS)
def test_a_folder_without_write_permission_is_one_line(
        world: World, capsys: pytest.CaptureFixture[str], command: str) -> None:
    shut = world.root / "shut"
    shut.mkdir(mode=0o555)
    before = world.files()
    err = one_line_failure(capsys, WRITERS[command](world, shut / "out"))
    assert "may not be written in" in err
    assert world.files() == before and list(shut.iterdir()) == []


@pytest.mark.parametrize("placement_id", ["nope", "../../etc/passwd", "", "0193A000-0000-7000-"
                                          "8000-000000000000", "a\nb", UNKNOWN])
@pytest.mark.parametrize("note", [False, True], ids=["agreement", "internal-note"])
def test_a_bad_placement_id_is_one_line_and_writes_nothing(
        world: World, capsys: pytest.CaptureFixture[str], placement_id: str, note: bool) -> None:
    before = world.files()
    args = ["agreement", "--db", str(world.db), placement_id, "-o", str(world.root / "a.pdf")]
    err = one_line_failure(capsys, args + (["--internal-note"] if note else []))
    expected = f"no placement {UNKNOWN}" if placement_id == UNKNOWN else "is not a placement id"
    assert expected in err
    assert world.files() == before


@pytest.mark.parametrize("args", [
    ["agreement", "--db", "x.db", UNKNOWN],  # no -o
    ["export", "--format", "xml"],
    ["demo", "--records", "0"],
    ["rules", "--format", "yaml"],
    ["sync", "--db", "x.db"],  # no --server
    ["profile", "--no-such-option"],
    ["server", "run"],
    ["nonsense"],
], ids=lambda a: " ".join(a))
def test_a_usage_error_is_one_line_with_status_2(
        world: World, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    before = world.files()
    if args == ["nonsense"]:
        with pytest.raises(SystemExit) as leaving:
            main(args)
        err = capsys.readouterr().err
        assert leaving.value.code == 2 and len(err.splitlines()) == 1
        assert err.startswith("feltkonsulent: argument COMMAND: invalid choice: 'nonsense'")
    else:
        one_line_failure(capsys, args, code=2)
    assert world.files() == before
