"""Replaying a recorded answer through the default audio output."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from voiceprep.errors import AudioError
from voiceprep.interrupts import stop_signals_kept_from_new_threads


def play_audio(path: Path) -> None:
    """Play a recording to the default output and wait until it ends (AudioError if we can't)."""
    path = Path(path)
    if not path.is_file():
        raise AudioError(f"no recording at {path}")
    reasons = []
    try:
        import soundfile as sf

        from voiceprep.audio.devices import sounddevice

        sd = sounddevice()

        data, rate = sf.read(str(path), dtype="float32")
        sd.check_output_settings(samplerate=rate,
                                 channels=1 if data.ndim == 1 else data.shape[1])
        try:
            with stop_signals_kept_from_new_threads():  # see interrupts: no hang on Ctrl-C
                sd.play(data, rate)
            sd.wait()
        except KeyboardInterrupt:
            sd.stop()
            raise
        return
    except Exception as e:  # no device, no PortAudio or an unreadable file: try the players
        reasons.append(str(e).splitlines()[0] if str(e) else type(e).__name__)
    for player in (["paplay"], ["aplay", "-q"]):
        if shutil.which(player[0]) is None:
            continue
        done = subprocess.run([*player, str(path)], capture_output=True, text=True)
        if done.returncode == 0:
            return
        reasons.append(f"{player[0]}: {(done.stderr.strip().splitlines() or ['failed'])[-1]}")
    raise AudioError(f"cannot play {path}: no audio output device ({'; '.join(reasons)})")
