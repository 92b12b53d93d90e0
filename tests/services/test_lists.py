"""The list API the desktop app calls: a page per ListQuery, counts, the sort allowlists."""

from __future__ import annotations

from datetime import date

import pytest

from feltkonsulent.domain.entities import Placement
from feltkonsulent.services import lists
from feltkonsulent.services.lists import ListQuery
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.storage import lists as storage_lists
from tests import factories


def register(workspace: Workspace, citizen_name: str, company_name: str, cpr: str, cvr: str) -> Placement:
    company = factories.company(name=company_name, cvr=cvr)
    citizen = factories.citizen(name=citizen_name, cpr=cpr)
    placement = factories.placement(citizen.id, company.id, end_date=date(2026, 12, 1 + len(citizen_name)))
    return workspace.register_placement(PlacementRegistration(company, citizen, placement))


@pytest.fixture
def two(workspace: Workspace) -> tuple[Placement, Placement]:
    first = register(workspace, "Amina Hassan", "Bageriet Ørsted ApS", "2110625629", "13585628")
    second = register(workspace, "Omar Khalil", "Netto Vestergade", "0101904321", "10000009")
    return first, second


def test_the_sort_allowlists_start_with_the_default_and_are_the_storage_ones() -> None:
    assert lists.COMPANY_SORTS[0] == "name" and "active_placements" in lists.COMPANY_SORTS
    assert lists.CITIZEN_SORTS[0] == "name"
    assert lists.PLACEMENT_SORTS[0] == "end_date"
    assert {"start_date", "citizen_name", "company_name", "kind", "status"} <= set(lists.PLACEMENT_SORTS)
    assert lists.VISIT_SORTS[0] == "date"
    assert lists.VISIT_SORTS == storage_lists.VISIT_SORTS
    assert lists.CompanyRow is storage_lists.CompanyRow and lists.VisitRow is storage_lists.VisitRow
    assert ListQuery(sort="name") == ListQuery("name", False, "", 0, 50)


def test_each_list_reads_a_page_and_counts_through_the_workspace(
    workspace: Workspace, two: tuple[Placement, Placement]
) -> None:
    first, second = two
    assert [r.name for r in lists.company_rows(workspace, ListQuery("name"))] == [
        "Bageriet Ørsted ApS",
        "Netto Vestergade",
    ]
    assert [r.masked_cpr for r in lists.citizen_rows(workspace, ListQuery("name", descending=True))] == [
        "010190-xxxx",
        "211062-xxxx",
    ]
    rows = lists.placement_rows(workspace, ListQuery("end_date"))
    assert [r.id for r in rows] == [second.id, first.id]  # "Omar Khalil" is the shorter name
    assert [r.id for r in lists.placement_rows(workspace, ListQuery("end_date", offset=1, limit=1))] == [
        first.id
    ]
    assert (
        lists.company_count(workspace)
        == lists.citizen_count(workspace)
        == lists.placement_count(workspace)
        == 2
    )
    assert lists.company_count(workspace, "ørsted") == 1
    assert lists.citizen_count(workspace, "211062-56") == 1
    assert lists.placement_count(workspace, "netto") == 1


def test_visits_show_with_their_citizen_and_company_and_leave_with_their_placement(
    workspace: Workspace, two: tuple[Placement, Placement]
) -> None:
    first, second = two
    note = workspace.record_visit(factories.visit(first.id))
    workspace.record_visit(factories.visit(second.id, planned_on=date(2026, 11, 1), visited_on=None))
    rows = lists.visit_rows(workspace, ListQuery("date", descending=True, text="hassan"))
    assert [(r.id, r.citizen_name, r.company_name, r.corrected) for r in rows] == [
        (note.id, "Amina Hassan", "Bageriet Ørsted ApS", False)
    ]
    assert lists.visit_count(workspace) == 2
    workspace.delete(Placement, first.id)
    assert lists.visit_count(workspace) == 1
    assert [r.placement_id for r in lists.visit_rows(workspace, ListQuery("date"))] == [second.id]


def test_an_unknown_sort_raises_for_every_list(workspace: Workspace) -> None:
    for rows in (lists.company_rows, lists.citizen_rows, lists.placement_rows, lists.visit_rows):
        with pytest.raises(ValueError, match="cannot be sorted by 'cpr'"):
            rows(workspace, ListQuery("cpr"))


def test_pages_of_citizens_are_audited_and_counts_are_not(
    workspace: Workspace, two: tuple[Placement, Placement]
) -> None:
    def reads() -> list[tuple[str, str]]:
        workspace.store.flush_audit()
        return workspace.store.conn.execute(
            "SELECT entity, citizen_id FROM audit_log WHERE action = 'read' ORDER BY id"
        ).fetchall()

    before = len(reads())
    lists.citizen_count(workspace)
    lists.placement_count(workspace, "a")
    lists.company_rows(workspace, ListQuery("name"))
    assert len(reads()) == before
    first, _ = two
    lists.placement_rows(workspace, ListQuery("citizen_name", text="amina"))
    assert reads()[before:] == [("placement_list", first.citizen_id)]
