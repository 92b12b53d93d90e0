"""`rules`: the legal-rule findings for every placement, as text or JSON."""

from __future__ import annotations

import argparse
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from feltkonsulent.services import rules

from .common import workspace
from .messages import describe_finding


def register(commands: Any, default_db: Path) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "rules", help="the legal-rule findings for every placement"
    )
    parser.add_argument(
        "--db", type=Path, default=default_db, help=f"the database (default: {default_db})"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run_rules)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(round(value, 2))
    return value


def as_json(checked: rules.CheckedFinding) -> dict[str, Any]:
    f = checked.finding
    return {
        "placement_id": f.placement_id,
        "code": f.code,
        "severity": str(f.severity),
        "reference": f.reference,
        "provisional": f.provisional,
        "message": describe_finding(f),
        "numbers": {k: _plain(v) for k, v in f.numbers.items()},
        "reason": checked.override.reason if checked.override else None,
    }


def as_line(checked: rules.CheckedFinding) -> str:
    f = checked.finding
    line = f"{f.placement_id}  {f.severity:7}  {f.code:22}  {describe_finding(f)}"
    if checked.override:
        line += f"  [gone on past {checked.override.decided_on.isoformat()}: {checked.override.reason}]"
    return line


def run_rules(args: argparse.Namespace) -> int:
    with workspace(args.db) as ws:
        found = rules.all_findings(ws)
    if args.format == "json":
        print(json.dumps([as_json(c) for c in found], ensure_ascii=False, indent=1))
    else:
        for checked in found:
            print(as_line(checked))
    return 0
