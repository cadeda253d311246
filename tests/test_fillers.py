"""Fillers heard alone: lone sounds found in constructed audio, and what a decode of one makes of
it; then real Whisper on recorded speech whose fillers the two passes leave out."""

from __future__ import annotations

import numpy as np
import pytest

from speech_samples import tone
from voiceprep.hearing.fillers import LoneSoundOptions, fillers_heard_alone, lone_sounds
from voiceprep.hearing.transcript import Word

RATE = 16000


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.float32)


def voiced(seconds: float, f0: float = 120.0) -> np.ndarray:
    return tone(f0, seconds)


def white(seconds: float) -> np.ndarray:
    return (np.random.default_rng(0).standard_normal(int(seconds * RATE)) * 0.1).astype(np.float32)


def audio(*parts: np.ndarray) -> np.ndarray:
    return np.concatenate(parts)


# A 0.3 s voiced sound at 0.5 s, between pauses: [0.5, 0.8); what else is in the audio decides.
LONE = (0.5, 0.8)


@pytest.mark.parametrize("samples, expected", [
    (audio(silence(0.5), voiced(0.3), silence(0.5), voiced(1.0), silence(0.3)), [LONE]),
    # at the very start and end: the stretch's ends count as pauses
    (audio(voiced(0.3), silence(0.5), voiced(1.0)), [(0.0, 0.3)]),
    (audio(voiced(1.0), silence(0.5), voiced(0.3)), [(1.5, 1.8)]),
    # too long, too short, not voiced
    (audio(silence(0.5), voiced(0.9), silence(0.5), voiced(1.0)), []),
    (audio(silence(0.5), voiced(0.05), silence(0.5), voiced(1.0)), []),
    (audio(silence(0.5), white(0.3), silence(0.5), voiced(1.0)), []),
    # no pause on one side (0.05 s: bridged, one sound of 1.35 s), or too short a pause
    (audio(silence(0.5), voiced(0.3), silence(0.05), voiced(1.0)), []),
    (audio(silence(0.5), voiced(0.3), silence(0.08), voiced(1.0)), []),
])
def test_lone_sounds(samples: np.ndarray, expected: list[tuple[float, float]]) -> None:
    found = lone_sounds(samples)
    assert len(found) == len(expected)
    for (start, end), (want_start, want_end) in zip(found, expected, strict=True):
        assert start == pytest.approx(want_start, abs=0.011)
        assert end == pytest.approx(want_end, abs=0.011)


def test_lone_sounds_of_nothing() -> None:
    assert lone_sounds(silence(0.005)) == []
    assert lone_sounds(silence(2.0)) == []


SAMPLES = audio(silence(0.5), voiced(0.3), silence(0.5), voiced(1.0), silence(0.3))


class Decode:
    """Says `words` for any clip, and keeps the clips it was given."""

    def __init__(self, *words: str):
        self.words = [Word(w, 0.5, 0.8, 0.9) for w in words]
        self.clips: list[np.ndarray] = []

    def __call__(self, clip: np.ndarray) -> list[Word]:
        self.clips.append(clip)
        return self.words


def test_a_lone_sound_heard_as_a_filler_is_one_at_its_time() -> None:
    decode = Decode("Um.")
    found = fillers_heard_alone(SAMPLES, [Word("Next", 1.3, 1.9, 0.9)], decode)
    assert [(w.word, w.start, w.end) for w in found] == [("Um,", 0.5, 0.8)]
    # the sound with 0.1 s either side, between half-seconds of silence
    (clip,) = decode.clips
    assert len(clip) == int(0.5 * RATE) * 2 + int(0.5 * RATE)
    assert not clip[: int(0.5 * RATE)].any() and not clip[-int(0.5 * RATE):].any()


@pytest.mark.parametrize("heard", [("And.",), ("Um,", "um."), ("Uh,", "so"), ()])
def test_a_lone_sound_is_a_filler_only_when_heard_as_one_filler_alone(heard) -> None:
    assert fillers_heard_alone(SAMPLES, [], Decode(*heard)) == []


@pytest.mark.parametrize("filler_at, decoded", [
    ((0.6, 0.7), 0),  # over the sound
    ((1.2, 1.25), 0),  # within 0.5 s of it
    ((1.4, 1.5), 1),  # further
])
def test_a_filler_of_the_transcript_near_the_sound_already_stands_for_it(filler_at, decoded
                                                                          ) -> None:
    decode = Decode("Uh.")
    words = [Word("uh,", *filler_at, 0.9), Word("Next", 1.5, 1.9, 0.9)]
    found = fillers_heard_alone(SAMPLES, words, decode)
    assert len(decode.clips) == decoded and len(found) == decoded


def test_options_bound_the_sounds() -> None:
    assert lone_sounds(SAMPLES, LoneSoundOptions(longest_seconds=0.2)) == []
    assert len(lone_sounds(SAMPLES, LoneSoundOptions(longest_seconds=0.5))) == 1
    assert len(lone_sounds(SAMPLES, LoneSoundOptions(longest_seconds=1.0))) == 2


# ---- real Whisper on recorded speech (tests/data/speech) -----------------------------------------

# espeak-ng says a filler at the start of a sentence on its own, and both passes fold it into the
# next word ("The second demand plan system will align."); heard alone it is "Um." Under GENERIC
# and AVX2 both come back with it, and the sentences that start with a short word on its own keep
# no filler (their lone sounds are decoded alone, and heard as "So" and "Well").
FILLER_FIRST = ("Um, the second is end to end system design.",
                "Um, I'm just ready for the next step.")
NO_FILLER = ("So, the second is end to end system design.", "Well, a few.",
             "Yes, and I'm just ready for the next step.")


def filler_count(text: str) -> int:
    from voiceprep.normalize import filler_form

    return sum(bool(filler_form(w)) for w in text.split())


@pytest.mark.slow
@pytest.mark.parametrize("sentence", FILLER_FIRST)
def test_a_filler_said_on_its_own_is_heard(speak, sentence: str) -> None:
    from voiceprep.hearing.transcriber import transcribe_file

    text = transcribe_file(speak(sentence)).text
    assert filler_count(text) == 1 and text.startswith("Um,"), text


@pytest.mark.slow
@pytest.mark.parametrize("sentence", NO_FILLER)
def test_a_short_word_on_its_own_is_not_taken_for_a_filler(speak, sentence: str) -> None:
    from voiceprep.hearing.transcriber import transcribe_file

    text = transcribe_file(speak(sentence)).text
    assert filler_count(text) == 0, text


@pytest.mark.slow
def test_fillers_heard_alone_live_as_from_a_file(speak) -> None:
    from voiceprep.audio.load import load_audio
    from voiceprep.hearing.transcriber import Transcriber, transcribe_file

    wav = speak(FILLER_FIRST[1])
    samples = load_audio(wav)
    live = Transcriber()
    for at in range(0, len(samples), 1600):
        live.feed(samples[at:at + 1600])
    assert live.finish().text == transcribe_file(wav).text
