"""Export every record to JSON or CSV, and import them back: all or nothing, through the change log."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from feltkonsulent.domain import limits
from feltkonsulent.domain.entities import AftercareVisit, Citizen, Company, Record
from feltkonsulent.domain.errors import DomainError
from feltkonsulent.domain.ids import uuid7
from feltkonsulent.services import duplicates, sheet
from feltkonsulent.services.operations import operation
from feltkonsulent.services.workspace import Workspace, references
from feltkonsulent.storage.audit import AuditAction, audit
from feltkonsulent.storage.codec import SPECS, EntitySpec, WireError
from feltkonsulent.storage.database import DEFAULT_TEAM
from feltkonsulent.storage.migrations import SCHEMA_VERSION

# Parents before children, so references resolve in one pass.
ENTITIES = (
    "companies",
    "contacts",
    "citizens",
    "placements",
    "support_arrangements",
    "language_partners",
    "aftercare_visits",
    "rule_overrides",
    "agreements",
    "team_profiles",
    "consultant_profiles",
)
MAX_REPORTED = 50


@dataclass(frozen=True)
class ImportProblem:
    """What is wrong with one record, and where it is in the file."""

    location: str
    entity: str
    errors: tuple[DomainError, ...]

    def __str__(self) -> str:
        return f"{self.location} ({self.entity}): " + "; ".join(str(e) for e in self.errors)


class ImportFailed(Exception):
    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:MAX_REPORTED])
        more = len(problems) - MAX_REPORTED
        super().__init__(shown + (f"\n… and {more} more" if more > 0 else ""))


@dataclass
class ImportSummary:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Incoming:
    """One record read from a file, not yet checked."""

    entity: str
    location: str
    data: dict[str, Any]


# -- export -----------------------------------------------------------------------------------
def iter_records(ws: Workspace) -> Iterator[tuple[str, Record]]:
    for entity in ENTITIES:
        for record in ws.repos.by_entity(entity).iterate():
            yield entity, record


def _audit_export(ws: Workspace) -> None:
    rows = [(citizen_id, citizen_id) for citizen_id in ws.repos.citizens.live_ids()]
    if rows:
        with ws.store.write():
            audit(ws.store, AuditAction.EXPORT, "citizens", rows)


def write_json(ws: Workspace, out: IO[str]) -> int:
    """One object: `schema_version` and one list per entity; one record per line. Returns the
    number of records written."""
    count = 0
    out.write(f'{{"schema_version": {SCHEMA_VERSION}')
    for entity in ENTITIES:
        out.write(f',\n"{entity}": [')
        spec = SPECS[entity]
        for index, record in enumerate(ws.repos.by_entity(entity).iterate()):
            out.write(",\n" if index else "\n")
            out.write(json.dumps(spec.to_wire(record), ensure_ascii=False))
            count += 1
        out.write("\n]")
    out.write("\n}\n")
    _audit_export(ws)
    return count


def csv_columns() -> list[str]:
    columns = ["entity"]
    for entity in ENTITIES:
        columns += [f.name for f in SPECS[entity].fields if f.name not in columns]
    return columns


def write_csv(ws: Workspace, out: IO[str]) -> int:
    """One CSV file: an `entity` column, then the union of every record's fields."""
    writer = csv.DictWriter(out, fieldnames=csv_columns(), lineterminator="\n")
    writer.writeheader()
    count = 0
    for entity, record in iter_records(ws):
        wire = SPECS[entity].to_wire(record)
        writer.writerow({"entity": entity, **{k: _csv_cell(v) for k, v in wire.items()}})
        count += 1
    _audit_export(ws)
    return count


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# -- reading files ----------------------------------------------------------------------------
def read_file(path: Path) -> list[Incoming]:
    """JSON (the export format) or CSV, told apart by content, not by name; the encoding and a
    spreadsheet's separator are found from the bytes (`sheet.py`)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailed([ImportProblem("file", "file", (
            DomainError("unreadable", None, {"reason": error.strerror or type(error).__name__}),))]) from None
    try:
        text = sheet.decode(data)
    except sheet.Undecodable as error:
        raise ImportFailed([ImportProblem(f"line {error.line}", "file", (error.error,))]) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # CRLF as LF, as reading text does
    start = text.lstrip()[:1]
    if not start:
        raise ImportFailed([ImportProblem("line 1", "file", (DomainError("empty_file"),))])
    # An object is the export; an array (or any other JSON) is refused as JSON, not read as CSV.
    if start in "{[":
        return read_json(text)  # an export of an empty database is a valid file of no records
    incoming = read_csv(text, path.stem)
    if not incoming:  # a header and no rows: surely not what was meant
        raise ImportFailed([ImportProblem("line 2", "file", (DomainError("empty_file"),))])
    return incoming


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are each once: with a key twice, which value was meant?"""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key)
        found[key] = value
    return found


def _parse_json(text: str) -> Any:
    """The document, or ImportFailed naming where and why it is not JSON we read."""
    try:
        # NaN and Infinity as Decimals, so the value boundary names the field they are in.
        return json.loads(text, parse_float=Decimal, parse_constant=Decimal,
                              object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        problem = DomainError("malformed_json", None, {"reason": error.msg})
        raise ImportFailed(
            [ImportProblem(f"line {error.lineno} column {error.colno}", "file", (problem,))]
        ) from None
    except _DuplicateKey as error:
        raise ImportFailed([ImportProblem("file", "file", (
            DomainError("duplicate_key", None, {"key": error.key}),))]) from None
    except RecursionError:
        raise ImportFailed([ImportProblem("file", "file", (
            DomainError("too_deep", None, {"max": limits.MAX_DEPTH}),))]) from None
    except ValueError as error:  # a whole number of more than 4,300 digits
        problem = DomainError("malformed_json", None, {"reason": str(error).split(";")[0]})
        raise ImportFailed([ImportProblem("file", "file", (problem,))]) from None


def read_json(text: str) -> list[Incoming]:
    document = _parse_json(text)
    if not isinstance(document, dict):
        raise ImportFailed([ImportProblem("line 1", "file", (DomainError("not_an_object"),))])
    problems = _header_problems(document)
    if problems:
        raise ImportFailed(problems)
    incoming: list[Incoming] = []
    for entity in ENTITIES:
        items = document.get(entity, [])
        if not isinstance(items, list):
            raise ImportFailed([ImportProblem(entity, entity, (DomainError("not_a_list"),))])
        for number, item in enumerate(items, start=1):
            location = f"record {number}"
            if not isinstance(item, dict):
                raise ImportFailed(
                    [ImportProblem(location, entity, (DomainError("not_an_object"),))]
                )
            incoming.append(Incoming(entity, location, _json_numbers(item)))
    return incoming


def _header_problems(document: dict[str, Any]) -> list[ImportProblem]:
    problems = [
        ImportProblem("top level", "file", (DomainError("unknown_entity", key),))
        for key in document
        if key not in ENTITIES and key not in ("schema_version", "exported_at")
    ]
    version = document.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        problems.append(
            ImportProblem("top level", "file", (DomainError("required", "schema_version"),))
        )
    elif version > SCHEMA_VERSION:
        problems.append(
            ImportProblem(
                "top level",
                "file",
                (DomainError("newer_schema", "schema_version", {"supported": SCHEMA_VERSION}),),
            )
        )
    return problems


def _json_numbers(item: dict[str, Any]) -> dict[str, Any]:
    # parse_float=Decimal keeps 37.5 exact; the codec takes Decimal as a number.
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in item.items()}


@dataclass(frozen=True)
class _Layout:
    """A spreadsheet's header: its columns (lower case; "" where a column has no name)."""

    columns: tuple[str, ...]
    default_entity: str  # the kind of a row whose entity cell is empty: the file's name
    grouped_dots: bool  # separated by `;` or a tab, where 1.234 is a thousand and more


def read_csv(text: str, default_entity: str) -> list[Incoming]:
    """Rows named by the line they start on (the header is line 1); every row's problems are
    reported, a malformed quote ends the reading where it is."""
    separator = sheet.delimiter(text, {*csv_columns(), "entity"})
    rows = _rows(csv.reader(io.StringIO(text), delimiter=separator, strict=True))
    header_line, header = next(rows, (1, []))
    try:
        layout = _layout(header_line, header, default_entity, grouped_dots=separator != ",")
    except ImportFailed:
        if next(rows, None) is None:
            return []  # no rows: the file holds no records, whatever its header
        raise
    incoming: list[Incoming] = []
    problems: list[ImportProblem] = []
    try:
        for line, cells in rows:
            try:
                incoming.append(_csv_row(layout, f"line {line}", cells))
            except ImportFailed as failed:
                problems += failed.problems
    except ImportFailed as failed:  # a quote not closed: the rest of the file is that cell
        raise ImportFailed(problems + failed.problems) from None
    if problems:
        raise ImportFailed(problems)
    return incoming


def _rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Each row with a value, with the line it starts on (a quoted cell may hold line breaks)."""
    end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problem = ImportProblem(f"line {end + 1}", "file", (_csv_error(str(error)),))
            raise ImportFailed([problem]) from None
        start, end = end + 1, reader.line_num
        if any(cell.strip() for cell in cells):  # Excel writes ;;;; for a row it once had
            yield start, cells


def _csv_error(reason: str) -> DomainError:
    if "unexpected end of data" in reason:
        return DomainError("unclosed_quote")
    if "field larger than field limit" in reason:
        return DomainError("cell_too_large", None, {"max": csv.field_size_limit()})
    if "expected after" in reason:
        return DomainError("stray_quote")
    return DomainError("malformed_csv", None, {"reason": reason})


def _layout(line: int, header: list[str], default_entity: str, *, grouped_dots: bool) -> _Layout:
    """The header, checked: each name once, and each the name of a field of the file's kind of
    record (or of any kind, with an `entity` column)."""
    columns = tuple(cell.strip().lower() for cell in header)
    errors: list[DomainError] = []
    if "entity" in columns:
        allowed, kinds = set(csv_columns()), "any kind of record"
    elif default_entity in SPECS:
        allowed, kinds = set(SPECS[default_entity].by_name), default_entity
    else:
        allowed, kinds = set(), ""
        errors.append(DomainError("no_entity", None, {"name": sheet.shown(default_entity)}))
    errors += [DomainError("duplicate_column", None, {"column": sheet.shown(name)})
               for name, count in Counter(columns).items() if name and count > 1]
    if kinds:
        errors += [DomainError("unknown_column", None, {"column": sheet.shown(name), "kinds": kinds})
                   for name in dict.fromkeys(columns) if name and name not in allowed]
    if errors:
        raise ImportFailed([ImportProblem(f"line {line}", "file", tuple(errors))])
    return _Layout(columns, default_entity, grouped_dots)


def _csv_row(layout: _Layout, location: str, cells: list[str]) -> Incoming:
    row = dict(zip(layout.columns, cells, strict=False))  # a short row: its missing cells are empty
    entity = (row.pop("entity", "") or "").strip() or layout.default_entity
    if entity not in SPECS:
        if entity == layout.default_entity:  # an empty entity cell, in a file not named for one
            raise ImportFailed([ImportProblem(location, "file", (DomainError("required", "entity"),))])
        raise ImportFailed(
            [ImportProblem(location, sheet.shown(entity), (DomainError("unknown_entity"),))]
        )
    errors = [DomainError("extra_cells")] if any(c.strip() for c in cells[len(layout.columns):]) else []
    if any(cell.strip() for name, cell in zip(layout.columns, cells, strict=False) if not name):
        errors.append(DomainError("unnamed_column"))
    row.pop("", None)
    try:
        data = _csv_record(SPECS[entity], row, layout.grouped_dots)
    except WireError as error:
        errors += error.errors
    if errors:
        raise ImportFailed([ImportProblem(location, entity, tuple(errors))])
    return Incoming(entity, location, data)


def _csv_record(spec: EntitySpec[Any], row: dict[str, str], grouped_dots: bool) -> dict[str, Any]:
    data: dict[str, Any] = {}
    errors: list[DomainError] = []
    for name, cell in row.items():
        text = cell.strip()
        if not text:
            continue
        if name not in spec.by_name:
            errors.append(DomainError("unknown_field", name))
        else:
            try:
                data[name] = sheet.cell_value(spec.by_name[name].kind, text, grouped_dots=grouped_dots)
            except sheet.CellError as error:
                errors.append(dataclasses.replace(error.error, field=name))
    if errors:
        raise WireError(errors)
    return data


# -- importing --------------------------------------------------------------------------------
@operation
def import_records(ws: Workspace, incoming: Iterable[Incoming]) -> ImportSummary:
    """Check every record first; then write them all in one transaction, or nothing at all.
    A record whose id exists is updated field by field through the change log."""
    records = _checked(ws, list(incoming))
    ordered = _parents_first(records)
    summary = ImportSummary()
    with ws.store.write():
        for entity, record in ordered:
            repo = ws.repos.by_entity(entity)
            if not repo.exists(record.id, include_deleted=True):
                repo.add(record)
                summary.created[entity] += 1
            elif entity == "aftercare_visits" or not repo.update(record):
                summary.unchanged[entity] += 1  # notes are immutable; checked equal above
            else:
                summary.updated[entity] += 1
    return summary


def _checked(ws: Workspace, incoming: list[Incoming]) -> list[tuple[str, Incoming, Record]]:
    problems: list[ImportProblem] = []
    records: list[tuple[str, Incoming, Record]] = []
    seen: dict[str, set[str]] = {entity: set() for entity in ENTITIES}
    for item in incoming:
        data = dict(item.data)
        team = data.get("team_id")
        if team in (None, "", DEFAULT_TEAM):  # a demo or pre-sync export: this database's team
            data["team_id"] = ws.team_id
        elif team != ws.team_id:  # never moved into this team, nor an existing record out of it
            error = limits.check_team_id(team) or DomainError(
                "foreign_team", "team_id", {"team": team, "ours": ws.team_id})
            problems.append(ImportProblem(item.location, item.entity, (error,)))
            continue
        data.setdefault("id", uuid7())  # a spreadsheet of new records may leave ids out
        try:
            record = SPECS[item.entity].from_wire(data)
        except WireError as error:
            problems.append(ImportProblem(item.location, item.entity, error.errors))
            continue
        errors = record.problems()
        if record.id in seen[item.entity]:
            errors.append(DomainError("duplicate_id", "id", {"id": record.id}))
        seen[item.entity].add(record.id)
        if errors:
            problems.append(ImportProblem(item.location, item.entity, tuple(errors)))
        records.append((item.entity, item, record))
    problems += _reference_problems(ws, records, seen)
    problems += _duplicate_problems(ws, records)
    if problems:
        raise ImportFailed(problems)
    return records


def _reference_problems(
    ws: Workspace, records: list[tuple[str, Incoming, Record]], seen: dict[str, set[str]]
) -> list[ImportProblem]:
    problems: list[ImportProblem] = []
    for entity, item, record in records:
        errors = [
            DomainError("unknown_reference", name, {"id": target})
            for name, cls, target in references(record)
            if target is not None
            and target not in seen[SPECS_BY_CLASS[cls]]
            and not ws.repo(cls).exists(target)
        ]
        if isinstance(record, AftercareVisit):
            stored = ws.repos.aftercare_visits.fetch_unaudited(record.id)
            if stored is not None and stored != record:
                errors.append(DomainError("immutable", None))
        if errors:
            problems.append(ImportProblem(item.location, entity, tuple(errors)))
    return problems


def _duplicate_problems(
    ws: Workspace, records: list[tuple[str, Incoming, Record]]
) -> list[ImportProblem]:
    """A citizen with another's CPR number, or a company with another's CVR and P-number (in the
    same team), is refused: the other may be in the file or in the database. A record of the
    file whose id is in the database is that record (an update), so it is compared as the file
    has it, and its stored values are not. Names and ids name both; the CPR number is masked."""
    problems: list[ImportProblem] = []
    chosen = [(e, item, r) for e, item, r in records if isinstance(r, Citizen | Company)]
    in_file = {r.id for _, _, r in chosen}
    stored: dict[tuple[str, ...], Citizen | Company] = {}
    cprs = [r.cpr for _, _, r in chosen if isinstance(r, Citizen)]
    cvrs = [r.cvr for _, _, r in chosen if isinstance(r, Company)]
    existing: list[Citizen | Company] = [*ws.repos.citizens.where_in("cpr", cprs),
                                         *ws.repos.companies.where_in("cvr", cvrs)]
    for record in existing:
        if record.id not in in_file:
            stored.setdefault(duplicates.key(record), record)
    first: dict[tuple[str, ...], tuple[Incoming, Citizen | Company]] = {}
    for entity, item, record in chosen:
        if ws.repo(type(record)).is_deleted(record.id):
            continue  # a tombstoned record stays deleted: an update does not bring it back
        key = duplicates.key(record)
        earlier = first.setdefault(key, (item, record))
        if key in stored:
            other, where = stored[key], None
        elif earlier[1].id != record.id:
            other, where = earlier[1], earlier[0].location
        else:
            continue
        problems.append(ImportProblem(item.location, entity, (_duplicate(record, other, where),)))
    return problems


def _duplicate(record: Citizen | Company, other: Citizen | Company, where: str | None
               ) -> DomainError:
    """`where`: the other's place in the file, or None for the database."""
    params: dict[str, Any] = {"name": record.name, "id": record.id, "other_name": other.name,
                              "other_id": other.id, "other_location": where}
    if isinstance(record, Citizen):
        return DomainError("duplicate_citizen", "cpr", {**params, "cpr": record.masked_cpr})
    return DomainError("duplicate_company", "cvr",
                       {**params, "cvr": record.cvr, "p_number": record.p_number})


SPECS_BY_CLASS: dict[type[Record], str] = {spec.cls: table for table, spec in SPECS.items()}


def _parents_first(records: list[tuple[str, Incoming, Record]]) -> list[tuple[str, Record]]:
    """Entity order; visit notes in file order, except that a note superseding one that comes
    later in the file waits for it. File order is kept otherwise, so an export imported into an
    empty database exports the same again."""
    ordered = sorted(records, key=lambda r: ENTITIES.index(r[0]))
    result: list[tuple[str, Record]] = [
        (e, r) for e, _, r in ordered if not isinstance(r, AftercareVisit)
    ]
    pending = [r for _, _, r in ordered if isinstance(r, AftercareVisit)]
    in_file = {v.id for v in pending}
    placed: set[str] = set()
    while pending:
        waiting = []
        for visit in pending:
            if visit.supersedes in in_file and visit.supersedes not in placed:
                waiting.append(visit)
                continue
            result.append(("aftercare_visits", visit))
            placed.add(visit.id)
        if len(waiting) == len(pending):
            by_id = {item[2].id: item[1] for item in records}
            raise ImportFailed([
                ImportProblem(by_id[v.id].location, "aftercare_visits",
                              (DomainError("supersedes_cycle", "supersedes"),))
                for v in waiting
            ])
        pending = waiting
    return result


def import_file(ws: Workspace, path: Path) -> ImportSummary:
    return import_records(ws, read_file(path))
