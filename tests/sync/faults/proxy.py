"""A small fault-injecting TCP proxy on 127.0.0.1, in threads, in front of the sync server.

Each accepted connection takes the next `Plan` from `plans` (none left: pass everything):
`cut_up` / `cut_down` close the connection after that many bytes towards the server / towards
the client (the bytes before the cut are delivered); `delay` waits before each chunk; `rate`
bytes a second slows a connection down. `up` / `down` count the bytes that went through."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

CHUNK = 4096


@dataclass(frozen=True)
class Plan:
    cut_up: int | None = None
    cut_down: int | None = None
    delay: float = 0.0
    rate: float | None = None  # bytes per second, both ways


class Proxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.plans: list[Plan] = []
        self.default = Plan()
        self.up = 0
        self.down = 0
        self.connections = 0
        self.cuts = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._open: set[socket.socket] = set()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                plan = self.plans.pop(0) if self.plans else self.default
                self.connections += 1
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            link = _Link(self, client, server, plan)
            with self._lock:
                self._open |= {client, server}
            for source, target, budget, way in ((client, server, plan.cut_up, "up"),
                                                (server, client, plan.cut_down, "down")):
                threading.Thread(target=link.pump, args=(source, target, budget, way),
                                 daemon=True).start()

    def count(self, way: str, n: int) -> None:
        with self._lock:
            if way == "up":
                self.up += n
            else:
                self.down += n

    def forget(self, *sockets: socket.socket) -> None:
        with self._lock:
            self._open -= set(sockets)

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        self._thread.join(5)
        with self._lock:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            _close(sock)


class _Link:
    """One proxied connection: two pumps; a cut or an end on either side closes both."""

    def __init__(self, proxy: Proxy, client: socket.socket, server: socket.socket,
                 plan: Plan) -> None:
        self.proxy, self.client, self.server, self.plan = proxy, client, server, plan
        self._closed = threading.Event()

    def pump(self, source: socket.socket, target: socket.socket, budget: int | None,
             way: str) -> None:
        try:
            while not self._closed.is_set():
                data = source.recv(CHUNK)
                if not data:
                    with contextlib.suppress(OSError):
                        target.shutdown(socket.SHUT_WR)
                    return
                if self.plan.delay:
                    time.sleep(self.plan.delay)
                if self.plan.rate:
                    time.sleep(len(data) / self.plan.rate)
                if budget is not None and len(data) >= budget:
                    target.sendall(data[:budget])
                    self.proxy.count(way, budget)
                    with self.proxy._lock:
                        self.proxy.cuts += 1
                    self.cut()
                    return
                target.sendall(data)
                self.proxy.count(way, len(data))
                if budget is not None:
                    budget -= len(data)
        except OSError:
            self.cut()

    def cut(self) -> None:
        if not self._closed.is_set():
            self._closed.set()
            for sock in (self.client, self.server):
                _close(sock)
            self.proxy.forget(self.client, self.server)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


@contextlib.contextmanager
def proxy_to(url: str) -> Iterator[Proxy]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    running = Proxy((host, int(port)))
    try:
        yield running
    finally:
        running.close()
