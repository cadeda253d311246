"""Session history built for tests: a small bank, real WAV files, transcripts with word times
as speech recognition gives them, scores from the real scorer, saved through the store into a
real SQLite database."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import soundfile as sf
from click.testing import CliRunner, Result

import voiceprep.scoring.score as scoring
from voiceprep.bank.questions import Bank, Question, load_bank
from voiceprep.cli import main
from voiceprep.hearing.transcript import Segment, Transcript, Word
from voiceprep.history.store import Attempt, Session, Store
from voiceprep.scoring.score import Score

BANK_TOML = '''
[bank]
title = "Test <b>bank</b>"
version = 1

[[questions]]
id = "drift"
category = "technical"
prompt = "How do you detect <model> drift in production?"
target_seconds = [6, 12]
reference = """Monitor input distributions with PSI & alert on thresholds; retrain on schedule."""
keywords = ["PSI"]

  [[questions.key_points]]
  id = "psi"
  text = "Population stability index on inputs"
  phrases = ["population stability index"]
  required = true

  [[questions.key_points]]
  id = "alerts"
  text = "Alert when a threshold is crossed"
  phrases = ["alert when the threshold"]

  [[questions.key_points]]
  id = "retrain"
  text = "Retrain on a schedule"
  phrases = ["retrain on a schedule"]

  [[questions.key_points]]
  id = "dashboards"
  text = "Dashboards in Grafana"
  phrases = ["grafana dashboards"]

[[questions]]
id = "about-yourself"
category = "behavioral"
prompt = "Tell me about yourself."
target_seconds = [5, 10]
reference = "Came from DevOps into MLOps; runs the platform team."

  [[questions.key_points]]
  id = "devops"
  text = "Came from DevOps"
  phrases = ["started in devops"]

  [[questions.key_points]]
  id = "platform"
  text = "Leads the platform team"
  phrases = ["platform team"]
'''

# Session 1: partial and hurried, with fillers; session 2: a fuller answer, calmer, then a retry.
DRIFT_PARTIAL = "um we uh watch the population stability index um and uh that is it really"
DRIFT_FULL = ("we compute the population stability index on every input and we alert when the "
              "threshold is crossed then we retrain on a schedule")
DRIFT_RETRY = ("we compute the population stability index on every input we alert when the "
               "threshold is crossed we retrain on a schedule and we keep grafana dashboards")
ABOUT = "I started in devops and now I lead the platform team um"
# Markup in a transcript must show as text; the image would mark the page if it ever ran.
SCRIPT_ANSWER = ("I said <script>alert(1)</script> and "
                 "<img src=x onerror=document.body.setAttribute('data-pwned','1')> "
                 "but I started in devops")


def write_bank(directory: Path) -> Bank:
    path = directory / "bank.toml"
    path.write_text(BANK_TOML, encoding="utf-8")
    return load_bank(path)


def timed_transcript(text: str, seconds_per_word: float, lead_in: float = 0.5) -> Transcript:
    """A transcript as Whisper gives it: words with start/end times, a segment, a duration."""
    words, t = [], lead_in
    for token in text.split():
        words.append(Word(word=" " + token, start=round(t, 2),
                          end=round(t + seconds_per_word * 0.8, 2), probability=0.9))
        t += seconds_per_word
    duration = round(t + 0.5, 2)
    return Transcript(text=text, words=tuple(words),
                      segments=(Segment(start=lead_in, end=round(t, 2), text=text),),
                      duration_seconds=duration)


def write_wav(path: Path, seconds: float, frequency: float = 220.0) -> Path:
    rate = 16000
    t = np.arange(int(seconds * rate)) / rate
    sf.write(str(path), (0.2 * np.sin(2 * np.pi * frequency * t)).astype("float32"), rate)
    return path


def score_answer(question: Question, transcript: Transcript,
                 options: scoring.ScoringOptions | None = None) -> Score:
    return scoring.score(question, transcript, options or scoring.ScoringOptions())


def record(store: Store, session: Session, question: Question, text: str,
           seconds_per_word: float, at: datetime, status: str = "complete",
           options: scoring.ScoringOptions | None = None) -> Attempt:
    """One attempt through the store: the WAV at the store's path, then transcript and score."""
    transcript = timed_transcript(text, seconds_per_word)
    files = store.reserve_attempt(session, question.id)
    write_wav(files.audio, transcript.duration_seconds or 1.0)
    return store.save_attempt(
        session, question, files, transcript, score_answer(question, transcript, options),
        started_at=at, ended_at=at + timedelta(seconds=transcript.duration_seconds or 0),
        duration_seconds=transcript.duration_seconds, status=status)


def record_follow_up(store: Store, session: Session, question: Question, text: str,
                     answered: Attempt, at: datetime, status: str = "complete") -> Attempt:
    """The answer to the follow-up question of attempt `answered`, typed (no recording)."""
    from voiceprep.scoring.followup import FOLLOW_UP_SUFFIX

    files = store.reserve_attempt(session, f"{question.id}-{FOLLOW_UP_SUFFIX}")
    transcript = timed_transcript(text, 0.3)
    return store.save_attempt(session, question, files, transcript,
                              score_answer(question, transcript), started_at=at, ended_at=at,
                              duration_seconds=None, follow_up_of=answered.id, status=status)


DAY1 = datetime(2026, 11, 20, 18, 30, 0)
DAY2 = datetime(2026, 11, 24, 19, 0, 0)


def build_history(store: Store, bank: Bank) -> list[Session]:
    """Two sessions four days apart: the second covers more, slower and with fewer fillers."""
    drift, about = bank.find("drift"), bank.find("about-yourself")
    s1 = store.start_session(bank.title, now=DAY1)
    record(store, s1, drift, DRIFT_PARTIAL, 0.3, DAY1 + timedelta(minutes=1))
    record(store, s1, about, ABOUT, 0.35, DAY1 + timedelta(minutes=3))
    s1 = store.end_session(s1.id, now=DAY1 + timedelta(minutes=5))
    s2 = store.start_session(bank.title, now=DAY2)
    record(store, s2, drift, DRIFT_FULL, 0.4, DAY2 + timedelta(minutes=1))
    record(store, s2, drift, DRIFT_RETRY, 0.4, DAY2 + timedelta(minutes=3))
    s2 = store.end_session(s2.id, now=DAY2 + timedelta(minutes=6))
    return [s1, s2]


def run(*args: str, data_dir: Path) -> Result:
    """`voiceprep ARGS --data-dir DATA_DIR` through click's test runner."""
    return CliRunner().invoke(main, [*args, "--data-dir", str(data_dir)])
