"""Microphone to a WAV file written while recording; stops on Enter, silence after speech, a limit.

The audio callback only copies blocks into a queue. The caller's thread takes them out, writes
and flushes the WAV (libsndfile rewrites the header on every flush, so a killed process leaves a
readable file), measures the level and decides when to stop. Blocks for `on_chunk` go through a
second queue to their own thread, so a slow consumer (transcribing during the answer) never holds
up the recording.
"""

from __future__ import annotations

import queue
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from voiceprep.audio.devices import DEVICES_HINT, find_input_device, sounddevice, started_stream
from voiceprep.audio.load import Resampler, rms_dbfs
from voiceprep.errors import RecorderError
from voiceprep.files import open_private
from voiceprep.interrupts import signal_of

SILENT_DBFS = -120.0  # the level reported for digital silence
NO_SIGNAL_DBFS = -70.0  # a working microphone's noise is louder than this; zeros mean muted
STALL_SECONDS = 10.0  # no block at all for this long: the device has stopped
NO_AUDIO_WARNING = f"the microphone delivers no audio: wrong or busy device? {DEVICES_HINT}"


@dataclass(frozen=True)
class RecorderOptions:
    sample_rate: int = 16000
    channels: int = 1
    device: int | str | None = None  # an index, a (part of a) name, or None for the default
    silence_seconds: float = 3.0  # stop after this much silence that follows speech
    max_seconds: float | None = 600.0  # hard limit (the practice loop passes target max * 1.5)
    # Speech is a block louder than the noise floor plus this margin, and never quieter than
    # min_speech_dbfs; the floor follows the quietest recent blocks.
    speech_margin_db: float = 12.0
    min_speech_dbfs: float = -45.0
    max_threshold_dbfs: float = -25.0  # a noisy room never raises the speech threshold above this
    min_speech_seconds: float = 0.3  # this much louder-than-threshold audio counts as speech
    no_input_warning_seconds: float = 3.0
    block_seconds: float = 0.1


@dataclass(frozen=True)
class RecordingStatus:
    elapsed_seconds: float
    level_dbfs: float
    level: float  # 0-1, for a level bar (-60 dBFS and below is 0)
    heard_speech: bool
    silence_seconds: float  # silence since the last speech (0 while speaking or before speech)
    warning: str | None = None


@dataclass(frozen=True)
class Recording:
    path: Path
    duration_seconds: float
    stopped_by: str  # "enter" | "silence" | "limit" | "interrupted"
    heard_speech: bool
    peak_dbfs: float
    noise_floor_dbfs: float
    speech_start_seconds: float | None
    speech_end_seconds: float | None
    sample_rate: int
    channels: int
    device: str
    overflows: int = 0
    warnings: tuple[str, ...] = ()
    stop_signal: int | None = None  # the signal that interrupted it (2 for Ctrl-C)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = str(self.path)
        data["warnings"] = list(self.warnings)
        return data


class WavWriter:
    """A 16-bit PCM WAV file whose header is correct after every block.

    libsndfile only rewrites the header on close, so a killed process would leave a file that
    says it holds no audio (soxi, ffmpeg and Python's wave believe it). Here each write appends
    the samples, then patches the two sizes in the header and hands both to the kernel: a killed
    process (SIGKILL, a crash, Ctrl-C) leaves a complete file. Power loss is not covered (no
    fsync on every block).
    """

    def __init__(self, path: Path, sample_rate: int, channels: int):
        self.path = Path(path)
        self.sample_rate = sample_rate
        self.channels = channels
        self.frames = 0
        self._file = open_private(self.path)  # the user's voice: owner-only
        self._file.write(self._header(0))
        self._file.flush()

    def _header(self, data_bytes: int) -> bytes:
        block_align = 2 * self.channels
        return b"".join([
            b"RIFF", struct.pack("<I", 36 + data_bytes), b"WAVE",
            b"fmt ", struct.pack("<IHHIIHH", 16, 1, self.channels, self.sample_rate,
                                 self.sample_rate * block_align, block_align, 16),
            b"data", struct.pack("<I", data_bytes),
        ])

    def write(self, block: np.ndarray) -> None:
        """Append float samples in [-1, 1] (frames x channels) and update the header."""
        pcm = np.clip(np.round(np.asarray(block) * 32768.0), -32768, 32767).astype("<i2")
        self._file.write(pcm.tobytes())
        self.frames += len(pcm)
        data_bytes = self.frames * 2 * self.channels
        self._file.seek(4)
        self._file.write(struct.pack("<I", 36 + data_bytes))
        self._file.seek(40)
        self._file.write(struct.pack("<I", data_bytes))
        self._file.seek(0, 2)
        self._file.flush()

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> WavWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def pcm16_exact(block: np.ndarray) -> np.ndarray:
    """Float samples rounded to the 16-bit values the WAV file stores."""
    return (np.clip(np.round(np.asarray(block) * 32768.0), -32768, 32767) / 32768.0
            ).astype(np.float32)


def level_fraction(level_dbfs: float) -> float:
    return min(1.0, max(0.0, (level_dbfs + 60.0) / 60.0))


class _SpeechDetector:
    """Decides, block by block, whether speech has been heard and how long it has been quiet."""

    def __init__(self, options: RecorderOptions):
        self.options = options
        self.noise_floor: float | None = None
        self.voiced_seconds = 0.0
        self.heard_speech = False
        self.speech_start: float | None = None
        self.last_voiced_end: float | None = None
        self.peak = SILENT_DBFS

    def threshold(self) -> float:
        o = self.options
        floor = self.noise_floor if self.noise_floor is not None else SILENT_DBFS
        return min(o.max_threshold_dbfs, max(o.min_speech_dbfs, floor + o.speech_margin_db))

    def update(self, level: float, start: float, end: float) -> None:
        self.peak = max(self.peak, level)
        # The floor drops at once to a quieter block and creeps up slowly (about 10 s to adapt),
        # so speech itself does not raise it.
        if self.noise_floor is None or level < self.noise_floor:
            self.noise_floor = level
        else:
            self.noise_floor += (level - self.noise_floor) * 0.01 * (end - start) / 0.1
        if level >= self.threshold():
            self.voiced_seconds += end - start
            self.last_voiced_end = end
            if self.speech_start is None:
                self.speech_start = start
            if self.voiced_seconds >= self.options.min_speech_seconds:
                self.heard_speech = True

    def silence_after_speech(self, now: float) -> float:
        if not self.heard_speech or self.last_voiced_end is None:
            return 0.0
        return max(0.0, now - self.last_voiced_end)


class _ChunkDispatcher:
    """Hands blocks to `on_chunk` on its own thread, in order, without blocking the recorder."""

    def __init__(self, on_chunk: Callable[[np.ndarray], None]):
        self.on_chunk = on_chunk
        self.queue: queue.SimpleQueue[np.ndarray | None] = queue.SimpleQueue()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="voiceprep-chunks", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (block := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.on_chunk(block)
                except BaseException as e:  # noqa: BLE001 - re-raised in the recording thread
                    self.error = e

    def put(self, block: np.ndarray) -> None:
        self.queue.put(block)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()


def _open_stream(sd: Any, device_index: int, options: RecorderOptions,
                 callback: Callable[..., None]) -> tuple[Any, int]:
    """An input stream at the wanted rate, or at the device's own rate when it refuses that,
    started (`devices.started_stream`)."""
    device = sd.query_devices(device_index)
    rates = [options.sample_rate, int(device["default_samplerate"])]
    last_error: Exception | None = None
    for rate in dict.fromkeys(rates):
        try:
            stream = started_stream(partial(
                sd.InputStream, samplerate=rate, channels=options.channels, dtype="float32",
                blocksize=max(1, int(round(rate * options.block_seconds))),
                device=device_index, callback=callback,
                # 'low' latency: PortAudio's default 'high' makes PulseAudio's ALSA plugin drop
                # the first ~0.8 s of audio.
                latency="low",
            ))
            return stream, rate
        except Exception as e:  # noqa: BLE001 - PortAudioError or ValueError for a bad rate
            last_error = e
    raise RecorderError(f"cannot open microphone '{device['name']}': {last_error}; "
                        f"{DEVICES_HINT}")


def record(
    path: Path, options: RecorderOptions = RecorderOptions(), *,
    stop_event: threading.Event | None = None,
    on_progress: Callable[[RecordingStatus], None] | None = None,
    on_chunk: Callable[[np.ndarray], None] | None = None,
) -> Recording:
    """Record the microphone into a WAV file at `path` until Enter, silence after speech or limit.

    `stop_event` set by another thread stops it as "enter". `on_progress` is called in this
    thread after each block. `on_chunk` gets every block written to the file (float32 mono at
    options.sample_rate) on a separate thread, in order; all have been delivered on return.
    Ctrl-C stops the recording, keeps the file and returns with stopped_by="interrupted".
    """
    sd = sounddevice()
    device = find_input_device(options.device)
    # A SimpleQueue: its put never waits on a lock, which a Ctrl-C raised in this thread inside
    # a get could leave held, and the audio thread, stuck in its callback, would then keep the
    # stream from closing.
    blocks: queue.SimpleQueue[np.ndarray] = queue.SimpleQueue()
    overflows = 0

    def callback(indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        nonlocal overflows
        if status and status.input_overflow:
            overflows += 1
        blocks.put(indata.copy())

    stream, stream_rate = _open_stream(sd, device.index, options, callback)
    # Only when the microphone refuses the rate asked for. The few samples the resampler holds
    # back at the end are the tail of the stop: not written.
    resampler = (Resampler(options.sample_rate, stream_rate)
                 if stream_rate != options.sample_rate else None)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    detector = _SpeechDetector(options)
    dispatcher = _ChunkDispatcher(on_chunk) if on_chunk else None
    max_frames = (int(round(options.max_seconds * options.sample_rate))
                  if options.max_seconds else None)
    frames = 0
    warnings: list[str] = []
    warning: str | None = None
    stopped_by = ""
    stop_signal: int | None = None
    try:
        wav = WavWriter(path, options.sample_rate, options.channels)
    except OSError as e:
        stream.close()
        raise RecorderError(f"cannot write {path}: {e.strerror or e}") from None
    started = time.monotonic()
    last_block_at = started
    try:
        with wav, stream:  # the stream, started already, is stopped and closed on the way out
            while not stopped_by:
                try:
                    block = blocks.get(timeout=0.05)
                except queue.Empty:
                    block = None
                now = time.monotonic()
                if stop_event is not None and stop_event.is_set():
                    stopped_by = "enter"
                if block is None:
                    if frames == 0 and now - started >= options.no_input_warning_seconds:
                        warning = NO_AUDIO_WARNING
                    if now - last_block_at > STALL_SECONDS:
                        raise RecorderError(f"the microphone stopped delivering audio; "
                                            f"{DEVICES_HINT}")
                    if warning and warning not in warnings:
                        warnings.append(warning)
                        if on_progress:
                            on_progress(_status(detector, frames, options, SILENT_DBFS, warning))
                    continue
                last_block_at = now
                if resampler is not None:
                    block = np.column_stack([resampler.resample(block[:, 0])]) \
                        if options.channels == 1 else _resample_channels(resampler, block)
                if max_frames is not None and frames + len(block) >= max_frames:
                    block = block[: max_frames - frames]
                    stopped_by = stopped_by or "limit"
                if len(block):
                    # What the transcriber hears is exactly what the file holds, so the saved
                    # answer, transcribed again, gives the same transcript.
                    block = pcm16_exact(block)
                    wav.write(block)
                    start = frames / options.sample_rate
                    frames += len(block)
                    end = frames / options.sample_rate
                    level = max(SILENT_DBFS, rms_dbfs(block))
                    detector.update(level, start, end)
                    if dispatcher is not None:
                        dispatcher.put(block[:, 0] if options.channels == 1 else block)
                else:
                    level = SILENT_DBFS
                    end = frames / options.sample_rate
                warning = _warning(detector, end, options, warning)
                if warning and warning not in warnings:
                    warnings.append(warning)
                silent_for = detector.silence_after_speech(end)
                if not stopped_by and silent_for >= options.silence_seconds - 1e-6:
                    stopped_by = "silence"
                if on_progress:
                    on_progress(_status(detector, frames, options, level, warning))
    except KeyboardInterrupt as stop:
        stopped_by = "interrupted"
        stop_signal = signal_of(stop)
    except sd.PortAudioError as e:
        raise RecorderError(f"the microphone failed while recording: {e}; {DEVICES_HINT}") \
            from None
    finally:
        if dispatcher is not None:
            dispatcher.close()
    if dispatcher is not None and dispatcher.error is not None:
        raise dispatcher.error
    return Recording(
        path=path, duration_seconds=round(frames / options.sample_rate, 3),
        stopped_by=stopped_by, heard_speech=detector.heard_speech,
        peak_dbfs=round(detector.peak, 1),
        noise_floor_dbfs=round(detector.noise_floor if detector.noise_floor is not None
                               else SILENT_DBFS, 1),
        speech_start_seconds=detector.speech_start, speech_end_seconds=detector.last_voiced_end,
        sample_rate=options.sample_rate, channels=options.channels, device=device.name,
        overflows=overflows, warnings=tuple(warnings), stop_signal=stop_signal,
    )


def _resample_channels(resampler: Resampler, block: np.ndarray) -> np.ndarray:
    # Multi-channel fallback: average to mono for the resampler, then duplicate.
    mono = resampler.resample(block.mean(axis=1))
    return np.repeat(mono[:, None], block.shape[1], axis=1)


def _warning(detector: _SpeechDetector, elapsed: float, options: RecorderOptions,
             current: str | None) -> str | None:
    if detector.heard_speech:
        return None
    if current and current != NO_AUDIO_WARNING:
        return current
    if elapsed < options.no_input_warning_seconds:
        return None
    seconds = f"{options.no_input_warning_seconds:g} s"
    if detector.peak < NO_SIGNAL_DBFS:
        return (f"no sound from the microphone in the first {seconds}: wrong or muted device? "
                "see `voiceprep devices`")
    return (f"no speech heard in the first {seconds}: speak up, or check the input device "
            "(`voiceprep devices`)")


def _status(detector: _SpeechDetector, frames: int, options: RecorderOptions, level: float,
            warning: str | None) -> RecordingStatus:
    elapsed = frames / options.sample_rate
    return RecordingStatus(
        elapsed_seconds=elapsed, level_dbfs=level, level=level_fraction(level),
        heard_speech=detector.heard_speech,
        silence_seconds=detector.silence_after_speech(elapsed), warning=warning,
    )
