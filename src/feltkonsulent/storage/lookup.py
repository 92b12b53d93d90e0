"""Small look-ups for views that name records they do not show in full."""

from __future__ import annotations

from collections.abc import Sequence

from feltkonsulent.storage.audit import AuditAction, audit
from feltkonsulent.storage.database import Store

CHUNK = 500  # SQLite's limit on parameters is far above this; keeps each statement small


def placement_names(store: Store, placement_ids: Sequence[str]) -> dict[str, str]:
    """"Citizen · company" for each placement id (a read of the citizen's name: audited)."""
    names: dict[str, str] = {}
    owners: list[tuple[str, str]] = []
    ids = list(dict.fromkeys(placement_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = store.conn.execute(
            "SELECT p.id, p.citizen_id, c.name, co.name FROM placements p "
            "JOIN citizens c ON c.id = p.citizen_id JOIN companies co ON co.id = p.company_id "
            f"WHERE p.id IN ({','.join('?' * len(chunk))})",
            chunk,
        ).fetchall()
        for placement_id, citizen_id, citizen, company in rows:
            names[placement_id] = f"{citizen} · {company}"
            owners.append((placement_id, citizen_id))
    if owners:
        audit(store, AuditAction.READ, "placement_names", owners)
    return names


def placements_of_visits(store: Store, visit_ids: Sequence[str]) -> dict[str, str]:
    """The placement id of each visit note (no personal data: not audited)."""
    found: dict[str, str] = {}
    ids = list(dict.fromkeys(visit_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found.update(store.conn.execute(
            f"SELECT id, placement_id FROM aftercare_visits WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        ).fetchall())
    return found
