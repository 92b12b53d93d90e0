"""The same citizen (CPR) or workplace (CVR and P-number) found among the live records."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from feltkonsulent.domain.entities import Citizen, Company, Placement, RuleOverride
from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.services import duplicates
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from feltkonsulent.storage.audit import AuditAction, entries_for_citizen
from feltkonsulent.storage.changes import pending_changes, pending_count
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


# -- groups and merging ------------------------------------------------------------------------
def registered(ws: Workspace, citizen: Citizen, company: Company, **placement: Any) -> Placement:
    """A placement of `citizen` at `company` (each saved if new), with a buddy, a sprogmakker, a
    visit note and a reason to go on past a rule."""
    chosen = factories.placement(citizen.id, company.id, **placement)
    ws.register_placement(PlacementRegistration(
        company, citizen, chosen, support=[factories.support(chosen.id)],
        language_partners=[factories.language_partner(chosen.id)],
        overrides=[ws.new(RuleOverride, placement_id=chosen.id, code="internship_too_long",
                          reason="Aftalt", decided_on=chosen.start_date)]))
    ws.record_visit(factories.visit(chosen.id))
    return chosen


def test_groups_are_the_same_cpr_or_the_same_workplace_of_this_team_only(
        workspace: Workspace) -> None:
    amina = factories.citizen(name="Amina Hassan", phone=None)
    again = factories.citizen(name="Amina Hasan", cpr="211062-5629")
    bakery = factories.company(p_number=None)
    registered(workspace, amina, bakery)
    registered(workspace, again, bakery)
    workspace.save(factories.company(name="Bageriet Ørsted", p_number=None))
    workspace.save(factories.company(name="Anden arbejdsplads", p_number="1003388386"))
    workspace.save(factories.citizen(name="Peter Hansen", cpr="0101901233"))
    workspace.save(factories.citizen(name="Andet team", team_id="other-team"))  # same CPR
    found = duplicates.groups(workspace)
    assert [(g.kind, g.ids) for g in found] == [
        ("citizens", (amina.id, again.id)), ("companies", tuple(sorted(
            [bakery.id, workspace.repos.companies.where("name = ?", ("Bageriet Ørsted",))[0].id])))]
    assert [(m.placements, m.contacts) for m in found[0].members] == [(1, 0), (1, 0)]
    assert found[1].members[0].placements == 2
    assert "name" in found[0].differing() and "phone" in found[0].differing()
    assert "cpr" not in found[0].differing() and "notes" not in found[0].differing()
    assert duplicates.count(workspace) == 2


def test_a_merge_moves_placements_with_their_notes_and_deletes_the_other(
        workspace: Workspace) -> None:
    company = factories.company()
    keep = factories.citizen(name="Amina Hassan", phone=None, email=None, danish_level=None,
                             needs_interpreter=False, notes="Mødt af Mette")
    other = factories.citizen(name="Amina Hasan", email="amina@example.dk",
                              notes="Tigrinya-tolk ved første møde")
    first = registered(workspace, keep, company)
    moved = registered(workspace, other, company, start_date=date(2027, 1, 4),
                       end_date=date(2027, 2, 26))
    notes_before = [v.id for v in workspace.repos.aftercare_visits.for_placement(moved.id)]
    planned = duplicates.plan(workspace, keep.id, other.id)
    assert set(planned.filled) == {"phone", "email", "danish_level", "needs_interpreter", "notes"}
    assert planned.placements == 1 and planned.kept.name == "Amina Hassan"
    assert workspace.repos.citizens.count() == 2  # a plan changes nothing

    done = duplicates.merge(workspace, keep.id, other.id)
    assert done == planned
    (citizen,) = workspace.repos.citizens.where()
    assert citizen.id == keep.id and citizen.name == "Amina Hassan"
    assert (citizen.phone, citizen.email) == (other.phone, "amina@example.dk")
    assert citizen.needs_interpreter and citizen.danish_level == "DU2, modul 3"
    assert citizen.notes == "Mødt af Mette\n\nTigrinya-tolk ved første møde"
    assert workspace.repos.citizens.is_deleted(other.id)
    assert [p.id for p in workspace.repos.placements.for_citizen(keep.id)] == [first.id, moved.id]
    # What hangs off the placement goes with it: nothing else changes.
    assert [v.id for v in workspace.repos.aftercare_visits.for_placement(moved.id)] == notes_before
    assert len(workspace.repos.support_arrangements.for_placement(moved.id)) == 1
    assert len(workspace.repos.language_partners.for_placement(moved.id)) == 1
    assert len(workspace.repos.rule_overrides.for_placement(moved.id)) == 1
    assert duplicates.groups(workspace) == [] and duplicates.count(workspace) == 0


def test_a_merge_is_ordinary_edits_for_the_outbox_and_the_audit_log(workspace: Workspace) -> None:
    company = factories.company()
    keep, other = factories.citizen(phone=None), factories.citizen(name="Amina Hasan")
    registered(workspace, keep, company)
    moved = registered(workspace, other, company)
    before = pending_count(workspace.store)
    duplicates.merge(workspace, keep.id, other.id)
    ops = [(c.entity, c.row_id, c.field, c.value) for c in
           pending_changes(workspace.store)[before:]]
    assert ops == [("citizens", keep.id, "phone", other.phone),
                   ("placements", moved.id, "citizen_id", keep.id),
                   ("citizens", other.id, "deleted", True)]
    actions = [(e.action, e.entity) for e in entries_for_citizen(workspace.store, other.id)]
    assert (AuditAction.DELETE, "citizens") in actions
    assert (AuditAction.UPDATE, "placements") in [
        (e.action, e.entity) for e in entries_for_citizen(workspace.store, keep.id)]


def test_merging_companies_moves_placements_and_contact_persons(workspace: Workspace) -> None:
    keep = factories.company(name="Bageriet Ørsted ApS", street=None, employee_count=None)
    other = factories.company(name="Bageri Ørsted", industry="Bageri")
    citizen = factories.citizen()
    registered(workspace, citizen, keep)
    placement = registered(workspace, factories.citizen(cpr="0101901233"), other)
    contact = factories.contact(other.id)
    workspace.save(contact)
    workspace.save(dataclasses.replace(placement, contact_id=contact.id))
    (group,) = duplicates.groups(workspace)
    assert [(m.placements, m.contacts) for m in group.members] == [(1, 0), (1, 1)]
    done = duplicates.merge(workspace, keep.id, other.id)
    assert (done.placements, done.contacts, set(done.filled)) == (1, 1, {"street",
                                                                          "employee_count"})
    (company,) = workspace.repos.companies.where()
    assert (company.name, company.street, company.industry) == (
        "Bageriet Ørsted ApS", other.street, "Bagerier")
    assert [c.id for c in workspace.contacts_of(keep.id)] == [contact.id]
    moved = workspace.repos.placements.require(placement.id)
    assert (moved.company_id, moved.contact_id) == (keep.id, contact.id)


def test_refused_merges_change_nothing(workspace: Workspace) -> None:
    amina = factories.citizen()
    twin = factories.citizen(name="Amina Hasan")
    peter = factories.citizen(name="Peter Hansen", cpr="0101901233")
    stranger = factories.citizen(name="Andet team", team_id="other-team")
    company = factories.company()
    for record in (amina, twin, peter, stranger, company):
        workspace.save(record)
    before = pending_count(workspace.store)
    for keep, others, code in [
        (amina.id, [amina.id], "merge_self"),
        (amina.id, [twin.id, twin.id], "merge_self"),
        (amina.id, [peter.id], "not_duplicates"),
        (amina.id, [company.id], "not_duplicates"),
        (amina.id, [stranger.id], "other_team"),
        (stranger.id, [amina.id], "other_team"),
        (amina.id, ["no-such-id"], "unknown_reference"),
    ]:
        with pytest.raises(ValidationError) as caught:
            duplicates.merge(workspace, keep, *others)
        assert caught.value.codes == {code}
    workspace.delete(Citizen, twin.id)
    with pytest.raises(ValidationError):
        duplicates.merge(workspace, amina.id, twin.id)  # a deleted record is no duplicate
    assert pending_count(workspace.store) == before + 1  # only the delete of the test itself
    assert workspace.repos.citizens.count() == 3


def test_three_of_one_citizen_become_one_in_one_merge(workspace: Workspace) -> None:
    company = factories.company()
    three = [factories.citizen(name=f"Amina {n}", phone=None) for n in range(3)]
    three[2] = dataclasses.replace(three[2], phone="20304050")
    for citizen in three:
        registered(workspace, citizen, company)
    done = duplicates.merge(workspace, three[1].id, three[0].id, three[2].id)
    assert done.placements == 2 and done.filled == ("phone",)
    (citizen,) = workspace.repos.citizens.where()
    assert (citizen.id, citizen.phone) == (three[1].id, "20304050")
    assert len(workspace.repos.placements.for_citizen(citizen.id)) == 3


def test_a_placement_that_arrives_for_a_merged_citizen_is_offered_and_moved(
        workspace: Workspace) -> None:
    company = factories.company()
    keep, other = factories.citizen(), factories.citizen(name="Amina Hasan")
    registered(workspace, keep, company)
    registered(workspace, other, company)
    duplicates.merge(workspace, keep.id, other.id)
    # Made on a laptop that had not yet heard of the merge, pulled after it.
    late = factories.placement(other.id, company.id)
    workspace.repos.placements.add(late)
    assert duplicates.count(workspace) == 1
    (group,) = duplicates.groups(workspace)
    assert group.ids == (keep.id, other.id)
    assert [(m.deleted, m.placements) for m in group.members] == [(False, 2), (True, 1)]
    with pytest.raises(ValidationError):
        duplicates.merge(workspace, other.id, keep.id)  # the deleted one cannot be kept
    done = duplicates.merge(workspace, keep.id, other.id)
    assert (done.placements, done.deleting, done.filled) == (1, 0, ())
    assert workspace.repos.placements.require(late.id).citizen_id == keep.id
    assert duplicates.groups(workspace) == [] and duplicates.count(workspace) == 0
    # A deleted record that nothing points to any more is no duplicate.
    with pytest.raises(ValidationError):
        duplicates.merge(workspace, keep.id, other.id)
