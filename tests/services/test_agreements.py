"""Issuing agreements: versions, the PDF's SHA-256, signing, what is still unsigned, and files
written whole or not at all."""

from __future__ import annotations

import dataclasses
import hashlib
import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.services import agreements, files, transfer
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from tests import factories

TODAY = date(2026, 11, 22)


def registered(ws: Workspace) -> PlacementRegistration:
    company = factories.company()
    contact = factories.contact(company.id)
    citizen = factories.citizen()
    placement = factories.placement(citizen.id, company.id, contact_id=contact.id,
                                    start_date=date(2026, 12, 1), end_date=date(2026, 12, 20))
    r = PlacementRegistration(company, citizen, placement, contact,
                              support=[factories.support(placement.id)])
    ws.register_placement(r)
    return r


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_each_issue_is_the_next_version_with_the_pdfs_sha256(workspace: Workspace) -> None:
    r = registered(workspace)
    first, pdf = agreements.issue(workspace, r.placement.id, "da", TODAY, "mette")
    assert (first.version, first.language, first.issued_by) == (1, "da", "mette")
    assert first.sha256 == hashlib.sha256(pdf).hexdigest()
    assert first.issued_at.startswith("2026-11-22T")
    assert "Bageriet Ørsted ApS" in text_of(pdf)
    second, english = agreements.issue(workspace, r.placement.id, "en", TODAY, "mette")
    assert second.version == 2 and english != pdf
    assert [a.version for a in workspace.repos.agreements.for_placement(r.placement.id)] == [1, 2]


def test_a_draft_is_not_recorded_and_an_outdated_one_is_refused(workspace: Workspace) -> None:
    r = registered(workspace)
    draft = agreements.prepare(workspace, r.placement.id, "da", TODAY)
    assert draft.version == 1 and workspace.repos.agreements.count() == 0
    assert agreements.prepare(workspace, r.placement.id, "da", TODAY).pdf == draft.pdf  # the same bytes
    agreements.issue(workspace, r.placement.id, "da", TODAY, "ali")
    with pytest.raises(ValidationError) as caught:
        agreements.record(workspace, draft, "mette")  # version 1 was issued meanwhile
    assert [e.code for e in caught.value.errors] == ["agreement_outdated"]
    assert workspace.repos.agreements.count() == 1


def test_an_unknown_language_is_refused(workspace: Workspace) -> None:
    r = registered(workspace)
    with pytest.raises(ValidationError):
        agreements.prepare(workspace, r.placement.id, "de", TODAY)


def test_unsigned_placements_until_the_latest_agreement_is_signed(workspace: Workspace) -> None:
    r = registered(workspace)
    (row,) = agreements.unsigned(workspace, TODAY)
    assert (row.placement_id, row.issued_version) == (r.placement.id, None)
    assert row.citizen_name == r.citizen.name
    issued, _pdf = agreements.issue(workspace, r.placement.id, "da", TODAY, "mette")
    assert [u.issued_version for u in agreements.unsigned(workspace, TODAY)] == [1]
    signed = agreements.mark_signed(workspace, issued.id, date(2026, 11, 23))
    assert signed.signed_on == date(2026, 11, 23)
    assert agreements.unsigned(workspace, TODAY) == []
    agreements.issue(workspace, r.placement.id, "da", TODAY, "mette")  # a new version: unsigned again
    assert [u.issued_version for u in agreements.unsigned(workspace, TODAY)] == [2]
    ended = dataclasses.replace(r.placement, end_date=date(2026, 11, 21), start_date=date(2026, 11, 2))
    workspace.save(ended)
    assert agreements.unsigned(workspace, TODAY) == []  # over: nothing left to sign


def test_issued_agreements_are_exported_and_imported(workspace: Workspace, tmp_path: Path) -> None:
    r = registered(workspace)
    agreements.issue(workspace, r.placement.id, "da", TODAY, "mette")
    out = io.StringIO()
    transfer.write_json(workspace, out)
    assert '"agreements"' in out.getvalue() and r.placement.id in out.getvalue()


def test_a_file_is_written_whole_or_the_old_one_stays(tmp_path: Path) -> None:
    target = tmp_path / "aftale.pdf"
    files.write_bytes(target, b"old")

    def broken(out: object) -> None:
        out.write(b"half of a ")  # type: ignore[attr-defined]
        raise OSError("disk full")

    with pytest.raises(OSError):
        files.write_atomically(target, broken)  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["aftale.pdf"]  # no temporary file left
    files.write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
