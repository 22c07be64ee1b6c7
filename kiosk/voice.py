"""Voice guidance on the kiosk itself: espeak-ng, offline, as the hall's call-out voice.

A Speaker has `available` and `speak(text, lang)`; the presenter calls `speak` through a runner
(off the GUI thread). `speaker_for(config)` gives the espeak-ng speaker, or the null speaker
(button hidden) when voice is off in the config or espeak-ng is not installed.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from pathlib import Path

log = logging.getLogger(__name__)

# espeak-ng voice per kiosk language; a language missing here is spoken with its own code.
VOICES = {"zh": "cmn", "en": "en", "ug": "ug"}
DIGITS = {"zh": "零一二三四五六七八九"}
SPEAK_TIMEOUT = 60.0  # seconds: no sentence on a kiosk screen is longer


class NullSpeaker:
    """No voice on this kiosk: the 语音播报 button is hidden."""

    available = False

    def speak(self, text: str, lang: str) -> None:
        return None

    def stop(self) -> None:
        return None


class EspeakSpeaker:
    """Speaks through espeak-ng on the kiosk's audio output; a new sentence cuts the last."""

    available = True

    def __init__(self, executable: str, speed: int = 140):
        self.executable, self.speed = executable, speed
        self._lock = threading.Lock()
        self._current: subprocess.Popen | None = None

    def command(self, text: str, lang: str, wav: Path | None = None) -> list[str]:
        cmd = [self.executable, "-v", VOICES.get(lang, lang), "-s", str(self.speed)]
        if wav is not None:
            cmd += ["-w", str(wav)]
        return [*cmd, "--", text]

    def speak(self, text: str, lang: str) -> None:
        with self._lock:
            if self._current is not None and self._current.poll() is None:
                self._current.terminate()
            proc = subprocess.Popen(
                self.command(text, lang), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            self._current = proc
        try:
            proc.wait(SPEAK_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()

    def stop(self) -> None:
        """Cut the sentence being spoken (the kiosk is closing)."""
        with self._lock:
            if self._current is not None and self._current.poll() is None:
                self._current.terminate()

    def render(self, text: str, lang: str, wav: Path) -> Path:
        """Write the sentence to a WAV file instead of speaking it (for checks)."""
        subprocess.run(self.command(text, lang, wav), capture_output=True, timeout=30, check=True)
        return wav


def speaker_for(enabled: bool, speed: int = 140):
    exe = shutil.which("espeak-ng") if enabled else None
    if enabled and exe is None:
        log.warning("espeak-ng is not installed: no voice guidance (Debian package espeak-ng)")
    return EspeakSpeaker(exe, speed) if exe else NullSpeaker()


def spell_number(number: str, lang: str) -> str:
    """A ticket number read character by character (A012 -> A 零一二 in Chinese)."""
    digits = DIGITS.get(lang)
    if digits is None:
        return " ".join(number)
    return "".join(digits[int(c)] if c.isdigit() else f" {c} " for c in number).strip()
