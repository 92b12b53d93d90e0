"""What an agreement says, already in its language: a frozen tree that the PDF renderer lays out.

Every string here is plain text (the renderer escapes it); a newline is a line break.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from feltkonsulent.domain.entities import ConsultantProfile, TeamProfile

# What the parties fill in by hand where the record has no value.
FILL_IN = "_" * 28


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True)
class Choice:
    """A box on paper: ticked when the record decides it, else left for the parties to tick."""

    text: str
    ticked: bool


@dataclass(frozen=True)
class Section:
    heading: str
    rows: tuple[Row, ...] = ()
    choices: tuple[Choice, ...] = ()
    paragraphs: tuple[str, ...] = ()
    # Lines for initials inside the section ("Employer's initials"), e.g. the ratio declaration.
    initials: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignatureBlock:
    party: str  # "The company"
    name: str  # the company, the person or the municipality; empty: written by hand
    note: str = ""
    # The company and the municipality sign through a person the record does not name.
    name_line: bool = False


@dataclass(frozen=True)
class Issuer:
    """Who issues the agreement: the municipality (its unit, address, phone, e-mail) and the
    consultant (name, phone, e-mail), from the team's and the consultant's profile. An empty
    field prints as a line to fill in by hand."""

    municipality: str | None = None
    department: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    consultant: str | None = None
    consultant_phone: str | None = None
    consultant_email: str | None = None

    @classmethod
    def from_profiles(cls, team: TeamProfile | None,
                      consultant: ConsultantProfile | None) -> Issuer:
        return cls(
            municipality=team.municipality if team else None,
            department=team.department if team else None,
            address=team.address if team else None,
            phone=team.phone if team else None,
            email=team.email if team else None,
            consultant=consultant.name if consultant else None,
            consultant_phone=consultant.phone if consultant else None,
            consultant_email=consultant.email if consultant else None,
        )


@dataclass(frozen=True)
class OverrideEntry:
    title: str  # the rule's title (RULES), in the document's language
    code: str
    reason: str
    decided_on: str


@dataclass(frozen=True)
class OverridePage:
    """The rule findings the consultant went past, with the reasons: the municipality's own
    internal note, never part of the agreement the parties sign."""

    heading: str
    intro: str
    entries: tuple[OverrideEntry, ...]
    reason_label: str
    decided_label: str


@dataclass(frozen=True)
class Summary:
    """Short sentences in plain language (B1) for the citizen."""

    heading: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class PageTexts:
    """The words the renderer prints around the content; `page` has {page} and {pages}."""

    page: str
    version: str  # "Version 2"
    issued: str  # "Issued 1 December 2026"
    date: str
    signature: str
    name: str
    signatures_heading: str
    signatures_intro: str
    # The municipality's name in the footer and the PDF's /Author ("Kommunen" where unknown).
    municipality: str


@dataclass(frozen=True)
class NoteData:
    """The internal note: which placement and agreement it belongs to, and the findings gone past
    with the reasons. Not an issued agreement version, and never given to the parties."""

    placement_id: str
    language: str
    issued_on: date
    title: str
    metadata_title: str
    about: tuple[Row, ...]
    page: OverridePage
    texts: PageTexts


@dataclass(frozen=True)
class AgreementData:
    placement_id: str
    version: int
    language: str
    issued_on: date
    title: str
    # The PDF's /Title: the kind and the version, never a name or a CPR number.
    metadata_title: str
    summary: Summary
    sections: tuple[Section, ...]
    annexes: tuple[Section, ...]
    signatures: tuple[SignatureBlock, ...]
    qr: str
    texts: PageTexts
