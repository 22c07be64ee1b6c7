"""Test helper: walk an ESC/POS byte stream the way a printer would, to check printed lines."""

from dataclasses import dataclass

# command prefix -> number of parameter bytes that follow it
FIXED = {
    b"\x1b@": 0,  # ESC @
    b"\x1c&": 0,  # FS &
    b"\x1c.": 0,  # FS .
    b"\x1ba": 1,  # ESC a n
    b"\x1bE": 1,  # ESC E n
    b"\x1bd": 1,  # ESC d n
    b"\x1d!": 1,  # GS ! n
    b"\x1dV": 1,  # GS V m
}


@dataclass
class Line:
    text: str
    scale: int  # character width multiplier from GS !


def printed_lines(stream: bytes) -> list[Line]:
    """Text lines with their width multiplier; fails on any byte it does not understand."""
    lines: list[Line] = []
    text = bytearray()
    scale = 1
    i = 0
    while i < len(stream):
        two = stream[i : i + 2]
        if two in FIXED:
            if two == b"\x1d!":
                scale = (stream[i + 2] >> 4) + 1
            i += 2 + FIXED[two]
        elif stream[i : i + 3] == b"\x1d(k":  # GS ( k pL pH ...
            i += 5 + int.from_bytes(stream[i + 3 : i + 5], "little")
        elif stream[i : i + 3] == b"\x1dv0":  # GS v 0 m xL xH yL yH d...
            width = int.from_bytes(stream[i + 4 : i + 6], "little")
            height = int.from_bytes(stream[i + 6 : i + 8], "little")
            i += 8 + width * height
        elif stream[i] == 0x0A:
            lines.append(Line(text.decode("gb18030"), scale))
            text.clear()
            i += 1
        elif stream[i] < 0x20 or stream[i] == 0x7F:
            raise AssertionError(f"unexpected control byte 0x{stream[i]:02x} at {i}")
        else:
            text.append(stream[i])
            i += 1
    assert not text, f"text left without a line feed: {bytes(text)!r}"
    return lines


def columns(text: str) -> int:
    """Printer columns in Chinese mode: single-byte characters 1, multi-byte characters 2."""
    return sum(1 if len(ch.encode("gb18030")) == 1 else 2 for ch in text)
