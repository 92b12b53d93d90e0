"""What a search shows: each hit named, with what it belongs to and what opens for it, grouped by
kind and in Danish order within a kind (storage/search.py finds them; storage/danish.py folds
and orders)."""

from __future__ import annotations

from dataclasses import dataclass

from feltkonsulent.storage import danish, lookup
from feltkonsulent.storage import search as fts
from feltkonsulent.storage.database import Store


@dataclass(frozen=True)
class SearchResult:
    """One hit. `title` names it (a placement and a visit note by "citizen · company"), `detail`
    is the words around the match, `where` what a person found belongs to (a contact person's
    company, a buddy's or sprogmakker's placement as "citizen · company"), `role` a buddy
    arrangement's role (buddy, mentor, culture_guide). `opens`: the kind and id of the record
    that opens for it — the company for a contact person, the placement for a buddy."""

    kind: str
    row_id: str
    title: str
    detail: str
    opens: tuple[str, str] = ("", "")
    where: str = ""
    role: str | None = None


_OPENS_OWNER = {"contacts": "companies", "support_arrangements": "placements",
                "language_partners": "placements"}

_OF_PLACEMENT = ("aftercare_visits", "support_arrangements", "language_partners")


def search(store: Store, text: str, limit_per_kind: int = 20) -> list[SearchResult]:
    hits = fts.search(store, text, limit_per_kind)
    placement_of = {h.row_id: h.row_id for h in hits if h.kind == "placements"}
    placement_of.update(
        {h.row_id: h.owner for h in hits if h.owner is not None and h.kind in _OF_PLACEMENT}
    )
    names = lookup.placement_names(store, list(placement_of.values()))
    companies = fts.company_names(store, [h.owner for h in hits if h.kind == "contacts" and h.owner])
    results = []
    for h in hits:
        opens = (_OPENS_OWNER[h.kind], h.owner or "") if h.kind in _OPENS_OWNER else (h.kind, h.row_id)
        if h.kind == "citizens":  # found by CPR too, but never shown unmasked: no snippet
            results.append(SearchResult(h.kind, h.row_id, h.title, "", opens))
        elif h.kind in ("placements", "aftercare_visits"):
            name = names.get(placement_of.get(h.row_id, ""), h.title)
            detail = " · ".join(part for part in (h.title, h.snippet) if part)
            results.append(SearchResult(h.kind, h.row_id, name, detail, opens))
        elif h.kind == "contacts":
            where = companies.get(h.owner or "", "")
            results.append(SearchResult(h.kind, h.row_id, h.title, h.snippet, opens, where))
        elif h.kind in ("support_arrangements", "language_partners"):
            where = names.get(h.owner or "", "")
            results.append(SearchResult(h.kind, h.row_id, h.title, h.snippet, opens, where, h.role))
        else:
            results.append(SearchResult(h.kind, h.row_id, h.title, h.snippet, opens))
    # Grouped as found (fts.SEARCHABLE), each group in Danish order (Æ, Ø, Å last, aa as å).
    group = {kind: n for n, kind in enumerate(fts.SEARCHABLE)}
    return sorted(results, key=lambda r: (group[r.kind], danish.order(r.title), r.row_id))
