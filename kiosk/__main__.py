"""`onestop kiosk` or `python -m kiosk`: --config config/kiosk-demo.toml [--backend-url URL]
[--windowed] [--size 1920x1080]"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from urllib.parse import urlsplit

from .config import ConfigError, load_config


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None
    return width, height


def backend_url(text: str) -> str:
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"must be an http(s) URL, got {text!r}")
    return text.strip().rstrip("/")


def main(argv: list[str] | None = None, prog: str = "python -m kiosk") -> int:
    """The kiosk; `prog` names it in usage and errors (`onestop kiosk` passes its own)."""
    parser = argparse.ArgumentParser(prog=prog, description="onestop ticket kiosk")
    parser.add_argument("--config", required=True, help="kiosk config file (TOML)")
    parser.add_argument(
        "--backend-url",
        type=backend_url,
        metavar="URL",
        help="the server, e.g. http://127.0.0.1:5000 (default: backend_url in the config)",
    )
    parser.add_argument("--windowed", action="store_true", help="a window, not full screen")
    parser.add_argument(
        "--size", type=_size, default=(1080, 1920), help="window size with --windowed"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,  # a library may have configured logging on import
    )
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    if args.backend_url:  # make kiosk/counter PORT=...: the server the demo serves on
        config = dataclasses.replace(config, backend_url=args.backend_url)
    from .app import run  # Qt is imported only once the config is known to be good

    return run(config, windowed=args.windowed, size=args.size)


if __name__ == "__main__":
    sys.exit(main())
