"""Failed authentication, counted per account and per client address, in the server process.

A token is 256 random bits, so nobody guesses one; the limit is there so a flood of bad tokens
(a misconfigured script, a stolen laptop left retrying, someone trying their luck) costs the
server nothing and fills no log: once a key is over the limit it is answered 429 before any token
is looked up. Counts live in memory and a restart forgets them — an attacker gains one more
window per restart, which is nothing against 256 bits (docs/server.md).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

# A consultant's laptop with a revoked or expired token syncs every 5 minutes: 2 failures in 10
# minutes. 10 of one account in 10 minutes is a script or a person trying, not a laptop.
ACCOUNT_FAILURES = 10
# Unknown tokens count against the address; an office behind one NAT address may have a few
# people mistyping a token at once, so the address gets more room than one account.
ADDRESS_FAILURES = 30
WINDOW_MS = 10 * 60_000
# Keys kept at most (a flood from many addresses must not grow memory without bound): the
# oldest are forgotten first.
MAX_KEYS = 100_000


@dataclass(frozen=True)
class Limit:
    """At most `failures` within `window_ms`; then refused until the oldest of them is older."""

    failures: int
    window_ms: int = WINDOW_MS


class FailureLimiter:
    """Counts failures per key ("address:…", "account:…") in a sliding window; `clock` gives epoch
    milliseconds (the app's, so tests move it instead of sleeping). Requests are handled on a
    thread pool, so one lock guards the counts; it is held for microseconds, never across I/O."""

    def __init__(
        self, clock: Callable[[], int], *, account: Limit = Limit(ACCOUNT_FAILURES),
        address: Limit = Limit(ADDRESS_FAILURES), max_keys: int = MAX_KEYS,
    ) -> None:
        self._clock = clock
        self._limits = {"account": account, "address": address}
        self._max_keys = max_keys
        self._failures: dict[str, deque[int]] = {}
        self._lock = threading.Lock()

    def retry_after_s(self, kind: str, name: str) -> int:
        """0 when `name` may try again now, else the seconds until it may."""
        limit = self._limits[kind]
        with self._lock:
            times = self._recent(f"{kind}:{name}", limit)
            if len(times) < limit.failures:
                return 0
            wait_ms = times[-limit.failures] + limit.window_ms - self._clock()
        return max(1, -(-wait_ms // 1000))

    def failed(self, kind: str, name: str) -> None:
        key = f"{kind}:{name}"
        with self._lock:
            times = self._recent(key, self._limits[kind])
            times.append(self._clock())
            self._failures.pop(key, None)  # to the end: the least recently failed go first
            self._failures[key] = times
            if len(self._failures) > self._max_keys:
                del self._failures[next(iter(self._failures))]

    def _recent(self, key: str, limit: Limit) -> deque[int]:
        times = self._failures.get(key, deque(maxlen=limit.failures))
        start = self._clock() - limit.window_ms
        while times and times[0] <= start:
            times.popleft()
        if not times:
            self._failures.pop(key, None)
        return times
