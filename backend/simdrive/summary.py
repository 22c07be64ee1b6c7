"""The run's summary as one JSON-able dict: what happened in the hall, API latency per endpoint
kind, push lag per event type (REST answer -> first display frame), the driver's own load."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .drive import Run

COUNTS = (
    "issued",
    "turned_away",
    "called",
    "served",
    "no_shows",
    "abandoned",
    "recalls",
    "transferred",
    "foreign",
    "tidied",
    "ratings_requested",
    "ratings",
    "ratings_missed",
)


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile, rounded to 0.01; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return round(ordered[rank], 2)


def spread(values: list[float]) -> dict[str, Any]:
    return {
        "count": len(values),
        "p50": percentile(values, 0.5),
        "p99": percentile(values, 0.99),
        "max": round(max(values), 2) if values else None,
    }


def api_stats(run: Run) -> dict[str, dict]:
    rec = run.api.recorder
    out = {}
    for kind in sorted(rec.statuses):
        ms = rec.ms[kind]
        out[kind] = {
            "requests": sum(rec.statuses[kind].values()),
            "p50_ms": percentile(ms, 0.5),
            "p99_ms": percentile(ms, 0.99),
            "max_ms": round(max(ms), 2) if ms else None,
            "refused": rec.refused[kind],
            "errors": rec.unexpected(kind),
            "statuses": dict(rec.statuses[kind]),
        }
    return out


def push_stats(run: Run) -> dict[str, dict]:
    """Per event type: lag from the REST answer to the first covering display's frame (0 when
    the frame came first: ``before_answer``), lag from the request's send, and causes no
    display received (``missing``) or no display covers (``uncovered``)."""
    lags: dict[str, list[float]] = {}
    sent: dict[str, list[float]] = {}
    tally: dict[str, Counter] = {}
    for cause in run.causes:
        kind = cause.key[0]
        count = tally.setdefault(kind, Counter())
        if not run._covering(cause):
            count["uncovered"] += 1
            continue
        at = run._seen(cause)
        if at is None:
            count["missing"] += 1
            continue
        count["before_answer"] += at < cause.answered
        lags.setdefault(kind, []).append(max(0.0, at - cause.answered) * 1000)
        sent.setdefault(kind, []).append((at - cause.sent) * 1000)
    out = {}
    for kind in sorted(tally):
        ms = lags.get(kind, [])
        out[kind] = {
            "events": len(ms),
            "p50_ms": percentile(ms, 0.5),
            "p99_ms": percentile(ms, 0.99),
            "max_ms": round(max(ms), 2) if ms else None,
            "from_send_p99_ms": percentile(sent.get(kind, []), 0.99),
            "before_answer": tally[kind]["before_answer"],
            "missing": tally[kind]["missing"],
            "uncovered": tally[kind]["uncovered"],
        }
    return out


def summarise(run: Run, report: dict | None, cpu_s: float, wall_s: float) -> dict[str, Any]:
    plan, c, rec = run.plan, run.counts, run.api.recorder
    sockets: Counter[str] = Counter()
    for screen in [*run.displays, *run.pads.values()]:
        sockets.update(screen.counts)
    server = None
    if report is not None:
        server = {k: report.get(k) for k in ("tickets_issued", "tickets_served", "no_shows")}
        server["evaluations"] = report.get("evaluations")
    return {
        "hall": run.api.hall,
        "profile": plan.profile,
        "speed": run.options.speed,
        "period": {
            "start": plan.start.isoformat(timespec="minutes"),
            "end": plan.end.isoformat(timespec="minutes"),
            "minutes": round(plan.minutes, 1),
            "reached": run.clock.sim().isoformat(timespec="minutes"),
        },
        "arrivals": len(plan.arrivals),
        "windows": len(plan.shifts),
        "counts": {k: c[k] for k in COUNTS}
        | {"waiting": c["issued"] + c["transferred"] - c["called"]},
        "numbers": sorted(run.numbers),
        "wait_minutes": {
            "p50": percentile(run.waits, 0.5),
            "p90": percentile(run.waits, 0.9),
            "max": round(max(run.waits), 1) if run.waits else None,
        },
        "requests": rec.requests(),
        "errors": sum(rec.unexpected(k) for k in rec.statuses),
        "server_errors": rec.server_errors(),
        "failures": rec.failures,
        "api": api_stats(run),
        "push": push_stats(run),
        "sockets": {"displays": len(run.displays), "pads": len(run.pads)} | dict(sockets),
        "driver": {
            "wall_s": round(wall_s, 2),
            "cpu_s": round(cpu_s, 2),
            "cpu_share": round(cpu_s / wall_s, 3) if wall_s else None,
            "send_lag_ms": spread(run.send_lag),
            "loop_lag_ms": spread(run.loop_lag),
        },
        "server_report": server,
    }


def describe(s: dict[str, Any]) -> list[str]:
    """A few lines for a person watching the run."""
    c, api, push, drv = s["counts"], s["api"], s["push"], s["driver"]

    def ms(kind: str) -> str:
        a = api.get(kind)
        return f"{kind} p50 {a['p50_ms']} / p99 {a['p99_ms']} ms" if a else f"{kind} -"

    called = push.get("ticket.called", {})
    lines = [
        f"{s['profile']} {s['period']['start'][:16]}–{s['period']['end'][11:16]} ×{s['speed']:g}: "
        f"取号 {c['issued']} · 办结 {c['served']} · 过号 {c['no_shows']} "
        f"(其中离开 left {c['abandoned']}) · 转办 {c['transferred']} · 等候 {c['waiting']} · "
        f"评价 {c['ratings']}",
        f"wait p50 {s['wait_minutes']['p50']} / p90 {s['wait_minutes']['p90']} min (simulated)",
        "API: " + ", ".join(ms(k) for k in ("issue", "call-next", "finish")),
        f"push (call → display): p50 {called.get('p50_ms')} / p99 {called.get('p99_ms')} ms, "
        f"missing {called.get('missing', 0)}; socket gaps {s['sockets'].get('gaps', 0)}",
        f"requests {s['requests']}, errors {s['errors']}, 5xx {s['server_errors']}; driver CPU "
        f"{drv['cpu_s']} s of {drv['wall_s']} s ({100 * (drv['cpu_share'] or 0):.1f}%), "
        f"loop lag p99 {drv['loop_lag_ms']['p99']} ms",
    ]
    if s["server_report"]:
        r = s["server_report"]
        lines.append(
            f"server's daily report: issued {r['tickets_issued']}, served {r['tickets_served']}, "
            f"no-show {r['no_shows']}, ratings {r['evaluations']}"
        )
    return lines + [f"failure: {f}" for f in s["failures"][:5]]
