"""Shared pieces of bench_hall.py and bench_push.py: CPU accounting from /proc, latency
summaries, an asyncio HTTP client (aiohttp) and the server under test.

CPU over a phase is split four ways so that a noisy run shows itself: the server's process tree
(``onestop serve``, or gunicorn's master and worker), this benchmark's own processes, the local
PostgreSQL backends serving the server's connections, and everything else on the machine
(``/proc/stat`` minus the other three: other programs, other PostgreSQL sessions, the kernel).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import os
import re
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from bench.bench_queue import log, percentile  # noqa: E402
from tests.live_server import LiveServer  # noqa: E402

__all__ = ["log", "percentile"]
CLK_TCK = os.sysconf("SC_CLK_TCK")
TIMEOUT = aiohttp.ClientTimeout(total=60)


# -- CPU ------------------------------------------------------------------------------------
def _processes() -> dict[int, tuple[int, str, float, float]]:
    """pid -> (ppid, name, own CPU s, CPU s of its reaped children) for every process."""
    out = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                raw = f.read().decode(errors="replace")
        except OSError:  # exited meanwhile
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        f = raw[raw.rindex(")") + 2 :].split()  # f[0] is field 3 (state)
        own, reaped = (int(f[11]) + int(f[12])) / CLK_TCK, (int(f[13]) + int(f[14])) / CLK_TCK
        out[int(entry.name)] = (int(f[1]), name, own, reaped)
    return out


def _tree(procs: dict, root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, (ppid, *_rest) in procs.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in procs and pid not in found:
            found.add(pid)
            todo += children.get(pid, [])
    return found


def _ports(pids: set[int]) -> set[int]:
    """Local TCP ports of the sockets these processes hold."""
    inodes = set()
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in os.scandir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    link = os.readlink(fd.path)
                    if link.startswith("socket:["):
                        inodes.add(link[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as f:
            for row in f.readlines()[1:]:
                cols = row.split()
                if cols[9] in inodes:
                    ports.add(int(cols[1].rsplit(":", 1)[1], 16))
    return ports


def _postgres_backends(procs: dict, server: set[int]) -> dict[int, float]:
    """pid -> CPU s of the local PostgreSQL backends serving the server's connections (their
    title ends in the client's address, ``postgres: 15/main: user db 127.0.0.1(48184) idle``)."""
    backends = {p: v[2] for p, v in procs.items() if v[1] == "postgres"}
    if not backends:
        return {}
    ports, out = _ports(server), {}
    for pid, cpu in backends.items():
        with contextlib.suppress(OSError), open(f"/proc/{pid}/cmdline", "rb") as f:
            title = f.read().decode(errors="replace")
            match = re.search(r"\((\d+)\)", title)
            if match and int(match.group(1)) in ports:
                out[pid] = cpu
    return out


def machine_busy_s() -> float:
    """CPU seconds the whole machine has been busy (all but idle and iowait) since boot."""
    with open("/proc/stat") as f:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(
            int, f.readline().split()[1:9]
        )
    return (user + nice + system + irq + softirq + steal) / CLK_TCK


def cpu_snapshot(server_pid: int) -> dict:
    procs = _processes()
    server = _tree(procs, server_pid)
    me = os.getpid()
    bench = _tree(procs, me) - server
    return {
        "at": time.perf_counter(),
        "total": machine_busy_s(),
        "server": sum(procs[p][2] + procs[p][3] for p in server),
        # this process without its reaped children (the server, set-up commands), plus any
        # live helper process it started (the issuing process of bench_push)
        "client": procs[me][2] + sum(procs[p][2] + procs[p][3] for p in bench - {me}),
        "postgres": _postgres_backends(procs, server),
    }


class Meter:
    """``with Meter(pid) as m: ...`` then ``m.fields(requests)``: wall time and CPU split."""

    def __init__(self, server_pid: int):
        self.pid = server_pid
        self.start = self.end = {}

    def __enter__(self) -> Meter:
        self.start = cpu_snapshot(self.pid)
        return self

    def __exit__(self, *exc) -> None:
        self.end = cpu_snapshot(self.pid)

    @property
    def duration(self) -> float:
        return self.end["at"] - self.start["at"]

    def fields(self, requests: int) -> dict:
        d = {k: self.end[k] - self.start[k] for k in ("total", "server", "client")}
        before = self.start["postgres"]  # per backend: one opened meanwhile counts from 0
        d["postgres"] = sum(
            (cpu - before.get(p, 0.0) for p, cpu in self.end["postgres"].items()), 0.0
        )
        others = d["total"] - d["server"] - d["client"] - d["postgres"]
        return {
            "duration_s": round(self.duration, 2),
            "server_cpu_s": round(d["server"], 2),
            "server_cpu_ms_per_req": round(1000 * d["server"] / requests, 2) if requests else None,
            "client_cpu_s": round(d["client"], 2),
            "postgres_cpu_s": round(d["postgres"], 2),
            "others_cpu_s": round(max(others, 0.0), 2),  # jiffy rounding can dip below 0
            "load_1m": round(os.getloadavg()[0], 2),
        }


# -- latencies ------------------------------------------------------------------------------
class Stats:
    """Latencies (ms) of the requests that got 200, and the others counted by status."""

    def __init__(self, ms: list[float] | None = None, errors: dict | None = None):
        self.ms: list[float] = ms or []
        self.errors: Counter[str] = Counter(errors or {})

    def fields(self, duration: float) -> dict:
        done = len(self.ms) + sum(self.errors.values())
        return {
            "requests": done,
            "req_per_s": round(done / duration, 1) if duration else None,
            "p50_ms": percentile(self.ms, 0.5),
            "p99_ms": percentile(self.ms, 0.99),
            "max_ms": round(max(self.ms), 2) if self.ms else None,
            "errors": sum(self.errors.values()),
            "errors_by_status": dict(self.errors),
        }

    def merged(self, *others: Stats) -> Stats:
        out = Stats(list(self.ms), dict(self.errors))
        for o in others:
            out.ms += o.ms
            out.errors.update(o.errors)
        return out


async def post(session, url: str, body: dict, headers: dict, stats: Stats, sent=None):
    """POST and record it in ``stats``; latency counts from ``sent`` (default: now). Returns the
    JSON answer, or None when the request failed or was not answered 200."""
    sent = time.perf_counter() if sent is None else sent
    try:
        async with session.post(url, json=body, headers=headers) as r:
            answer = await (r.json() if r.status == 200 else r.text())
    except (TimeoutError, aiohttp.ClientError) as exc:
        what, answer = type(exc).__name__, str(exc)
    else:
        if r.status == 200:
            stats.ms.append((time.perf_counter() - sent) * 1000)
            return answer
        what = str(r.status)
    if what not in stats.errors:
        log(f"error {what} from {url.rsplit('/', 2)[-2:]}: {answer[:200]}")
    stats.errors[what] += 1
    return None


def session(keepalive: bool = True, limit: int = 1) -> aiohttp.ClientSession:
    """An HTTP client holding ``limit`` connections, or opening a new one for each request."""
    connector = aiohttp.TCPConnector(limit=limit, force_close=not keepalive)
    return aiohttp.ClientSession(connector=connector, timeout=TIMEOUT)


async def issue_loop(
    url: str,
    hall: str,
    tokens: list[str],
    items: list[str],
    clients: int,
    run: str,
    seconds: float | None = None,
    count: int | None = None,
    keepalive: bool = True,
) -> tuple[Stats, list[str]]:
    """``clients`` kiosks issue back to back for ``seconds`` or until ``count`` tickets are out;
    returns the stats and the ticket numbers issued."""
    stats, numbers = Stats(), []
    deadline = time.perf_counter() + (seconds if seconds is not None else 3600)
    endpoint = f"{url}/api/v1/halls/{hall}/tickets"

    async def kiosk(k: int) -> None:
        headers = {"Authorization": f"Bearer {tokens[k % len(tokens)]}"}
        async with session(keepalive) as s:
            for i in itertools.count():
                if time.perf_counter() >= deadline or (count is not None and len(numbers) >= count):
                    return
                body = {"item_code": items[(k + i) % len(items)], "request_id": f"{run}-{k}-{i}"}
                answer = await post(s, endpoint, body, headers, stats)
                if answer is not None:
                    numbers.append(answer["ticket"]["number"])

    await asyncio.gather(*(kiosk(k) for k in range(clients)))
    return stats, numbers


def issue_in_process(*args, **kwargs) -> tuple[list[float], dict, list[str]]:
    """issue_loop in a process of its own (for ProcessPoolExecutor); plain data back."""
    stats, numbers = asyncio.run(issue_loop(*args, **kwargs))
    return stats.ms, dict(stats.errors), numbers


def worker_pid() -> int:
    """For warming up a ProcessPoolExecutor: the worker starts and imports this module."""
    return os.getpid()


# -- the server -----------------------------------------------------------------------------
def live_server(tmp: Path, database_url: str | None, kind: str, threads: int = 0) -> LiveServer:
    """LiveServer for ``kind`` "serve" or "gunicorn"; ``threads`` (gunicorn's --threads) is passed
    only while LiveServer still takes it."""
    kwargs = {"database_url": database_url, "gunicorn": kind == "gunicorn"}
    if threads and "threads" in inspect.signature(LiveServer).parameters:
        kwargs["threads"] = threads
    return LiveServer(tmp, **kwargs)


def raise_fd_limit(want: int) -> int:
    """Raise this process's soft RLIMIT_NOFILE towards ``want`` (the server, started from here,
    inherits it); returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    new = max(soft, want if hard == resource.RLIM_INFINITY else min(want, hard))
    if new != soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
    return new


def server_log_tail(server: LiveServer, chars: int = 3000) -> str:
    try:
        return server.log_path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""
