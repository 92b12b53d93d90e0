"""The sync server's tables as an ordered list of migrations in plain SQL that SQLite and
PostgreSQL both run unchanged. Migration N brings a database from schema version N - 1 to N
(`server_info.schema_version`); migrations only add, and are never edited once released: a
change is a new migration at the end.
"""

# Version 1: the tables of the first sync server.
_V1 = """
CREATE TABLE server_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE teams (team_id TEXT PRIMARY KEY, created_at TEXT NOT NULL);
CREATE TABLE users (user_id TEXT PRIMARY KEY, created_at TEXT NOT NULL);
CREATE TABLE memberships (
    user_id TEXT NOT NULL REFERENCES users(user_id),
    team_id TEXT NOT NULL REFERENCES teams(team_id),
    PRIMARY KEY (user_id, team_id)
);
CREATE TABLE devices (
    device_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(user_id),
    name TEXT NOT NULL,
    installation TEXT UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    last_seen_at TEXT
);
CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices(device_id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE batches (
    installation TEXT NOT NULL,
    batch_seq BIGINT NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices(device_id),
    payload_sha256 TEXT NOT NULL,
    schema_version BIGINT NOT NULL,
    response TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (installation, batch_seq)
);
CREATE TABLE records (
    entity TEXT NOT NULL,
    row_id TEXT NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(team_id),
    PRIMARY KEY (entity, row_id)
);
CREATE TABLE changes (
    server_seq BIGINT PRIMARY KEY,
    team_id TEXT NOT NULL,
    op_id TEXT NOT NULL UNIQUE,
    entity TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    hlc BIGINT NOT NULL,
    device_id TEXT NOT NULL,
    base_seq BIGINT,
    received_at TEXT NOT NULL
);
CREATE INDEX changes_by_team ON changes (team_id, server_seq);
CREATE TABLE fields (
    team_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    hlc BIGINT NOT NULL,
    device_id TEXT NOT NULL,
    server_seq BIGINT NOT NULL,
    PRIMARY KEY (entity, row_id, field)
);
CREATE TABLE conflicts (
    op_id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    current_value TEXT NOT NULL,
    current_hlc BIGINT NOT NULL,
    current_device_id TEXT NOT NULL,
    current_seq BIGINT NOT NULL,
    incoming_value TEXT NOT NULL,
    incoming_hlc BIGINT NOT NULL,
    incoming_device_id TEXT NOT NULL,
    incoming_base_seq BIGINT,
    incoming_won INTEGER NOT NULL,
    detected_at TEXT NOT NULL
);
"""

# Version 2: a team's fields found without reading every other team's. The digest sums the
# fields of the user's teams; with only the primary key (entity first) it read every team's
# fields of the entity, so a small team's digest took 80-110 ms on a server holding 200,000
# changes of another team, and would take seconds on a service shared by many municipalities.
_V2 = """
CREATE INDEX fields_by_team ON fields (team_id, entity, field);
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2)
SCHEMA_VERSION = len(MIGRATIONS)


def statements(migration: str) -> list[str]:
    """A migration's statements, one by one (no `;` inside a statement of these scripts)."""
    return [part.strip() for part in migration.split(";") if part.strip()]
