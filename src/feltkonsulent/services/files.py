"""Files the app writes for the user (exports, agreement PDFs): whole or not at all."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, BinaryIO


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename it over
    `path`, so a crash leaves the old file or the new one, never half of one."""
    path = Path(path).resolve()
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # POSIX: the rename itself survives a power cut once synced
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def write_bytes(path: Path, data: bytes) -> None:
    write_atomically(path, lambda out: out.write(data))


def write_text(path: Path, write: Callable[[IO[str]], object]) -> None:
    """The same for text (UTF-8, newlines as written)."""

    def encoded(raw: BinaryIO) -> None:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        write(text)
        text.flush()
        text.detach()  # the binary file stays open for the fsync

    write_atomically(path, encoded)
