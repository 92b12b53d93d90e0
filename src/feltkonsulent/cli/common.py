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


@contextmanager
def workspace(path: Path, *, create: bool = False) -> Iterator[Workspace]:
    store = open_store(path, create=create)
    try:
        yield Workspace(store)
    finally:
        store.close()

