"""Repositories: take and return domain records; every write also writes its change log, search
index and audit rows in the same transaction. Deleting sets a tombstone; rows are never removed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Generic, TypeVar

from feltkonsulent.domain.entities import (
    AftercareVisit,
    Agreement,
    Citizen,
    Company,
    ConsultantProfile,
    Contact,
    LanguagePartner,
    Placement,
    Record,
    RuleOverride,
    SupportArrangement,
    TeamProfile,
)
from feltkonsulent.storage import search
from feltkonsulent.storage.audit import AuditAction, audit
from feltkonsulent.storage.changes import WHOLE_RECORD, log_changes
from feltkonsulent.storage.codec import EntitySpec, spec_for
from feltkonsulent.storage.database import Store, StoreError

R = TypeVar("R", bound=Record)


class NotFound(StoreError):
    def __init__(self, entity: str, row_id: str) -> None:
        super().__init__("not_found", f"{entity} {row_id}")
        self.entity = entity
        self.row_id = row_id


class Immutable(StoreError):
    def __init__(self, entity: str) -> None:
        super().__init__("immutable", entity)


class Repository(Generic[R]):
    """Generic over the record type; subclasses say how a record leads to its citizen."""

    cls: type[R]
    # Reads of these are uses of a citizen's personal data and are audited.
    audit_reads = False

    def __init__(self, store: Store) -> None:
        self.store = store
        self.spec: EntitySpec[R] = spec_for(self.cls)
        self.entity = self.spec.table
        self._columns = ", ".join(f.name for f in self.spec.fields)

    # -- reading --------------------------------------------------------------------------
    def get(self, row_id: str, *, include_deleted: bool = False) -> R | None:
        record = self.fetch_unaudited(row_id, include_deleted)
        if record is not None and self.audit_reads:
            self._audit(AuditAction.READ, [record])
        return record

    def fetch_unaudited(self, row_id: str, include_deleted: bool = True) -> R | None:
        """Read without an audit row: only for checks before a write (nothing is shown)."""
        sql = f"SELECT {self._columns} FROM {self.entity} WHERE id = ?"
        if not include_deleted:
            sql += " AND deleted = 0"
        row = self.store.conn.execute(sql, (row_id,)).fetchone()
        return None if row is None else self._record(row)

    def require(self, row_id: str) -> R:
        record = self.get(row_id)
        if record is None:
            raise NotFound(self.entity, row_id)
        return record

    def exists(self, row_id: str, *, include_deleted: bool = False) -> bool:
        sql = f"SELECT 1 FROM {self.entity} WHERE id = ?"
        if not include_deleted:
            sql += " AND deleted = 0"
        return self.store.conn.execute(sql, (row_id,)).fetchone() is not None

    def is_deleted(self, row_id: str) -> bool:
        row = self.store.conn.execute(
            f"SELECT deleted FROM {self.entity} WHERE id = ?", (row_id,)
        ).fetchone()
        return bool(row and row[0])

    def where(self, clause: str = "1", params: Sequence[Any] = (), order: str = "rowid") -> list[R]:
        """Live records matching an SQL condition (for use inside storage and services' queries)."""
        rows = self.store.conn.execute(
            f"SELECT {self._columns} FROM {self.entity} WHERE deleted = 0 AND ({clause}) "
            f"ORDER BY {order}",
            tuple(params),
        ).fetchall()
        records = [self._record(r) for r in rows]
        if self.audit_reads and records:
            self._audit(AuditAction.READ, records)
        return records

    def many_unaudited(self, ids: Sequence[str]) -> list[R]:
        """Live records with these ids, for computations that show none of them (the rules):
        not a read of the records, so not audited."""
        return self.where_in("id", ids)

    def where_in(self, column: str, values: Sequence[str], clause: str = "1",
                 params: Sequence[Any] = (), chunk: int = 500) -> list[R]:
        """Live records whose `column` is one of `values` (and that match `clause`), read in
        chunks of SQL parameters; not audited (for the rules and other computations)."""
        unique = list(dict.fromkeys(values))
        found: list[R] = []
        for start in range(0, len(unique), chunk):
            part = unique[start : start + chunk]
            rows = self.store.conn.execute(
                f"SELECT {self._columns} FROM {self.entity} WHERE deleted = 0 "
                f"AND {column} IN ({','.join('?' * len(part))}) AND ({clause})",
                (*part, *params),
            ).fetchall()
            found.extend(self._record(r) for r in rows)
        return found

    def batches(self, clause: str = "1", params: Sequence[Any] = (), size: int = 1000,
                order: str = "rowid") -> Iterator[list[R]]:
        """Live records matching `clause`, `size` at a time (not audited: for computations over
        many records)."""
        cursor = self.store.conn.execute(
            f"SELECT {self._columns} FROM {self.entity} WHERE deleted = 0 AND ({clause}) "
            f"ORDER BY {order}",
            tuple(params),
        )
        while rows := cursor.fetchmany(size):
            yield [self._record(r) for r in rows]

    def iterate(self, batch: int = 1000) -> Iterator[R]:
        """Every live record in insertion order, in batches (export of large databases)."""
        cursor = self.store.conn.execute(
            f"SELECT {self._columns} FROM {self.entity} WHERE deleted = 0 ORDER BY rowid"
        )
        while rows := cursor.fetchmany(batch):
            yield from (self._record(r) for r in rows)

    def count_where(self, clause: str, params: Sequence[Any] = ()) -> int:
        """How many live records match an SQL condition."""
        return int(self.store.conn.execute(
            f"SELECT count(*) FROM {self.entity} WHERE deleted = 0 AND ({clause})", tuple(params)
        ).fetchone()[0])

    def live_ids(self) -> list[str]:
        """The ids of every live record (not a read of them)."""
        return [r[0] for r in self.store.conn.execute(
            f"SELECT id FROM {self.entity} WHERE deleted = 0").fetchall()]

    def count(self) -> int:
        return int(
            self.store.conn.execute(
                f"SELECT count(*) FROM {self.entity} WHERE deleted = 0"
            ).fetchone()[0]
        )

    def _record(self, row: Sequence[Any]) -> R:
        return self.spec.from_row(dict(zip((f.name for f in self.spec.fields), row, strict=True)))

    # -- writing --------------------------------------------------------------------------
    def add(self, record: R) -> None:
        record.validate()
        row = self.spec.to_row(record)
        with self.store.write():
            hlc = self.store.stamp()
            self.store.touch(self.entity)
            names = list(row)
            self.store.conn.execute(
                f"INSERT INTO {self.entity} ({', '.join(names)}, created_hlc, updated_hlc) "
                f"VALUES ({', '.join('?' * len(names))}, ?, ?)",
                [*row.values(), hlc, hlc],
            )
            log_changes(
                self.store, self.entity, record.id, record.team_id, self._created(record), hlc
            )
            search.index(self.store, self.entity, record.id, record)
            self._audit(AuditAction.CREATE, [record], self.spec.data_fields)

    def _created(self, record: R) -> dict[str, Any]:
        """The ops that create a record: every field that holds a value."""
        wire = self.spec.to_wire(record)
        del wire["id"]
        return {name: value for name, value in wire.items() if value not in (None, [], False)}

    def update(self, record: R) -> tuple[str, ...]:
        """Write the fields that differ from the stored record; returns their names."""
        record.validate()
        with self.store.write():
            current = self.fetch_unaudited(record.id, True)
            if current is None:
                raise NotFound(self.entity, record.id)
            changed = {
                name: self.spec.wire_value(name, record)
                for name in self.spec.data_fields
                if getattr(current, name) != getattr(record, name)
            }
            if not changed:
                return ()
            hlc = self.store.stamp()
            self.store.touch(self.entity)
            assignments = ", ".join(f"{name} = ?" for name in changed)
            self.store.conn.execute(
                f"UPDATE {self.entity} SET {assignments}, updated_hlc = ? WHERE id = ?",
                [*(self.spec.sql_from_wire(n, v) for n, v in changed.items()), hlc, record.id],
            )
            log_changes(self.store, self.entity, record.id, record.team_id, changed, hlc)
            if not self.is_deleted(record.id):
                search.index(self.store, self.entity, record.id, record)
            self._audit(AuditAction.UPDATE, [record], tuple(changed))
        return tuple(changed)

    def delete(self, row_id: str) -> bool:
        """Tombstone the record (SYNC.md: deleting is setting the field `deleted`)."""
        return self._set_deleted(row_id, True)

    def restore(self, row_id: str) -> bool:
        return self._set_deleted(row_id, False)

    def _set_deleted(self, row_id: str, deleted: bool) -> bool:
        with self.store.write():
            record = self.fetch_unaudited(row_id, True)
            if record is None:
                raise NotFound(self.entity, row_id)
            if self.is_deleted(row_id) == deleted:
                return False
            hlc = self.store.stamp()
            self.store.touch(self.entity)
            self.store.conn.execute(
                f"UPDATE {self.entity} SET deleted = ?, updated_hlc = ? WHERE id = ?",
                (int(deleted), hlc, row_id),
            )
            log_changes(self.store, self.entity, row_id, record.team_id, {"deleted": deleted}, hlc)
            if deleted:
                search.unindex(self.store, self.entity, row_id)
            else:
                search.index(self.store, self.entity, row_id, record)
            action = AuditAction.DELETE if deleted else AuditAction.RESTORE
            self._audit(action, [record], ("deleted",))
        return True

    # -- audit ----------------------------------------------------------------------------
    def citizen_ids(self, records: Sequence[R]) -> list[str | None]:
        """Which citizen each record is about, or None where it is about no citizen."""
        return [None] * len(records)

    def _audit(self, action: AuditAction, records: Sequence[R], fields: Sequence[str] = ()) -> None:
        citizens = self.citizen_ids(records)
        if not any(citizens):
            return
        rows = [(r.id, c) for r, c in zip(records, citizens, strict=True) if c]
        audit(self.store, action, self.entity, rows, fields)


class Companies(Repository[Company]):
    cls = Company

    def by_cvr(self, cvr: str) -> list[Company]:
        return self.where("cvr = ?", (cvr,), order="name COLLATE danish, id")


class Contacts(Repository[Contact]):
    cls = Contact

    def for_company(self, company_id: str) -> list[Contact]:
        return self.where("company_id = ?", (company_id,), order="name COLLATE danish, id")


class Citizens(Repository[Citizen]):
    cls = Citizen
    audit_reads = True

    def citizen_ids(self, records: Sequence[Citizen]) -> list[str | None]:
        return [r.id for r in records]


class Placements(Repository[Placement]):
    cls = Placement

    def citizen_ids(self, records: Sequence[Placement]) -> list[str | None]:
        return [r.citizen_id for r in records]

    def show(self, row_id: str) -> Placement:
        """The placement as it is shown to a user (its page, its agreement, its internal note):
        a use of the citizen's data, audited as a read naming the placement and its citizen.
        The lists audit their own pages; the rules and checks before a write show no placement
        and are not audited (get, for_citizen, where)."""
        record = self.require(row_id)
        self._audit(AuditAction.READ, [record])
        return record

    def for_citizen(self, citizen_id: str) -> list[Placement]:
        return self.where("citizen_id = ?", (citizen_id,), order="start_date")

    def for_company(self, company_id: str) -> list[Placement]:
        return self.where("company_id = ?", (company_id,), order="start_date")


class _PlacementChild(Repository[R]):
    """Records that hang off a placement: their citizen is the placement's."""

    def citizen_ids(self, records: Sequence[R]) -> list[str | None]:
        ids = {getattr(r, "placement_id") for r in records}  # noqa: B009 - generic over R
        marks = ",".join("?" * len(ids))
        owners = dict(
            self.store.conn.execute(
                f"SELECT id, citizen_id FROM placements WHERE id IN ({marks})", tuple(ids)
            ).fetchall()
        )
        return [owners.get(getattr(r, "placement_id")) for r in records]  # noqa: B009

    def for_placement(self, placement_id: str) -> list[R]:
        return self.where("placement_id = ?", (placement_id,), order="start_date")


class SupportArrangements(_PlacementChild[SupportArrangement]):
    cls = SupportArrangement


class LanguagePartners(_PlacementChild[LanguagePartner]):
    cls = LanguagePartner


class AftercareVisits(_PlacementChild[AftercareVisit]):
    """Visit notes are append-only: a correction is a new note that supersedes the old one."""

    cls = AftercareVisit
    audit_reads = True

    def _created(self, record: AftercareVisit) -> dict[str, Any]:
        wire = self.spec.to_wire(record)
        del wire["id"]
        return {WHOLE_RECORD: wire}

    def update(self, record: AftercareVisit) -> tuple[str, ...]:
        raise Immutable(self.entity)

    def for_placement(self, placement_id: str) -> list[AftercareVisit]:
        return self.where(
            "placement_id = ?", (placement_id,), order="coalesce(visited_on, planned_on), rowid"
        )

    def superseded_ids(self, placement_id: str) -> set[str]:
        rows = self.store.conn.execute(
            "SELECT supersedes FROM aftercare_visits WHERE placement_id = ? AND deleted = 0 "
            "AND supersedes IS NOT NULL",
            (placement_id,),
        ).fetchall()
        return {r[0] for r in rows}


class RuleOverrides(_PlacementChild[RuleOverride]):
    cls = RuleOverride

    def for_placement(self, placement_id: str) -> list[RuleOverride]:
        return self.where("placement_id = ?", (placement_id,), order="decided_on, rowid")


class Agreements(_PlacementChild[Agreement]):
    cls = Agreement

    def for_placement(self, placement_id: str) -> list[Agreement]:
        return self.where("placement_id = ?", (placement_id,), order="version, rowid")

    def latest(self, placement_id: str) -> Agreement | None:
        issued = self.for_placement(placement_id)
        return issued[-1] if issued else None


class TeamProfiles(Repository[TeamProfile]):
    cls = TeamProfile


class ConsultantProfiles(Repository[ConsultantProfile]):
    cls = ConsultantProfile


class Repositories:
    """All repositories over one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.companies = Companies(store)
        self.contacts = Contacts(store)
        self.citizens = Citizens(store)
        self.placements = Placements(store)
        self.support_arrangements = SupportArrangements(store)
        self.language_partners = LanguagePartners(store)
        self.aftercare_visits = AftercareVisits(store)
        self.rule_overrides = RuleOverrides(store)
        self.agreements = Agreements(store)
        self.team_profiles = TeamProfiles(store)
        self.consultant_profiles = ConsultantProfiles(store)

    def by_entity(self, entity: str) -> Repository[Any]:
        repo = getattr(self, entity)
        assert isinstance(repo, Repository)
        return repo
