"""`voiceprep sessions`, `review`, `export` against a real database and real files."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from datetime import timedelta

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner
from rich.console import Console

from history_data import (
    ABOUT,
    DAY1,
    DAY2,
    DRIFT_RETRY,
    build_history,
    record,
    score_answer,
    timed_transcript,
)
from voiceprep.cli import main
from voiceprep.errors import AudioError
from voiceprep.export import COLUMNS
from voiceprep.metrics import COVERAGE
from voiceprep.playback import play_audio
from voiceprep.render import highlighted
from voiceprep.review import review_session, transcript_spans
from voiceprep.transcript import Transcript


@pytest.fixture
def history(data_dir, store, bank):
    return build_history(store, bank)


def run(*args, data_dir):
    result = CliRunner().invoke(main, [*args, "--data-dir", str(data_dir)])
    return result


def test_sessions_json_newest_first_with_counts_and_averages(data_dir, store, history):
    s1, s2 = history
    result = run("sessions", "--json", data_dir=data_dir)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [s["id"] for s in data] == [s2.id, s1.id]
    attempts = store.attempts(session_id=s1.id)
    assert data[1]["attempts"] == 2 and data[1]["questions"] == 2
    assert data[1]["average_coverage"] == pytest.approx(
        sum(a.coverage for a in attempts) / 2, abs=1e-4)
    assert data[1]["average_score"] == pytest.approx(sum(a.score for a in attempts) / 2, abs=0.06)
    assert data[0]["ended_at"].startswith("2026-11-24T19:06:00")


def test_sessions_table(data_dir, store, history):
    result = run("sessions", data_dir=data_dir)
    assert result.exit_code == 0
    newest = store.sessions()[0]
    lines = [line for line in result.output.splitlines() if line.strip().startswith("2026")]
    assert [line.split()[0] for line in lines] == ["20261124-190000", "20261120-183000"]
    assert f"{round(newest.average_coverage * 100)}%" in lines[0]


def test_sessions_with_no_history(data_dir):
    result = run("sessions", data_dir=data_dir)
    assert result.exit_code == 0 and "No sessions yet" in result.output
    assert json.loads(run("sessions", "--json", data_dir=data_dir).stdout) == []


def test_review_latest_json_compares_the_retry(data_dir, history):
    result = run("review", "--json", data_dir=data_dir)  # "latest" is the default
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["session"]["id"] == history[1].id
    [drift] = data["questions"]
    assert drift["question_id"] == "drift"
    assert drift["reference"].startswith("Monitor input distributions")
    first, retry = drift["attempts"]
    assert (first["attempt_number"], retry["attempt_number"]) == (1, 2)
    assert retry["transcript"] == DRIFT_RETRY
    covered = [k["id"] for k in retry["key_points"] if k["covered"]]
    marked = [s["key_point"] for s in retry["spans"] if s["key_point"]]
    assert marked == covered == ["psi", "alerts", "retrain", "dashboards"]
    psi = next(s for s in retry["spans"] if s["key_point"] == "psi")
    assert psi["text"] == "population stability index"
    assert psi["start"] == next(k["start"] for k in retry["key_points"] if k["id"] == "psi")
    row1, row2 = drift["comparison"]
    assert row1["coverage_change"] is None
    assert row2["coverage_change"] == pytest.approx(retry["coverage"] - first["coverage"])
    assert row2["coverage_verdict"] == "better"
    assert row2["newly_covered"] == ["dashboards"] and row2["no_longer_covered"] == []


def test_review_text_shows_highlights_missed_points_reference_and_comparison(
        data_dir, store, history):
    result = run("review", "latest", data_dir=data_dir)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "How do you detect <model> drift in production?" in out
    assert "✗ missed: Dashboards in Grafana" in out
    assert "reference answer" in out and "Monitor input distributions" in out
    assert "attempts compared" in out and "+dashboards" in out
    first, retry = store.attempts(session_id=history[1].id)
    assert f"({COVERAGE.format_change(retry.coverage - first.coverage)})" in out


def test_review_of_one_question_by_session_prefix(data_dir, history):
    result = run("review", "20261120", "--question", "about-yourself", "--json",
                 data_dir=data_dir)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [q["question_id"] for q in data["questions"]] == ["about-yourself"]
    assert data["questions"][0]["attempts"][0]["transcript"] == ABOUT
    assert data["questions"][0]["comparison"][0]["attempt_number"] == 1


def test_highlighting_marks_evidence_in_bold_green(data_dir, store, history):
    review = review_session(store, history[1])
    retry = review.questions[0].attempts[1]
    console = Console(record=True, width=200, color_system="truecolor")
    console.print(highlighted(retry.spans))
    html = console.export_html(inline_styles=True)
    assert "population stability index</span>" in html
    assert "font-weight: bold" in html and "#008000" in html
    plain = [s.text for s in retry.spans if not s.key_point]
    assert plain[0] == "we compute the"


def test_spans_without_timestamps_find_the_evidence_words(bank):
    drift = bank.find("drift")
    transcript = Transcript.from_text("Well, we alert when the threshold is crossed.")
    spans = transcript_spans(transcript, score_answer(drift, transcript))
    marked = [(s.text, s.key_point, s.start) for s in spans if s.key_point]
    assert marked == [("alert when the threshold", "alerts", None)]
    assert " ".join(s.text for s in spans) == transcript.text


@pytest.mark.parametrize("args, message", [
    (["review", "20200101"], "error: no session '20200101'"),
    (["review", "202611"], "error: session '202611' is ambiguous"),
    (["review", "latest", "--question", "nope"], "has no attempt at question 'nope'"),
    (["report", "nope"], "error: no session 'nope'"),
])
def test_review_errors_are_one_line(data_dir, history, args, message):
    result = run(*args, data_dir=data_dir)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_review_of_an_empty_data_dir(data_dir):
    result = run("review", data_dir=data_dir)
    assert result.exit_code == 2 and "error: no sessions in" in result.stderr


def test_corrupt_database_is_one_line_error(data_dir):
    data_dir.mkdir()
    (data_dir / "voiceprep.db").write_text("not a database, just some text\n" * 50)
    for command in (["sessions"], ["review"], ["progress"], ["export"]):
        result = run(*command, data_dir=data_dir)
        assert result.exit_code == 2, command
        assert result.stderr.startswith("error: ") and "not a usable voiceprep database" in (
            result.stderr)
        assert "Traceback" not in result.output and len(result.stderr.splitlines()) == 1


def test_missing_transcript_file_is_one_line_error(data_dir, store, history):
    attempt = store.attempts()[-1]
    (data_dir / attempt.transcript_path).unlink()
    result = run("review", data_dir=data_dir)
    assert result.exit_code == 2
    assert "error: the transcript of attempt" in result.stderr and "is missing" in result.stderr


def test_export_csv_and_json(data_dir, store, history, tmp_path):
    result = run("export", data_dir=data_dir)
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == COLUMNS
    attempts = store.attempts()
    assert len(rows) == len(attempts) == 4
    assert [float(r["coverage"]) for r in rows] == [a.coverage for a in attempts]
    assert rows[0]["session_started_at"].startswith("2026-11-20T18:30:00")
    assert rows[0]["bank_title"] == "Test <b>bank</b>"
    assert rows[3]["attempt_number"] == "2" and rows[3]["audio_path"].endswith("02-drift.wav")

    out = tmp_path / "attempts.json"
    result = run("export", "--format", "json", "-o", str(out), data_dir=data_dir)
    assert result.exit_code == 0 and "4 attempt(s) written" in result.stderr
    data = json.loads(out.read_text())
    assert [d["words_per_minute"] for d in data] == [a.words_per_minute for a in attempts]
    assert data[2]["filler_count"] == attempts[2].filler_count


def test_export_of_no_history_is_a_header(data_dir):
    result = run("export", data_dir=data_dir)
    assert result.exit_code == 0 and result.stdout == ",".join(COLUMNS) + "\n"


def test_play_without_a_recording(data_dir, store, bank):
    session = store.start_session(bank.title, now=DAY1)
    about = bank.find("about-yourself")
    transcript = timed_transcript(ABOUT, 0.3)
    store.save_attempt(session, about, store.reserve_attempt(session, about.id), transcript,
                       score_answer(about, transcript), started_at=DAY1, ended_at=DAY1,
                       duration_seconds=None)
    result = run("review", "--play", data_dir=data_dir)
    assert result.exit_code == 1 and "has no recording" in result.stderr
    with pytest.raises(AudioError, match="no recording at"):
        play_audio(data_dir / "nothing.wav")


def _cli(*args, env):
    return subprocess.run([sys.executable, "-m", "voiceprep", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def test_play_with_no_output_device_is_a_clear_error(data_dir, history, tmp_path):
    # A fresh process whose sound server does not exist: nothing can play.
    env = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/no-such-socket",
           "XDG_RUNTIME_DIR": str(tmp_path)}
    done = _cli("review", "--play", "--data-dir", str(data_dir), env=env)
    assert done.returncode == 2, done.stderr
    assert "error: cannot play" in done.stderr and "no audio output device" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_play_sends_the_recording_to_the_sound_output(data_dir, store, bank, tmp_path,
                                                      virtual_audio):
    """Through the virtual PulseAudio sink: what --play outputs is captured from the sink's
    monitor and must contain the recorded tone, for as long as the recording lasts."""
    session = store.start_session(bank.title, now=DAY2)
    attempt = record(store, session, bank.find("drift"), DRIFT_RETRY, 0.1,
                     DAY2 + timedelta(minutes=1))
    captured = tmp_path / "captured.wav"
    recorder = subprocess.Popen(
        ["parec", f"--device={virtual_audio.source}", "--file-format=wav", "--rate=16000",
         "--channels=1", str(captured)], env=virtual_audio.env)
    try:
        time.sleep(0.5)
        done = _cli("review", "--play", "--data-dir", str(data_dir), env=virtual_audio.env)
        time.sleep(0.5)
    finally:
        recorder.terminate()
        recorder.wait(timeout=10)
    assert done.returncode == 0, done.stderr
    assert f"playing {data_dir / attempt.audio_path}" in done.stderr
    samples, rate = sf.read(str(captured))
    assert rate == 16000
    # The recording is a 220 Hz tone of about three seconds at amplitude 0.2.
    loud = np.abs(samples) > 0.05
    assert loud.sum() / rate == pytest.approx(attempt.duration_seconds, abs=1.0)


def test_an_interrupted_silent_answer_is_shown_and_left_out_of_averages(data_dir, store, bank):
    drift = bank.find("drift")
    session = store.start_session(bank.title, now=DAY1)
    files = store.reserve_attempt(session, drift.id)
    sf.write(str(files.audio), np.zeros(16000, dtype="float32"), 16000)
    silence = Transcript(text="", duration_seconds=1.0)
    attempt = store.save_attempt(session, drift, files, silence,
                                 score_answer(drift, silence), started_at=DAY1, ended_at=DAY1,
                                 duration_seconds=1.0, status="interrupted")
    assert attempt.audio_path.endswith("01-drift.wav") and attempt.words_per_minute is None
    [summary] = store.sessions()
    assert (summary.attempts, summary.interrupted, summary.average_coverage) == (1, 1, None)
    assert "1 (1 cut)" in run("sessions", data_dir=data_dir).output
    review = run("review", data_dir=data_dir)
    assert review.exit_code == 0, review.output
    assert "interrupted" in review.output and "(nothing was heard)" in review.output
    assert "✗ missed: Population stability index on" in review.output
    assert review.output.count("✗ missed:") == 4
    progress = run("progress", data_dir=data_dir)
    assert progress.exit_code == 0 and "No complete answers yet" in progress.output
    report = run("report", data_dir=data_dir)
    assert report.exit_code == 0, report.output
    html = (data_dir / "reports" / f"{session.id}.html").read_text()
    assert "(nothing was heard)" in html and 'class="interrupted"' in html
    assert "<img id=\"progress-chart\"" not in html


@pytest.mark.slow
def test_score_save_imports_a_recording_as_an_attempt(data_dir, store, bank, tmp_path, speak):
    wav = speak("We compute the population stability index on every input, and we alert "
                "when the threshold is crossed.")
    bank_file = str(tmp_path / "bank.toml")
    args = ["score", "--question", "drift", "--audio", str(wav), "--bank", bank_file, "--json",
            "--save", "--data-dir", str(data_dir)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    scored = json.loads(result.stdout)
    [attempt] = store.attempts()
    assert f"saved as attempt 1 of drift in session {attempt.session_id}" in result.stderr
    assert attempt.coverage == scored["coverage"] and attempt.score == scored["score"]
    assert {k["id"] for k in scored["key_points"] if k["covered"]} >= {"psi", "alerts"}
    assert (data_dir / attempt.audio_path).read_bytes() == wav.read_bytes()
    assert attempt.duration_seconds == pytest.approx(sf.info(str(wav)).duration, abs=0.01)
    assert store.session("latest").bank_title == "Test <b>bank</b>"
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and len(store.sessions()) == 2


def test_score_save_needs_a_recording(data_dir, bank, tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text("we alert when the threshold is crossed")
    result = CliRunner().invoke(main, ["score", "-q", "drift", "--text", str(answer), "--bank",
                                       str(tmp_path / "bank.toml"), "--save"])
    assert result.exit_code == 2 and "--save keeps a recording" in result.output
    assert not data_dir.exists()
