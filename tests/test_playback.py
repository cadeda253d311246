"""`voiceprep review --play`: the recording through the sound output, and clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta

import numpy as np
import pytest
import soundfile as sf

from history_data import (
    ABOUT,
    DAY1,
    DAY2,
    DRIFT_RETRY,
    record,
    run,
    score_answer,
    timed_transcript,
)
from voiceprep.audio.playback import play_audio
from voiceprep.errors import AudioError


def _cli(*args, env):
    return subprocess.run([sys.executable, "-m", "voiceprep", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def test_play_without_a_recording(data_dir, store, bank):
    session = store.start_session(bank.title, now=DAY1)
    about = bank.find("about-yourself")
    transcript = timed_transcript(ABOUT, 0.3)
    store.save_attempt(session, about, store.reserve_attempt(session, about.id), transcript,
                       score_answer(about, transcript), started_at=DAY1, ended_at=DAY1,
                       duration_seconds=None)
    result = run("review", "--play", data_dir=data_dir)
    assert result.exit_code == 2 and "has no recording" in result.stderr  # as documented
    with pytest.raises(AudioError, match="no recording at"):
        play_audio(data_dir / "nothing.wav")


def test_play_with_no_output_device_is_a_clear_error(data_dir, history, tmp_path):
    # A fresh process whose sound server does not exist: nothing can play.
    env = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/no-such-socket",
           "XDG_RUNTIME_DIR": str(tmp_path)}
    done = _cli("review", "--play", "--data-dir", str(data_dir), env=env)
    assert done.returncode == 2, done.stderr
    assert "error: cannot play" in done.stderr and "no audio output device" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_play_sends_the_recording_to_the_sound_output(data_dir, store, bank, tmp_path,
                                                      virtual_audio):
    """Through the virtual PulseAudio sink: what --play outputs is captured from the sink's
    monitor and must contain the recorded tone, for as long as the recording lasts."""
    session = store.start_session(bank.title, now=DAY2)
    attempt = record(store, session, bank.find("drift"), DRIFT_RETRY, 0.1,
                     DAY2 + timedelta(minutes=1))
    captured = tmp_path / "captured.wav"
    recorder = subprocess.Popen(
        ["parec", f"--device={virtual_audio.source}", "--file-format=wav", "--rate=16000",
         "--channels=1", str(captured)], env=virtual_audio.env)
    try:
        time.sleep(0.5)
        done = _cli("review", "--play", "--data-dir", str(data_dir), env=virtual_audio.env)
        time.sleep(0.5)
    finally:
        recorder.terminate()
        recorder.wait(timeout=10)
    assert done.returncode == 0, done.stderr
    assert f"playing {data_dir / attempt.audio_path}" in done.stderr
    samples, rate = sf.read(str(captured))
    assert rate == 16000
    # The recording is a 220 Hz tone of about three seconds at amplitude 0.2.
    loud = np.abs(samples) > 0.05
    assert loud.sum() / rate == pytest.approx(attempt.duration_seconds, abs=1.0)


PLAY = """
import sys
from pathlib import Path
import voiceprep.audio.devices as devices
from voiceprep.audio.playback import play_audio
if sys.argv[2] == "player":  # no PortAudio output: the sound server's own player
    def no_portaudio():
        raise OSError("PortAudio library not found")
    devices.sounddevice = no_portaudio
play_audio(Path(sys.argv[1]))
"""


@pytest.mark.slow
@pytest.mark.parametrize("suffix, way", [(".m4a", "portaudio"), (".m4a", "player"),
                                         (".wav", "player")])
def test_a_recording_kept_in_its_own_format_is_played(tmp_path, virtual_audio, suffix, way):
    """`score --audio answer.m4a --save` keeps the file as given: it plays like a WAV, through
    PortAudio or, without it, through the sound server's player."""
    from speech_samples import convert

    rate = 16000
    tone = tmp_path / "tone.wav"
    sf.write(tone, (0.3 * np.sin(2 * np.pi * 330 * np.arange(2 * rate) / rate)).astype(
        np.float32), rate)
    recording = tone if suffix == ".wav" else convert(tone, tmp_path / f"tone{suffix}")
    captured = tmp_path / "captured.wav"
    recorder = subprocess.Popen(
        ["parec", f"--device={virtual_audio.source}", "--file-format=wav", f"--rate={rate}",
         "--channels=1", str(captured)], env=virtual_audio.env)
    try:
        time.sleep(0.5)
        done = subprocess.run([sys.executable, "-c", PLAY, str(recording), way],
                              capture_output=True, text=True, env=virtual_audio.env, timeout=60)
        time.sleep(0.5)
    finally:
        recorder.terminate()
        recorder.wait(timeout=10)
    assert done.returncode == 0, done.stderr
    samples, _ = sf.read(str(captured))
    loud = np.abs(samples) > 0.1
    assert loud.sum() / rate == pytest.approx(2.0, abs=0.5)
    spectrum = np.abs(np.fft.rfft(samples))
    assert np.fft.rfftfreq(len(samples), 1 / rate)[spectrum.argmax()] == pytest.approx(330, abs=5)


def test_a_recording_that_cannot_be_decoded_is_said_so(tmp_path):
    broken = tmp_path / "answer.m4a"
    broken.write_bytes(b"not audio at all" * 10)
    with pytest.raises(AudioError, match="cannot decode audio file"):
        play_audio(broken)
