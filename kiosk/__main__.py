"""python -m kiosk --config config/kiosk-demo.toml [--windowed] [--size 1920x1080]"""

from __future__ import annotations

import argparse
import logging
import sys

from .config import ConfigError, load_config


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None
    return width, height


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk", description="onestop ticket kiosk")
    parser.add_argument("--config", required=True, help="kiosk config file (TOML)")
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
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    from .app import run  # Qt is imported only once the config is known to be good

    return run(config, windowed=args.windowed, size=args.size)


if __name__ == "__main__":
    sys.exit(main())
