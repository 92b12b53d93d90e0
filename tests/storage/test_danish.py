"""Danish order in the lists (the `danish` collation every connection registers), a database
opened without it refusing loudly, and migration 0008 bringing an existing database there."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from feltkonsulent.storage import danish, lists, migrations, search
from feltkonsulent.storage.database import Store, _connect, open_database
from feltkonsulent.storage.keys import RawKey, file_salt, pragma_key
from feltkonsulent.storage.repositories import Repositories
from tests import factories

NAMES = ["Aabenraa", "Århus", "Ærø", "Østergaard", "Zealand", "Ørsted", "aalborg", "Bageriet"]
IN_DANISH = ["Bageriet", "Zealand", "Ærø", "Ørsted", "Østergaard", "Aabenraa", "aalborg", "Århus"]


def test_the_order_of_danish_names() -> None:
    assert sorted(NAMES, key=danish.order) == IN_DANISH
    # case does not count; accents as Danish sorts them (ä as æ, ö as ø, ü as y, é as e)
    assert sorted(["bent", "Anne", "anders", "Bo"], key=danish.order) == ["anders", "Anne", "bent", "Bo"]
    assert sorted(["Åse", "Ängel", "Zoe", "Øre", "Öberg"], key=danish.order) == [
        "Zoe", "Ängel", "Öberg", "Øre", "Åse"]
    assert sorted(["Mynster", "Müller", "Mulvad"], key=danish.order) == ["Mulvad", "Müller", "Mynster"]
    assert sorted(["Ellen", "Émile", "Erik"], key=danish.order) == ["Ellen", "Émile", "Erik"]
    assert sorted(["Anne Hansen", "Annette", "Ann"], key=danish.order) == ["Ann", "Anne Hansen", "Annette"]
    assert danish.collate("aalborg", "Aalborg") != 0  # a total order: only the same text is equal


@pytest.fixture
def named(store: Store) -> Repositories:
    repos = Repositories(store)
    for name in NAMES:
        company = factories.company(name=f"{name}", city=name, industry=name.lower())
        citizen = factories.citizen(name=f"{name}", cpr="0305881234", danish_level=None)
        repos.companies.add(company)
        repos.citizens.add(citizen)
        repos.placements.add(factories.placement(citizen.id, company.id))
    return repos


def test_the_lists_sort_names_in_danish_order_both_ways(store: Store, named: Repositories) -> None:
    assert [r.name for r in lists.company_rows(store, "name")] == IN_DANISH
    assert [r.name for r in lists.company_rows(store, "name", descending=True)] == IN_DANISH[::-1]
    assert [r.city for r in lists.company_rows(store, "city")] == IN_DANISH
    assert [r.industry for r in lists.company_rows(store, "industry")] == [n.lower() for n in IN_DANISH]
    assert [r.name for r in lists.citizen_rows(store, "name")] == IN_DANISH
    assert [r.citizen_name for r in lists.placement_rows(store, "citizen_name")] == IN_DANISH
    by_company = lists.placement_rows(store, "company_name", descending=True)
    assert [r.company_name for r in by_company] == IN_DANISH[::-1]
    # a filter's few rows are sorted by the database in the same order
    assert [r.name for r in lists.company_rows(store, "name", text="a")] == [
        n for n in IN_DANISH if "a" in n.lower()]


def test_each_danish_sort_walks_its_index(store: Store, named: Repositories) -> None:
    for listing, sort, index in (
        (lists.COMPANIES, "name", "companies_name"), (lists.COMPANIES, "city", "companies_list_city"),
        (lists.COMPANIES, "industry", "companies_list_industry"), (lists.CITIZENS, "name", "citizens_name"),
        (lists.CITIZENS, "danish_level", "citizens_list_danish"),
        (lists.PLACEMENTS, "citizen_name", "citizens_name"),
        (lists.PLACEMENTS, "company_name", "companies_name"),
        (lists.VISITS, "citizen_name", "citizens_name"), (lists.VISITS, "company_name", "companies_name"),
    ):
        query = lists.page_query(store, listing, sort, False, None, 0, 50)
        assert query is not None
        plan = " ".join(r[3] for r in store.conn.execute(f"EXPLAIN QUERY PLAN {query[0]}", query[1]))
        assert f"INDEX {index}" in plan and "TEMP B-TREE FOR ORDER BY" not in plan, (sort, plan)
    sql = store.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'companies_name'").fetchone()[0]
    assert "COLLATE danish" in sql


def raw_connection(path: Path, key: RawKey) -> sqlcipher3.Connection:
    """The file opened as another program would, without the `danish` collation."""
    conn = sqlcipher3.connect(str(path))
    salt = file_salt(path)
    assert salt is not None
    conn.execute(f"PRAGMA key = {pragma_key(key, salt)}")
    return conn


def test_a_connection_without_the_collation_cannot_write_or_sort_names(
    store: Store, named: Repositories, db_path: Path, key: RawKey
) -> None:
    store.close()
    conn = raw_connection(db_path, key)
    assert conn.execute("SELECT count(*) FROM companies").fetchone() == (len(NAMES),)
    with pytest.raises(sqlcipher3.OperationalError, match="no such collation sequence: danish"):
        conn.execute("UPDATE companies SET name = 'Andet navn'")
    with pytest.raises(sqlcipher3.OperationalError, match="no such collation sequence: danish"):
        conn.execute("SELECT name FROM companies WHERE deleted = 0 ORDER BY name COLLATE danish").fetchall()
    conn.close()


def test_migration_0008_brings_an_older_database_to_danish_order_and_search(
    db_path: Path, key: RawKey
) -> None:
    conn = _connect(db_path, key)
    db = migrations.Database(conn, execute_plugins=False)
    with db.atomic():
        migrations.MIGRATIONS.ensure_migrations_table(db)
    migrations.MIGRATIONS.apply(db, stop_before="0008_search")
    hlc = "1, 1"
    for n, name in enumerate(NAMES):
        conn.execute(f"INSERT INTO companies(id, team_id, name, cvr, created_hlc, updated_hlc) "
                     f"VALUES ('co{n}', 't', ?, '12345674', {hlc})", (name,))
    conn.execute(f"INSERT INTO citizens(id, team_id, name, cpr, target_group, created_hlc, updated_hlc) "
                 f"VALUES ('c1', 't', 'Amina Grønlund', '0305881234', 'other', {hlc})")
    conn.execute("INSERT INTO contacts(id, team_id, company_id, name, created_hlc, updated_hlc) "
                 f"VALUES ('k1', 't', 'co0', 'Mette Kjær', {hlc})")
    conn.execute("INSERT INTO placements(id, team_id, citizen_id, company_id, kind, start_date, end_date, "
                 f"status, created_hlc, updated_hlc) VALUES ('p1', 't', 'c1', 'co0', 'internship', "
                 f"'2026-11-02', '2026-12-20', 'active', {hlc})")
    for visit, supersedes in (("v1", None), ("v2", "v1")):
        conn.execute("INSERT INTO aftercare_visits(id, team_id, placement_id, mode, notes, supersedes, "
                     "created_hlc, updated_hlc) VALUES (?, 't', 'p1', 'phone', 'Trives på lageret', ?, "
                     f"{hlc})", (visit, supersedes))
    conn.commit()
    conn.close()

    store = open_database(db_path, key)
    assert migrations.applied_version(store.db) == migrations.SCHEMA_VERSION
    assert [r.name for r in lists.company_rows(store, "name")] == IN_DANISH
    assert [(h.kind, h.row_id) for h in search.search(store, "gronlund")] == [("citizens", "c1")]
    assert [(h.kind, h.row_id) for h in search.search(store, "kjaer")] == [("contacts", "k1")]
    assert [(h.kind, h.row_id) for h in search.search(store, "aarhus")] == [("companies", "co1")]
    assert [(h.kind, h.row_id) for h in search.search(store, "trives lag")] == [("aftercare_visits", "v2")]
    store.close()
