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


def test_call_audio_is_rendered_offline_and_cached(app, hall, tmp_path):
    app.config["ONESTOP_VOICE_CACHE"] = str(tmp_path / "voice")
    r = hall.client.get("/voice/town/call/A012/2.wav")
    assert r.status_code == 200 and r.mimetype == "audio/wav"
    assert 1.5 < duration(r.data) < 8
    assert len(list((tmp_path / "voice").glob("*.wav"))) == 1
    assert hall.client.get("/voice/town/call/A012/2.wav").data == r.data


@pytest.mark.parametrize(
    "path",
    [
        "/voice/town/call/A012/99.wav",
        "/voice/town/call/DROP%20TABLE/2.wav",
        "/voice/nohall/call/A001/1.wav",
    ],
)
def test_only_real_calls_can_be_spoken(hall, path):
    assert hall.client.get(path).status_code == 404


def test_chime_font_and_socketio_client_are_local(hall):
    chime = hall.client.get("/voice/chime.wav")
    assert chime.status_code == 200 and 0.9 < duration(chime.data) < 1.5
    js = hall.client.get("/vendor/socket.io.min.js")
    assert js.status_code == 200 and b"io" in js.data[:2000]
    font = hall.client.get("/fonts/cjk-bold.ttc")
    assert font.status_code == 200 and font.data[:4] == b"ttcf"
