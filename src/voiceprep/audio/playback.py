"""Replaying a recorded answer through the default audio output."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np

from voiceprep.errors import AudioError
from voiceprep.interrupts import stop_signals_kept_from_new_threads


def play_audio(path: Path) -> None:
    """Play a recording to the default output and wait until it ends (AudioError if we can't).

    The file is read as it is (a WAV or FLAC at its own rate) or, in a format soundfile does not
    read (M4A, say), decoded as every recording is: a file that cannot be decoded is said so,
    not taken for a missing output device."""
    path = Path(path)
    if not path.is_file():
        raise AudioError(f"no recording at {path}")
    data, rate = _samples(path)
    channels = 1 if data.ndim == 1 else data.shape[1]
    reasons = []
    try:
        from voiceprep.audio.devices import sounddevice

        sd = sounddevice()
        sd.check_output_settings(samplerate=rate, channels=channels)
        try:
            with stop_signals_kept_from_new_threads():  # see interrupts: no hang on Ctrl-C
                sd.play(data, rate)
            sd.wait()
        except KeyboardInterrupt:
            sd.stop()
            raise
        return
    except Exception as e:  # no device or no PortAudio: try the players
        reasons.append(str(e).splitlines()[0] if str(e) else type(e).__name__)
    raw = np.ascontiguousarray(data, dtype="<f4").tobytes()
    for player in (["paplay", "--raw", "--format=float32le", f"--rate={rate}",
                    f"--channels={channels}"],
                   ["aplay", "-q", "-t", "raw", "-f", "FLOAT_LE", "-r", str(rate),
                    "-c", str(channels)]):
        if shutil.which(player[0]) is None:
            continue
        done = subprocess.run(player, input=raw, capture_output=True)
        if done.returncode == 0:
            return
        error = done.stderr.decode(errors="replace").strip().splitlines() or ["failed"]
        reasons.append(f"{player[0]}: {error[-1]}")
    raise AudioError(f"cannot play {path}: no audio output device ({'; '.join(reasons)})")


def _samples(path: Path) -> tuple[np.ndarray, int]:
    """The recording's samples (float32, frames by channels) and rate."""
    import soundfile as sf

    try:
        data, rate = sf.read(str(path), dtype="float32")
        return data, int(rate)
    except Exception:  # noqa: BLE001 - a format libsndfile does not read
        from voiceprep.audio.load import SAMPLE_RATE, load_audio

        return load_audio(path), SAMPLE_RATE
