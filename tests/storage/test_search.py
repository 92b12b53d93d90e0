"""Full-text search: prefixes, every kind, grouped, tombstones gone, typed syntax taken as text."""

from __future__ import annotations

import dataclasses

import pytest

from feltkonsulent.storage import search
from feltkonsulent.storage.database import Store
from feltkonsulent.storage.repositories import Repositories
from tests import factories


@pytest.fixture
def filled(store: Store) -> dict[str, str]:
    repos = Repositories(store)
    company = factories.company(name="Plejecenter Solbakken", city="Vejle", postal_code="7100")
    citizen = factories.citizen(name="Yonas Tesfay", cpr="0305881234")
    repos.companies.add(company)
    repos.citizens.add(citizen)
    placement = factories.placement(citizen.id, company.id, work_tasks="Rengøring og madservice")
    repos.placements.add(placement)
    visit = factories.visit(placement.id, notes="Yonas vil gerne lære at køre vaskemaskinen")
    repos.aftercare_visits.add(visit)
    return {"company": company.id, "citizen": citizen.id, "placement": placement.id, "visit": visit.id}


def kinds(store: Store, text: str) -> list[tuple[str, str]]:
    return [(h.kind, h.row_id) for h in search.search(store, text)]


def test_prefixes_of_every_kind_are_found(store: Store, filled: dict[str, str]) -> None:
    assert kinds(store, "plej") == [("companies", filled["company"])]
    assert kinds(store, "yon") == [("citizens", filled["citizen"]), ("aftercare_visits", filled["visit"])]
    assert kinds(store, "madserv") == [("placements", filled["placement"])]
    assert kinds(store, "vaskemask") == [("aftercare_visits", filled["visit"])]


def test_every_word_must_match(store: Store, filled: dict[str, str]) -> None:
    assert kinds(store, "solbakken vejle") == [("companies", filled["company"])]
    assert kinds(store, "solbakken aarhus") == []


def test_a_citizen_is_found_by_cpr_with_or_without_dash(store: Store, filled: dict[str, str]) -> None:
    assert kinds(store, "030588-1234") == [("citizens", filled["citizen"])]
    assert kinds(store, "0305881234") == [("citizens", filled["citizen"])]


@pytest.mark.parametrize("typed", ['"', "plej*", "NOT", "(", "a OR", "-", "solbakken:", "^x"])
def test_search_syntax_typed_by_a_user_never_raises(store: Store, filled: dict[str, str], typed: str) -> None:
    search.search(store, typed)


def test_deleted_records_are_not_found_and_edits_are(store: Store, filled: dict[str, str]) -> None:
    repos = Repositories(store)
    repos.companies.update(
        dataclasses.replace(repos.companies.require(filled["company"]), name="Plejehjemmet Lindely")
    )
    assert kinds(store, "solbakken") == []
    assert kinds(store, "lindely") == [("companies", filled["company"])]
    repos.companies.delete(filled["company"])
    assert kinds(store, "lindely") == []
    repos.companies.restore(filled["company"])
    assert kinds(store, "lindely") == [("companies", filled["company"])]


def test_danish_letters_and_accents(store: Store, filled: dict[str, str]) -> None:
    assert kinds(store, "rengøring") == [("placements", filled["placement"])]
    assert kinds(store, "RENGØ") == [("placements", filled["placement"])]


def test_a_search_that_shows_a_citizen_is_audited_without_the_query(
    store: Store, filled: dict[str, str]
) -> None:
    search.search(store, "030588")
    store.flush_audit()
    rows = store.conn.execute(
        "SELECT action, citizen_id, fields FROM audit_log WHERE action = 'search'"
    ).fetchall()
    assert rows == [("search", filled["citizen"], None)]
    assert "030588" not in str(store.conn.execute("SELECT * FROM audit_log").fetchall())


def test_one_letter_words_are_left_out(store: Store, filled: dict[str, str]) -> None:
    assert kinds(store, "y") == []
    assert kinds(store, "y tesf") == [("citizens", filled["citizen"])]


def test_newest_first_within_a_kind(store: Store, filled: dict[str, str]) -> None:
    repos = Repositories(store)
    newer = factories.company(name="Plejecenter Åbyhøj")
    repos.companies.add(newer)
    assert kinds(store, "plejecenter") == [("companies", newer.id), ("companies", filled["company"])]
