"""Numbered, transactional schema migrations. Add a new function at the end; never edit an old one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("feltkonsulent")
# The number of the newest migration below; the export format and sync carry it.
SCHEMA_VERSION = 2

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


def migrate(db: Database) -> None:
    # sqlite-utils creates its bookkeeping table and that table's index in two commits; a crash
    # between them would leave the index missing for good, so make it one transaction.
    with db.atomic():
        MIGRATIONS.ensure_migrations_table(db)
    MIGRATIONS.apply(db)


def applied_version(db: Database) -> int:
    """How many migrations this database has had: its schema version."""
    return len(MIGRATIONS.applied(db))
