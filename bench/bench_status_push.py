"""Residents' phones on the push channel: N phones each follow their own ticket (auth
``{"status": token}``, the ticket's own room) while a window calls the line. Each call moves
every phone's place, so one event costs one hall-wide status read (batched, at most one every
``EVERY_SECONDS``) and a frame to each phone whose status changed. One JSON line per phase on
stdout; progress goes to stderr.

    .venv/bin/python bench/bench_status_push.py [--phones 10 100 500] [--calls 5]
    .venv/bin/python bench/bench_status_push.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

status  --phones tickets of one item are issued, one phone connects per ticket; then --calls
        call-next -> finish cycles at a window serving it, 3 s apart (longer than the refresh
        interval, so each call is measured on its own). Per call: the called phone's latency
        (urgent path), every other phone's latency until its moved place arrived (p50/p99/max),
        frames received, the server's CPU per call (ms) and per phone per call (us).
Exit status 1 on API errors, refused sockets or phones that never heard of a call.

Measured here (2 CPUs, SQLite, `onestop serve`; the 0-phone phase is the calls' own cost):
phones 10/100/500 -> frames per call 14/104/504, called phone p50 12/10/14 ms, moved p50
507/518/590 ms (the 0.5 s settle), server CPU per call 44/50/144 ms against 48 ms with no
phone: about 0.2 ms per phone and call at 500 phones (one line simulation per refresh, not one
per phone: reading each phone's status on its own cost 4.7 ms per phone and call).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import socketio  # noqa: E402

from bench.bench_queue import fresh_database  # noqa: E402
from bench.common import (  # noqa: E402
    Meter,
    Stats,
    live_server,
    log,
    percentile,
    post,
    raise_fd_limit,
    server_log_tail,
    session,
)

NAMESPACE = "/hall"
ITEM = "MZ-01"
GAP_S = 3.0


class Phones:
    """Phone sockets; per phone, every status it got with its arrival time."""

    def __init__(self, url: str):
        self.url = url
        self.sockets: list[socketio.AsyncClient] = []
        self.got: dict[int, list[tuple[float, dict]]] = {}
        self.refused = 0

    async def connect(self, tokens: list[str], parallel: int = 50) -> float:
        gate, start = asyncio.Semaphore(parallel), time.perf_counter()

        async def one(index: int, token: str) -> None:
            sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)
            self.got[index] = []
            sio.on(
                "status",
                lambda s, i=index: self.got[i].append((time.perf_counter(), s)),
                namespace=NAMESPACE,
            )
            async with gate:
                try:
                    await sio.connect(
                        self.url,
                        namespaces=[NAMESPACE],
                        auth={"status": token},
                        transports=["websocket"],
                        wait_timeout=30,
                    )
                except socketio.exceptions.ConnectionError as exc:
                    if not self.refused:
                        log(f"phone refused: {exc}")
                    self.refused += 1
                    return
            self.sockets.append(sio)

        await asyncio.gather(*(one(i, t) for i, t in enumerate(tokens)))
        return round(time.perf_counter() - start, 2)

    def frames(self) -> int:
        return sum(len(v) for v in self.got.values())

    async def close(self) -> None:
        await asyncio.gather(*(s.disconnect() for s in self.sockets), return_exceptions=True)
        self.sockets.clear()


class Bench:
    def __init__(self, args, server):
        self.args, self.server, self.url, self.hall = args, server, server.url, server.hall
        self.pid = server.process.pid
        self.run, self.n = uuid.uuid4().hex[:6], 0
        self.clerk: dict[str, str] = {}
        self.window = 0
        self.failed = False
        self.baseline_ms = 0.0

    def rid(self) -> str:
        self.n += 1
        return f"{self.run}-{self.n}"

    def api(self, path: str) -> str:
        return f"{self.url}/api/v1/halls/{self.hall}{path}"

    def emit(self, line: dict) -> None:
        head = {"bench": "status_push", "db": "postgresql" if self.args.database_url else "sqlite"}
        print(json.dumps(head | line), flush=True)
        log(f"  {json.dumps(line)[:240]}")

    async def sign_in(self, s) -> None:
        stats = Stats()
        body = {"hall": self.hall, "username": "clerk1", "password": self.server.password("clerk1")}
        answer = await post(s, f"{self.url}/api/v1/auth/login", body, {}, stats)
        self.clerk = {"Authorization": f"Bearer {answer['token']}"}
        async with s.get(self.api("/catalog"), headers=self.clerk) as r:
            catalog = await r.json()
        self.window = next(w["number"] for w in catalog["windows"] if ITEM in w["items"])
        await post(
            s, self.api(f"/windows/{self.window}/sign-in"), {"request_id": self.rid()}, self.clerk, stats
        )  # fmt: skip
        if stats.errors:
            raise RuntimeError(f"could not sign in: {dict(stats.errors)}")

    async def tickets(self, s, count: int) -> list[tuple[str, str]]:
        stats, kiosk = Stats(), {"Authorization": f"Bearer {self.server.kiosk_token}"}
        out = []
        for _ in range(count):
            body = {"item_code": ITEM, "request_id": self.rid()}
            answer = await post(s, self.api("/tickets"), body, kiosk, stats)
            if answer:
                out.append((answer["ticket"]["number"], answer["status_token"]))
        self.failed |= bool(stats.errors)
        return out


async def status_phase(b: Bench, s, count: int) -> None:
    tickets = await b.tickets(s, count + b.args.calls)
    numbers = [n for n, _ in tickets]
    phones = Phones(b.url)
    connect_s = await phones.connect([t for _, t in tickets])
    await asyncio.sleep(GAP_S)  # the connect snapshots are in
    stats, called_ms, moved_ms, silent = Stats(), [], [], 0
    frames_before = phones.frames()
    path = f"/windows/{b.window}"
    with Meter(b.pid) as m:
        for _ in range(b.args.calls):
            seen = {i: len(v) for i, v in phones.got.items()}
            sent = time.perf_counter()
            answer = await post(
                s, b.api(f"{path}/call-next"), {"request_id": b.rid()}, b.clerk, stats
            )
            if not answer or not answer.get("ticket"):
                continue
            called = numbers.index(answer["ticket"]["number"])
            await asyncio.sleep(GAP_S)
            for i, got in phones.got.items():
                new = got[seen[i] :]
                if not new:
                    silent += 1 if got and got[-1][1].get("state") == "waiting" else 0
                    continue
                (called_ms if i == called else moved_ms).append((new[0][0] - sent) * 1000)
            await post(s, b.api(f"{path}/finish"), {"request_id": b.rid()}, b.clerk, stats)
    frames = phones.frames() - frames_before
    await phones.close()
    await drain(b, s)
    fields = m.fields(stats.fields(m.duration)["requests"])
    calls = b.args.calls
    line = {"phase": "status", "phones": count, "connect_s": connect_s, "refused": phones.refused}
    line |= {"calls": calls, "frames": frames, "frames_per_call": round(frames / calls, 1)}
    line |= {
        "called_p50_ms": percentile(called_ms, 0.5),
        "called_max_ms": round(max(called_ms), 1) if called_ms else None,
        "moved_p50_ms": percentile(moved_ms, 0.5),
        "moved_p99_ms": percentile(moved_ms, 0.99),
        "moved_max_ms": round(max(moved_ms), 1) if moved_ms else None,
        "waiting_phones_not_told": silent,
    }
    # the idle gaps count too, but an idle server costs ~0: this is what the calls cost
    server_ms = 1000 * fields["server_cpu_s"] / calls
    if not count:
        b.baseline_ms = server_ms
    extra = server_ms - b.baseline_ms
    line |= {
        "server_cpu_ms_per_call": round(server_ms, 1),  # the call-next + finish requests too
        "phones_cpu_ms_per_call": round(extra, 1),  # above the 0-phone phase: the phones' cost
        "phones_cpu_us_per_phone_call": round(1000 * extra / count, 1) if count else None,
        "api_errors": stats.fields(m.duration)["errors"],
    }
    b.emit(line | {k: fields[k] for k in ("server_cpu_s", "client_cpu_s", "load_1m")})
    b.failed |= bool(stats.errors or phones.refused or silent)
    b.failed |= bool(count) and len(called_ms) < calls


async def drain(b: Bench, s) -> None:
    """Call and finish whatever is left in the line, so the next phase starts from an empty one."""
    path, stats = f"/windows/{b.window}", Stats()
    while True:
        answer = await post(s, b.api(f"{path}/call-next"), {"request_id": b.rid()}, b.clerk, stats)
        if not answer or not answer.get("ticket"):
            return
        await post(s, b.api(f"{path}/finish"), {"request_id": b.rid()}, b.clerk, stats)


async def phases(b: Bench) -> None:
    async with session() as s:
        await b.sign_in(s)
        for count in [0, *b.args.phones]:  # 0: what the calls cost with no phone connected
            log(f"status: {count} phones")
            await status_phase(b, s, count)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--calls", type=int, default=5, help="calls per phase")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--server", choices=["serve", "gunicorn"], default="serve")
    args = parser.parse_args()
    most = max(args.phones)
    raise_fd_limit(2 * most + 1024)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with tempfile.TemporaryDirectory(prefix="onestop-status-") as tmp:
        try:
            with fresh_database(args.database_url, Path(tmp)) as url:
                server = live_server(Path(tmp), url, args.server, threads=most + 64)
                server.prepare()
                server.start()
                try:
                    b = Bench(args, server)
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
