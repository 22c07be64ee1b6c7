"""ESC/POS command bytes used by the receipt renderer and the status query.

Named after the Epson ESC/POS reference; every builder returns plain bytes so tests can
assemble expected byte streams from the same vocabulary as the specification.
"""

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"
DLE = b"\x10"
EOT = b"\x04"
LF = b"\n"

INIT = ESC + b"@"  # ESC @: clear buffer, reset modes
CHINESE_ON = FS + b"&"  # FS &: select Kanji/Chinese (double-byte) character mode
CHINESE_OFF = FS + b"."  # FS .: cancel Kanji/Chinese character mode
BOLD_ON = ESC + b"E\x01"
BOLD_OFF = ESC + b"E\x00"
PARTIAL_CUT = GS + b"V\x01"  # GS V 1: partial cut (function A)

ALIGN_LEFT = ESC + b"a\x00"
ALIGN_CENTER = ESC + b"a\x01"
ALIGN_RIGHT = ESC + b"a\x02"

# DLE EOT n: real-time status transmission.
STATUS_PRINTER = 1
STATUS_OFFLINE_CAUSE = 2
STATUS_ERROR_CAUSE = 3
STATUS_PAPER_SENSOR = 4


def char_size(width: int = 1, height: int = 1) -> bytes:
    """GS ! n: character size, width and height multipliers 1-8."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError(f"character size multipliers must be 1-8, got {width}x{height}")
    return GS + b"!" + bytes([(width - 1) << 4 | (height - 1)])


def feed_lines(n: int) -> bytes:
    """ESC d n: print the buffer and feed n lines."""
    return ESC + b"d" + bytes([n])


def realtime_status(n: int) -> bytes:
    """DLE EOT n: ask for one real-time status byte."""
    if n not in (1, 2, 3, 4):
        raise ValueError(f"unsupported DLE EOT status type {n}")
    return DLE + EOT + bytes([n])


def raster_image(width_bytes: int, height: int, data: bytes) -> bytes:
    """GS v 0 m xL xH yL yH d...: print a raster bit image (normal density)."""
    return GS + b"v0\x00" + width_bytes.to_bytes(2, "little") + height.to_bytes(2, "little") + data
