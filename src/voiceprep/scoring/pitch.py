"""The speaker's pitch over an answer, from its audio: median, range, and monotone stretches.

Pitch is tracked with YIN (audio/voicing.py), 10 ms frames: on voice-like tones of known pitch it
is as accurate as Praat's autocorrelation method and librosa's pyin, and on speech it agrees with
Praat frame by frame (benchmarks/pitch_trackers.py), in numpy alone.

A stretch sounds monotone when the pitch varies by less than 2 semitones (standard deviation)
over 8 s of speech, a rule of thumb from speech coaching research. Frames more than 9 semitones
from the window's median are left out of that standard deviation: they are the tracker's octave
jumps, which would otherwise make flat speech look lively.

A recording is tracked as it is recorded (PitchTracker), a few seconds of frames at a time, so
that when the answer ends only its last few seconds are left to track. Each frame's analysis
depends on its own 42 ms of audio alone; a frame is judged silent against the loudest sample of
the whole recording, and the octave errors are dropped (`_pitch`), only when the recording
ends. So every frame is the one a single track of the whole recording gives (track_pitch), and
the same audio gives the same figures live and from a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from voiceprep.audio.load import SAMPLE_RATE, load_audio
from voiceprep.audio.voicing import (
    BATCH,
    FRAME_SECONDS,
    SILENCE_THRESHOLD,
    VOICING_THRESHOLD,
    PitchFrames,
    frame_reach,
    pitch_frames,
)


@dataclass(frozen=True)
class PitchOptions:
    floor_hz: float = 60.0  # below a low male voice
    ceiling_hz: float = 500.0  # above a high female voice
    window_seconds: float = 8.0
    flat_semitones: float = 2.0
    # A window is judged only when at least this share of it is voiced (silence is not monotone).
    min_voiced_share: float = 0.25
    # A frame whose peak is under this share of the loudest sample is silent, and one whose
    # aperiodicity is over this is unvoiced (audio/voicing.py).
    silence_threshold: float = SILENCE_THRESHOLD
    voicing_threshold: float = VOICING_THRESHOLD
    # A voiced run shorter than this many frames is not voice; a frame of a run this far from
    # its median is an octave error.
    shortest_run: int = 3
    jump_semitones: float = 9.0
    run_semitones: float = 12.0
    # Tracked this many seconds of frames at a time while the answer is recorded (rounded up to
    # whole batches of the analysis: 5.12 s).
    chunk_seconds: float = 5.0


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
    """Frame times (the centres of 10 ms frames) and pitch in Hz, 0 where the frame is not voiced:
    one track of the whole recording (the last few milliseconds that do not fill a frame are
    left out)."""
    frame = _frame(sample_rate)
    count = samples.size // frame
    if samples.size < int(0.1 * sample_rate):
        return np.zeros(0), np.zeros(0)
    found = pitch_frames(samples, _centres(0, count, frame), sample_rate, options.floor_hz,
                         options.ceiling_hz)
    loudest = float(np.max(np.abs(samples)))
    return _times(0, count, frame, sample_rate), _pitch([found], loudest, options)


def _frame(sample_rate: int) -> int:
    return int(round(FRAME_SECONDS * sample_rate))


def _centres(first: int, last: int, frame: int) -> np.ndarray:
    """The sample index each frame of [first, last) is centred on."""
    return np.arange(first, last, dtype=np.int64) * frame + frame // 2


def _times(first: int, last: int, frame: int, sample_rate: int) -> np.ndarray:
    return _centres(first, last, frame) / sample_rate


def _pitch(found: list[PitchFrames], loudest: float, options: PitchOptions) -> np.ndarray:
    """The pitch of each frame, 0 where unvoiced. Octave errors, which Praat's path search
    avoids by what a jump costs, are dropped: the voiced runs shorter than `shortest_run`
    frames, the frames of a run more than `jump_semitones` from the run's median, and the runs
    whose median is more than `run_semitones` from the whole recording's (a hum, a creak)."""
    f0 = np.concatenate([np.where(f.voiced(loudest, options.silence_threshold,
                                           options.voicing_threshold), f.hz, 0.0)
                         for f in found]) if found else np.zeros(0)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], (f0 > 0).astype(np.int8), [0]))))
    runs = [f0[first:last] for first, last in zip(edges[::2], edges[1::2], strict=True)]
    for run in runs:
        if run.size < options.shortest_run:
            run[:] = 0.0
        else:
            run[np.abs(12 * np.log2(run / np.median(run))) > options.jump_semitones] = 0.0
    if np.any(f0 > 0):
        overall = np.median(f0[f0 > 0])
        for run in runs:
            kept = run[run > 0]
            if kept.size and abs(12 * np.log2(np.median(kept) / overall)) > options.run_semitones:
                run[:] = 0.0
    return f0


class PitchTracker:
    """The pitch of a recording tracked as it comes: `feed` it the samples (mono, in blocks of any
    size), `measure` when it ends. Feed and measure from one thread (the recorder's block thread,
    then the caller once the recording has returned)."""

    def __init__(self, options: PitchOptions = PitchOptions(), sample_rate: int = SAMPLE_RATE):
        self.options = options
        self.sample_rate = sample_rate
        self._frame = _frame(sample_rate)
        self._before, self._after = frame_reach(sample_rate, options.floor_hz)
        # Whole batches of the analysis (BATCH frames), as in one track of the whole recording:
        # each frame then takes the same place in the same computations, whichever way it came.
        self._batch = max(1, int(np.ceil(options.chunk_seconds / FRAME_SECONDS / BATCH))) * BATCH
        self._audio = np.zeros(0, dtype=np.float64)
        self._audio_start = 0  # the sample index of self._audio[0]
        self._done = 0  # frames tracked
        self._loudest = 0.0  # of every sample fed
        self._found: list[PitchFrames] = []

    @property
    def samples_fed(self) -> int:
        return self._audio_start + len(self._audio)

    @property
    def tracked_until(self) -> int:
        """The sample index the frames are tracked to (the rest waits for measure())."""
        return self._done * self._frame

    def feed(self, samples: np.ndarray) -> None:
        """Add the next samples; whole chunks of frames whose audio has all come are tracked."""
        block = np.asarray(samples, dtype=np.float64).reshape(-1)
        if not block.size:
            return
        self._loudest = max(self._loudest, float(np.max(np.abs(block))))
        self._audio = np.concatenate([self._audio, block])
        # frames whose audio has all come: centre + after <= samples fed
        ready = (self.samples_fed - self._after - self._frame // 2) // self._frame + 1
        while ready - self._done >= self._batch:
            self._found.append(self._track(self._done, self._done + self._batch))
            self._done += self._batch
            drop = max(0, self._done * self._frame - self._before - self._audio_start)
            self._audio = self._audio[drop:]
            self._audio_start += drop

    def frames(self) -> tuple[np.ndarray, np.ndarray]:
        """Frame times and pitch (Hz, 0 unvoiced) of everything fed (what is left is tracked
        now, with silence after the end)."""
        count = self.samples_fed // self._frame
        if self.samples_fed < int(0.1 * self.sample_rate):
            return np.zeros(0), np.zeros(0)
        found = self._found + ([self._track(self._done, count)] if count > self._done else [])
        return (_times(0, count, self._frame, self.sample_rate),
                _pitch(found, self._loudest, self.options))

    def measure(self) -> Pitch | None:
        """measure_pitch() of everything fed."""
        times, f0 = self.frames()
        return summarize_pitch(times, f0, self.options)

    def _track(self, first: int, last: int) -> PitchFrames:
        centres = _centres(first, last, self._frame) - self._audio_start
        return pitch_frames(self._audio, centres, self.sample_rate, self.options.floor_hz,
                            self.options.ceiling_hz)


def measure_pitch(samples: np.ndarray, sample_rate: int = SAMPLE_RATE,
                  options: PitchOptions = PitchOptions()) -> Pitch | None:
    """Median pitch, range and monotone time of an answer; None when too little is voiced."""
    tracker = PitchTracker(options, sample_rate)
    tracker.feed(samples)
    return tracker.measure()


def summarize_pitch(times: np.ndarray, f0: np.ndarray,
                    options: PitchOptions = PitchOptions()) -> Pitch | None:
    """The figures of a pitch track (frame times, Hz with 0 unvoiced)."""
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
