"""Follow-up questions: built from the bank, scored on the missed points, kept with their
attempt, and shown by review, the HTML report, export, sessions and progress."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from history_data import DAY1, DRIFT_PARTIAL, record, score_answer, timed_transcript, write_wav
from practice_driver import practise, recordings
from voiceprep.bank.questions import KeyPoint, load_bank
from voiceprep.cli import main
from voiceprep.hearing.transcript import Transcript
from voiceprep.history.export import export_rows
from voiceprep.history.progress import compute_progress
from voiceprep.history.store import Store
from voiceprep.scoring.followup import follow_up_prompt, follow_up_question
from voiceprep.scoring.score import score
from voiceprep.ui.html_report import render_report

ROOT = Path(__file__).resolve().parents[1]


def test_prompt_is_the_bank_follow_up_else_built_from_the_point() -> None:
    asked = KeyPoint("x", "Root cause", ("root cause",), True,
                     follow_up="How did you find the root cause?")
    assert follow_up_prompt(asked) == "How did you find the root cause?"
    built = KeyPoint("y", "Time-boxes optimisation work", ("time box",), True)
    assert follow_up_prompt(built) == ("One more thing: can you tell me about time-boxes "
                                       "optimisation work?")
    acronym = KeyPoint("z", "AWS: SageMaker and EKS", ("aws",), True)
    assert follow_up_prompt(acronym) == ("One more thing: can you tell me about AWS: SageMaker "
                                         "and EKS?")
    # a drafted point from a story: its part's label and a text cut short are not said
    told = KeyPoint("s", "Situation: Black Friday 2022, our Kafka consumers fell 40 minutes…",
                    ("black friday",), True)
    assert follow_up_prompt(told) == ("One more thing: can you tell me about Black Friday 2022, "
                                      "our Kafka consumers fell 40 minutes?")
    result = KeyPoint("r", "Result: Lag back under 30 seconds within 25 minutes", ("lag",), True)
    assert follow_up_prompt(result) == "One more thing: what was the result?"
    # a claim drafted in the person's own voice: asked about by its topic
    opinion = KeyPoint("o", "I think your move to real-time pricing is exactly the problem I "
                       "want…", ("real-time pricing", "pricing"), True)
    assert follow_up_prompt(opinion) == ("One more thing: can you tell me more about real-time "
                                         "pricing?")
    mine = KeyPoint("m", "Action: I added Great Expectations checks on row counts…",
                    ("2% pages", "Great Expectations", "row counts"), True)
    assert follow_up_prompt(mine) == ("One more thing: can you tell me more about Great "
                                      "Expectations?")
    for text, phrases, topic in [
            ("We cut cloud costs by 30% in Q3", ("30%", "Q3", "cloud costs"), "cloud costs"),
            ("I managed 12 nurses across two night shifts", ("12 nurses", "two night",
                                                             "night shifts"), "night shifts")]:
        assert follow_up_prompt(KeyPoint("f", text, phrases, True)) == (
            f"One more thing: can you tell me more about {topic}?")
    io = KeyPoint("io", "I/O bottlenecks in the ingest path", ("ingest path",), True)
    assert follow_up_prompt(io).endswith("tell me about I/O bottlenecks in the ingest path?")


def test_follow_up_question_asks_about_the_missed_required_points_only() -> None:
    bank = load_bank(ROOT / "questions")
    challenge = bank.find("challenge")
    text = ("Our fraud model's false positive rate rose from 3% to 15% in two weeks, so I "
            "looked into it.")
    result = score(challenge, Transcript.from_text(text))
    assert set(result.missed_required) == {"root-cause-drift", "result"}
    follow_up = follow_up_question(challenge, result)
    assert follow_up is not None and follow_up.id == challenge.id
    assert [kp.id for kp in follow_up.key_points] == ["root-cause-drift", "result"]
    assert follow_up.prompt == ("You mentioned the false positive spike; how did you find its "
                                "root cause? What was the result, in numbers?")
    assert follow_up.target_seconds == (10, 60)
    answer = ("The root cause was data drift from a marketing campaign that brought new "
              "demographics. False positives went down to 4% in a week.")
    made_up = score(follow_up, Transcript.from_text(answer))
    assert made_up.coverage == 1.0 and made_up.missed_required == ()

    complete = score(challenge, Transcript.from_text(text + " " + answer))
    assert complete.missed_required == () and follow_up_question(challenge, complete) is None


def test_follow_up_is_kept_with_its_attempt_and_shown_everywhere(store: Store, bank) -> None:
    drift = bank.find("drift")
    session = store.start_session(bank.title, now=DAY1)
    first = record(store, session, drift, "we look at the dashboards now and then", 0.4, DAY1)
    parent_score = score(drift, timed_transcript("we look at the dashboards now and then", 0.4))
    question = follow_up_question(drift, parent_score)
    assert question is not None
    assert question.prompt == ("One more thing: can you tell me about population stability "
                               "index on inputs?")
    transcript = timed_transcript("we compute the population stability index every day", 0.4)
    files = store.reserve_attempt(session, f"{drift.id}-follow-up")
    write_wav(files.audio, transcript.duration_seconds or 1.0)
    at = DAY1 + timedelta(minutes=1)
    follow_up = store.save_attempt(session, question, files, transcript,
                                   score_answer(question, transcript), started_at=at,
                                   ended_at=at, duration_seconds=4.0, follow_up_of=first.id)
    retry = record(store, session, drift, DRIFT_PARTIAL, 0.3, DAY1 + timedelta(minutes=2))
    assert (first.attempt_number, follow_up.attempt_number, retry.attempt_number) == (1, 1, 2)
    assert files.audio.name == "02-drift-follow-up.wav" and follow_up.follow_up_of == first.id
    assert follow_up.coverage == 1.0

    reviewed = CliRunner().invoke(main, ["review", "--json"])
    assert reviewed.exit_code == 0, reviewed.output
    [question_review] = json.loads(reviewed.stdout)["questions"]
    attempts = question_review["attempts"]
    assert [a["attempt_number"] for a in attempts] == [1, 2]  # the follow-up is not a try
    [shown] = attempts[0]["follow_ups"]
    assert shown["prompt"] == question.prompt and shown["coverage"] == 1.0
    assert attempts[1]["follow_ups"] == []
    assert attempts[0]["hedges"]["count"] == 0 and "pace_over_time" in attempts[0]

    text = CliRunner().invoke(main, ["review"], env={"COLUMNS": "240"}).stdout
    assert "Follow-up: One more thing" in text
    assert "made up for: Population stability index on inputs" in text

    html = render_report(store, session, charts=False)
    assert "Follow-up: <em>One more thing: can you tell me about population stability index" \
        in html and "made up for: Population stability index on inputs" in html

    rows = export_rows(store)
    assert [r["follow_up_of"] for r in rows] == [None, first.id, None]
    assert "hedges_per_minute" in rows[0] and "pitch_range_semitones" in rows[0]

    [summary] = store.sessions()
    assert summary.attempts == 2  # the follow-up is not an answer to a question of the session
    assert summary.average_coverage == round((first.coverage + retry.coverage) / 2, 4)
    assert store.recent_coverage() == {"drift": [retry.coverage, first.coverage]}
    [point] = compute_progress(store).points
    assert point.attempts == 2


# ---- end to end: `voiceprep practice` through the virtual microphone ------------------------

PARTIAL = ("I started in DevOps and moved into MLOps. Today I mostly work with Kubernetes and "
           "Docker.")
FOLLOW_UP_ANSWER = "We serve about fifty million predictions a day."


@pytest.mark.slow
def test_practice_asks_a_follow_up_and_keeps_its_answer(virtual_audio, speak, tmp_path: Path,
                                                        settings_file: Path) -> None:
    data_dir = tmp_path / "data"
    answer, follow_up = speak(PARTIAL), speak(FOLLOW_UP_ANSWER)
    screen = practise(virtual_audio, data_dir, [answer, follow_up])
    assert "Follow-up: What scale do your pipelines run at today?" in screen
    assert "2 attempt(s)" in screen
    assert "[n]ext [r]etry" in screen and "\\[" not in screen  # the menu as the person reads it
    assert [w.name for w in recordings(data_dir)] == ["01-about-yourself.wav",
                                                      "02-about-yourself-follow-up.wav"]

    reviewed = subprocess.run([sys.executable, "-m", "voiceprep", "review", "--json",
                               "--data-dir", str(data_dir)], cwd=ROOT, capture_output=True,
                              text=True, timeout=60)
    [question] = json.loads(reviewed.stdout)["questions"]
    [first] = question["attempts"]
    assert first["missed_required"] == ["fifty-million"]
    [kept] = first["follow_ups"]
    assert kept["prompt"] == "What scale do your pipelines run at today?"
    assert kept["follow_up_of"] == first["id"]
    assert [k["id"] for k in kept["key_points"]] == ["fifty-million"]  # the missed point alone
    # tiny.en's transcript of the synthetic answer said live varies from run to run ("Our
    # pipeline's turned 50 million predict. Shouldn't be made." once; once under
    # CT2_FORCE_CPU_ISA=GENERIC, none of the point's phrases): when its words are heard, the
    # point is covered by them
    heard = kept["transcript"].lower().replace("fifty", "50")
    if "50 million predictions" in heard:
        assert kept["coverage"] == 1.0, heard
        evidence = kept["key_points"][0]["evidence"].lower()
        assert evidence.startswith(("fifty million", "50 million")), (heard, evidence)
    assert [k["id"] for k in kept["key_points"]] == ["fifty-million"]
    assert kept["transcript"].strip(), "the follow-up's answer was not kept"
    assert kept["pitch"] is not None and kept["hedges"]["count"] == 0

    # Turned off by the flag, and by the setting.
    flagged = practise(virtual_audio, tmp_path / "flag", [answer], "--no-follow-ups")
    assert subprocess.run([sys.executable, "-m", "voiceprep", "config", "set",
                           "practice.follow_ups", "false"], cwd=ROOT, capture_output=True,
                          env={**virtual_audio.env, "VOICEPREP_CONFIG": str(settings_file)}
                          ).returncode == 0
    configured = practise(virtual_audio, tmp_path / "config", [answer],
                          env={"VOICEPREP_CONFIG": str(settings_file)})
    for screen, directory in ((flagged, "flag"), (configured, "config")):
        assert "Follow-up" not in screen and "1 attempt(s)" in screen
        assert len(recordings(tmp_path / directory)) == 1


def test_a_follow_up_answer_cut_short_says_so_in_the_review(data_dir, store, bank):
    from history_data import DRIFT_PARTIAL, record_follow_up

    drift = bank.find("drift")
    session = store.start_session(bank.title, now=DAY1)
    first = record(store, session, drift, DRIFT_PARTIAL, 0.3, DAY1)
    record_follow_up(store, session, drift, "we watch the population", first, DAY1,
                     status="interrupted")
    text = CliRunner().invoke(main, ["review"], env={"COLUMNS": "240"}).stdout
    [line] = [line for line in text.splitlines() if "Follow-up: " in line]
    assert "interrupted" in line
