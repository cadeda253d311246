"""Timings of the voice I/O stages through real (virtual) devices: speaking and recording.

    .venv/bin/python -m benchmarks.voice_io [--runs N]

Starts a private PulseAudio server (scripts/virtual-audio.sh) and prints: text-to-speech
synthesis speed and playback overhead, how soon a recording starts, how long after the end of
speech the recorder stops, how fast Enter stops it, and what a killed recording keeps.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import ROOT

SCRIPT = ROOT / "scripts" / "virtual-audio.sh"
ANSWER = ("I started in DevOps and moved into MLOps. We run our training jobs on Kubernetes "
          "and watch the dashboards in Grafana.")
QUESTION = "Walk me through how you would deploy a machine learning model to production."


def start_audio(runtime: Path) -> dict[str, str]:
    env = {**os.environ, "VOICEPREP_AUDIO_RUNTIME": str(runtime)}
    subprocess.run(["bash", str(SCRIPT), "start"], env=env, check=True, capture_output=True)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    os.environ["PULSE_SERVER"] = f"unix:{runtime}/pulse/native"
    return env


def fmt(values: list[float]) -> str:
    return (f"median {statistics.median(values):.3f} s  "
            f"(min {min(values):.3f}, max {max(values):.3f}, n={len(values)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="voiceprep-bench-"))
    env = start_audio(tmp / "audio")
    try:
        run(args.runs, tmp)
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop"], env=env, capture_output=True)


def run(runs: int, tmp: Path) -> None:
    import soundfile as sf

    from voiceprep.audio.devices import rescan_devices
    from voiceprep.audio.recorder import RecorderOptions, record
    from voiceprep.audio.text_to_speech import make_speaker

    rescan_devices()
    speaker = make_speaker(True)
    print(f"speaker: {type(speaker).__name__} {speaker.unavailable_reason or ''}")

    synth, says, audio_seconds = [], [], 0.0
    for _ in range(runs):
        started = time.monotonic()
        path = speaker.save_to_file(QUESTION, tmp / "q.wav")
        synth.append(time.monotonic() - started)
        audio_seconds = sf.info(path).duration
        started = time.monotonic()
        speaker.say(QUESTION)
        says.append(time.monotonic() - started - audio_seconds)
    print(f"TTS: {audio_seconds:.2f} s question synthesised in {fmt(synth)}")
    print(f"TTS: say() returns after the audio plus {fmt(says)}")

    answer = tmp / "answer.wav"
    subprocess.run(["espeak-ng", "-s", "160", "-w", str(answer), ANSWER], check=True)
    first_block, tails, stop_after_last_speech, onsets = [], [], [], []
    for _ in range(runs):
        progress: list[tuple[float, float, bool]] = []
        started = time.monotonic()
        player = subprocess.Popen(["sh", "-c", "sleep 1; exec paplay --latency-msec=30 "
                                   f"--device=virt {answer}"])
        recording = record(tmp / "r.wav", RecorderOptions(silence_seconds=3.0, max_seconds=60),
                           on_progress=lambda s, log=progress: log.append(
                               (time.monotonic(), s.elapsed_seconds, s.silence_seconds == 0)))
        returned = time.monotonic()
        player.wait()
        first_block.append(progress[0][0] - started)
        tails.append(recording.duration_seconds - recording.speech_end_seconds)
        last_loud = max(t for t, elapsed, _ in progress
                        if elapsed <= recording.speech_end_seconds + 1e-6)
        stop_after_last_speech.append(returned - last_loud)
        onsets.append(recording.speech_start_seconds)
    print(f"record(): first block after {fmt(first_block)}")
    print(f"record(): speech played 1.0 s after the call starts in the file at {fmt(onsets)}"
          " (0.1 s blocks)")
    print(f"record(): silence kept after the speech {fmt(tails)} (silence_seconds=3.0)")
    print(f"record(): returns after the last speech block {fmt(stop_after_last_speech)}")

    enter = []
    for _ in range(runs):
        stop = threading.Event()
        timer = threading.Timer(1.0, stop.set)
        timer.start()
        set_at = time.monotonic() + 1.0
        record(tmp / "e.wav", RecorderOptions(max_seconds=30), stop_event=stop)
        enter.append(time.monotonic() - set_at)
    print(f"record(): returns after Enter (stop_event) {fmt(enter)}")

    script = ("import sys; from pathlib import Path; from voiceprep.audio.recorder import "
              "RecorderOptions, record; record(Path(sys.argv[1]), RecorderOptions(max_seconds=60,"
              " silence_seconds=60))")
    kept = []
    for _ in range(runs):
        path = tmp / "k.wav"
        path.unlink(missing_ok=True)
        proc = subprocess.Popen([sys.executable, "-c", script, str(path)])
        while not path.exists() or path.stat().st_size < 44 + 2 * 16000 * 2:
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        on_disk = (path.stat().st_size - 44) // 2
        kept.append(on_disk - sf.info(path).frames)
    print(f"SIGKILL mid-recording: samples on disk not counted by the WAV header: max {max(kept)}"
          f" (n={runs}); soxi/wave read every header")


if __name__ == "__main__":
    main()
