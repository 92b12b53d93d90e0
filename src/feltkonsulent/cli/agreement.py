"""`agreement`: write a placement's agreement PDF, and record it as issued; or, with
`--internal-note`, the municipality's internal note of the rules gone past (not recorded)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.domain.limits import check_id
from feltkonsulent.services import agreements, files, profile
from feltkonsulent.storage.repositories import NotFound

from .common import CommandError, output_file, workspace, writing
from .messages import describe


def register(commands: Any, default_db: Path) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "agreement", help="write a placement's agreement PDF (recorded as a new version)"
    )
    parser.add_argument(
        "--db", type=Path, default=default_db, help=f"the database (default: {default_db})"
    )
    parser.add_argument("placement_id", metavar="PLACEMENT_ID")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    parser.add_argument("--lang", choices=agreements.LANGUAGES, default="da",
                        help="the agreement's language (default: da)")
    parser.add_argument("--with-cpr", action="store_true",
                        help="print the citizen's full CPR number (default: the birth date only)")
    parser.add_argument("--internal-note", action="store_true",
                        help="instead: write the internal note of the rules gone past and the "
                             "reasons (not part of the agreement; no version is recorded)")
    parser.set_defaults(run=run_agreement)


def run_agreement(args: argparse.Namespace) -> int:
    output_file(args.output)
    if check_id(args.placement_id) is not None:
        raise CommandError(f"{args.placement_id!r} is not a placement id (ids are UUIDs, as "
                           "`export` shows them)")
    if args.internal_note:
        return _run_note(args)
    with workspace(args.db) as ws:
        try:
            draft = agreements.prepare(ws, args.placement_id, args.lang, date.today(),
                                       include_cpr=args.with_cpr)
            # The file first: a version is recorded only for a PDF that exists.
            with writing(args.output):
                files.write_bytes(args.output, draft.pdf, "agreement")
            agreement = agreements.record(ws, draft)
            complete = profile.is_complete(profile.current(ws))
        except NotFound:
            raise CommandError(f"no placement {args.placement_id}") from None
        except ValidationError as error:
            raise CommandError("; ".join(describe(e) for e in error.errors)) from None
    print(f"{args.output}: agreement version {agreement.version}, sha256 {agreement.sha256}")
    if not complete:  # issued all the same: a script must not stop; the paper has fill-in lines
        print("note: no municipality or consultant is set, so the agreement has fill-in lines "
              "for them; set them with `feltkonsulent profile`", file=sys.stderr)
    return 0


def _run_note(args: argparse.Namespace) -> int:
    with workspace(args.db) as ws:
        try:
            pdf = agreements.internal_note(ws, args.placement_id, args.lang, date.today())
        except NotFound:
            raise CommandError(f"no placement {args.placement_id}") from None
        except ValidationError as error:
            raise CommandError("; ".join(describe(e) for e in error.errors)) from None
        with writing(args.output):
            files.write_bytes(args.output, pdf, "agreement")
    print(f"{args.output}: internal note (not an agreement version)")
    return 0
