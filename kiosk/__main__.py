"""`onestop kiosk` or `python -m kiosk`: --config config/kiosk-demo.toml [--backend-url URL]
[--windowed] [--size 1920x1080]"""

from __future__ import annotations

import sys

from clientlib import cli

from .config import load_config


def main(argv: list[str] | None = None, prog: str = "python -m kiosk") -> int:
    """The kiosk; `prog` names it in usage and errors (`onestop kiosk` passes its own)."""
    parser = cli.parser(prog, "onestop ticket kiosk", "kiosk")
    parser.add_argument("--windowed", action="store_true", help="a window, not full screen")
    parser.add_argument(
        "--size", type=cli.size, default=(1080, 1920), help="window size with --windowed"
    )
    args = parser.parse_args(argv)
    config = cli.configure(args, load_config, prog)
    if config is None:
        return 2
    from .app import run  # Qt is imported only once the config is known to be good

    return run(config, windowed=args.windowed, size=args.size)


if __name__ == "__main__":
    sys.exit(main())
