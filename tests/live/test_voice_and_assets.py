"""Voice clips, chime, fonts and the Socket.IO client are all served by our own server."""

from __future__ import annotations

import io
import wave

import pytest

from backend.live.voice import call_text


def test_call_text_reads_digits_one_by_one():
    assert call_text("A012", "3号窗口") == "请  A 零一二 号，到 3号窗口 办理"


def duration(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as w:
        return w.getnframes() / w.getframerate()


def called(hall, window=2, clerk="clerk1", item="MZ-02") -> str:
    """Issue a ticket and call it at ``window``; returns its number."""
    number = hall.issue(item)["ticket"]["number"]
    if hall.get(f"/windows/{window}", hall.staff(clerk)).json["window"]["state"] != "open":
        hall.open_window(window, clerk)
    hall.window(window, "finish", clerk)  # the one before, if any
    assert hall.window(window, "call-next", clerk).json["ticket"]["number"] == number
    return number


@pytest.fixture
def cache(app, tmp_path):
    folder = tmp_path / "voice"
    app.config["ONESTOP_VOICE_CACHE"] = str(folder)
    return folder


def clips(folder) -> list:
    return sorted(folder.glob("*")) if folder.exists() else []


def test_call_audio_is_rendered_offline_and_cached(hall, cache):
    number = called(hall)
    r = hall.client.get(f"/voice/town/call/{number}/2.wav")
    assert r.status_code == 200 and r.mimetype == "audio/wav"
    assert 1.5 < duration(r.data) < 8
    assert len(clips(cache)) == 1
    assert hall.client.get(f"/voice/town/call/{number.lower()}/2.wav").data == r.data


def test_only_numbers_called_today_at_that_window_are_spoken(hall, cache, clock):
    number = called(hall)  # A001 at window 2
    hall.issue("MZ-02")  # A002: waiting, never called
    for path in [
        "/voice/town/call/A999999/2.wav",  # no such ticket
        "/voice/town/call/A002/2.wav",  # issued, not called
        f"/voice/town/call/{number}/3.wav",  # called at another window
        f"/voice/town/call/{number}/99.wav",  # no such window
        f"/voice/nohall/call/{number}/2.wav",
        "/voice/town/call/DROP%20TABLE/2.wav",
    ]:
        assert hall.client.get(path).status_code == 404, path
    assert clips(cache) == []  # nothing rendered, nothing written
    assert hall.client.get(f"/voice/town/call/{number}/2.wav").status_code == 200
    hall.next_day(clock)  # yesterday's A001 is not today's
    assert hall.client.get(f"/voice/town/call/{number}/2.wav").status_code == 404


def test_the_voice_cache_is_bounded_least_recently_used_out(app, hall, cache):
    app.config["ONESTOP_VOICE_CACHE_FILES"] = 3

    def speak(number) -> bytes:
        r = hall.client.get(f"/voice/town/call/{number}/2.wav")
        assert r.status_code == 200
        assert len(clips(cache)) <= 3
        return r.data

    numbers = [called(hall) for _ in range(3)]
    audio = [speak(n) for n in numbers]
    assert speak(numbers[0]) == audio[0]  # heard again: now the most recently used
    numbers.append(called(hall))
    audio.append(speak(numbers[3]))
    kept = {p.read_bytes() for p in clips(cache)}
    assert kept == {audio[0], audio[2], audio[3]}  # the least recently used one went
    for _ in range(5):
        speak(called(hall))
    assert len(clips(cache)) == 3
    assert not [p for p in clips(cache) if p.suffix != ".wav"]  # no temporary file left


@pytest.mark.parametrize(
    "path, field",
    [
        ("/voice/town/call/A001/2147483648.wav", "window"),
        ("/voice/town/call/A001/99999999999999999999.wav", "window"),
        ("/voice/town/call/A0%0001/2.wav", "number"),
        ("/voice/to%00wn/call/A001/2.wav", "hall"),
    ],
)
def test_hostile_voice_paths_are_400_naming_the_field(hall, cache, path, field):
    r = hall.client.get(path)
    assert r.status_code == 400 and r.json["error"]["field"] == field
    assert clips(cache) == []


def test_chime_font_and_socketio_client_are_local(hall):
    chime = hall.client.get("/voice/chime.wav")
    assert chime.status_code == 200 and 0.9 < duration(chime.data) < 1.5
    js = hall.client.get("/vendor/socket.io.min.js")
    assert js.status_code == 200 and b"io" in js.data[:2000]
    font = hall.client.get("/fonts/cjk-bold.ttc")
    assert font.status_code == 200 and font.data[:4] == b"ttcf"
