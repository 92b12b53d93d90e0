"""The agreement PDF read back with pypdf: the fields of each kind, Danish dates and amounts, the
signatures, the CPR rule, English, the override page, embedded fonts, metadata, the same bytes
for the same input, and the QR code read by zbarimg."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from feltkonsulent.documents import parse_qr_payload
from feltkonsulent.documents.pdf import render_agreement
from feltkonsulent.domain.enums import PlacementKind
from tests import factories
from tests.documents.conftest import FONTS, Records, flat, override, pages, records, text

COMMON = [
    "Aftale om", "Version 2 · Udstedt 1. december 2026", "Bageriet Ørsted ApS", "13585628",
    "1003388394", "Søndergade 12", "8000 Aarhus C", "Mette Kjær, Butikschef", "Ole Bager",
    "Amina Hassan", "Fødselsdato", "1. december 1990", "2. november 2026 til 20. december 2026",
    "7 uger", "22,5 timer om ugen", "Mandag-torsdag 8-13.30",
    "Bagning, opvask og opfyldning i butikken", "• Kan følge en arbejdsplan",
    "Kort fortalt – til borgeren", "Du starter den 2. november 2026.",
    "Bilag 2: Mentor", "12.345,50 kr.", "Bilag 3: Sprogmakker", "Lone Sørensen",
    "Underskrifter", "Virksomheden", "Borgeren", "Dato", "Underskrift", "Navn med blokbogstaver",
    # The municipality and the consultant, phone and e-mail each on its own line.
    "Kommunen", "Aarhus Kommune", "Virksomhedsservice", "Sara Holm\n41 85 20 11\nsaho@aarhus.dk",
    "Butikschef\n86 12 34 56\nmette@orsted-bageri.dk", "Din konsulent i kommunen er Sara Holm.",
    "Spørg kommunen, hvis du har spørgsmål.", "højst 12.345,50 kr., afregnes efter faktiske timer",
    "Sprogskole", "Underviser", "Kommunens opfølgning", "Arbejdsmiljø og instruktion",
    "Kontakt kommunen, hvis du vil klage", "databeskyttelsesforordningen",
]
# Where the municipality and the employee representative sign (not an IGU: the IGU act makes it
# an agreement between employer and employee).
SIGNERS = ["Medarbejderrepræsentanten", "Kommunen"]
BY_KIND = {
    PlacementKind.INTERNSHIP: [
        "Aftale om virksomhedspraktik", "Formål (BAB § 60)", "Opkvalificeringspraktik",
        "☒ Optræning af specifikke kompetencer", "kommunens egen erstatningsordning",
        "dækkes af kommunen", "tavshedspligt", "Rimelighedskravet (BAB § 65)",
        "Arbejdsgiverens initialer", "Medarbejderrepræsentantens initialer",
        "Borgerens seneste arbejdsgiver", ],
    PlacementKind.WAGE_SUBSIDY: [
        "Aftale om løntilskud", "Timeløn", "142,50 kr.", "Løntilskud pr. time", "85,20 kr.",
        "overenskomstens niveau", "(LAB § 78)", "Rimelighedskravet (BAB § 65)",
        "har afgivet skriftlig tilkendegivelse", "Merbeskæftigelse og statsstøtte",
        "Ordinært ansatte i seneste måned", "CVR-niveau", "afskedigelse", "lønomkostninger",
        ],
    PlacementKind.IGU: [
        "Aftale om integrationsgrunduddannelse (IGU)", "142,50 kr.", "Uddannelsesplan",
        "Sprogcenter Aarhus, DU2 modul 4", "23 skoleuger", "uddannelsesgodtgørelse",
        "Medarbejderen"],
    PlacementKind.HYBRID: [
        "Aftale om hybridpraktik", "Formål (BAB § 60)", "142,50 kr.", "Fra 23. november 2026",
        "8 timer om ugen", "Fra 7. december 2026", "12 timer om ugen", "hver deres opgaver",
        "Rimelighedskravet (BAB § 65)", "arbejdsgiverens forsikring", ],
    PlacementKind.ORDINARY_HOURS: [
        "Aftale om ordinære løntimer", "142,50 kr.", "Fra 23. november 2026", "trin for trin",
        ],
}


def render(r: Records, **options: Any) -> bytes:
    return render_agreement(r.agreement(**options), FONTS)


@pytest.mark.parametrize("kind", list(PlacementKind))
def test_each_kind_prints_its_fields_in_danish(kind: PlacementKind) -> None:
    pdf = render(records(kind))
    shown = text(pdf)
    missing = [f for f in COMMON + BY_KIND[kind] if f not in shown]
    assert missing == []
    count = len(pages(pdf))
    assert all(f"Side {n} af {count}" in page for n, page in enumerate(pages(pdf), start=1))
    if kind not in (PlacementKind.INTERNSHIP, PlacementKind.HYBRID):
        assert "BAB § 60" not in shown and "tavshedspligt" not in shown
    signing = shown[shown.index("Underskrifter"):]
    if kind is PlacementKind.IGU:  # signed by employer and employee only
        assert "Medarbejderen" in signing
        assert not any(party in signing for party in SIGNERS)
    else:
        assert all(party in signing for party in SIGNERS) and "Aarhus Kommune" in signing
    assert "obcent" not in shown and "Godkender" not in shown


def test_no_employee_representative_block_for_a_one_employee_company(internship: Records) -> None:
    alone = internship.replace(company=factories.company(employee_count=Decimal(1)),
                               representative=None)
    shown = text(render(alone, supported_at_workplace=Decimal(1)))
    assert "Medarbejderrepræsentant" not in shown
    assert "Virksomheden" in shown and "Borgeren" in shown


def test_the_full_cpr_number_is_printed_only_when_asked_for(internship: Records) -> None:
    plain = flat(text(render(internship)))
    assert "0112901238" not in plain and "011290-1238" not in plain
    assert flat("Fødselsdato 1. december 1990") in plain
    with_cpr = flat(text(render(internship, include_cpr=True)))
    assert "CPR-nummer011290-1238" in with_cpr


def test_the_english_agreement(internship: Records) -> None:
    pdf = render(internship, language="en")
    shown = text(pdf)
    for expected in ["Agreement on internship", "Version 2 · Issued 1 December 2026",
                     "In short, for the citizen", "You start on 2 November 2026.",
                     "Date of birth", "1 December 1990", "Signatures", "The company",
                     "The employee representative", "The citizen", "The municipality",
                     "Signature", "Insurance and confidentiality", "DKK 12,345.50",
                     "7 weeks", "Page 1 of"]:
        assert expected in shown, expected
    assert "Aftale" not in shown and "Underskrift" not in shown


def test_the_reasons_are_in_the_internal_note_and_never_in_the_signed_copy() -> None:
    from feltkonsulent.documents.pdf import render_note

    for kind in PlacementKind:
        r = records(kind)
        r = r.replace(overrides=(
            override(r.placement.id, "hours_above_full_time",
                     "Aftalt med virksomheden: 38 timer i højsæsonen.", date(2026, 10, 28)),))
        signed = text(render(r))
        assert "38 timer i højsæsonen" not in signed and "Begrundelse" not in signed
        assert "Intern note" not in signed
        note = render_note(r.note(), FONTS)
        shown = text(note)
        for expected in ["Intern note: regler, der er fraveget, og begrundelser",
                         "(hours_above_full_time)", "Besluttet den", "28. oktober 2026",
                         "Begrundelse", "Aftalt med virksomheden: 38 timer i højsæsonen.",
                         "ikke en del af den aftale", "Aarhus Kommune", "Sara Holm"]:
            assert expected in shown, expected
        assert "Underskrifter" not in shown and "FK1:" not in shown
        assert PdfReader(io.BytesIO(note)).metadata["/Title"] == (
            "Intern note: regler, der er fraveget, og begrundelser")


def _fonts(reader: PdfReader) -> list[DictionaryObject]:
    """Every font dictionary of every page and of the forms (XObjects) the pages use."""
    found: list[DictionaryObject] = []

    def walk(resources: Any) -> None:
        resources = resources.get_object() if isinstance(resources, IndirectObject) else resources
        if not resources:
            return
        for font in (resources.get("/Font") or {}).values():
            found.append(font.get_object())
        for xobject in (resources.get("/XObject") or {}).values():
            walk(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return found


def test_every_font_is_embedded_and_none_is_helvetica(internship: Records) -> None:
    reader = PdfReader(io.BytesIO(render(internship)))
    fonts = _fonts(reader)
    assert fonts
    for font in fonts:
        assert "Helvetica" not in str(font["/BaseFont"])
        descriptor = font.get("/FontDescriptor")
        if descriptor is None:  # a Type0 font: the descendant has the descriptor
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        descriptor = descriptor.get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font
    assert {str(f["/BaseFont"]).split("+")[-1] for f in fonts} == {"DejaVuSans", "DejaVuSans-Bold"}
    assert b"Helvetica" not in render(internship)


def test_the_same_input_gives_the_same_bytes(internship: Records) -> None:
    first, second = render(internship), render(internship)
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    assert render(internship, version=3) != first
    with ThreadPoolExecutor(max_workers=4) as pool:  # batch printing runs off the GUI thread
        assert set(pool.map(lambda _: render(internship), range(8))) == {first}


def test_metadata_names_the_kind_and_version_but_no_person(internship: Records) -> None:
    reader = PdfReader(io.BytesIO(render(internship)))
    info = reader.metadata
    assert info is not None
    assert info["/Title"] == "Aftale om virksomhedspraktik, version 2"
    assert str(info["/CreationDate"]).startswith("D:20261201")
    everything = " ".join(str(v) for v in info.values())
    for personal in ["Amina", "Hassan", "0112901238", "011290", "1990"]:
        assert personal not in everything
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (595, 842)  # A4


@pytest.mark.skipif(not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
                    reason="zbar-tools and poppler-utils not installed")
def test_the_qr_code_reads_back_as_the_placement_and_version(
    internship: Records, tmp_path: Path
) -> None:
    pdf = tmp_path / "aftale.pdf"
    pdf.write_bytes(render(internship, version=7))
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "page")], check=True)
    (image,) = tmp_path.glob("page*.png")
    scanned = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True,
                             text=True, check=True).stdout.strip()
    assert parse_qr_payload(scanned) == (internship.placement.id, 7)
