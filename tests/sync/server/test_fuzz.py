"""The sync server fuzzed from its own OpenAPI description (schemathesis) over real HTTP on
127.0.0.1: no answer is a 5xx, every answer is one the description documents (status, content
type, body schema), a request without a valid token gets 401 and nothing else (`device_revoked`
for a revoked device's token, `unauthorized` for the others), and no answer ever carries the
token sent.

Each operation is fuzzed with every kind of credential (a valid token, none, an unknown one, a
revoked device's) and three kinds of input:
- `positive`: what the description allows, as generated (random batch numbers, installations and
  clocks: mostly the protocol's refusals, 400/403/409/422/426);
- `steered`: the same, then put right where the protocol asks more than a schema can say (the
  ops' device is the batch's, op ids are unique, the next batch number, an hlc not far ahead,
  half the ops in the user's team on a known entity), so that it reaches the merge and the
  database and must be answered 200;
- `negative`: what the description forbids, which must be a 4xx.

`FELTKONSULENT_FUZZ_EXAMPLES` sets the examples per operation and kind (30 by default, as in CI);
the examples are derandomized, so a run is repeatable. schemathesis's own pytest integration
(`schemathesis.pytest.from_fixture`) cannot be used: 4.32.5 sets `node._nodeid`, which pytest
9.2 no longer has; each operation's strategy is driven by hypothesis here instead.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case, CheckContext, GenerationMode, Response

from feltkonsulent.domain.entities import ENTITY_TYPES
from feltkonsulent.sync.protocol import (
    MAX_AHEAD_MS,
    MAX_COUNT,
    PROTOCOL_VERSION,
    DigestResponse,
    ErrorBody,
    Me,
    PullResponse,
    PushResponse,
    hlc_millis,
)
from feltkonsulent.sync.server.ratelimit import FailureLimiter, Limit
from feltkonsulent.sync.server.storage import new_token

from ..conftest import SERVER_KINDS, ServerClock, ServerDatabase, SyncServer, start_server
from .helpers import Device

EXAMPLES = int(os.environ.get("FELTKONSULENT_FUZZ_EXAMPLES", "30"))
TEAM = "team-fuzz"
STEERED_INSTALLATION = "01890000-0000-7000-8000-00000000f022"
ENTITIES = sorted(ENTITY_TYPES)

# Answers a schema-valid request may get for reasons no schema can express (docs/sync.md): a
# cross-field rule (400: an op of another device, an op id twice), a token of another
# installation (403), a batch number out of turn (409), a clock ahead (422), an old protocol (426).
PROTOCOL_REFUSALS = ["200", "400", "401", "403", "409", "422", "426"]
CONFIG = schemathesis.Config.from_dict({
    "checks": {"positive_data_acceptance": {"expected-statuses": PROTOCOL_REFUSALS}},
    # A query parameter the server does not know is ignored, as a JSON key it does not know is
    # (docs/sync.md: either side may add an optional one); it is not invalid input.
    "generation": {"allow-extra-parameters": False},
    # Nothing written into the working copy between runs.
    "cache": {"enabled": False},
})


# FastAPI's words for a body it cannot parse (app.py passes them on).
NOT_JSON = ("JSON decode error", "There was an error parsing the body")


@dataclass
class Fuzzed:
    server: SyncServer
    schema: schemathesis.BaseSchema
    tokens: dict[str, str | None]
    next_batch: dict[str, int] = field(default_factory=dict)


@pytest.fixture(scope="module", params=SERVER_KINDS)
def fuzzed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    # Hundreds of bad tokens from one address: the failure limits (test_auth.py) are lifted here.
    clock, unlimited = ServerClock(), Limit(failures=10**9)
    limiter = FailureLimiter(clock, account=unlimited, address=unlimited)
    if request.param == "postgres":  # (PostgreSQL refuses what SQLite takes: a NUL in a text)
        database = ServerDatabase("postgres", url=request.getfixturevalue("pg_cluster").new_database())
    else:
        database = ServerDatabase("sqlite", path=tmp_path_factory.mktemp("fuzz") / "server.db")
    with start_server(database, clock, limiter=limiter) as server:
        revoked = server.token_for(TEAM, "rasmus", "old laptop")
        server.storage.revoke_device(server.device_id("rasmus", "old laptop"), server.clock())
        tokens = {
            "valid": server.token_for(TEAM, "fie", "laptop"),
            # Its own device: the first steered push binds STEERED_INSTALLATION to it.
            "steered": server.token_for(TEAM, "fie", "steered laptop"),
            "missing": None,
            "unknown": new_token(),
            "revoked": revoked,
        }
        schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json", config=CONFIG)
        yield Fuzzed(server, schema, tokens)


def no_token_in_the_answer(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Whatever token was sent — valid, unknown or revoked — is not in the answer, nor its hash."""
    sent = str(response.request.headers.get("Authorization", "")).removeprefix("Bearer ").strip()
    if len(sent) < 16:
        return None
    answer = response.content.decode("utf-8", "replace") + str(dict(response.headers))
    for secret in (sent, hashlib.sha256(sent.encode()).hexdigest()):
        assert secret not in answer, "the answer carries the token sent (or its hash)"
    return True


def _count(number: float) -> int:
    # JSON Schema counts 2.0 as an integer; the protocol does not (a count is written 2).
    return min(int(number), MAX_COUNT)


def steer(case: Case, fuzz: Fuzzed) -> None:
    """Put a schema-valid push right where the protocol asks for more (see the module docstring)."""
    body: dict[str, Any] = case.body
    now = fuzz.server.clock()
    body["protocol_version"] = PROTOCOL_VERSION
    body["device_id"] = STEERED_INSTALLATION
    body["batch_seq"] = fuzz.next_batch.get(STEERED_INSTALLATION, 1)
    body["schema_version"] = _count(body["schema_version"])
    for i, op in enumerate(body["ops"]):
        op["device_id"] = STEERED_INSTALLATION
        op["op_id"] = f"{i}:{op['op_id']}"
        op["hlc"] = _count(op["hlc"])
        if op["base_seq"] is not None:
            op["base_seq"] = _count(op["base_seq"])
        if i % 2 == 0:
            op["team_id"] = TEAM
            op["entity"] = ENTITIES[len(op["row_id"]) % len(ENTITIES)]
            op["row_id"] = f"row-{len(op['row_id']) % 3}"  # a few records, edited again and again
        if hlc_millis(op["hlc"]) > now + MAX_AHEAD_MS // 2:
            op["hlc"] %= now << 16


def check_answer(case: Case, answer: Response, kind: str, credential: str, fuzz: Fuzzed) -> None:
    """What the schema cannot say about an answer, by the kind of request."""
    status, path = answer.status_code, case.operation.path
    if path == "/v1/health":
        assert status == 200
        return
    if credential not in ("valid", "steered"):
        refusal = ErrorBody.from_json(answer.json())
        # FastAPI reads the body before it looks at the token: a body that is not JSON at all is
        # a 400 whatever the token (so it tells nothing about one). Anything else is the 401.
        if status == 400 and (refusal.message or "").endswith(NOT_JSON):
            return
        assert status == 401, f"{credential} token: {status} {answer.text}"
        # A negative case may send a malformed Authorization header instead of the revoked token.
        sent = str(answer.request.headers.get("Authorization", ""))
        revoked = sent == f"Bearer {fuzz.tokens['revoked']}"
        assert refusal.error == ("device_revoked" if revoked else "unauthorized")
        assert answer.headers.get("www-authenticate") == ["Bearer"]
        return
    # A negative request must be refused: schemathesis's negative_data_rejection knows what was
    # made invalid (when that was only the Authorization header, ours replaced it).
    if status != 200:
        ErrorBody.from_json(answer.json())  # every refusal is an ErrorBody
        assert kind != "steered", f"a steered push was refused: {answer.text}"
        return
    if path == "/v1/pull":
        PullResponse.from_json(answer.json())
        return
    if path == "/v1/me":
        assert Me.from_json(answer.json()).teams == (TEAM,)
        return
    if path == "/v1/digest":
        DigestResponse.from_json(answer.json())
        return
    pushed = PushResponse.from_json(answer.json())
    if kind == "steered":
        assert [r.op_id for r in pushed.results] == [op["op_id"] for op in case.body["ops"]]
        fuzz.next_batch[STEERED_INSTALLATION] = case.body["batch_seq"] + 1


KINDS = {"positive": GenerationMode.POSITIVE, "steered": GenerationMode.POSITIVE,
         "negative": GenerationMode.NEGATIVE}
RUNS = [
    pytest.param(method, path, kind, credential, id=f"{method} {path} {kind} {credential}")
    for method, path in (("POST", "/v1/push"), ("GET", "/v1/pull"), ("GET", "/v1/health"),
                         ("GET", "/v1/me"), ("POST", "/v1/digest"))
    for kind in ("positive", "steered", "negative")
    for credential in ("valid", "missing", "unknown", "revoked")
    # Health and me have no input to break (but the token), and only a push can be steered.
    if not (path in ("/v1/health", "/v1/me") and kind == "negative")
    and not (kind == "steered" and (path != "/v1/push" or credential != "valid"))
]


@pytest.mark.parametrize(("method", "path", "kind", "credential"), RUNS)
def test_the_server_answers_every_request_as_described(
    fuzzed: Fuzzed, method: str, path: str, kind: str, credential: str
) -> None:
    operation = fuzzed.schema[path][method]
    token = fuzzed.tokens["steered" if kind == "steered" else credential]
    headers = fuzzed.server.headers(token) if token else {}

    @given(case=operation.as_strategy(generation_mode=KINDS[kind]))
    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def run(case: Case) -> None:
        if kind == "steered":
            steer(case, fuzzed)
        answer = case.call_and_validate(headers=headers, additional_checks=[no_token_in_the_answer])
        check_answer(case, answer, kind, credential if kind != "steered" else "steered", fuzzed)

    run()
    if kind == "steered":  # the pushes did reach the database
        assert fuzzed.next_batch.get(STEERED_INSTALLATION, 1) > 1


def test_the_described_operations_are_the_ones_fuzzed(fuzzed: Fuzzed) -> None:
    # .ok() raises for an operation schemathesis could not read: that fails here too.
    described = {(r.ok().method.upper(), r.ok().path) for r in fuzzed.schema.get_all_operations()}
    fuzzed_here = {(method, path) for method, path, *_ in (run.values for run in RUNS)}
    assert described == fuzzed_here


def test_everything_the_fuzzing_stored_can_still_be_pulled(fuzzed: Fuzzed) -> None:
    """After all of the above, a client of the team pulls every change, each one well formed."""
    reader = Device(fuzzed.server.url, fuzzed.tokens["valid"] or "")
    try:
        changes = reader.pull_all(limit=7)
    finally:
        reader.close()
    if fuzzed.next_batch:  # the steered pushes ran (they do, unless only this test was chosen)
        assert changes
    assert all(change.team_id == TEAM for change in changes)
    assert httpx.get(f"{fuzzed.server.url}/v1/health").status_code == 200
