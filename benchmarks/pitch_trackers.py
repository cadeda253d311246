"""Pitch trackers compared on tones of known pitch and on speech: Praat (praat-parselmouth)
against librosa's pyin, for accuracy and cost.

    .venv/bin/python -m benchmarks.pitch_trackers [--librosa-path DIR]

librosa is not a voiceprep dependency; to include it, install it apart
(`pip install --target /tmp/librosa librosa`) and pass that directory.

Tones: voice-like harmonic tones (10 harmonics) at 14 fixed pitches from 70 to 400 Hz, clean and
with white noise at 10 dB SNR, plus glides (100->200 Hz over 2 s). Reported per tracker: median
and 95th-percentile absolute error in cents over voiced frames, gross errors (frames more than
50 cents off: octave jumps), voiced-frame recall, and seconds of compute per second of audio.
Speech: espeak-ng at pitch settings 20/50/80: median Hz per setting and the two trackers'
agreement frame by frame.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from speech_samples import synthesize_prosody, tone

SR = 16000
FLOOR, CEILING = 60.0, 500.0
PITCHES = (70, 85, 100, 110, 120, 135, 150, 165, 180, 200, 220, 260, 320, 400)
Tracker = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]  # -> (times, f0 with 0 unvoiced)


def praat(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import parselmouth

    pitch = parselmouth.Sound(samples.astype(np.float64), sampling_frequency=SR).to_pitch_ac(
        time_step=0.01, pitch_floor=FLOOR, pitch_ceiling=CEILING)
    return pitch.xs(), pitch.selected_array["frequency"]


def pyin(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import librosa

    f0, voiced, _ = librosa.pyin(samples, fmin=FLOOR, fmax=CEILING, sr=SR, frame_length=1024,
                                 hop_length=160)
    f0 = np.where(voiced, np.nan_to_num(f0), 0.0)
    return librosa.times_like(f0, sr=SR, hop_length=160), f0


def cents(estimate: np.ndarray, truth: np.ndarray) -> np.ndarray:
    return np.abs(1200 * np.log2(estimate / truth))


def tone_cases() -> list[tuple[str, np.ndarray, Callable[[np.ndarray], np.ndarray]]]:
    cases = []
    for f0 in PITCHES:
        for snr in (None, 10.0):
            name = f"{f0} Hz" + (f" SNR {snr:.0f} dB" if snr else "")
            cases.append((name, tone(f0, 2.0, SR, snr, seed=f0),
                          lambda t, f0=f0: np.full_like(t, f0, dtype=float)))
    glide = np.geomspace(100, 200, 2 * SR)
    cases.append(("glide 100-200 Hz", tone(glide, 2.0, SR),
                  lambda t: np.geomspace(100, 200, 2 * SR)[np.clip((t * SR).astype(int), 0,
                                                                   2 * SR - 1)]))
    return cases


def measure_tones(name: str, tracker: Tracker) -> dict[str, float]:
    errors, frames, voiced, seconds, audio = [], 0, 0, 0.0, 0.0
    for _, samples, truth in tone_cases():
        started = time.perf_counter()
        times, f0 = tracker(samples)
        seconds += time.perf_counter() - started
        audio += len(samples) / SR
        inner = (times > 0.1) & (times < len(samples) / SR - 0.1)  # onsets are not pitch
        frames += int(inner.sum())
        hit = inner & (f0 > 0)
        voiced += int(hit.sum())
        errors.extend(cents(f0[hit], truth(times[hit])))
    e = np.array(errors)
    return {"median_cents": float(np.median(e)), "p95_cents": float(np.percentile(e, 95)),
            "gross_percent": float(100 * np.mean(e > 50)),
            "voiced_recall": voiced / frames, "cost": seconds / audio}


def measure_speech(trackers: dict[str, Tracker], tmp: Path) -> None:
    import soundfile as sf

    from voiceprep.audio.load import load_audio

    text = ("I started in DevOps and moved into machine learning operations three years ago. "
            "Since then I have built training pipelines and monitoring for the fraud team.")
    print("\nspeech (espeak-ng): median Hz by pitch setting; agreement = frames voiced by both "
          "within 50 cents")
    for setting in (20, 50, 80):
        wav = synthesize_prosody(text, tmp / f"p{setting}.wav", pitch=setting)
        samples = load_audio(wav, SR)
        sf.write(tmp / "x.wav", samples, SR)
        tracks = {n: t(samples) for n, t in trackers.items()}
        medians = {n: float(np.median(f0[f0 > 0])) for n, (_, f0) in tracks.items()}
        line = f"  -p {setting}: " + ", ".join(f"{n} {m:.1f} Hz" for n, m in medians.items())
        if len(tracks) == 2:
            (_, a), (_, b) = tracks.values()
            n = min(len(a), len(b))
            both = (a[:n] > 0) & (b[:n] > 0)
            agree = float(np.mean(cents(a[:n][both], b[:n][both]) < 50))
            line += f"; agreement {agree:.1%} of {int(both.sum())} frames"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--librosa-path", type=Path, help="A directory where librosa is installed.")
    args = parser.parse_args()
    trackers: dict[str, Tracker] = {"praat": praat}
    started = time.perf_counter()
    import parselmouth  # noqa: F401
    print(f"import parselmouth: {time.perf_counter() - started:.2f} s")
    if args.librosa_path:
        sys.path.append(str(args.librosa_path))  # after the venv, so its numpy wins
        started = time.perf_counter()
        pyin(tone(150, 0.5, SR))  # librosa loads lazily and numba compiles on the first call
        print(f"librosa's first pyin call (import + compile): "
              f"{time.perf_counter() - started:.2f} s")
        trackers["pyin"] = pyin
    n = len(tone_cases())
    print(f"\ntones: {n} cases, 2 s each")
    print(f"  {'tracker':8} {'median':>8} {'p95':>8} {'gross':>7} {'voiced':>7} {'cost':>9}")
    results = {name: measure_tones(name, t) for name, t in trackers.items()}
    for name, r in results.items():
        print(f"  {name:8} {r['median_cents']:6.2f} c {r['p95_cents']:6.2f} c "
              f"{r['gross_percent']:6.2f}% {r['voiced_recall']:7.1%} {r['cost']:7.4f} x")
    if "pyin" in results:
        ratio = results["pyin"]["cost"] / results["praat"]["cost"]
        print(f"  pyin costs {ratio:.0f}x Praat's time per second of audio")
    with tempfile.TemporaryDirectory() as tmp:
        measure_speech(trackers, Path(tmp))


if __name__ == "__main__":
    main()
