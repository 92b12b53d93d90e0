"""`sync`: one sync round against the team's server, reported as one line or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from feltkonsulent.services import sync
from feltkonsulent.storage.changes import pending_count

from .common import CommandError, workspace

# Why a round stopped, for people (the codes of docs/sync.md and of sync/client.py).
REASONS = {
    "unreachable": "cannot reach the server ({detail})",
    "not_a_server": "the address does not answer as a Feltkonsulent server ({detail})",
    "unauthorized": "the server does not know the token: check it, or ask the administrator for a new one",
    "device_revoked": "this computer's access was revoked by the administrator; ask them for a new token",
    "token_expired": "the token has expired; ask the administrator for a new one",
    "rate_limited": "the server refuses for now after too many failed sign-ins; try again in "
    "{retry_after_s} seconds",
    "untrusted_certificate": "the server's certificate is not trusted ({detail}): give the "
    "municipality's CA certificate with --ca-file or SSL_CERT_FILE, or check the address",
    "bad_ca_file": "cannot use the CA file ({detail})",
    "payload_too_large": "the server refused a batch of changes as too large: ask the administrator",
    "forbidden_device": "the token belongs to another installation: ask for a token for this one",
    "clock_ahead": "this computer's clock is {minutes} minutes ahead of the server's: set it right",
    "upgrade_required": "the server needs a newer Feltkonsulent (protocol {minimum} or later)",
    "batch_mismatch": "the server holds other changes under this device's batch number "
    "(is this database a copy of another?): ask the administrator",
    "batch_gap": "the server keeps asking for another batch number ({detail}): ask the administrator",
    "bad_request": "the server could not read the request ({detail})",
    "protocol": "the server's answer was not understood ({detail})",
    "no_token": "no token ({detail})",
    "choose_team": "this database has no team yet and {detail}; ask the administrator for a "
    "token of a user in one team",
}


def register(commands: Any, default_db: Path) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "sync", help="one sync round with the team's server"
    )
    parser.add_argument(
        "--db", type=Path, default=default_db, help=f"the database (default: {default_db})"
    )
    parser.add_argument("--server", required=True, metavar="URL", help="the sync server's address")
    parser.add_argument(
        "--token-file", type=Path, metavar="F",
        help=f"a file holding the device's token (else ${sync.TOKEN_ENV})",
    )
    parser.add_argument(
        "--ca-file", type=Path, metavar="F",
        help="trust only the CA certificates in this PEM file (e.g. the municipality's own CA)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run_sync)


def reason(error: sync.SyncError) -> str:
    ahead_ms = error.extra.get("ahead_ms") or 0
    template = REASONS.get(error.code, "the server answered {code} ({detail})")
    return template.format(
        detail=error.detail or error.code, code=error.code, minutes=max(1, round(ahead_ms / 60000)),
        minimum=error.extra.get("minimum", "?"), retry_after_s=error.extra.get("retry_after_s", "?"),
    )


def run_sync(args: argparse.Namespace) -> int:
    try:
        token = sync.read_token(args.token_file)
    except sync.SyncError as error:
        raise CommandError(reason(error)) from None
    if args.ca_file is not None and not args.ca_file.is_file():
        raise CommandError(f"no CA file {args.ca_file}")
    ca_file = None if args.ca_file is None else str(args.ca_file)
    with workspace(args.db) as ws:
        try:
            summary = sync.sync_now(ws, args.server, token, ca_file=ca_file)
        except sync.SyncError as error:
            kept = pending_count(ws.store)
            raise CommandError(f"{reason(error)}; {kept} local changes kept for the next sync") from None
    if args.format == "json":
        print(json.dumps({"pushed": summary.pushed, "pulled": summary.pulled,
                          "conflicts": summary.conflicts, "rejected": summary.rejected,
                          "resynced": summary.resynced, "resent": summary.resent,
                          "mismatch": list(summary.mismatch), "refused": summary.refused,
                          "waiting": summary.waiting}))
    else:
        print(f"pushed {summary.pushed}, pulled {summary.pulled}, conflicts {summary.conflicts}, "
              f"rejected {summary.rejected}")
        if summary.resynced:
            print(f"resynced with the server (restored, or out of step): {summary.resent} values "
                  "it did not have were sent again")
    if summary.mismatch:
        print("warning: after a resync this database and the server still differ in "
              f"{', '.join(summary.mismatch)}; nothing was deleted. Ask the administrator.",
              file=sys.stderr)
        return 3
    if summary.needs_attention:
        print(f"warning: {attention(summary)}; they are listed in the app (Synkronisering)",
              file=sys.stderr)
        return ATTENTION
    return 0


# The round finished, but something is not where it belongs (docs/cli.md `sync`).
ATTENTION = 4


def attention(summary: sync.RoundSummary) -> str:
    """What of a finished round needs a person, in one clause."""
    parts = []
    if summary.rejected:
        parts.append(f"{_count(summary.rejected, 'change')} made here rejected (the record shows "
                     "the server's value)")
    if summary.refused:
        parts.append(f"{_count(summary.refused, 'value')} from the server cannot be held here "
                     "(outside the limits), not written")
    if summary.waiting:
        parts.append(f"{_count(summary.waiting, 'record')} from the server still waiting for a field or "
                     "a record that has not come")
    return "; ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
