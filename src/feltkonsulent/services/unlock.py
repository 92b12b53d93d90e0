"""Unlocking the database: a random key in the OS keyring where there is one, else a passphrase."""

from __future__ import annotations

import getpass
import logging
from collections.abc import Callable
from pathlib import Path

import keyring
from keyring.errors import KeyringError

from feltkonsulent.storage.database import (
    Clock,
    NoDatabase,
    Store,
    WrongKey,
    open_database,
    system_clock,
)
from feltkonsulent.storage.keys import KeyMaterial, Passphrase, RawKey

KEYRING_SERVICE = "feltkonsulent"
MIN_PASSPHRASE_LENGTH = 8

log = logging.getLogger(__name__)

# Asked when no key is in the keyring: `new` is True when the database is being created (so the
# caller should ask twice). Returns the passphrase, or None when the user gives up.
PassphrasePrompt = Callable[[bool], str | None]


class UnlockError(Exception):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


def os_user() -> str:
    """Who is logged in to the computer: the actor of the audit log and of issued agreements."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _account(path: Path) -> str:
    return str(path.resolve())


def keyring_available() -> bool:
    """True when the OS has a working keyring (not the 'fail' or an empty chained backend)."""
    try:
        backend = keyring.get_keyring()
        if getattr(backend, "priority", 0) <= 0:
            return False
        backend.get_password(KEYRING_SERVICE, "__probe__")
    except (KeyringError, RuntimeError) as error:
        log.info("no usable keyring: %s", type(error).__name__)
        return False
    return True


def key_from_keyring(path: Path) -> RawKey | None:
    if not keyring_available():
        return None
    stored = keyring.get_password(KEYRING_SERVICE, _account(path))
    return RawKey(bytes.fromhex(stored)) if stored else None


def save_key_in_keyring(path: Path, key: RawKey) -> None:
    keyring.set_password(KEYRING_SERVICE, _account(path), key.key.hex())


def check_new_passphrase(text: str) -> None:
    if len(text) < MIN_PASSPHRASE_LENGTH:
        raise UnlockError("passphrase_too_short")


def unlock(
    path: Path,
    *,
    passphrase: str | None,
    prompt: PassphrasePrompt | None = None,
    create: bool = False,
    clock: Clock = system_clock,
    actor: str = "system",
) -> Store:
    """Open the database at `path`. A passphrase given by the caller (FELTKONSULENT_PASSPHRASE)
    wins for a new database; an existing one is tried with the keyring's key first."""
    is_new = not path.exists() or path.stat().st_size == 0
    if is_new:
        if not create:
            raise NoDatabase(path)
        material = _new_key(passphrase, prompt)
        if isinstance(material, RawKey):
            # Into the keyring before the file exists: a key lost after creation loses the data.
            save_key_in_keyring(path, material)
        return open_database(path, material, create=True, clock=clock, actor=actor)
    stored = key_from_keyring(path)
    if stored is not None:
        try:
            return open_database(path, stored, clock=clock, actor=actor)
        except WrongKey:
            log.info("the keyring's key does not open this database; asking for a passphrase")
    if passphrase is None and prompt is not None:
        passphrase = prompt(False)
    if passphrase is None:
        raise UnlockError("passphrase_needed")
    return open_database(path, Passphrase(passphrase), clock=clock, actor=actor)


def _new_key(passphrase: str | None, prompt: PassphrasePrompt | None) -> KeyMaterial:
    if passphrase is not None:
        check_new_passphrase(passphrase)
        return Passphrase(passphrase)
    if keyring_available():
        return RawKey.generate()
    typed = prompt(True) if prompt else None
    if typed is None:
        raise UnlockError("passphrase_needed")
    check_new_passphrase(typed)
    return Passphrase(typed)
