"""Records that are the same person or workplace: a citizen with another citizen's CPR number, a
company with another company's CVR and P-number (the P-number names the workplace; two
workplaces of one company share the CVR). Used where a record is typed (the forms warn and
offer the existing record), imported (refused, naming both) and after a sync (two laptops made
the same citizen offline: the "Dubletter" view merges them)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from feltkonsulent.domain.entities import Citizen, Company
from feltkonsulent.domain.errors import DomainError, ValidationError
from feltkonsulent.services.workspace import Workspace


def same_citizen(ws: Workspace, citizen: Citizen) -> list[Citizen]:
    """Live citizens other than this one with its CPR number."""
    return ws.repos.citizens.where("cpr = ? AND id <> ?", (citizen.cpr, citizen.id), order="name, id")


def same_company(ws: Workspace, company: Company) -> list[Company]:
    """Live companies other than this one with its CVR number and P-number (none counts as one
    value: a company registered without a P-number twice is the same company)."""
    return ws.repos.companies.where(
        "cvr = ? AND coalesce(p_number, '') = ? AND id <> ?",
        (company.cvr, company.p_number or "", company.id), order="name, id")


def same_as(ws: Workspace, record: Citizen | Company) -> list[Citizen] | list[Company]:
    """The live records this one would duplicate (not itself): by CPR, or by CVR and P-number."""
    if isinstance(record, Citizen):
        return same_citizen(ws, record)
    return same_company(ws, record)


# -- after a sync: the groups of duplicates, and merging them -----------------------------------
# Two consultants offline may each make the same citizen or workplace. The "Dubletter" view lists
# them; the consultant chooses the one to keep, and the others' placements (with their visit
# notes, agreements, buddies, sprogmakkere and reasons) and contact persons move to it. Every step
# is an ordinary edit in one transaction, so the merge syncs and is audited like any other.

CITIZENS = "citizens"
COMPANIES = "companies"
_SAME_CPR = ("team_id = ? AND cpr IN (SELECT cpr FROM citizens WHERE deleted = 0 AND team_id = ? "
             "GROUP BY cpr HAVING count(*) > 1)")
_SAME_WORKPLACE = (
    "team_id = ? AND cvr || '/' || coalesce(p_number, '') IN (SELECT cvr || '/' || "
    "coalesce(p_number, '') FROM companies WHERE deleted = 0 AND team_id = ? GROUP BY 1 "
    "HAVING count(*) > 1)")
# What makes two records one (the same in every member of a group), and what every record has.
_KEYS = frozenset({"id", "team_id", "cpr", "cvr", "p_number"})
NOTES = "notes"


@dataclass(frozen=True)
class Member:
    """One record of a group, with what hangs off it."""

    record: Citizen | Company
    placements: int
    contacts: int  # contact persons (companies; 0 for a citizen)


@dataclass(frozen=True)
class Group:
    """Live records of this team that are one citizen (CPR) or one workplace (CVR and
    P-number), oldest first (ids are UUIDv7: made in time order)."""

    kind: str  # CITIZENS or COMPANIES
    members: tuple[Member, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(m.record.id for m in self.members)

    def differing(self) -> tuple[str, ...]:
        """The fields whose values are not the same in every member."""
        first = self.members[0].record
        return tuple(name for name in compared_fields(first)
                     if any(getattr(m.record, name) != getattr(first, name) for m in self.members))


@dataclass(frozen=True)
class MergePlan:
    """What a merge does: `kept` is the record to keep as it will be saved (its empty fields
    filled from the others), `filled` names the fields that get a value, `others` are deleted
    once their placements and contact persons have moved."""

    kind: str
    kept: Citizen | Company
    others: tuple[Citizen | Company, ...]
    filled: tuple[str, ...]
    placements: int  # placements that move to the kept record
    contacts: int  # contact persons that move (companies)


def compared_fields(record: Citizen | Company) -> tuple[str, ...]:
    """The fields a consultant compares: all but the id, the team and the key that makes the
    records one (the CPR number, or the CVR and P-number)."""
    return tuple(f.name for f in dataclasses.fields(record) if f.name not in _KEYS)


def count(ws: Workspace) -> int:
    """How many groups of duplicates there are (for the navigation; nothing is shown, so the
    citizens are not read in the audit's sense)."""
    team = (ws.team_id, ws.team_id)
    cprs = {c.cpr for batch in ws.repos.citizens.batches(_SAME_CPR, team) for c in batch}
    places = {(c.cvr, c.p_number or "")
              for batch in ws.repos.companies.batches(_SAME_WORKPLACE, team) for c in batch}
    return len(cprs) + len(places)


def groups(ws: Workspace) -> list[Group]:
    """Every group of duplicates of this team: citizens first, each group by name."""
    team = (ws.team_id, ws.team_id)
    found: list[Group] = []
    by_cpr: dict[str, list[Citizen]] = {}
    for citizen in ws.repos.citizens.where(_SAME_CPR, team, order="id"):
        by_cpr.setdefault(citizen.cpr, []).append(citizen)
    by_place: dict[tuple[str, str], list[Company]] = {}
    for company in ws.repos.companies.where(_SAME_WORKPLACE, team, order="id"):
        by_place.setdefault((company.cvr, company.p_number or ""), []).append(company)
    for citizens in sorted(by_cpr.values(), key=lambda g: (g[0].name.casefold(), g[0].id)):
        found.append(Group(CITIZENS, tuple(_member(ws, c) for c in citizens)))
    for companies in sorted(by_place.values(), key=lambda g: (g[0].name.casefold(), g[0].id)):
        found.append(Group(COMPANIES, tuple(_member(ws, c) for c in companies)))
    return found


def _member(ws: Workspace, record: Citizen | Company) -> Member:
    if isinstance(record, Citizen):
        return Member(record, ws.repos.placements.count_where("citizen_id = ?", (record.id,)), 0)
    return Member(record, ws.repos.placements.count_where("company_id = ?", (record.id,)),
                  ws.repos.contacts.count_where("company_id = ?", (record.id,)))


def plan(ws: Workspace, keep_id: str, other_id: str, *more_ids: str) -> MergePlan:
    """What merging the others into `keep_id` would do; refused (ValidationError) for a record
    merged with itself, one that is not live, of another team, or not the same citizen or
    workplace. The rule for the fields: the kept record keeps every value it has; a field it
    lacks (empty, or a box not ticked) takes the first other record's value that has one; notes
    that differ are all kept, the others' below the kept one's."""
    other_ids = (other_id, *more_ids)
    if keep_id in other_ids or len(set(other_ids)) != len(other_ids):
        raise ValidationError([DomainError("merge_self")])
    keep = _live(ws, keep_id)
    others = tuple(_live(ws, row_id) for row_id in other_ids)
    if keep.team_id != ws.team_id or any(o.team_id != ws.team_id for o in others):
        raise ValidationError([DomainError("other_team")])
    if any(type(o) is not type(keep) or _key(o) != _key(keep) for o in others):
        raise ValidationError([DomainError("not_duplicates")])
    kept, filled = _filled(keep, others)
    members = [_member(ws, o) for o in others]
    kind = CITIZENS if isinstance(keep, Citizen) else COMPANIES
    return MergePlan(kind, kept, others, filled, sum(m.placements for m in members),
                     sum(m.contacts for m in members))


def merge(ws: Workspace, keep_id: str, other_id: str, *more_ids: str) -> MergePlan:
    """Merge the others into `keep_id` in one transaction: the kept record's empty fields are
    filled (see `plan`), every placement and contact person of the others moves to it, and the
    others are deleted (tombstoned). Returns what was done."""
    with ws.store.write():
        done = plan(ws, keep_id, other_id, *more_ids)
        kept = done.kept
        ws.save(kept)
        for other in done.others:
            if isinstance(kept, Citizen):
                for placement in ws.repos.placements.for_citizen(other.id):
                    ws.save(dataclasses.replace(placement, citizen_id=kept.id))
            else:
                for placement in ws.repos.placements.for_company(other.id):
                    ws.save(dataclasses.replace(placement, company_id=kept.id))
                for contact in ws.repos.contacts.for_company(other.id):
                    ws.save(dataclasses.replace(contact, company_id=kept.id))
            ws.delete(type(other), other.id)
    return done


def _live(ws: Workspace, row_id: str) -> Citizen | Company:
    record: Citizen | Company | None = ws.repos.citizens.fetch_unaudited(row_id, False)
    if record is None:
        record = ws.repos.companies.fetch_unaudited(row_id, False)
    if record is None:
        raise ValidationError([DomainError("unknown_reference", "id", {"id": row_id})])
    return record


def _key(record: Citizen | Company) -> tuple[str, ...]:
    if isinstance(record, Citizen):
        return (record.cpr,)
    return (record.cvr, record.p_number or "")


def _lacks(value: object) -> bool:
    return value is None or value == "" or value == () or value is False


def _filled(keep: Citizen | Company, others: Sequence[Citizen | Company]
            ) -> tuple[Citizen | Company, tuple[str, ...]]:
    values: dict[str, Any] = {}
    for name in compared_fields(keep):
        mine = getattr(keep, name)
        theirs = [getattr(o, name) for o in others if not _lacks(getattr(o, name))]
        if name == NOTES:
            notes = [mine] if not _lacks(mine) else []
            for text in theirs:
                if all(text.strip() not in kept for kept in notes):
                    notes.append(text.strip())
            if notes and "\n\n".join(notes) != mine:
                values[name] = "\n\n".join(notes)
        elif _lacks(mine) and theirs:
            values[name] = theirs[0]
    return dataclasses.replace(keep, **values), tuple(values)
