"""``onestop simulate HALL --profile NAME --speed 60 ...``: the arguments and the run (aiohttp
and the Socket.IO client are imported only when it runs)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time as _time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..app import ROOT
from ..sim.model import PROFILE_NAMES

DEFAULT_CONFIG = ROOT / "config" / "demo-hall.toml"
DEFAULT_CREDENTIALS = ROOT / "var" / "demo-credentials.toml"


def add_parser(sub) -> None:
    s = sub.add_parser(
        "simulate",
        help="drive a running server with a simulated hall day (kiosks, clerks, displays)",
        description="Kiosks issue at the profile's arrival times, clerks call and serve at the "
        "roster's windows, display sockets measure push lag; all through the real API. Prints "
        "progress and a summary (--json: the summary as one JSON line).",
    )
    s.add_argument("hall", help="hall code, e.g. qingshan")
    s.add_argument("--profile", choices=PROFILE_NAMES, default="normal-wednesday")
    s.add_argument("--speed", type=float, default=60, help="simulated seconds per real second")
    s.add_argument("--url", default="http://127.0.0.1:5000", help="the running server")
    s.add_argument("--credentials", default=str(DEFAULT_CREDENTIALS), help="from `onestop demo`")
    s.add_argument("--config", default=str(DEFAULT_CONFIG), help="the hall's config file")
    s.add_argument("--seed", type=int, default=1, help="seed of the arrivals and ratings")
    s.add_argument("--start", help="HH:MM simulated start (default: the first shift)")
    s.add_argument("--duration", type=float, help="simulated minutes (default: to the last shift)")
    s.add_argument("--windows", help="staff only these windows, e.g. 1-2,4-12")
    s.add_argument("--no-show-rate", type=float, default=0.03)
    s.add_argument(
        "--patience",
        type=float,
        help="mean minutes a resident waits before leaving (default: the hall's [staffing]; 0: stay)",
    )
    s.add_argument("--ratings", type=float, default=0.2, help="share of services rated on a pad")
    s.add_argument("--drain", action="store_true", help="at the end, serve everyone still waiting")
    s.add_argument("--progress", type=float, default=30, help="simulated minutes between lines")
    s.add_argument("--wait-server", type=float, default=0, help="seconds to wait for the server")
    s.add_argument("--json", action="store_true", help="no progress; the summary as JSON")
    s.set_defaults(func=run)


def wait_for_server(url: str, seconds: float) -> bool:
    import urllib.request

    deadline = _time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url.rstrip("/") + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        if _time.monotonic() >= deadline:
            return False
        _time.sleep(0.3)


def run(args: argparse.Namespace) -> int:
    try:
        from . import drive as d
        from .plan import build_plan, parse_hhmm, parse_windows
        from .staff import read_credentials
        from .summary import describe
    except ImportError as exc:
        print(f"error: simulate needs aiohttp and python-socketio[asyncio_client] ({exc})")
        return 1
    from ..hallconfig import load_config

    cfg = load_config(args.config)
    if cfg.hall.code != args.hall:
        print(f"error: {args.config} is hall {cfg.hall.code}, not {args.hall}", file=sys.stderr)
        return 2
    path = Path(args.credentials)
    if not path.exists():
        print(f"error: no credentials file {path} (run `onestop demo` first)", file=sys.stderr)
        return 2
    creds = read_credentials(path)
    if creds.hall and creds.hall != args.hall:
        print(f"error: {path} holds hall {creds.hall}, not {args.hall}", file=sys.stderr)
        return 2
    creds = d.Credentials(args.hall, creds.users, creds.devices)
    patience = cfg.staffing.patience_minutes if args.patience is None else args.patience
    try:
        plan = build_plan(
            cfg,
            args.profile,
            datetime.now(ZoneInfo(cfg.hall.timezone)).date(),
            args.seed,
            start=parse_hhmm(args.start) if args.start else None,
            duration_minutes=args.duration,
            no_show_rate=args.no_show_rate,
            patience_minutes=patience or None,
            windows=parse_windows(args.windows) if args.windows else None,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.wait_server and not wait_for_server(args.url, args.wait_server):
        print(f"error: no server answered at {args.url} within {args.wait_server:g} s")
        return 1
    say = None if args.json else (lambda line: print(line, flush=True))
    options = d.Options(
        url=args.url,
        speed=args.speed,
        seed=args.seed,
        rating_share=args.ratings,
        drain=args.drain,
        progress_minutes=args.progress or None,
        say=say,
    )
    try:
        summary = asyncio.run(d.drive(plan, creds, options))
    except d.DriveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    summary.pop("numbers", None)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print("\n".join(describe(summary)))
    return 1 if summary["server_errors"] else 0
