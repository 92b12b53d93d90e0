"""The paged table models, without a view and with Qt's model tester."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage import danish
from feltkonsulent.ui import lists
from feltkonsulent.ui.models import ID_ROLE, PagedTableModel
from feltkonsulent.ui.tasks import BackgroundTasks

MODELS = [lists.company_model, lists.citizen_model, lists.placement_model, lists.visit_model]


@pytest.mark.parametrize("make", MODELS, ids=lambda m: m.__name__)
def test_each_model_passes_qts_model_tester(qtmodeltester: ModelTester, filled: Workspace, make: Any) -> None:
    model: PagedTableModel[Any] = make(filled)
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    qtmodeltester.check(model)
    assert model.complete and model.rowCount() > 0
    ids = [model.data(model.index(r, 0), ID_ROLE) for r in range(model.rowCount())]
    assert len(ids) == len(set(ids))  # no page read twice


def test_rows_are_fetched_a_page_at_a_time(filled: Workspace) -> None:
    model = lists.visit_model(filled)
    assert lists.VISITS.count(filled, "") > 100
    assert model.rowCount() == 50 and model.canFetchMore() and not model.complete
    model.fetchMore()
    assert model.rowCount() == 100
    ids = {model.data(model.index(r, 0), ID_ROLE) for r in range(model.rowCount())}
    assert len(ids) == 100


def test_sorting_is_done_by_the_database(filled: Workspace) -> None:
    model = lists.company_model(filled)
    name = 0
    model.sort(name, Qt.SortOrder.DescendingOrder)
    shown = [model.data(model.index(r, name)) for r in range(model.rowCount())]
    assert shown == sorted(shown, key=danish.order, reverse=True)  # Danish order: Æ, Ø, Å last
    assert model.query.sort == "name" and model.query.descending


def test_the_filter_narrows_the_list_and_the_count(filled: Workspace) -> None:
    model = lists.company_model(filled)
    first = model.rows[0]
    model.set_filter(first.name)
    assert model.complete and model.rowCount() == lists.COMPANIES.count(filled, first.name) >= 1
    assert all(first.name.casefold() in r.name.casefold() for r in model.rows)
    model.set_filter("")
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == lists.COMPANIES.count(filled, "") == filled.repos.companies.count()


def test_the_page_counts_a_long_list_in_the_background(qtbot: QtBot, filled: Workspace) -> None:
    tasks = BackgroundTasks(filled)
    try:
        page = lists.ListPage(lists.VISITS, filled, tasks)
        qtbot.addWidget(page)
        assert page.counting and page.count.text() == "Counting…"
        qtbot.waitUntil(lambda: not page.counting)
        visits = filled.repos.aftercare_visits.where()  # a corrected visit is one visit
        n = len(visits) - len({v.supersedes for v in visits if v.supersedes})
        assert n > 50 and page.count.text() == f"{n} visits"
        page.filter.setText("zzzzzz-nothing")
        page.apply_filter()
        assert not page.counting and page.count.text() == "0 visits"  # one short page: no count
    finally:
        tasks.shutdown()


def test_cpr_is_masked_in_the_lists(filled: Workspace) -> None:
    for make in (lists.citizen_model, lists.placement_model):
        model = make(filled)
        shown = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
        assert all(text.endswith("-xxxx") and len(text) == 11 for text in shown)


def test_a_model_returning_nothing_for_a_role_says_none(filled: Workspace) -> None:
    model = lists.company_model(filled)
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is None
