"""Text to speech: speak a question aloud (pyttsx3 with espeak-ng on Linux, or the natural voice
of natural_voice.py when it is installed and chosen), or stay silent."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import tempfile
import textwrap
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from voiceprep.errors import SpeechError

if TYPE_CHECKING:
    from voiceprep.audio.natural_voice import PiperSpeaker as NaturalSpeaker

DEFAULT_RATE = 175  # words per minute: an unhurried interviewer (pyttsx3's own default is 200)


class Speaker(Protocol):
    """Something that speaks a prompt; `unavailable_reason` says why it is silent, if it is."""

    unavailable_reason: str | None

    def say(self, text: str) -> None: ...


class SilentSpeaker:
    """Speaks nothing and remembers what it was asked to say (--no-voice, tests, no TTS)."""

    def __init__(self, unavailable_reason: str | None = None):
        self.unavailable_reason = unavailable_reason
        self.spoken: list[str] = []

    def say(self, text: str) -> None:
        self.spoken.append(text)


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...]
    gender: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "languages": list(self.languages),
                "gender": self.gender}


# pyttsx3 keeps one engine per driver and espeak can only be initialised once per process, so
# voiceprep holds a single engine and serialises its use.
_engine: Any = None
_engine_lock = threading.RLock()


def _get_engine() -> Any:
    global _engine
    with _engine_lock:
        if _engine is None:
            try:
                import pyttsx3

                _engine = pyttsx3.init()
            except Exception as e:  # noqa: BLE001 - a missing libespeak-ng raises OSError etc.
                raise SpeechError(
                    f"text-to-speech is unavailable: {first_line(e)} "
                    "(install espeak-ng: `make install` or `apt-get install espeak-ng`)") from None
        return _engine


def first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


def list_voices() -> list[Voice]:
    """The voices that can speak here: the natural voice first when it is installed, then
    espeak-ng's."""
    from voiceprep.audio import natural_voice

    engine = _get_engine()
    with _engine_lock:
        voices = engine.getProperty("voices")
    natural = [] if natural_voice.missing_reason() else [natural_voice.VOICE]
    return natural + [Voice(id=str(v.id), name=str(v.name), languages=tuple(v.languages or ()),
                            gender=v.gender) for v in voices]


def find_voice(wanted: str) -> Voice:
    """An espeak-ng voice by id ("gmw/en-us"), name ("English (America)") or language ("en-us")."""
    key = wanted.strip().lower()
    voices = [v for v in list_voices() if v.id.split("/")[0] != "piper"]
    for match in (lambda v: v.id.lower() == key,
                  lambda v: v.name.lower() == key,
                  lambda v: key in (lang.lower() for lang in v.languages),
                  lambda v: v.id.lower().split("/")[-1] == key):
        found = [v for v in voices if match(v)]
        if found:
            return found[0]
    raise SpeechError(f"unknown voice '{wanted}': run `voiceprep voices` to list them")


class Pyttsx3Speaker:
    """Speaks through pyttsx3.

    On Linux pyttsx3 2.99's espeak driver plays sound by shelling out to `aplay` (often missing,
    and silent when it is) and prints "Audio saved to ...": voiceprep has it synthesise to a WAV
    instead and plays the samples itself through PortAudio, which also works with PulseAudio.
    """

    def __init__(self, voice: str | None = None, rate: int | None = None,
                 output_device: int | str | None = None, *, keep_going: bool = False):
        self.engine = _get_engine()
        self.voice = find_voice(voice) if voice else None
        self.rate = int(rate) if rate else DEFAULT_RATE
        if not 40 <= self.rate <= 500:
            raise SpeechError(f"speaking rate {self.rate} is out of range (40-500 words/minute)")
        self.output_device = output_device
        # keep_going: a failure while speaking goes silent (reason kept) instead of raising.
        self.keep_going = keep_going
        self.unavailable_reason: str | None = None

    @property
    def _synthesises_to_file(self) -> bool:
        return getattr(self.engine, "driver_name", None) == "espeak"

    def _run(self, queue_call: Any, timeout: float) -> None:
        """Set voice and rate, queue one utterance, run the loop and wait until it is finished.

        In pyttsx3 2.99's espeak driver runAndWait() returns as soon as synthesis has started
        (espeak-ng synthesises on its own thread), so the end of the utterance is awaited through
        the "finished-utterance" notification; a hung engine becomes a SpeechError.
        """
        with _engine_lock:
            finished = threading.Event()
            token = self.engine.connect("finished-utterance", lambda **_: finished.set())
            errors: list[BaseException] = []

            def run() -> None:
                try:
                    self.engine.runAndWait()
                except BaseException as e:  # noqa: BLE001 - handed to the caller's thread
                    errors.append(e)

            try:
                # The driver prints "Audio saved to ..." from espeak's thread.
                with contextlib.redirect_stdout(io.StringIO()):
                    if self.voice is not None:
                        self.engine.setProperty("voice", self.voice.id)
                    self.engine.setProperty("rate", self.rate)
                    queue_call()
                    worker = threading.Thread(target=run, name="voiceprep-tts", daemon=True)
                    worker.start()
                    worker.join(timeout)
                    done = not worker.is_alive() and (errors or finished.wait(timeout))
            finally:
                self.engine.disconnect(token)
            if errors:
                raise SpeechError(f"text-to-speech failed: {first_line(errors[0])}")
            if not done:
                with contextlib.suppress(Exception):
                    self.engine.stop()
                raise SpeechError(f"text-to-speech did not finish within {timeout:.0f} s")

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        """The spoken text as int16 mono samples and their sample rate."""
        pieces = [self._synthesize_piece(piece) for piece in text_pieces(text)]
        if not pieces:
            raise SpeechError("nothing to say: the text is empty")
        return np.concatenate([samples for samples, _ in pieces]), pieces[0][1]

    def _synthesize_piece(self, text: str) -> tuple[np.ndarray, int]:
        import soundfile as sf

        with tempfile.TemporaryDirectory(prefix="voiceprep-tts-") as tmp:
            path = Path(tmp) / "speech.wav"
            self._save_piece(text, path)
            samples, rate = sf.read(path, dtype="int16")
        return samples, int(rate)

    def save_to_file(self, text: str, path: Path | str) -> Path:
        """Write the spoken text to a WAV file, a piece of the text at a time."""
        import soundfile as sf

        pieces = text_pieces(text)
        if not pieces:
            raise SpeechError("nothing to say: the text is empty")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if len(pieces) == 1:
            return self._save_piece(pieces[0], path)
        samples, rate = self._synthesize_piece(pieces[0])
        with sf.SoundFile(str(path), "w", samplerate=rate, channels=1, subtype="PCM_16") as wav:
            wav.write(samples)
            for piece in pieces[1:]:
                wav.write(self._synthesize_piece(piece)[0])
        return path

    def _save_piece(self, text: str, path: Path) -> Path:
        program = shutil.which("espeak-ng") if self._synthesises_to_file else None
        if program is not None:
            return self._save_with_espeak_ng(program, text, path)
        # An earlier save_to_file's target stays set in pyttsx3's espeak driver; set it each time.
        # About one run in ten, the driver reports the utterance finished after writing a file
        # with no audio (measured: 2 of 15 in a row); the audio comes on a second run.
        for _ in range(2):
            self._run(lambda: self.engine.save_to_file(text, str(path)), timeout_for(text))
            if path.is_file() and path.stat().st_size > 44:
                return path
        raise SpeechError(f"text-to-speech wrote no audio to {path}")

    def _save_with_espeak_ng(self, program: str, text: str, path: Path) -> Path:
        """The piece synthesised by espeak-ng's own command, in a process of its own: the same
        library and voice as pyttsx3's espeak driver give, sample for sample, without the
        driver's state shared between utterances (under load, a saved text of several pieces
        once came out seconds longer than its pieces saved one by one)."""
        voice = self.voice.id if self.voice is not None else self.engine.getProperty("voice")
        command = [program, "-s", str(self.rate), "-w", str(path), "--stdin"]
        if voice:
            command[1:1] = ["-v", str(voice)]
        try:
            done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True,
                                  timeout=timeout_for(text))
        except subprocess.TimeoutExpired:
            raise SpeechError(f"text-to-speech did not finish within {timeout_for(text):.0f} s"
                              ) from None
        if done.returncode != 0 or not (path.is_file() and path.stat().st_size > 44):
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise SpeechError(f"text-to-speech failed: {said[0][:200] if said else 'no audio'}")
        return path

    def say(self, text: str) -> None:
        """Speak the text aloud and return when it has been played."""
        text = speakable(text).strip()
        if not text or self.unavailable_reason:
            return
        try:
            self._say(text)
        except SpeechError as e:
            if not self.keep_going:
                raise
            self.unavailable_reason = str(e)

    def _say(self, text: str) -> None:
        if not self._synthesises_to_file:
            self._run(lambda: self.engine.say(text), timeout_for(text))
            return
        for piece in text_pieces(text):
            samples, rate = self._synthesize_piece(piece)
            play_samples(samples, rate, self.output_device)


# pyttsx3's espeak driver keeps an utterance's audio in one bytes object that it extends for each
# block espeak-ng hands it, which takes time in the square of the text's length, and a long
# enough text crashes the process: espeak-ng is given the text a few sentences at a time.
PIECE_CHARACTERS = 1000


def speakable(text: str) -> str:
    """The text without what a voice would read out by its name: emoji and other pictographs
    ("an angry customer 😡" is not "an angry customer pouting face"), their skin tones,
    joiners, keycaps and variation selectors. Symbols a voice says as words stay ("40°C", "№",
    "©", an accent typed as an apostrophe: "don´t")."""
    if text.isascii():
        return text
    kept = "".join(" " if _pictograph(c) else c for c in text
                   if c not in "\u200d\u20e3\ufe0e\ufe0f" and not 0xE0020 <= ord(c) <= 0xE007F)
    return re.sub(r"[ \t]{2,}", " ", kept)


def _pictograph(c: str) -> bool:
    """An arrow, a dingbat, an emoji or another pictograph (from U+2190 on), or an emoji's
    modifier (a skin tone)."""
    kind = unicodedata.category(c)
    return kind == "So" and ord(c) >= 0x2190 or kind == "Sk" and ord(c) >= 0x1F000 or kind == "Co"


def text_pieces(text: str, limit: int = PIECE_CHARACTERS) -> list[str]:
    """The text in pieces of at most `limit` characters (`speakable`), cut after a sentence
    where one ends in time, else between words (a word longer than the limit is cut)."""
    pieces: list[str] = []
    for sentence in re.split(r"(?<=[.!?;:])\s+", speakable(text).strip()):
        for part in textwrap.wrap(sentence, limit, break_on_hyphens=False):
            if pieces and len(pieces[-1]) + 1 + len(part) <= limit:
                pieces[-1] += " " + part
            else:
                pieces.append(part)
    return pieces


def timeout_for(text: str) -> float:
    return 20.0 + 0.2 * len(text)


def play_samples(samples: np.ndarray, sample_rate: int, device: int | str | None = None) -> None:
    """Play samples on an output device and wait until they have been heard."""
    from voiceprep.audio.devices import sounddevice, started_stream

    sd = sounddevice()
    samples = np.asarray(samples)
    if samples.ndim == 1:
        samples = samples[:, None]
    try:
        with started_stream(lambda: sd.OutputStream(
                samplerate=sample_rate, channels=samples.shape[1], dtype=samples.dtype.name,
                device=device)) as stream:
            stream.write(np.ascontiguousarray(samples))
    except sd.PortAudioError as e:
        raise SpeechError(f"cannot play audio: {first_line(e)}") from None


def output_unavailable_reason(device: int | str | None = None) -> str | None:
    """Why nothing can be played on `device` (the default output when None), or None."""
    from voiceprep.audio.devices import list_output_devices
    from voiceprep.errors import RecorderError

    try:
        outputs = list_output_devices()
    except RecorderError as e:
        return str(e)
    if not outputs:
        return "no audio output device (PortAudio sees no speakers)"
    if device is None and not any(d["is_default"] for d in outputs):
        return "no default audio output device"
    return None


def fallback_note(voice: str | None) -> str | None:
    """One line saying so when `voice` asks for the natural voice and it cannot speak here."""
    from voiceprep.audio import natural_voice

    if not natural_voice.is_natural(voice):
        return None
    reason = natural_voice.missing_reason()
    return f"The natural voice '{natural_voice.NAME}' is {reason}: speaking with espeak-ng." \
        if reason else None


def open_speaker(voice: str | None = None, rate: int | None = None,
                 output_device: int | str | None = None, *,
                 keep_going: bool = False) -> Pyttsx3Speaker | NaturalSpeaker:
    """The speaker for `voice`: the natural voice (espeak-ng's default when it is not
    installed, see `fallback_note`) or an espeak-ng voice (SpeechError when unknown)."""
    from voiceprep.audio import natural_voice

    if natural_voice.is_natural(voice):
        if natural_voice.missing_reason() is None:
            return natural_voice.PiperSpeaker(rate, output_device, keep_going=keep_going)
        voice = None
    return Pyttsx3Speaker(voice=voice, rate=rate, output_device=output_device,
                          keep_going=keep_going)


def make_speaker(enabled: bool = True, voice: str | None = None, rate: int | None = None,
                 output_device: int | str | None = None) -> Speaker:
    """A speaker for the practice loop: the real one when it can speak, else a silent one.

    The silent one's `unavailable_reason` says why (None when speech was turned off on purpose).
    An unknown voice or a bad rate is the user's mistake and raises SpeechError. The real one
    never raises from say(): if speaking fails later it goes silent and sets unavailable_reason.
    """
    from voiceprep.audio import natural_voice

    if not enabled:
        return SilentSpeaker()
    natural = natural_voice.is_natural(voice) and natural_voice.missing_reason() is None
    if not natural:
        try:
            _get_engine()
        except SpeechError as e:
            return SilentSpeaker(unavailable_reason=str(e))
    speaker = open_speaker(voice, rate, output_device, keep_going=True)
    if natural or (isinstance(speaker, Pyttsx3Speaker) and speaker._synthesises_to_file):
        reason = output_unavailable_reason(output_device)
        if reason:
            return SilentSpeaker(unavailable_reason=reason)
    return speaker
