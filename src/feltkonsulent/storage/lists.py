"""The four lists of the desktop app (Virksomheder, Borgere, Forløb, Besøg), a page at a time:
sorted and filtered in SQL along the indexes of migration 0003, never in Python over all rows.

A page is read in two steps. The first finds the page's ids by walking the index of the sort
(each ends in `id`, the tie-break that keeps paging stable, and holds the ids the filter needs),
so it reads index entries, not rows; the second reads those rows for display.

A filter is matched against names with LIKE '%…%' (words in order, anywhere, any case), which
reads every name of a table: 80,000 citizens' names take about 5-10 ms, where a prefix match
would take well under 1 ms but would not find "Hassan" in "Amina Hassan". The names that match
are looked up first, and their number decides how the page is read (`_Listing`). The look-up is
kept until the database changes, so a count and the pages after it with the same filter do it
once. bench/lists.py measures every list, sort and filter.

Names and other text sort in Danish order (the `danish` collation of storage/danish.py: Æ, Ø, Å
after Z, "aa" as å, any case), and so do the indexes that give those orders (migration 0008).
"""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from feltkonsulent.domain.enums import PlacementKind, PlacementStatus, Purpose, TargetGroup, VisitMode
from feltkonsulent.domain.validation import mask_cpr
from feltkonsulent.storage.audit import AuditAction, audit
from feltkonsulent.storage.database import Store

# A filter whose names match at most `_FEW` rows of a table is read from those rows; up to
# `_MANY`, by walking the sort's index and checking each entry against their ids; beyond, by
# walking and checking names (see `_Listing`; bench/lists.py measures each side).
_FEW = 300
_MANY = 5000


# -- rows -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CompanyRow:
    id: str
    name: str
    cvr: str
    city: str | None
    industry: str | None
    employee_count: Decimal | None
    active_placements: int  # live placements that are planned or active


@dataclass(frozen=True)
class CitizenRow:
    """One line of the citizen list; the CPR number is masked here, never shown whole."""

    id: str
    name: str
    masked_cpr: str
    target_group: TargetGroup
    danish_level: str | None
    needs_interpreter: bool
    active_placements: int


@dataclass(frozen=True)
class PlacementRow:
    """One line of the placement list; the CPR number is masked here, not in the view."""

    id: str
    citizen_id: str
    citizen_name: str
    masked_cpr: str
    company_id: str
    company_name: str
    kind: PlacementKind
    purpose: Purpose | None
    start_date: date
    end_date: date
    weekly_hours: Decimal | None
    status: PlacementStatus


@dataclass(frozen=True)
class VisitRow:
    id: str
    placement_id: str
    citizen_name: str
    company_name: str
    planned_on: date | None
    visited_on: date | None
    mode: VisitMode
    corrected: bool  # this note corrects an earlier wording (a moved or fulfilled plan is not)


# -- filter text ----------------------------------------------------------------------------
_LIKE_SPECIAL = re.compile(r"[\\%_]")


def name_match(column: str, text: str) -> tuple[str, tuple[str, ...]]:
    """SQL true where `column` has the words of `text` in this order, each anywhere and in any
    case (`fat had` finds "Fatima Haddad"), and its parameters. LIKE folds ASCII letters only,
    so a letter like ø is `_` (any one character) in the LIKE, and a GLOB with a class per
    letter (`[øØ]`) checks the rows the LIKE lets through: a GLOB alone is four times slower."""
    words = text.split()
    like = "%" + "%".join(_like_word(word) for word in words) + "%"
    if all(word.isascii() for word in words):
        return f"{column} LIKE ? ESCAPE '\\'", (like,)
    glob = "*" + "*".join(_glob_word(word) for word in words) + "*"
    return f"({column} LIKE ? ESCAPE '\\' AND {column} GLOB ?)", (like, glob)


def _cases(char: str) -> list[str]:
    return [c for c in dict.fromkeys((char, char.lower(), char.upper())) if len(c) == 1]


def _like_word(word: str) -> str:
    return "".join(
        "_" if not char.isascii() and len(_cases(char)) > 1 else _LIKE_SPECIAL.sub(r"\\\g<0>", char)
        for char in word
    )


def _glob_word(word: str) -> str:
    parts = []
    for char in word:
        cases = _cases(char)
        if char in "*?[":
            parts.append(f"[{char}]")
        elif len(cases) > 1:
            parts.append("[" + "".join(cases) + "]")
        else:
            parts.append(char)
    return "".join(parts)


def number_prefix(text: str, most: int) -> str | None:
    """The digits of `text` when it is a CVR or CPR number being typed (spaces and dashes
    allowed: `211062-56`), else None."""
    digits = re.sub(r"[\s-]", "", text)
    if digits and digits.isascii() and digits.isdigit() and len(digits) <= most:
        return digits
    return None


@dataclass(frozen=True)
class _Names:
    """A filter's condition on one table (citizens or companies), on its own columns."""

    table: str
    where: str
    params: tuple[object, ...]


_Filter = tuple[_Names, ...]


def _name_filter(text: str, tables: Sequence[str]) -> _Filter:
    where, params = name_match("name", text)
    return tuple(_Names(table, where, params) for table in tables)


def _company_filter(text: str) -> _Filter | None:
    if not text.strip():
        return None
    cvr = number_prefix(text, 8)
    by_cvr = () if cvr is None else (_Names("companies", "cvr GLOB ?", (f"{cvr}*",)),)
    return (*_name_filter(text, ["companies"]), *by_cvr)


def _citizen_filter(text: str) -> _Filter | None:
    if not text.strip():
        return None
    cpr = number_prefix(text, 10)
    if cpr is None:
        return _name_filter(text, ["citizens"])
    return (_Names("citizens", "cpr GLOB ?", (f"{cpr}*",)),)


def _placement_filter(text: str) -> _Filter | None:
    if not text.strip():
        return None
    return _name_filter(text, ["citizens", "companies"])


# -- how a list is read ---------------------------------------------------------------------
def rank(column: str, values: type[StrEnum]) -> str:
    """An enum column in the order of its declaration (planned, active, ended, cancelled), not
    of its codes. Migration 0003 indexes the same expression, written out."""
    cases = " ".join(f"WHEN '{member.value}' THEN {number}" for number, member in enumerate(values))
    return f"CASE {column} {cases} END"


@dataclass(frozen=True)
class _Sort:
    """One sort of a list: its ORDER BY terms (ascending; the list's id is added last), and
    `walk`, the FROM clause that walks its index (CROSS JOIN fixes SQLite's join order, so the
    table whose index gives the order comes first). `members`: per table, the column checked
    against the ids of its matching names during that walk, at the outermost table that has it;
    `wrap` goes around those checks when the walk's table does not hold the column itself."""

    terms: tuple[str, ...]
    walk: str
    members: Mapping[str, str]
    wrap: str = "{}"


@dataclass(frozen=True)
class _Listing:
    """How one list is read. A filter is read one of three ways (`_plan`), by how many names
    match in each table:

    - up to `_FEW`: the list's rows are found from those ids (`matched`, led by the table they
      are looked up in, with the columns `owners`), then sorted;
    - up to `_MANY`: the sort's index is walked and each entry is checked against the ids
      (`_Sort.members`); an entry that does not match costs no row read;
    - more (a common word): the sort's index is walked and each entry's names are checked
      (`checks`, wrapped in `check_wrap` where the walk does not hold the owner's column).

    `live` keeps out deleted rows, and rows of a deleted citizen or company, without a join:
    there are few such, found by the tombstone indexes.
    """

    name: str
    id_column: str
    live: str
    sorts: Mapping[str, _Sort]
    matched: str
    owners: Mapping[str, str]
    checks: Mapping[str, str]
    check_wrap: Mapping[str, str]  # per sort, where it is not "{}"
    display: str  # SELECT ... WHERE <id_column> IN (SELECT value FROM json_each(?))
    total: str  # SELECT count(*) of every row the list shows, unfiltered
    counting: _Sort  # the walk that counts the rows of a common word (its order is not used)

    def sort(self, name: str) -> _Sort:
        if name not in self.sorts:
            raise ValueError(f"{self.name} cannot be sorted by {name!r}; it sorts by {', '.join(self.sorts)}")
        return self.sorts[name]

    def order(self, name: str, descending: bool) -> str:
        direction = " DESC" if descending else ""
        return ", ".join(f"{term}{direction}" for term in (*self.sort(name).terms, self.id_column))


_IDS = "SELECT value FROM json_each(?)"


def _any(conditions: Sequence[str]) -> str:
    return "(" + " OR ".join(conditions) + ")"


_Ids = dict[str, list[str]] | None
# The last look-up per open database: a list asks for its count and then its pages with the same
# filter text, and looking up names is most of a filtered page's cost.
_last_lookup: weakref.WeakKeyDictionary[Store, tuple[object, _Ids]] = weakref.WeakKeyDictionary()


def _matching_ids(store: Store, found: _Filter) -> _Ids:
    """The ids of the live rows whose names match, per table; None when a table has more than
    `_MANY` (each look-up stops there, so a common word costs little).

    Kept for the next call until the database changes: `data_version` changes when another
    connection commits, `total_changes` when this one writes (even a write rolled back)."""
    version = (store.conn.execute("PRAGMA data_version").fetchone()[0], store.conn.total_changes)
    key = (found, version, _MANY)
    last = _last_lookup.get(store)
    if last is not None and last[0] == key:
        return last[1]
    ids: dict[str, dict[str, None]] = {}
    result: _Ids = None
    for names in found:
        rows = store.conn.execute(
            f"SELECT id FROM {names.table} WHERE deleted = 0 AND {names.where} LIMIT ?",
            [*names.params, _MANY + 1],
        ).fetchall()
        if len(rows) > _MANY:
            break
        ids.setdefault(names.table, {}).update(dict.fromkeys(r[0] for r in rows))
    else:
        result = {table: list(found_ids) for table, found_ids in ids.items() if found_ids}
    _last_lookup[store] = (key, result)
    return result


def forget_lookups() -> None:
    """Drop the kept look-ups (for measuring a filter typed anew)."""
    _last_lookup.clear()


@dataclass(frozen=True)
class _Plan:
    source: str
    condition: str
    params: list[object]


def _plan(
    store: Store, listing: _Listing, walk: _Sort, check_wrap: str, found: _Filter | None, count: bool = False
) -> _Plan | None:
    """How to read the rows of a filter (see `_Listing`), or None when nothing matches."""
    if found is None:
        return _Plan(walk.walk, "1", [])
    ids = _matching_ids(store, found)
    if ids is None:
        params = [p for names in found for p in names.params]
        if count:  # every row is checked: against the sets of names, built once
            sets = [
                f"{walk.members[n.table]} IN (SELECT id FROM {n.table} WHERE deleted = 0 AND {n.where})"
                for n in found
            ]
            return _Plan(walk.walk, walk.wrap.format(_any(sets)), params)
        checks = [listing.checks[names.table].format(names.where) for names in found]
        return _Plan(walk.walk, check_wrap.format(_any(checks)), params)
    if not ids:
        return None
    params = [json.dumps(table_ids) for table_ids in ids.values()]
    if count or max(len(table_ids) for table_ids in ids.values()) <= _FEW:
        return _Plan(listing.matched, _any([f"{listing.owners[t]} IN ({_IDS})" for t in ids]), params)
    return _Plan(walk.walk, walk.wrap.format(_any([f"{walk.members[t]} IN ({_IDS})" for t in ids])), params)


def _check_page(offset: int, limit: int) -> None:
    if offset < 0 or limit < 0:
        raise ValueError("offset and limit are 0 or more")


def page_query(
    store: Store,
    listing: _Listing,
    sort: str,
    descending: bool,
    found: _Filter | None,
    offset: int,
    limit: int,
    extra: tuple[str, Sequence[object]] = ("1", ()),
) -> tuple[str, list[object]] | None:
    """The SQL (and parameters) that finds a page's ids, or None when nothing can match."""
    order = listing.order(sort, descending)
    _check_page(offset, limit)
    plan = _plan(store, listing, listing.sort(sort), listing.check_wrap.get(sort, "{}"), found)
    if plan is None:
        return None
    return (
        f"SELECT {listing.id_column} FROM {plan.source} "
        f"WHERE {listing.live} AND {plan.condition} AND {extra[0]} ORDER BY {order} LIMIT ? OFFSET ?",
        [*plan.params, *extra[1], limit, offset],
    )


def _page(
    store: Store,
    listing: _Listing,
    sort: str,
    descending: bool,
    found: _Filter | None,
    offset: int,
    limit: int,
    extra: tuple[str, Sequence[object]] = ("1", ()),
) -> list[Any]:
    """The display rows of one page, in the page's order."""
    query = page_query(store, listing, sort, descending, found, offset, limit, extra)
    if query is None or limit == 0:
        return []
    ids = [r[0] for r in store.conn.execute(*query)]
    if not ids:
        return []
    rows = {r[0]: r for r in store.conn.execute(listing.display, (json.dumps(ids),))}
    return [rows[i] for i in ids if i in rows]  # a row deleted in between is left out


def count_query(store: Store, listing: _Listing, found: _Filter | None) -> tuple[str, list[object]] | None:
    """The SQL (and parameters) that counts a filter's rows, or None when nothing can match."""
    if found is None:
        return listing.total, []
    plan = _plan(store, listing, listing.counting, "{}", found, count=True)
    if plan is None:
        return None
    return f"SELECT count(*) FROM {plan.source} WHERE {listing.live} AND {plan.condition}", plan.params


def _count(store: Store, listing: _Listing, found: _Filter | None) -> int:
    if found is not None and set(listing.owners.values()) == {listing.id_column}:
        ids = _matching_ids(store, found)  # the list's own rows, looked up live
        if ids is not None:
            return sum(len(table_ids) for table_ids in ids.values())
    query = count_query(store, listing, found)
    return 0 if query is None else int(store.conn.execute(*query).fetchone()[0])


def _decimal(value: float | None) -> Decimal | None:
    """A REAL read back as the codec does: through repr, so 37.5 stays 37.5 and 200 stays 200."""
    if value is None:
        return None
    return Decimal(int(value)) if float(value).is_integer() else Decimal(repr(value))


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


# -- the four lists -------------------------------------------------------------------------
# Planned and active placements; migration 0003 has a partial index on this for companies.
_OPEN_AT_COMPANY = (
    "(SELECT count(*) FROM placements o WHERE o.company_id = co.id AND o.deleted = 0 "
    "AND o.status IN ('planned', 'active'))"
)
_OPEN_OF_CITIZEN = (
    "(SELECT count(*) FROM placements o WHERE o.citizen_id = c.id AND o.deleted = 0 "
    "AND o.status IN ('planned', 'active'))"
)


def _single(alias: str, table: str, sorts: Mapping[str, str]) -> dict[str, _Sort]:
    """The sorts of a list of one table: each walks the table by the index on its term."""
    members = {table: f"+{alias}.id"}
    return {name: _Sort((term,), f"{table} {alias}", members) for name, term in sorts.items()}


COMPANIES = _Listing(
    name="company_list",
    id_column="co.id",
    live="co.deleted = 0",
    sorts=_single(
        "co",
        "companies",
        {
            "name": "co.name COLLATE danish",
            "cvr": "co.cvr",
            "city": "co.city COLLATE danish",
            "industry": "co.industry COLLATE danish",
            "employee_count": "co.employee_count",
            "active_placements": _OPEN_AT_COMPANY,  # counted for every company (25,000: 20 ms)
        },
    ),
    matched="companies co",
    owners={"companies": "co.id"},
    checks={"companies": "{}"},
    check_wrap={},
    display=(
        f"SELECT co.id, co.name, co.cvr, co.city, co.industry, co.employee_count, {_OPEN_AT_COMPANY} "
        f"FROM companies co WHERE co.id IN ({_IDS})"
    ),
    total="SELECT count(*) FROM companies WHERE deleted = 0",
    counting=_Sort(("co.id",), "companies co", {"companies": "+co.id"}),
)

CITIZENS = _Listing(
    name="citizen_list",
    id_column="c.id",
    live="c.deleted = 0",
    sorts=_single(
        "c",
        "citizens",
        {
            "name": "c.name COLLATE danish",
            "target_group": rank("c.target_group", TargetGroup),
            "danish_level": "c.danish_level COLLATE danish",
            "needs_interpreter": "c.needs_interpreter",
        },
    ),
    matched="citizens c",
    owners={"citizens": "c.id"},
    checks={"citizens": "{}"},
    check_wrap={},
    display=(
        "SELECT c.id, c.name, c.cpr, c.target_group, c.danish_level, c.needs_interpreter, "
        f"{_OPEN_OF_CITIZEN} FROM citizens c WHERE c.id IN ({_IDS})"
    ),
    total="SELECT count(*) FROM citizens WHERE deleted = 0",
    counting=_Sort(("c.id",), "citizens c", {"citizens": "+c.id"}),
)

# Live rows whose citizen or company is deleted (sync can leave such) are not shown.
_DELETED_CITIZENS = "SELECT id FROM citizens WHERE deleted = 1"
_DELETED_COMPANIES = "SELECT id FROM companies WHERE deleted = 1"
_SHOWN_PLACEMENT = (
    f"p.deleted = 0 AND p.citizen_id NOT IN ({_DELETED_CITIZENS}) "
    f"AND p.company_id NOT IN ({_DELETED_COMPANIES})"
)
_HIDDEN_PLACEMENTS = (
    "SELECT id FROM placements WHERE deleted = 1 UNION ALL SELECT id FROM placements "
    f"WHERE deleted = 0 AND (citizen_id IN ({_DELETED_CITIZENS}) OR company_id IN ({_DELETED_COMPANIES}))"
)
_OWNERS = {"citizens": "p.citizen_id", "companies": "p.company_id"}
# A name of the placement's citizen or company, checked row by row (through the (id, name)
# indexes, which hold live rows only).
_CHECKS = {
    "citizens": "EXISTS (SELECT 1 FROM citizens INDEXED BY citizens_list_id "
    "WHERE id = p.citizen_id AND deleted = 0 AND {})",
    "companies": "EXISTS (SELECT 1 FROM companies INDEXED BY companies_list_id "
    "WHERE id = p.company_id AND deleted = 0 AND {})",
}
_BY_CITIZEN = (
    "citizens c CROSS JOIN placements p INDEXED BY placements_list_citizen "
    "ON p.citizen_id = c.id AND c.deleted = 0 AND p.deleted = 0"
)
_BY_COMPANY = (
    "companies co CROSS JOIN placements p INDEXED BY placements_list_company "
    "ON p.company_id = co.id AND co.deleted = 0 AND p.deleted = 0"
)


_MEMBERS = {"citizens": "+p.citizen_id", "companies": "+p.company_id"}
# Placements with their names (for rows found by ids), read from the (id, name) indexes.
_PLACEMENT_NAMES = (
    "placements p CROSS JOIN citizens c INDEXED BY citizens_list_id ON c.id = p.citizen_id AND c.deleted = 0 "
    "CROSS JOIN companies co INDEXED BY companies_list_id ON co.id = p.company_id AND co.deleted = 0"
)


def _placement_sort(term: str) -> _Sort:
    return _Sort((term,), "placements p", _MEMBERS)


PLACEMENTS = _Listing(
    name="placement_list",
    id_column="p.id",
    live=_SHOWN_PLACEMENT,
    sorts={
        "end_date": _placement_sort("p.end_date"),
        "start_date": _placement_sort("p.start_date"),
        "citizen_name": _Sort(
            ("c.name COLLATE danish", "c.id"),
            _BY_CITIZEN,
            {"citizens": "+c.id", "companies": "+p.company_id"},
        ),
        "company_name": _Sort(
            ("co.name COLLATE danish", "co.id"),
            _BY_COMPANY,
            {"citizens": "+p.citizen_id", "companies": "+co.id"},
        ),
        "kind": _placement_sort(rank("p.kind", PlacementKind)),
        "purpose": _placement_sort(rank("p.purpose", Purpose)),
        "weekly_hours": _placement_sort("p.weekly_hours"),
        "status": _placement_sort(rank("p.status", PlacementStatus)),
    },
    matched=_PLACEMENT_NAMES,
    owners=_OWNERS,
    checks=_CHECKS,
    check_wrap={},
    display=(
        "SELECT p.id, p.citizen_id, c.name, c.cpr, p.company_id, co.name, p.kind, p.purpose, "
        "p.start_date, p.end_date, p.weekly_hours, p.status "
        "FROM placements p JOIN citizens c ON c.id = p.citizen_id JOIN companies co ON co.id = p.company_id "
        f"WHERE p.id IN ({_IDS})"
    ),
    total=(
        "SELECT (SELECT count(*) FROM placements WHERE deleted = 0) "
        f"- (SELECT count(*) FROM placements WHERE id IN ({_HIDDEN_PLACEMENTS}) AND deleted = 0)"
    ),
    counting=_Sort(("p.id",), "placements p INDEXED BY placements_list_id", _MEMBERS),
)


# A visit sort's walk holds the visit's placement id only: the ids of the names that match are
# turned into the ids of their placements, once.
_VISIT_MEMBERS = f"+v.placement_id IN (SELECT p.id FROM placements p WHERE {_SHOWN_PLACEMENT} AND {{}})"
_ITS_VISITS = "aftercare_visits v INDEXED BY visits_list_placement ON v.placement_id = p.id"


def _visit_sort(term: str) -> _Sort:
    return _Sort((term,), "aftercare_visits v", _OWNERS, _VISIT_MEMBERS)


# A visit is one row however often its note was corrected, its planned date moved, or its plan
# fulfilled by the note: each of those is a new record that supersedes the one before, and the
# list shows the latest (the few superseded ones are found by the index on `supersedes`).
_CURRENT_VISIT = (
    "NOT EXISTS (SELECT 1 FROM aftercare_visits s INDEXED BY visits_supersedes "
    "WHERE s.supersedes = v.id AND s.deleted = 0)"
)
_SUPERSEDED_VISITS = "SELECT supersedes FROM aftercare_visits WHERE deleted = 0 AND supersedes IS NOT NULL"
# It corrects what an earlier version said of a visit made (not a plan moved or fulfilled).
_CORRECTS_A_NOTE = (
    "(v.supersedes IS NOT NULL AND EXISTS (SELECT 1 FROM aftercare_visits o "
    "WHERE o.id = v.supersedes AND o.visited_on IS NOT NULL))"
)
_VISIT_THROUGH_PLACEMENT = (
    "EXISTS (SELECT 1 FROM placements p INDEXED BY placements_list_id WHERE p.id = v.placement_id "
    "AND p.deleted = 0 AND {})"
)
VISITS = _Listing(
    name="visit_list",
    id_column="v.id",
    live=f"v.deleted = 0 AND v.placement_id NOT IN ({_HIDDEN_PLACEMENTS}) AND {_CURRENT_VISIT}",
    sorts={
        "date": _visit_sort("coalesce(v.visited_on, v.planned_on)"),
        "planned_on": _visit_sort("v.planned_on"),
        "visited_on": _visit_sort("v.visited_on"),
        "citizen_name": _Sort(
            ("c.name COLLATE danish", "c.id"),
            f"{_BY_CITIZEN} CROSS JOIN {_ITS_VISITS}",
            {"citizens": "+c.id", "companies": "+p.company_id"},
        ),
        "company_name": _Sort(
            ("co.name COLLATE danish", "co.id"),
            f"{_BY_COMPANY} CROSS JOIN {_ITS_VISITS}",
            {"citizens": "+p.citizen_id", "companies": "+co.id"},
        ),
        "mode": _visit_sort(rank("v.mode", VisitMode)),
    },
    matched=f"{_PLACEMENT_NAMES} CROSS JOIN aftercare_visits v ON v.placement_id = p.id",
    owners=_OWNERS,
    checks=_CHECKS,
    check_wrap={sort: _VISIT_THROUGH_PLACEMENT for sort in ("date", "planned_on", "visited_on", "mode")},
    display=(
        "SELECT v.id, v.placement_id, c.name, co.name, v.planned_on, v.visited_on, v.mode, "
        f"{_CORRECTS_A_NOTE}, p.citizen_id "
        "FROM aftercare_visits v JOIN placements p ON p.id = v.placement_id "
        "JOIN citizens c ON c.id = p.citizen_id JOIN companies co ON co.id = p.company_id "
        f"WHERE v.id IN ({_IDS})"
    ),
    total=(
        "SELECT (SELECT count(*) FROM aftercare_visits WHERE deleted = 0) "
        "- (SELECT count(*) FROM aftercare_visits v INDEXED BY visits_list_placement "
        f"WHERE v.deleted = 0 AND v.placement_id IN ({_HIDDEN_PLACEMENTS})) "
        f"- (SELECT count(*) FROM aftercare_visits v WHERE v.deleted = 0 AND v.id IN ({_SUPERSEDED_VISITS}) "
        f"AND v.placement_id NOT IN ({_HIDDEN_PLACEMENTS}))"
    ),
    counting=_Sort(("v.id",), "aftercare_visits v INDEXED BY visits_list_placement", _OWNERS, _VISIT_MEMBERS),
)


COMPANY_SORTS = tuple(COMPANIES.sorts)
CITIZEN_SORTS = tuple(CITIZENS.sorts)
PLACEMENT_SORTS = tuple(PLACEMENTS.sorts)
VISIT_SORTS = tuple(VISITS.sorts)


# -- reading --------------------------------------------------------------------------------
def company_rows(
    store: Store,
    sort: str = "name",
    descending: bool = False,
    text: str = "",
    offset: int = 0,
    limit: int = 50,
) -> list[CompanyRow]:
    rows = _page(store, COMPANIES, sort, descending, _company_filter(text), offset, limit)
    return [CompanyRow(r[0], r[1], r[2], r[3], r[4], _decimal(r[5]), r[6]) for r in rows]


def company_count(store: Store, text: str = "") -> int:
    return _count(store, COMPANIES, _company_filter(text))


def citizen_rows(
    store: Store,
    sort: str = "name",
    descending: bool = False,
    text: str = "",
    offset: int = 0,
    limit: int = 50,
) -> list[CitizenRow]:
    """A page of the citizen list; it shows citizens, so it is audited as reads."""
    rows = _page(store, CITIZENS, sort, descending, _citizen_filter(text), offset, limit)
    page = [CitizenRow(r[0], r[1], mask_cpr(r[2]), TargetGroup(r[3]), r[4], bool(r[5]), r[6]) for r in rows]
    if page:
        audit(store, AuditAction.READ, CITIZENS.name, [(row.id, row.id) for row in page])
    return page


def citizen_count(store: Store, text: str = "") -> int:
    return _count(store, CITIZENS, _citizen_filter(text))


def placement_rows(
    store: Store,
    sort: str = "end_date",
    descending: bool = False,
    text: str = "",
    offset: int = 0,
    limit: int = 50,
    *,
    status: PlacementStatus | None = None,
    company_id: str | None = None,
) -> list[PlacementRow]:
    """A page of the placement list (audited: it names citizens). `status` keeps only placements
    of that status (for `queries.placement_page`), `company_id` those at one company."""
    clauses = [("p.status = ?", str(status)) if status else None,
               ("p.company_id = ?", company_id) if company_id else None]
    kept = [c for c in clauses if c is not None]
    extra: tuple[str, Sequence[object]] = (
        " AND ".join(sql for sql, _ in kept) or "1", [value for _, value in kept]
    )
    rows = _page(store, PLACEMENTS, sort, descending, _placement_filter(text), offset, limit, extra)
    page = [
        PlacementRow(
            r[0], r[1], r[2], mask_cpr(r[3]), r[4], r[5], PlacementKind(r[6]),
            None if r[7] is None else Purpose(r[7]), date.fromisoformat(r[8]), date.fromisoformat(r[9]),
            _decimal(r[10]), PlacementStatus(r[11]),
        )
        for r in rows
    ]  # fmt: skip
    if page:
        audit(store, AuditAction.READ, PLACEMENTS.name, [(row.id, row.citizen_id) for row in page])
    return page


def placement_count(store: Store, text: str = "") -> int:
    return _count(store, PLACEMENTS, _placement_filter(text))


def visit_rows(
    store: Store,
    sort: str = "date",
    descending: bool = False,
    text: str = "",
    offset: int = 0,
    limit: int = 50,
) -> list[VisitRow]:
    """A page of the visit list, a row per visit: its latest version (audited: it names citizens)."""
    rows = _page(store, VISITS, sort, descending, _placement_filter(text), offset, limit)
    page = [
        VisitRow(r[0], r[1], r[2], r[3], _date(r[4]), _date(r[5]), VisitMode(r[6]), bool(r[7])) for r in rows
    ]
    if rows:
        audit(store, AuditAction.READ, VISITS.name, [(r[0], r[8]) for r in rows])
    return page


def visit_count(store: Store, text: str = "") -> int:
    return _count(store, VISITS, _placement_filter(text))
