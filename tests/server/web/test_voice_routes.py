"""The voice routes: clips joined on the hub, a hall's own recordings first, bad names refused."""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.config import Settings
from server.realtime.bus import InProcessBus
from server.services.hub import Hub
from server.voice import pcm
from server.voice.announce import expected_duration
from server.voice.clips import ClipLibrary
from server.web.app import create_app


@pytest.fixture
def voice_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        DATABASE_URL=f"sqlite:///{tmp_path}/h.db",
        devices_file=tmp_path / "none.toml",
        voice_dir=tmp_path / "clips",
        voice_override_dir=tmp_path / "overrides",
    )
    hub = Hub.create(settings, bus=InProcessBus())
    yield TestClient(create_app(settings, hub=hub))
    hub.db.dispose()


def seconds(body: bytes) -> float:
    with wave.open(io.BytesIO(body)) as w:
        return w.getnframes() / w.getframerate()


def test_an_announcement_is_the_clips_in_order(voice_client: TestClient, tmp_path: Path) -> None:
    names = ["chime", "qing", "A", "ling", "er", "san", "hao", "dao", "wu", "hao", "chuangkou"]
    r = voice_client.get("/voice/say.wav", params={"clips": ",".join(names)})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "audio/wav"
    lib = ClipLibrary(tmp_path / "clips")
    assert seconds(r.content) == pytest.approx(expected_duration(lib, names), abs=0.01)
    # Reordered clips give a different announcement, not a cached copy of the first.
    r2 = voice_client.get("/voice/say.wav", params={"clips": ",".join(reversed(names))})
    assert r2.status_code == 200 and r2.content != r.content


def test_a_halls_own_recording_replaces_a_clip(voice_client: TestClient, tmp_path: Path) -> None:
    generated = voice_client.get("/voice/clips/qing.wav")
    assert generated.status_code == 200
    own = tmp_path / "overrides"
    own.mkdir()
    pcm.write_wav(own / "QING.WAV", pcm.from_floats(pcm.tone(660, 700, amplitude=0.4)))
    replaced = voice_client.get("/voice/clips/qing.wav")
    assert replaced.status_code == 200
    assert seconds(replaced.content) == pytest.approx(0.7, abs=0.05)
    assert replaced.content != generated.content


@pytest.mark.parametrize("clips", ["chime,nosuchclip", "", "../etc/passwd", ",".join(["yi"] * 121)])
def test_bad_clip_names_get_a_clear_error(voice_client: TestClient, clips: str) -> None:
    r = voice_client.get("/voice/say.wav", params={"clips": clips})
    assert r.status_code == 422
    body = r.json()["error"]
    assert body["code"] in {"VOICE_BAD_CLIPS", "INVALID_REQUEST"}
    assert body["message_zh"] and body["message_en"]
