"""Offline voice call-out: espeak-ng (Mandarin) renders 「请 A012 号 到 3号窗口 办理」 to WAV,
cached on disk; the chime is synthesized here. No online TTS anywhere."""

from __future__ import annotations

import hashlib
import io
import math
import shutil
import struct
import subprocess
import uuid
import wave
from pathlib import Path

DIGITS = "零一二三四五六七八九"
RATE = 22050


class VoiceUnavailable(Exception):
    pass


def call_text(number: str, window_name: str) -> str:
    """The sentence spoken for a call; digits of the number are read one by one (零一二)."""
    spoken = "".join(DIGITS[int(c)] if c.isdigit() else f" {c} " for c in number)
    return f"请 {spoken} 号，到 {window_name} 办理"


def synthesize(text: str, cache_dir: Path, voice: str = "cmn", speed: int = 150) -> bytes:
    """WAV bytes for ``text``; the same text is rendered once and then served from the cache."""
    key = hashlib.sha256(f"{voice}|{speed}|{text}".encode()).hexdigest()[:32]
    path = cache_dir / f"{key}.wav"
    if path.exists():
        return path.read_bytes()
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise VoiceUnavailable("espeak-ng is not installed (Debian package espeak-ng)")
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir / f"{key}.{uuid.uuid4().hex}.tmp"
    try:
        subprocess.run(
            [exe, "-v", voice, "-s", str(speed), "-w", str(tmp), text],
            capture_output=True,
            timeout=15,
            check=True,
        )
        tmp.replace(path)  # atomic: concurrent requests never serve half a file
    except (subprocess.SubprocessError, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise VoiceUnavailable(f"espeak-ng failed: {exc}") from exc
    return path.read_bytes()


def chime() -> bytes:
    """A two-tone 'ding-dong' (E6 then C6) with a soft decay, 16-bit mono WAV."""
    frames = bytearray()
    for freq, seconds in ((1318.5, 0.45), (1046.5, 0.7)):
        count = int(RATE * seconds)
        for n in range(count):
            envelope = math.exp(-4.0 * n / count) * min(1.0, n / 200)
            sample = (
                0.5
                * envelope
                * (
                    math.sin(2 * math.pi * freq * n / RATE)
                    + 0.3 * math.sin(4 * math.pi * freq * n / RATE)
                )
            )
            frames += struct.pack("<h", int(max(-1.0, min(1.0, sample)) * 32767 * 0.8))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))
    return buffer.getvalue()
