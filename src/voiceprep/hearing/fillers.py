"""Fillers Whisper leaves out: a short voiced sound on its own between pauses, heard again alone.

In a stretch of speech Whisper often drops a filler said on its own ("Um, I'm just ready" comes
back as "I'm just ready", the "um" folded into the next word's time), even when prompted with a
transcript full of fillers. Heard alone, the same sound is written as a filler. So the sounds that
could be one (voiced, 0.08-0.8 s long, with a pause on both sides, and no filler of the transcript
near them) are decoded again one by one, between half-seconds of silence, with the filler cue as
the prompt, and a sound counts as a filler only when that decode is nothing but one filler.

Everything here depends on the stretch's audio and its words alone, so a live answer and a file
of it give the same transcript.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from voiceprep.audio.load import SAMPLE_RATE
from voiceprep.hearing.transcript import Word
from voiceprep.normalize import filler_form

_FRAME = SAMPLE_RATE // 100  # 10 ms


@dataclass(frozen=True)
class LoneSoundOptions:
    shortest_seconds: float = 0.08  # shorter: a click or the release of a stop
    longest_seconds: float = 0.8  # longer: a phrase, not one filler
    pause_seconds: float = 0.1  # quiet on both sides (the stretch's ends count as quiet)
    bridged_seconds: float = 0.05  # dips shorter than this inside a sound do not split it
    quiet_below_peak_db: float = 30.0  # quieter than the stretch's loud frames by this: a pause
    voiced_share: float = 0.6  # a filler is voiced throughout; most short words are not
    near_filler_seconds: float = 0.5  # a transcript filler this close already stands for it
    pad_seconds: float = 0.1  # audio kept either side of a sound decoded alone
    # and silence put either side of that: Whisper writes nothing for a clip of 0.3-0.5 s
    silence_seconds: float = 0.5


def lone_sounds(samples: np.ndarray, options: LoneSoundOptions = LoneSoundOptions(),
                ) -> list[tuple[float, float]]:
    """(start, end) in seconds of the short voiced sounds with a pause on both sides."""
    count = len(samples) // _FRAME
    if count < 2:
        return []
    frames = np.asarray(samples[: count * _FRAME], dtype=np.float64).reshape(count, _FRAME)
    level = 10 * np.log10(np.mean(np.square(frames), axis=1) + 1e-12)
    loud = level > np.percentile(level, 95) - options.quiet_below_peak_db
    runs = _runs(loud, round(options.bridged_seconds * 100))
    pause = round(options.pause_seconds * 100)
    candidates = []
    for k, (first, last) in enumerate(runs):
        seconds = (last - first) / 100
        if not options.shortest_seconds <= seconds <= options.longest_seconds:
            continue
        before = first - runs[k - 1][1] if k else pause
        after = runs[k + 1][0] - last if k + 1 < len(runs) else pause
        if before >= pause and after >= pause:
            candidates.append((first, last))
    if not candidates:
        return []
    voiced = _voiced_frames(samples, count)
    return [(first / 100, last / 100) for first, last in candidates
            if voiced[first:last].mean() >= options.voiced_share]


def fillers_heard_alone(samples: np.ndarray, words: list[Word],
                        decode: Callable[[np.ndarray], list[Word]],
                        options: LoneSoundOptions = LoneSoundOptions()) -> list[Word]:
    """The fillers among the lone sounds of `samples` that no filler of `words` is near, each
    found by `decode` (Whisper on the sound alone, with the filler cue) and timed on `samples`."""
    near = options.near_filler_seconds
    have = [((w.start or 0.0) - near, (w.end or 0.0) + near) for w in words if filler_form(w.word)]
    found = []
    for start, end in lone_sounds(samples, options):
        if any(a < end and b > start for a, b in have):
            continue
        first = max(0, int((start - options.pad_seconds) * SAMPLE_RATE))
        silence = np.zeros(int(options.silence_seconds * SAMPLE_RATE), dtype=np.float32)
        heard = decode(np.concatenate([
            silence, samples[first:int((end + options.pad_seconds) * SAMPLE_RATE)], silence]))
        if len(heard) == 1 and filler_form(heard[0].word):
            # Heard alone it ends a sentence ("Um."); in the answer it runs on ("Um,").
            word = heard[0].word.strip().rstrip(".")
            found.append(Word(word if word.endswith(",") else word + ",", round(start, 3),
                              round(end, 3),
                              heard[0].probability))
            have.append((start - near, end + near))
    return found


def _runs(mask: np.ndarray, bridge: int) -> list[tuple[int, int]]:
    """[first, last) of the runs of True, runs less than `bridge` frames apart joined."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    runs: list[tuple[int, int]] = []
    for first, last in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        if runs and first - runs[-1][1] < bridge:
            runs[-1] = (runs[-1][0], last)
        else:
            runs.append((first, last))
    return runs


def _voiced_frames(samples: np.ndarray, count: int) -> np.ndarray:
    """Whether each 10 ms frame is voiced (Praat's autocorrelation pitch tracker)."""
    import parselmouth

    sound = parselmouth.Sound(np.asarray(samples, dtype=np.float64),
                              sampling_frequency=SAMPLE_RATE)
    pitch = sound.to_pitch_ac(time_step=0.01, pitch_floor=60.0, pitch_ceiling=500.0)
    centres = (np.arange(count) + 0.5) / 100
    f0 = np.interp(centres, np.asarray(pitch.xs()), pitch.selected_array["frequency"],
                   left=0.0, right=0.0)
    return f0 > 0
