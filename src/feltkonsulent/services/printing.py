"""Agreements printed as the vector PDFs they are: one file of several agreements' own pages, and
that file handed to the print spooler (CUPS' `lp`) where there is one, so the printer gets text
and lines, not a page-sized picture of each page."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from feltkonsulent.services.temporary import temporary_file

LP_TIMEOUT_S = 120


def combined(pdfs: Sequence[bytes]) -> bytes:
    """One PDF of every page of `pdfs`, in order, as they are (text stays text): the pages of the
    very files whose SHA-256 was recorded when each agreement was issued."""
    from pypdf import PdfReader, PdfWriter  # imported when printing, not at the app's start

    if len(pdfs) == 1:
        return pdfs[0]
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def spooler() -> str | None:
    """The path of CUPS' `lp` command, None where there is none (Windows, a Linux without CUPS'
    client): then pages are drawn on the printer instead."""
    return shutil.which("lp")


def spool(pdf: bytes, queue: str, copies: int = 1, *, duplex: str | None = None,
          job_name: str = "Feltkonsulent") -> None:
    """Hand `pdf` to CUPS' queue `queue` (`lp -d QUEUE -n COPIES`); CUPS renders it at the
    printer's own resolution. Raises OSError with lp's own message when it refuses."""
    lp = spooler()
    if lp is None:
        raise OSError("lp is not installed")
    # The copy for lp is journalled like an export's (services/temporary.py): it holds the
    # agreements, so a process killed while lp reads it must not leave it in the temp folder.
    with temporary_file(Path(tempfile.gettempdir()), "print") as (fd, name):
        with os.fdopen(fd, "wb") as out:
            out.write(pdf)
        command = [lp, "-d", queue, "-n", str(max(1, copies)), "-t", job_name]
        if duplex:
            command += ["-o", f"sides={duplex}"]
        # lp has sent the file to the spooler when it returns: the temporary copy can go then.
        try:
            done = subprocess.run([*command, "--", str(name)], capture_output=True, text=True,
                                  timeout=LP_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as error:
            raise OSError(f"lp did not answer in {LP_TIMEOUT_S} s") from error
        if done.returncode != 0:
            raise OSError(done.stderr.strip() or f"lp stopped with status {done.returncode}")
