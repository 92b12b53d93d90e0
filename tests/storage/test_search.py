"""Full-text search: prefixes, every kind, grouped, tombstones gone, typed syntax taken as text."""

from __future__ import annotations

import dataclasses

import pytest

from feltkonsulent.domain.enums import SupportRole
from feltkonsulent.services.workspace import Workspace
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


# -- Danish folding (storage/danish.py; docs/desktop.md, "Søgning") ---------------------------
@pytest.fixture
def towns(store: Store) -> dict[str, str]:
    repos = Repositories(store)
    names = {
        "orsted": "Bageriet Ørsted", "aarhus": "Aarhus Maskinfabrik", "arhus": "Århus Vognmand",
        "aero": "Ærø Færgeri", "aeble": "Æblehaven", "gronne": "Grønnegården",
        "muller": "Café Müller", "kobenhavn": "Københavnske Kager", "oelund": "Oelund Gartneri",
    }
    ids = {}
    for key, name in names.items():
        company = factories.company(name=name, street="Vestergade 1", city="Vejle", industry=None, notes=None)
        repos.companies.add(company)
        ids[key] = company.id
    return ids


def found(store: Store, text: str) -> set[str]:
    return {h.row_id for h in search.search(store, text)}


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        # ø is o, and so is oe: each finds the other's spelling
        ("orsted", {"orsted"}), ("Ørsted", {"orsted"}), ("oersted", {"orsted"}), ("ØRS", {"orsted"}),
        ("grønne", {"gronne"}), ("groenne", {"gronne"}), ("gronne", {"gronne"}),
        ("ølund", {"oelund"}), ("olund", {"oelund"}),
        # å is a, and so is aa: Aarhus and Århus are one town, typed any of three ways
        ("aarhus", {"aarhus", "arhus"}), ("århus", {"aarhus", "arhus"}), ("arhus", {"aarhus", "arhus"}),
        ("AARH", {"aarhus", "arhus"}),
        # æ is ae
        ("aeble", {"aeble"}), ("æble", {"aeble"}), ("aero", {"aero"}), ("ærø", {"aero"}),
        ("faergeri", {"aero"}), ("færgeri", {"aero"}),
        # other letters with accents are their base letter, both ways
        ("muller", {"muller"}), ("müller", {"muller"}), ("cafe", {"muller"}), ("CAFÉ", {"muller"}),
        ("kobenhavnske", {"kobenhavn"}), ("københavn", {"kobenhavn"}),
    ],
)
def test_danish_letters_are_found_however_they_are_typed(
    store: Store, towns: dict[str, str], typed: str, names: set[str]
) -> None:
    assert found(store, typed) == {towns[n] for n in names}


def test_the_words_shown_keep_their_danish_letters(store: Store, towns: dict[str, str]) -> None:
    (hit,) = search.search(store, "orsted")
    assert hit.title == "Bageriet Ørsted"
    repos = Repositories(store)
    repos.companies.update(dataclasses.replace(
        repos.companies.require(towns["aero"]), notes="Færgen til Ærøskøbing sejler hver time fra havnen"))
    (hit,) = search.search(store, "aeroskobing")
    assert hit.snippet == "…Færgen til Ærøskøbing sejler hver time fra havnen"


def test_a_snippet_is_the_words_around_the_match() -> None:
    body = "en to tre fire fem seks syv otte ni ti elleve tolv Ørsted tretten fjorten femten seksten sytten"
    assert search.snippet(body, "oersted") == "…elleve tolv Ørsted tretten fjorten femten seksten sytten"
    assert search.snippet(body, "nothing") == "en to tre fire fem seks syv otte…"


# -- contact persons, buddies, mentors, sprogmakkere ------------------------------------------
@pytest.fixture
def people(store: Store, filled: dict[str, str]) -> dict[str, str]:
    repos = Repositories(store)
    contact = factories.contact(filled["company"], name="Mette Kjær", role="Indehaver")
    buddy = factories.support(filled["placement"], person_name="Jens Østergaard")
    mentor = factories.support(filled["placement"], role=SupportRole.MENTOR, person_name="Hanne Bæk")
    partner = factories.language_partner(filled["placement"], partner_name="Lone Aagaard")
    repos.contacts.add(contact)
    repos.support_arrangements.add(buddy)
    repos.support_arrangements.add(mentor)
    repos.language_partners.add(partner)
    return {"contact": contact.id, "buddy": buddy.id, "mentor": mentor.id, "partner": partner.id}


def test_contact_persons_buddies_mentors_and_sprogmakkere_are_found_with_what_they_belong_to(
    store: Store, filled: dict[str, str], people: dict[str, str]
) -> None:
    (contact,) = search.search(store, "mette kjaer")
    assert (contact.kind, contact.row_id, contact.title, contact.owner) == (
        "contacts", people["contact"], "Mette Kjær", filled["company"])
    assert [h.row_id for h in search.search(store, "indehaver")] == [people["contact"]]
    (buddy,) = search.search(store, "jens ostergaard")
    assert (buddy.kind, buddy.row_id, buddy.owner, buddy.role) == (
        "support_arrangements", people["buddy"], filled["placement"], "buddy")
    (mentor,) = search.search(store, "hanne baek")
    assert (mentor.row_id, mentor.role) == (people["mentor"], "mentor")
    (partner,) = search.search(store, "lone ågaard")
    assert (partner.kind, partner.row_id, partner.owner) == (
        "language_partners", people["partner"], filled["placement"])


def test_a_person_renamed_or_deleted_is_found_as_they_are_now(
    store: Store, people: dict[str, str]
) -> None:
    repos = Repositories(store)
    repos.language_partners.update(dataclasses.replace(
        repos.language_partners.require(people["partner"]), partner_name="Lone Møller"))
    assert found(store, "aagaard") == set()
    assert found(store, "moller") == {people["partner"]}
    repos.contacts.delete(people["contact"])
    assert found(store, "kjær") == set()


def test_a_hit_that_belongs_to_a_placement_is_audited_as_its_citizen(
    store: Store, filled: dict[str, str], people: dict[str, str]
) -> None:
    search.search(store, "ostergaard")
    store.flush_audit()
    rows = store.conn.execute(
        "SELECT row_id, citizen_id FROM audit_log WHERE action = 'search'").fetchall()
    assert rows == [(people["buddy"], filled["citizen"])]


# -- a corrected visit note -------------------------------------------------------------------
def test_only_the_latest_version_of_a_corrected_note_is_found(store: Store, filled: dict[str, str]) -> None:
    repos = Repositories(store)
    first = repos.aftercare_visits.require(filled["visit"])
    second = factories.visit(first.placement_id, supersedes=first.id,
                             notes="Yonas vil gerne lære at køre vaskemaskinen og tørretumbleren")
    repos.aftercare_visits.add(second)
    assert found(store, "vaskemaskinen") == {second.id}
    third = factories.visit(first.placement_id, supersedes=second.id, notes="Yonas kører vaskemaskinen selv")
    repos.aftercare_visits.add(third)
    assert found(store, "vaskemaskinen") == {third.id}
    assert found(store, "tørretumbleren") == set()
    repos.aftercare_visits.delete(third.id)  # the correction taken back: the one before is found
    assert found(store, "vaskemaskinen") == {second.id}
    repos.aftercare_visits.restore(third.id)
    assert found(store, "vaskemaskinen") == {third.id}


def test_a_correction_made_in_the_workspace_is_one_hit(store: Store, filled: dict[str, str]) -> None:
    ws = Workspace(store)
    old = ws.repos.aftercare_visits.require(filled["visit"])
    new = ws.correct_visit(old.id, dataclasses.replace(old, notes="Yonas kan nu selv køre vaskemaskinen"))
    assert [(h.kind, h.row_id) for h in ws.search("vaskemaskinen")] == [("aftercare_visits", new.id)]
