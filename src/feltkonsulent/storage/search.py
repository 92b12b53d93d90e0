"""Full-text search (FTS5 with a prefix index) over companies, citizens, placements, contact
persons, buddies and mentors, sprogmakkere and visit notes.

Both the text indexed and the words searched are folded first (`danish.fold`: "Ørsted",
"oersted" and "orsted" are one word, "Aarhus", "Århus" and "arhus" too), so the FTS tables hold
folded words only; it keeps no copy of them (contentless), and the text shown — the title and
the words around a match — comes from `search_docs`, which holds the record's own text.

A record's entry is made from its row (`refresh`), after the row is written: by the
repositories (every save, delete, restore), by sync for every record a pull touched
(`inbox.reindex`), and for every record by migration 0008 (`rebuild`). Deleted records have no
entry; nor has a visit note that a live note corrects (`supersedes`): only the latest version
of a note is found, and the one before is found again if its correction is deleted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from feltkonsulent.domain.entities import Record
from feltkonsulent.domain.validation import compact_digits, format_cpr
from feltkonsulent.storage.audit import AuditAction, audit
from feltkonsulent.storage.danish import fold
from feltkonsulent.storage.database import Store

# The kinds searched, in the order their results are grouped.
SEARCHABLE = (
    "companies", "citizens", "placements", "contacts", "support_arrangements",
    "language_partners", "aftercare_visits",
)


def fts_table(kind: str) -> str:
    """The FTS5 table of one kind (migration 0008): one each, so a word's prefix is looked up
    among that kind's words only (in one table for all, each kind's search paid for all)."""
    assert kind in SEARCHABLE
    return f"search_{kind}"


_TOKEN = re.compile(r"[^\s\"*^():+]+")
_WORD = re.compile(r"\w+")
SNIPPET_WORDS = 8


@dataclass(frozen=True)
class SearchHit:
    """One record found. `owner` is the record it belongs to (a contact's company, an
    arrangement's or visit note's placement), `role` a buddy arrangement's role."""

    kind: str
    row_id: str
    title: str
    snippet: str
    owner: str | None = None
    role: str | None = None


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


# -- documents ------------------------------------------------------------------------------
# Per kind: the columns read, and the title and body made of them.
def _citizen(name: str, cpr: str, phone: str | None, email: str | None, notes: str | None) -> tuple[str, str]:
    # Found by CPR too (typed with or without the dash); the index lives in the encrypted file.
    digits = compact_digits(cpr)
    return name, _join(format_cpr(digits), digits, phone, email, notes)


def _placement(work_tasks: str | None, goals: str | None) -> tuple[str, str]:
    return (work_tasks or "").split("\n", 1)[0], _join(work_tasks, *json.loads(goals or "[]"))


_DOCUMENTS: dict[str, tuple[str, Any]] = {
    "companies": ("name, cvr, p_number, street, postal_code, city, industry, notes",
                  lambda name, *rest: (name, _join(*rest))),
    "citizens": ("name, cpr, phone, email, notes", _citizen),
    "placements": ("work_tasks, goals", _placement),
    "contacts": ("name, role, phone, email", lambda name, *rest: (name, _join(*rest))),
    "support_arrangements": ("person_name, notes", lambda name, notes: (name, notes or "")),
    "language_partners": ("partner_name, notes", lambda name, notes: (name, notes or "")),
    "aftercare_visits": ("participants, notes, agreed_actions",
                         lambda who, *rest: (who or "", _join(*rest))),
}
# A visit note is searched only while no live note corrects it.
_CURRENT = {
    "aftercare_visits": "NOT EXISTS (SELECT 1 FROM aftercare_visits s "
    "WHERE s.supersedes = t.id AND s.deleted = 0)",
}


def _document(conn: Any, kind: str, row_id: str) -> tuple[str, str] | None:
    columns, make = _DOCUMENTS[kind]
    row = conn.execute(
        f"SELECT {columns} FROM {kind} t WHERE t.id = ? AND t.deleted = 0 AND {_CURRENT.get(kind, '1')}",
        (row_id,),
    ).fetchone()
    return None if row is None else make(*row)


def _put(conn: Any, kind: str, row_id: str, document: tuple[str, str]) -> None:
    title, body = document
    (docid,) = conn.execute(
        "INSERT INTO search_docs(kind, row_id, title, body) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(kind, row_id) DO UPDATE SET title = excluded.title, body = excluded.body "
        "RETURNING docid",
        (kind, row_id, title, body),
    ).fetchone()
    conn.execute(f"DELETE FROM {fts_table(kind)} WHERE rowid = ?", (docid,))
    conn.execute(
        f"INSERT INTO {fts_table(kind)}(rowid, title, body) VALUES (?, ?, ?)",
        (docid, fold(title), fold(body)),
    )


def _remove(conn: Any, kind: str, row_id: str) -> None:
    row = conn.execute(
        "SELECT docid FROM search_docs WHERE kind = ? AND row_id = ?", (kind, row_id)
    ).fetchone()
    if row is not None:
        conn.execute(f"DELETE FROM {fts_table(kind)} WHERE rowid = ?", (row[0],))
        conn.execute("DELETE FROM search_docs WHERE docid = ?", (row[0],))


def _refresh_one(conn: Any, kind: str, row_id: str) -> None:
    document = _document(conn, kind, row_id)
    if document is None:
        _remove(conn, kind, row_id)
    else:
        _put(conn, kind, row_id, document)


def refresh(conn: Any, kind: str, row_id: str) -> None:
    """Bring the record's entry in line with its row: made or remade when it is live (and, for a
    visit note, not corrected by a live note), gone otherwise. A visit note's correction also
    decides whether the note it corrects is found."""
    if kind not in _DOCUMENTS:
        return
    _refresh_one(conn, kind, row_id)
    if kind == "aftercare_visits":
        row = conn.execute("SELECT supersedes FROM aftercare_visits WHERE id = ?", (row_id,)).fetchone()
        if row is not None and row[0]:
            _refresh_one(conn, kind, row[0])


def index(store: Store, kind: str, row_id: str, record: Record) -> None:
    """The record was written (its row holds it): index it as its row says."""
    del record  # the row is what is indexed, as for records pulled by sync
    refresh(store.conn, kind, row_id)


def unindex(store: Store, kind: str, row_id: str) -> None:
    """The record was deleted (its row is a tombstone): drop its entry."""
    refresh(store.conn, kind, row_id)


def rebuild(conn: Any) -> None:
    """Every entry made anew from the rows (migration 0008; inside its transaction), in batches."""
    conn.execute("DELETE FROM search_docs")
    docid = 0
    for kind in SEARCHABLE:
        table = fts_table(kind)
        conn.execute(f"DELETE FROM {table}")
        columns, make = _DOCUMENTS[kind]
        cursor = conn.execute(
            f"SELECT t.id, {columns} FROM {kind} t WHERE t.deleted = 0 AND {_CURRENT.get(kind, '1')} "
            "ORDER BY t.rowid"
        )
        while rows := cursor.fetchmany(2000):
            docs = []
            for row_id, *values in rows:
                docid += 1
                docs.append((docid, row_id, *make(*values)))
            conn.executemany(
                "INSERT INTO search_docs(docid, kind, row_id, title, body) VALUES (?, ?, ?, ?, ?)",
                [(d, kind, row_id, title, body) for d, row_id, title, body in docs],
            )
            conn.executemany(
                f"INSERT INTO {table}(rowid, title, body) VALUES (?, ?, ?)",
                [(d, fold(title), fold(body)) for d, _row_id, title, body in docs],
            )


# -- searching ------------------------------------------------------------------------------
MIN_TOKEN = 2  # the shortest prefix indexed; one letter would scan every word it starts


def _tokens(text: str) -> list[str]:
    tokens = [fold(t.replace('"', "")) for t in _TOKEN.findall(text)]
    return [t for t in tokens if len(t) >= MIN_TOKEN]


def match_expression(text: str) -> str | None:
    """Every word the user typed must match, each as a prefix, in a record's title or body; FTS
    syntax typed is taken as text. Words of one letter (once folded) are left out: too many
    match."""
    tokens = _tokens(text)
    if not tokens:
        return None
    return "{title body} : (" + " ".join(f'"{token}"*' for token in tokens) + ")"


def _starts(text: str) -> re.Pattern[str] | None:
    """A pattern that finds, in folded text, the first word that starts with a word searched."""
    wanted = [w for token in _tokens(text) for w in _WORD.findall(token)]
    if not wanted:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in wanted) + ")")


def _snippet(body: str, starts: re.Pattern[str] | None, words: int) -> str:
    found = list(_WORD.finditer(body))
    if not found:
        return ""
    # Folding keeps the words of a text (it changes letters, not what separates words), so the
    # match's word in the folded body is the same word of the body: one fold per hit.
    folded = fold(body)
    match = starts.search(folded) if starts is not None else None
    first = 0 if match is None else min(len(_WORD.findall(folded, 0, match.start())), len(found) - 1)
    start = max(0, min(first - 2, len(found) - words))
    end = min(len(found), start + words)
    shown = body[found[start].start() : found[end - 1].end()]
    return ("…" if start else "") + shown + ("…" if end < len(found) else "")


def snippet(body: str, text: str, words: int = SNIPPET_WORDS) -> str:
    """About `words` words of `body` around the first word that starts with a word searched for
    (folded alike), "…" where the body goes on; its start when no word of it matched."""
    return _snippet(body, _starts(text), words)


_OWNERS = {
    "contacts": "SELECT id, company_id, NULL FROM contacts",
    "support_arrangements": "SELECT id, placement_id, role FROM support_arrangements",
    "language_partners": "SELECT id, placement_id, NULL FROM language_partners",
    "aftercare_visits": "SELECT id, placement_id, NULL FROM aftercare_visits",
}


def _owners(store: Store, kind: str, ids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    if kind not in _OWNERS or not ids:
        return {}
    rows = store.conn.execute(
        f"{_OWNERS[kind]} WHERE id IN ({','.join('?' * len(ids))})", list(ids)
    ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


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
    starts = _starts(text)
    for kind in SEARCHABLE:
        table = fts_table(kind)
        rows = store.conn.execute(
            f"SELECT d.row_id, d.title, d.body FROM {table} s JOIN search_docs d ON d.docid = s.rowid "
            f"WHERE {table} MATCH ? ORDER BY s.rowid DESC LIMIT ?",
            (expression, limit_per_kind),
        ).fetchall()
        owners = _owners(store, kind, [r[0] for r in rows])
        for row_id, title, body in rows:
            owner, role = owners.get(row_id, (None, None))
            hits.append(SearchHit(kind, row_id, title, _snippet(body, starts, SNIPPET_WORDS), owner, role))
    _audit_hits(store, hits)
    return hits


_PLACEMENT_OWNED = ("placements", "support_arrangements", "language_partners", "aftercare_visits")


def _audit_hits(store: Store, hits: Iterable[SearchHit]) -> None:
    """A search that shows a citizen's data is a use of it: log which citizens (not the query).
    Hits that belong to a placement name its citizen."""
    citizen_rows: list[tuple[str, str]] = []
    of_placement: dict[str, list[str]] = {}
    for hit in hits:
        if hit.kind == "citizens":
            citizen_rows.append((hit.row_id, hit.row_id))
        elif hit.kind in _PLACEMENT_OWNED:
            placement = hit.row_id if hit.kind == "placements" else hit.owner
            if placement is not None:
                of_placement.setdefault(placement, []).append(hit.row_id)
    if of_placement:
        ids = list(of_placement)
        citizens = dict(store.conn.execute(
            f"SELECT id, citizen_id FROM placements WHERE id IN ({','.join('?' * len(ids))})", ids
        ).fetchall())
        citizen_rows += [
            (row_id, citizens[placement])
            for placement, row_ids in of_placement.items() if placement in citizens
            for row_id in row_ids
        ]
    if citizen_rows:
        audit(store, AuditAction.SEARCH, "search", citizen_rows)


def company_names(store: Store, company_ids: Sequence[str]) -> dict[str, str]:
    """The name of each company (for a contact person found: the company it belongs to)."""
    ids = list(dict.fromkeys(company_ids))
    if not ids:
        return {}
    return dict(store.conn.execute(
        f"SELECT id, name FROM companies WHERE id IN ({','.join('?' * len(ids))})", ids
    ).fetchall())
