"""Unlocking: a random key in the OS keyring, else a passphrase; a wrong one changes nothing.
The OS keyring is the edge of the world here: an in-memory backend stands in for it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from feltkonsulent.services import unlock as unlocking
from feltkonsulent.storage import keys
from feltkonsulent.storage.database import WrongKey


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture
def os_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_a_new_database_gets_a_random_key_kept_in_the_keyring(
    db_path: Path, os_keyring: MemoryKeyring
) -> None:
    store = unlocking.unlock(db_path, passphrase=None, create=True)
    store.close()
    (secret,) = os_keyring.secrets.values()
    assert len(bytes.fromhex(secret)) == 32
    again = unlocking.unlock(db_path, passphrase=None)  # silently, from the keyring
    assert again.device_id == store.device_id
    again.close()


def test_without_a_keyring_the_passphrase_is_needed(db_path: Path, no_keyring: None) -> None:
    assert not unlocking.keyring_available()
    with pytest.raises(unlocking.UnlockError) as caught:
        unlocking.unlock(db_path, passphrase=None, create=True)
    assert caught.value.code == "passphrase_needed"
    with pytest.raises(unlocking.UnlockError) as short:
        unlocking.unlock(db_path, passphrase="kort", create=True)
    assert short.value.code == "passphrase_too_short"
    assert not db_path.exists()
    unlocking.unlock(db_path, passphrase="Sommerfugl-Vejle-42", create=True).close()
    unlocking.unlock(db_path, passphrase="Sommerfugl-Vejle-42").close()


def test_a_prompt_is_asked_when_no_passphrase_is_given(db_path: Path, no_keyring: None) -> None:
    asked: list[bool] = []

    def prompt(new: bool) -> str:
        asked.append(new)
        return "Sommerfugl-Vejle-42"

    unlocking.unlock(db_path, passphrase=None, prompt=prompt, create=True).close()
    unlocking.unlock(db_path, passphrase=None, prompt=prompt).close()
    assert asked == [True, False]


def test_a_wrong_passphrase_is_a_clear_error_and_writes_nothing(db_path: Path, no_keyring: None) -> None:
    unlocking.unlock(db_path, passphrase="Sommerfugl-Vejle-42", create=True).close()
    before = snapshot(db_path.parent)
    with pytest.raises(WrongKey) as caught:
        unlocking.unlock(db_path, passphrase="Sommerfugl-Vejle-43")
    assert caught.value.code == "wrong_key"
    assert snapshot(db_path.parent) == before


def test_a_keyring_key_that_no_longer_fits_falls_back_to_the_passphrase(
    db_path: Path, os_keyring: MemoryKeyring
) -> None:
    unlocking.unlock(db_path, passphrase="Sommerfugl-Vejle-42", create=True).close()
    unlocking.save_key_in_keyring(db_path, keys.RawKey.generate())
    unlocking.unlock(db_path, passphrase="Sommerfugl-Vejle-42").close()
    with pytest.raises(unlocking.UnlockError):
        unlocking.unlock(db_path, passphrase=None)


def test_the_passphrase_is_derived_once_per_process() -> None:
    salt = b"\x01" * 16
    first = keys.derive(keys.Passphrase("Sommerfugl-Vejle-42"), salt)
    assert keys.derive(keys.Passphrase("Sommerfugl-Vejle-42"), salt) is first
    assert keys.derive(keys.Passphrase("Sommerfugl-Vejle-43"), salt) != first
    assert keys.derive(keys.Passphrase("Sommerfugl-Vejle-42"), b"\x02" * 16) != first


def test_key_material_never_shows_in_a_repr() -> None:
    assert "Sommerfugl" not in repr(keys.Passphrase("Sommerfugl-Vejle-42"))
    raw = keys.RawKey.generate()
    assert raw.key.hex() not in repr(raw)
