"""`voiceprep practice` end to end: the real CLI, the real microphone path through PulseAudio
virtual devices, the real Whisper model, the real scorer and a real session database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = Path(__file__).parent / "data" / "answers"

PARTIAL_ANSWER = (
    "I started in DevOps and moved into MLOps. Today I mostly work with Kubernetes and Docker."
)


def wait_for_recording(data_dir: Path, timeout: float = 60.0, skip: int = 0) -> Path:
    """The WAV the recorder is writing, once it holds data."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        wavs = sorted(data_dir.glob("sessions/*/*.wav"))
        started = [w for w in wavs if w.stat().st_size > 0]
        if len(started) > skip:
            return started[-1]
        time.sleep(0.1)
    raise AssertionError("the practice session never started recording")


def run_practice(virtual_audio, data_dir: Path, answer_wav: Path, question: str,
                 stdin: bytes = b"") -> tuple[subprocess.CompletedProcess, Path]:
    """Run `voiceprep practice` for one question and speak `answer_wav` into its microphone."""
    command = [sys.executable, "-m", "voiceprep", "practice", "--question", question,
               "--no-voice", "--no-follow-ups", "--silence", "2", "--data-dir", str(data_dir)]
    before = len([w for w in data_dir.glob("sessions/*/*.wav") if w.stat().st_size > 0])
    process = subprocess.Popen(command, cwd=ROOT, env=virtual_audio.env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        wav = wait_for_recording(data_dir, skip=before)
        virtual_audio.play_into_mic(answer_wav, delay=0.3)
        out, err = process.communicate(stdin, timeout=240)
    finally:
        if process.poll() is None:
            process.kill()
        virtual_audio.stop_players()
    done = subprocess.CompletedProcess(command, process.returncode, out.decode(), err.decode())
    return done, wav


def voiceprep_json(data_dir: Path, *args: str):
    done = subprocess.run([sys.executable, "-m", "voiceprep", *args, "--data-dir", str(data_dir),
                           "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.slow
def test_two_practice_sessions_through_the_virtual_microphone(virtual_audio, speak, tmp_path):
    data_dir = tmp_path / "data"
    full = speak((ANSWERS / "about-yourself-complete.txt").read_text())
    full_seconds = sf.info(str(full)).duration

    # Session 1: the complete prepared answer.
    done, wav = run_practice(virtual_audio, data_dir, full, "about-yourself")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr

    info = sf.info(str(wav))
    assert (info.samplerate, info.channels) == (16000, 1)
    # Speech, then the 2 s of silence that stops the recording (plus start-up slack).
    assert full_seconds + 1.0 < info.duration < full_seconds + 6.0, (info.duration, full_seconds)

    transcript = json.loads(wav.with_suffix(".transcript.json").read_text())
    spoken = transcript["text"].lower()
    # Words espeak-ng's voice carries through tiny.en (it garbles some product names); the
    # recording differs a little from run to run, so one slip is allowed.
    expected = ("kubernetes", "docker", "predictions", "infrastructure", "data science",
                "three years", "automation")
    heard = [word for word in expected if word in spoken]
    assert len(heard) >= len(expected) - 1, (heard, spoken)
    assert transcript["words"][0]["start"] is not None

    scored = json.loads(wav.with_suffix(".score.json").read_text())
    covered = {k["id"] for k in scored["key_points"] if k["covered"]}
    assert len(covered & {"three-years", "fifty-million", "kubernetes-docker", "aws",
                          "bridge-data-science", "devops-background"}) >= 5, covered
    assert scored["coverage"] >= 0.6
    assert "fifty-million" not in scored["missed_required"]
    assert 120 <= scored["words_per_minute"] <= 200  # espeak-ng speaks at 160 words/min
    assert scored["fillers"]["count"] >= 1
    assert "Score" in done.stdout and "devops" in done.stdout.lower()

    # Session 2: a retry of the same question with a short answer.
    short = speak(PARTIAL_ANSWER)
    done, wav2 = run_practice(virtual_audio, data_dir, short, "about-yourself")
    assert done.returncode == 0, done.stderr
    scored2 = json.loads(wav2.with_suffix(".score.json").read_text())
    covered2 = {k["id"] for k in scored2["key_points"] if k["covered"]}
    assert "kubernetes-docker" in covered2
    assert "fifty-million" not in covered2
    assert scored2["timing"] == "short"

    sessions = voiceprep_json(data_dir, "sessions")
    assert len(sessions) == 2
    assert [s["attempts"] for s in sessions] == [1, 1]
    assert sessions[0]["average_coverage"] < sessions[1]["average_coverage"]  # newest first

    attempts = voiceprep_json(data_dir, "review", "latest")
    assert attempts  # the review of the newest session
    assert json.dumps(attempts).count("about-yourself") >= 1

    report = tmp_path / "report.html"
    made = subprocess.run([sys.executable, "-m", "voiceprep", "report", "latest", "-o",
                           str(report), "--data-dir", str(data_dir)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    html = report.read_text()
    assert "<audio" in html and "about-yourself" in html


@pytest.mark.slow
def test_practice_without_a_microphone_says_so(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULSE", "XDG_RUNTIME"))}
    env["PULSE_SERVER"] = "unix:/nonexistent/pulse/native"
    done = subprocess.run([sys.executable, "-m", "voiceprep", "practice", "--no-voice",
                           "--data-dir", str(tmp_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 3
    assert done.stderr.startswith("error: no microphone found")
    assert "Traceback" not in done.stderr
    assert not list(tmp_path.glob("sessions/*"))  # nothing started, nothing half-made


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=30).stdout


def wait_for_screen(session: str, text: str, timeout: float = 90.0, count: int = 1) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-S", "-200", "-t", session)
        if screen.count(text) >= count:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared on the screen:\n{screen}")


def exported_attempts(data_dir: Path) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "voiceprep", "export", "--format", "json",
                           "--data-dir", str(data_dir)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def terminal_practice(virtual_audio, tmp_path):
    """start() runs `voiceprep practice` in a tmux terminal on the virtual microphone and
    returns the tmux session name; the exit status is printed as `exit=N` when it ends."""
    if subprocess.run(["which", "tmux"], capture_output=True).returncode != 0:
        pytest.skip("tmux is not installed (make install sets it up)")
    session = f"voiceprep-test-{os.getpid()}-{tmp_path.name}"
    env = " ".join(f"{k}={v}" for k, v in virtual_audio.env.items()
                   if k in ("XDG_RUNTIME_DIR", "PULSE_SERVER"))

    def start(data_dir: Path) -> str:
        command = (f"cd {ROOT} && env {env} {sys.executable} -m voiceprep practice "
                   f"-q about-yourself -q strengths --no-voice --no-follow-ups "
                   f"--data-dir {data_dir}; "
                   f"echo exit=$?; sleep 60")
        tmux("new-session", "-d", "-s", session, "-x", "140", "-y", "50", command)
        wait_for_screen(session, "Press Enter to stop")
        return session

    yield start
    tmux("kill-session", "-t", session)
    virtual_audio.stop_players()


@pytest.mark.slow
def test_practice_in_a_terminal_as_a_person_would(terminal_practice, play_into_mic, speak,
                                                  tmp_path):
    """Enter stops the answer; the menu shows the reference, retries, and quits."""
    data_dir = tmp_path / "data"
    answer = speak(PARTIAL_ANSWER)
    session = terminal_practice(data_dir)
    play_into_mic(answer, delay=0.2)
    time.sleep(sf.info(str(answer)).duration + 0.8)
    tmux("send-keys", "-t", session, "Enter")  # stop before the 3 s of silence run out
    screen = wait_for_screen(session, "[q]uit")
    assert "stopped:" in screen and "Score" in screen
    tmux("send-keys", "-t", session, "a", "Enter")
    screen = wait_for_screen(session, "reference answer")
    assert "Arthur Grand" in screen
    tmux("send-keys", "-t", session, "r", "Enter")
    wait_for_screen(session, "Press Enter to stop", count=2)
    time.sleep(1.0)
    tmux("send-keys", "-t", session, "Enter")  # an empty retry is kept too
    wait_for_screen(session, "[q]uit", count=3)
    tmux("send-keys", "-t", session, "q", "Enter")
    screen = wait_for_screen(session, "exit=")
    assert "exit=0" in screen and "2 attempt(s)" in screen

    rows = exported_attempts(data_dir)
    assert [(r["question_id"], r["attempt_number"]) for r in rows] == [
        ("about-yourself", 1), ("about-yourself", 2)]
    speech = sf.info(str(answer)).duration
    assert rows[0]["duration_seconds"] < speech + 2.5  # Enter, not 3 s of silence, stopped it
    assert rows[0]["coverage"] > 0 and rows[1]["coverage"] == 0


@pytest.mark.slow
def test_ctrl_c_while_answering_keeps_the_answer(terminal_practice, play_into_mic, speak,
                                                 tmp_path):
    data_dir = tmp_path / "data"
    answer = speak(PARTIAL_ANSWER)
    session = terminal_practice(data_dir)
    play_into_mic(answer, delay=0.2)
    time.sleep(sf.info(str(answer)).duration + 0.5)
    tmux("send-keys", "-t", session, "C-c")
    screen = wait_for_screen(session, "exit=")
    assert "exit=130" in screen and "Traceback" not in screen
    assert "the answer so far is kept" in screen

    rows = exported_attempts(data_dir)
    assert [(r["question_id"], r["status"]) for r in rows] == [("about-yourself", "interrupted")]
    assert rows[0]["coverage"] > 0  # what was said before Ctrl-C was transcribed and scored
    wav = data_dir / rows[0]["audio_path"]
    assert sf.info(str(wav)).duration > sf.info(str(answer)).duration


def test_weakest_first_puts_unpractised_then_lowest_recent_coverage_first():
    from voiceprep.practice import weakest_first

    recent = {"drift": [1.0, 0.25, 0.5], "about-yourself": [1.0]}
    order = weakest_first(["about-yourself", "drift", "never-asked"], recent)
    assert order == ["never-asked", "drift", "about-yourself"]
    assert weakest_first(["b", "a"], {}) == ["b", "a"]
