"""`profile`: the municipality's and the consultant's identity printed on every agreement."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.services import profile

from .common import CommandError, workspace
from .messages import describe

# Option (without dashes, as argparse names it) -> what it sets, in the order printed.
_OPTIONS = {
    "municipality": "the municipality's name, e.g. \"Vejle Kommune\"",
    "department": "the municipality's unit, e.g. \"Virksomhedsservice\"",
    "address": "the unit's address (commas become lines on the agreement)",
    "phone": "the unit's phone number",
    "email": "the unit's e-mail address",
    "consultant": "the consultant's name",
    "consultant_phone": "the consultant's phone number",
    "consultant_email": "the consultant's e-mail address",
}
_LABELS = {
    "municipality": "Municipality", "department": "Unit", "address": "Address",
    "phone": "Phone", "email": "E-mail", "consultant": "Consultant",
    "consultant_phone": "Consultant's phone", "consultant_email": "Consultant's e-mail",
}


def register(commands: Any, default_db: Path) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "profile",
        help="the municipality and the consultant printed on agreements",
        description="Sets what is given (an empty value clears it) and prints the profile. The "
        "municipality's part is the team's and syncs with it; the consultant's part is the user's "
        "who runs the command.",
    )
    parser.add_argument(
        "--db", type=Path, default=default_db, help=f"the database (default: {default_db})"
    )
    for name, help_text in _OPTIONS.items():
        parser.add_argument("--" + name.replace("_", "-"), dest=name, metavar="TEXT",
                            help=help_text)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run_profile)


def as_text(values: dict[str, str | None]) -> str:
    width = max(len(label) for label in _LABELS.values())
    lines = [f"{_LABELS[k] + ':':{width + 1}} {values[k] or '—'}" for k in _OPTIONS]
    if not (values["municipality"] and values["consultant"]):
        lines.append("Agreements print fill-in lines until the municipality and the consultant "
                     "are given.")
    return "\n".join(lines)


def run_profile(args: argparse.Namespace) -> int:
    given = {k: getattr(args, k) for k in _OPTIONS if getattr(args, k) is not None}
    with workspace(args.db) as ws:
        try:
            current = profile.update(ws, **given) if given else profile.current(ws)
        except ValidationError as error:
            raise CommandError("; ".join(describe(e) for e in error.errors)) from None
    values = current.as_dict()
    if args.format == "json":
        print(json.dumps(values, ensure_ascii=False, indent=1))
    else:
        print(as_text(values))
    return 0
