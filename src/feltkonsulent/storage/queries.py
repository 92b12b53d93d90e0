"""Read models for lists and the day's work: paged, sorted and filtered in SQL, never in Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from feltkonsulent.domain.enums import PlacementStatus
from feltkonsulent.storage import danish
from feltkonsulent.storage.audit import AuditAction, audit
from feltkonsulent.storage.database import Store
from feltkonsulent.storage.lists import PlacementRow, placement_rows

__all__ = [
    "DueVisit",
    "EndingPlacement",
    "PlacementRow",
    "PlacementSort",
    "placement_page",
    "placements_ending",
    "visits_due",
    "visits_planned",
]


class PlacementSort(StrEnum):
    END_DATE = "end_date"
    START_DATE = "start_date"
    CITIZEN = "citizen"
    COMPANY = "company"


# The placement list itself lives in `lists`; these are its sort names.
_SORTS = {
    PlacementSort.END_DATE: "end_date",
    PlacementSort.START_DATE: "start_date",
    PlacementSort.CITIZEN: "citizen_name",
    PlacementSort.COMPANY: "company_name",
}


def placement_page(
    store: Store,
    *,
    sort: PlacementSort = PlacementSort.END_DATE,
    descending: bool = False,
    offset: int = 0,
    limit: int = 50,
    status: PlacementStatus | None = None,
) -> list[PlacementRow]:
    """One page of the placement list. The list shows citizens' names: audited as reads."""
    return placement_rows(
        store, _SORTS[PlacementSort(sort)], descending, offset=offset, limit=limit, status=status
    )


@dataclass(frozen=True)
class DueVisit:
    visit_id: str
    placement_id: str
    citizen_name: str
    company_name: str
    due_on: date
    overdue: bool


@dataclass(frozen=True)
class EndingPlacement:
    placement_id: str
    citizen_name: str
    company_name: str
    end_date: date


_LIVE_PLACEMENT = "p.deleted = 0 AND p.status IN ('planned', 'active')"
_NOT_SUPERSEDED = (
    "NOT EXISTS (SELECT 1 FROM aftercare_visits s WHERE s.supersedes = v.id AND s.deleted = 0)"
)


_DUE_FROM = (
    "FROM aftercare_visits v JOIN placements p ON p.id = v.placement_id "
    "JOIN citizens c ON c.id = p.citizen_id JOIN companies co ON co.id = p.company_id "
)
# A planned visit: its latest version has no visit date yet (writing its note supersedes it).
# Planned aftercare after a placement ended in a job is due like any other; only a cancelled or
# deleted placement's plans are not.
_OPEN_PLAN = (
    f"v.deleted = 0 AND v.visited_on IS NULL AND {_NOT_SUPERSEDED} "
    "AND p.deleted = 0 AND p.status <> 'cancelled'"
)


def visits_due(store: Store, today: date, limit: int | None = None) -> tuple[list[DueVisit], int]:
    """Planned visits not yet made, due today or before, and follow-ups (a note's "next visit")
    whose date has passed with no later visit, made or planned, for the placement: today's
    first, then the most recently overdue. A visit is one item however often its note was
    corrected or its date moved. Returns the first `limit` (only those are audited as read)
    and how many there are."""
    planned = store.conn.execute(
        f"SELECT v.id, v.placement_id, c.name, co.name, v.planned_on {_DUE_FROM}"
        f"WHERE {_OPEN_PLAN} AND v.planned_on <= ?",
        (today.isoformat(),),
    ).fetchall()
    followups = store.conn.execute(
        f"SELECT v.id, v.placement_id, c.name, co.name, v.next_visit_on {_DUE_FROM}"
        f"WHERE v.deleted = 0 AND v.next_visit_on <= ? AND {_NOT_SUPERSEDED} AND {_LIVE_PLACEMENT} "
        "AND NOT EXISTS (SELECT 1 FROM aftercare_visits w WHERE w.placement_id = v.placement_id "
        "AND w.deleted = 0 AND w.id <> v.id AND (coalesce(w.visited_on, w.planned_on) > v.visited_on "
        "OR w.planned_on >= v.next_visit_on) AND NOT EXISTS (SELECT 1 FROM aftercare_visits s "
        "WHERE s.supersedes = w.id AND s.deleted = 0))",
        (today.isoformat(),),
    ).fetchall()
    due = [
        DueVisit(r[0], r[1], r[2], r[3], date.fromisoformat(r[4]), r[4] < today.isoformat())
        for r in planned + followups
    ]
    due.sort(key=lambda d: danish.order(d.citizen_name))
    due.sort(key=lambda d: d.due_on, reverse=True)  # stable: by name within a day
    shown = due[:limit] if limit is not None else due
    _audit_listed(store, "due_visits", [d.placement_id for d in shown])
    return shown, len(due)


def visits_planned(store: Store, today: date, within_days: int = 14, limit: int = -1
                   ) -> tuple[list[DueVisit], int]:
    """Planned visits after today and within the days, soonest first (none overdue): the first
    `limit` (-1: all; only those are audited as read) and how many there are."""
    window = (today.isoformat(), (today + timedelta(days=within_days)).isoformat())
    rows = store.conn.execute(
        f"SELECT v.id, v.placement_id, c.name, co.name, v.planned_on {_DUE_FROM}"
        f"WHERE {_OPEN_PLAN} AND v.planned_on > ? AND v.planned_on <= ? "
        "ORDER BY v.planned_on, c.name COLLATE danish, v.id",
        window,
    ).fetchall()
    shown = rows if limit < 0 else rows[:limit]
    _audit_listed(store, "planned_visits", [r[1] for r in shown])
    return [DueVisit(r[0], r[1], r[2], r[3], date.fromisoformat(r[4]), False) for r in shown], len(rows)


def placements_ending(store: Store, today: date, within_days: int = 14, limit: int = -1
                      ) -> tuple[list[EndingPlacement], int]:
    """Live placements ending within the days, soonest first: the first `limit` (-1: all) and
    how many there are."""
    window = (today.isoformat(), (today + timedelta(days=within_days)).isoformat())
    rows = store.conn.execute(
        "SELECT p.id, c.name, co.name, p.end_date FROM placements p "
        "JOIN citizens c ON c.id = p.citizen_id JOIN companies co ON co.id = p.company_id "
        f"WHERE {_LIVE_PLACEMENT} AND p.end_date BETWEEN ? AND ? ORDER BY p.end_date, c.name COLLATE danish "
        "LIMIT ?",
        (*window, limit),
    ).fetchall()
    if limit < 0 or len(rows) < limit:
        total = len(rows)
    else:
        total = store.conn.execute(
            f"SELECT count(*) FROM placements p WHERE {_LIVE_PLACEMENT} AND p.end_date BETWEEN ? AND ?",
            window,
        ).fetchone()[0]
    _audit_listed(store, "placements_ending", [r[0] for r in rows])
    return [EndingPlacement(r[0], r[1], r[2], date.fromisoformat(r[3])) for r in rows], total


@dataclass(frozen=True)
class UnsignedPlacement:
    placement_id: str
    citizen_name: str
    company_name: str
    start_date: date
    issued_version: int | None  # the latest agreement issued and not signed; None: none issued


def placements_unsigned(store: Store, today: date, limit: int = 200) -> list[UnsignedPlacement]:
    """Planned and running placements without a signed agreement, earliest start first."""
    rows = store.conn.execute(
        "SELECT p.id, c.name, co.name, p.start_date, a.version FROM placements p "
        "JOIN citizens c ON c.id = p.citizen_id JOIN companies co ON co.id = p.company_id "
        "LEFT JOIN agreements a ON a.id = (SELECT id FROM agreements WHERE placement_id = p.id "
        "AND deleted = 0 ORDER BY version DESC LIMIT 1) "
        f"WHERE {_LIVE_PLACEMENT} AND p.end_date >= ? "
        "AND (a.id IS NULL OR a.signed_on IS NULL) ORDER BY p.start_date, c.name COLLATE danish LIMIT ?",
        (today.isoformat(), limit),
    ).fetchall()
    _audit_listed(store, "placements_unsigned", [r[0] for r in rows])
    return [UnsignedPlacement(r[0], r[1], r[2], date.fromisoformat(r[3]), r[4]) for r in rows]


def _audit_listed(store: Store, listing: str, placement_ids: list[str]) -> None:
    """A list that names citizens is a read of their records."""
    if not placement_ids:
        return
    marks = ",".join("?" * len(placement_ids))
    owners = store.conn.execute(
        f"SELECT id, citizen_id FROM placements WHERE id IN ({marks})", placement_ids
    ).fetchall()
    audit(store, AuditAction.READ, listing, owners)
