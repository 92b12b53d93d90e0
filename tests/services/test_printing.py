"""Agreements printed as vector PDFs: several joined as they are, and handed to CUPS' `lp`."""

from __future__ import annotations

import io
import os
import stat
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from feltkonsulent.services import agreements, printing, profile
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from tests import factories

TODAY = date(2026, 11, 22)


def drafts(ws: Workspace, n: int) -> list[bytes]:
    profile.update(ws, municipality="Vejle Kommune", consultant="Mette Kjær")
    pdfs = []
    for i in range(n):
        company, citizen = factories.company(name=f"Bageri {i}"), factories.citizen(name=f"Borger {i}")
        placement = factories.placement(citizen.id, company.id, start_date=date(2026, 12, 1),
                                        end_date=date(2026, 12, 20))
        ws.register_placement(PlacementRegistration(company, citizen, placement))
        pdfs.append(agreements.prepare(ws, placement.id, "da", TODAY).pdf)
    return pdfs


def test_agreements_are_joined_page_for_page_with_their_text(workspace: Workspace) -> None:
    pdfs = drafts(workspace, 3)
    each = [len(PdfReader(io.BytesIO(p)).pages) for p in pdfs]
    joined = PdfReader(io.BytesIO(printing.combined(pdfs)))
    assert len(joined.pages) == sum(each)
    first_pages = [0, each[0], each[0] + each[1]]
    for n, page in enumerate(first_pages):
        assert f"Borger {n}" in joined.pages[page].extract_text()
    assert printing.combined(pdfs[:1]) == pdfs[0]  # one agreement: its own file, unchanged


@pytest.fixture
def lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CUPS' `lp` at the edge: a script on PATH that keeps its arguments and the file sent."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "lp"
    script.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/args\nfor last; do :; done\n'
                      f'cp "$last" {tmp_path}/spooled.pdf\n'
                      '[ "$2" = "Forkert" ] && '
                      '{ echo "lp: The printer or class does not exist." >&2; exit 1; }\n'
                      'exit 0\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return tmp_path


def test_a_pdf_is_handed_to_cups_with_the_copies_and_sides_chosen(
    workspace: Workspace, lp: Path
) -> None:
    pdf = printing.combined(drafts(workspace, 2))
    assert printing.spooler() == str(lp / "bin" / "lp")
    printing.spool(pdf, "Kontor", 2, duplex="two-sided-long-edge")
    args = (lp / "args").read_text().split()
    assert args[:6] == ["-d", "Kontor", "-n", "2", "-t", "Feltkonsulent"]
    assert args[6:9] == ["-o", "sides=two-sided-long-edge", "--"]
    assert (lp / "spooled.pdf").read_bytes() == pdf
    assert not Path(args[-1]).exists()  # the temporary copy is gone once lp has it


def test_cups_refusing_says_why(workspace: Workspace, lp: Path) -> None:
    with pytest.raises(OSError, match="printer or class does not exist"):
        printing.spool(b"%PDF-1.4", "Forkert")
