"""The recorder on real devices: a private PulseAudio server, speech played into its null sink."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner
from rich.console import Console

from voiceprep.audio.devices import find_input_device, list_input_devices
from voiceprep.audio.load import Resampler, resample, rms_dbfs
from voiceprep.audio.recorder import RecorderOptions, record
from voiceprep.cli import main
from voiceprep.errors import RecorderError
from voiceprep.ui.live import live_recording

pytestmark = pytest.mark.slow

ANSWER = ("I started in DevOps and moved into MLOps. We run our training jobs on Kubernetes "
          "and watch the dashboards in Grafana.")


def espeak(text: str, path: Path, rate: int = 160) -> Path:
    subprocess.run(["espeak-ng", "-s", str(rate), "-w", str(path), text], check=True)
    return path


def voiced_seconds(path: Path, threshold_dbfs: float = -45.0) -> tuple[float, float]:
    """First and last 0.1 s block of a file louder than the threshold, in seconds."""
    samples, rate = sf.read(path, dtype="float32", always_2d=True)
    block = int(rate * 0.1)
    loud = [i for i in range(0, len(samples) - block + 1, block)
            if rms_dbfs(samples[i:i + block, 0]) >= threshold_dbfs]
    return loud[0] / rate, (loud[-1] + block) / rate


@pytest.fixture(scope="module")
def answer_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return espeak(ANSWER, tmp_path_factory.mktemp("speech") / "answer.wav")


@pytest.fixture(scope="module")
def tone_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tone") / "tone.wav"
    t = np.arange(int(16000 * 8)) / 16000
    sf.write(path, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 16000)
    return path


def test_the_virtual_microphone_is_the_default_input(virtual_audio):
    devices = list_input_devices()
    assert any(d["is_default"] for d in devices)
    default = find_input_device(None)
    assert default.name in {d["name"] for d in devices}


def test_recording_starts_at_once(tmp_path, virtual_audio):
    first: list[float] = []
    began = time.monotonic()
    record(tmp_path / "start.wav", RecorderOptions(max_seconds=0.5),
           on_progress=lambda status: first or first.append(time.monotonic() - began))
    assert first[0] < 0.5


def test_stops_after_silence_that_follows_speech(tmp_path, answer_wav, play_into_mic):
    start, end = voiced_seconds(answer_wav)
    spoken = end - start
    play_into_mic(answer_wav, delay=0.5)
    path = tmp_path / "answer.wav"
    began = time.monotonic()
    recording = record(path, RecorderOptions(silence_seconds=2.0, max_seconds=30))
    wall = time.monotonic() - began

    assert recording.stopped_by == "silence"
    assert recording.heard_speech
    info = sf.info(path)
    assert (info.samplerate, info.channels, info.subtype) == (16000, 1, "PCM_16")
    assert info.duration == pytest.approx(recording.duration_seconds, abs=0.001)
    # The speech heard lasts as long as the speech played, and 2 s of silence end it.
    assert recording.speech_end_seconds - recording.speech_start_seconds == \
        pytest.approx(spoken, abs=0.35)
    assert recording.duration_seconds - recording.speech_end_seconds == pytest.approx(2.0, abs=0.11)
    # Total: what preceded the speech (playback starts 0.5 s after the call) + speech + silence.
    assert spoken + 2.0 - 0.4 < recording.duration_seconds < spoken + 2.0 + 2.0
    late = wall - recording.duration_seconds  # the stream's start and close, at most
    assert late < 0.8  # no audio lost at the start
    # Played 0.5 s after the call: heard no sooner, less what a busy machine took to open the
    # stream (the recording's zero is its first block, not the call).
    assert 0.5 - late <= recording.speech_start_seconds < 1.2
    assert recording.peak_dbfs > -30
    # What was saved is the speech: its loud part is as long as the played file's.
    saved_start, saved_end = voiced_seconds(path)
    assert saved_end - saved_start == pytest.approx(spoken, abs=0.35)


def test_hard_limit_with_continuous_sound(tmp_path, tone_wav, play_into_mic):
    play_into_mic(tone_wav, delay=0.0)
    recording = record(tmp_path / "limit.wav", RecorderOptions(max_seconds=2.0))
    assert recording.stopped_by == "limit"
    assert recording.duration_seconds == pytest.approx(2.0, abs=0.001)
    assert sf.info(tmp_path / "limit.wav").frames == 32000


def test_stop_event_stops_as_enter(tmp_path, tone_wav, play_into_mic):
    play_into_mic(tone_wav, delay=0.0)
    stop = threading.Event()
    timer = threading.Timer(1.5, stop.set)
    began = time.monotonic()
    timer.start()
    recording = record(tmp_path / "enter.wav", RecorderOptions(max_seconds=20), stop_event=stop)
    stopped_after = time.monotonic() - began
    timer.cancel()
    assert recording.stopped_by == "enter"
    assert stopped_after == pytest.approx(1.5, abs=0.4)
    assert 1.0 < recording.duration_seconds < 1.7


def test_warns_when_nothing_is_heard(tmp_path, virtual_audio):
    statuses = []
    recording = record(tmp_path / "quiet.wav",
                       RecorderOptions(max_seconds=4.0, no_input_warning_seconds=3.0),
                       on_progress=statuses.append)
    warned = [s for s in statuses if s.warning]
    assert warned, "no warning while nothing was heard"
    assert 3.0 <= warned[0].elapsed_seconds <= 3.2
    assert all(s.warning is None for s in statuses if s.elapsed_seconds < 3.0)
    assert "no sound from the microphone" in warned[0].warning
    assert "voiceprep devices" in warned[0].warning
    assert recording.stopped_by == "limit"
    assert not recording.heard_speech
    assert recording.warnings == (warned[0].warning,)


def test_the_warning_goes_away_once_speech_is_heard(tmp_path, answer_wav, play_into_mic):
    statuses = []
    play_into_mic(answer_wav, delay=3.5)
    recording = record(tmp_path / "late.wav",
                       RecorderOptions(silence_seconds=1.0, max_seconds=20,
                                       no_input_warning_seconds=2.0),
                       on_progress=statuses.append)
    assert recording.stopped_by == "silence"
    assert recording.heard_speech
    assert any(s.warning for s in statuses)
    assert statuses[-1].warning is None  # heard speech: the warning went away


def test_on_chunk_receives_every_sample_while_recording(tmp_path, answer_wav, play_into_mic):
    chunks: list[np.ndarray] = []
    arrival: list[float] = []
    play_into_mic(answer_wav, delay=0.3)

    def slow_consumer(block: np.ndarray) -> None:
        chunks.append(block.copy())
        arrival.append(time.monotonic())
        time.sleep(0.02)  # slower work must not hold the recording up

    began = time.monotonic()
    recording = record(tmp_path / "chunks.wav", RecorderOptions(silence_seconds=1.0,
                                                                max_seconds=20),
                       on_chunk=slow_consumer)
    ended = time.monotonic()
    saved, rate = sf.read(tmp_path / "chunks.wav", dtype="float32")
    assert rate == 16000
    assert sum(len(c) for c in chunks) == len(saved)
    assert all(c.ndim == 1 and c.dtype == np.float32 for c in chunks)
    np.testing.assert_allclose(np.concatenate(chunks), saved, atol=1 / 32768 + 1e-6)
    # Chunks arrive during the recording, not in one go at the end.
    assert arrival[len(arrival) // 2] < began + (ended - began) * 0.75
    assert recording.heard_speech


def test_on_chunk_errors_reach_the_caller(tmp_path, virtual_audio):
    def broken(block: np.ndarray) -> None:
        raise ValueError("consumer broke")

    with pytest.raises(ValueError, match="consumer broke"):
        record(tmp_path / "x.wav", RecorderOptions(max_seconds=0.5), on_chunk=broken)
    assert sf.info(tmp_path / "x.wav").duration == pytest.approx(0.5, abs=0.001)


CRASH_SCRIPT = """
import sys
from pathlib import Path
from voiceprep.audio.recorder import RecorderOptions, record
record(Path(sys.argv[1]), RecorderOptions(max_seconds=60, silence_seconds=30))
"""


def test_a_killed_recording_leaves_a_readable_wav(tmp_path, tone_wav, virtual_audio):
    path = tmp_path / "crash.wav"
    proc = subprocess.Popen([sys.executable, "-c", CRASH_SCRIPT, str(path)],
                            env=virtual_audio.env)
    try:
        deadline = time.monotonic() + 20
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        virtual_audio.play_into_mic(tone_wav, delay=0.0)
        while (not path.exists() or path.stat().st_size < 44 + 2 * 16000 * 3) \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the recorder exited early"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
        virtual_audio.stop_players()
    assert proc.returncode == -signal.SIGKILL
    info = sf.info(path)
    data_bytes = path.stat().st_size - 44
    assert info.samplerate == 16000 and info.channels == 1
    # The header counts (almost) every sample on disk: at most one 0.1 s block behind.
    assert info.duration >= 3.0
    samples, _ = sf.read(path, dtype="float32")
    assert rms_dbfs(samples[-16000:]) > -20  # the tone is in the file up to the end
    sox = subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True)
    assert sox.returncode == 0 and float(sox.stdout) == pytest.approx(info.duration, abs=0.01)
    with wave.open(str(path)) as plain:  # a reader that trusts the header and nothing else
        assert plain.getnframes() == info.frames == data_bytes // 2


# Ctrl-C reaches the program as a terminal delivers it. A test run started in the background by a
# shell without job control (`make test &` in a script) inherits Ctrl-C ignored and passes that
# on to its children; Python keeps an ignored SIGINT ignored.
INTERRUPT_SCRIPT = """
import signal, sys
from pathlib import Path
signal.signal(signal.SIGINT, signal.default_int_handler)
from voiceprep.audio.recorder import RecorderOptions, record
recording = record(Path(sys.argv[1]), RecorderOptions(max_seconds=60, silence_seconds=30))
print(recording.stopped_by, recording.duration_seconds)
"""


def test_ctrl_c_stops_and_keeps_the_recording(tmp_path, virtual_audio):
    path = tmp_path / "interrupted.wav"
    proc = subprocess.Popen([sys.executable, "-c", INTERRUPT_SCRIPT, str(path)],
                            env=virtual_audio.env, stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while (not path.exists() or path.stat().st_size < 44 + 2 * 16000 * 2) \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=20)
    stopped_by, duration = out.split()
    assert proc.returncode == 0
    assert stopped_by == "interrupted"
    assert float(duration) == pytest.approx(sf.info(path).duration, abs=0.001)
    assert float(duration) >= 2.0


AUDIO_THREADS_SCRIPT = """
import os, sys, threading
from pathlib import Path
from voiceprep.audio.devices import sounddevice
from voiceprep.audio.recorder import RecorderOptions, record

def tasks():
    return set(os.listdir("/proc/self/task"))

def blocks_ctrl_c(tid):
    for line in Path(f"/proc/self/task/{tid}/status").read_text().splitlines():
        if line.startswith("SigBlk:"):
            return bool(int(line.split()[1], 16) & 1 << 1)  # bit 1: SIGINT (2)

sounddevice().query_devices()
before = tasks()
stop = threading.Event()
seen = []

def look(status):
    if status.elapsed_seconds >= 0.5 and not stop.is_set():
        ours = {str(t.native_id) for t in threading.enumerate()}
        seen.extend((tid, blocks_ctrl_c(tid)) for tid in tasks() - before - ours)
        stop.set()

record(Path(sys.argv[1]), RecorderOptions(max_seconds=10), stop_event=stop, on_progress=look)
print(len(seen), sum(not blocked for _, blocked in seen))
"""


def test_ctrl_c_never_reaches_the_audio_threads(tmp_path, virtual_audio):
    """The threads PortAudio and the PulseAudio plugin start for a recording block Ctrl-C, so the
    kernel hands it to one of the program's own threads: a Ctrl-C that lands in an audio thread's
    poll makes the ALSA plugin fail the stream, and closing it then can hang."""
    done = subprocess.run([sys.executable, "-c", AUDIO_THREADS_SCRIPT, str(tmp_path / "a.wav")],
                          env=virtual_audio.env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    started, hearing_ctrl_c = map(int, done.stdout.split())
    assert started >= 1  # the stream's own threads were seen
    assert hearing_ctrl_c == 0


@pytest.mark.parametrize("device, message", [
    ("no-such-microphone", "input device 'no-such-microphone' not found"),
    (999, "input device 999 not found"),
])
def test_unknown_device_is_a_clear_error(tmp_path, virtual_audio, device, message):
    with pytest.raises(RecorderError, match=message) as caught:
        record(tmp_path / "x.wav", RecorderOptions(device=device, max_seconds=1))
    assert "voiceprep devices" in str(caught.value)
    assert not (tmp_path / "x.wav").exists()


def test_device_by_name_part(tmp_path, virtual_audio):
    recording = record(tmp_path / "byname.wav", RecorderOptions(device="pulse", max_seconds=0.5))
    assert recording.device == "pulse"
    assert recording.duration_seconds == pytest.approx(0.5, abs=0.001)


def test_live_display_shows_recording_and_target(tmp_path, answer_wav, play_into_mic):
    out = io.StringIO()
    console = Console(file=out, width=120, force_terminal=False)
    play_into_mic(answer_wav, delay=0.3)
    recording = live_recording(console, tmp_path / "live.wav",
                               RecorderOptions(silence_seconds=1.0, max_seconds=20),
                               target_seconds=(60, 120), stdin=io.StringIO("\n"))
    text = out.getvalue()
    assert recording.stopped_by == "silence"  # a non-terminal stdin never stops it
    assert "Recording" in text
    assert "target 1:00-2:00" in text
    assert "stopped after silence" in text


def test_enter_on_a_terminal_stops_the_live_recording(tmp_path, tone_wav, play_into_mic):
    master, slave = os.openpty()
    stdin = os.fdopen(slave, "r")
    play_into_mic(tone_wav, delay=0.0)
    threading.Timer(1.2, lambda: os.write(master, b"\n")).start()
    try:
        recording = live_recording(Console(file=io.StringIO()), tmp_path / "enter.wav",
                                   RecorderOptions(max_seconds=10), stdin=stdin)
    finally:
        stdin.close()
        os.close(master)
    assert recording.stopped_by == "enter"
    assert 0.8 < recording.duration_seconds < 2.0


def test_record_command_writes_a_wav(tmp_path, answer_wav, play_into_mic):
    play_into_mic(answer_wav, delay=0.3)
    path = tmp_path / "cli.wav"
    result = CliRunner().invoke(main, ["record", str(path), "--silence", "1", "--max", "20",
                                       "--json"])
    assert result.exit_code == 0, result.output
    assert '"stopped_by": "silence"' in result.output
    assert sf.info(path).samplerate == 16000


def test_devices_command_lists_the_default(virtual_audio):
    import json

    result = CliRunner().invoke(main, ["devices", "--json"])
    assert result.exit_code == 0, result.output
    devices = json.loads(result.output)
    assert any(d["is_default"] for d in devices)
    assert {"index", "name", "channels", "default_samplerate", "is_default"} <= set(devices[0])


def test_recorded_answer_transcribes(tmp_path, answer_wav, play_into_mic):
    from voiceprep.hearing.transcriber import transcribe_file

    play_into_mic(answer_wav, delay=0.3)
    recording = record(tmp_path / "t.wav", RecorderOptions(silence_seconds=1.0, max_seconds=30))
    text = transcribe_file(recording.path).text.lower()
    # Through the virtual microphone the audio is not bit-exact, and a CPU's arithmetic can
    # change a word ("dashboards" heard as "dashboard" or not at all): two of three will do.
    assert sum(word in text for word in ("started", "training", "dashboard")) >= 2, text


def test_stream_resampler_is_continuous_across_blocks():
    rate_in, rate_out = 44100, 16000
    t = np.arange(rate_in) / rate_in
    signal_in = np.sin(2 * np.pi * 300 * t).astype(np.float32)
    resampler = Resampler(rate_out, rate_in)
    out = np.concatenate([resampler.resample(signal_in[i:i + 441])
                          for i in range(0, len(signal_in), 441)] + [resampler.flush()])
    expected = np.sin(2 * np.pi * 300 * np.arange(len(out)) / rate_out)
    assert abs(len(out) - rate_out) <= 1
    # In blocks as in one piece: nothing is lost or repeated at a block's edges.
    np.testing.assert_allclose(out, resample(signal_in, rate_in, rate_out), atol=1e-6)
    assert np.max(np.abs(out - expected)[16:-16]) < 0.001  # past the filter's first samples


def test_stream_resampler_does_not_fold_tones_above_the_new_rate_back():
    """A 10 kHz tone cannot be carried at 16 kHz: it must go, not come back as 6 kHz."""
    rate_in, rate_out = 44100, 16000
    tone = np.sin(2 * np.pi * 10000 * np.arange(rate_in) / rate_in).astype(np.float32)
    resampler = Resampler(rate_out, rate_in)
    out = np.concatenate([resampler.resample(tone[i:i + 4410])
                          for i in range(0, len(tone), 4410)])
    assert rms_dbfs(out[1000:]) < rms_dbfs(tone) - 40


PLUGINS_SCRIPT = """
import sys
from pathlib import Path

def plugins():
    return {line.split()[-1] for line in open("/proc/self/maps") if "libasound_module_" in line}

if sys.argv[2] == "bare":  # PortAudio as sounddevice starts it, on its own
    import sounddevice
    print(len(plugins()))
else:
    from voiceprep.audio.devices import sounddevice
    from voiceprep.audio.recorder import RecorderOptions, record
    sounddevice().query_devices()
    listed = plugins()
    recording = record(Path(sys.argv[1]), RecorderOptions(max_seconds=0.5))
    print(len(listed), len(plugins()), recording.duration_seconds)
"""


def test_the_alsa_plugins_loaded_to_list_devices_are_unloaded(tmp_path, virtual_audio):
    """PortAudio opens every ALSA device to list them, loading each plugin (the a52 encoder links
    libavcodec: 11-12 MB resident); they are unloaded again, and the microphone still records."""
    def run(mode: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", PLUGINS_SCRIPT, str(tmp_path / "a.wav"), mode],
                              env=virtual_audio.env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    (loaded,) = run("bare")
    assert int(loaded) >= 1  # PortAudio alone leaves them loaded
    still_loaded, while_recording, seconds = run("voiceprep")
    assert int(still_loaded) == 0
    assert int(while_recording) >= 1  # the stream loaded the plugin it records through again
    assert float(seconds) == pytest.approx(0.5, abs=0.05)
