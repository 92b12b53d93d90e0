"""The same citizen (CPR) or workplace (CVR and P-number) found among the live records."""

from __future__ import annotations

from feltkonsulent.domain.entities import Citizen, Company
from feltkonsulent.services import duplicates
from feltkonsulent.services.workspace import Workspace
from tests import factories


def test_a_citizen_with_the_same_cpr_is_found_but_not_itself_nor_a_deleted_one(
        workspace: Workspace) -> None:
    first = factories.citizen(cpr="2110625629", name="Amal Hassan")
    workspace.save(first)
    again = factories.citizen(cpr="211062-5629", name="Amal Hasan")
    assert [c.id for c in duplicates.same_as(workspace, again)] == [first.id]
    assert duplicates.same_as(workspace, first) == []
    workspace.delete(Citizen, first.id)
    assert duplicates.same_as(workspace, again) == []


def test_a_company_is_the_same_workplace_only_with_the_same_p_number(workspace: Workspace) -> None:
    main = factories.company(cvr="13585628", p_number=None)
    workspace.save(main)
    branch = factories.company(cvr="13585628", p_number="1003388394")
    workspace.save(branch)
    assert [c.id for c in duplicates.same_as(
        workspace, factories.company(cvr="13585628", p_number=None))] == [main.id]
    assert [c.id for c in duplicates.same_as(
        workspace, factories.company(cvr="13 58 56 28", p_number="1003388394"))] == [branch.id]
    assert duplicates.same_as(workspace, factories.company(cvr="13585628",
                                                          p_number="1003388386")) == []
    workspace.delete(Company, main.id)
    assert duplicates.same_as(workspace, factories.company(cvr="13585628", p_number=None)) == []
