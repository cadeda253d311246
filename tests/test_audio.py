"""Audio decoding: every format we promise, any rate and channel count, and clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from speech_samples import convert
from voiceprep.audio.load import load_audio, rms_dbfs, stream_audio
from voiceprep.errors import AudioError


@pytest.fixture(scope="module")
def tone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1.5 s of a 440 Hz tone at 22.05 kHz mono, the source for the conversions."""
    rate = 22050
    t = np.arange(int(1.5 * rate)) / rate
    path = tmp_path_factory.mktemp("audio") / "tone.wav"
    sf.write(path, (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), rate)
    return path


@pytest.mark.parametrize("name, args", [
    ("tone-44k-stereo.wav", ("-ar", "44100", "-ac", "2")),
    ("tone-8k.wav", ("-ar", "8000",)),
    ("tone.flac", ()),
    ("tone.mp3", ()),
    ("tone.ogg", ()),
    ("tone.m4a", ()),
])
def test_decodes_formats_to_16k_mono_float(tone: Path, tmp_path: Path, name: str,
                                           args: tuple[str, ...]) -> None:
    path = convert(tone, tmp_path / name, *args)
    samples = load_audio(path)
    assert samples.dtype == np.float32
    assert samples.ndim == 1
    # Compressed formats add encoder delay/padding: allow 0.1 s either way.
    assert abs(len(samples) / 16000 - 1.5) < 0.1
    # The tone's level survives (0.5 peak sine -> RMS about -9 dBFS).
    assert rms_dbfs(samples) == pytest.approx(-9.0, abs=1.5)
    spectrum = np.abs(np.fft.rfft(samples))
    assert np.fft.rfftfreq(len(samples), 1 / 16000)[spectrum.argmax()] == pytest.approx(440, abs=5)


def test_resamples_to_the_rate_asked(tone: Path) -> None:
    assert len(load_audio(tone, sample_rate=8000)) == pytest.approx(1.5 * 8000, abs=50)


def test_empty_audio_stream_gives_no_samples(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    sf.write(path, np.zeros(0, dtype=np.float32), 16000)
    assert load_audio(path).size == 0


@pytest.mark.parametrize("content, message", [
    (None, "audio file not found"),
    (b"", "audio file is empty"),
    (b"this is not audio at all\n" * 20, "cannot decode audio file"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", "cannot decode audio file"),  # truncated header
])
def test_bad_files_raise_audio_error_in_one_line(tmp_path: Path, content: bytes | None,
                                                 message: str) -> None:
    path = tmp_path / "answer.wav"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(AudioError) as raised:
        load_audio(path)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert "answer.wav" in str(raised.value)


def test_directory_is_not_audio(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="not an audio file"):
        load_audio(tmp_path)


@pytest.mark.parametrize("offset, value", [(22, 255), (22, 0), (34, 0)],
                         ids=["255 channels", "no channels", "no sample size"])
def test_a_wav_header_that_does_not_add_up_is_refused_in_one_line_by_every_reader(
        tone: Path, tmp_path: Path, offset: int, value: int) -> None:
    # The header opens, then the decoder or the resampler refuses it: a one-line error, in the
    # stream `transcribe` reads as in the whole file `score --audio` reads.
    path = tmp_path / "answer.wav"
    header = bytearray(tone.read_bytes())
    header[offset:offset + 2] = value.to_bytes(2, "little")
    path.write_bytes(bytes(header))
    for read in (load_audio, lambda p: np.concatenate(list(stream_audio(p)))):
        with pytest.raises(AudioError) as raised:
            read(path)
        assert "cannot decode audio file" in str(raised.value) and "\n" not in str(raised.value)
