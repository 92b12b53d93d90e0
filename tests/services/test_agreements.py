"""Issuing agreements: versions, the PDF's SHA-256, signing, what is still unsigned, and files
written whole or not at all."""

from __future__ import annotations

import dataclasses
import hashlib
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.services import agreements, files, profile, transfer
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


def _qr_form(pdf: bytes) -> bytes:
    """The QR code's form XObject (the drawn code) of a PDF."""
    reader = PdfReader(io.BytesIO(pdf))
    xobjects = reader.pages[0]["/Resources"]["/XObject"]
    (form,) = [x.get_object() for name, x in xobjects.items() if "QR" in name]
    data: bytes = form.get_data()
    return data


def test_each_issue_is_the_next_version_with_the_pdfs_sha256(workspace: Workspace) -> None:
    r = registered(workspace)
    first, pdf = agreements.issue(workspace, r.placement.id, "da", TODAY, "mette")
    assert (first.version, first.language, first.issued_by) == (1, "da", "mette")
    assert first.sha256 == hashlib.sha256(pdf).hexdigest()
    assert first.content_sha256 is not None and len(first.content_sha256) == 64
    assert first.issued_at.startswith("2026-11-22T")
    assert "Bageriet Ørsted ApS" in text_of(pdf)
    changed = dataclasses.replace(r.placement, work_tasks="Kasse og opfyldning")
    workspace.save(changed)
    second, english = agreements.issue(workspace, r.placement.id, "en", TODAY, "mette")
    assert second.version == 2 and english != pdf and second.content_sha256 != first.content_sha256
    assert [a.version for a in workspace.repos.agreements.for_placement(r.placement.id)] == [1, 2]


def test_one_version_for_both_languages_until_the_content_changes(workspace: Workspace) -> None:
    r = registered(workspace)
    danish, da_pdf = agreements.issue(workspace, r.placement.id, "da", TODAY, "mette")
    # Another day, another language, the full CPR number: the same content, the same version.
    english, en_pdf = agreements.issue(workspace, r.placement.id, "en", date(2026, 11, 25), "ali",
                                       include_cpr=True)
    assert (danish.version, english.version) == (1, 1)
    assert english.content_sha256 == danish.content_sha256 and english.sha256 != danish.sha256
    assert "Version 1" in text_of(da_pdf) and "Version 1" in text_of(en_pdf)
    # The QR code names the placement and the version: the same for both copies.
    assert _qr_form(da_pdf) == _qr_form(en_pdf)
    assert agreements.prepare(workspace, r.placement.id, "en", TODAY).version == 1
    again, _pdf = agreements.issue(workspace, r.placement.id, "da", TODAY, "mette")
    assert again.id == danish.id  # the same PDF again: the row already recorded
    assert workspace.repos.agreements.count() == 2
    # Signing the version signs both copies; a copy issued later carries the date over.
    agreements.mark_signed(workspace, english.id, date(2026, 11, 26))
    assert {a.signed_on for a in workspace.repos.agreements.where()} == {date(2026, 11, 26)}
    assert agreements.unsigned(workspace, TODAY) == []
    # The profile is part of what the agreement says: a new consultant is a new version.
    profile.update(workspace, municipality="Aarhus Kommune", consultant="Sara Holm")
    newer, pdf = agreements.issue(workspace, r.placement.id, "da", TODAY, "mette")
    assert newer.version == 2 and "Aarhus Kommune" in text_of(pdf)
    assert [u.issued_version for u in agreements.unsigned(workspace, TODAY)] == [2]


def test_a_ratio_breach_blocks_the_agreement(workspace: Workspace) -> None:
    company = factories.company()
    placements = []
    for name, cpr in (("Amina Hassan", factories.GOOD_CPR), ("Yonas Tesfay", "0112901238")):
        citizen = factories.citizen(name=name, cpr=cpr)
        p = factories.placement(citizen.id, company.id, start_date=date(2026, 12, 1),
                                end_date=date(2026, 12, 20), weekly_hours=Decimal(37))
        workspace.register_placement(PlacementRegistration(company, citizen, p))
        placements.append(p)
    # Two full-time supported persons, and the count corrected to 3 employees: 1 allowed.
    workspace.save(dataclasses.replace(company, employee_count=Decimal(3)))
    with pytest.raises(ValidationError) as caught:
        agreements.prepare(workspace, placements[1].id, "da", TODAY)
    assert caught.value.codes == {"ratio_breach"}
    with pytest.raises(ValidationError):
        agreements.issue(workspace, placements[1].id, "en", TODAY, "mette")
    assert workspace.repos.agreements.count() == 0


def test_the_internal_note_holds_the_reasons_and_is_not_a_version(workspace: Workspace) -> None:
    from feltkonsulent.domain.entities import RuleOverride

    r = registered(workspace)
    workspace.save(workspace.new(RuleOverride, placement_id=r.placement.id,
                                 code="hours_above_full_time", reason="Højsæson, afspadseres.",
                                 decided_on=TODAY))
    _agreement, pdf = agreements.issue(workspace, r.placement.id, "da", TODAY, "mette")
    assert "Højsæson" not in text_of(pdf)
    note = agreements.internal_note(workspace, r.placement.id, "da", TODAY)
    assert "Højsæson, afspadseres." in text_of(note)
    assert "Intern note: regler, der er fraveget, og begrundelser" in text_of(note)
    assert workspace.repos.agreements.count() == 1


def test_a_draft_is_not_recorded_and_an_outdated_one_is_refused(workspace: Workspace) -> None:
    r = registered(workspace)
    draft = agreements.prepare(workspace, r.placement.id, "da", TODAY)
    assert draft.version == 1 and workspace.repos.agreements.count() == 0
    assert agreements.prepare(workspace, r.placement.id, "da", TODAY).pdf == draft.pdf  # the same bytes
    agreements.issue(workspace, r.placement.id, "da", TODAY, "ali")
    workspace.save(dataclasses.replace(r.placement, work_tasks="Noget andet"))
    agreements.issue(workspace, r.placement.id, "da", TODAY, "ali")  # version 2, new content
    with pytest.raises(ValidationError) as caught:
        agreements.record(workspace, draft, "mette")  # version 2 was issued meanwhile
    assert [e.code for e in caught.value.errors] == ["agreement_outdated"]
    assert workspace.repos.agreements.count() == 2


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
    workspace.save(dataclasses.replace(r.placement, working_hours="Mandag-onsdag 8-12"))
    agreements.issue(workspace, r.placement.id, "da", TODAY, "mette")  # a new version: unsigned again
    assert [u.issued_version for u in agreements.unsigned(workspace, TODAY)] == [2]
    ended = dataclasses.replace(workspace.repos.placements.require(r.placement.id),
                                end_date=date(2026, 11, 21), start_date=date(2026, 11, 2))
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
