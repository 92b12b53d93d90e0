"""The consultant's workspace: create, change and delete records, register placements, visits,
search and what is due. Each use case is one transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from feltkonsulent.domain.entities import (
    AftercareVisit,
    Agreement,
    Citizen,
    Company,
    Contact,
    LanguagePartner,
    Placement,
    Record,
    RuleOverride,
    SupportArrangement,
)
from feltkonsulent.domain.errors import DomainError, ValidationError
from feltkonsulent.domain.ids import VisitId, uuid7
from feltkonsulent.services.operations import Door, operation
from feltkonsulent.services.search import SearchResult
from feltkonsulent.services.search import search as search_records
from feltkonsulent.storage import lists, lookup, queries
from feltkonsulent.storage.changes import pending_count
from feltkonsulent.storage.codec import spec_for
from feltkonsulent.storage.database import AuditRow, Store
from feltkonsulent.storage.queries import DueVisit, EndingPlacement, PlacementRow, PlacementSort
from feltkonsulent.storage.repositories import Repositories, Repository

R = TypeVar("R", bound=Record)

__all__ = [
    "DueItems",
    "DueVisit",
    "EndingPlacement",
    "PlacementRegistration",
    "PlacementRow",
    "PlacementSort",
    "SearchResult",
    "Workspace",
]


@dataclass(frozen=True)
class PlacementRegistration:
    """Everything of a new placement, saved together or not at all. A company, citizen or
    contact that already exists is left as it is; a new one is created."""

    company: Company
    citizen: Citizen
    placement: Placement
    contact: Contact | None = None
    support: Sequence[SupportArrangement] = ()
    language_partners: Sequence[LanguagePartner] = ()
    overrides: Sequence[RuleOverride] = ()  # reasons to go on past the rules' warnings


DUE_LIMIT = 200  # per group on "I dag": a day's work, and a bound on what a start reads


@dataclass(frozen=True)
class DueItems:
    """What "I dag" lists, at most `limit` of each, and how many there are in all. `visits`:
    planned visits and follow-ups due today or overdue (a visit once, however often corrected)."""

    visits: list[DueVisit]
    ending: list[EndingPlacement]
    visits_total: int
    ending_total: int
    # Visits planned after today, within the days that `ending` looks ahead, soonest first.
    upcoming: list[DueVisit] = dataclasses.field(default_factory=list)
    upcoming_total: int = 0


class Workspace:
    """The services over one open database."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.repos = Repositories(store)
        # The desktop app's window runs its operations through its one writer (ui/door.py).
        self.door: Door | None = None

    def another(self, cache_kib: int | None = None) -> Workspace:
        """A workspace on its own connection, for a background thread; close it there."""
        store = self.store.reopen() if cache_kib is None else self.store.reopen(cache_kib)
        return Workspace(store)

    def close(self) -> None:
        self.store.close()

    @property
    def team_id(self) -> str:
        return self.store.team_id

    def new(self, cls: type[R], **fields: Any) -> R:
        """A new record of this team with a fresh UUIDv7; not saved until `save`."""
        fields.setdefault("id", uuid7())
        fields.setdefault("team_id", self.store.team_id)
        return cls(**fields)

    def repo(self, cls: type[R]) -> Repository[R]:
        repo: Repository[R] = self.repos.by_entity(spec_for(cls).table)
        return repo

    # -- generic records ------------------------------------------------------------------
    def get(self, cls: type[R], row_id: str) -> R | None:
        return self.repo(cls).get(row_id)

    @operation
    def save(self, record: R) -> tuple[str, ...]:
        """Create the record, or write the fields that changed; returns the changed names."""
        repo = self.repo(record.__class__)
        with self.store.write():
            self._check_references(record)
            if repo.exists(record.id, include_deleted=True):
                return repo.update(record)
            repo.add(record)
            return repo.spec.data_fields

    @operation
    def delete(self, cls: type[R], row_id: str) -> None:
        """Tombstone a record. A company or citizen with live placements is not deleted."""
        with self.store.write():
            column = {Company: "company_id", Citizen: "citizen_id"}.get(cls)
            if column is not None:
                live = self.repos.placements.count_where(f"{column} = ?", (row_id,))
                if live:
                    raise ValidationError([DomainError("has_placements", None, {"count": live})])
            self.repo(cls).delete(row_id)

    @operation
    def restore(self, cls: type[R], row_id: str) -> None:
        self.repo(cls).restore(row_id)

    def _check_references(self, record: Record) -> None:
        """Every id a record points to must name a live record (the database checks only that
        the row exists, not that it is not deleted)."""
        missing = [
            DomainError("unknown_reference", name, {"id": target})
            for name, cls, target in references(record)
            if target is not None and not self.repo(cls).exists(target)
        ]
        if missing:
            raise ValidationError(missing)

    # -- placements -----------------------------------------------------------------------
    @operation
    def register_placement(self, registration: PlacementRegistration) -> Placement:
        """Company, citizen, contact, placement, buddies and sprogmakkere in one transaction."""
        r = registration
        problems = _registration_problems(r)
        if problems:
            raise ValidationError(problems)
        with self.store.write():
            for existing in (r.company, r.citizen, r.contact):
                if existing is not None and not self.repo(existing.__class__).exists(existing.id):
                    self.save(existing)
            self.save(r.placement)
            for arrangement in (*r.support, *r.language_partners, *r.overrides):
                self.save(arrangement)
        return r.placement

    @operation
    def update_placement(
        self, placement: Placement, arrangements: Sequence[SupportArrangement | LanguagePartner] = (),
        overrides: Sequence[RuleOverride] = (),
    ) -> Placement:
        """An edited placement with its buddies, mentors and sprogmakkere (new or changed) and
        the reasons given for new findings, in one transaction. Company and citizen stay."""
        saved = self.repos.placements.require(placement.id)
        problems = [DomainError("mismatch", name) for name in ("company_id", "citizen_id")
                    if getattr(saved, name) != getattr(placement, name)]
        if any(a.placement_id != placement.id for a in (*arrangements, *overrides)):
            problems.append(DomainError("mismatch", "placement_id"))
        for record in (placement, *arrangements, *overrides):
            problems.extend(record.problems())
        if problems:
            raise ValidationError(problems)
        with self.store.write():
            for record in (placement, *arrangements, *overrides):
                self.save(record)
        return placement

    def arrangements_of(self, placement_id: str
                        ) -> tuple[list[SupportArrangement], list[LanguagePartner]]:
        return (self.repos.support_arrangements.for_placement(placement_id),
                self.repos.language_partners.for_placement(placement_id))

    def placements_at(self, company_id: str, limit: int = 500) -> list[PlacementRow]:
        """The company's placements, latest end date first (audited: they name citizens)."""
        return lists.placement_rows(self.store, "end_date", True, limit=limit, company_id=company_id)

    def placement_page(self, **options: Any) -> list[PlacementRow]:
        return queries.placement_page(self.store, **options)

    # -- visits ---------------------------------------------------------------------------
    # A visit is a chain of notes: each new version (a correction, a moved date, the note that
    # fulfils a planned visit) is a new record that supersedes the one before; the latest
    # version is the visit. Lists, counts and "I dag" show each visit once.
    @operation
    def record_visit(self, visit: AftercareVisit) -> AftercareVisit:
        """A note (or a planned visit) as it is given (the demo, an import); the visit dialog
        saves through `write_note`."""
        self.save(visit)
        return visit

    @operation
    def correct_visit(self, old_id: str, corrected: AftercareVisit) -> AftercareVisit:
        """A correction is a new note that supersedes the old one; the old one stays visible."""
        old = self.repos.aftercare_visits.require(old_id)
        if old_id in self.repos.aftercare_visits.superseded_ids(old.placement_id):
            raise ValidationError([DomainError("already_superseded", "supersedes")])
        new = dataclasses.replace(
            corrected,
            id=VisitId(uuid7()) if corrected.id == old_id else corrected.id,
            placement_id=old.placement_id,
            supersedes=VisitId(old_id),
        )
        self.save(new)
        return new

    @operation
    def write_note(self, note: AftercareVisit, supersedes: str | None = None) -> AftercareVisit:
        """What the consultant saves in the visit dialog, in one transaction: a new note, or a
        new version of the visit `supersedes` (a correction, the note that fulfils a planned
        visit, a planned date moved). The next visit the note names is planned with it; a
        correction that changes that date moves the visit it had planned."""
        with self.store.write():
            if supersedes is None:
                before, saved = None, self.record_visit(note)
            else:
                before = self.repos.aftercare_visits.require(supersedes)
                saved = self.correct_visit(supersedes, note)
            self._plan_next(saved, before)
        return saved

    def planned_visits(self, placement_id: str) -> list[AftercareVisit]:
        """The placement's visits planned and not yet made (their latest versions), soonest first."""
        history = self.visit_history(placement_id)
        plans = [v for v, superseded in history if not superseded and v.visited_on is None]
        return sorted(plans, key=lambda v: (v.planned_on or date.max, v.id))

    def _plan_next(self, note: AftercareVisit, before: AftercareVisit | None) -> None:
        """A made visit whose note names the next one plans it, unless a visit is planned for
        that day already. A correction that changes the date moves the visit the old date had
        planned (a new version of it), if it is still open; one that keeps the date changes
        nothing."""
        day = note.next_visit_on
        old_day = before.next_visit_on if before is not None and before.visited_on else None
        if note.visited_on is None or day is None or day == old_day:
            return
        plans = [p for p in self.planned_visits(note.placement_id) if p.id != note.id]
        if any(p.planned_on == day for p in plans):
            return
        moved = next((p for p in plans if old_day is not None and p.planned_on == old_day), None)
        if moved is not None:
            self.save(dataclasses.replace(moved, id=VisitId(uuid7()), planned_on=day,
                                          supersedes=moved.id))
        else:
            self.save(self.new(AftercareVisit, placement_id=note.placement_id, planned_on=day,
                               mode=note.mode))

    def visit_history(self, placement_id: str) -> list[tuple[AftercareVisit, bool]]:
        """The placement's notes in date order, each with whether a later note supersedes it."""
        visits = self.repos.aftercare_visits.for_placement(placement_id)
        superseded = self.repos.aftercare_visits.superseded_ids(placement_id)
        return [(visit, visit.id in superseded) for visit in visits]

    def contacts_of(self, company_id: str) -> list[Contact]:
        return self.repos.contacts.for_company(company_id)

    def take_changes(self) -> frozenset[str]:
        """The entities written since the last call (views showing them refresh)."""
        return self.store.take_changes()

    def note_changes(self, entities: frozenset[str]) -> None:
        """Entities the app's writer wrote for this workspace (ui/door.py): taken as its own."""
        self.store.note_changes(entities)

    def now(self) -> datetime:
        """The time as this database's clock has it (faked in tests)."""
        return self.store.clock()

    def show_placement(self, placement_id: str) -> Placement:
        """A placement opened to be looked at: an audited read of its citizen's data."""
        return self.repos.placements.show(placement_id)

    def passphrase_check(self) -> Callable[[str], bool] | None:
        """What unlocks the window after idle time: the database's passphrase, if it has one
        (else None: the key is in the OS keyring, and the OS's lock is the lock)."""
        return self.store.is_passphrase if self.store.has_passphrase else None

    # -- read audit: the app's window hands its rows to its writer (ui/door.py) ---------------
    def flush_audit(self) -> None:
        self.store.flush_audit()

    def hand_audit_to(self, sink: Callable[[list[AuditRow]], None] | None) -> None:
        """Read-audit rows go to `sink` instead of this connection's transactions (None: back)."""
        self.store.audit_sink = sink

    def write_audit(self, rows: list[AuditRow]) -> None:
        """Write read-audit rows handed over by another connection, now."""
        with self.store.write():
            self.store.add_audit_rows(rows)

    def pending_changes(self) -> int:
        """Changes made here that have not yet been pushed to the team's server."""
        return pending_count(self.store)

    def placement_names(self, placement_ids: Sequence[str]) -> dict[str, str]:
        """"Citizen · company" for each placement, for lists that name placements."""
        return lookup.placement_names(self.store, placement_ids)

    # -- finding things -------------------------------------------------------------------
    def search(self, text: str, limit_per_kind: int = 20) -> list[SearchResult]:
        """Hits grouped by kind, each named with what it belongs to (services/search.py)."""
        return search_records(self.store, text, limit_per_kind)

    def due(self, today: date, ending_within_days: int = 14, limit: int = DUE_LIMIT) -> DueItems:
        visits, visits_total = queries.visits_due(self.store, today, limit)
        ending, ending_total = queries.placements_ending(self.store, today, ending_within_days, limit)
        upcoming, upcoming_total = queries.visits_planned(self.store, today, ending_within_days, limit)
        return DueItems(visits, ending, visits_total, ending_total, upcoming, upcoming_total)


def references(record: Record) -> list[tuple[str, type[Record], str | None]]:
    """The ids a record points to: (field, record type pointed to, id)."""
    if isinstance(record, Contact):
        return [("company_id", Company, record.company_id)]
    if isinstance(record, Placement):
        return [
            ("citizen_id", Citizen, record.citizen_id),
            ("company_id", Company, record.company_id),
            ("contact_id", Contact, record.contact_id),
        ]
    if isinstance(record, SupportArrangement | LanguagePartner | RuleOverride | Agreement):
        return [("placement_id", Placement, record.placement_id)]
    if isinstance(record, AftercareVisit):
        return [
            ("placement_id", Placement, record.placement_id),
            ("supersedes", AftercareVisit, record.supersedes),
        ]
    return []


def _registration_problems(r: PlacementRegistration) -> list[DomainError]:
    problems: list[DomainError] = []
    if r.placement.company_id != r.company.id:
        problems.append(DomainError("mismatch", "company_id"))
    if r.placement.citizen_id != r.citizen.id:
        problems.append(DomainError("mismatch", "citizen_id"))
    if r.contact is not None and (
        r.contact.company_id != r.company.id or r.placement.contact_id != r.contact.id
    ):
        problems.append(DomainError("mismatch", "contact_id"))
    arrangements: list[SupportArrangement | LanguagePartner | RuleOverride] = [
        *r.support, *r.language_partners, *r.overrides
    ]
    if any(a.placement_id != r.placement.id for a in arrangements):
        problems.append(DomainError("mismatch", "placement_id"))
    for record in (r.company, r.citizen, r.contact, r.placement, *arrangements):
        if record is not None:
            problems.extend(record.problems())
    return problems
