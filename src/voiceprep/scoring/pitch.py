"""The speaker's pitch over an answer, from its audio: median, range, and monotone stretches.

Pitch is tracked with Praat's autocorrelation method (praat-parselmouth): on voice-like tones of
known pitch it is as accurate as librosa's pyin at a thirtieth of the cost and without librosa's
dependencies (benchmarks/pitch_trackers.py).

A stretch sounds monotone when the pitch varies by less than 2 semitones (standard deviation)
over 8 s of speech, a rule of thumb from speech coaching research. Frames more than 9 semitones
from the window's median are left out of that standard deviation: they are the tracker's octave
jumps, which would otherwise make flat speech look lively.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from voiceprep.audio.load import SAMPLE_RATE, load_audio


@dataclass(frozen=True)
class PitchOptions:
    floor_hz: float = 60.0  # below a low male voice
    ceiling_hz: float = 500.0  # above a high female voice
    window_seconds: float = 8.0
    flat_semitones: float = 2.0
    # A window is judged only when at least this share of it is voiced (silence is not monotone).
    min_voiced_share: float = 0.25


@dataclass(frozen=True)
class Pitch:
    median_hz: float
    range_semitones: float  # from the 5th to the 95th percentile of the voiced frames
    monotone_seconds: float  # time covered by 8 s windows whose pitch spread is under 2 st
    monotone_stretches: tuple[tuple[float, float], ...] = ()  # (start, end) in seconds

    def to_dict(self) -> dict[str, Any]:
        return {"median_hz": self.median_hz, "range_semitones": self.range_semitones,
                "monotone_seconds": self.monotone_seconds,
                "monotone_stretches": [list(s) for s in self.monotone_stretches]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Pitch:
        return cls(median_hz=d["median_hz"], range_semitones=d["range_semitones"],
                   monotone_seconds=d["monotone_seconds"],
                   monotone_stretches=tuple(tuple(s) for s in d.get("monotone_stretches", ())))


def track_pitch(samples: np.ndarray, sample_rate: int = SAMPLE_RATE,
                options: PitchOptions = PitchOptions()) -> tuple[np.ndarray, np.ndarray]:
    """Frame times (10 ms apart) and pitch in Hz, 0 where the frame is not voiced."""
    import parselmouth

    if samples.size < int(0.1 * sample_rate):
        return np.zeros(0), np.zeros(0)
    sound = parselmouth.Sound(np.asarray(samples, dtype=np.float64), sampling_frequency=sample_rate)
    track = sound.to_pitch_ac(time_step=0.01, pitch_floor=options.floor_hz,
                              pitch_ceiling=options.ceiling_hz)
    return np.asarray(track.xs()), np.asarray(track.selected_array["frequency"])


def measure_pitch(samples: np.ndarray, sample_rate: int = SAMPLE_RATE,
                  options: PitchOptions = PitchOptions()) -> Pitch | None:
    """Median pitch, range and monotone time of an answer; None when too little is voiced."""
    times, f0 = track_pitch(samples, sample_rate, options)
    voiced = f0 > 0
    if voiced.sum() < 50:  # under half a second of voice: no pitch figures worth showing
        return None
    hz = f0[voiced]
    median = float(np.median(hz))
    semitones = 12 * np.log2(hz / median)
    low, high = np.percentile(semitones, [5, 95])
    stretches = _monotone_stretches(times[voiced], semitones, options)
    return Pitch(median_hz=round(median, 1), range_semitones=round(float(high - low), 1),
                 monotone_seconds=round(sum(e - s for s, e in stretches), 1),
                 monotone_stretches=stretches)


def pitch_of_file(path: Path, options: PitchOptions = PitchOptions()) -> Pitch | None:
    """measure_pitch() of an audio file (AudioError when it cannot be decoded)."""
    return measure_pitch(load_audio(path), SAMPLE_RATE, options)


def _spread(semitones: np.ndarray) -> float:
    kept = semitones[np.abs(semitones - np.median(semitones)) < 9]
    return float(np.std(kept))


def _monotone_stretches(times: np.ndarray, semitones: np.ndarray,
                        options: PitchOptions) -> tuple[tuple[float, float], ...]:
    """Union of the 8 s windows (a second apart) whose voiced pitch spread is under the limit;
    an answer shorter than a window is judged as one window."""
    window = options.window_seconds
    first, last = float(times[0]), float(times[-1])
    final = max(first, last - window)
    starts = np.append(np.arange(first, final, 1.0), final)  # the last window ends at the end
    needed = options.min_voiced_share * min(window, last - first) / 0.01
    flat: list[tuple[float, float]] = []
    lows = np.searchsorted(times, starts, side="left")
    highs = np.searchsorted(times, starts + window, side="left")
    for low, high in zip(lows, highs, strict=True):
        if high - low < needed or _spread(semitones[low:high]) >= options.flat_semitones:
            continue
        span = (float(times[low]), float(times[high - 1]))
        if flat and span[0] <= flat[-1][1]:
            flat[-1] = (flat[-1][0], max(flat[-1][1], span[1]))
        else:
            flat.append(span)
    return tuple((round(s, 1), round(e, 1)) for s, e in flat)
