"""`onestop counter` or `python -m counter`: --config config/counter-demo.toml
[--backend-url URL] [--size 1366x768]"""

from __future__ import annotations

import sys

from clientlib import cli

from .config import load_config


def main(argv: list[str] | None = None, prog: str = "python -m counter") -> int:
    """The counter; `prog` names it in usage and errors (`onestop counter` passes its own)."""
    parser = cli.parser(prog, "onestop counter terminal for window clerks", "counter")
    parser.add_argument("--size", type=cli.size, help="a window of WIDTHxHEIGHT, not maximized")
    args = parser.parse_args(argv)
    config = cli.configure(args, load_config, prog)
    if config is None:
        return 2
    from .app import run  # Qt is imported only once the config is known to be good

    return run(config, size=args.size)


if __name__ == "__main__":
    sys.exit(main())
