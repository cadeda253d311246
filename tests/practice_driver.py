"""`voiceprep practice` run as a person would, through the virtual microphone: shared by the
end-to-end tests."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WAV_HEADER = 44  # bytes


def recordings(data_dir: Path) -> list[Path]:
    """The WAVs the microphone has started filling: the store claims empty files first, and the
    recorder writes the header before the first block of audio arrives."""
    return sorted(w for w in data_dir.glob("sessions/*/*.wav") if w.stat().st_size > WAV_HEADER)


def wait_for(condition, what: str, timeout: float = 90.0,
             process: subprocess.Popen[bytes] | None = None):
    """Poll `condition` until it holds; fail after `timeout`, or at once when `process` has
    exited (with what it printed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"{what} never happened: the program exited with "
                                 f"{process.returncode}\n{out.decode()}\n{err.decode()}")
        time.sleep(0.1)
    if process is not None:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"{what} never happened in {timeout:.0f} s; the program printed:"
                             f"\n{out.decode()}\n{err.decode()}")
    raise AssertionError(f"{what} never happened")


def scored(data_dir: Path) -> int:
    """How many attempts have their score written."""
    return len(list(data_dir.glob("sessions/*/*.score.json")))


def practise(virtual_audio, data_dir: Path, answers: list[Path], *options: str,
             env: dict[str, str] | None = None, voice: str | None = None,
             questions: tuple[str, ...] = ("-q", "about-yourself"),
             next_between: bool = False) -> str:
    """Run `voiceprep practice` on one question (or the `questions` options; spoken in `voice`,
    else not at all), say each answer into the microphone when a new recording starts (with
    `next_between`, choose "next" at the menu once the answer before is scored), quit at the
    menu; return what it printed."""
    spoken = ["--voice", voice] if voice else ["--no-voice"]
    command = [sys.executable, "-m", "voiceprep", "practice", *questions, *spoken,
               "--silence", "2", "--data-dir", str(data_dir), *options]
    process = subprocess.Popen(command, cwd=ROOT, env={**virtual_audio.env, **(env or {})},
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    already = len(recordings(data_dir)) if data_dir.exists() else 0  # a history's own
    already_scored = scored(data_dir) if data_dir.exists() else 0
    try:
        for number, answer in enumerate(answers, start=1):
            if next_between and number > 1:
                wait_for(lambda n=already_scored + number - 1: scored(data_dir) == n,
                         f"score {number - 1}", timeout=180, process=process)
                assert process.stdin is not None
                process.stdin.write(b"n\n")
                process.stdin.flush()
            wait_for(lambda n=already + number: len(recordings(data_dir)) == n,
                     f"recording {number}", process=process)
            virtual_audio.play_into_mic(answer, delay=0.3)
        out, err = process.communicate(b"q\n", timeout=180)
    finally:
        if process.poll() is None:
            process.kill()
        virtual_audio.stop_players()
    assert process.returncode == 0, err.decode()
    return " ".join(out.decode().split())
