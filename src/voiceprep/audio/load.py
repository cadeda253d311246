"""Audio files in, float32 mono samples out: WAV, FLAC, MP3, OGG, M4A, any rate, any channels."""

from __future__ import annotations

import gc
import math
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from voiceprep.errors import AudioError
from voiceprep.files import input_file_problem

SAMPLE_RATE = 16000
# Below this a header does not describe speech (telephone audio is 8 kHz); resampling what such a
# header claims to 16 kHz would multiply the file's size thousands of times in memory.
MIN_SAMPLE_RATE = 4000


def load_audio(path: Path, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Decode an audio file to float32 mono samples at `sample_rate` (AudioError when it can't)."""
    path = _checked(path)
    return _finite(_decode(path, sample_rate), path)


def stream_audio(path: Path, sample_rate: int = SAMPLE_RATE,
                 block_seconds: float = 10.0) -> Iterator[np.ndarray]:
    """The samples `load_audio` gives, in blocks of about `block_seconds`: what is held does not
    grow with the file's length. The file is checked and opened before this returns."""
    path = _checked(path)
    try:
        import av

        container = av.open(str(path), mode="r", metadata_errors="ignore")
    except Exception:  # noqa: BLE001 - PyAV cannot open it: decode it whole, as load_audio does
        return iter([_finite(_decode(path, sample_rate), path)])
    try:
        _check_stream(container, path)
    except AudioError:
        container.close()
        raise
    return _stream_with_pyav(container, path, sample_rate, int(block_seconds * sample_rate))


def _check_stream(container: Any, path: Path) -> None:
    """An audio stream, at a rate speech can have: a header claiming 1 Hz would have the
    resampler allocate gigabytes."""
    if not container.streams.audio:
        raise AudioError(f"no audio stream in {path}")
    codec = container.streams.audio[0].codec_context
    if codec is None:  # a header with no sample size, say
        raise AudioError(f"cannot decode audio file {path}: its header names no audio format")
    rate = codec.sample_rate or 0
    if rate < MIN_SAMPLE_RATE:
        raise AudioError(f"{path} claims a sample rate of {rate} Hz: not speech audio "
                         f"(at least {MIN_SAMPLE_RATE} Hz)")


def _stream_with_pyav(container: Any, path: Path, sample_rate: int,
                      block: int) -> Iterator[np.ndarray]:

    resampler = Resampler(sample_rate)
    chunks: list[np.ndarray] = []
    held = 0
    seen = usable = yielded = False
    try:
        with container:
            frames = container.decode(audio=0)
            while True:
                try:  # a header PyAV opens may still not decode or resample (255 channels)
                    frame = next(frames, None)
                    samples = (resampler.resample_frame(frame) if frame is not None
                               else resampler.flush())
                except Exception as e:  # noqa: BLE001 - PyAV raises many types
                    if not yielded:  # ffmpeg may do better, as for load_audio
                        yield _finite(_decode(path, sample_rate), path)
                        return
                    raise AudioError(f"cannot decode audio file {path}: {_short_reason(e)}"
                                     ) from None
                seen = seen or bool(len(samples))
                usable = usable or bool(np.isfinite(samples).any())
                chunks.append(samples)
                held += len(samples)
                if held >= block or (frame is None and held):
                    samples = np.ascontiguousarray(np.concatenate(chunks), dtype=np.float32)
                    chunks, held = [], 0
                    bad = ~np.isfinite(samples)
                    if bad.any():
                        samples = np.where(bad, np.float32(0), samples)
                    yielded = True
                    yield np.clip(samples, -1.0, 1.0, out=samples)
                if frame is None:
                    break
    finally:
        del resampler
        gc.collect()  # native buffers are only released on collection (faster-whisper #390)
    if seen and not usable:
        raise AudioError(f"{path} holds no usable audio: every sample is NaN or infinite")


def _checked(path: Path) -> Path:
    path = Path(path)
    problem = input_file_problem(path)  # checked before opening: a pipe or device would hang
    if problem == "no such file":
        raise AudioError(f"audio file not found: {path}")
    if problem:
        raise AudioError(f"not an audio file: {path}: {problem}")
    if path.stat().st_size == 0:
        raise AudioError(f"audio file is empty: {path}")
    return path


def _finite(samples: np.ndarray, path: Path) -> np.ndarray:
    """Samples with NaN and infinite values (a broken float WAV) silenced, the rest clipped to
    full scale: Whisper turns a single NaN into an empty transcript."""
    bad = ~np.isfinite(samples)
    if bad.any():
        if bad.all():
            raise AudioError(f"{path} holds no usable audio: every sample is NaN or infinite")
        samples = np.where(bad, np.float32(0), samples)
    return np.clip(samples, -1.0, 1.0, out=samples)


def _decode(path: Path, sample_rate: int) -> np.ndarray:
    try:
        return _decode_with_pyav(path, sample_rate)
    except AudioError:
        raise
    except Exception as pyav_error:  # noqa: BLE001 - PyAV raises many types; ffmpeg gets a second try
        if shutil.which("ffmpeg"):
            try:
                return _decode_with_ffmpeg(path, sample_rate)
            except AudioError:
                pass
        reason = _short_reason(pyav_error)
        raise AudioError(f"cannot decode audio file {path}: {reason}") from None


def _decode_with_pyav(path: Path, sample_rate: int) -> np.ndarray:
    """PyAV bundles FFmpeg's decoders and resampler, so no system FFmpeg is needed."""
    import av

    resampler = Resampler(sample_rate)
    chunks: list[np.ndarray] = []
    with av.open(str(path), mode="r", metadata_errors="ignore") as container:
        _check_stream(container, path)
        for frame in container.decode(audio=0):
            chunks.append(resampler.resample_frame(frame))
        chunks.append(resampler.flush())
    # The resampler holds native buffers that are only released on collection (faster-whisper #390).
    del resampler
    gc.collect()
    return np.ascontiguousarray(np.concatenate(chunks), dtype=np.float32)


class Resampler:
    """FFmpeg's band-limited resampler (libswresample, through PyAV) for a stream: decoded frames
    of any format and layout, or blocks of float32 mono samples at `source_rate`, come out as
    float32 mono at `rate`, continuous across blocks. It holds back the last few samples (its
    filter's delay) until `flush()`."""

    def __init__(self, rate: int, source_rate: float | None = None):
        import av

        self.source_rate = int(round(source_rate or rate))
        self._resampler = av.audio.resampler.AudioResampler(format="flt", layout="mono",
                                                            rate=int(rate))

    def resample(self, block: np.ndarray) -> np.ndarray:
        """One block of mono samples at `source_rate`."""
        import av

        block = np.ascontiguousarray(block, dtype=np.float32).reshape(1, -1)
        if not block.size:
            return np.zeros(0, dtype=np.float32)
        frame = av.AudioFrame.from_ndarray(block, format="flt", layout="mono")
        frame.sample_rate = self.source_rate
        return self.resample_frame(frame)

    def resample_frame(self, frame: Any) -> np.ndarray:
        """One decoded `av.AudioFrame` (None flushes)."""
        out = [f.to_ndarray().reshape(-1) for f in self._resampler.resample(frame)]
        return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)

    def flush(self) -> np.ndarray:
        """The samples held back."""
        return self.resample_frame(None)


def resample(samples: np.ndarray, source_rate: int, rate: int = SAMPLE_RATE) -> np.ndarray:
    """Mono samples at `source_rate` resampled to `rate`, whole."""
    resampler = Resampler(rate, source_rate)
    return np.concatenate([resampler.resample(samples), resampler.flush()])


def _decode_with_ffmpeg(path: Path, sample_rate: int) -> np.ndarray:
    cmd = ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-f", "f32le",
           "-ac", "1", "-ar", str(sample_rate), "-"]
    proc = subprocess.run(cmd, capture_output=True, check=False)
    if proc.returncode != 0:
        raise AudioError(proc.stderr.decode(errors="replace").strip().split("\n")[-1])
    return np.frombuffer(proc.stdout, dtype=np.float32).copy()


def _short_reason(error: Exception) -> str:
    """'[Errno 1094995529] Invalid data found when processing input: 'x.wav'' -> the middle part."""
    text = str(error).split("\n")[0]
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", text)
    text = re.sub(r":\s*'[^']*'$", "", text)
    return text.strip() or type(error).__name__


def amplitude_dbfs(amplitude: float) -> float:
    """An amplitude (1.0 is full scale) in dB relative to full scale (-inf for 0)."""
    return 20.0 * math.log10(amplitude) if amplitude > 0 else float("-inf")


def rms_dbfs(samples: np.ndarray) -> float:
    """Root-mean-square level in dB relative to full scale (-inf for digital silence)."""
    if samples.size == 0:
        return float("-inf")
    return amplitude_dbfs(float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))))



def encode_opus(path: Path, bit_rate: int = 24000) -> bytes:
    """The recording as Opus in an Ogg file (mono, 16 kHz), for a page to play: a few kilobytes
    a second of speech, whatever the recording's length or format. Decoded and encoded a frame at
    a time with PyAV (FFmpeg's libopus), so memory does not grow with the length either."""
    import io

    import av

    buffer = io.BytesIO()
    resampler = av.audio.resampler.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    with av.open(str(path), mode="r", metadata_errors="ignore") as source, \
            av.open(buffer, mode="w", format="ogg") as target:
        if not source.streams.audio:
            raise AudioError(f"no audio stream in {path}")
        stream = target.add_stream("libopus", rate=SAMPLE_RATE, layout="mono")
        stream.bit_rate = bit_rate
        # Half libopus's default effort: a third of the time, the same size for speech.
        stream.codec_context.options = {"compression_level": "5"}
        for frame in source.decode(audio=0):
            for resampled in resampler.resample(frame):
                target.mux(stream.encode(resampled))
        for resampled in resampler.resample(None):
            target.mux(stream.encode(resampled))
        target.mux(stream.encode(None))
    return buffer.getvalue()
