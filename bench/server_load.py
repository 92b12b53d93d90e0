"""Load on the sync server: many clients pushing and pulling at once over loopback, against the
SQLite and the PostgreSQL storage side by side; p50/p95/max latency per push and per pull page,
and changes/s in and out, against the target of the issue: p95 < 200 ms per 500-change push
with 50 clients on PostgreSQL.

    .venv/bin/python bench/server_load.py                       # both storages, 10×5 and 1×50
    .venv/bin/python bench/server_load.py --shapes 10x5 --modes steady --rounds 6   # the target
    .venv/bin/python bench/server_load.py --quick               # a smoke test
    .venv/bin/python bench/server_load.py --storage postgres --workers 1 --shapes 10x5

The server is `feltkonsulent server run` in a subprocess (its own GIL and cores, as in
production; on PostgreSQL with `--workers 2` by default, one process per core of this machine,
as docs/server.md advises) on 127.0.0.1: `--db` on a fresh SQLite file, or `--postgres` on a
fresh database of a throw-away cluster (`tests/sync/pg_cluster.py`, made durable again: fsync
and synchronous_commit on, as SQLite is) or of `--postgres-url`. Users, devices and tokens are
made with `server add-user`. The clients are threads in `--procs` processes, so the load
generator's JSON work is not all behind one GIL; it still shares the machine's cores with the
server, which is said in the output with the CPU each side used.

A client is a sequence of rounds as `sync.client.sync_round` makes them: push one batch of 500
changes (new companies and placements field by field, whole visit notes of some 600 characters,
single-field edits of the team's records with the `base_seq` the client last saw — so teammates
editing one record make real conflicts), then pull pages of 500 until `has_more` is false. Two
workloads:

- herd: every client starts at the same moment (the morning after a day offline: everyone
  opens the laptop at 8:00) and runs its rounds back to back;
- steady: rounds separated by a random think time (exponential, mean `--think-s`, 10 s by
  default), the clients' starts spread over one think time. 50 clients then push 2,500 changes a
  second — far more than 50 consultants type (a batch of 500 is a day or more offline) — and
  the cores still have time to spare. A much shorter think time is an overload test: more
  arrives than the cores can take in, and every latency becomes queueing.

Team shapes: 10 teams of 5 is the realistic shared municipal server (a jobcenter's consultants
work in teams of a handful, one per area or programme; a pull carries only the puller's teams, so
each client pulls its four teammates' pushes); 1 team of 50 is the worst case (every client pulls
every other client's 500 changes: 50 × 50 pages a round).

Not a test: it prints figures and exits 0 whether or not a target is met.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import multiprocessing
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from timing import percentile  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
PUSH_TARGET_MS = 200.0  # p95 per 500-change push, 50 clients, PostgreSQL
BATCH = 500
PAGE = 500
SERVE = "import sys; from feltkonsulent.cli import main; sys.exit(main(sys.argv[1:]))"
# The server's line per batch (sync/server/sql.py `_log_batch`): "... batch 3: 500 accepted in
# 41 ms (2 ms waiting for locks)".
_PUSH_LOGGED = re.compile(r" batch \d+: .* in (\d+) ms \((\d+) ms waiting for locks\)")


# -- the server -----------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Storage:
    """Where a scenario's server keeps its data: `--db PATH` or `--postgres URL`."""

    label: str
    option: list[str]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli(args: list[str]) -> str:
    """`feltkonsulent ARGS` in this process (the same code as the command, without starting
    Python 50 times); its standard output."""
    from feltkonsulent.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(args)
    if code != 0:
        sys.exit(f"feltkonsulent {args[0]} {args[1]} failed ({code})")
    return out.getvalue()


def make_users(storage: Storage, teams: int, per_team: int, tag: str) -> list[tuple[str, str]]:
    """(team, token) of teams × per_team users with one device each, by `server add-user`."""
    made = []
    for t in range(teams):
        team = f"{tag}-team{t:02d}"
        for u in range(per_team):
            out = cli(["server", "add-user", *storage.option, "--team", team, "--user",
                       f"{tag}-t{t:02d}u{u:02d}", "--device", "laptop"])
            made.append((team, out.strip().splitlines()[0]))
    return made


@dataclasses.dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def pushes_logged(self) -> list[tuple[float, float]]:
        """(ms, ms waiting for locks) of every push the server has logged so far: the server's
        own view, without HTTP, JSON parsing and the load generator's share of the cores."""
        return [(float(took), float(waited))
                for took, waited in _PUSH_LOGGED.findall(self.log.read_text(errors="replace"))]

    def cpu_s(self) -> float:
        """CPU seconds of the server process and its workers (from /proc; 0 where there is none)."""
        return sum(_proc_cpu_s(pid) for pid in _tree(self.process.pid))


@contextlib.contextmanager
def sampled(pid: int, out: Path | None) -> Iterator[None]:
    """With `out`, py-spy samples the server process (and its workers) until the block ends:
    collapsed stacks (`--format raw`) of the thread holding the GIL, i.e. where the server's
    Python time goes; `summarise_profile` reads them."""
    if out is None:
        yield
        return
    found = Path(sys.executable).parent / "py-spy"
    spy = subprocess.Popen([str(found) if found.exists() else "py-spy", "record", "--pid", str(pid),
                            "--subprocesses", "--gil", "--format", "raw", "--rate", "200",
                            "--output", str(out)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # py-spy attaches
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        spy.wait(60)


def summarise_profile(path: Path, lines: int = 25) -> None:
    """The functions the server spent its GIL samples in, inclusive, costliest first."""
    inclusive: dict[str, int] = {}
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        total += int(count)
        for frame in {f.split(" (")[0] + " (" + f.split(" (")[1].split(":")[0] + ")" for f in frames
                      if " (" in f}:
            inclusive[frame] = inclusive.get(frame, 0) + int(count)
    print(f"  py-spy: {total} busy samples of the server ({path}); inclusive share:")
    for frame, n in sorted(inclusive.items(), key=lambda item: -item[1])[:lines]:
        print(f"    {n / max(1, total):6.1%}  {frame}")


@contextlib.contextmanager
def running_server(storage: Storage, workers: int, log: Path) -> Iterator[Server]:
    port = free_port()
    command = [sys.executable, "-c", SERVE, "server", "run", *storage.option, "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield Server(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server stopped at start:\n{log.read_text()[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    sys.exit("the server did not answer /v1/health within 60 s")


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo += children.get(found[-1], [])
    return found


def _proc_cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


# -- a client ----------------------------------------------------------------------------------------
NOTE = ("Besøg på arbejdspladsen. Borgeren møder stabilt og til tiden, har fået flere opgaver på lageret "
        "og trives med kollegerne. Mentor fortæller, at tempoet er steget siden sidst, men at der stadig "
        "er behov for pauser i løbet af dagen. Vi aftalte at øge timetallet fra 15 til 20 om ugen fra "
        "næste måned og at følge op på transporten, som borgeren oplever som besværlig. Virksomheden "
        "overvejer løntilskud bagefter. ")


@dataclasses.dataclass
class ClientStats:
    push_ms: list[float] = dataclasses.field(default_factory=list)
    pull_ms: list[float] = dataclasses.field(default_factory=list)
    statuses: dict[str, int] = dataclasses.field(default_factory=dict)
    pulled: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)
    late_s: float = 0.0  # how much after the common start this client began (herd)


class Client:
    """One installation: its batches, its cursor, and what it knows of its team's records."""

    def __init__(self, url: str, team: str, token: str, seed: int) -> None:
        self.http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=120)
        self.team = team
        self.device_id = _uuid()
        self.random = random.Random(seed)
        self.batch_seq = 0
        self.cursor = 0
        self.counter = 0
        self.seen: dict[tuple[str, str, str], int] = {}  # (entity, row, field) → server_seq
        self.companies: list[str] = []
        self.placements: list[str] = []
        self.stats = ClientStats()

    def round(self) -> None:
        body = self._batch()
        start = time.perf_counter()
        answer = self.http.post("/v1/push", content=body, headers={"Content-Type": "application/json"})
        self.stats.push_ms.append((time.perf_counter() - start) * 1000)
        if answer.status_code != 200:
            self.stats.errors.append(f"push {answer.status_code} {answer.json().get('error')}")
            return
        for result in answer.json()["results"]:
            self.stats.statuses[result["status"]] = self.stats.statuses.get(result["status"], 0) + 1
        self._pull_all()

    def _pull_all(self) -> None:
        more = True
        while more:
            start = time.perf_counter()
            answer = self.http.get("/v1/pull", params={"cursor": self.cursor, "limit": PAGE})
            self.stats.pull_ms.append((time.perf_counter() - start) * 1000)
            if answer.status_code != 200:
                self.stats.errors.append(f"pull {answer.status_code}")
                return
            page = answer.json()
            for change in page["changes"]:
                self._learn(change)
            self.stats.pulled += len(page["changes"])
            self.cursor, more = page["next_cursor"], page["has_more"]

    def _learn(self, change: dict[str, Any]) -> None:
        key = (change["entity"], change["row_id"], change["field"])
        if key not in self.seen and change["field"] == "name":
            self.companies.append(change["row_id"])
        elif key not in self.seen and change["field"] == "status":
            self.placements.append(change["row_id"])
        self.seen[key] = change["server_seq"]

    def _hlc(self) -> int:
        self.counter += 1
        return (time.time_ns() // 1_000_000) << 16 | (self.counter & 0xFFFF)

    def _batch(self) -> bytes:
        import json

        ops: list[dict[str, Any]] = []
        for _ in range(15):
            ops += self._new_company()
        for _ in range(12):
            ops += self._new_placement()
        for _ in range(60):
            ops.append(self._visit_note())
        while len(ops) < BATCH:
            ops.append(self._edit())
        self.batch_seq += 1
        return json.dumps({"protocol_version": 1, "schema_version": 4, "device_id": self.device_id,
                           "batch_seq": self.batch_seq, "ops": ops[:BATCH]}, ensure_ascii=False).encode()

    def _op(self, entity: str, row: str, field: str, value: Any, hlc: int) -> dict[str, Any]:
        return {"op_id": _uuid(), "entity": entity, "row_id": row, "team_id": self.team, "field": field,
                "value": value, "hlc": hlc, "device_id": self.device_id,
                "base_seq": self.seen.get((entity, row, field))}

    def _new_company(self) -> list[dict[str, Any]]:
        row, hlc, n = _uuid(), self._hlc(), self.random.randrange(10**8)
        self.companies.append(row)
        values = {"name": f"Bageriet {n} ApS", "cvr": f"{n:08d}", "street": f"Nørregade {n % 200}",
                  "postal_code": "7100", "city": "Vejle", "industry": "Bagerier",
                  "employee_count": str(n % 40), "sector": "private"}
        return [self._op("companies", row, f, v, hlc) for f, v in values.items()]

    def _new_placement(self) -> list[dict[str, Any]]:
        row, hlc = _uuid(), self._hlc()
        self.placements.append(row)
        company = self.random.choice(self.companies)
        values = {"citizen_id": _uuid(), "company_id": company, "kind": "praktik",
                  "start_date": "2026-03-02", "end_date": "2026-05-29", "purpose": "afklaring",
                  "weekly_hours": "15", "work_tasks": "Lager og pakning", "goals": ["Stabilt fremmøde"],
                  "status": "active"}
        return [self._op("placements", row, f, v, hlc) for f, v in values.items()]

    def _visit_note(self) -> dict[str, Any]:
        row = _uuid()
        note = {"id": row, "team_id": self.team, "placement_id": self.random.choice(self.placements),
                "planned_on": None, "visited_on": "2026-03-16", "mode": "on_site",
                "participants": "Borger, mentor", "notes": NOTE, "agreed_actions": "Flere timer fra 1/4",
                "next_visit_on": "2026-04-13", "supersedes": None}
        return self._op("aftercare_visits", row, "*", note, self._hlc())

    def _edit(self) -> dict[str, Any]:
        if self.random.random() < 0.5:
            row = self.random.choice(self.companies)
            return self._op("companies", row, "notes", f"Ringet op, {self.random.randrange(1000)}",
                            self._hlc())
        row = self.random.choice(self.placements)
        field, value = self.random.choice(
            [("status", "active"), ("weekly_hours", str(self.random.randrange(5, 37))),
             ("end_date", "2026-06-26")])
        return self._op("placements", row, field, value, self._hlc())


def _uuid() -> str:
    from feltkonsulent.domain.ids import uuid7

    return str(uuid7())


@dataclasses.dataclass(frozen=True)
class Plan:
    """What every client of a scenario does."""

    url: str
    rounds: int
    think_s: float
    start_at: float  # time.time() of the common start


def run_clients(plan: Plan, members: list[tuple[int, str, str]]) -> tuple[list[ClientStats], float]:
    """The clients (index, team, token) of one load process as threads; their stats and the
    process's CPU seconds."""
    clients = [Client(plan.url, team, token, seed) for seed, team, token in members]
    cpu = time.process_time()
    threads = [threading.Thread(target=_run_one, args=(plan, c)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.http.close()
    return [c.stats for c in clients], time.process_time() - cpu


def _run_one(plan: Plan, client: Client) -> None:
    delay = client.random.uniform(0, plan.think_s) if plan.think_s else 0.0
    time.sleep(max(0.0, plan.start_at + delay - time.time()))
    client.stats.late_s = time.time() - plan.start_at - delay
    for n in range(plan.rounds):
        if n and plan.think_s:
            time.sleep(client.random.expovariate(1 / plan.think_s))
        try:
            client.round()
        except httpx.HTTPError as error:
            client.stats.errors.append(type(error).__name__)


# -- a scenario --------------------------------------------------------------------------------------
@dataclasses.dataclass
class Figures:
    """One scenario on one storage."""

    push_ms: list[float]
    pull_ms: list[float]
    server_push_ms: list[float]  # the same pushes as the server logged them
    waited_ms: list[float]  # of which waiting for other pushes' locks
    accepted: int
    statuses: dict[str, int]
    pulled: int
    wall_s: float
    server_cpu_s: float
    load_cpu_s: float
    busy: float  # the machine's cores busy, 0–1
    errors: list[str]
    late_s: float


def run_scenario(server: Server, users: list[tuple[str, str]], rounds: int, think_s: float,
                 procs: int) -> Figures:
    members = [(seed, team, token) for seed, (team, token) in enumerate(users)]
    groups = [members[i::procs] for i in range(procs)]
    logged_before = len(server.pushes_logged())
    plan = Plan(server.url, rounds, think_s, time.time() + 3.0)  # the load processes start first
    before: list[Any] = []
    at_start = threading.Timer(plan.start_at - time.time(),
                               lambda: before.extend((server.cpu_s(), machine_busy())))
    at_start.start()
    with multiprocessing.get_context("spawn").Pool(procs) as pool:
        results = pool.starmap(run_clients, [(plan, group) for group in groups])
    wall = time.time() - plan.start_at
    busy1 = machine_busy()
    at_start.join()
    cpu0, busy0 = before
    stats = [s for group, _ in results for s in group]
    statuses: dict[str, int] = {}
    for s in stats:
        for status, n in s.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    logged = server.pushes_logged()[logged_before:]
    return Figures(
        push_ms=[ms for s in stats for ms in s.push_ms], pull_ms=[ms for s in stats for ms in s.pull_ms],
        server_push_ms=[took for took, _ in logged], waited_ms=[waited for _, waited in logged],
        accepted=statuses.get("accepted", 0) + statuses.get("conflict", 0), statuses=statuses,
        pulled=sum(s.pulled for s in stats), wall_s=wall, server_cpu_s=server.cpu_s() - cpu0,
        load_cpu_s=sum(cpu for _, cpu in results),
        busy=(busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]),
        errors=[e for s in stats for e in s.errors], late_s=max(s.late_s for s in stats),
    )


@dataclasses.dataclass(frozen=True)
class Scenario:
    mode: str  # herd or steady
    teams: int
    per_team: int
    rounds: int
    think_s: float

    @property
    def title(self) -> str:
        shape = f"{self.teams} teams of {self.per_team}" if self.teams > 1 else f"1 team of {self.per_team}"
        if self.mode == "herd":
            return (f"herd: {self.teams * self.per_team} clients start at once, {shape}, "
                    f"{self.rounds} round(s) each back to back")
        return (f"steady: {self.teams * self.per_team} clients, {shape}, {self.rounds} rounds each, "
                f"think time {self.think_s:g} s on average between rounds")


@contextlib.contextmanager
def storages(kinds: list[str], folder: Path, pg_url: str | None, fsync: bool) -> Iterator[dict[str, Any]]:
    """Per storage kind, a function giving a fresh `Storage` for each scenario."""
    made: dict[str, Any] = {}
    names = iter(range(1, 1000))
    if "sqlite" in kinds:
        made["sqlite"] = lambda: Storage("SQLite", ["--db", str(folder / f"server{next(names)}.db")])
    if "postgres" not in kinds:
        yield made
        return
    if pg_url:
        made["postgres"] = lambda: Storage("PostgreSQL", ["--postgres", pg_url])
        yield made
        return
    sys.path.insert(0, str(ROOT))
    from tests.sync.pg_cluster import running_cluster

    with running_cluster() as cluster:
        if fsync:
            _durable(cluster.url("postgres"))
        made["postgres"] = lambda: Storage("PostgreSQL", ["--postgres", cluster.new_database()])
        yield made


def _durable(admin_url: str) -> None:
    """The test cluster runs without fsync; a server that loses commits in a crash is not what a
    municipality runs, and SQLite here does fsync (WAL, synchronous FULL)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            conn.execute(f"ALTER SYSTEM SET {setting} = on")
        conn.execute("SELECT pg_reload_conf()")


# -- output ------------------------------------------------------------------------------------------
def spread(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{percentile(values, 50):.0f} / {percentile(values, 95):.0f} / {max(values):.0f}"


def table(scenario: Scenario, figures: dict[str, Figures]) -> None:
    labels = list(figures)
    print(f"\n{scenario.title}")
    print(f"  {'':34}" + "".join(f"{label:>24}" for label in labels))
    rows: list[tuple[str, Any]] = [
        ("push ms p50 / p95 / max", lambda f: spread(f.push_ms)),
        ("  in the server (its log)", lambda f: spread(f.server_push_ms)),
        ("  of which waiting for locks", lambda f: spread(f.waited_ms)),
        ("pull page ms p50 / p95 / max", lambda f: spread(f.pull_ms)),
        ("pushes / pull pages", lambda f: f"{len(f.push_ms)} / {len(f.pull_ms)}"),
        ("changes in (accepted) /s", lambda f: f"{f.accepted / f.wall_s:,.0f}"),
        ("changes out (pulled) /s", lambda f: f"{f.pulled / f.wall_s:,.0f}"),
        ("wall time s", lambda f: f"{f.wall_s:.1f}"),
        ("CPU s: server / load gen.", lambda f: f"{f.server_cpu_s:.1f} / {f.load_cpu_s:.1f}"),
        ("cores busy", lambda f: f"{f.busy:.0%} of {os.cpu_count()}"),
        ("statuses", lambda f: " ".join(f"{k[:4]} {v}" for k, v in sorted(f.statuses.items()))),
    ]
    for name, cell in rows:
        print(f"  {name:34}" + "".join(f"{cell(figures[label]):>24}" for label in labels))
    for label, f in figures.items():
        if f.errors:
            print(f"  {label}: {len(f.errors)} failed requests, e.g. {f.errors[0]}")
        if f.late_s > 0.5:
            print(f"  {label}: a client started {f.late_s:.1f} s late (the load processes were slow)")
    if "PostgreSQL" in figures and figures["PostgreSQL"].push_ms:
        p95 = percentile(figures["PostgreSQL"].push_ms, 95)
        verdict = "OK" if p95 < PUSH_TARGET_MS else "MISSED"
        print(f"  target: p95 per {BATCH}-change push on PostgreSQL < {PUSH_TARGET_MS:g} ms: "
              f"{p95:.0f} ms {verdict}")


# -- main ---------------------------------------------------------------------------------------------
def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--storage", default="sqlite,postgres", help="sqlite, postgres or both (default)")
    parser.add_argument("--shapes", default="10x5,1x50", help="teams x users per team, comma-separated")
    parser.add_argument("--modes", default="herd,steady", help="herd, steady or both (default)")
    parser.add_argument("--herd-rounds", type=int, default=2, help="rounds per client in the herd")
    parser.add_argument("--rounds", type=int, default=4, help="rounds per client in the steady load")
    parser.add_argument("--think-s", type=float, default=10.0, help="mean think time of the steady load")
    parser.add_argument("--procs", type=int, default=2, help="load generator processes")
    parser.add_argument("--workers", type=int, default=2, help="`server run --workers` on PostgreSQL")
    parser.add_argument("--postgres-url", help="a PostgreSQL database to use instead of a throw-away "
                        "cluster (its data stays; names are tagged per run)")
    parser.add_argument("--no-fsync", action="store_true",
                        help="leave the throw-away cluster without fsync, as the tests run it")
    parser.add_argument("--py-spy", type=Path, metavar="DIR",
                        help="sample the server with py-spy (pip install py-spy) into DIR and print "
                        "where its time went")
    parser.add_argument("--quick", action="store_true",
                        help="CI size: 10 clients (2x5), 1 round each, think time 0.2 s")
    args = parser.parse_args(argv)
    if args.quick:
        args.shapes, args.herd_rounds, args.rounds, args.think_s = "2x5", 1, 1, 0.2
    return args


def scenarios(args: argparse.Namespace) -> list[Scenario]:
    found = []
    for shape in args.shapes.split(","):
        teams, per_team = (int(n) for n in shape.lower().split("x"))
        for mode in args.modes.split(","):
            rounds, think = (args.herd_rounds, 0.0) if mode == "herd" else (args.rounds, args.think_s)
            found.append(Scenario(mode, teams, per_team, rounds, think))
    return found


def spy_file(folder: Path | None, scenario: Scenario, kind: str) -> Path | None:
    return folder / f"{scenario.mode}-{scenario.teams}x{scenario.per_team}-{kind}.txt" if folder else None


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    kinds = args.storage.split(",")
    print(f"Sync server under load on 127.0.0.1, {os.cpu_count()} cores shared by the server, the "
          f"database and {args.procs} load processes; batches of {BATCH} changes (15 new companies, "
          f"12 new placements, 60 visit notes, the rest single-field edits), pull pages of {PAGE}. "
          f"PostgreSQL: {'--postgres-url' if args.postgres_url else 'a throw-away cluster'}"
          f"{', fsync off' if args.no_fsync else ''}, server workers: {args.workers}.")
    tag = f"b{int(time.time()) % 100000}"
    with tempfile.TemporaryDirectory(prefix="feltkonsulent-bench-load-") as name, \
            storages(kinds, Path(name), args.postgres_url, not args.no_fsync) as fresh:
        for n, scenario in enumerate(scenarios(args)):
            figures = {}
            for kind in kinds:
                storage = fresh[kind]()
                users = make_users(storage, scenario.teams, scenario.per_team, f"{tag}s{n}")
                workers = args.workers if kind == "postgres" else 1
                spy = spy_file(args.py_spy, scenario, kind)
                with running_server(storage, workers, Path(name) / f"server{n}-{kind}.log") as server, \
                        sampled(server.process.pid, spy):
                    figures[storage.label] = run_scenario(server, users, scenario.rounds, scenario.think_s,
                                                          args.procs)
            table(scenario, figures)
            for kind in kinds:
                if args.py_spy:
                    summarise_profile(Path(str(spy_file(args.py_spy, scenario, kind))))


if __name__ == "__main__":
    main()
