"""A practice run as a person makes it: start-up, feedback wait and peak memory.

    .venv/bin/python -m benchmarks.practice_run [--answer WAV] [--runs 3]
        [--models tiny.en base] [--stops silence enter] [--voice] [--meaning] [--trace]

Starts a private PulseAudio (scripts/virtual-audio.sh), runs `voiceprep practice` for one
question, plays a spoken answer into the virtual microphone and ends it the two ways a person
does: the silence stop, or Enter pressed 0.2 s after the answer's audio has played (stdin is a
pseudo-terminal then, as in a real terminal). `--voice` speaks the question (through the virtual
speaker) while the model loads, as a real run does; `--meaning` turns coverage by meaning on;
`--trace` samples the process's resident memory every 5 ms and prints, for every 4 s of the run,
its lowest and highest (the level between decodes, and what each decode adds to it).
Prints, per model, stop and run: the time from launch to the recording being ready (its WAV
opened), the time from the recorder's stop to the feedback on screen, and the peak resident
memory of the process; and `voiceprep --help` against a bare `python -c pass`, in the same run.
The models take turns run by run, so a busy machine slows them alike.
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import subprocess
import sys
import tempfile
import threading
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


def one_run(env: dict[str, str], answer: Path, data_dir: Path, *, model: str | None = None,
            stop: str = "silence", voice: bool = False, trace: bool = False
            ) -> tuple[float, float, float]:
    command = [PY, "-m", "voiceprep", "practice", "-q", "about-yourself", "--silence", "2",
               "--no-follow-ups", "--data-dir", str(data_dir)]
    command += [] if voice else ["--no-voice"]
    command += ["--model", model] if model else []
    # Enter is only read from a terminal: a pseudo-terminal stands in for one.
    keyboard, terminal = pty.openpty() if stop == "enter" else (None, None)
    launched = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=env,
                               stdin=terminal if terminal is not None else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    samples: list[tuple[float, int]] = []
    if trace:
        threading.Thread(target=_sample, args=(process, launched, samples), daemon=True).start()
    ready = None
    while ready is None and process.poll() is None:
        if list(data_dir.glob("sessions/*/*.wav")):
            ready = time.monotonic() - launched
        time.sleep(0.01)
    player = subprocess.Popen(["paplay", "--device=virt", str(answer)], env=env)
    if keyboard is not None:
        def press_enter() -> None:
            player.wait()
            time.sleep(0.2)
            os.write(keyboard, b"\n")
        threading.Thread(target=press_enter, daemon=True).start()
    stop_seen = feedback = None
    assert process.stdout is not None
    for line in process.stdout:
        now = time.monotonic()
        if re.search(r"\bstopped( after silence)?: ", line) and stop_seen is None:
            stop_seen = now
        if line.startswith("Score ") and stop_seen is not None and feedback is None:
            feedback = now - stop_seen
            if keyboard is not None:
                os.write(keyboard, b"q\n")  # the menu after the feedback
    _, status, usage = os.wait4(process.pid, 0)  # this process's own peak, not the players'
    process.returncode = os.waitstatus_to_exitcode(status)
    player.wait()
    for fd in (keyboard, terminal):
        if fd is not None:
            os.close(fd)
    for start in range(0, int(samples[-1][0]) + 1 if samples else 0, 4):
        window = [mb for t, mb in samples if start <= t < start + 4]
        if window:
            print(f"    {start:4d}-{start + 4:<4d} s  resident "
                  f"{min(window):4d}-{max(window):4d} MB")
    return ready or float("nan"), feedback or float("nan"), usage.ru_maxrss / 1024


def _sample(process: subprocess.Popen[str], launched: float,
            samples: list[tuple[float, int]]) -> None:
    """(seconds since launch, resident MB) of `process` every 5 ms until it ends."""
    status = Path(f"/proc/{process.pid}/status")
    while True:  # not process.poll(): that would reap the child before the caller's wait4 does
        try:  # an exited process (a zombie, or gone) has no VmRSS line
            line = next(x for x in status.read_text().splitlines() if x.startswith("VmRSS:"))
        except (OSError, StopIteration):
            break
        samples.append((time.monotonic() - launched, int(line.split()[1]) // 1024))
        time.sleep(0.005)


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
    parser.add_argument("--models", nargs="+", default=[None],
                        help="Whisper models to run in turn (default: voiceprep's default)")
    parser.add_argument("--stops", nargs="+", choices=("silence", "enter"), default=["silence"])
    parser.add_argument("--voice", action="store_true", help="speak the question")
    parser.add_argument("--meaning", action="store_true", help="coverage by meaning on")
    parser.add_argument("--trace", action="store_true",
                        help="the resident memory through each run, 4 s at a time")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="voiceprep-bench-"))
    env = start_audio(work / "audio")
    settings = work / "settings.toml"
    settings.write_text(f"[scoring]\nby_meaning = {'true' if args.meaning else 'false'}\n")
    env["VOICEPREP_CONFIG"] = str(settings)
    answer = args.answer or speak(
        "I started in DevOps and moved into MLOps. Today I mostly work with Kubernetes and "
        "Docker on AWS, and our pipelines serve fifty million predictions a day.", work / "a.wav")
    print(f"{'model':>8} {'stop':>8} {'run':>3} {'ready after launch':>19} "
          f"{'feedback after stop':>20} {'peak memory':>12}")
    for run in range(1, args.runs + 1):
        for stop in args.stops:
            for model in args.models:
                ready, feedback, peak = one_run(
                    env, answer, work / f"data-{model}-{stop}-{run}", model=model, stop=stop,
                    voice=args.voice, trace=args.trace)
                print(f"{model or 'default':>8} {stop:>8} {run:>3} {ready:18.2f}s "
                      f"{feedback:19.2f}s {peak:10.0f} MB", flush=True)
    bare = timed([PY, "-c", "pass"])
    help_time = timed([PY, "-m", "voiceprep", "--help"])
    print(f"voiceprep --help {help_time:.2f} s (python -c pass {bare:.2f} s, "
          f"{help_time - bare:.2f} s more)")
    subprocess.run(["bash", str(ROOT / "scripts" / "virtual-audio.sh"), "stop"], env=env,
                   capture_output=True)


if __name__ == "__main__":
    main()
