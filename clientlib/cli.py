"""What `python -m kiosk` and `python -m counter` share: --config, --backend-url (else
$ONESTOP_BACKEND_URL, else the file's backend_url), logging, and reading the config before Qt."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from typing import TypeVar

from .config import ClientConfig, ConfigError, is_url, override

C = TypeVar("C", bound=ClientConfig)
BACKEND_ENV = "ONESTOP_BACKEND_URL"


def size(text: str) -> tuple[int, int]:
    """--size WIDTHxHEIGHT."""
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None
    return width, height


def backend_url(text: str) -> str:
    if not is_url(text):
        raise argparse.ArgumentTypeError(f"must be an http(s) URL, got {text!r}")
    return text.strip().rstrip("/")


def parser(prog: str, description: str, terminal: str) -> argparse.ArgumentParser:
    """The arguments both terminals take; each adds its own window options."""
    p = argparse.ArgumentParser(prog=prog, description=description)
    p.add_argument("--config", required=True, help=f"{terminal} config file (TOML)")
    p.add_argument(
        "--backend-url",
        type=backend_url,
        metavar="URL",
        help="the server, e.g. http://127.0.0.1:5000 (default: $ONESTOP_BACKEND_URL, else"
        " backend_url in the config)",
    )
    return p


def configure(args: argparse.Namespace, load: Callable[[str], C], prog: str) -> C | None:
    """Set up logging and read the config with --backend-url applied; None (after saying why
    on stderr) when the file is bad."""
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,  # a library may have configured logging on import
    )
    url = args.backend_url
    if url is None and os.environ.get(BACKEND_ENV):
        try:
            url = backend_url(os.environ[BACKEND_ENV])
        except argparse.ArgumentTypeError as exc:
            print(f"{prog}: ${BACKEND_ENV}: {exc}", file=sys.stderr)
            return None
    try:
        config = load(args.config)
    except ConfigError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return None
    # make kiosk/counter PORT=...: the server the demo serves on
    return override(config, backend_url=url)
