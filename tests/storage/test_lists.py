"""The four lists' read models: every sort in both directions gives the order Python gives the
same records, paging meets every shown row once, each filter finds by what it claims in each of
its three ways of reading, deleted rows and whole CPR numbers never show, pages are audited."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from feltkonsulent.domain.entities import AftercareVisit, Citizen, Company, Placement
from feltkonsulent.domain.enums import PlacementKind, PlacementStatus, Purpose, TargetGroup, VisitMode
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.storage import danish, lists
from feltkonsulent.storage.database import Store, open_database
from feltkonsulent.storage.keys import RawKey
from tests import factories


def in_danish(text: str) -> tuple[str, str]:
    """The lists' `danish` collation as a Python key (Æ, Ø, Å after Z, "aa" as å, any case)."""
    return danish.order(text)


def valid_cvr(seed: int) -> str:
    """An 8-digit CVR number with its modulus-11 check digit."""
    for n in itertools.count(1_000_000 + seed * 7919):
        digits = [int(d) for d in str(n)[:7]]
        rest = sum(w * d for w, d in zip((2, 7, 6, 5, 4, 3, 2), digits, strict=True)) % 11
        check = (11 - rest) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)
    raise AssertionError


def cpr(day: int, serial: int) -> str:
    return f"{day:02d}0385{serial:04d}"  # born 1985 (serials 0000-3999 are the 1900s)


@dataclass
class World:
    """Records saved for the tests, and which of them a list shows."""

    companies: list[Company]
    citizens: list[Citizen]
    placements: list[Placement]
    visits: list[AftercareVisit]
    deleted: set[str]  # ids of deleted records of every kind
    superseded: set[str]

    def company(self, company_id: str) -> Company:
        return next(c for c in self.companies if c.id == company_id)

    def citizen(self, citizen_id: str) -> Citizen:
        return next(c for c in self.citizens if c.id == citizen_id)

    def placement(self, placement_id: str) -> Placement:
        return next(p for p in self.placements if p.id == placement_id)

    def shown_companies(self) -> list[Company]:
        return [c for c in self.companies if c.id not in self.deleted]

    def shown_citizens(self) -> list[Citizen]:
        return [c for c in self.citizens if c.id not in self.deleted]

    def shown_placements(self) -> list[Placement]:
        return [
            p for p in self.placements
            if not {p.id, p.citizen_id, p.company_id} & self.deleted
        ]  # fmt: skip

    def shown_visits(self) -> list[AftercareVisit]:
        """A visit once: its latest version (a correction hides what it supersedes)."""
        shown = {p.id for p in self.shown_placements()}
        return [v for v in self.visits
                if v.id not in self.deleted | self.superseded and v.placement_id in shown]

    def open_placements(self, owner: str, owner_id: str) -> int:
        return sum(
            1 for p in self.placements
            if getattr(p, owner) == owner_id and p.id not in self.deleted
            and p.status in (PlacementStatus.PLANNED, PlacementStatus.ACTIVE)
        )  # fmt: skip


COMPANY_NAMES = [
    "Bageriet Ørsted ApS", "netto Vestergade", "Netto Østergade", "Åbyhøj Rengøring",
    "Zeta Byg", "alfa Karsted Transport", "Netto Vestergade", "Café 100% Dansk",
]  # fmt: skip
CITIZEN_NAMES = [
    "Amina Hassan", "amina hassan", "Omar Khalil", "Søren Ølgaard", "Fatima Haddad",
    "Olena Kovalenko", "Mette Jensen", "Ahmad Karimi", "Zainab Warsame", "Amina Hassan",
]  # fmt: skip


def build(ws: Workspace) -> World:
    """A small world with ties in every sort column, empty optional fields, Danish letters, and
    deleted records of every kind, all saved in one transaction."""
    companies = [
        factories.company(
            name=name, cvr=valid_cvr(i), city=[None, "Aarhus C", "aarhus c", "Vejle"][i % 4],
            industry=[None, "Bagerier", "Detailhandel"][i % 3],
            employee_count=[None, Decimal(12), Decimal("12.5"), Decimal(200)][i % 4],
        )
        for i, name in enumerate(COMPANY_NAMES)
    ]  # fmt: skip
    citizens = [
        factories.citizen(
            name=name, cpr=cpr(10 + i, 1000 + i), target_group=list(TargetGroup)[i % 4 * 2],
            danish_level=[None, "DU2", "du2", "DU3, modul 1"][i % 4], needs_interpreter=i % 3 == 0,
        )
        for i, name in enumerate(CITIZEN_NAMES)
    ]  # fmt: skip
    placements = []
    for i in range(24):
        kind = list(PlacementKind)[i % 5]
        start = date(2026, 1, 1) + timedelta(days=7 * (i % 6))
        placements.append(
            factories.placement(
                citizens[i % len(citizens)].id, companies[i % 7].id, kind=kind,
                purpose=Purpose.UPSKILLING if kind is PlacementKind.INTERNSHIP else [None, *Purpose][i % 4],
                start_date=start, end_date=start + timedelta(days=30 * (1 + i % 3)),
                weekly_hours=[None, Decimal("22.5"), Decimal(37), Decimal("22.5")][i % 4],
                status=list(PlacementStatus)[i % 4],
            )
        )  # fmt: skip
    visits = []
    for i in range(30):
        planned = date(2026, 2, 1) + timedelta(days=i % 9)
        visited = [None, planned, planned + timedelta(days=2)][i % 3]
        visits.append(
            factories.visit(
                placements[i % len(placements)].id, planned_on=None if i % 5 == 4 else planned,
                visited_on=visited or (planned if i % 5 == 4 else None), mode=list(VisitMode)[i % 3],
                next_visit_on=None,
            )
        )  # fmt: skip
    deleted: set[str] = set()
    with ws.store.write():
        for record in (*companies, *citizens, *placements, *visits):
            ws.save(record)
        correction = ws.correct_visit(visits[0].id, factories.visit(placements[0].id, next_visit_on=None))
        visits.append(correction)
        repos = ws.repos
        # Deleted rows of every kind; a citizen and a company deleted while they still have live
        # placements (sync can do that), whose placements and visits are then not shown either.
        for repo, record in (
            (repos.companies, companies[7]), (repos.citizens, citizens[9]),
            (repos.placements, placements[5]), (repos.aftercare_visits, visits[3]),
            (repos.citizens, citizens[8]), (repos.companies, companies[6]),
        ):  # fmt: skip
            repo.delete(record.id)
            deleted.add(record.id)
    return World(companies, citizens, placements, visits, deleted, {visits[0].id})


@pytest.fixture
def world(workspace: Workspace) -> World:
    return build(workspace)


# -- what each list shows, computed in Python -----------------------------------------------
def some(value: Any) -> tuple[bool, Any]:
    """NULL first, as SQLite sorts it."""
    return (value is not None, value)


def rank(value: StrEnum | None) -> tuple[bool, int]:
    return some(None if value is None else list(type(value)).index(value))


def company_keys(world: World) -> dict[str, Callable[[Company], Any]]:
    return {
        "name": lambda c: in_danish(c.name),
        "cvr": lambda c: c.cvr,
        "city": lambda c: some(c.city and in_danish(c.city)),
        "industry": lambda c: some(c.industry and in_danish(c.industry)),
        "employee_count": lambda c: some(c.employee_count),
        "active_placements": lambda c: world.open_placements("company_id", c.id),
    }


def citizen_keys(world: World) -> dict[str, Callable[[Citizen], Any]]:
    return {
        "name": lambda c: in_danish(c.name),
        "target_group": lambda c: rank(c.target_group),
        "danish_level": lambda c: some(c.danish_level and in_danish(c.danish_level)),
        "needs_interpreter": lambda c: c.needs_interpreter,
    }


def placement_keys(world: World) -> dict[str, Callable[[Placement], Any]]:
    return {
        "end_date": lambda p: p.end_date,
        "start_date": lambda p: p.start_date,
        "citizen_name": lambda p: (in_danish(world.citizen(p.citizen_id).name), p.citizen_id),
        "company_name": lambda p: (in_danish(world.company(p.company_id).name), p.company_id),
        "kind": lambda p: rank(p.kind),
        "purpose": lambda p: rank(p.purpose),
        "weekly_hours": lambda p: some(p.weekly_hours),
        "status": lambda p: rank(p.status),
    }


def visit_keys(world: World) -> dict[str, Callable[[AftercareVisit], Any]]:
    def owner(v: AftercareVisit) -> Placement:
        return world.placement(v.placement_id)

    return {
        "date": lambda v: some(v.visited_on or v.planned_on),
        "planned_on": lambda v: some(v.planned_on),
        "visited_on": lambda v: some(v.visited_on),
        "citizen_name": lambda v: (in_danish(world.citizen(owner(v).citizen_id).name), owner(v).citizen_id),
        "company_name": lambda v: (in_danish(world.company(owner(v).company_id).name), owner(v).company_id),
        "mode": lambda v: rank(v.mode),
    }


@dataclass(frozen=True)
class Case:
    name: str
    rows: Callable[..., list[Any]]
    count: Callable[[Store, str], int]
    sorts: tuple[str, ...]
    keys: Callable[[World], dict[str, Callable[[Any], Any]]]
    shown: Callable[[World], list[Any]]


CASES = [
    Case("companies", lists.company_rows, lists.company_count, lists.COMPANY_SORTS, company_keys,
         World.shown_companies),
    Case("citizens", lists.citizen_rows, lists.citizen_count, lists.CITIZEN_SORTS, citizen_keys,
         World.shown_citizens),
    Case("placements", lists.placement_rows, lists.placement_count, lists.PLACEMENT_SORTS, placement_keys,
         World.shown_placements),
    Case("visits", lists.visit_rows, lists.visit_count, lists.VISIT_SORTS, visit_keys, World.shown_visits),
]  # fmt: skip
BY_NAME = {case.name: case for case in CASES}


def expected_ids(
    world: World, case: Case, sort: str, descending: bool, keep: Callable[[Any], bool]
) -> list[str]:
    key = case.keys(world)[sort]
    records = [r for r in case.shown(world) if keep(r)]
    return [r.id for r in sorted(records, key=lambda r: (key(r), r.id), reverse=descending)]


def all_pages(store: Store, case: Case, sort: str, descending: bool, text: str, size: int) -> Iterator[Any]:
    for offset in itertools.count(0, size):
        page = case.rows(store, sort, descending, text, offset, size)
        yield from page
        if len(page) < size:
            return


# Each filter is read by ids (few names match), by walking the sort's index and checking ids
# (more), or by walking it and checking names (a common word); all three must agree.
WAYS = {"by ids": (300, 5000), "walk, ids": (0, 5000), "walk, names": (0, 0)}


@pytest.fixture(params=list(WAYS))
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    few, many = WAYS[request.param]
    monkeypatch.setattr(lists, "_FEW", few)
    monkeypatch.setattr(lists, "_MANY", many)
    return str(request.param)


# -- order and paging -------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_sort_both_ways_is_the_order_python_gives(world: World, store: Store, case: Case) -> None:
    assert case.sorts, case.name
    for sort, descending in itertools.product(case.sorts, (False, True)):
        got = [row.id for row in case.rows(store, sort, descending, "", 0, 1000)]
        assert got == expected_ids(world, case, sort, descending, lambda r: True), (sort, descending)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_paging_meets_every_shown_row_once_in_every_sort(world: World, store: Store, case: Case) -> None:
    shown = {r.id for r in case.shown(world)}
    for sort, descending in itertools.product(case.sorts, (False, True)):
        paged = [row.id for row in all_pages(store, case, sort, descending, "", 4)]
        assert paged == [row.id for row in case.rows(store, sort, descending, "", 0, 1000)]
        assert len(paged) == len(set(paged)) and set(paged) == shown, (sort, descending)
    assert case.count(store, "") == len(shown)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_deleted_rows_never_appear(world: World, store: Store, case: Case) -> None:
    every = {r.id for r in getattr(world, case.name)}
    hidden = every - {r.id for r in case.shown(world)}
    assert hidden, "the world has hidden rows of every kind"
    for sort, text in itertools.product(case.sorts, ("", "a", "Netto", "Hassan")):
        ids = {row.id for row in case.rows(store, sort, False, text, 0, 1000)}
        assert not ids & hidden, (sort, text)


def test_a_placement_of_a_deleted_citizen_or_company_is_not_shown(world: World, store: Store) -> None:
    """The citizen and the company were deleted while they had live placements (as sync can
    leave them): their placements and visits are hidden, in the rows and in the counts."""
    orphans = {p.id for p in world.placements if {p.citizen_id, p.company_id} & world.deleted}
    assert orphans and not orphans & world.deleted
    assert not orphans & {row.id for row in lists.placement_rows(store, limit=1000)}
    assert lists.placement_count(store) == len(world.shown_placements()) < len(world.placements) - 1
    assert lists.visit_count(store) == len(world.shown_visits())


def test_every_row_is_what_was_saved(world: World, store: Store) -> None:
    company = world.companies[2]
    (row,) = [r for r in lists.company_rows(store, limit=1000) if r.id == company.id]
    assert row == lists.CompanyRow(
        company.id, company.name, company.cvr, company.city, company.industry, company.employee_count,
        world.open_placements("company_id", company.id),
    )  # fmt: skip
    citizen = world.citizens[3]
    (crow,) = [r for r in lists.citizen_rows(store, limit=1000) if r.id == citizen.id]
    assert crow == lists.CitizenRow(
        citizen.id, citizen.name, f"{citizen.cpr[:6]}-xxxx", citizen.target_group, citizen.danish_level,
        citizen.needs_interpreter, world.open_placements("citizen_id", citizen.id),
    )  # fmt: skip
    placement = world.placements[1]
    (prow,) = [r for r in lists.placement_rows(store, limit=1000) if r.id == placement.id]
    owner, at = world.citizen(placement.citizen_id), world.company(placement.company_id)
    assert prow == lists.PlacementRow(
        placement.id, owner.id, owner.name, f"{owner.cpr[:6]}-xxxx", at.id, at.name, placement.kind,
        placement.purpose, placement.start_date, placement.end_date, placement.weekly_hours, placement.status,
    )  # fmt: skip
    visits = {r.id: r for r in lists.visit_rows(store, limit=1000)}
    plan, note = world.visits[0], world.visits[-1]  # the note fulfils the planned visit
    assert plan.id not in visits and not any(row.corrected for row in visits.values())
    assert visits[note.id] == lists.VisitRow(
        note.id, note.placement_id, world.citizen(world.placement(note.placement_id).citizen_id).name,
        world.company(world.placement(note.placement_id).company_id).name, note.planned_on,
        note.visited_on, note.mode, False,
    )  # fmt: skip


# -- filters ---------------------------------------------------------------------------------
def names_of(world: World, case: Case) -> Callable[[Any], list[str]]:
    """The names a list's filter looks at, for each of its records."""
    if case.name == "companies":
        return lambda c: [c.name]
    if case.name == "citizens":
        return lambda c: [c.name]
    if case.name == "placements":
        return lambda p: [world.citizen(p.citizen_id).name, world.company(p.company_id).name]
    return lambda v: names_of(world, BY_NAME["placements"])(world.placement(v.placement_id))


def matches(name: str, words: list[str]) -> bool:
    """Words in this order, each anywhere, in any case."""
    at = 0
    for word in words:
        found = name.casefold().find(word.casefold(), at)
        if found < 0:
            return False
        at = found + len(word)
    return True


TEXTS = [
    "netto",
    "NETTO vest",
    "ørsted",
    "ØLGAARD",
    "amina",
    "Hassan",
    "a",
    "ha",
    "jensen",
    "zzz",
    "100%",
    "_",
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_filter_finds_names_in_every_way_of_reading(
    world: World, store: Store, case: Case, way: str
) -> None:
    names = names_of(world, case)
    for text, sort in itertools.product(TEXTS, case.sorts):
        want = expected_ids(
            world, case, sort, False, lambda r, t=text: any(matches(n, t.split()) for n in names(r))
        )
        assert [row.id for row in case.rows(store, sort, False, text, 0, 1000)] == want, (text, sort)
        assert case.count(store, text) == len(want), text
    found = {row.id for row in case.rows(store, case.sorts[0], False, "ørsted", 0, 1000)}
    assert bool(found) == (case.name != "citizens")  # the company Bageriet Ørsted, and its rows


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_filtered_list_pages_like_the_whole(world: World, store: Store, case: Case, way: str) -> None:
    for sort in case.sorts:
        whole = [row.id for row in case.rows(store, sort, True, "a", 0, 1000)]
        assert [row.id for row in all_pages(store, case, sort, True, "a", 3)] == whole
        assert whole


def test_companies_are_found_by_cvr_prefix(world: World, store: Store, way: str) -> None:
    company = world.companies[3]
    for typed in (company.cvr[:4], company.cvr, f"{company.cvr[:2]} {company.cvr[2:6]}"):
        found = [row.id for row in lists.company_rows(store, text=typed, limit=1000)]
        want = [c.id for c in world.shown_companies() if c.cvr.startswith(typed.replace(" ", ""))]
        assert company.id in found and sorted(found) == sorted(want), typed
        assert lists.company_count(store, typed) == len(want)


def test_citizens_are_found_by_cpr_prefix_with_or_without_the_dash(
    world: World, store: Store, way: str
) -> None:
    citizen = world.citizens[4]
    for typed in (citizen.cpr[:6], f"{citizen.cpr[:6]}-{citizen.cpr[6:8]}", citizen.cpr, citizen.cpr[:8]):
        found = [row.id for row in lists.citizen_rows(store, text=typed, limit=1000)]
        assert found == [citizen.id], typed
        assert lists.citizen_count(store, typed) == 1
    every = lists.citizen_rows(store, text="0385", limit=1000)
    assert every == []  # a prefix, not anywhere in the number


def test_placements_and_visits_are_found_by_citizen_or_company_name(
    world: World, store: Store, way: str
) -> None:
    omar = world.citizens[2]
    placements = {row.id for row in lists.placement_rows(store, text="omar khal", limit=1000)}
    assert placements == {p.id for p in world.shown_placements() if p.citizen_id == omar.id} != set()
    zeta = world.companies[4]
    visits = {row.id for row in lists.visit_rows(store, text="zeta", limit=1000)}
    want = {v.id for v in world.shown_visits() if world.placement(v.placement_id).company_id == zeta.id}
    assert visits == want != set()


# -- privacy and audit -------------------------------------------------------------------------
def test_no_list_shows_a_whole_cpr_number(world: World, store: Store) -> None:
    shown = repr(
        [
            lists.citizen_rows(store, limit=1000), lists.placement_rows(store, limit=1000),
            lists.visit_rows(store, limit=1000), lists.citizen_rows(store, text=world.citizens[0].cpr),
        ]
    )  # fmt: skip
    for citizen in world.citizens:
        assert citizen.cpr not in shown and f"{citizen.cpr[:6]}-{citizen.cpr[6:]}" not in shown
    assert f"{world.citizens[0].cpr[:6]}-xxxx" in shown


def read_audit(store: Store) -> list[tuple[str, str, str, str]]:
    store.flush_audit()
    return store.conn.execute(
        "SELECT action, entity, row_id, citizen_id FROM audit_log WHERE action = 'read' ORDER BY id"
    ).fetchall()


def test_pages_that_show_citizens_are_audited_as_reads(world: World, store: Store) -> None:
    before = len(read_audit(store))
    citizens = lists.citizen_rows(store, limit=3)
    placements = lists.placement_rows(store, sort="citizen_name", limit=3)
    visits = lists.visit_rows(store, limit=3)
    owners = {v.id: world.placement(v.placement_id).citizen_id for v in world.visits}
    assert read_audit(store)[before:] == [
        *(("read", "citizen_list", row.id, row.id) for row in citizens),
        *(("read", "placement_list", row.id, row.citizen_id) for row in placements),
        *(("read", "visit_list", row.id, owners[row.id]) for row in visits),
    ]


def test_counts_company_pages_and_empty_pages_are_not_audited(world: World, store: Store) -> None:
    before = len(read_audit(store))
    assert lists.company_rows(store, limit=5)
    for count in (lists.company_count, lists.citizen_count, lists.placement_count, lists.visit_count):
        assert count(store, "") > 0
    assert lists.placement_rows(store, text="zzz") == []
    assert len(read_audit(store)) == before


# -- the allowlist and the plans -------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_an_unknown_sort_or_a_negative_page_raises(store: Store, case: Case) -> None:
    for sort in ("nope", "id; DROP TABLE citizens", "cpr", ""):
        with pytest.raises(ValueError, match="cannot be sorted"):
            case.rows(store, sort, False, "", 0, 50)
    with pytest.raises(ValueError, match="cannot be sorted"):
        case.rows(store, "nope", False, "zzz", 0, 50)  # even when nothing would match
    with pytest.raises(ValueError, match="0 or more"):
        case.rows(store, case.sorts[0], False, "", -1, 50)
    assert case.rows(store, case.sorts[0], False, "", 0, 0) == []


LISTINGS = {"companies": lists.COMPANIES, "citizens": lists.CITIZENS, "placements": lists.PLACEMENTS,
            "visits": lists.VISITS}  # fmt: skip
# Sorting companies by their planned and active placements counts them for every company (with
# 25,000 companies: 20 ms, see bench/lists.py); every other first page walks an index.
SORTED_IN_MEMORY = {("companies", "active_placements")}


def test_no_first_page_sorts_a_table_but_the_counted_one(world: World, store: Store) -> None:
    sorted_in_memory = set()
    for (name, listing), descending in itertools.product(LISTINGS.items(), (False, True)):
        for sort in listing.sorts:
            query = lists.page_query(store, listing, sort, descending, None, 0, 50)
            assert query is not None
            plan = [r[3] for r in store.conn.execute(f"EXPLAIN QUERY PLAN {query[0]}", query[1])]
            assert any(step.startswith(("SCAN", "SEARCH")) and "INDEX" in step for step in plan), plan
            if any("USE TEMP B-TREE FOR ORDER BY" in step for step in plan):
                sorted_in_memory.add((name, sort))
    assert sorted_in_memory == SORTED_IN_MEMORY


def test_enum_sorts_follow_the_declaration_and_the_migration_indexes_them(store: Store) -> None:
    assert lists.rank("p.status", PlacementStatus) == (
        "CASE p.status WHEN 'planned' THEN 0 WHEN 'active' THEN 1 WHEN 'ended' THEN 2 "
        "WHEN 'cancelled' THEN 3 END"
    )
    indexed = " ".join(
        r[0]
        for r in store.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    )
    for column, values in (("target_group", TargetGroup), ("kind", PlacementKind), ("purpose", Purpose),
                           ("status", PlacementStatus), ("mode", VisitMode)):  # fmt: skip
        assert " ".join(lists.rank(column, values).split()) in " ".join(indexed.split()), column


def test_name_match_escapes_what_the_user_types(store: Store) -> None:
    assert lists.name_match("name", "100% a_b") == ("name LIKE ? ESCAPE '\\'", ("%100\\%%a\\_b%",))
    assert lists.name_match("name", "ørs*ted  Å") == (
        "(name LIKE ? ESCAPE '\\' AND name GLOB ?)",
        ("%_rs*ted%_%", "*[øØ][rR][sS][*][tT][eE][dD]*[Åå]*"),
    )
    assert lists.number_prefix("211062-56", 10) == "21106256"
    assert lists.number_prefix("2110625629 1", 10) is None
    assert lists.number_prefix("Omar", 10) is None


def test_placement_page_of_queries_still_works(world: World, store: Store) -> None:
    from feltkonsulent.storage import queries

    rows = queries.placement_page(store, sort=queries.PlacementSort.CITIZEN, descending=True, limit=1000)
    assert [r.id for r in rows] == expected_ids(
        world, BY_NAME["placements"], "citizen_name", True, lambda r: True
    )
    active = queries.placement_page(store, status=PlacementStatus.ACTIVE, limit=1000)
    assert {r.id for r in active} == {
        p.id for p in world.shown_placements() if p.status is PlacementStatus.ACTIVE
    }
    assert dataclasses.fields(queries.PlacementRow) == dataclasses.fields(lists.PlacementRow)


def test_the_names_looked_up_are_kept_only_while_the_database_is_unchanged(
    world: World, workspace: Workspace, store: Store, db_path: Path, key: RawKey
) -> None:
    hassans = len([r for r in lists.placement_rows(store, text="Hassan", limit=1000)])
    assert lists.placement_count(store, "Hassan") == hassans > 0
    # A change made here: a new Hassan with a placement.
    newcomer = factories.citizen(name="Ny Hassan", cpr=cpr(1, 2001))
    placement = factories.placement(newcomer.id, world.companies[0].id)
    registration = PlacementRegistration(world.companies[0], newcomer, placement)
    workspace.register_placement(registration)
    assert lists.placement_count(store, "Hassan") == hassans + 1
    # A change committed by another connection: a further Hassan.
    other = open_database(db_path, key, actor="other")
    try:
        other.conn.execute("BEGIN IMMEDIATE")
        other.conn.execute("UPDATE citizens SET name = 'Omar Hassan' WHERE id = ?", (world.citizens[2].id,))
        other.conn.execute("COMMIT")
    finally:
        other.close()
    omars = len([p for p in world.shown_placements() if p.citizen_id == world.citizens[2].id])
    assert lists.placement_count(store, "Hassan") == hassans + 1 + omars
    assert len(lists.placement_rows(store, text="Hassan", limit=1000)) == hassans + 1 + omars
