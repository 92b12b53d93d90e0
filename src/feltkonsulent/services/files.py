"""Files the app writes for the user (exports, agreement PDFs): whole or not at all, and no
temporary copy left behind (services/temporary.py)."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, BinaryIO

from feltkonsulent.services.temporary import temporary_file


def write_atomically(path: Path, write: Callable[[BinaryIO], object], purpose: str = "file") -> None:
    """Write to a temporary file in the same folder (`.feltkonsulent-<purpose>-….tmp`, 0600),
    flush it to disk, then rename it over `path`, so a crash leaves the old file or the new one,
    never half of one; the temporary file is removed on any exit, or at the next start."""
    path = Path(path).resolve()
    with temporary_file(path.parent, purpose) as (handle, temporary):
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    if hasattr(os, "O_DIRECTORY"):  # POSIX: the rename itself survives a power cut once synced
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def write_bytes(path: Path, data: bytes, purpose: str = "file") -> None:
    write_atomically(path, lambda out: out.write(data), purpose)


def write_text(path: Path, write: Callable[[IO[str]], object], purpose: str = "file") -> None:
    """The same for text (UTF-8, newlines as written)."""

    def encoded(raw: BinaryIO) -> None:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        write(text)
        text.flush()
        text.detach()  # the binary file stays open for the fsync

    write_atomically(path, encoded, purpose)
