"""What every subcommand shares: where the database is, unlocking it, and failing in one line."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from feltkonsulent.services.unlock import UnlockError, os_user, unlock
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.database import NoDatabase, Store, StoreError, WrongKey

from .messages import MESSAGES

PASSPHRASE_ENV = "FELTKONSULENT_PASSPHRASE"


class CommandError(Exception):
    """A failure the user can act on: printed as one line, exit status 1."""


def _prompt(new: bool) -> str | None:
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass("Passphrase for the new database: " if new else "Passphrase: ")
    if new and getpass.getpass("Type it again: ") != first:
        raise CommandError("the two passphrases differ")
    return first


def open_store(path: Path, *, create: bool = False) -> Store:
    if path.is_dir():
        raise CommandError(f"cannot open {path}: it is a folder, not a database")
    if create and not path.parent.is_dir():
        raise CommandError(f"no folder {path.parent} to make {path.name} in")
    try:
        return unlock(
            path,
            passphrase=os.environ.get(PASSPHRASE_ENV),
            prompt=_prompt,
            create=create,
            actor=os_user(),
        )
    except WrongKey:
        raise CommandError(f"cannot open {path}: {MESSAGES['wrong_key']}") from None
    except NoDatabase:
        raise CommandError(f"no database at {path}") from None
    except UnlockError as error:
        raise CommandError(f"cannot open {path}: {MESSAGES.get(error.code, error.code)}") from None
    except StoreError as error:
        raise CommandError(f"cannot open {path}: {error}") from None
    except OSError as error:  # unreadable, a folder in the way, a full disk
        raise CommandError(f"cannot open {path}: {reason(error)}") from None


def reason(error: OSError) -> str:
    """An OSError in words, without the path (the caller names it)."""
    return error.strerror.lower() if error.strerror else str(error)


def output_file(path: Path) -> Path:
    """`-o PATH` checked before any work is done: a file to be written (or replaced) in a folder
    that exists and may be written in."""
    if path.is_dir():
        raise CommandError(f"cannot write {path}: it is a folder")
    folder = path.parent
    if not folder.is_dir():
        raise CommandError(f"no folder {folder} to write {path.name} in")
    if not os.access(folder, os.W_OK):
        raise CommandError(f"cannot write {path}: the folder {folder} may not be written in")
    return path


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """A failure to write `path` (the disk full, permissions) in one line."""
    try:
        yield
    except OSError as error:
        raise CommandError(f"cannot write {path}: {reason(error)}; nothing was written") from None


@contextmanager
def workspace(path: Path, *, create: bool = False) -> Iterator[Workspace]:
    store = open_store(path, create=create)
    try:
        yield Workspace(store)
    finally:
        store.close()

