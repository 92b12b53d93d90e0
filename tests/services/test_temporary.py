"""Temporary files of exports and agreements: a recognisable name, mode 0600, removed on any exit
of the writer, and swept from the journal at the next start — only those, nothing else."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from feltkonsulent.services import files, paths, temporary

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes and flock are POSIX")


def leftovers(folder: Path) -> list[Path]:
    return sorted(folder.glob(".feltkonsulent-*.tmp"))


def test_a_file_is_written_whole_and_leaves_no_temporary_file_nor_entry(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    files.write_text(target, lambda out: out.write("{}"), "export")
    assert target.read_text() == "{}"
    assert leftovers(tmp_path) == []
    assert list(paths.temporary_journal().iterdir()) == []


@posix_only
def test_while_it_is_written_the_temporary_file_is_named_journalled_and_owner_only(
        tmp_path: Path) -> None:
    seen: list[tuple[Path, int, list[str]]] = []

    def write(out: object) -> None:
        (found,) = leftovers(tmp_path)
        entries = [e.read_text() for e in paths.temporary_journal().iterdir()]
        seen.append((found, stat.S_IMODE(found.stat().st_mode), entries))

    files.write_text(tmp_path / "out.json", write, "export")
    (found, mode, entries), = seen
    assert found.name.startswith(".feltkonsulent-export-") and found.name.endswith(".tmp")
    assert mode == 0o600
    assert entries == [str(found)]
    assert stat.S_IMODE(paths.temporary_journal().stat().st_mode) == 0o700


def test_a_write_that_fails_removes_its_temporary_file_and_keeps_the_old_file(
        tmp_path: Path) -> None:
    target = tmp_path / "agreement.pdf"
    target.write_bytes(b"old")

    def fails(out: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        files.write_atomically(target, fails, "agreement")
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == [] and list(paths.temporary_journal().iterdir()) == []


def test_a_sweep_deletes_only_the_files_its_entries_name_with_our_name_and_token(
        tmp_path: Path) -> None:
    journal = paths.temporary_journal()
    journal.mkdir(parents=True)
    token, other = "a" * 32, "b" * 32
    left = tmp_path / temporary.temporary_name("export", token)
    left.write_text("CPR numbers")
    precious = tmp_path / "precious.txt"
    precious.write_text("keep")
    wrong_token = tmp_path / temporary.temporary_name("export", "c" * 32)
    wrong_token.write_text("keep")
    (journal / f"{token}.entry").write_text(str(left))
    (journal / f"{other}.entry").write_text(str(precious))  # edited by hand: not our name
    (journal / f"{'d' * 32}.entry").write_text(str(wrong_token))  # our name, another token
    (journal / "notes.txt").write_text(str(precious))  # not an entry at all
    assert temporary.sweep() == [left]
    assert not left.exists() and precious.read_text() == "keep" and wrong_token.exists()
    assert sorted(p.name for p in journal.iterdir()) == ["notes.txt"]
    assert temporary.sweep() == []


@posix_only
def test_a_sweep_leaves_the_file_of_a_process_still_writing_it(tmp_path: Path) -> None:
    """Another process (the app exporting while a command starts) holds its entry's lock."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from pathlib import Path\n"
         "from feltkonsulent.services.temporary import temporary_file\n"
         "with temporary_file(Path(sys.argv[1]), 'export') as (fd, path):\n"
         "    print(path, flush=True)\n"
         "    time.sleep(60)\n", str(tmp_path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        path = Path(holder.stdout.readline().strip())
        assert path.exists()
        assert temporary.sweep() == []
        assert path.exists()
    finally:
        holder.kill()
        holder.communicate(timeout=10)
    assert temporary.sweep() == [path]  # killed: its lock is gone, so the file is left over
    assert not path.exists()


def test_an_empty_entry_is_left_for_an_hour_then_dropped(tmp_path: Path) -> None:
    journal = paths.temporary_journal()
    journal.mkdir(parents=True)
    entry = journal / f"{'e' * 32}.entry"
    entry.write_bytes(b"")
    assert temporary.sweep() == [] and entry.exists()
    old = time.time() - temporary.EMPTY_ENTRY_AGE_S - 60
    os.utime(entry, (old, old))
    assert temporary.sweep() == [] and not entry.exists()


def test_without_a_journal_a_file_is_still_written_and_cleaned_up(
        tmp_path: Path, own_data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    own_data_dir.parent.mkdir(parents=True, exist_ok=True)
    own_data_dir.write_text("a file where the folder would be")
    target = tmp_path / "out.json"
    files.write_text(target, lambda out: out.write("[]"), "export")
    assert target.read_text() == "[]" and leftovers(tmp_path) == []
    assert "no journal of temporary files" in caplog.text
