"""Where speech is cut for decoding: Silero VAD on real speech, fed live or at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from voiceprep.audio.load import SAMPLE_RATE, load_audio
from voiceprep.hearing.segmenter import Segmenter, SegmentOptions, SileroStream, Stretch

SRC = Path(__file__).resolve().parent.parent / "src"

REALSPEECH = Path(__file__).resolve().parents[2] / "shared" / "eval" / "realspeech"


def stretches(samples: np.ndarray, block_sizes: list[int] | None = None,
              options: SegmentOptions | None = None) -> list[Stretch]:
    segmenter = Segmenter(options or SegmentOptions())
    out: list[Stretch] = []
    at = 0
    sizes = iter(block_sizes or [len(samples)])
    while at < len(samples):
        size = next(sizes, 1600)
        out += segmenter.push(samples[at:at + size])
        at += size
    tail = segmenter.flush()
    return out + ([tail] if tail else [])


@pytest.fixture(scope="module")
def sonnet() -> np.ndarray:
    """53 s of a real reader with a pause after each line."""
    clip = REALSPEECH / "en_librivox_shakespeare_sonnet001.mp3"
    if not clip.exists():
        pytest.skip(f"no real-speech set at {REALSPEECH}")
    return load_audio(clip)


@pytest.fixture(scope="module")
def speech(speak) -> np.ndarray:
    return load_audio(speak("We moved the training jobs to Kubernetes and added monitoring."))


def test_incremental_vad_scores_equal_one_call_over_everything(sonnet) -> None:
    windows = sonnet[: len(sonnet) // 512 * 512].reshape(-1, 512)
    whole = SileroStream()(windows)
    stream = SileroStream()
    parts = np.concatenate([stream(windows[i:i + 7]) for i in range(0, len(windows), 7)])
    assert np.array_equal(whole, parts)
    assert whole.max() > 0.9 and whole.min() < 0.1


def test_cuts_do_not_depend_on_how_the_audio_arrives(sonnet) -> None:
    at_once = stretches(sonnet)
    live = stretches(sonnet, [1600] * (len(sonnet) // 1600 + 1))
    rng = np.random.default_rng(7)
    ragged = stretches(sonnet, list(rng.integers(1, 9000, size=len(sonnet) // 100)))
    assert at_once == live == ragged
    assert len(at_once) >= 2


def test_stretches_fit_whispers_window_and_cover_all_speech(sonnet) -> None:
    options = SegmentOptions()
    cut = stretches(sonnet)
    for a, b in zip(cut, cut[1:], strict=False):
        assert a.end <= b.start  # in order, never overlapping
    for s in cut:
        assert (s.end - s.start) / SAMPLE_RATE <= options.max_stretch_seconds + 2 * \
            options.pad_seconds
        assert all(s.start <= a < b <= s.end for a, b in s.speech)
    probs = SileroStream()(sonnet[: len(sonnet) // 512 * 512].reshape(-1, 512))
    voiced = [i * 512 for i, p in enumerate(probs) if p > 0.8]
    assert all(any(s.start <= v <= s.end for s in cut) for v in voiced)


def test_a_long_stretch_is_cut_at_a_pause_before_30_s(sonnet) -> None:
    options = SegmentOptions(min_stretch_seconds=100, long_pause_seconds=100)
    cut = stretches(sonnet, options=options)
    assert len(cut) >= 2
    probs = SileroStream()(sonnet[: len(sonnet) // 512 * 512].reshape(-1, 512))
    for s in cut[:-1]:
        assert (s.end - s.start) / SAMPLE_RATE <= options.max_stretch_seconds
        assert probs[min(s.end // 512, len(probs) - 1)] < options.threshold  # not mid-word


def test_once_a_stretch_is_long_enough_the_next_short_pause_ends_it(speech) -> None:
    """Sentences 0.45 s apart: cut between two of them after 20 s, never forced at 27 s."""
    options = SegmentOptions()
    loud = np.flatnonzero(np.abs(speech) > 0.01)
    sentence = speech[loud[0]:loud[-1] + 1]
    gap = np.zeros(int(0.45 * SAMPLE_RATE), dtype=np.float32)
    answer = np.concatenate([sentence, gap] * int(60 * SAMPLE_RATE / (len(sentence) + len(gap))))
    cut = stretches(answer)
    assert len(cut) >= 2
    pad = int(options.pad_seconds * SAMPLE_RATE)
    for s in cut[:-1]:
        assert s.end == s.speech[-1][1] + pad  # at the end of speech, not at a forced cut
        assert options.min_stretch_seconds <= (s.speech[-1][1] - s.speech[0][0]) / SAMPLE_RATE
        assert (s.end - s.start) / SAMPLE_RATE <= options.max_stretch_seconds


def test_a_long_pause_ends_a_stretch_and_silence_makes_none(speech) -> None:
    pause = np.zeros(3 * SAMPLE_RATE, dtype=np.float32)
    cut = stretches(np.concatenate([speech, pause, speech]))
    assert len(cut) == 2
    assert cut[0].end < len(speech) + SAMPLE_RATE < cut[1].start
    assert stretches(np.zeros(10 * SAMPLE_RATE, dtype=np.float32)) == []


def test_the_tail_guessed_in_a_pause_is_what_the_end_closes(speech) -> None:
    segmenter = Segmenter()
    segmenter.push(speech)
    segmenter.push(np.zeros(SAMPLE_RATE, dtype=np.float32))
    guess = segmenter.tail()
    assert guess is not None and segmenter.silence_seconds >= 0.5
    closed = segmenter.push(np.zeros(2 * SAMPLE_RATE, dtype=np.float32))  # a long pause
    assert closed == [guess] and segmenter.flush() is None


def test_a_stream_stopped_during_speech_splits_at_its_last_pause(speech) -> None:
    """What was guessed in the last pause is the first part; the last burst is the rest."""
    options = SegmentOptions()
    segmenter = Segmenter(options)
    segmenter.push(speech)
    segmenter.push(np.zeros(SAMPLE_RATE, dtype=np.float32))
    guess = segmenter.tail()
    assert guess is not None
    loud = np.flatnonzero(np.abs(speech) > 0.01)
    segmenter.push(speech[: loud[-1]])  # stopped on the last word
    stretch = segmenter.flush()
    assert stretch is not None and segmenter.ended_in_speech
    parts = stretch.split_at_last_pause(options.pad_seconds)
    assert parts is not None
    head, rest = parts
    assert head == guess
    assert rest.speech == stretch.speech[-1:] and rest.end == stretch.end
    assert head.end <= rest.start <= rest.speech[0][0]
    assert Stretch(0, 10, ((2, 8),)).split_at_last_pause(0.25) is None  # no pause: no split
    # both parts end at a pause between bursts or at the stretch's own ends: nothing was cut
    assert not (head.cut_start or head.cut_end or rest.cut_start or rest.cut_end)


def test_a_split_at_a_short_pause_cuts_inside_speech() -> None:
    """A place between words cuts the burst: the part before ends, and the part after starts,
    with no quiet beyond that end; a pause between bursts cuts nothing."""
    stretch = Stretch(0, 20 * SAMPLE_RATE, ((SAMPLE_RATE, 8 * SAMPLE_RATE),
                                           (9 * SAMPLE_RATE, 19 * SAMPLE_RATE)),
                      pauses=((4 * SAMPLE_RATE, 4 * SAMPLE_RATE + 1600),))
    (short_head, short_rest), (burst_head, burst_rest), *_ = stretch.splits(SegmentOptions())
    assert short_head.end == 4 * SAMPLE_RATE + 800 == short_rest.start
    assert (short_head.cut_start, short_head.cut_end) == (False, True)
    assert (short_rest.cut_start, short_rest.cut_end) == (True, False)
    assert not (burst_head.cut_start or burst_head.cut_end)
    assert not (burst_rest.cut_start or burst_rest.cut_end)


def test_a_stream_that_ends_in_a_pause_is_not_split(speech) -> None:
    segmenter = Segmenter()
    segmenter.push(np.concatenate([speech, np.zeros(SAMPLE_RATE // 2, dtype=np.float32)]))
    assert segmenter.flush() is not None and not segmenter.ended_in_speech


def test_only_the_audio_still_to_decode_is_held(speech) -> None:
    """Ten minutes of answer with pauses: the segmenter holds about one stretch of audio."""
    segmenter = Segmenter()
    gap = np.zeros(3 * SAMPLE_RATE, dtype=np.float32)
    held = []
    for _ in range(int(600 * SAMPLE_RATE / (len(speech) + len(gap)))):
        for stretch in segmenter.push(np.concatenate([speech, gap])):
            assert len(segmenter.audio.slice(stretch.start, stretch.end)) == stretch.end - \
                stretch.start
            segmenter.release(stretch.end)
        held.append(segmenter.audio.size - segmenter.audio.start)
    assert segmenter.audio.size >= 590 * SAMPLE_RATE
    assert max(held) <= 90 * SAMPLE_RATE  # a 60 s buffer moved in quarter steps, plus a block


RACE = """
import threading
from voiceprep.errors import TranscriptionError
from voiceprep.hearing.engines import resolve_faster_whisper_model
from voiceprep.hearing.segmenter import SileroStream

def hub_model():
    try:
        resolve_faster_whisper_model("tiny")  # a hub name: imports faster_whisper.utils
    except TranscriptionError:
        pass  # not downloaded here

start = threading.Barrier(2)
failed = []

def at_once(load):
    start.wait()
    try:
        load()
    except Exception as e:
        failed.append(repr(e))

threads = [threading.Thread(target=at_once, args=(f,)) for f in (SileroStream, hub_model)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(failed)
"""


@pytest.mark.parametrize("run", range(4))
def test_the_vad_and_the_engine_can_load_on_two_threads_at_once(run: int) -> None:
    """Unguarded, two threads importing faster-whisper at once failed 3 runs in 5 here
    ("partially initialized module 'faster_whisper.vad'", or a deadlock in a practice run)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", RACE], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout
