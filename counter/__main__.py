"""python -m counter --config config/counter-demo.toml [--size 1366x768]"""

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
    parser = argparse.ArgumentParser(
        prog="python -m counter", description="onestop counter terminal for window clerks"
    )
    parser.add_argument("--config", required=True, help="counter config file (TOML)")
    parser.add_argument("--size", type=_size, help="a window of WIDTHxHEIGHT, not maximized")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"counter: {exc}", file=sys.stderr)
        return 2
    from .app import run  # Qt is imported only once the config is known to be good

    return run(config, size=args.size)


if __name__ == "__main__":
    sys.exit(main())
