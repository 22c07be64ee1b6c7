"""The driver's REST client (aiohttp, one session for every actor): a request id on every
command kept across retries, and each answer's latency recorded by endpoint kind."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import aiohttp

RETRIES = 2  # after a dropped connection or a 5xx, with the same request id
FAILURES_KEPT = 20


@dataclass
class Reply:
    status: int  # 0: no answer (connection failed, timed out)
    body: Any
    sent: float  # monotonic
    answered: float

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def code(self) -> str | None:
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return self.body["error"].get("code")
        return None


@dataclass
class Recorder:
    """Per endpoint kind: latencies (ms) of 200 answers, answers by status, expected refusals
    (a no-show refused as too soon, say) and the first unexpected failures in full."""

    ms: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: defaultdict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    refused: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def add(self, kind: str, reply: Reply, expected: frozenset[str]) -> None:
        self.statuses[kind][str(reply.status)] += 1
        if reply.ok:
            self.ms[kind].append((reply.answered - reply.sent) * 1000)
        elif reply.code in expected:
            self.refused[kind] += 1
        elif len(self.failures) < FAILURES_KEPT:
            self.failures.append(f"{kind}: {reply.status} {str(reply.body)[:200]}")

    def unexpected(self, kind: str | None = None) -> int:
        """Answers that were neither 200 nor an expected refusal."""
        kinds = [kind] if kind else list(self.statuses)
        total = sum(n for k in kinds for s, n in self.statuses[k].items() if s != "200")
        return total - sum(self.refused[k] for k in kinds)

    def server_errors(self) -> int:
        return sum(n for c in self.statuses.values() for s, n in c.items() if s.startswith("5"))

    def requests(self) -> int:
        return sum(sum(c.values()) for c in self.statuses.values())


class Api:
    def __init__(self, session: aiohttp.ClientSession, base_url: str, hall: str, run: str):
        self.session, self.base, self.hall = session, base_url.rstrip("/"), hall
        self.run = run or uuid.uuid4().hex[:8]
        self.recorder = Recorder()
        self._ids = itertools.count(1)

    def rid(self) -> str:
        return f"sim-{self.run}-{next(self._ids)}"

    def hall_path(self, path: str) -> str:
        return f"/api/v1/halls/{self.hall}{path}"

    async def post(
        self,
        kind: str,
        path: str,
        token: str | None,
        body: dict | None = None,
        expected: frozenset[str] | set[str] = frozenset(),
    ) -> Reply:
        headers = {"Idempotency-Key": self.rid()}
        return await self._send(kind, "POST", path, token, body or {}, headers, frozenset(expected))

    async def get(self, kind: str, path: str, token: str | None) -> Reply:
        return await self._send(kind, "GET", path, token, None, {}, frozenset())

    async def _send(self, kind, method, path, token, body, headers, expected) -> Reply:
        if token:
            headers["Authorization"] = f"Bearer {token}"
        url = self.base + path
        for attempt in range(RETRIES + 1):
            sent = time.monotonic()
            try:
                async with self.session.request(method, url, json=body, headers=headers) as r:
                    try:
                        answer = await r.json(content_type=None)
                    except ValueError:
                        answer = None
                    reply = Reply(r.status, answer, sent, time.monotonic())
            except (TimeoutError, aiohttp.ClientError) as exc:
                reply = Reply(0, f"{type(exc).__name__}: {exc}", sent, time.monotonic())
            if (reply.status == 0 or reply.status >= 500) and attempt < RETRIES:
                self.recorder.add(kind, reply, expected)  # every 5xx counts, even if retried
                await asyncio.sleep(0.2 * (attempt + 1))
                continue
            self.recorder.add(kind, reply, expected)
            return reply
        raise AssertionError("unreachable")


def new_session(connections: int = 64) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=connections, limit_per_host=connections)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30))
