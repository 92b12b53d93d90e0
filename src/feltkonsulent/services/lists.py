"""The desktop app's four lists (Virksomheder, Borgere, Forløb, Besøg): a page of rows at a time,
sorted and filtered by the database (`storage.lists`), and how many rows a filter leaves.

Pages of the lists that show citizens (citizens, placements, visits) are audited as reads;
counts are not (they show no one).
"""

from __future__ import annotations

from dataclasses import dataclass

from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage import lists
from feltkonsulent.storage.lists import CitizenRow, CompanyRow, PlacementRow, VisitRow

__all__ = [
    "CITIZEN_SORTS",
    "COMPANY_SORTS",
    "PLACEMENT_SORTS",
    "VISIT_SORTS",
    "CitizenRow",
    "CompanyRow",
    "ListQuery",
    "PlacementRow",
    "VisitRow",
    "citizen_count",
    "citizen_rows",
    "company_count",
    "company_rows",
    "placement_count",
    "placement_rows",
    "visit_count",
    "visit_rows",
]

# The columns each list can be sorted by; the first is the list's default. Sorting by any other
# name raises ValueError. Ties are broken by id, so paging through a list meets every row once.
COMPANY_SORTS: tuple[str, ...] = lists.COMPANY_SORTS
CITIZEN_SORTS: tuple[str, ...] = lists.CITIZEN_SORTS
PLACEMENT_SORTS: tuple[str, ...] = lists.PLACEMENT_SORTS
VISIT_SORTS: tuple[str, ...] = lists.VISIT_SORTS


@dataclass(frozen=True)
class ListQuery:
    """One page of a list. `text` is the list's filter field: its words, in order, anywhere in a
    name and in any case; a number typed into the company or citizen list also finds CVR or CPR
    numbers that start with it (`211062-56` or `21106256`). "" shows everything."""

    sort: str  # a column name from the row type's SORTS allowlist
    descending: bool = False
    text: str = ""  # the list's filter field; "" = everything
    offset: int = 0
    limit: int = 50


def company_rows(ws: Workspace, query: ListQuery) -> list[CompanyRow]:
    q = query
    return lists.company_rows(ws.store, q.sort, q.descending, q.text, q.offset, q.limit)


def company_count(ws: Workspace, text: str = "") -> int:
    return lists.company_count(ws.store, text)


def citizen_rows(ws: Workspace, query: ListQuery) -> list[CitizenRow]:
    q = query
    return lists.citizen_rows(ws.store, q.sort, q.descending, q.text, q.offset, q.limit)


def citizen_count(ws: Workspace, text: str = "") -> int:
    return lists.citizen_count(ws.store, text)


def placement_rows(ws: Workspace, query: ListQuery) -> list[PlacementRow]:
    q = query
    return lists.placement_rows(ws.store, q.sort, q.descending, q.text, q.offset, q.limit)


def placement_count(ws: Workspace, text: str = "") -> int:
    return lists.placement_count(ws.store, text)


def visit_rows(ws: Workspace, query: ListQuery) -> list[VisitRow]:
    q = query
    return lists.visit_rows(ws.store, q.sort, q.descending, q.text, q.offset, q.limit)


def visit_count(ws: Workspace, text: str = "") -> int:
    return lists.visit_count(ws.store, text)
