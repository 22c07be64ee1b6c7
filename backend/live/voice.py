"""Offline voice call-out: espeak-ng (Mandarin) renders 「请 A012 号 到 3号窗口 办理」 to WAV,
cached on disk; the chime is synthesized here. No online TTS anywhere.

The cache keeps at most ``CACHE_FILES`` clips (about 270 KB each: some 70 MB), least recently
used first out: a hit refreshes the clip's mtime, a new clip evicts the oldest beyond the cap."""

from __future__ import annotations

import hashlib
import io
import math
import os
import shutil
import struct
import subprocess
import uuid
import wave
from pathlib import Path

DIGITS = "零一二三四五六七八九"
RATE = 22050
CACHE_FILES = 256  # clips kept on disk (the app setting ONESTOP_VOICE_CACHE_FILES overrides)


class VoiceUnavailable(Exception):
    pass


def call_text(number: str, window_name: str) -> str:
    """The sentence spoken for a call; digits of the number are read one by one (零一二)."""
    spoken = "".join(DIGITS[int(c)] if c.isdigit() else f" {c} " for c in number)
    return f"请 {spoken} 号，到 {window_name} 办理"


def synthesize(
    text: str,
    cache_dir: Path,
    voice: str = "cmn",
    speed: int = 150,
    max_files: int = CACHE_FILES,
) -> bytes:
    """WAV bytes for ``text``; the same text is rendered once and then served from the cache
    (at most ``max_files`` clips, least recently used evicted)."""
    key = hashlib.sha256(f"{voice}|{speed}|{text}".encode()).hexdigest()[:32]
    path = cache_dir / f"{key}.wav"
    try:
        data = path.read_bytes()
        os.utime(path)  # recently used
        return data
    except FileNotFoundError:
        pass
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
        data = tmp.read_bytes()
        tmp.replace(path)  # atomic: concurrent requests never serve half a file
    except (subprocess.SubprocessError, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise VoiceUnavailable(f"espeak-ng failed: {exc}") from exc
    evict(cache_dir, max_files, keep=path)
    return data


def evict(cache_dir: Path, max_files: int, keep: Path | None = None) -> None:
    """Remove the least recently used clips beyond ``max_files`` (never ``keep``)."""
    clips = []
    for clip in cache_dir.glob("*.wav"):
        try:
            clips.append((clip.stat().st_mtime_ns, clip))
        except FileNotFoundError:  # another process evicted it meanwhile
            continue
    if len(clips) <= max_files:
        return
    clips.sort()
    extra = len(clips) - max(max_files, 1)
    for _, clip in clips:
        if extra <= 0:
            break
        if clip == keep:
            continue
        clip.unlink(missing_ok=True)
        extra -= 1


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
