"""Agreement PDF benchmark: one agreement (built and rendered, with its QR code) per kind, and a
batch of 1,000 as batch printing makes them; prints figures against the target.

    .venv/bin/python bench/documents.py [--runs 200] [--batch 1000] [--language da]
    .venv/bin/python bench/documents.py --images docs/agreements   # the page images

Not a test: it prints figures and exits 0 whether or not a target is met.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from timing import percentile, timed  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "resources" / "fonts"
AGREEMENT_TARGET_MS = 50.0
ISSUED = date(2026, 12, 1)


def _import_ms() -> float:
    start = time.perf_counter()
    import feltkonsulent.documents.pdf  # noqa: F401  (what the first agreement pays once)

    return (time.perf_counter() - start) * 1000


IMPORT_MS = _import_ms()

from feltkonsulent.documents import (  # noqa: E402
    AgreementData,
    Issuer,
    NoteData,
    build_agreement,
    build_internal_note,
)
from feltkonsulent.documents.pdf import _qr_modules, render_agreement, render_note  # noqa: E402
from feltkonsulent.domain.entities import (  # noqa: E402
    Citizen,
    Company,
    Contact,
    LanguagePartner,
    Placement,
    RuleOverride,
    SupportArrangement,
)
from feltkonsulent.domain.enums import PlacementKind, Purpose, SupportRole  # noqa: E402

ISSUER = Issuer(municipality="Aarhus Kommune", department="Virksomhedsservice",
                address="Værkmestergade 15, 8000 Aarhus C", phone="89 40 20 00",
                email="virksomhedsservice@aarhus.dk", consultant="Sara Holm",
                consultant_phone="41 85 20 11", consultant_email="saho@aarhus.dk")


@dataclass(frozen=True)
class Case:
    placement: Placement
    company: Company
    citizen: Citizen
    contact: Contact
    representative: Contact
    support: tuple[SupportArrangement, ...]
    partners: tuple[LanguagePartner, ...]
    overrides: tuple[RuleOverride, ...]

    def build(self, language: str, version: int = 1) -> AgreementData:
        return build_agreement(
            self.placement, self.company, self.citizen, contact=self.contact,
            representative=self.representative, support=self.support, partners=self.partners,
            version=version, language=language, issued_on=ISSUED,
            supported_at_workplace=Decimal("1.6"), issuer=ISSUER)

    def note(self, language: str, version: int = 1) -> NoteData:
        return build_internal_note(self.placement, self.company, self.citizen,
                                   overrides=self.overrides, language=language, issued_on=ISSUED,
                                   issuer=ISSUER, version=version)


def case(n: int, kind: PlacementKind, full: bool = False) -> Case:
    """A realistic agreement: a bakery, its contact and employee representative, a citizen, one
    buddy and one sprogmakker; `full` adds a mentor and two overridden findings. Every case has
    new ids, so every QR code differs."""
    serial = iter(range(100))

    def new_id() -> str:  # the same ids for the same n: page images that do not churn
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"feltkonsulent-bench/{n}/{next(serial)}"))

    start = date(2026, 11, 2) + timedelta(days=n % 30)
    end = start + timedelta(days=48 if kind is PlacementKind.INTERNSHIP else 180)
    company = Company(new_id(), "bench", "Bageriet Ørsted ApS", "13585628", "1003388394",
                      "Søndergade 12", "8000", "Aarhus C", employee_count=Decimal(12))
    contact = Contact(new_id(), "bench", company.id, "Mette Kjær", "Butikschef", "86 12 34 56",
                      "mette@orsted-bageri.dk")
    representative = Contact(new_id(), "bench", company.id, "Ole Bager", "Tillidsrepræsentant",
                             "86 12 34 99", is_employee_representative=True)
    citizen = Citizen(new_id(), "bench", "Amina Hassan", "0112901238")
    subsidised = kind in (PlacementKind.WAGE_SUBSIDY, PlacementKind.HYBRID)
    placement = Placement(
        new_id(), "bench", citizen.id, company.id, kind, start, end, Purpose.UPSKILLING,
        Decimal(5) if kind is PlacementKind.ORDINARY_HOURS else Decimal("22.5"),
        "Bagning, opvask og opfyldning i butikken; bestillingslister",
        ("Kan følge en arbejdsplan", "Bruger fagord på dansk"), contact.id,
        working_hours="Mandag-torsdag 8-13.30", hourly_wage=Decimal("142.50"),
        subsidy_per_hour=Decimal("85.20") if subsidised else None,
        education_plan="Sprogcenter Aarhus, DU2 modul 4",
        paid_hours_plan=(f"{start} 5", f"{start + timedelta(days=21)} 8"))
    support = [SupportArrangement(new_id(), "bench", placement.id, SupportRole.BUDDY, "Jens Madsen",
                                  start, end, Decimal("2.5"), Decimal(200))]
    partners = (LanguagePartner(new_id(), "bench", placement.id, "Lone Sørensen", start, end,
                                date(2026, 10, 20), "To gange om ugen", ("Fagord", "Small talk")),)
    overrides: tuple[RuleOverride, ...] = ()
    if full:
        support.append(SupportArrangement(new_id(), "bench", placement.id, SupportRole.MENTOR,
                                          "Hanne Lund", start, end, Decimal(5), Decimal("246.91")))
        overrides = tuple(RuleOverride(new_id(), "bench", placement.id, code, reason, start)
                          for code, reason in (
                              ("hours_above_full_time", "Aftalt med virksomheden: 38 timer i "
                               "højsæsonen, afspadseres i januar."),
                              ("overlapping_placement", "Det andet forløb er danskundervisning "
                               "om aftenen; timerne overlapper ikke.")))
    return Case(placement, company, citizen, contact, representative, tuple(support), partners,
                overrides)


def cases(kinds: list[PlacementKind]) -> Iterator[Case]:
    n = 0
    while True:
        yield case(n, kinds[n % len(kinds)])
        n += 1


def p50_p95(values: list[float]) -> str:
    return f"p50 {percentile(values, 50):7.2f} ms  p95 {percentile(values, 95):7.2f} ms"


def one_kind(label: str, make: Iterator[Case], runs: int, language: str) -> list[float]:
    """Build and render `runs` agreements; prints build, render and the two together."""
    built, rendered, total, sizes, pages = [], [], [], [], []
    for _ in range(runs):
        c = next(make)
        start = time.perf_counter()
        data = c.build(language)
        middle = time.perf_counter()
        pdf = render_agreement(data, FONTS)
        end = time.perf_counter()
        built.append((middle - start) * 1000)
        rendered.append((end - middle) * 1000)
        total.append((end - start) * 1000)
        sizes.append(len(pdf))
        pages.append(pdf.count(b"/Type /Page\n"))
    print(f"  {label:<34} {p50_p95(total)}   (build {percentile(built, 50):5.2f} ms, render "
          f"{percentile(rendered, 50):6.2f} ms; {max(pages)} pages, {max(sizes) / 1024:5.0f} KiB)")
    return total


def batch(count: int, language: str) -> tuple[float, int]:
    """`count` agreements one after the other, kinds in turn, as batch printing makes them."""
    make = cases(list(PlacementKind))
    size = 0
    start = time.perf_counter()
    for _ in range(count):
        size += len(render_agreement(next(make).build(language), FONTS))
    return time.perf_counter() - start, size


def images(folder: Path, language: str, dpi: int) -> None:
    """Each kind's agreement (with a mentor and overridden findings, so every part shows) as
    <kind>.pdf and one PNG a page, <kind>-p<N>.png, made with pdftoppm (poppler-utils)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, kind in enumerate(PlacementKind):
        pdf = folder / f"{kind.value}.pdf"
        pdf.write_bytes(render_agreement(case(n, kind, full=True).build(language), FONTS))
        for old in folder.glob(f"{kind.value}-p*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(folder / kind.value)],
                       check=True)
        for page in sorted(folder.glob(f"{kind.value}-*.png")):  # pdftoppm: kind-1.png, kind-01…
            page.rename(folder / f"{kind.value}-p{int(page.stem.rsplit('-', 1)[1])}.png")
        pdf.unlink()
        print(f"  {kind.value}: {len(list(folder.glob(kind.value + '-p*.png')))} pages")
    note = folder / "internal-note.pdf"
    note.write_bytes(render_note(case(0, PlacementKind.INTERNSHIP, full=True).note(language), FONTS))
    for old in folder.glob("internal-note-p*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(note), str(folder / "internal-note")],
                   check=True)
    for page in sorted(folder.glob("internal-note-*.png")):
        page.rename(folder / f"internal-note-p{int(page.stem.rsplit('-', 1)[1])}.png")
    note.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="agreements timed per kind")
    parser.add_argument("--batch", type=int, default=1000, help="agreements in the batch")
    parser.add_argument("--language", choices=("da", "en"), default="da")
    parser.add_argument("--images", type=Path, metavar="DIR",
                        help="instead: write each kind's pages as PNGs to DIR (docs/agreements)")
    parser.add_argument("--dpi", type=int, default=80, help="resolution of --images")
    args = parser.parse_args()
    if args.images:
        images(args.images, args.language, args.dpi)
        return 0
    print(f"Python {sys.version.split()[0]}; agreements in {args.language!r}; fonts {FONTS}")
    print(f"  import feltkonsulent.documents.pdf (reportlab)   {IMPORT_MS:8.1f} ms (once)")
    first = timed(lambda: render_agreement(case(0, PlacementKind.INTERNSHIP).build(args.language),
                                           FONTS))
    print(f"  first agreement (registers the font)           {first:8.1f} ms (once)")
    qr = [timed(lambda n=n: _qr_modules(f"FK1:{uuid.uuid4()}:{n}".upper())) for n in range(100)]
    print(f"  for information, the QR code alone (encode)    {p50_p95(qr)}")

    print(f"\nOne agreement, built and rendered, n={args.runs} each (after import):")
    every: list[float] = []
    for kind in PlacementKind:
        every += one_kind(kind.value, cases([kind]), args.runs, args.language)
    full = one_kind("internship, 2 annexes + overrides",
                    (case(n, PlacementKind.INTERNSHIP, full=True) for n in range(10**9)),
                    args.runs, args.language)

    print(f"\nA batch of {args.batch:,} (kinds in turn, one after the other):")
    seconds, size = batch(args.batch, args.language)
    print(f"  {seconds:8.1f} s in all, {seconds / args.batch * 1000:6.1f} ms an agreement, "
          f"{args.batch / seconds:6.1f} agreements/s, {size / 2**20:6.1f} MiB of PDF")

    p95, p95_full = percentile(every, 95), percentile(full, 95)
    print("\nSummary")
    for name, value in (("one agreement, every kind, p95", p95),
                        ("one agreement with annexes and overrides, p95", p95_full),
                        (f"batch of {args.batch:,}, mean per agreement",
                         seconds / args.batch * 1000)):
        verdict = "OK" if value < AGREEMENT_TARGET_MS else "MISSED"
        print(f"  {name:<48} {value:7.1f} ms  target < {AGREEMENT_TARGET_MS:.0f} ms  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
