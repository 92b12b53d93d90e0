"""The `feltkonsulent` command: the desktop app without arguments, and the subcommands of DESIGN.md."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn

from feltkonsulent import __version__
from feltkonsulent.services import temporary
from feltkonsulent.services.paths import default_db_path

from . import agreement, data, profile, rules, server, sync
from .common import CommandError, reason


class Parser(argparse.ArgumentParser):
    """A usage error in one line, as every other failure (argparse prints its usage first, over
    several lines): what is wrong, and where the help is. Exit status 2, as argparse's."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
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


class Terminated(BaseException):
    """SIGTERM arrived: raised where the command is, so its clean-up (`finally`) runs."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


@contextmanager
def _terminable(args: argparse.Namespace) -> Iterator[None]:
    """SIGTERM (a service manager, `kill`) ends the command as Ctrl+C does, through its clean-up,
    instead of at once: temporary files are removed, transactions rolled back. `server run` is
    left to uvicorn, which shuts down gracefully on it."""
    serving = getattr(args, "server_command", None) == "run"
    if serving or threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only
        return
    before = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    with _terminable(args):
        temporary.sweep()  # what a killed command or app left (services/temporary.py)
        try:
            result: int = args.run(args)
        except CommandError as error:
            print(f"feltkonsulent {args.command}: {error}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print(f"feltkonsulent {args.command}: interrupted; nothing was changed", file=sys.stderr)
            return 130
        except Terminated:
            print(f"feltkonsulent {args.command}: terminated; nothing was changed", file=sys.stderr)
            return 128 + signal.SIGTERM
        except OSError as error:  # one a command did not foresee: still one line, not a trace
            logging.getLogger(__name__).debug("%s failed", args.command, exc_info=True)
            where = f"{error.filename}: " if error.filename else ""
            print(f"feltkonsulent {args.command}: {where}{reason(error)}", file=sys.stderr)
            return 1
    return result
