"""Build a python-escpos printer from a terminal's config dict.

    {"type": "network", "host": "192.168.1.50", "port": 9100, "timeout": 10}
    {"type": "usb", "vendor_id": "0x0416", "product_id": "0x5011"}
    {"type": "serial", "device": "/dev/ttyUSB0", "baudrate": 9600}
    {"type": "file", "path": "/dev/usb/lp0"}
    {"type": "dummy"}

Every type also takes "profile" (a python-escpos printer profile name). Printers connect
lazily, on first use, so building one never touches the hardware.
"""

from collections.abc import Callable, Mapping
from typing import Any

from escpos.capabilities import get_profile
from escpos.escpos import Escpos
from escpos.printer import Dummy, File, Network, Serial, Usb

_REQUIRED = object()


def _port(value: Any) -> int:
    port = _int(value)
    if not 1 <= port <= 65535:
        raise ValueError(f"{port} is not a TCP port")
    return port


def _int(value: Any) -> int:
    """An int, or a decimal / 0x-hex string (USB ids are usually written 0x0416)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return int(value.strip(), 0)
    raise ValueError(f"{value!r} is not an integer")


def _positive(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"{value!r} is not a positive number")
    return float(value)


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not a non-empty string")
    return value.strip()


def _profile(value: Any) -> str:
    name = _text(value)
    try:
        get_profile(name)
    except KeyError:
        raise ValueError(f"unknown python-escpos printer profile {name!r}") from None
    return name


# type -> {config key: (converter, default or _REQUIRED)}
_SCHEMAS: dict[str, dict[str, tuple[Callable[[Any], Any], Any]]] = {
    "network": {"host": (_text, _REQUIRED), "port": (_port, 9100), "timeout": (_positive, 10.0)},
    "usb": {
        "vendor_id": (_int, _REQUIRED),
        "product_id": (_int, _REQUIRED),
        "in_ep": (_int, 0x82),
        "out_ep": (_int, 0x01),
        "timeout_ms": (_int, 5000),
    },
    "serial": {
        "device": (_text, _REQUIRED),
        "baudrate": (_int, 9600),
        "timeout": (_positive, 1.0),
    },
    "file": {"path": (_text, _REQUIRED)},
    "dummy": {},
}


def _read_config(config: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """Validate `config`; ValueError names the offending key."""
    if not isinstance(config, Mapping):
        raise ValueError(f"printer config must be a mapping, not {type(config).__name__}")
    kind = config.get("type")
    if kind not in _SCHEMAS:
        raise ValueError(
            f"printer config key 'type': expected one of {sorted(_SCHEMAS)}, got {kind!r}"
        )
    schema = {**_SCHEMAS[kind], "profile": (_profile, None)}
    unknown = sorted(set(config) - set(schema) - {"type"})
    if unknown:
        raise ValueError(f"printer config key {unknown[0]!r} is not valid for type {kind!r}")
    values: dict[str, Any] = {}
    for key, (convert, default) in schema.items():
        if key not in config:
            if default is _REQUIRED:
                raise ValueError(f"printer config key {key!r} is required for type {kind!r}")
            values[key] = default
            continue
        try:
            values[key] = convert(config[key])
        except (ValueError, TypeError) as exc:
            raise ValueError(f"printer config key {key!r}: {exc}") from None
    return kind, values


def open_printer(config: Mapping[str, Any]) -> Escpos:
    """A python-escpos printer for `config` (not yet connected)."""
    kind, v = _read_config(config)
    profile = {"profile": v["profile"]} if v["profile"] else {}
    if kind == "network":
        return Network(v["host"], port=v["port"], timeout=v["timeout"], **profile)
    if kind == "usb":
        if not Usb.is_usable():
            raise RuntimeError("USB printers need pyusb (pip install 'python-escpos[usb]')")
        return Usb(
            v["vendor_id"],
            v["product_id"],
            timeout=v["timeout_ms"],
            in_ep=v["in_ep"],
            out_ep=v["out_ep"],
            **profile,
        )
    if kind == "serial":
        if not Serial.is_usable():
            raise RuntimeError(
                "serial printers need pyserial (pip install 'python-escpos[serial]')"
            )
        return Serial(v["device"], baudrate=v["baudrate"], timeout=v["timeout"], **profile)
    if kind == "file":
        return File(v["path"], **profile)
    return Dummy(**profile)
