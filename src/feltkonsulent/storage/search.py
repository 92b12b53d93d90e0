"""Full-text search (FTS5 with a prefix index) over companies, citizens, placements and visit notes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from feltkonsulent.domain.entities import (
    AftercareVisit,
    Citizen,
    Company,
    Placement,
    Record,
)
from feltkonsulent.domain.validation import compact_digits, format_cpr
from feltkonsulent.storage.audit import AuditAction, audit
from feltkonsulent.storage.database import Store

SEARCHABLE = ("companies", "citizens", "placements", "aftercare_visits")
_TOKEN = re.compile(r"[^\s\"*^():+]+")


@dataclass(frozen=True)
class SearchHit:
    kind: str
    row_id: str
    title: str
    snippet: str


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def document_for(record: Record) -> tuple[str, str] | None:
    """The title and body a record is found by; None for kinds that are not searched."""
    if isinstance(record, Company):
        return record.name, _join(
            record.cvr, record.p_number, record.street, record.postal_code, record.city,
            record.industry, record.notes,
        )
    if isinstance(record, Citizen):
        # Found by CPR too (typed with or without the dash); the index lives in the encrypted file.
        cpr = compact_digits(record.cpr)
        return record.name, _join(format_cpr(cpr), cpr, record.phone, record.email, record.notes)
    if isinstance(record, Placement):
        return (record.work_tasks or "").split("\n", 1)[0], _join(
            record.work_tasks, *record.goals
        )
    if isinstance(record, AftercareVisit):
        return record.participants or "", _join(record.notes, record.agreed_actions)
    return None


def index(store: Store, kind: str, row_id: str, record: Record) -> None:
    document = document_for(record)
    if document is None:
        return
    store.conn.execute(
        "INSERT OR IGNORE INTO search_docs(kind, row_id) VALUES (?, ?)", (kind, row_id)
    )
    (docid,) = store.conn.execute(
        "SELECT docid FROM search_docs WHERE kind = ? AND row_id = ?", (kind, row_id)
    ).fetchone()
    store.conn.execute("DELETE FROM search_index WHERE rowid = ?", (docid,))
    store.conn.execute(
        "INSERT INTO search_index(rowid, kind, title, body) VALUES (?, ?, ?, ?)",
        (docid, kind, *document),
    )


def unindex(store: Store, kind: str, row_id: str) -> None:
    row = store.conn.execute(
        "SELECT docid FROM search_docs WHERE kind = ? AND row_id = ?", (kind, row_id)
    ).fetchone()
    if row is not None:
        store.conn.execute("DELETE FROM search_index WHERE rowid = ?", (row[0],))
        store.conn.execute("DELETE FROM search_docs WHERE docid = ?", (row[0],))


MIN_TOKEN = 2  # the shortest prefix indexed; one letter would scan every word it starts


def match_expression(text: str) -> str | None:
    """Every word the user typed must match, each as a prefix, in a record's title or body; FTS
    syntax typed is taken as text. Words of one letter are left out (too many match)."""
    tokens = [t.replace('"', "") for t in _TOKEN.findall(text)]
    tokens = [t for t in tokens if len(t) >= MIN_TOKEN]
    if not tokens:
        return None
    return "{title body} : (" + " ".join(f'"{token}"*' for token in tokens) + ")"


def search(store: Store, text: str, limit_per_kind: int = 20) -> list[SearchHit]:
    """Hits grouped by kind (in SEARCHABLE order), newest first within each kind.

    Newest first, not best-ranked first: ranking (bm25) must score every match before it can
    return the first twenty, which took seconds for a common prefix on 100,000 placements;
    newest-first lets FTS5 stop after twenty. Consultants search mostly for what they work on now.
    """
    expression = match_expression(text)
    if expression is None:
        return []
    hits: list[SearchHit] = []
    for kind in SEARCHABLE:
        rows = store.conn.execute(
            "SELECT d.row_id, s.title, snippet(search_index, 2, '', '', '…', 8) "
            "FROM search_index s JOIN search_docs d ON d.docid = s.rowid "
            "WHERE search_index MATCH ? ORDER BY s.rowid DESC LIMIT ?",
            (f'kind : "{kind}" AND {expression}', limit_per_kind),
        ).fetchall()
        hits.extend(SearchHit(kind, r[0], r[1], r[2]) for r in rows)
    _audit_hits(store, hits)
    return hits


def _audit_hits(store: Store, hits: list[SearchHit]) -> None:
    """A search that shows a citizen's data is a use of it: log which citizens (not the query)."""
    citizen_rows = [(h.row_id, h.row_id) for h in hits if h.kind == "citizens"]
    placement_ids = [h.row_id for h in hits if h.kind == "placements"]
    visit_ids = [h.row_id for h in hits if h.kind == "aftercare_visits"]
    if placement_ids:
        marks = ",".join("?" * len(placement_ids))
        citizen_rows += store.conn.execute(
            f"SELECT id, citizen_id FROM placements WHERE id IN ({marks})", placement_ids
        ).fetchall()
    if visit_ids:
        marks = ",".join("?" * len(visit_ids))
        citizen_rows += store.conn.execute(
            "SELECT v.id, p.citizen_id FROM aftercare_visits v "
            f"JOIN placements p ON p.id = v.placement_id WHERE v.id IN ({marks})",
            visit_ids,
        ).fetchall()
    if citizen_rows:
        audit(store, AuditAction.SEARCH, "search", citizen_rows)
