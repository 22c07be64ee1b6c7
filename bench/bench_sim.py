"""Simulator speed: a 150-window hall and a 10,000-ticket day (target: the simulation itself in
at most 10 s on the 2-CPU machine). One JSON line per phase (wall time, CPU of this process,
1-minute load average) on stdout; progress on stderr.

    .venv/bin/python bench/bench_sim.py [--windows 150 --tickets 10000 --seed 1] [--profile]

Phases: ``config`` (build and validate the hall), ``arrivals`` (draw the day), ``simulate``
(the event loop with the server's calling policy and the figures), ``erlang`` (Erlang A
windows needed per item group and half hour), ``check`` (every leg has an outcome, the served
were called, and the simulation took at most 10 s: exit 1 otherwise). ``--profile`` prints the top of a cProfile of the simulation to stderr;
``--naive`` swaps the indexed line for ``choose_next`` over the whole line at every call (what
the index saves: O(n) per call instead of O(items log n)).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.domain.erlang import servers_needed  # noqa: E402
from backend.domain.estimate import linked_items  # noqa: E402
from backend.domain.queue_policy import choose_next  # noqa: E402
from backend.hallconfig import parse_config  # noqa: E402
from backend.sim import engine  # noqa: E402
from backend.sim.engine import simulate  # noqa: E402
from backend.sim.line import Line  # noqa: E402
from backend.sim.model import arrivals, default_roster, named_profile  # noqa: E402

DAY = date(2026, 12, 2)  # a Wednesday
DEPARTMENTS = ["MZ", "RS", "YB", "WJ", "HJ", "SF"]
TARGET = 15.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def big_hall(windows: int, seed: int) -> dict:
    """Six departments of five items each; most windows serve three to five items of their
    department in a shuffled order, one in ten is comprehensive across two departments."""
    rng = random.Random(seed)
    items = []
    for d, dept in enumerate(DEPARTMENTS):
        for k in range(5):
            items.append(
                {
                    "code": f"{dept}-{k + 1:02d}",
                    "name": {"zh": f"{dept}事项{k + 1}"},
                    "department": dept,
                    "prefix": chr(ord("A") + d),
                    "kind": "immediate",
                    "service_minutes": rng.choice([3, 5, 6, 8, 10, 12, 15]),
                }
            )
    by_dept = {dept: [i["code"] for i in items if i["department"] == dept] for dept in DEPARTMENTS}
    rows = []
    for n in range(1, windows + 1):
        dept = DEPARTMENTS[(n - 1) % len(DEPARTMENTS)]
        if n % 10 == 0:
            other = DEPARTMENTS[n % len(DEPARTMENTS)]
            served = rng.sample(by_dept[dept], 3) + rng.sample(by_dept[other], 3)
            rows.append({"number": n, "name": {"zh": f"{n}号综合窗口"}, "comprehensive": True,
                         "items": served})  # fmt: skip
        else:
            served = rng.sample(by_dept[dept], rng.randint(3, 5))
            rows.append({"number": n, "name": {"zh": f"{n}号窗口"}, "department": dept,
                         "items": served})  # fmt: skip
    for dept in DEPARTMENTS:  # every item served somewhere
        first = next(r for r in rows if r.get("department") == dept)
        first["items"] = list(dict.fromkeys(first["items"] + by_dept[dept]))
    return {
        "hall": {"code": "bench", "name": {"zh": "仿真基准大厅"}},
        "hours": {"working_days": [["08:30", "12:00"], ["14:00", "17:30"]]},
        "departments": [{"code": d, "name": {"zh": d}} for d in DEPARTMENTS],
        "items": items,
        "windows": rows,
    }


class NaiveLine(Line):
    """The whole line handed to the policy at every call."""

    def next_for(self, window, items, now):
        return choose_next(self.entries.values(), window, items, now, self.policy)


class Phase:
    def __init__(self, name: str, head: dict):
        self.name, self.head, self.extra = name, head, {}

    def __enter__(self) -> Phase:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        line = self.head | {
            "phase": self.name,
            "duration_s": round(time.perf_counter() - self.wall, 3),
            "cpu_s": round(time.process_time() - self.cpu, 3),
            "load_1m": round(os.getloadavg()[0], 2),
        }
        print(json.dumps(line | self.extra), flush=True)
        log(f"  {self.name}: {line['duration_s']} s")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--windows", type=int, default=150)
    p.add_argument("--tickets", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--profile", action="store_true", help="cProfile the simulation (stderr)")
    p.add_argument("--naive", action="store_true", help="scan the whole line at every call")
    p.add_argument(
        "--patience", type=float, default=60, help="mean patience, minutes (0: nobody leaves)"
    )
    args = p.parse_args()
    head = {"bench": "sim", "windows": args.windows, "tickets_target": args.tickets}
    head["patience_min"] = args.patience
    if args.naive:
        engine.Line = NaiveLine
        head["chooser"] = "naive"

    with Phase("config", head):
        cfg = parse_config(big_hall(args.windows, args.seed), "bench-sim.toml")
    with Phase("arrivals", head) as ph:
        base = named_profile("normal-wednesday", cfg)
        profile = base.scaled(args.tickets / base.total())
        day = arrivals(cfg, profile, DAY, args.seed, patience_minutes=args.patience or None)
        ph.extra = {"arrivals": len(day)}
    roster = default_roster(cfg)
    profiler = cProfile.Profile() if args.profile else None
    with Phase("simulate", head) as ph:
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        result = simulate(cfg, DAY, day, roster, args.seed)
        sim_seconds = time.perf_counter() - started
        if profiler:
            profiler.disable()
        served = sum(s.served for s in result.slots)
        ph.extra = {
            "arrivals": len(day),
            "legs": len(result.tickets),
            "served": served,
            "abandoned": sum(s.abandoned for s in result.slots),
            "wait_p90_max": max((s.wait_p90 or 0) for s in result.slots),
            "queue_max": max(s.queue_length for s in result.slots),
            "target_s": 10,
        }
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(20)
        log(out.getvalue())
    with Phase("erlang", head) as ph:
        groups = set(linked_items({w.number: tuple(w.items) for w in cfg.windows}).values())
        mean = {i.code: i.service_minutes * 60 for i in cfg.items}
        total_needed = 0
        for slot in {s for by in profile.rates.values() for s in by}:
            for group in groups:
                rate = sum(profile.rates[c].get(slot, 0.0) for c in group if c in profile.rates)
                if rate <= 0:
                    continue
                work = sum(profile.rates[c].get(slot, 0.0) * mean[c] for c in group) / rate
                total_needed += servers_needed(rate / 1800, work, TARGET * 60, 0.9, 3600)
        ph.extra = {"groups": len(groups), "window_half_hours_needed": total_needed}
    with Phase("check", head) as ph:
        outcomes: dict[str, int] = {}
        for t in result.tickets:
            outcomes[t.outcome] = outcomes.get(t.outcome, 0) + 1
        called = all(t.called_at is not None for t in result.tickets if t.outcome == "served")
        in_time = sim_seconds <= 10.0
        ok = called and len(result.tickets) >= len(day) and outcomes.get("served", 0) > 0
        ph.extra = {"outcomes": outcomes, "simulate_within_10_s": in_time, "ok": ok and in_time}
    ok = ok and in_time
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
