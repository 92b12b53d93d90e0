"""User text is printed as typed, never read as reportlab markup: tags, entities, links and images
print literally, nothing is loaded, and the document is still built."""

from __future__ import annotations

import builtins
import dataclasses
import io
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from reportlab import rl_config
from reportlab.lib.utils import rlUrlRead

from feltkonsulent.documents import Issuer
from feltkonsulent.documents.markup import markup
from feltkonsulent.documents.pdf import render_agreement, render_note
from feltkonsulent.domain.enums import PlacementKind
from tests.documents.conftest import FONTS, Records, body, flat, override, records, text
from tests.documents.test_pdf import _fonts

LONG_NOTE = ("Borgeren møder stabilt & <arbejder> godt. " * 250)[:10_000]
CORPUS = [
    "<b>fed</b> <i>kursiv</i> <u>understreget</u>",
    '<img src="/etc/passwd"/> og <img src="https://example.invalid/x.png" width="900"/>',
    '<link href="file:///etc/shadow">klik</link> <a href="https://example.invalid">her</a>',
    '<font color="red" size="40" face="Helvetica">stor rød</font>',
    '<font color="__import__(\'os\').system(\'true\')">ondt</font>',
    "første<br/>anden <br> tredje",
    "<para>indlejret afsnit</para> <seq/> <onDraw name='x'/>",
    "&#x41; &#65; &amp; &lt; &gt; &nbsp; &quot; &unknown; & alene",
    "]]> <![CDATA[ x ]]> <!-- kommentar --> <?xml version='1.0'?>",
    "Æblegrød, øl og ål — «citat» „Anführung“ 'enkelt' \"dobbelt\"",
    "højre\u202evenstre\u202c og \u200fmærke\u200e og\u200bnul-bredde",
    "Ord" + "x" * 3000 + "slut",
    LONG_NOTE,
    "linje 1\nlinje 2\r\nlinje 3\rlinje 4\n\n\nlinje 7",
    "%s %d {0} {name} \\n \\x00 $(whoami) `id` ${HOME}",
]
# Printed, but not as text a reader gets back unchanged: right-to-left scripts come out in
# logical order (reportlab shapes no bidi text), and glyphs DejaVu Sans lacks print as blanks.
BUILDS_ONLY = ["שלום עליכם", "مرحبا بالعالم", "emoji 🙂 og ﷽", "nul\x00tegn\x07 og \x1b[31m",
               "\ud800 enlig surrogat"]


def nasty(s: str, kind: PlacementKind = PlacementKind.INTERNSHIP) -> Records:
    """`s` in every field of free text that the agreement prints."""
    r = records(kind)
    p = dataclasses.replace(r.placement, work_tasks=s, working_hours=s, goals=(s, "mål 2"),
                            education_plan=s)
    return r.replace(
        company=dataclasses.replace(r.company, name=s, street=s, city=s),
        contact=dataclasses.replace(r.contact, name=s, role=s),
        representative=dataclasses.replace(r.representative, name=s)
        if r.representative else None,
        citizen=dataclasses.replace(r.citizen, name=s),
        placement=p,
        support=tuple(dataclasses.replace(a, person_name=s) for a in r.support),
        partners=tuple(dataclasses.replace(lp, meeting_frequency=s, focus_areas=(s,))
                       for lp in r.partners),
        overrides=(override(p.id, "ratio_exceeded", s, date(2026, 10, 28)),),
    )


@pytest.fixture
def no_loading(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file or URL opened while rendering (the fonts are registered before)."""
    render_agreement(records().agreement(), FONTS)
    opened: list[str] = []
    real_open = builtins.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def spy_url(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(getattr(request, "full_url", request)))
        raise OSError("no network in a document")

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", spy_url)
    return opened


def _plain(s: str) -> str:
    """What a reader gets back: control characters print as spaces, line ends as breaks."""
    return "".join(" " if (ord(c) < 32 and c != "\n") else c for c in s)


@pytest.mark.parametrize("s", CORPUS, ids=range(len(CORPUS)))
def test_nasty_text_prints_literally_and_loads_nothing(s: str, no_loading: list[str]) -> None:
    for kind in (PlacementKind.INTERNSHIP, PlacementKind.IGU):
        r = nasty(s, kind)
        pdf = render_agreement(r.agreement(issuer=Issuer(municipality=s, consultant=s)), FONTS)
        note = render_note(r.note(issuer=Issuer(municipality=s, consultant=s)), FONTS)
        assert no_loading == []
        shown = flat(body(pdf))
        for line in _plain(s).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            assert flat(line) in shown, line[:80]
        findings = flat(body(note))
        findings = findings[findings.index(flat("Lovens regler kontrolleres")):]
        assert flat(_plain(s).split("\n")[0]) in findings  # the reason


@pytest.mark.parametrize("s", BUILDS_ONLY, ids=range(len(BUILDS_ONLY)))
def test_text_the_font_cannot_show_still_builds(s: str, no_loading: list[str]) -> None:
    pdf = render_agreement(nasty(s).agreement(), FONTS)
    assert no_loading == []
    shown = set(text(pdf))
    assert [c for c in s if c.isalpha() and c != "\ufdfd" and c not in shown] == []


def test_very_long_text_everywhere_still_builds_with_embedded_fonts(no_loading: list[str]) -> None:
    from pypdf import PdfReader

    pdf = render_agreement(nasty(LONG_NOTE).agreement(), FONTS)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 10
    assert {str(f["/BaseFont"]).split("+")[-1] for f in _fonts(reader)} == {
        "DejaVuSans", "DejaVuSans-Bold"}
    assert no_loading == []


def test_markup_leaves_no_tag_but_the_line_break() -> None:
    for s in CORPUS + BUILDS_ONLY:
        out = markup(s)
        assert out.replace("<br/>", "").count("<") == 0
        assert "&" not in out.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "")


def test_reportlab_trusts_no_url_scheme_and_no_host() -> None:
    assert rl_config.trustedSchemes == [] and not rl_config.trustedHosts
    for url in ("https://example.invalid/x.png", "file:///etc/passwd", "data:,hello",
                "ftp://example.invalid/x"):
        with pytest.raises(OSError):
            rlUrlRead(url)


def test_an_image_tag_that_reached_reportlab_would_not_load_a_url(tmp_path: Path) -> None:
    """Belt and braces: markup() keeps tags out; were one to slip through, a URL is refused."""
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from feltkonsulent.documents.flowables import BODY

    doc = SimpleDocTemplate(str(tmp_path / "x.pdf"))
    with pytest.raises(OSError):
        doc.build([Paragraph('<img src="https://example.invalid/x.png" width="9" height="9"/>',
                             BODY)])
