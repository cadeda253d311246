"""The speaker's pitch over an answer, from its audio: median, range, and monotone stretches.

Pitch is tracked with Praat's autocorrelation method (praat-parselmouth): on voice-like tones of
known pitch it is as accurate as librosa's pyin at a thirtieth of the cost and without librosa's
dependencies (benchmarks/pitch_trackers.py).

A stretch sounds monotone when the pitch varies by less than 2 semitones (standard deviation)
over 8 s of speech, a rule of thumb from speech coaching research. Frames more than 9 semitones
from the window's median are left out of that standard deviation: they are the tracker's octave
jumps, which would otherwise make flat speech look lively.

A recording is tracked a chunk at a time (PitchTracker), as it is recorded, so that when the
answer ends only its last few seconds are left to track. Each chunk is tracked with a second of
the audio either side, so that Praat's path search and its analysis windows see the same
surroundings at a chunk's borders as in one track of the whole recording, and only the frames
inside the chunk are kept. Frames sit on one grid for the whole recording, and a frame is judged
silent against the loudest sample of the whole recording (a chunk tracked before louder audio
came has its path chosen again), so every frame is the one a single track of the whole recording
gives (track_pitch), and the same audio gives the same figures live and from a file.
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
    # Praat's default: a frame whose peak is under this share of the loudest sample is silent.
    silence_threshold: float = 0.03
    # Tracked a chunk at a time, with this much audio either side (see PitchTracker).
    chunk_seconds: float = 5.0
    context_seconds: float = 1.0


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
    """Frame times (10 ms apart) and pitch in Hz, 0 where the frame is not voiced: one Praat track
    of the whole recording, on the frame grid PitchTracker uses (the last few milliseconds that
    do not fill a frame are left out)."""
    usable = _on_grid(samples.size, sample_rate, options)
    if samples.size < int(0.1 * sample_rate) or not usable:
        return np.zeros(0), np.zeros(0)
    whole = np.asarray(samples[:usable], dtype=np.float64)
    track = _praat_track(whole, sample_rate, options, _silence_threshold(
        _praat_peak(whole), float(np.max(np.abs(whole))), options))
    return np.asarray(track.xs()), _frequencies(track, options)


FRAME_SECONDS = 0.01
PERIODS_PER_WINDOW = 3  # Praat's autocorrelation window: 3 periods of the pitch floor


def _on_grid(length: int, sample_rate: int, options: PitchOptions) -> int:
    """How many of `length` samples to track so that the frames fall on one grid, 27.5 ms past
    the first sample and 10 ms apart: Praat centres its frames in what it tracks, so the length
    is one analysis window and half a frame past a whole number of frames (0: too short)."""
    frame = int(round(FRAME_SECONDS * sample_rate))
    window = int(np.ceil(PERIODS_PER_WINDOW / options.floor_hz * sample_rate))
    frames = (length - window - frame // 2) // frame + 1
    return window + (frames - 1) * frame + frame // 2 if frames > 0 else 0


def _praat_peak(samples: np.ndarray) -> float:
    """The loudest sample as Praat measures it in what it tracks (from the mean)."""
    return float(np.max(np.abs(samples - samples.mean())))


def _silence_threshold(own_peak: float, loudest: float, options: PitchOptions) -> float:
    """Praat judges silence against the loudest sample of what it tracks, measured from the
    mean: the threshold scaled so that a frame is judged against `loudest` instead (the loudest
    sample of the whole recording, from zero, which needs no mean of audio still to come)."""
    if own_peak <= 0:
        return options.silence_threshold
    return options.silence_threshold * loudest / own_peak


def _praat_track(samples: np.ndarray, sample_rate: int, options: PitchOptions,
                 silence_threshold: float) -> Any:
    import parselmouth

    sound = parselmouth.Sound(samples, sampling_frequency=sample_rate)
    return sound.to_pitch_ac(time_step=FRAME_SECONDS, pitch_floor=options.floor_hz,
                             pitch_ceiling=options.ceiling_hz,
                             silence_threshold=silence_threshold)


def _frequencies(track: Any, options: PitchOptions) -> np.ndarray:
    """The chosen pitch of each frame, 0 when unvoiced. Praat's path search may choose a
    candidate at or above the ceiling as the unvoiced one; Praat counts those as unvoiced too."""
    hz = np.asarray(track.selected_array["frequency"])
    return np.where(hz < options.ceiling_hz, hz, 0.0)


@dataclass
class _Chunk:
    track: Any  # the Praat Pitch of the chunk and its context, all candidates kept
    first: int  # the sample index the track starts at
    start: int  # its own frames lie in [start, end) (sample indices)
    end: int
    own_peak: float  # the loudest sample of what was tracked, as Praat measures it
    judged_against: float  # the loudest sample its path was last chosen against


class PitchTracker:
    """The pitch of a recording tracked as it comes: `feed` it the samples (mono, in blocks of any
    size), `measure` when it ends. Feed and measure from one thread (the recorder's block thread,
    then the caller once the recording has returned)."""

    def __init__(self, options: PitchOptions = PitchOptions(), sample_rate: int = SAMPLE_RATE):
        self.options = options
        self.sample_rate = sample_rate
        frame = int(round(FRAME_SECONDS * sample_rate))
        # Chunks start on the 10 ms grid, so their frames fall on one grid (see _on_grid).
        self._chunk = max(frame, int(round(options.chunk_seconds * sample_rate)) // frame * frame)
        self._context = int(round(options.context_seconds * sample_rate)) // frame * frame
        self._audio = np.zeros(0, dtype=np.float64)
        self._audio_start = 0  # the sample index of self._audio[0]
        self._done = 0  # the frames before this sample index are tracked
        self._loudest = 0.0  # of every sample fed
        self._chunks: list[_Chunk] = []

    @property
    def samples_fed(self) -> int:
        return self._audio_start + len(self._audio)

    @property
    def tracked_until(self) -> int:
        """The sample index the frames are tracked to (the rest waits for measure())."""
        return self._done

    def feed(self, samples: np.ndarray) -> None:
        """Add the next samples; whole chunks (with their context after them) are tracked now."""
        block = np.asarray(samples, dtype=np.float64).reshape(-1)
        if not block.size:
            return
        self._loudest = max(self._loudest, float(np.max(np.abs(block))))
        self._audio = np.concatenate([self._audio, block])
        tracked = False
        while self.samples_fed >= self._done + self._chunk + self._context:
            self._track(self._done, self._done + self._chunk,
                        self._done + self._chunk + self._context)
            tracked = True
        if tracked:
            self._judge_again()

    def frames(self) -> tuple[np.ndarray, np.ndarray]:
        """Track what is left; frame times and pitch (Hz, 0 unvoiced) of everything fed."""
        if self.samples_fed > self._done:
            self._track(self._done, self.samples_fed, self.samples_fed)
        self._judge_again()
        times: list[np.ndarray] = []
        f0: list[np.ndarray] = []
        for chunk in self._chunks:
            t = np.asarray(chunk.track.xs()) + chunk.first / self.sample_rate
            keep = (t >= chunk.start / self.sample_rate) & (t < chunk.end / self.sample_rate)
            times.append(t[keep])
            f0.append(_frequencies(chunk.track, self.options)[keep])
        if not times:
            return np.zeros(0), np.zeros(0)
        return np.concatenate(times), np.concatenate(f0)

    def measure(self) -> Pitch | None:
        """measure_pitch() of everything fed."""
        times, f0 = self.frames()
        return summarize_pitch(times, f0, self.options)

    def _judge_again(self) -> None:
        """Louder audio came after some chunks were tracked: choose their paths again (Praat's
        path search alone, without the autocorrelation) against the loudest sample so far."""
        for chunk in self._chunks:
            if chunk.judged_against != self._loudest:
                chunk.track.path_finder(
                    silence_threshold=_silence_threshold(chunk.own_peak, self._loudest,
                                                         self.options),
                    ceiling=self.options.ceiling_hz)
                chunk.judged_against = self._loudest

    def _track(self, start: int, end: int, context_end: int) -> None:
        """Track the audio from `start` less the context to `context_end`, for the frames in
        [start, end), against the loudest sample so far (measure() corrects that if need be)."""
        first = max(0, start - self._context)
        stop = first + _on_grid(context_end - first, self.sample_rate, self.options)
        if stop > first:
            segment = self._audio[first - self._audio_start:stop - self._audio_start]
            own = _praat_peak(segment)
            track = _praat_track(segment, self.sample_rate, self.options,
                                 _silence_threshold(own, self._loudest, self.options))
            self._chunks.append(_Chunk(track, first, start, end, own, self._loudest))
        self._done = end
        drop = max(0, end - self._context - self._audio_start)
        self._audio = self._audio[drop:]
        self._audio_start += drop


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
