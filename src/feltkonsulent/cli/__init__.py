"""The `feltkonsulent` command: the desktop app without arguments, and the subcommands of DESIGN.md."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from feltkonsulent import __version__
from feltkonsulent.services.paths import default_db_path

from . import agreement, data, profile, rules, server, sync
from .common import CommandError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="feltkonsulent",
        description="Placements, buddies, sprogmakkere and aftercare for company consultants.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    data.register(commands, default_db_path())
    rules.register(commands, default_db_path())
    agreement.register(commands, default_db_path())
    profile.register(commands, default_db_path())
    server.register(commands)
    sync.register(commands, default_db_path())
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        result: int = args.run(args)
    except CommandError as error:
        print(f"feltkonsulent {args.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"feltkonsulent {args.command}: interrupted; nothing was changed", file=sys.stderr)
        return 130
    return result
