"""What a search shows: people named with what they belong to and what opens for them, each
group in Danish order, a corrected note once."""

from __future__ import annotations

import dataclasses

from feltkonsulent.domain.enums import SupportRole
from feltkonsulent.services.workspace import PlacementRegistration, Workspace
from tests import factories


def register(workspace: Workspace, company_name: str, citizen_name: str) -> PlacementRegistration:
    company = factories.company(name=company_name)
    citizen = factories.citizen(name=citizen_name)
    placement = factories.placement(citizen.id, company.id)
    r = PlacementRegistration(
        company, citizen, placement,
        support=[factories.support(placement.id, role=SupportRole.MENTOR, person_name="Hanne Østergaard")],
        language_partners=[factories.language_partner(placement.id, partner_name="Lone Østergaard")],
    )
    workspace.register_placement(r)
    return r


def test_people_are_named_with_what_they_belong_to_and_open_it(workspace: Workspace) -> None:
    r = register(workspace, "Bageriet Ørsted", "Amina Hassan")
    contact = factories.contact(r.company.id, name="Mette Østergaard")
    workspace.save(contact)
    found = {x.kind: x for x in workspace.search("ostergaard")}
    assert set(found) == {"contacts", "support_arrangements", "language_partners"}
    assert (found["contacts"].title, found["contacts"].where, found["contacts"].opens) == (
        "Mette Østergaard", "Bageriet Ørsted", ("companies", r.company.id))
    mentor = found["support_arrangements"]
    assert (mentor.title, mentor.role, mentor.where, mentor.opens) == (
        "Hanne Østergaard", "mentor", "Amina Hassan · Bageriet Ørsted", ("placements", r.placement.id))
    partner = found["language_partners"]
    assert partner.where == "Amina Hassan · Bageriet Ørsted"
    assert partner.opens == ("placements", r.placement.id)
    (company,) = [x for x in workspace.search("orsted") if x.kind == "companies"]
    assert company.opens == ("companies", r.company.id)


def test_each_group_is_in_danish_order(workspace: Workspace) -> None:
    for name in ["Aabenraa Tømrer", "Århus Tømrer", "Ærø Tømrer", "Zealand Tømrer", "Ørsted Tømrer",
                 "aalborg Tømrer"]:
        workspace.save(factories.company(name=name))
    titles = [x.title for x in workspace.search("tomrer")]
    assert titles == ["Zealand Tømrer", "Ærø Tømrer", "Ørsted Tømrer", "Aabenraa Tømrer", "aalborg Tømrer",
                      "Århus Tømrer"]


def test_a_corrected_visit_note_is_one_hit_named_by_its_placement(workspace: Workspace) -> None:
    r = register(workspace, "Bageriet Ørsted", "Amina Hassan")
    old = factories.visit(r.placement.id, notes="Amina øver kassen med Mette")
    workspace.record_visit(old)
    new = workspace.correct_visit(old.id, dataclasses.replace(old, notes="Amina øver kassen og bestilling"))
    (hit,) = workspace.search("kassen")
    assert (hit.kind, hit.row_id, hit.title, hit.opens) == (
        "aftercare_visits", new.id, "Amina Hassan · Bageriet Ørsted", ("aftercare_visits", new.id))
