"""Real synthetic speech for tests and benchmarks: espeak-ng or flite to a WAV file, plus silence
and noise. It sits at the top of the checkout because both tests/ (pytest puts the checkout on
the path) and benchmarks/ (they add it) use it, and neither should import the other; it is not
part of the installed package."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf

# Answers with domain terms, as a candidate would say them.
DOMAIN_SENTENCES = (
    "We run our training jobs on Kubernetes and watch the dashboards in Grafana.",
    "The XGBoost model is trained on SageMaker and every run is tracked in MLflow.",
    "I moved the batch pipeline to Kubernetes, and Grafana alerts us when latency goes up.",
    "We compared XGBoost with a neural network, and logged both experiments in MLflow.",
    "Our team deployed the endpoint on SageMaker with a canary release.",
)
DOMAIN_TERMS = ("Kubernetes", "Grafana", "SageMaker", "XGBoost", "MLflow")

# Spontaneous-style answers with the fillers a person says; espeak-ng says "um" and "uh" aloud.
FILLER_SENTENCES = (
    "Um, so, the main problem was, uh, latency in the feature store.",
    "Uh, I think we, um, retrained the model every week.",
    "So, um, we added monitoring, and, uh, the drift alerts went down.",
    "Um, the first thing I did was, uh, write the tests.",
    "Well, uh, we had, um, about fifty models in production.",
    "Um, honestly, uh, I would do it differently now.",
)
FILLERS = ("um", "uh")

# Real human speech, when the evaluation set sits beside the checkout (../shared/eval/realspeech).
REALSPEECH = Path(__file__).resolve().parent.parent / "shared" / "eval" / "realspeech"


def realspeech_references() -> dict[str, str]:
    """Clip file name -> its reference transcript ({} when the set is not there)."""
    manifest = REALSPEECH / "manifest.tsv"
    if not manifest.exists():
        return {}
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()[1:]]
    return {row[0]: row[2] for row in rows if len(row) > 2}


# Speech the tests use, recorded once and checked in: another espeak-ng or flite version speaks
# the same text a little differently, and the tests' tolerances were measured on these samples.
# Text not recorded yet is synthesised; VOICEPREP_RECORD_SPEECH=1 adds it here (lossless FLAC).
RECORDED = Path(__file__).resolve().parent / "tests" / "data" / "speech"


def _recorded(path: Path, key: str, make: Callable[[], object]) -> Path:
    """Write the recording stored under `key` to `path`, or make it with `make()`."""
    stored = RECORDED / f"{hashlib.sha1(key.encode()).hexdigest()[:16]}.flac"
    path.parent.mkdir(parents=True, exist_ok=True)
    if stored.exists():
        data, rate = sf.read(stored, dtype="int16")
        sf.write(path, data, rate, subtype="PCM_16")
        return path
    make()
    if os.environ.get("VOICEPREP_RECORD_SPEECH") == "1":
        RECORDED.mkdir(parents=True, exist_ok=True)
        data, rate = sf.read(path, dtype="int16")
        sf.write(stored, data, rate, format="FLAC")
    return path


def have_espeak() -> bool:
    return shutil.which("espeak-ng") is not None


def have_flite() -> bool:
    return shutil.which("flite") is not None


def synthesize(text: str, path: Path, voice: str = "espeak-ng", rate: int = 160) -> Path:
    """Speak `text` into a WAV file with espeak-ng (default), flite or Piper's natural voice.

    `voice` is an engine with an optional variant after a colon: "espeak-ng:en-gb-scotland",
    "espeak-ng:en-us+f3", "flite:slt", "piper:joe". flite and Piper speak at their own pace.
    After an "@", sox effects change the voice: "flite:slt@pitch=-300@tempo=1.1" is slt three
    semitones lower and 10% faster (`sox ... pitch -300 tempo 1.1`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    voice, _, effects = voice.partition("@")
    if effects:
        plain = synthesize(text, path.with_name(path.stem + "-plain.wav"), voice, rate)
        sox = ["sox", str(plain), str(path)] + [
            part for effect in effects.split("@") for part in effect.split("=")]
        subprocess.run(sox, check=True, capture_output=True)
        plain.unlink()
        return path
    engine, _, variant = voice.partition(":")
    if engine == "espeak-ng":
        cmd = ["espeak-ng", "-w", str(path), "-s", str(rate), *(["-v", variant] if variant else []),
               text]
    elif engine == "flite":
        cmd = ["flite", *(["-voice", variant] if variant else []), "-t", text, "-o", str(path)]
    elif engine == "piper":
        from voiceprep.audio.natural_voice import PiperSpeaker

        PiperSpeaker().save_to_file(text, path)
        return path
    else:
        raise ValueError(f"unknown voice {voice}")
    return _recorded(path, f"{voice}|{rate}|{text}",
                     lambda: subprocess.run(cmd, check=True, capture_output=True))


def synthesize_cached(text: str, cache_dir: Path, voice: str = "espeak-ng",
                      rate: int = 160) -> Path:
    """Like synthesize(), but reuse the WAV made earlier for the same text and voice."""
    digest = hashlib.sha1(f"{voice}|{rate}|{text}".encode()).hexdigest()[:16]
    path = Path(cache_dir) / f"{voice.replace(':', '-')}-{digest}.wav"
    if not path.exists():
        synthesize(text, path, voice, rate)
    return path


def write_silence(path: Path, seconds: float = 30.0, sample_rate: int = 16000) -> Path:
    sf.write(path, np.zeros(int(seconds * sample_rate), dtype=np.float32), sample_rate)
    return path


def noise(kind: str, seconds: float = 30.0, sample_rate: int = 16000, level: float = 0.05,
          seed: int = 0) -> np.ndarray:
    """White, pink or brown noise at `level` RMS, made with numpy (no files needed)."""
    rng = np.random.default_rng(seed)
    n = int(seconds * sample_rate)
    white = rng.standard_normal(n)
    if kind == "white":
        x = white
    else:
        spectrum = np.fft.rfft(white)
        freqs = np.fft.rfftfreq(n, 1 / sample_rate)
        freqs[0] = freqs[1]
        power = 1.0 if kind == "pink" else 2.0 if kind == "brown" else None
        if power is None:
            raise ValueError(f"unknown noise {kind}")
        x = np.fft.irfft(spectrum / freqs ** (power / 2), n)
    x = x / np.sqrt(np.mean(x ** 2)) * level
    return x.astype(np.float32)


def write_noise(path: Path, kind: str, seconds: float = 30.0, sample_rate: int = 16000,
                level: float = 0.05) -> Path:
    sf.write(path, noise(kind, seconds, sample_rate, level), sample_rate)
    return path


def pad_with_silence(src: Path, dst: Path, after: float = 10.0, before: float = 0.0) -> Path:
    """The same speech with silence before and after (what a recording that ran on looks like)."""
    data, rate = sf.read(src, dtype="float32")
    parts = [np.zeros(int(before * rate), dtype=np.float32), data,
             np.zeros(int(after * rate), dtype=np.float32)]
    sf.write(dst, np.concatenate(parts), rate)
    return dst


def convert(src: Path, dst: Path, *args: str) -> Path:
    """Convert with ffmpeg (format from the extension; extra args such as -ar 44100 -ac 2)."""
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(src), *args, str(dst)],
                   check=True, capture_output=True)
    return dst


def synthesize_prosody(text: str, path: Path, voice: str = "espeak-ng", *, rate: int = 160,
                       pitch: int = 50, lively: bool | None = None) -> Path:
    """Speech with a chosen speed, pitch and liveliness: `lively` False is flat (espeak-ng SSML
    range x-low, flite f0 stddev 0), True is lively (x-high; stddev 25 Hz, about 10 semitones from
    the 5th to the 95th percentile), None the voice's own."""
    if voice == "espeak-ng":
        span = {None: "medium", False: "x-low", True: "x-high"}[lively]
        ssml = f'<speak><prosody range="{span}">{text}</prosody></speak>'
        cmd = ["espeak-ng", "-m", "-w", str(path), "-s", str(rate), "-p", str(pitch), ssml]
    elif voice == "flite":
        cmd = ["flite", "-t", text, "-o", str(path),
               "--setf", f"duration_stretch={160 / rate:.3f}"]
        if lively is not None:
            cmd += ["--setf", f"int_f0_target_stddev={25 if lively else 0}"]
    else:
        raise ValueError(f"unknown voice {voice}")
    return _recorded(path, f"prosody|{voice}|{rate}|{pitch}|{lively}|{text}",
                     lambda: subprocess.run(cmd, check=True, capture_output=True))


def tone(f0: float | np.ndarray, seconds: float, sample_rate: int = 16000,
         snr_db: float | None = None, seed: int = 0) -> np.ndarray:
    """A voice-like harmonic tone (10 harmonics, falling 1/k) of known pitch: `f0` in Hz, a
    number or one value per sample (a glide), with white noise at `snr_db` when given."""
    n = int(seconds * sample_rate)
    freq = np.broadcast_to(np.asarray(f0, dtype=np.float64), (n,))
    phase = 2 * np.pi * np.cumsum(freq) / sample_rate
    x = sum(np.sin(k * phase) / k for k in range(1, 11))
    x = 0.3 * x / np.max(np.abs(x))
    if snr_db is not None:
        rms = np.sqrt(np.mean(x ** 2))
        x = x + np.random.default_rng(seed).standard_normal(n) * rms / 10 ** (snr_db / 20)
    return x.astype(np.float32)


def vowel(seconds: float, f1: float | np.ndarray, f2: float | np.ndarray, f0: float = 120.0,
          sample_rate: int = 16000) -> np.ndarray:
    """A vowel: a pulse train at `f0` through two resonators at formants `f1` and `f2` (Hz, a
    number or one per sample)."""
    n = int(seconds * sample_rate)
    source = np.zeros(n)
    source[:: int(sample_rate / f0)] = 1.0
    for formant, bandwidth in ((f1, 80.0), (f2, 100.0)):
        freq = np.broadcast_to(np.asarray(formant, dtype=float), (n,))
        r = np.exp(-np.pi * bandwidth / sample_rate)
        out, y1, y2 = np.zeros(n), 0.0, 0.0
        for i in range(n):
            y0 = source[i] + 2 * r * np.cos(2 * np.pi * freq[i] / sample_rate) * y1 - r * r * y2
            out[i], y2, y1 = y0, y1, y0
        source = out
    return (0.3 * source / np.abs(source).max()).astype(np.float32)
