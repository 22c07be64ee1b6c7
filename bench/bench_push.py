"""Push latency: N display sockets held in one asyncio process (python-socketio AsyncClient,
websocket transport); tickets are called through the API and every ``ticket.called`` is timed
from the call's send time to its receipt on each socket. Then issuing throughput with no
display connected and with --issue-displays connected. One JSON line per phase on stdout;
progress goes to stderr.

    .venv/bin/python bench/bench_push.py [--clients 10 100 500 2000] [--calls 20] [--server gunicorn]
    .venv/bin/python bench/bench_push.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

push   --calls call-next -> finish cycles at one window of the demo hall, a call every 100-200 ms
       (from send to send); p50/p99/max over all deliveries, deliveries missing after 15 s, and
       deliveries a socket got twice. Events come as single ``event`` frames or as coalesced
       ``events`` frames (a list); both count.
issue  16 kiosks issuing back to back for --issue-seconds, in a process of their own so that
       the display sockets do not slow them; events_received is what the displays got meanwhile.

Each line carries the server's CPU (per API request), this benchmark's (client_cpu_s: the
sockets' process and the issuing process), the PostgreSQL backends serving the server, everybody
else's (others_cpu_s) and the 1-min load average. The soft RLIMIT_NOFILE is raised here for the
sockets; the server inherits it (`onestop serve` holds a thread and a file per socket; gunicorn
is started with that many threads). Exit status 1 on API errors, refused sockets or missing
deliveries.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import signal
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import socketio  # noqa: E402

from bench.bench_queue import fresh_database  # noqa: E402
from bench.common import (  # noqa: E402
    Meter,
    Stats,
    cpu_snapshot,
    issue_in_process,
    live_server,
    log,
    percentile,
    post,
    raise_fd_limit,
    server_log_tail,
    session,
    worker_pid,
)

NAMESPACE = "/hall"
CALL_TYPES = frozenset({"ticket.called", "ticket.recalled"})
ITEM = "MZ-01"  # called at the first east window serving it: display-east shows it


class Displays:
    """Display sockets and what they received: per called number, each socket's first arrival."""

    def __init__(self, url: str, token: str):
        self.url, self.token = url, token
        self.sockets: list[socketio.AsyncClient] = []
        self.arrivals: dict[str, dict[int, float]] = {}
        self.events = self.duplicates = self.refused = 0

    def _record(self, index: int, event, at: float) -> None:
        self.events += 1
        if isinstance(event, dict) and event.get("type") in CALL_TYPES:
            got = self.arrivals.setdefault(event["data"]["number"], {})
            if index in got:
                self.duplicates += 1
            else:
                got[index] = at

    def _client(self, index: int) -> socketio.AsyncClient:
        sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)

        def on_event(event) -> None:
            self._record(index, event, time.perf_counter())

        def on_events(events) -> None:
            at = time.perf_counter()
            for event in events if isinstance(events, list) else [events]:
                self._record(index, event, at)

        sio.on("event", on_event, namespace=NAMESPACE)
        sio.on("events", on_events, namespace=NAMESPACE)
        return sio

    async def connect(self, count: int, parallel: int = 50) -> float:
        """Connect ``count`` more sockets, ``parallel`` at a time; returns the seconds it took."""
        gate, start = asyncio.Semaphore(parallel), time.perf_counter()

        async def one(index: int) -> None:
            sio = self._client(index)
            async with gate:
                try:
                    await sio.connect(
                        self.url,
                        namespaces=[NAMESPACE],
                        auth={"token": self.token},
                        transports=["websocket"],
                        wait_timeout=30,
                    )
                except socketio.exceptions.ConnectionError as exc:
                    if not self.refused:
                        log(f"socket refused: {exc}")
                    self.refused += 1
                    return
            self.sockets.append(sio)

        first = len(self.sockets) + self.refused
        await asyncio.gather(*(one(i) for i in range(first, first + count)))
        return round(time.perf_counter() - start, 2)

    def held(self) -> int:
        return sum(1 for s in self.sockets if s.connected)

    async def close(self) -> None:
        closing = asyncio.gather(*(s.disconnect() for s in self.sockets), return_exceptions=True)
        try:
            await asyncio.wait_for(closing, 60)
        except TimeoutError:
            log("some sockets did not close within 60 s")
        self.sockets.clear()


class Bench:
    def __init__(self, args, server, pool):
        self.args, self.server, self.pool = args, server, pool
        self.url, self.pid, self.hall = server.url, server.process.pid, server.hall
        self.run, self.rids = uuid.uuid4().hex[:6], itertools.count()
        self.rng = random.Random(1)
        self.clerk: dict[str, str] = {}
        self.window = 0
        self.items: list[str] = []  # every item some window serves: what the issue phase draws
        self.failed = False

    def rid(self) -> str:
        return f"{self.run}-{next(self.rids)}"

    def api(self, path: str) -> str:
        return f"{self.url}/api/v1/halls/{self.hall}{path}"

    def emit(self, line: dict) -> None:
        head = {"bench": "push", "server": self.args.server}
        head["db"] = "postgresql" if self.args.database_url else "sqlite"
        print(json.dumps(head | line), flush=True)
        log(f"  {json.dumps(line)[:240]}")

    async def quiet(self, limit: float = 60) -> None:
        """Wait until the server is idle (connects and disconnects write presence)."""
        deadline = time.monotonic() + limit
        before = cpu_snapshot(self.pid)["server"]
        while time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            now = cpu_snapshot(self.pid)["server"]
            if now - before < 0.05:
                return
            before = now

    async def sign_in(self, s) -> None:
        stats = Stats()
        body = {"hall": self.hall, "username": "clerk1"}
        body["password"] = self.server.password("clerk1")
        answer = await post(s, f"{self.url}/api/v1/auth/login", body, {}, stats)
        self.clerk = {"Authorization": f"Bearer {answer['token']}"}
        async with s.get(self.api("/catalog"), headers=self.clerk) as r:
            catalog = await r.json()
        self.window = next(
            w["number"] for w in catalog["windows"] if ITEM in w["items"] and w["area"] == "east"
        )
        sign_in, body = self.api(f"/windows/{self.window}/sign-in"), {"request_id": self.rid()}
        await post(s, sign_in, body, self.clerk, stats)
        self.items = sorted({i for w in catalog["windows"] for i in w["items"]})
        if stats.errors:
            raise RuntimeError(f"could not sign in: {dict(stats.errors)}")

    async def tickets(self, s, count: int) -> None:
        """Issue the tickets the calls will call (before the displays connect)."""
        stats, kiosk = Stats(), {"Authorization": f"Bearer {self.server.kiosk_token}"}
        for _ in range(count):
            body = {"item_code": ITEM, "request_id": self.rid()}
            await post(s, self.api("/tickets"), body, kiosk, stats)
        self.failed |= bool(stats.errors)

    async def calls(self, s, displays: Displays, stats: Stats) -> dict[str, float]:
        """--calls call-next -> finish cycles; returns the send time of each number's call."""
        sent, next_at = {}, time.perf_counter()
        for _ in range(self.args.calls):
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            at = time.perf_counter()
            next_at = at + self.rng.uniform(0.1, 0.2)
            path = f"/windows/{self.window}"
            answer = await post(
                s, self.api(f"{path}/call-next"), {"request_id": self.rid()}, self.clerk, stats, at
            )
            if answer is None or answer["ticket"] is None:
                continue
            sent[answer["ticket"]["number"]] = at
            await post(s, self.api(f"{path}/finish"), {"request_id": self.rid()}, self.clerk, stats)
        deadline = time.perf_counter() + 15
        expected = len(displays.sockets)
        while time.perf_counter() < deadline and any(
            len(displays.arrivals.get(n, ())) < expected for n in sent
        ):
            await asyncio.sleep(0.01)
        return sent


async def push_phase(b: Bench, s, clients: int) -> None:
    await b.tickets(s, b.args.calls)
    displays = Displays(b.url, b.server.device_token("display-east"))
    connect_s = await displays.connect(clients)
    await b.quiet()
    stats = Stats()
    with Meter(b.pid) as m:
        sent = await b.calls(s, displays, stats)
    held, expected = displays.held(), len(displays.sockets)
    ms = [(at - sent[n]) * 1000 for n in sent for at in displays.arrivals.get(n, {}).values()]
    missing = sum(expected - len(displays.arrivals.get(n, {})) for n in sent)
    await displays.close()
    await b.quiet()
    line = {
        "phase": "push",
        "clients": clients,
        "connect_s": connect_s,
        "refused": displays.refused,
    }
    line |= {"sockets_held": held, "calls": len(sent), "deliveries": len(ms)}
    line |= {"p50_ms": percentile(ms, 0.5), "p99_ms": percentile(ms, 0.99)}
    line |= {"max_ms": round(max(ms), 2) if ms else None, "missing_deliveries": missing}
    line |= {"duplicate_deliveries": displays.duplicates, "api": stats.fields(m.duration)}
    b.emit(line | m.fields(line["api"]["requests"]))
    b.failed |= bool(stats.errors or displays.refused or missing)


async def issue_phase(b: Bench, count: int) -> None:
    displays = Displays(b.url, b.server.device_token("display-east"))
    connect_s = await displays.connect(count) if count else 0.0
    await b.quiet()
    tokens = [b.server.device_token("kiosk-1"), b.server.device_token("kiosk-2")]
    seconds, loop, events = b.args.issue_seconds, asyncio.get_running_loop(), displays.events
    with Meter(b.pid) as m:
        ms, errors, _numbers = await loop.run_in_executor(
            b.pool, issue_in_process, b.url, b.hall, tokens, b.items, 16, b.rid(), seconds
        )
    events = displays.events - events
    held = displays.held()
    await displays.close()
    await b.quiet()
    stats = Stats(ms, errors)
    line = {"phase": "issue", "displays": count, "connect_s": connect_s, "sockets_held": held}
    line |= {"clients": 16} | stats.fields(m.duration)
    line |= {"events_received": events, "events_per_s": round(events / m.duration, 1)}
    b.emit(line | m.fields(line["requests"]))
    b.failed |= bool(stats.errors or displays.refused)


async def phases(b: Bench) -> None:
    async with session() as s:
        await b.sign_in(s)
        for clients in b.args.clients:
            log(f"push: {clients} sockets")
            await push_phase(b, s, clients)
    if b.args.issue_seconds > 0:
        await asyncio.get_running_loop().run_in_executor(b.pool, worker_pid)  # spawned, imported
        for count in (0, b.args.issue_displays):
            log(f"issue: {count} displays")
            await issue_phase(b, count)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 100, 500, 2000])
    parser.add_argument("--calls", type=int, default=20, help="calls per phase")
    parser.add_argument("--issue-displays", type=int, default=500)
    parser.add_argument("--issue-seconds", type=float, default=5, help="0 skips the issue phases")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--server", choices=["serve", "gunicorn"], default="serve")
    args = parser.parse_args()
    most = max([*args.clients, args.issue_displays])
    limit = raise_fd_limit(2 * most + 1024)
    if limit < most + 256:
        log(f"warning: RLIMIT_NOFILE is {limit}; {most} sockets may not fit")
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with tempfile.TemporaryDirectory(prefix="onestop-push-") as tmp:
        try:
            with fresh_database(args.database_url, Path(tmp)) as url:
                server = live_server(Path(tmp), url, args.server, threads=most + 64)
                server.prepare()
                server.start()
                try:
                    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
                        b = Bench(args, server, pool)
                        asyncio.run(phases(b))
                finally:
                    server.stop()
                if b.failed:
                    log(f"server log ends with:\n{server_log_tail(server)}")
        except KeyboardInterrupt:
            log("interrupted; server stopped and database removed")
            return 130
    return 1 if b.failed else 0


if __name__ == "__main__":
    sys.exit(main())
