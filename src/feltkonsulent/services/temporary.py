"""Temporary files of exports and agreement PDFs: named so they can be recognised, removed on any
exit a process can see, and listed in a small journal so the next start of the app or of any
command removes those a killed process (SIGKILL, a power cut) left behind — only those.

A temporary file is `.feltkonsulent-<purpose>-<token>.tmp` (mode 0600) in the target's folder.
Before it is made, an entry `<token>.entry` holding its full path is made in the journal folder
(services/paths.py `temporary_journal`, mode 0700) and locked for as long as the file is written.
A sweep takes each entry whose lock it can get (its process has ended: the OS drops a dead
process's locks), deletes the file the entry names if that file's name is the one this module
gives, with the entry's token, and then deletes the entry. Nothing else is ever deleted."""

from __future__ import annotations

import logging
import os
import re
import secrets
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from feltkonsulent.services import paths

log = logging.getLogger(__name__)

PREFIX = ".feltkonsulent-"
SUFFIX = ".tmp"
_TOKEN = re.compile(r"[0-9a-f]{32}")
_PURPOSE = re.compile(r"[a-z]{1,20}")
_ENTRY = re.compile(r"(?P<token>[0-9a-f]{32})\.entry")
# An entry found empty was being made when its process ended (or is being made this instant, by a
# process that has not yet locked it): left for an hour before it is taken for an abandoned one.
EMPTY_ENTRY_AGE_S = 3600


def temporary_name(purpose: str, token: str) -> str:
    return f"{PREFIX}{purpose}-{token}{SUFFIX}"


def _is_ours(path: Path, token: str) -> bool:
    """True for a name this module gives, with this token: a journal entry edited by hand can
    make a sweep delete nothing but such a file."""
    name = path.name
    if not (path.is_absolute() and name.startswith(PREFIX) and name.endswith(SUFFIX)):
        return False
    purpose, _, found = name[len(PREFIX):-len(SUFFIX)].rpartition("-")
    return bool(_PURPOSE.fullmatch(purpose)) and found == token


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int, wait: bool) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
else:
    import fcntl

    def _lock(fd: int, wait: bool) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


def _open_entry(token: str, target: Path) -> tuple[int, Path] | None:
    """The locked journal entry for `target`; None (and a warning in the log) where the journal
    cannot be written: the file is still written, and still removed on any exit but a kill."""
    folder = paths.temporary_journal()
    entry = folder / f"{token}.entry"
    try:
        paths.make_private_folder(folder)
        fd = os.open(entry, os.O_CREAT | os.O_EXCL | os.O_RDWR | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as error:
        log.warning("no journal of temporary files (%s): %s", folder, error.strerror or error)
        return None
    try:
        _lock(fd, wait=True)
        os.write(fd, os.fsencode(str(target)))
    except BaseException:
        os.close(fd)
        entry.unlink(missing_ok=True)
        raise
    return fd, entry


def _close_entry(opened: tuple[int, Path] | None) -> None:
    if opened is not None:
        fd, entry = opened
        os.close(fd)  # the lock goes with it; the file it named is gone by now
        entry.unlink(missing_ok=True)


@contextmanager
def temporary_file(folder: Path, purpose: str) -> Iterator[tuple[int, Path]]:
    """A new, empty temporary file in `folder` (mode 0600), open for writing: yields its
    descriptor (the caller closes it) and its path. On leaving, by any exception too, the file is
    removed if it is still there (a caller that keeps it renames it first)."""
    assert _PURPOSE.fullmatch(purpose), purpose
    folder = Path(folder).resolve()
    token = secrets.token_hex(16)
    path = folder / temporary_name(purpose, token)
    entry = _open_entry(token, path)
    try:
        flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags, 0o600)
        try:
            yield fd, path
        finally:
            path.unlink(missing_ok=True)
    finally:
        _close_entry(entry)


def sweep() -> list[Path]:
    """Delete the temporary files that ended processes left, as their journal entries name
    them, and those entries; return the files deleted. Never raises for a file it cannot read or
    delete (that one is tried again at the next start)."""
    folder = paths.temporary_journal()
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []  # no journal: nothing was ever left
    removed: list[Path] = []
    for name in names:
        match = _ENTRY.fullmatch(name)
        if match is not None:
            target = _sweep_entry(folder / name, match["token"])
            if target is not None:
                removed.append(target)
    return removed


def _sweep_entry(entry: Path, token: str) -> Path | None:
    try:
        fd = os.open(entry, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError:
        return None  # finished and removed since the folder was read
    try:
        if not _lock(fd, wait=False):
            return None  # its process is still writing the file
        text = os.read(fd, 64 * 1024)
        age = time.time() - os.fstat(fd).st_mtime
    except OSError:
        os.close(fd)
        return None
    os.close(fd)
    if not text and age < EMPTY_ENTRY_AGE_S:
        return None
    target = Path(os.fsdecode(text))
    deleted: Path | None = None
    if text and _is_ours(target, token):
        try:
            if target.is_file() and not target.is_symlink():
                target.unlink()
                deleted = target
        except FileNotFoundError:
            pass  # another start swept it this instant
        except OSError as error:
            log.warning("a temporary file left by an ended process could not be removed: %s",
                        error.strerror or error)
            return None  # the entry stays: the next start tries again
    entry.unlink(missing_ok=True)
    if deleted is not None:
        log.info("removed a temporary file an ended process left: %s", deleted)
    return deleted
