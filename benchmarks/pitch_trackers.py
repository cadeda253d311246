"""Pitch trackers compared on tones of known pitch and on speech: voiceprep's (YIN in numpy,
audio/voicing.py) against Praat (praat-parselmouth), which voiceprep used before, and librosa's
pyin, for accuracy, cost and memory.

    .venv/bin/python -m benchmarks.pitch_trackers [--librosa-path DIR] [--realspeech DIR]

librosa is not a voiceprep dependency; to include it, install it apart
(`pip install --target /tmp/librosa librosa`) and pass that directory.

Tones: voice-like harmonic tones (10 harmonics) at 14 fixed pitches from 70 to 400 Hz, clean and
with white noise at 10 dB SNR, plus glides (100->200 Hz over 2 s). Reported per tracker: median
and 95th-percentile absolute error in cents over voiced frames, gross errors (frames more than
50 cents off: octave jumps), voiced-frame recall, and seconds of compute per second of audio.
Speech: espeak-ng at pitch settings 20/50/80 (median Hz per setting), and the real-speech clips
(../shared/eval/realspeech), where there is no true pitch: voiceprep's track against Praat's,
frame by frame (voiced or not alike; within 50 cents where both are voiced) and in the figures
the coach shows (median, range, monotone seconds). Memory: what importing each adds to a fresh
Python's resident memory.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from speech_samples import REALSPEECH as DEFAULT_REALSPEECH
from speech_samples import synthesize_prosody, tone

SR = 16000
FLOOR, CEILING = 60.0, 500.0
PITCHES = (70, 85, 100, 110, 120, 135, 150, 165, 180, 200, 220, 260, 320, 400)
Tracker = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]  # -> (times, f0 with 0 unvoiced)


def voiceprep(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from voiceprep.scoring.pitch import track_pitch

    return track_pitch(samples.astype(np.float32), SR)


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
    from voiceprep.audio.load import load_audio

    text = ("I started in DevOps and moved into machine learning operations three years ago. "
            "Since then I have built training pipelines and monitoring for the fraud team.")
    print("\nspeech (espeak-ng): median Hz by pitch setting")
    for setting in (20, 50, 80):
        samples = load_audio(synthesize_prosody(text, tmp / f"p{setting}.wav", pitch=setting), SR)
        medians = {n: float(np.median(f0[f0 > 0])) for n, (_, f0) in
                   ((n, t(samples)) for n, t in trackers.items())}
        print(f"  -p {setting}: " + ", ".join(f"{n} {m:.1f} Hz" for n, m in medians.items()))


def measure_real(directory: Path) -> None:
    """voiceprep's track against Praat's on real speech, frame by frame and in the figures."""
    from voiceprep.audio.load import load_audio
    from voiceprep.scoring.pitch import summarize_pitch

    clips = sorted(p for p in directory.glob("*.*") if p.suffix in (".flac", ".wav", ".mp3"))
    if not clips:
        print(f"\nreal speech: no clips in {directory}")
        return
    print(f"\nreal speech ({len(clips)} clips): voiceprep against Praat")
    print(f"  {'clip':44} {'voiced':>11} {'same':>5} {'<50c':>5} | median Hz | range st | "
          "monotone s")
    rows = []
    for clip in clips:
        samples = load_audio(clip, SR)
        times, ours = voiceprep(samples)
        praat_times, theirs = praat(samples)
        # Praat's frames sit 2.5 ms off ours: the nearest of its frames, voiced or not
        theirs_here = theirs[np.clip(np.searchsorted(praat_times, times), 0, len(theirs) - 1)]
        a, b = ours > 0, theirs_here > 0
        both = a & b
        close = float(np.mean(cents(ours[both], theirs_here[both]) < 50))
        mine, ref = summarize_pitch(times, ours), summarize_pitch(praat_times, theirs)
        rows.append((float(np.mean(a == b)), close))
        figures = (f"{ref.median_hz:4.0f} {mine.median_hz:4.0f} | {ref.range_semitones:4.1f} "
                   f"{mine.range_semitones:4.1f} | {ref.monotone_seconds:4.1f} "
                   f"{mine.monotone_seconds:4.1f}") if mine and ref else "(too little voiced)"
        print(f"  {clip.name[:44]:44} {b.mean():4.0%}/{a.mean():4.0%} {np.mean(a == b):5.0%} "
              f"{close:5.0%} | {figures}")
    same, close = np.mean(rows, axis=0)
    print(f"  mean: voiced alike in {same:.1%} of frames; where both voiced, {close:.1%} within "
          "50 cents (Praat first, then voiceprep, in each pair)")


def import_memory() -> None:
    """Resident memory a fresh Python gains by importing each tracker (MB)."""
    import subprocess

    code = ("import numpy, resource, sys\n"
            "def rss():\n"
            "    return next(int(l.split()[1]) for l in open('/proc/self/status')"
            " if l.startswith('VmRSS'))\n"
            "before = rss()\n"
            "exec(sys.argv[1])\n"
            "print((rss() - before) / 1024)")
    print("\nresident memory added by the import (a fresh Python with numpy loaded):")
    for name, statement in (("voiceprep", "import voiceprep.scoring.pitch"),
                            ("praat", "import parselmouth")):
        out = subprocess.run([sys.executable, "-c", code, statement], capture_output=True,
                             text=True, check=True).stdout
        print(f"  {name:10} {float(out):6.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--librosa-path", type=Path, help="A directory where librosa is installed.")
    parser.add_argument("--realspeech", type=Path, default=DEFAULT_REALSPEECH)
    args = parser.parse_args()
    trackers: dict[str, Tracker] = {"voiceprep": voiceprep, "praat": praat}
    if args.librosa_path:
        sys.path.append(str(args.librosa_path))  # after the venv, so its numpy wins
        started = time.perf_counter()
        pyin(tone(150, 0.5, SR))  # librosa loads lazily and numba compiles on the first call
        print(f"librosa's first pyin call (import + compile): "
              f"{time.perf_counter() - started:.2f} s")
        trackers["pyin"] = pyin
    n = len(tone_cases())
    print(f"\ntones: {n} cases, 2 s each")
    print(f"  {'tracker':9} {'median':>8} {'p95':>8} {'gross':>7} {'voiced':>7} {'cost':>9}")
    results = {name: measure_tones(name, t) for name, t in trackers.items()}
    for name, r in results.items():
        print(f"  {name:9} {r['median_cents']:6.2f} c {r['p95_cents']:6.2f} c "
              f"{r['gross_percent']:6.2f}% {r['voiced_recall']:7.1%} {r['cost']:7.4f} x")
    for name in results:
        if name != "voiceprep":
            ratio = results[name]["cost"] / results["voiceprep"]["cost"]
            print(f"  {name} costs {ratio:.1f}x voiceprep's time per second of audio")
    with tempfile.TemporaryDirectory() as tmp:
        measure_speech(trackers, Path(tmp))
    measure_real(args.realspeech)
    import_memory()


if __name__ == "__main__":
    main()
