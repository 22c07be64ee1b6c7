"""Push latency: call tickets through the API and time until each of N connected display
sockets receives the ``ticket.called`` event. Prints one JSON line per N.

    .venv/bin/python bench/bench_push.py --clients 10 100 500 --calls 20
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import socketio  # noqa: E402

from clientlib.api import ApiClient  # noqa: E402
from tests.live_server import LiveServer  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Display:
    def __init__(self, url: str, token: str, received: dict, lock: threading.Lock):
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("event", self.on_event, namespace="/hall")
        self.url, self.token, self.received, self.lock = url, token, received, lock

    def connect(self) -> None:
        self.sio.connect(
            self.url,
            namespaces=["/hall"],
            auth={"token": self.token},
            transports=["websocket"],
            wait_timeout=30,
        )

    def on_event(self, event: dict) -> None:
        if event.get("type") == "ticket.called":
            at = time.perf_counter()
            with self.lock:
                self.received.setdefault(event["data"]["number"], []).append(at)


def run(server: LiveServer, clients: int, calls: int) -> dict:
    received: dict[str, list[float]] = {}
    lock = threading.Lock()
    displays = [
        Display(server.url, server.device_token("display-east"), received, lock)
        for _ in range(clients)
    ]
    for d in displays:
        d.connect()
    kiosk = ApiClient(server.url, server.hall, server.kiosk_token, timeout=30)
    clerk = ApiClient(server.url, server.hall, timeout=30)
    clerk.login("clerk1", server.password("clerk1"))
    window = next(
        w["number"]
        for w in clerk.catalog()["windows"]
        if "MZ-01" in w["items"] and w["area"] == "east"
    )
    clerk.window_action(window, "sign-in")  # a no-op when this clerk is already signed in there
    latencies, missing = [], 0
    for _ in range(calls):
        kiosk.issue_ticket("MZ-01", request_id=f"b-{clients}-{time.perf_counter_ns()}")
        sent = time.perf_counter()
        number = clerk.window_action(window, "call-next")["ticket"]["number"]
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with lock:
                got = len(received.get(number, []))
            if got >= clients:
                break
            time.sleep(0.002)
        with lock:
            arrivals = list(received.get(number, []))
        missing += clients - len(arrivals)
        latencies += [(at - sent) * 1000 for at in arrivals]
        clerk.window_action(window, "finish")
    held = sum(1 for d in displays if d.sio.connected)
    closers = [threading.Thread(target=d.sio.disconnect, daemon=True) for d in displays]
    for t in closers:  # a websocket close waits for the peer's close frame: do them all at once
        t.start()
    for t in closers:
        t.join(timeout=10)
    return {
        "bench": "push_latency",
        "clients": clients,
        "sockets_held": held,
        "calls": calls,
        "p50_ms": round(statistics.median(latencies), 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99), 2) if latencies else None,
        "max_ms": round(max(latencies), 2) if latencies else None,
        "missing_deliveries": missing,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument(
        "--gunicorn", action="store_true", help="serve with gunicorn -w 1 --threads 1000"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(Path(tmp), gunicorn=args.gunicorn, threads=1000)
        server.prepare()
        server.start()
        try:
            for n in args.clients:
                print(
                    json.dumps(
                        run(server, n, args.calls)
                        | {"server": "gunicorn" if args.gunicorn else "onestop serve"}
                    ),
                    flush=True,
                )
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
