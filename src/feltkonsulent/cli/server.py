"""`server`: run the team sync server, and administer its users, devices and tokens."""

from __future__ import annotations

import argparse
import functools
import ipaddress
import json
import logging
import ssl
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from feltkonsulent.domain import limits
from feltkonsulent.services import files
from feltkonsulent.storage.database import DEFAULT_TEAM
from feltkonsulent.sync.server.sql import NewerServerDatabase, SqlStorage
from feltkonsulent.sync.server.sqlite import NoServerDatabase, SqliteStorage, restore_file
from feltkonsulent.sync.server.storage import DeviceInfo, new_token, token_hash

from .common import CommandError

DEFAULT_PORT = 8765
DEFAULT_VALID_DAYS = 365
DAY_MS = 86_400_000
DEFAULT_HORIZON_DAYS = 180  # SYNC.md: tombstones are kept for a horizon of 180 days by default


def register(commands: Any) -> None:
    server: argparse.ArgumentParser = commands.add_parser(
        "server", help="run the team sync server and administer its users and devices"
    )
    actions = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)

    run = actions.add_parser("run", help="serve /v1/push, /v1/pull and /v1/health")
    _db(run)
    run.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    run.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    run.add_argument("--certfile", type=Path, metavar="PEM",
                     help="serve HTTPS with this certificate (chain), with --keyfile")
    run.add_argument("--keyfile", type=Path, metavar="PEM", help="the certificate's private key")
    run.add_argument("--behind-tls-proxy", action="store_true",
                     help="a TLS proxy is in front: plain HTTP on a non-loopback address, and "
                     "the client's address from X-Forwarded-For")
    run.add_argument("--workers", type=int, default=1, metavar="N",
                     help="server processes side by side (PostgreSQL only; default 1)")
    run.set_defaults(run=run_server)

    add = actions.add_parser("add-user", help="add a user (and team) and a device; prints its token")
    _db(add)
    add.add_argument("--team", required=True, help="the team id the records carry")
    add.add_argument("--user", required=True, help="the user's name (made if new)")
    add.add_argument("--device", default="device", metavar="NAME", help="a name for the device")
    add.add_argument("--valid-days", type=int, default=DEFAULT_VALID_DAYS,
                     help=f"how long the token is valid (default {DEFAULT_VALID_DAYS})")
    _token_file(add)
    add.set_defaults(run=run_add_user)

    revoke = actions.add_parser("revoke", help="revoke a device, or every device of a user")
    _db(revoke)
    which = revoke.add_mutually_exclusive_group(required=True)
    which.add_argument("--device", metavar="ID", help="a device id (see `server list`)")
    which.add_argument("--user", metavar="U", help="every device of this user")
    revoke.set_defaults(run=run_revoke)

    _register_devices(actions)

    listing = actions.add_parser("list", help="teams, users and devices (never tokens)")
    _db(listing)
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(run=run_list)

    migrate = actions.add_parser(
        "migrate", help="bring the server database's tables up to date (makes them in an empty one)"
    )
    _db(migrate)
    migrate.set_defaults(run=run_migrate)

    _register_upkeep(actions)


def _register_devices(actions: Any) -> None:
    """add-device, renew and remove-user: a new laptop, a token running out, leaving a team."""
    device = actions.add_parser("add-device", help="a new device of an existing user; prints its token")
    _db(device)
    device.add_argument("--user", required=True, help="an existing user")
    device.add_argument("--device", default="device", metavar="NAME", help="a name for the device")
    _valid_days(device)
    _token_file(device)
    device.set_defaults(run=run_add_device)

    renew = actions.add_parser("renew", help="a new token for a device, its old ones revoked; prints it")
    _db(renew)
    renew.add_argument("--device", required=True, metavar="ID", help="a device id (see `server list`)")
    _valid_days(renew)
    _token_file(renew)
    renew.set_defaults(run=run_renew)

    leave = actions.add_parser("remove-user", help="take a user out of a team")
    _db(leave)
    leave.add_argument("--team", required=True, help="the team")
    leave.add_argument("--user", required=True, help="the user")
    leave.set_defaults(run=run_remove_user)


def _token_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--token-file", type=Path, metavar="PATH",
                        help="write the token into this file, readable by its owner only (0600), "
                        "instead of printing it")


def _valid_days(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--valid-days", type=int, default=DEFAULT_VALID_DAYS,
                        help=f"how long the token is valid (default {DEFAULT_VALID_DAYS})")


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


def plain_http_refusal(host: str, tls: bool, behind_tls_proxy: bool) -> str | None:
    """Why the server will not start: plain HTTP on an address others can reach, where tokens
    and citizen data would cross the network unencrypted (SYNC.md: refused unless told that a
    TLS proxy is in front)."""
    if tls or behind_tls_proxy or host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass  # a host name: others may reach it
    return (f"will not serve plain HTTP on {host}: give --certfile and --keyfile, or "
            "--behind-tls-proxy when a TLS proxy is in front")


def uvicorn_config(app: Any, args: argparse.Namespace, *, workers: int = 1) -> Any:
    """uvicorn's settings for `server run`: HTTPS (TLS 1.2 or later) given a certificate; the
    client address is the app's business (X-Forwarded-For only behind a proxy), not uvicorn's.
    With `workers` > 1, `app` is a factory each worker calls, and the settings are left unloaded
    (they go to the workers as they are; each loads them)."""
    import uvicorn  # only `server run` needs it

    config = uvicorn.Config(app, host=args.host, port=args.port, server_header=False,
                            proxy_headers=False, ssl_certfile=args.certfile, ssl_keyfile=args.keyfile,
                            ssl_context_factory=_tls_1_2_or_later if args.certfile else None,
                            workers=workers, factory=workers > 1)
    if workers > 1:
        return config
    try:
        config.load()  # here, so a bad certificate or key is one line, not a trace at start
    except (OSError, ssl.SSLError) as error:
        raise CommandError(f"cannot use the certificate or key: {error}") from None
    return config


def _tls_1_2_or_later(_: Any, default: Callable[[], ssl.SSLContext]) -> ssl.SSLContext:
    context = default()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _check_tls_files(args: argparse.Namespace) -> None:
    if (args.certfile is None) != (args.keyfile is None):
        raise CommandError("give both --certfile and --keyfile")
    for path in (args.certfile, args.keyfile):
        if path is not None and not path.is_file():
            raise CommandError(f"no file {path}")


def _check_workers(args: argparse.Namespace) -> None:
    if args.workers < 1:
        raise CommandError("--workers must be at least 1")
    if args.workers > 1 and args.postgres is None:
        raise CommandError("--workers needs --postgres: a SQLite database has one writer, so its "
                           "server is one process (leave --workers out)")


def run_server(args: argparse.Namespace) -> int:
    import uvicorn  # only `server run` needs it

    _check_tls_files(args)
    _check_workers(args)
    refusal = plain_http_refusal(args.host, args.certfile is not None, args.behind_tls_proxy)
    if refusal:
        raise CommandError(refusal)
    with _storage(args) as storage:
        # Batch summaries and failed authentications (ids and counts, never values) go to the log.
        logging.getLogger("feltkonsulent.sync.server").setLevel(logging.INFO)
        print(f"serving {_where(args)} (server_epoch {storage.server_epoch})", file=sys.stderr)
        if args.workers > 1:
            storage.close()  # each worker opens its own pool; this one only migrated and checked
            _run_workers(args)
            return 0
        from feltkonsulent.sync.server.app import create_app  # FastAPI: 0.4 s, only to serve

        app = create_app(storage, behind_proxy=args.behind_tls_proxy)
        uvicorn.Server(uvicorn_config(app, args)).run()
    return 0


def _run_workers(args: argparse.Namespace) -> None:
    """`--workers N`: uvicorn's supervisor with N processes on one socket, each with its own
    PostgreSQL pool, so the server's Python work (JSON, merge decisions) uses more than one core.
    The failure limits count per process (docs/server.md)."""
    from uvicorn.supervisors import Multiprocess

    if args.certfile:
        uvicorn_config(_no_app, args)  # a certificate or key it cannot load: one line, here
    config = uvicorn_config(functools.partial(worker_app, args.postgres, args.behind_tls_proxy), args,
                            workers=args.workers)
    Multiprocess(config, sockets=[config.bind_socket()]).run()


async def _no_app(scope: Any, receive: Any, send: Any) -> None:
    """Stands in for the app where only the certificate and key are loaded, to check them."""


def worker_app(url: str, behind_proxy: bool) -> Any:
    """The app of one `--workers` process (started afresh by uvicorn: logging set up again)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("feltkonsulent.sync.server").setLevel(logging.INFO)
    from feltkonsulent.sync.server.app import create_app
    from feltkonsulent.sync.server.postgres import PostgresStorage

    return create_app(PostgresStorage.open(url), behind_proxy=behind_proxy)


def _check_names(team: str, user: str, device: str | None) -> None:
    """A team is written into every record its members sync, a user and a device into the
    server's lists: names the value boundary takes, and never the placeholder team of a laptop
    that has not synced (its records would look like the team's)."""
    if limits.check_team_id(team) is not None:
        raise CommandError(f"--team {team!r}: a team id is 1 to 64 letters, digits, '.', '_', '-' "
                           "and inner spaces, e.g. jobcenter-aarhus")
    if team == DEFAULT_TEAM:
        raise CommandError(f"--team {team}: that is the placeholder team of a laptop that has never "
                           "synced; name the team, e.g. jobcenter-aarhus")
    for option, name in (("--user", user), ("--device", device)):
        if name is not None and (not name.strip() or limits.check_text(name, "user") is not None):
            raise CommandError(f"{option} {name!r}: a name of 1 to {limits.NAME_CHARS} characters "
                               "on one line")


def run_add_user(args: argparse.Namespace) -> int:
    if args.valid_days < 1:
        raise CommandError("--valid-days must be at least 1")
    _check_names(args.team, args.user, args.device)
    now = _wall_ms()
    with _storage(args, create=True) as storage:
        new = storage.schema_versions[0] == 0
        storage.add_user(args.team, args.user, now)
        device_id = storage.add_device(args.user, args.device, now)
        token = new_token()
        storage.issue_token(device_id, token_hash(token), now + args.valid_days * DAY_MS, now)
    if new:
        print(f"created server database {_where(args)}", file=sys.stderr)
    _hand_over(token, f"device {device_id} of {args.user} in team {args.team}", args)
    return 0


def _expiry(args: argparse.Namespace, now: int) -> int:
    if args.valid_days < 1:
        raise CommandError("--valid-days must be at least 1")
    return now + int(args.valid_days) * DAY_MS


def _hand_over(token: str, what: str, args: argparse.Namespace) -> None:
    """The token on stdout, or with --token-file in a new file only its owner may read (a
    temporary file made 0600, renamed into place: never readable by others, not even briefly)."""
    path: Path | None = args.token_file
    if path is None:
        print(token)
        print(f"{what}; token valid {args.valid_days} days. It is shown only this once: give it to "
              "the user now.", file=sys.stderr)
        return
    try:
        files.write_bytes(path, f"{token}\n".encode("ascii"))
    except OSError as error:
        raise CommandError(f"the token was issued but not written to {path}: {error.strerror}; "
                           "`server renew --device ID` gives the device a new one") from error
    print(f"{what}; token valid {args.valid_days} days, written to {path} (0600). Give the file to "
          "the user and delete it.", file=sys.stderr)


def run_add_device(args: argparse.Namespace) -> int:
    now = _wall_ms()
    expires = _expiry(args, now)
    with _storage(args) as storage:
        if args.user not in {u.user_id for u in storage.users()}:
            raise CommandError(f"no user {args.user} (`server add-user` makes one)")
        device_id = storage.add_device(args.user, args.device, now)
        token = new_token()
        storage.issue_token(device_id, token_hash(token), expires, now)
    _hand_over(token, f"device {device_id} of {args.user}", args)
    return 0


def run_renew(args: argparse.Namespace) -> int:
    now = _wall_ms()
    expires = _expiry(args, now)
    token = new_token()
    with _storage(args) as storage:
        if not storage.replace_token(args.device, token_hash(token), expires, now):
            raise CommandError(f"no device {args.device} that is not revoked "
                               "(a revoked device gets no token: `server add-device` makes a new one)")
    _hand_over(token, f"device {args.device}: new token, the old ones revoked", args)
    return 0


def run_remove_user(args: argparse.Namespace) -> int:
    with _storage(args) as storage:
        if not storage.remove_membership(args.team, args.user):
            raise CommandError(f"{args.user} is not a member of team {args.team}")
    print(f"removed {args.user} from team {args.team} (devices stay; `server revoke` revokes them)")
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
        teams = storage.teams()
        users = storage.users()
        devices = storage.devices(_wall_ms())
    if args.format == "json":
        print(json.dumps({
            "teams": teams,
            "users": [{"user": u.user_id, "teams": list(u.team_ids)} for u in users],
            "devices": [{**vars(d), "state": _state(d)} for d in devices],
        }, indent=2))
        return 0
    for team in teams:
        members = [u.user_id for u in users if team in u.team_ids]
        print(f"team {team}: members {', '.join(members) or '-'}")
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


def _register_upkeep(actions: Any) -> None:
    """backup, restore, new-epoch and compact: docs/server.md "Backup and restore", "Compaction"."""
    backup = actions.add_parser("backup", help="a consistent copy of a SQLite server database, live")
    _db(backup)
    backup.add_argument("--to", type=Path, required=True, metavar="FILE", help="a new file")
    backup.set_defaults(run=run_backup)

    restore = actions.add_parser(
        "restore", help="put a backup in place of a stopped server's SQLite database; new server_epoch"
    )
    restore.add_argument("--db", type=Path, required=True, help="the server's SQLite database")
    restore.add_argument("--from", dest="source", type=Path, required=True, metavar="FILE",
                         help="a copy made by `server backup`")
    restore.set_defaults(run=run_restore, postgres=None)

    epoch = actions.add_parser(
        "new-epoch", help="a new server_epoch after a database was restored by other means (pg_restore)"
    )
    _db(epoch)
    epoch.set_defaults(run=run_new_epoch)

    compact = actions.add_parser(
        "compact", help="forget superseded changes and erase deleted records' data older than a horizon"
    )
    _db(compact)
    compact.add_argument("--horizon-days", type=int, default=DEFAULT_HORIZON_DAYS, metavar="N",
                         help=f"keep everything of the last N days (default {DEFAULT_HORIZON_DAYS})")
    compact.set_defaults(run=run_compact)


def run_backup(args: argparse.Namespace) -> int:
    if args.postgres is not None:
        raise CommandError("back up PostgreSQL with pg_dump --format=custom (docs/server.md, Backup)")
    with _storage(args) as storage:
        if not isinstance(storage, SqliteStorage):  # (--postgres is answered above)
            raise CommandError("only a SQLite server database can be backed up by this command")
        try:
            storage.backup(args.to)
        except FileExistsError:
            raise CommandError(f"{args.to} exists; a backup goes to a new file") from None
    print(f"backed up {args.db} to {args.to}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    try:
        restore_file(args.source, args.db)
    except NoServerDatabase as error:
        raise CommandError(str(error)) from None
    _new_epoch(args, f"restored {args.db} from {args.source}; ")
    return 0


def run_new_epoch(args: argparse.Namespace) -> int:
    _new_epoch(args, f"{_where(args)}: ")
    return 0


def _new_epoch(args: argparse.Namespace, done: str) -> None:
    with _storage(args) as storage:
        epoch = storage.new_epoch()
    print(f"{done}server_epoch is now {epoch}: every laptop pulls everything again at its next "
          "sync and sends back what the database lacks")


def run_compact(args: argparse.Namespace) -> int:
    if args.horizon_days < 1:
        raise CommandError("--horizon-days must be at least 1")
    with _storage(args) as storage:
        done = storage.compact(args.horizon_days * DAY_MS, _wall_ms())
    print(f"{_where(args)}: forgot {done.changes} superseded changes and {done.batches} stored batch "
          f"answers, erased {done.fields} fields of records deleted more than {args.horizon_days} days ago")
    return 0


def _wall_ms() -> int:
    return int(time.time() * 1000)
