"""Key material for SQLCipher: a raw 256-bit key (from the keyring) or a passphrase, derived once."""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

KEY_BYTES = 32
SALT_BYTES = 16
# OWASP's 2023 figure for PBKDF2-HMAC-SHA256. Derived once per process and database (see
# `derive`), so the cost is paid at unlock, not at every connection.
PBKDF2_ITERATIONS = 600_000


@dataclass(frozen=True, repr=False)
class RawKey:
    """A random 256-bit key, as kept in the OS keyring."""

    key: bytes

    def __post_init__(self) -> None:
        if len(self.key) != KEY_BYTES:
            raise ValueError("a raw database key is 32 bytes")

    @classmethod
    def generate(cls) -> RawKey:
        return cls(os.urandom(KEY_BYTES))

    def __repr__(self) -> str:
        return "RawKey(…)"


@dataclass(frozen=True, repr=False)
class Passphrase:
    """A passphrase typed by the user or given in FELTKONSULENT_PASSPHRASE."""

    text: str

    def __repr__(self) -> str:
        return "Passphrase(…)"


KeyMaterial = RawKey | Passphrase

_derived: dict[tuple[bytes, bytes], bytes] = {}
_derived_lock = threading.Lock()


def derive(passphrase: Passphrase, salt: bytes) -> bytes:
    """PBKDF2-HMAC-SHA256 of the passphrase with the database's salt, memoised for the process."""
    fingerprint = hashlib.sha256(passphrase.text.encode("utf-8")).digest()
    with _derived_lock:
        cached = _derived.get((salt, fingerprint))
        if cached is None:
            cached = hashlib.pbkdf2_hmac(
                "sha256", passphrase.text.encode("utf-8"), salt, PBKDF2_ITERATIONS, KEY_BYTES
            )
            _derived[(salt, fingerprint)] = cached
    return cached


def file_salt(path: Path) -> bytes | None:
    """SQLCipher keeps the salt in the first 16 bytes of the file; None for a new file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SALT_BYTES)
    except FileNotFoundError:
        return None
    return head if len(head) == SALT_BYTES else None


def pragma_key(material: KeyMaterial, salt: bytes) -> str:
    """The `PRAGMA key` value: raw key plus explicit salt, so SQLCipher runs no KDF of its own."""
    raw = material.key if isinstance(material, RawKey) else derive(material, salt)
    return f"\"x'{raw.hex()}{salt.hex()}'\""
