"""Shared test fixtures."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent

# The property tests draw new examples on every run, which is how they find bugs. CI
# (HYPOTHESIS_PROFILE=ci, set by .ci/run) uses hypothesis's own "ci" profile: the same examples
# every time, so that whether a change lands does not depend on the draw.
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])


# ---- where tests keep their data ---------------------------------------------------------------

@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test keeps its sessions in its own directory, never in the checkout's recordings/."""
    path = tmp_path / "recordings"
    monkeypatch.setenv("VOICEPREP_DATA_DIR", str(path))
    return path


@pytest.fixture(autouse=True)
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test has its own settings file (absent until a test writes it), never the user's."""
    path = tmp_path / "config" / "settings.toml"
    monkeypatch.setenv("VOICEPREP_CONFIG", str(path))
    return path


@pytest.fixture
def store(data_dir: Path) -> Iterator:
    """The test's data directory as a Store, closed after the test."""
    from voiceprep.history.store import Store

    with Store(data_dir) as opened:
        yield opened


@pytest.fixture
def bank(tmp_path: Path):
    """A small question bank written to a file (tests of the built-in bank load their own)."""
    from history_data import write_bank

    return write_bank(tmp_path)


@pytest.fixture
def history(store, bank):
    """Two sessions of the small bank, four days apart (history_data.build_history)."""
    from history_data import build_history

    return build_history(store, bank)


# ---- virtual audio devices (PulseAudio null sink "virt"; its monitor is the microphone) ----------

VIRTUAL_AUDIO_SCRIPT = ROOT / "scripts" / "virtual-audio.sh"
_PULSE_ENV = ("XDG_RUNTIME_DIR", "PULSE_RUNTIME_PATH", "PULSE_SERVER", "PULSE_SINK", "PULSE_SOURCE")


@dataclass
class VirtualAudio:
    """A private PulseAudio server: what is played into `sink` is what the default mic hears."""

    runtime_dir: Path
    sink: str = "virt"
    source: str = "virt.monitor"
    players: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "XDG_RUNTIME_DIR": str(self.runtime_dir),
                "PULSE_SERVER": f"unix:{self.runtime_dir}/pulse/native"}

    def play_into_mic(self, wav_path: Path | str, delay: float = 0.5) -> subprocess.Popen[bytes]:
        """Play a sound file into the virtual microphone after `delay` seconds (background)."""
        wav = shlex.quote(str(wav_path))
        command = f"sleep {delay:.3f}; exec paplay --latency-msec=30 --device={self.sink} {wav}"
        player = subprocess.Popen(["sh", "-c", command], env=self.env)
        self.players.append(player)
        return player

    def stop_players(self) -> None:
        for player in self.players:
            if player.poll() is None:
                player.kill()
            player.wait()
        self.players.clear()

    def script(self, command: str) -> subprocess.CompletedProcess[str]:
        """scripts/virtual-audio.sh start|stop|status for this server."""
        env = {**self.env, "VOICEPREP_AUDIO_RUNTIME": str(self.runtime_dir)}
        return subprocess.run(["bash", str(VIRTUAL_AUDIO_SCRIPT), command], env=env,
                              capture_output=True, text=True, timeout=60)

    def log_tail(self, lines: int = 5) -> str:
        logs = [self.runtime_dir / name for name in ("pulseaudio.log", "pulseaudio.err")]
        said = [line for log in logs if log.exists()
                for line in log.read_text(errors="replace").splitlines()[-lines:]]
        return " | ".join(said) or "(nothing)"


@pytest.fixture(scope="session")
def audio_server() -> Iterator[VirtualAudio]:
    """Starts a private PulseAudio server for the test session and points PortAudio at it."""
    if shutil.which("pulseaudio") is None or shutil.which("paplay") is None:
        pytest.skip("pulseaudio is not installed (make install sets it up)")
    audio = VirtualAudio(runtime_dir=Path(tempfile.mkdtemp(prefix="voiceprep-audio-")))
    started = audio.script("start")
    if started.returncode != 0:
        pytest.fail(f"virtual audio did not start: {started.stderr.strip()}")
    saved = {name: os.environ.get(name) for name in _PULSE_ENV}
    for name in _PULSE_ENV:
        os.environ.pop(name, None)
    os.environ.update({k: audio.env[k] for k in ("XDG_RUNTIME_DIR", "PULSE_SERVER")})
    from voiceprep.audio.devices import rescan_devices

    rescan_devices()  # PortAudio lists devices once, at import: look again now the server is up
    try:
        yield audio
    finally:
        audio.stop_players()
        audio.script("stop")
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        rescan_devices()
        shutil.rmtree(audio.runtime_dir, ignore_errors=True)


@pytest.fixture
def virtual_audio(audio_server: VirtualAudio) -> VirtualAudio:
    """The session's audio server, checked before each test that uses it. A server (or its
    silent reader) that stopped (a test machine under load can kill it) is started again with a
    warning that quotes its log, so that one death fails no later test yet stays visible in the
    summary."""
    if audio_server.script("status").returncode != 0:
        said = audio_server.log_tail()
        started = audio_server.script("start")
        if started.returncode != 0:
            pytest.fail(f"virtual audio died and did not start again: {started.stderr.strip()}")
        from voiceprep.audio.devices import rescan_devices

        rescan_devices()
        warnings.warn(f"the virtual audio server had stopped and was started again; its log: "
                      f"{said}",
                      stacklevel=1)
    return audio_server


@pytest.fixture
def play_into_mic(virtual_audio: VirtualAudio) -> Iterator:
    """play_into_mic(wav, delay=0.5): play into the virtual microphone; stopped after the test."""
    yield virtual_audio.play_into_mic
    virtual_audio.stop_players()


@pytest.fixture
def record_played(virtual_audio: VirtualAudio, tmp_path: Path):
    """record_played(play, silence_seconds=1.0, max_seconds=20) -> the Recording (kept in
    tmp_path/heard.wav) of the virtual microphone while `play()` plays into the speakers."""
    import threading

    from voiceprep.audio.recorder import RecorderOptions, record

    def _record(play, silence_seconds: float = 1.0, max_seconds: float = 20):
        result = {}
        listening = threading.Event()

        def listen() -> None:
            result["recording"] = record(
                tmp_path / "heard.wav",
                RecorderOptions(silence_seconds=silence_seconds, max_seconds=max_seconds),
                on_chunk=lambda block: listening.set())

        listener = threading.Thread(target=listen)
        listener.start()
        # Opening the microphone can take a while on a loaded machine: play once audio flows,
        # or the start is never recorded.
        assert listening.wait(timeout=10), "the microphone delivered no audio"
        play()
        listener.join(timeout=max_seconds + 10)
        return result["recording"]

    return _record


# ---- synthetic speech (espeak-ng / flite), cached for the test session ---------------------------

@pytest.fixture(scope="session")
def speech_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory of synthesised WAVs shared by the whole test session."""
    return tmp_path_factory.mktemp("speech")


@pytest.fixture(scope="session")
def speak(speech_cache: Path):
    """speak(text, voice="espeak-ng") -> Path of a WAV of that text, made once per session."""
    from speech_samples import have_espeak, synthesize_cached

    if not have_espeak():
        pytest.skip("espeak-ng is not installed (make install sets it up)")

    def _speak(text: str, voice: str = "espeak-ng", rate: int = 160) -> Path:
        return synthesize_cached(text, speech_cache, voice, rate)

    return _speak
