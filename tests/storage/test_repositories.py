"""Every repository operation, with the change log and audit rows each one must write."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

import pytest

from feltkonsulent.domain.entities import Record
from feltkonsulent.domain.enums import PlacementStatus
from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.storage.changes import WHOLE_RECORD, pending_changes, pending_count
from feltkonsulent.storage.database import Store
from feltkonsulent.storage.repositories import Immutable, NotFound, Repositories
from tests import factories


@pytest.fixture
def repos(store: Store) -> Repositories:
    return Repositories(store)


@pytest.fixture
def graph(repos: Repositories) -> dict[str, Any]:
    """One company, contact, citizen and placement, saved."""
    company = factories.company()
    repos.companies.add(company)
    contact = factories.contact(company.id)
    repos.contacts.add(contact)
    citizen = factories.citizen()
    repos.citizens.add(citizen)
    placement = factories.placement(citizen.id, company.id, contact_id=contact.id)
    repos.placements.add(placement)
    return {"company": company, "contact": contact, "citizen": citizen, "placement": placement}


def outbox_for(store: Store, row_id: str) -> dict[str, Any]:
    return {c.field: c.value for c in pending_changes(store) if c.row_id == row_id}


def audit_rows(store: Store) -> list[tuple[str, str, str | None, str | None]]:
    store.flush_audit()
    return store.conn.execute(
        "SELECT action, entity, citizen_id, fields FROM audit_log ORDER BY id"
    ).fetchall()


def every_record(graph: dict[str, Any]) -> list[Record]:
    placement_id = graph["placement"].id
    return [
        *graph.values(),
        factories.support(placement_id),
        factories.language_partner(placement_id),
        factories.visit(placement_id),
    ]


def test_each_kind_of_record_comes_back_as_it_was_saved(repos: Repositories, graph: dict[str, Any]) -> None:
    for record in every_record(graph)[4:]:
        repos.by_entity(_entity(record)).add(record)
    for record in every_record(graph)[:4]:
        assert repos.by_entity(_entity(record)).get(record.id) == record
    stored = repos.placements.require(graph["placement"].id)
    assert str(stored.weekly_hours) == "22.5"
    assert str(repos.support_arrangements.where()[0].hourly_rate) == "200"
    assert stored.goals == ("Kan følge en arbejdsplan", "Bruger fagord på dansk")


def _entity(record: Record) -> str:
    from feltkonsulent.storage.codec import spec_for

    return spec_for(type(record)).table


@pytest.mark.parametrize("index", range(7))
def test_saving_writes_one_outbox_row_per_field_set(
    repos: Repositories, graph: dict[str, Any], index: int
) -> None:
    record = every_record(graph)[index]
    repo = repos.by_entity(_entity(record))
    if not repo.exists(record.id):
        repo.add(record)
    ops = outbox_for(repos.store, record.id)
    if _entity(record) == "aftercare_visits":
        assert list(ops) == [WHOLE_RECORD]
        assert ops[WHOLE_RECORD]["notes"] == record.notes  # type: ignore[attr-defined]
    else:
        wire = repo.spec.to_wire(record)
        expected = {k: v for k, v in wire.items() if k != "id" and v not in (None, [], False)}
        assert ops == expected


def test_an_update_logs_only_the_fields_that_changed(
    store: Store, repos: Repositories, graph: dict[str, Any]
) -> None:
    placement = graph["placement"]
    before = pending_count(store)
    changed = repos.placements.update(
        dataclasses.replace(placement, end_date=date(2027, 1, 10), status=PlacementStatus.ACTIVE)
    )
    assert set(changed) == {"end_date", "status"}
    new_ops = pending_changes(store)[before:]
    assert {(c.field, c.value) for c in new_ops} == {("end_date", "2027-01-10"), ("status", "active")}
    assert len({c.hlc for c in new_ops}) == 1 and len({c.op_id for c in new_ops}) == 2
    assert (
        repos.placements.update(
            dataclasses.replace(placement, end_date=date(2027, 1, 10), status=PlacementStatus.ACTIVE)
        )
        == ()
    )
    assert pending_count(store) == before + 2


def test_op_ids_are_unique_and_stamps_never_go_back(
    store: Store, repos: Repositories, graph: dict[str, Any], clock: Any
) -> None:
    clock.advance(hours=-5)  # the laptop's clock jumps back
    repos.companies.update(dataclasses.replace(graph["company"], name="Bageriet Ørsted A/S"))
    changes = pending_changes(store)
    assert len({c.op_id for c in changes}) == len(changes)
    stamps = [c.hlc for c in changes]
    assert stamps == sorted(stamps)
    assert stamps[-1] > stamps[-2]


def test_base_seq_is_the_server_sequence_last_seen_for_the_field(
    store: Store, repos: Repositories, graph: dict[str, Any]
) -> None:
    company = graph["company"]
    with store.write():
        store.conn.execute(
            "UPDATE field_meta SET server_seq = 41 WHERE row_id = ? AND field = 'name'", (company.id,)
        )
    repos.companies.update(dataclasses.replace(company, name="Nyt navn ApS"))
    assert pending_changes(store)[-1].base_seq == 41


def test_delete_is_a_tombstone_and_restore_brings_it_back(
    store: Store, repos: Repositories, graph: dict[str, Any]
) -> None:
    company = graph["company"]
    assert repos.companies.delete(company.id)
    assert repos.companies.get(company.id) is None
    assert repos.companies.get(company.id, include_deleted=True) == company
    assert store.conn.execute("SELECT count(*) FROM companies").fetchone()[0] == 1
    assert pending_changes(store)[-1].field == "deleted" and pending_changes(store)[-1].value is True
    assert not repos.companies.delete(company.id)  # already deleted: no new op
    assert repos.companies.restore(company.id)
    assert repos.companies.get(company.id) == company
    assert pending_changes(store)[-1].value is False


def test_an_invalid_record_is_refused_and_nothing_is_written(store: Store, repos: Repositories) -> None:
    before = pending_count(store)
    with pytest.raises(ValidationError) as caught:
        repos.companies.add(factories.company(cvr="13585629"))
    assert caught.value.codes == {"cvr_checksum"}
    assert pending_count(store) == before
    assert repos.companies.count() == 0


def test_a_failed_transaction_leaves_no_record_and_no_change(store: Store, repos: Repositories) -> None:
    company = factories.company()
    with pytest.raises(RuntimeError), store.write():
        repos.companies.add(company)
        raise RuntimeError("power cut")
    assert repos.companies.get(company.id) is None
    assert pending_count(store) == 0


def test_a_placement_must_point_at_existing_rows(repos: Repositories) -> None:
    import sqlcipher3

    with pytest.raises(sqlcipher3.IntegrityError):
        repos.placements.add(factories.placement("no-such-citizen", "no-such-company"))


def test_visit_notes_are_immutable(repos: Repositories, graph: dict[str, Any]) -> None:
    visit = factories.visit(graph["placement"].id)
    repos.aftercare_visits.add(visit)
    with pytest.raises(Immutable):
        repos.aftercare_visits.update(dataclasses.replace(visit, notes="Rettet"))
    assert repos.aftercare_visits.require(visit.id).notes == visit.notes


def test_require_of_a_missing_record_says_which(repos: Repositories) -> None:
    with pytest.raises(NotFound) as caught:
        repos.companies.require("0193-nope")
    assert caught.value.entity == "companies" and caught.value.row_id == "0193-nope"


def test_writes_and_reads_of_a_citizen_are_audited_without_cpr_or_notes(
    store: Store, repos: Repositories, graph: dict[str, Any]
) -> None:
    citizen = graph["citizen"]
    visit = factories.visit(graph["placement"].id)
    repos.aftercare_visits.add(visit)
    repos.citizens.get(citizen.id)
    repos.citizens.update(dataclasses.replace(citizen, phone="20304050"))
    repos.aftercare_visits.for_placement(graph["placement"].id)
    rows = audit_rows(store)
    assert [(r[0], r[1]) for r in rows] == [
        ("create", "citizens"),
        ("create", "placements"),
        ("create", "aftercare_visits"),
        ("read", "citizens"),
        ("update", "citizens"),
        ("read", "aftercare_visits"),
    ]
    assert all(r[2] == citizen.id for r in rows)
    assert json.loads(rows[4][3]) == ["phone"]
    everything = json.dumps(store.conn.execute("SELECT * FROM audit_log").fetchall())
    assert citizen.cpr not in everything and "211062" not in everything
    assert visit.notes is not None and "trives" not in everything
    actors = {r[0] for r in store.conn.execute("SELECT actor FROM audit_log")}
    assert actors == {"tester"}


def test_companies_are_not_audited_as_personal_data(store: Store, repos: Repositories) -> None:
    repos.companies.add(factories.company())
    assert audit_rows(store) == []


def test_a_read_is_audited_without_waiting_for_the_writer(
    store: Store, repos: Repositories, graph: dict[str, Any], db_path: Any, key: Any
) -> None:
    """Another process holds the writer lock (a long sync, say): reading a citizen still works at
    once, and its audit row is written with the next write, or when the store closes."""
    import time

    from feltkonsulent.storage.database import open_database

    other = open_database(db_path, key)
    other.conn.execute("BEGIN IMMEDIATE")
    started = time.perf_counter()
    assert repos.citizens.get(graph["citizen"].id) == graph["citizen"]
    assert time.perf_counter() - started < 1.0
    other.conn.execute("ROLLBACK")
    other.close()
    store.close()
    reopened = open_database(db_path, key)
    actions = [r[0] for r in reopened.conn.execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions[-1] == "read"
    reopened.close()


def test_the_entities_written_are_told_once_committed_and_once_only(
    store: Store, repos: Repositories
) -> None:
    store.take_changes()
    company = factories.company()
    repos.companies.add(company)
    with pytest.raises(RuntimeError), store.write():
        repos.citizens.add(factories.citizen())
        raise RuntimeError("rolled back")
    assert store.take_changes() == {"companies"}
    assert store.take_changes() == frozenset()
    repos.companies.update(dataclasses.replace(company, name="Bageriet Ørsted A/S"))
    repos.companies.update(dataclasses.replace(company, name="Bageriet Ørsted A/S"))  # no change
    repos.contacts.add(factories.contact(company.id))
    assert store.take_changes() == {"companies", "contacts"}
    repos.companies.delete(company.id)
    assert store.take_changes() == {"companies"}


def test_a_connection_stamps_after_what_another_connection_took_in(
    store: Store, repos: Repositories
) -> None:
    from feltkonsulent.domain.hlc import Timestamp

    other = store.reopen()
    try:
        company = factories.company()
        repos.companies.add(company)
        ahead = Timestamp(store.hlc.last.millis + 3_600_000)  # a pulled change stamped an hour on
        with other.write():
            other.hlc.receive(ahead)
            other.stamp()
        repos.companies.update(dataclasses.replace(company, city="Vejle"))
        *_created, edited = [c for c in pending_changes(store)
                             if c.row_id == company.id and c.field == "city"]
        assert edited.value == "Vejle" and edited.hlc > ahead.pack()
    finally:
        other.close()
