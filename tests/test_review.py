"""A session looked back on: `voiceprep review` against a real database and real files."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

from history_data import (
    ABOUT,
    DAY1,
    DRIFT_RETRY,
    run,
    score_answer,
)
from voiceprep.hearing.transcript import Transcript, Word
from voiceprep.history.review import transcript_spans
from voiceprep.scoring.metrics import COVERAGE


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
    # Words 0.4 s apart from 0.5 s; "population" is the 4th: the first point 1.2 s in.
    assert retry["focus"]["first_point_seconds"] == retry["first_point_seconds"] == 1.2
    assert retry["star"] is None and retry["star_parts"] is None  # not a story question
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


def test_spans_without_timestamps_find_the_evidence_words(bank):
    drift = bank.find("drift")
    transcript = Transcript.from_text("Well, we alert when the threshold is crossed.")
    spans = transcript_spans(transcript, score_answer(drift, transcript))
    marked = [(s.text, s.key_point, s.start) for s in spans if s.key_point]
    assert marked == [("alert when the threshold", "alerts", None)]
    assert " ".join(s.text for s in spans) == transcript.text


def test_figures_a_recogniser_cut_are_shown_as_written(bank):
    """Whisper gives "1.2" and "8%" as two words each; the transcript shows them whole, as the
    scorer reads them (the evidence too: test_scoring)."""
    drift = bank.find("drift")
    words = ["We", "alert", "when", "the", "threshold", "is", "crossed", "on", "1", ".2",
             "million", "rows,", "8", "%", "of", "them."]
    transcript = Transcript(text=" ".join(words), words=tuple(
        Word(w, i * 0.4, i * 0.4 + 0.3, 0.9) for i, w in enumerate(words)))
    spans = transcript_spans(transcript, score_answer(drift, transcript))
    shown = " ".join(s.text for s in spans)
    assert "1.2 million rows, 8% of them." in shown and "1 .2" not in shown


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


def test_missing_transcript_file_is_one_line_error(data_dir, store, history):
    attempt = store.attempts()[-1]
    (data_dir / attempt.transcript_path).unlink()
    result = run("review", data_dir=data_dir)
    assert result.exit_code == 2
    assert "error: the transcript of attempt" in result.stderr and "is missing" in result.stderr


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


def test_review_help_lists_only_what_review_uses(data_dir):
    # --words and --bank go with the hidden --accept and --undo (overlay's older spelling)
    shown = run("review", "--help", data_dir=data_dir)
    assert shown.exit_code == 0 and "--play" in shown.stdout
    assert "--words" not in shown.stdout and "--bank" not in shown.stdout
