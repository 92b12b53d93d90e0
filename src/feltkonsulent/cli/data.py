"""`demo`, `import` and `export`: make, load and dump the records of a database."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from datetime import date
from pathlib import Path
from typing import Any

from feltkonsulent.services import demo, files, transfer
from feltkonsulent.services.paths import make_private_folder

from .common import CommandError, output_file, reason, workspace, writing
from .messages import describe


def register(commands: Any, default_db: Path) -> None:
    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = commands.add_parser(name, help=help_text)
        parser.add_argument(
            "--db", type=Path, default=default_db, help=f"the database (default: {default_db})"
        )
        return parser

    parser = add("demo", "create a database with realistic demo data of every kind")
    parser.add_argument("--records", type=_positive, default=200, help="placements (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")
    parser.set_defaults(run=run_demo)

    parser = add("import", "import JSON (the export format) or CSV; all or nothing")
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.set_defaults(run=run_import)

    parser = add("export", "export every record as JSON or CSV")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("-o", "--output", type=Path, help="write here instead of to stdout")
    parser.set_defaults(run=run_export)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def run_demo(args: argparse.Namespace) -> int:
    if args.db.exists() and args.db.stat().st_size > 0:
        raise CommandError(f"{args.db} already exists; name a new file with --db")
    try:
        make_private_folder(args.db.parent)
    except OSError as error:
        raise CommandError(f"cannot make the folder {args.db.parent}: {reason(error)}") from None
    try:
        with workspace(args.db, create=True) as ws:
            summary = demo.populate(ws, records=args.records, seed=args.seed, today=date.today())
    except BaseException:
        _remove_database(args.db)
        raise
    counts = ", ".join(f"{n} {entity}" for entity, n in dataclasses.asdict(summary).items())
    print(f"created {args.db}: {counts}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise CommandError(f"no file at {args.file}")
    created = not args.db.exists()
    try:
        with workspace(args.db, create=True) as ws:
            summary = transfer.import_file(ws, args.file)
    except transfer.ImportFailed as failure:
        if created:
            _remove_database(args.db)
        raise CommandError(_import_failure(failure)) from None
    except BaseException:
        if created:
            _remove_database(args.db)
        raise
    print(
        f"imported {args.file}: {sum(summary.created.values())} created, "
        f"{sum(summary.updated.values())} updated, {sum(summary.unchanged.values())} unchanged"
    )
    return 0


SHOWN_PROBLEMS = 10


def _import_failure(failure: transfer.ImportFailed) -> str:
    """One line: the first problem and that nothing was imported, then the next few problems."""
    lines = [
        f"{p.location} ({p.entity}): " + "; ".join(describe(e) for e in p.errors)
        for p in failure.problems
    ]
    head = f"{lines[0]} - nothing was imported"
    if len(lines) > 1:
        others = lines[1:SHOWN_PROBLEMS]
        more = len(lines) - SHOWN_PROBLEMS
        others += [f"… and {more} more"] if more > 0 else []
        head += f" ({len(lines)} problems in all; also " + " | ".join(others) + ")"
    return _one_line(head)


def _one_line(text: str) -> str:
    """Whatever a file held, the message is one printable line (a value it quotes is escaped)."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode()
                   for c in text)


def run_export(args: argparse.Namespace) -> int:
    writer = transfer.write_csv if args.format == "csv" else transfer.write_json
    if args.output is not None:
        output_file(args.output)
    with workspace(args.db) as ws:
        if args.output is None:
            writer(ws, sys.stdout)
        else:
            with writing(args.output):
                files.write_text(args.output, lambda out: writer(ws, out), "export")
    return 0


def _remove_database(path: Path) -> None:
    """A database this command created and then failed to fill is removed, with its journal."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
