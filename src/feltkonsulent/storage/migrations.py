"""Numbered, transactional schema migrations. Add a new function at the end; never edit an old one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("feltkonsulent")
# The number of the newest migration below; the export format and sync carry it.
SCHEMA_VERSION = 10

_SYNC_COLUMNS = """
    deleted INTEGER NOT NULL DEFAULT 0,
    created_hlc INTEGER NOT NULL,
    updated_hlc INTEGER NOT NULL
"""


@MIGRATIONS(name="0001_records")
def m0001_records(db: Database) -> None:
    for statement in _RECORDS:
        db.execute(statement)


# Each statement alone: `executescript` would COMMIT the migration's transaction half-way.
_RECORDS = [
    f"""CREATE TABLE companies (
        id TEXT PRIMARY KEY, team_id TEXT NOT NULL,
        name TEXT NOT NULL, cvr TEXT NOT NULL, p_number TEXT, street TEXT, postal_code TEXT,
        city TEXT, industry TEXT, employee_count REAL, notes TEXT, {_SYNC_COLUMNS})""",
    f"""CREATE TABLE contacts (
        id TEXT PRIMARY KEY, team_id TEXT NOT NULL,
        company_id TEXT NOT NULL REFERENCES companies(id),
        name TEXT NOT NULL, role TEXT, phone TEXT, email TEXT,
        is_employee_representative INTEGER NOT NULL DEFAULT 0, {_SYNC_COLUMNS})""",
    f"""CREATE TABLE citizens (
        id TEXT PRIMARY KEY, team_id TEXT NOT NULL,
        name TEXT NOT NULL, cpr TEXT NOT NULL, phone TEXT, email TEXT,
        target_group TEXT NOT NULL, readiness TEXT, danish_level TEXT,
        needs_interpreter INTEGER NOT NULL DEFAULT 0, notes TEXT, {_SYNC_COLUMNS})""",
    f"""CREATE TABLE placements (
        id TEXT PRIMARY KEY, team_id TEXT NOT NULL,
        citizen_id TEXT NOT NULL REFERENCES citizens(id),
        company_id TEXT NOT NULL REFERENCES companies(id),
        kind TEXT NOT NULL, purpose TEXT, start_date TEXT NOT NULL, end_date TEXT NOT NULL,
        weekly_hours REAL, work_tasks TEXT, goals TEXT NOT NULL DEFAULT '[]',
        contact_id TEXT REFERENCES contacts(id), status TEXT NOT NULL, outcome TEXT,
        {_SYNC_COLUMNS})""",
    f"""CREATE TABLE support_arrangements (
        id TEXT PRIMARY KEY, team_id TEXT NOT NULL,
        placement_id TEXT NOT NULL REFERENCES placements(id),
        role TEXT NOT NULL, person_name TEXT NOT NULL, hours_per_week REAL, hourly_rate REAL,
        start_date TEXT NOT NULL, end_date TEXT NOT NULL, notes TEXT, {_SYNC_COLUMNS})""",
    f"""CREATE TABLE language_partners (
        id TEXT PRIMARY KEY, team_id TEXT NOT NULL,
        placement_id TEXT NOT NULL REFERENCES placements(id),
        partner_name TEXT NOT NULL, trained_on TEXT, meeting_frequency TEXT,
        focus_areas TEXT NOT NULL DEFAULT '[]', start_date TEXT NOT NULL, end_date TEXT NOT NULL,
        notes TEXT, {_SYNC_COLUMNS})""",
    f"""CREATE TABLE aftercare_visits (
        id TEXT PRIMARY KEY, team_id TEXT NOT NULL,
        placement_id TEXT NOT NULL REFERENCES placements(id),
        planned_on TEXT, visited_on TEXT, mode TEXT NOT NULL, participants TEXT, notes TEXT,
        agreed_actions TEXT, next_visit_on TEXT, supersedes TEXT REFERENCES aftercare_visits(id),
        {_SYNC_COLUMNS})""",
    # Lists show live records only: partial indexes (WHERE deleted = 0) serve them, and leave
    # the planner no index led by `deleted` to pick for a lookup by citizen or placement (one
    # such index made every `for_citizen` a scan of all live placements).
    "CREATE INDEX companies_name ON companies(name COLLATE NOCASE, id) WHERE deleted = 0",
    "CREATE INDEX companies_cvr ON companies(cvr)",
    "CREATE INDEX contacts_company ON contacts(company_id)",
    "CREATE INDEX citizens_name ON citizens(name COLLATE NOCASE, id) WHERE deleted = 0",
    "CREATE INDEX placements_end ON placements(end_date, id) WHERE deleted = 0",
    "CREATE INDEX placements_start ON placements(start_date, id) WHERE deleted = 0",
    "CREATE INDEX placements_citizen ON placements(citizen_id)",
    "CREATE INDEX placements_company ON placements(company_id)",
    "CREATE INDEX support_placement ON support_arrangements(placement_id)",
    "CREATE INDEX language_placement ON language_partners(placement_id)",
    "CREATE INDEX visits_placement ON aftercare_visits(placement_id, visited_on)",
    "CREATE INDEX visits_open ON aftercare_visits(planned_on) WHERE deleted = 0 AND visited_on IS NULL",
    "CREATE INDEX visits_next ON aftercare_visits(next_visit_on) WHERE deleted = 0",
    "CREATE INDEX visits_supersedes ON aftercare_visits(supersedes)",
    # The change log (outbox) of SYNC.md: one row per field set, in the edit's own transaction.
    """CREATE TABLE outbox (
        local_seq INTEGER PRIMARY KEY AUTOINCREMENT,
        op_id TEXT NOT NULL UNIQUE, entity TEXT NOT NULL, row_id TEXT NOT NULL,
        team_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT, hlc INTEGER NOT NULL,
        device_id TEXT NOT NULL, base_seq INTEGER, batch_seq INTEGER)""",
    "CREATE INDEX outbox_batch ON outbox(batch_seq, local_seq)",
    # Per field: the stamp of the value we hold and the server sequence we last saw for it.
    """CREATE TABLE field_meta (
        entity TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL,
        hlc INTEGER NOT NULL, device_id TEXT NOT NULL, server_seq INTEGER,
        PRIMARY KEY (entity, row_id, field)) WITHOUT ROWID""",
    """CREATE TABLE local_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID""",
    # Who did what to which citizen, when. Never a CPR number, never note text.
    """CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
        entity TEXT NOT NULL, row_id TEXT, citizen_id TEXT, fields TEXT)""",
    "CREATE INDEX audit_citizen ON audit_log(citizen_id, at)",
    "CREATE INDEX audit_at ON audit_log(at)",
    # Full-text search: one index over every kind, with a prefix index for search-as-you-type.
    """CREATE TABLE search_docs (
        docid INTEGER PRIMARY KEY, kind TEXT NOT NULL, row_id TEXT NOT NULL,
        UNIQUE (kind, row_id))""",
    # `kind` is indexed so a search can filter on it inside the MATCH (`kind : "companies"`).
    """CREATE VIRTUAL TABLE search_index USING fts5(
        kind, title, body,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')""",
]


@MIGRATIONS(name="0002_rules")
def m0002_rules(db: Database) -> None:
    """The employer's sector (wage-subsidy limits differ) and the reasons a consultant gave for
    going on past a rule's finding."""
    db.execute("ALTER TABLE companies ADD COLUMN sector TEXT")
    db.execute(
        f"""CREATE TABLE rule_overrides (
        id TEXT PRIMARY KEY, team_id TEXT NOT NULL,
        placement_id TEXT NOT NULL REFERENCES placements(id),
        code TEXT NOT NULL, reason TEXT NOT NULL, decided_on TEXT NOT NULL, {_SYNC_COLUMNS})"""
    )
    db.execute("CREATE INDEX rule_overrides_placement ON rule_overrides(placement_id, code)")


@MIGRATIONS(name="0003_list_indexes")
def m0003_list_indexes(db: Database) -> None:
    """Indexes for the desktop app's lists (storage/lists.py), so a page never sorts a table."""
    for statement in _LIST_INDEXES:
        db.execute(statement)


# One partial index per sort of a list, ending in `id` (the tie-break). The placement and visit
# ones also carry the ids a name filter or a join needs, so a page walks index entries and reads
# no rows until it has its ids; they replace placements_end and placements_start. The enum
# expressions are `lists.rank()` written out: a list sorts by a kind or status in the order of
# its declaration (tests/storage/test_lists.py checks every sort's plan uses its index).
_PLACEMENT_IDS = "id, citizen_id, company_id"
_LIST_INDEXES = [
    "CREATE INDEX companies_list_id ON companies(id, name) WHERE deleted = 0",
    "CREATE INDEX companies_list_cvr ON companies(cvr, id) WHERE deleted = 0",
    "CREATE INDEX companies_list_city ON companies(city COLLATE NOCASE, id) WHERE deleted = 0",
    "CREATE INDEX companies_list_industry ON companies(industry COLLATE NOCASE, id) WHERE deleted = 0",
    "CREATE INDEX companies_list_employees ON companies(employee_count, id) WHERE deleted = 0",
    "CREATE INDEX citizens_list_id ON citizens(id, name) WHERE deleted = 0",
    "CREATE INDEX citizens_list_cpr ON citizens(cpr, id) WHERE deleted = 0",
    """CREATE INDEX citizens_list_target_group ON citizens(CASE target_group
        WHEN 'unemployment_benefit' THEN 0 WHEN 'cash_benefit_job_ready' THEN 1
        WHEN 'cash_benefit_activity_ready' THEN 2 WHEN 'education_benefit' THEN 3
        WHEN 'sickness_benefit' THEN 4 WHEN 'integration_programme' THEN 5 WHEN 'graduate' THEN 6
        WHEN 'self_supporting' THEN 7 WHEN 'other' THEN 8 END, id) WHERE deleted = 0""",
    "CREATE INDEX citizens_list_danish ON citizens(danish_level COLLATE NOCASE, id) WHERE deleted = 0",
    "CREATE INDEX citizens_list_interpreter ON citizens(needs_interpreter, id) WHERE deleted = 0",
    "DROP INDEX placements_end",
    "DROP INDEX placements_start",
    f"CREATE INDEX placements_list_end ON placements(end_date, {_PLACEMENT_IDS}) WHERE deleted = 0",
    f"CREATE INDEX placements_list_start ON placements(start_date, {_PLACEMENT_IDS}) WHERE deleted = 0",
    f"""CREATE INDEX placements_list_kind ON placements(CASE kind
        WHEN 'internship' THEN 0 WHEN 'wage_subsidy' THEN 1 WHEN 'igu' THEN 2 WHEN 'hybrid' THEN 3
        WHEN 'ordinary_hours' THEN 4 END, {_PLACEMENT_IDS}) WHERE deleted = 0""",
    f"""CREATE INDEX placements_list_purpose ON placements(CASE purpose
        WHEN 'clarification' THEN 0 WHEN 'upskilling' THEN 1 WHEN 'recruitment' THEN 2 END,
        {_PLACEMENT_IDS}) WHERE deleted = 0""",
    f"CREATE INDEX placements_list_hours ON placements(weekly_hours, {_PLACEMENT_IDS}) WHERE deleted = 0",
    f"""CREATE INDEX placements_list_status ON placements(CASE status
        WHEN 'planned' THEN 0 WHEN 'active' THEN 1 WHEN 'ended' THEN 2 WHEN 'cancelled' THEN 3 END,
        {_PLACEMENT_IDS}) WHERE deleted = 0""",
    f"CREATE INDEX placements_list_id ON placements({_PLACEMENT_IDS}) WHERE deleted = 0",
    "CREATE INDEX placements_list_citizen ON placements(citizen_id, id, company_id) WHERE deleted = 0",
    "CREATE INDEX placements_list_company ON placements(company_id, id, citizen_id) WHERE deleted = 0",
    # A company's planned and active placements, counted for every company to sort by them.
    """CREATE INDEX placements_open_company ON placements(company_id)
        WHERE deleted = 0 AND status IN ('planned', 'active')""",
    """CREATE INDEX visits_list_date ON aftercare_visits(coalesce(visited_on, planned_on), id, placement_id)
        WHERE deleted = 0""",
    "CREATE INDEX visits_list_planned ON aftercare_visits(planned_on, id, placement_id) WHERE deleted = 0",
    "CREATE INDEX visits_list_visited ON aftercare_visits(visited_on, id, placement_id) WHERE deleted = 0",
    """CREATE INDEX visits_list_mode ON aftercare_visits(CASE mode
        WHEN 'on_site' THEN 0 WHEN 'phone' THEN 1 WHEN 'video' THEN 2 END, id, placement_id)
        WHERE deleted = 0""",
    "CREATE INDEX visits_list_placement ON aftercare_visits(placement_id, id) WHERE deleted = 0",
    # Tombstones, so a count can leave out the few live rows of a deleted citizen or company
    # without joining every row.
    "CREATE INDEX companies_tombstones ON companies(id) WHERE deleted = 1",
    "CREATE INDEX citizens_tombstones ON citizens(id) WHERE deleted = 1",
    "CREATE INDEX placements_tombstones ON placements(id) WHERE deleted = 1",
]


@MIGRATIONS(name="0004_agreements")
def m0004_agreements(db: Database) -> None:
    """What the agreement prints for each kind of placement (working hours, wage and subsidy,
    the IGU education part, rising paid hours), and each agreement issued."""
    for column, kind in (("working_hours", "TEXT"), ("hourly_wage", "REAL"),
                         ("subsidy_per_hour", "REAL"), ("education_plan", "TEXT"),
                         ("paid_hours_plan", "TEXT NOT NULL DEFAULT '[]'")):
        db.execute(f"ALTER TABLE placements ADD COLUMN {column} {kind}")
    db.execute(
        f"""CREATE TABLE agreements (
        id TEXT PRIMARY KEY, team_id TEXT NOT NULL,
        placement_id TEXT NOT NULL REFERENCES placements(id),
        version INTEGER NOT NULL, language TEXT NOT NULL, issued_at TEXT NOT NULL,
        issued_by TEXT NOT NULL, sha256 TEXT NOT NULL, signed_on TEXT, {_SYNC_COLUMNS})"""
    )
    db.execute("CREATE INDEX agreements_placement ON agreements(placement_id, version)")
    # "I dag": is there a later visit than this follow-up? One index step per placement.
    db.execute("CREATE INDEX visits_latest ON aftercare_visits("
               "placement_id, coalesce(visited_on, planned_on)) WHERE deleted = 0")


@MIGRATIONS(name="0005_sync")
def m0005_sync(db: Database) -> None:
    """The sync client's own tables (storage/sync_state.py, storage/inbox.py): pulled field
    values that cannot be written yet, changes the server rejected, and conflicts it reported.
    The cursor, the next batch number and the server's epoch live in `local_state`."""
    for statement in _SYNC:
        db.execute(statement)


_SYNC = [
    # A pulled value for a record that cannot be written yet: the record does not exist here and
    # its required fields (or the record it refers to) have not all arrived. Wire values (JSON).
    """CREATE TABLE sync_staging (
        entity TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT,
        hlc INTEGER NOT NULL, device_id TEXT NOT NULL, server_seq INTEGER NOT NULL,
        PRIMARY KEY (entity, row_id, field)) WITHOUT ROWID""",
    # Changes of ours the server acknowledged but refused (SYNC.md: never dropped without a word).
    """CREATE TABLE rejected_changes (
        op_id TEXT PRIMARY KEY, entity TEXT NOT NULL, row_id TEXT NOT NULL,
        team_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT, hlc INTEGER NOT NULL,
        reason TEXT NOT NULL, batch_seq INTEGER NOT NULL, rejected_at TEXT NOT NULL)""",
    # Changes of ours that raced another device's edit of the same field; `applied` says whether
    # ours won. The server keeps both values and both authors; this is what the UI lists here.
    """CREATE TABLE sync_conflicts (
        op_id TEXT PRIMARY KEY, entity TEXT NOT NULL, row_id TEXT NOT NULL,
        field TEXT NOT NULL, value TEXT, hlc INTEGER NOT NULL, applied INTEGER NOT NULL,
        server_seq INTEGER, seen_at TEXT NOT NULL)""",
    # Applying a pulled change looks for a pending change of ours to the same field.
    "CREATE INDEX outbox_field ON outbox(entity, row_id, field)",
]


@MIGRATIONS(name="0006_resync")
def m0006_resync(db: Database) -> None:
    """A resync's list of fields not yet confirmed by the server (storage/resync.py), and the other
    side of a conflict as the server reports it (docs/sync.md)."""
    db.execute(
        """CREATE TABLE resync_pending (
            entity TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL,
            PRIMARY KEY (entity, row_id, field)) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX rejected_record ON rejected_changes(entity, row_id)")
    for column in ("other_value TEXT", "other_hlc INTEGER", "other_device_id TEXT", "other_user_id TEXT"):
        db.execute(f"ALTER TABLE sync_conflicts ADD COLUMN {column}")


@MIGRATIONS(name="0007_municipal_agreements")
def m0007_municipal_agreements(db: Database) -> None:
    """What a municipality's agreement needs (issue 13): the municipality's and the consultant's
    profiles, the citizen's latest employer and work experience (BAB § 61, LAB § 61), an
    internship's documented extension and follow-up date, and an agreement's content hash."""
    for table, column in (("citizens", "latest_employer TEXT"),
                          ("citizens", "without_work_experience INTEGER NOT NULL DEFAULT 0"),
                          ("placements", "extension_assessment TEXT"),
                          ("placements", "follow_up_on TEXT"),
                          ("agreements", "content_sha256 TEXT")):
        db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
    db.execute(
        f"""CREATE TABLE team_profiles (
        id TEXT PRIMARY KEY, team_id TEXT NOT NULL, municipality TEXT NOT NULL, department TEXT,
        address TEXT, phone TEXT, email TEXT, {_SYNC_COLUMNS})"""
    )
    db.execute(
        f"""CREATE TABLE consultant_profiles (
        id TEXT PRIMARY KEY, team_id TEXT NOT NULL, user TEXT NOT NULL, name TEXT NOT NULL,
        phone TEXT, email TEXT, {_SYNC_COLUMNS})"""
    )
    db.execute("CREATE INDEX consultant_profiles_user ON consultant_profiles(user)")


@MIGRATIONS(name="0008_search")
def m0008_search(db: Database) -> None:
    """Search and sort as a Danish user expects (issue 14). The name, city, industry and Danish
    level indexes sort in the `danish` collation (storage/danish.py; every connection registers
    it, and one without it cannot write these tables). The search index is made anew: one FTS5
    table per kind (a word's prefix is looked up among that kind's words only), of folded words
    only (contentless), the records' own text in `search_docs`, contact persons, buddies,
    mentors and sprogmakkere too, and a corrected visit note only in its latest version."""
    for statement in _DANISH_ORDER:
        db.execute(statement)
    for statement in _SEARCH:
        db.execute(statement)
    from feltkonsulent.storage import search  # here: search needs the database module, which needs this

    for kind in search.SEARCHABLE:
        db.execute(
            f"""CREATE VIRTUAL TABLE {search.fts_table(kind)} USING fts5(
            title, body, content = '', contentless_delete = 1,
            tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"""
        )
    search.rebuild(db.conn)


_DANISH_ORDER = [
    *(f"DROP INDEX {name}" for name in ("companies_name", "citizens_name", "companies_list_city",
                                         "companies_list_industry", "citizens_list_danish")),
    "CREATE INDEX companies_name ON companies(name COLLATE danish, id) WHERE deleted = 0",
    "CREATE INDEX citizens_name ON citizens(name COLLATE danish, id) WHERE deleted = 0",
    "CREATE INDEX companies_list_city ON companies(city COLLATE danish, id) WHERE deleted = 0",
    "CREATE INDEX companies_list_industry ON companies(industry COLLATE danish, id) WHERE deleted = 0",
    "CREATE INDEX citizens_list_danish ON citizens(danish_level COLLATE danish, id) WHERE deleted = 0",
]
_SEARCH = [
    "DROP TABLE search_index",
    "DROP TABLE search_docs",
    """CREATE TABLE search_docs (
        docid INTEGER PRIMARY KEY, kind TEXT NOT NULL, row_id TEXT NOT NULL,
        title TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (kind, row_id))""",
]


@MIGRATIONS(name="0009_sync_refused")
def m0009_sync_refused(db: Database) -> None:
    """Pulled values this laptop cannot hold (outside the value boundary, domain/limits.py: a
    number that is not finite, a text over its limit, ...), written by a server from before the
    boundary: kept here for the user to see, never staged (docs/sync.md "Values refused"). The
    value is JSON with every non-ASCII character escaped, so a lone surrogate can be kept too."""
    db.execute(
        """CREATE TABLE sync_refused (
        entity TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
        hlc INTEGER NOT NULL, device_id TEXT NOT NULL, server_seq INTEGER NOT NULL,
        code TEXT NOT NULL, params TEXT NOT NULL, seen_at TEXT NOT NULL,
        PRIMARY KEY (entity, row_id, field)) WITHOUT ROWID"""
    )


@MIGRATIONS(name="0010_rejected_stamps")
def m0010_rejected_stamps(db: Database) -> None:
    """A change the server rejected for its value (not as another team's) left, before 0009, its
    value and its stamp in the record; the digest now counts such records, and the server's older
    stamp would lose every resync's merge. Their stamps go: the next resync fetches the server's
    value, and where the server holds none the value stays this laptop's alone, as a rejection
    leaves it now (docs/sync.md "Rejected changes and values refused")."""
    db.execute(
        "DELETE FROM field_meta WHERE EXISTS (SELECT 1 FROM rejected_changes x "
        "WHERE x.entity = field_meta.entity AND x.row_id = field_meta.row_id "
        "AND x.field = field_meta.field AND x.hlc = field_meta.hlc AND x.reason <> 'forbidden_team')"
    )
    # ... and the next round pulls the server's values again, whatever a resync's backoff says.
    db.execute("INSERT OR REPLACE INTO local_state(key, value) SELECT 'refetch_wanted', '1' "
               "WHERE changes() > 0")


def migrate(db: Database) -> None:
    # sqlite-utils creates its bookkeeping table and that table's index in two commits; a crash
    # between them would leave the index missing for good, so make it one transaction.
    with db.atomic():
        MIGRATIONS.ensure_migrations_table(db)
    MIGRATIONS.apply(db)


def applied_version(db: Database) -> int:
    """How many migrations this database has had: its schema version."""
    return len(MIGRATIONS.applied(db))
