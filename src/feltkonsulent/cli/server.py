"""`server`: run the team sync server, and administer its users, devices and tokens."""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from feltkonsulent.sync.server.sql import NewerServerDatabase, SqlStorage
from feltkonsulent.sync.server.sqlite import NoServerDatabase, SqliteStorage
from feltkonsulent.sync.server.storage import DeviceInfo, new_token, token_hash

from .common import CommandError

DEFAULT_PORT = 8765
DEFAULT_VALID_DAYS = 365
DAY_MS = 86_400_000


def register(commands: Any) -> None:
    server: argparse.ArgumentParser = commands.add_parser(
        "server", help="run the team sync server and administer its users and devices"
    )
    actions = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)

    run = actions.add_parser("run", help="serve /v1/push, /v1/pull and /v1/health")
    _db(run)
    run.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    run.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    run.add_argument("--behind-tls-proxy", action="store_true",
                     help="a TLS proxy is in front: no warning on a non-loopback address")
    run.set_defaults(run=run_server)

    add = actions.add_parser("add-user", help="add a user (and team) and a device; prints its token")
    _db(add)
    add.add_argument("--team", required=True, help="the team id the records carry")
    add.add_argument("--user", required=True, help="the user's name (made if new)")
    add.add_argument("--device", default="device", metavar="NAME", help="a name for the device")
    add.add_argument("--valid-days", type=int, default=DEFAULT_VALID_DAYS,
                     help=f"how long the token is valid (default {DEFAULT_VALID_DAYS})")
    add.set_defaults(run=run_add_user)

    revoke = actions.add_parser("revoke", help="revoke a device, or every device of a user")
    _db(revoke)
    which = revoke.add_mutually_exclusive_group(required=True)
    which.add_argument("--device", metavar="ID", help="a device id (see `server list`)")
    which.add_argument("--user", metavar="U", help="every device of this user")
    revoke.set_defaults(run=run_revoke)

    listing = actions.add_parser("list", help="teams, users and devices (never tokens)")
    _db(listing)
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(run=run_list)

    migrate = actions.add_parser(
        "migrate", help="bring the server database's tables up to date (makes them in an empty one)"
    )
    _db(migrate)
    migrate.set_defaults(run=run_migrate)


def _db(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", type=Path, help="the server's SQLite database")
    where.add_argument("--postgres", metavar="URL",
                       help="the server's PostgreSQL database (postgresql://user@host/db)")


def _where(args: argparse.Namespace) -> str:
    """The database named in messages; a PostgreSQL URL without its password."""
    if args.postgres is None:
        return str(args.db)
    from feltkonsulent.sync.server.postgres import mask

    return mask(args.postgres)


def _open(args: argparse.Namespace, *, create: bool) -> SqlStorage:
    if args.postgres is None:
        return SqliteStorage.open(args.db, create=create)
    # psycopg is imported only when PostgreSQL is asked for.
    from feltkonsulent.sync.server.postgres import PostgresStorage, PostgresUnavailable

    try:
        return PostgresStorage.open(args.postgres, create=create)
    except PostgresUnavailable as error:
        raise CommandError(f"cannot open the PostgreSQL database {_where(args)}: {error}") from None


@contextmanager
def _storage(args: argparse.Namespace, *, create: bool = False) -> Iterator[SqlStorage]:
    try:
        storage = _open(args, create=create)
    except NoServerDatabase:
        raise CommandError(
            f"no server database at {_where(args)} (`server add-user` or `server migrate` makes one)"
        ) from None
    except NewerServerDatabase as error:
        raise CommandError(f"{_where(args)}: {error}") from None
    try:
        yield storage
    finally:
        storage.close()


def exposure_warning(host: str, behind_tls_proxy: bool) -> str | None:
    """The warning for plain HTTP on an address others can reach (TLS comes with a later issue)."""
    if behind_tls_proxy or host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass  # a host name: others may reach it
    return (f"warning: serving plain HTTP on {host}; tokens and citizen data cross the network "
            "unencrypted. Put a TLS proxy in front and pass --behind-tls-proxy.")


def run_server(args: argparse.Namespace) -> int:
    import uvicorn  # only `server run` needs it

    warning = exposure_warning(args.host, args.behind_tls_proxy)
    if warning:
        print(warning, file=sys.stderr)
    with _storage(args) as storage:
        # Batch summaries (ids and counts, never values) go to the log.
        logging.getLogger("feltkonsulent.sync.server").setLevel(logging.INFO)
        print(f"serving {_where(args)} (server_epoch {storage.server_epoch})", file=sys.stderr)
        from feltkonsulent.sync.server.app import create_app  # FastAPI: 0.4 s, only to serve

        uvicorn.run(create_app(storage), host=args.host, port=args.port, server_header=False)
    return 0


def run_add_user(args: argparse.Namespace) -> int:
    if args.valid_days < 1:
        raise CommandError("--valid-days must be at least 1")
    now = _wall_ms()
    with _storage(args, create=True) as storage:
        new = storage.schema_versions[0] == 0
        storage.add_user(args.team, args.user, now)
        device_id = storage.add_device(args.user, args.device, now)
        token = new_token()
        storage.issue_token(device_id, token_hash(token), now + args.valid_days * DAY_MS, now)
    if new:
        print(f"created server database {_where(args)}", file=sys.stderr)
    print(token)
    print(f"device {device_id} of {args.user} in team {args.team}; token valid {args.valid_days} days. "
          "It is shown only this once: give it to the user now.", file=sys.stderr)
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    now = _wall_ms()
    with _storage(args) as storage:
        if args.device:
            if not storage.revoke_device(args.device, now):
                raise CommandError(f"no device {args.device}")
            print(f"revoked device {args.device}")
        else:
            count = storage.revoke_user(args.user, now)
            print(f"revoked {count} device(s) of {args.user}")
    return 0


def _state(device: DeviceInfo) -> str:
    if device.revoked_at:
        return f"revoked {device.revoked_at}"
    if not device.active_tokens:
        return "no valid token"
    return f"active until {device.token_expires_at}"


def run_list(args: argparse.Namespace) -> int:
    with _storage(args) as storage:
        users = storage.users()
        devices = storage.devices(_wall_ms())
    if args.format == "json":
        print(json.dumps({
            "users": [{"user": u.user_id, "teams": list(u.team_ids)} for u in users],
            "devices": [{**vars(d), "state": _state(d)} for d in devices],
        }, indent=2))
        return 0
    for user in users:
        print(f"user {user.user_id}: teams {', '.join(user.team_ids) or '-'}")
    for d in devices:
        seen = d.last_seen_at or "never"
        print(f"device {d.device_id}  {d.user_id}  {d.name!r}  {_state(d)}  last seen {seen}")
    return 0


def run_migrate(args: argparse.Namespace) -> int:
    with _storage(args, create=True) as storage:
        found, now = storage.schema_versions
    if found == now:
        print(f"{_where(args)}: schema version {now}, up to date")
    else:
        print(f"{_where(args)}: schema version {found} -> {now}")
    return 0


def _wall_ms() -> int:
    return int(time.time() * 1000)
