"""The pitch tracker on tones of known pitch, and on speech made flat and lively, high and low."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from speech_samples import REALSPEECH, have_espeak, have_flite, synthesize_prosody, tone
from voiceprep.audio.load import load_audio
from voiceprep.scoring.pitch import (
    PitchOptions,
    PitchTracker,
    measure_pitch,
    pitch_of_file,
    summarize_pitch,
    track_pitch,
)

SR = 16000
TEXT = ("I started in DevOps and moved into machine learning operations three years ago. Since "
        "then I have built training pipelines, model registries and monitoring for the fraud "
        "team, and that is where I learned the most about running models in production.")


@pytest.mark.parametrize("hz", [75, 110, 165, 240, 380])
def test_steady_tone_gives_its_pitch_and_is_monotone(hz: float) -> None:
    pitch = measure_pitch(tone(hz, 10.0, SR, snr_db=15, seed=hz), SR)
    assert pitch is not None
    assert pitch.median_hz == pytest.approx(hz, rel=0.01)
    assert pitch.range_semitones < 0.3
    assert pitch.monotone_seconds >= 9.5  # the whole tone


def test_glide_over_an_octave_has_its_range_and_no_monotone_stretch() -> None:
    # 100 -> 200 Hz over 10 s: 12 semitones in all, 10.8 between the 5th and 95th percentiles.
    pitch = measure_pitch(tone(np.geomspace(100, 200, 10 * SR), 10.0, SR), SR)
    assert pitch is not None
    assert pitch.median_hz == pytest.approx(np.sqrt(100 * 200), rel=0.02)
    assert pitch.range_semitones == pytest.approx(10.8, abs=0.3)
    assert pitch.monotone_seconds == 0


def test_flat_stretch_is_found_between_lively_ones() -> None:
    # 8 s swinging 5 st either way, 10 s held at 150 Hz, 8 s swinging again.
    t = np.arange(8 * SR) / SR
    swing = 150 * 2 ** (5 * np.sin(2 * np.pi * 0.5 * t) / 12)
    f0 = np.concatenate([swing, np.full(10 * SR, 150.0), swing])
    pitch = measure_pitch(tone(f0, 26.0, SR), SR)
    assert pitch is not None
    assert len(pitch.monotone_stretches) == 1
    start, end = pitch.monotone_stretches[0]
    assert 6.0 <= start <= 10.0 and 16.0 <= end <= 20.0
    assert 8.0 <= pitch.monotone_seconds <= 14.0


def test_silence_and_noise_have_no_pitch() -> None:
    assert measure_pitch(np.zeros(5 * SR, dtype=np.float32), SR) is None
    noise = np.random.default_rng(1).standard_normal(5 * SR).astype(np.float32) * 0.05
    assert measure_pitch(noise, SR) is None
    assert measure_pitch(np.zeros(100, dtype=np.float32), SR) is None


@pytest.fixture(scope="module")
def voices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (have_espeak() and have_flite()):
        pytest.skip("espeak-ng and flite are needed (make install sets them up)")
    return tmp_path_factory.mktemp("pitch-voices")


def test_espeak_pitch_setting_moves_the_median(voices: Path) -> None:
    medians = [pitch_of_file(synthesize_prosody(TEXT, voices / f"p{p}.wav", pitch=p)).median_hz
               for p in (20, 50, 80)]
    assert medians[0] < medians[1] < medians[2]
    # espeak-ng's pitch setting spans about 9 semitones from 20 to 80
    assert 12 * np.log2(medians[2] / medians[0]) == pytest.approx(10.0, abs=2.0)


@pytest.mark.parametrize("voice", ["espeak-ng", "flite"])
@pytest.mark.parametrize("rate", [120, 220])
def test_flat_speech_is_monotone_and_lively_speech_has_range(voices: Path, voice: str,
                                                             rate: int) -> None:
    flat_file = synthesize_prosody(TEXT, voices / f"{voice}-{rate}-flat.wav", voice, rate=rate,
                                   lively=False)
    flat = pitch_of_file(flat_file)
    lively = pitch_of_file(synthesize_prosody(TEXT, voices / f"{voice}-{rate}-lively.wav", voice,
                                              rate=rate, lively=True))
    assert flat is not None and lively is not None
    assert flat.range_semitones < 1.5
    assert lively.range_semitones > flat.range_semitones + 5
    # flat from its first voiced frame to its last: nearly all of the recording
    assert flat.monotone_seconds > 0.8 * len(load_audio(flat_file)) / SR
    assert lively.monotone_seconds < 0.6 * flat.monotone_seconds


def _real_clip(name: str) -> np.ndarray:
    path = REALSPEECH / name
    if not path.exists():
        pytest.skip(f"the real speech clips are not here ({REALSPEECH})")
    return load_audio(path)


def _joined_answer(seconds: float) -> np.ndarray:
    """Real speech clips of several speakers and levels one after another, 0.7 s apart."""
    names = sorted(p.name for p in REALSPEECH.glob("en_librispeech_*.flac"))
    if not names:
        pytest.skip(f"the real speech clips are not here ({REALSPEECH})")
    parts, total = [], 0
    for name in names * 4:
        clip = load_audio(REALSPEECH / name)
        parts += [clip, np.zeros(int(0.7 * SR), dtype=np.float32)]
        total += len(clip)
        if total > seconds * SR:
            break
    return np.concatenate(parts)


@pytest.mark.parametrize("name", [
    "en_jfk_inaugural_1961.flac",
    # louder after the first chunk: the first is judged again against the loudest sample
    "en_librispeech_dev-clean_2412-153948-0001.flac",
    "en_mfa_cold_corpus_spontaneous_sickvoice.wav",  # unscripted, a low rough voice
    "en_librivox_shakespeare_sonnet001.mp3",
    "joined-70",
    "louder-at-the-end",  # every chunk is judged again when the answer ends
])
def test_tracked_as_it_comes_every_frame_is_the_whole_recordings(name: str) -> None:
    if name == "louder-at-the-end":
        samples = _joined_answer(30)
        samples = np.concatenate([0.2 * samples[:-2 * SR], samples[-2 * SR:]])
    else:
        samples = _joined_answer(70) if name == "joined-70" else _real_clip(name)
    whole_times, whole_f0 = track_pitch(samples, SR)
    tracker = PitchTracker()
    for at in range(0, len(samples), 1600):  # as the recorder hands blocks on
        tracker.feed(samples[at:at + 1600])
    times, f0 = tracker.frames()
    assert np.array_equal(times.round(4), whole_times.round(4))
    assert np.array_equal(f0, whole_f0)  # every frame, voiced or not, at the same pitch
    assert (f0 > 0).sum() > 0.1 * len(f0)  # real voiced speech, not silence
    assert tracker.measure() == summarize_pitch(whole_times, whole_f0) == measure_pitch(samples)


def test_only_the_last_chunk_is_left_to_track_at_the_end() -> None:
    samples = _joined_answer(40)
    tracker = PitchTracker()
    tracker.feed(samples)
    options = PitchOptions()
    left = tracker.samples_fed - tracker.tracked_until
    assert 0 < left <= (options.chunk_seconds + 0.2) * SR  # a batch of frames and a frame's reach
