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
from feltkonsulent.services.operations import operation
from feltkonsulent.services.workspace import Workspace


def same_as(ws: Workspace, record: Citizen | Company, *, audited: bool = True
            ) -> list[Citizen | Company]:
    """The live records of the record's team that it would duplicate (not itself), oldest first:
    by CPR, or by CVR and P-number (none counts as one value: a company registered twice without
    a P-number is the same company). Read, in the audit's sense, when `audited`: they are shown."""
    params: tuple[str, ...]
    if isinstance(record, Citizen):
        clause, params = "team_id = ? AND cpr = ? AND id <> ?", (record.team_id, record.cpr)
    else:
        clause = "team_id = ? AND cvr = ? AND coalesce(p_number, '') = ? AND id <> ?"
        params = (record.team_id, record.cvr, record.p_number or "")
    repo = ws.repo(type(record))
    params = (*params, record.id)
    if audited:
        return list(repo.where(clause, params, order="id"))
    return [r for batch in repo.batches(clause, params, order="id") for r in batch]


def key(record: Citizen | Company) -> tuple[str, ...]:
    """What makes records one: the team and the CPR number, or the team, the CVR number and the
    P-number. Records with equal keys are duplicates."""
    if isinstance(record, Citizen):
        return (CITIZENS, record.team_id, record.cpr)
    return (COMPANIES, record.team_id, record.cvr, record.p_number or "")


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
# Live placements and contact persons of a deleted citizen or company: made on a laptop that had
# not yet heard of a merge, they arrive after it and hang off the record it deleted.
_OF_DELETED = "{column} IN (SELECT id FROM {table} WHERE deleted = 1 AND team_id = ?)"
# What makes two records one (the same in every member of a group), and what every record has.
_KEYS = frozenset({"id", "team_id", "cpr", "cvr", "p_number"})
NOTES = "notes"

Key = tuple[str, ...]


@dataclass(frozen=True)
class Member:
    """One record of a group, with what hangs off it. A deleted member is one merged (or
    deleted) before placements or contact persons made for it offline arrived: they move to
    the kept record, and it cannot be the one kept."""

    record: Citizen | Company
    placements: int
    contacts: int  # contact persons (companies; 0 for a citizen)
    deleted: bool = False


@dataclass(frozen=True)
class Group:
    """Records of this team that are one citizen (CPR) or one workplace (CVR and P-number): the
    live ones oldest first (ids are UUIDv7: made in time order), then any deleted one that
    still has live placements or contact persons."""

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
    deleting: int  # of the others, how many are deleted now (the rest were deleted before)


def compared_fields(record: Citizen | Company) -> tuple[str, ...]:
    """The fields a consultant compares: all but the id, the team and the key that makes the
    records one (the CPR number, or the CVR and P-number)."""
    return tuple(f.name for f in dataclasses.fields(record) if f.name not in _KEYS)


def count(ws: Workspace) -> int:
    """How many groups of duplicates there are (for the navigation; nothing is shown, so the
    citizens are not read in the audit's sense)."""
    team = (ws.team_id, ws.team_id)
    keys = {key(c) for batch in ws.repos.citizens.batches(_SAME_CPR, team) for c in batch}
    keys |= {key(c) for batch in ws.repos.companies.batches(_SAME_WORKPLACE, team)
             for c in batch}
    keys |= {key(gone) for gone in _left_behind(ws) if same_as(ws, gone, audited=False)}
    return len(keys)


def groups(ws: Workspace) -> list[Group]:
    """Every group of duplicates of this team: citizens first, each group by name."""
    team = (ws.team_id, ws.team_id)
    by_key: dict[Key, list[Citizen | Company]] = {}
    live: list[Citizen | Company] = [*ws.repos.citizens.where(_SAME_CPR, team, order="id"),
                                     *ws.repos.companies.where(_SAME_WORKPLACE, team, order="id")]
    for record in live:
        by_key.setdefault(key(record), []).append(record)
    for gone in _left_behind(ws):
        if key(gone) not in by_key:
            same = same_as(ws, gone)
            if not same:
                continue  # nothing to move its placements to: not a duplicate
            by_key[key(gone)] = list(same)
        by_key[key(gone)].append(gone)
    found = [Group(CITIZENS if key[0] == CITIZENS else COMPANIES,
                   tuple(_member(ws, r) for r in records)) for key, records in by_key.items()]
    found.sort(key=lambda g: (g.kind != CITIZENS, g.members[0].record.name.casefold(), g.ids))
    return found


def _left_behind(ws: Workspace) -> list[Citizen | Company]:
    """Deleted citizens and companies of this team that live placements or contact persons
    still point to (not a read of them: nothing is shown)."""
    team = (ws.team_id,)
    citizen_ids = {p.citizen_id for batch in ws.repos.placements.batches(
        _OF_DELETED.format(column="citizen_id", table="citizens"), team) for p in batch}
    company_ids = {p.company_id for batch in ws.repos.placements.batches(
        _OF_DELETED.format(column="company_id", table="companies"), team) for p in batch}
    company_ids |= {c.company_id for batch in ws.repos.contacts.batches(
        _OF_DELETED.format(column="company_id", table="companies"), team) for c in batch}
    citizens = [ws.repos.citizens.fetch_unaudited(i) for i in sorted(citizen_ids)]
    companies = [ws.repos.companies.fetch_unaudited(i) for i in sorted(company_ids)]
    return [r for r in (*citizens, *companies) if r is not None]


def _member(ws: Workspace, record: Citizen | Company) -> Member:
    deleted = ws.repo(type(record)).is_deleted(record.id)
    if isinstance(record, Citizen):
        return Member(record, ws.repos.placements.count_where("citizen_id = ?", (record.id,)), 0,
                      deleted)
    return Member(record, ws.repos.placements.count_where("company_id = ?", (record.id,)),
                  ws.repos.contacts.count_where("company_id = ?", (record.id,)), deleted)


def plan(ws: Workspace, keep_id: str, other_id: str, *more_ids: str) -> MergePlan:
    """What merging the others into `keep_id` would do; refused (ValidationError) for a record
    merged with itself, one that is not live (a deleted other only while placements or contact
    persons still point to it), of another team, or not the same citizen or workplace. The rule
    for the fields: the kept record keeps every value it has; a field it lacks (empty, or a box
    not ticked) takes the first live other record's value that has one; notes that differ are
    all kept, the others' below the kept one's."""
    other_ids = (other_id, *more_ids)
    if keep_id in other_ids or len(set(other_ids)) != len(other_ids):
        raise ValidationError([DomainError("merge_self")])
    keep = _record(ws, keep_id)
    others = tuple(_record(ws, row_id) for row_id in other_ids)
    members = [_member(ws, o) for o in others]
    if ws.repo(type(keep)).is_deleted(keep_id) or any(
            m.deleted and not (m.placements or m.contacts) for m in members):
        raise ValidationError([DomainError("unknown_reference", "id")])
    if keep.team_id != ws.team_id or any(o.team_id != ws.team_id for o in others):
        raise ValidationError([DomainError("other_team")])
    if any(type(o) is not type(keep) or key(o) != key(keep) for o in others):
        raise ValidationError([DomainError("not_duplicates")])
    kept, filled = _filled(keep, [m.record for m in members if not m.deleted])
    kind = CITIZENS if isinstance(keep, Citizen) else COMPANIES
    return MergePlan(kind, kept, others, filled, sum(m.placements for m in members),
                     sum(m.contacts for m in members), sum(not m.deleted for m in members))


@operation
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
            if not ws.repo(type(other)).is_deleted(other.id):
                ws.delete(type(other), other.id)
    return done


def _record(ws: Workspace, row_id: str) -> Citizen | Company:
    """The citizen or company, deleted or not (never shown: not a read)."""
    record: Citizen | Company | None = ws.repos.citizens.fetch_unaudited(row_id)
    if record is None:
        record = ws.repos.companies.fetch_unaudited(row_id)
    if record is None:
        raise ValidationError([DomainError("unknown_reference", "id", {"id": row_id})])
    return record


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
