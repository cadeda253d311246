"""A practice run as a person makes it: start-up, feedback wait and peak memory.

    .venv/bin/python -m benchmarks.practice_run [--answer WAV] [--runs 3]

Starts a private PulseAudio (scripts/virtual-audio.sh), runs `voiceprep practice --no-voice` for
one question, plays a spoken answer into the virtual microphone and lets the silence stop end it.
Prints, per run: the time from launch to the recording being ready (its WAV opened), the time
from the recorder's stop to the feedback on screen, and the peak resident memory of the
process; and `voiceprep --help` against a bare `python -c pass`, both in the same run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT

PY = sys.executable


def start_audio(runtime: Path) -> dict[str, str]:
    env = {**os.environ, "VOICEPREP_AUDIO_RUNTIME": str(runtime)}
    out = subprocess.run(["bash", str(ROOT / "scripts" / "virtual-audio.sh"), "start"],
                         env=env, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        for part in line.replace("export ", "").split():
            if "=" in part:
                key, value = part.split("=", 1)
                env[key] = value.strip("'\"")
    return env


def speak(text: str, path: Path) -> Path:
    subprocess.run(["espeak-ng", "-s", "160", "-w", str(path), text], check=True)
    return path


def one_run(env: dict[str, str], answer: Path, data_dir: Path) -> tuple[float, float, float]:
    command = [PY, "-m", "voiceprep", "practice", "-q", "about-yourself", "--no-voice",
               "--silence", "2", "--data-dir", str(data_dir)]
    launched = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    ready = None
    while ready is None and process.poll() is None:
        if list(data_dir.glob("sessions/*/*.wav")):
            ready = time.monotonic() - launched
        time.sleep(0.01)
    player = subprocess.Popen(["paplay", "--device=virt", str(answer)], env=env)
    stop_seen = feedback = None
    assert process.stdout is not None
    for line in process.stdout:
        now = time.monotonic()
        if "stopped after silence" in line and stop_seen is None:
            stop_seen = now
        if line.startswith("Score ") and stop_seen is not None and feedback is None:
            feedback = now - stop_seen
    _, status, usage = os.wait4(process.pid, 0)  # this process's own peak, not the players'
    process.returncode = os.waitstatus_to_exitcode(status)
    player.wait()
    return ready or float("nan"), feedback or float("nan"), usage.ru_maxrss / 1024


def timed(command: list[str], runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.monotonic()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        best = min(best, time.monotonic() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answer", type=Path, help="a spoken answer (default: espeak-ng)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="voiceprep-bench-"))
    env = start_audio(work / "audio")
    answer = args.answer or speak(
        "I started in DevOps and moved into MLOps. Today I mostly work with Kubernetes and "
        "Docker on AWS, and our pipelines serve fifty million predictions a day.", work / "a.wav")
    print(f"{'run':>3} {'ready after launch':>19} {'feedback after stop':>20} {'peak memory':>12}")
    for run in range(1, args.runs + 1):
        ready, feedback, peak = one_run(env, answer, work / f"data{run}")
        print(f"{run:>3} {ready:18.2f}s {feedback:19.2f}s {peak:10.0f} MB", flush=True)
    bare = timed([PY, "-c", "pass"])
    help_time = timed([PY, "-m", "voiceprep", "--help"])
    print(f"voiceprep --help {help_time:.2f} s (python -c pass {bare:.2f} s, "
          f"{help_time - bare:.2f} s more)")
    subprocess.run(["bash", str(ROOT / "scripts" / "virtual-audio.sh"), "stop"], env=env,
                   capture_output=True)


if __name__ == "__main__":
    main()
