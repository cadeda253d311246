"""A long practice history, built quickly: one real session per question of the bank through the
Store (WAV, transcript and score files, indexed), then as many more sessions as wanted, each with
its own directory and files (hard links to the real ones) and its rows in the database, as years
of practice leave them. Used by the tests of what stays bounded and by benchmarks/history.py."""

from __future__ import annotations

import os
import random
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import soundfile as sf

from history_data import score_answer, timed_transcript
from voiceprep.bank.questions import Bank, Question
from voiceprep.history.store import DB_NAME, SESSIONS_DIR, Attempt, Session, Store

START = datetime(2024, 1, 1, 8, 0, 0)
WORDS = ("I started in devops and moved into mlops we run every model on kubernetes with docker "
         "and I lead the platform team that serves fifty million predictions a day").split()


def answer_text(seconds: float, seconds_per_word: float = 0.4) -> str:
    """Enough words, cycled, to fill `seconds` at `seconds_per_word`."""
    count = max(1, int(seconds / seconds_per_word) - 2)
    return " ".join(WORDS[i % len(WORDS)] for i in range(count))


def save_answer(store: Store, session: Session, question: Question, samples: np.ndarray,
                rate: int, at: datetime) -> Attempt:
    """One attempt through the Store: `samples` as its WAV, scored on a timed transcript that
    lasts as long as the audio."""
    files = store.reserve_attempt(session, question.id)
    sf.write(str(files.audio), samples, rate)
    seconds = len(samples) / rate
    transcript = timed_transcript(answer_text(seconds), 0.4)
    return store.save_attempt(session, question, files, transcript,
                              score_answer(question, transcript), started_at=at,
                              ended_at=at + timedelta(seconds=seconds), duration_seconds=seconds)


def build_long_history(data_dir: Path, bank: Bank, attempts: int, per_session: int = 1,
                       start: datetime = START, every: timedelta = timedelta(hours=6),
                       answer_seconds: float = 3.0, seed: int = 0) -> None:
    """`attempts` attempts in sessions of `per_session`, a session every `every` from `start`.

    The first answers are real: one of `answer_seconds` per question (up to `per_session`),
    through the Store. The others copy their files (hard links, in their session's own
    directory) and rows, at their own times, with figures that vary from answer to answer and
    slowly improve."""
    rng = random.Random(seed)
    rate = 16000
    tone = (0.2 * np.sin(2 * np.pi * 220 * np.arange(int(answer_seconds * rate)) / rate)
            ).astype("float32")
    with Store(data_dir) as store:
        first = store.start_session(bank.title, now=start)
        for i, question in enumerate(bank.questions[:per_session]):
            save_answer(store, first, question, tone, rate, start + timedelta(minutes=2 * i))
        store.end_session(first.id, now=start + timedelta(minutes=30))
        template = store.attempts(session_id=first.id)
    with closing(sqlite3.connect(data_dir / DB_NAME)) as db:
        db.execute("BEGIN")
        for k in range(len(template), attempts):
            n, place = divmod(k, per_session)
            moment = start + n * every
            session_id = first.id if n == 0 else moment.strftime("%Y%m%d-%H%M%S")
            directory = data_dir / SESSIONS_DIR / session_id
            if place == 0:
                directory.mkdir(mode=0o700)
                db.execute("INSERT INTO sessions (id, started_at, ended_at, bank_title) "
                           "VALUES (?,?,?,?)", (session_id, _iso(moment),
                                                _iso(moment + timedelta(minutes=30)), bank.title))
            copied = template[k % len(template)]
            values = copied.to_dict()
            del values["id"]
            stem = f"{place + 1:02d}-{copied.question_id}"
            for key in ("audio_path", "transcript_path", "score_path"):
                if values[key] is not None:
                    name = stem + Path(values[key]).name.split(copied.question_id, 1)[1]
                    os.link(data_dir / values[key], directory / name)
                    values[key] = f"{SESSIONS_DIR}/{session_id}/{name}"
            progress = k / attempts
            values.update(
                session_id=session_id, attempt_number=place // len(template) + 1,
                started_at=_iso(moment + timedelta(minutes=place)),
                ended_at=_iso(moment + timedelta(minutes=place + 1)),
                coverage=round(min(1.0, 0.3 + 0.5 * progress + rng.uniform(-0.2, 0.2)), 3),
                words_per_minute=round(rng.uniform(110, 190), 1),
                fillers_per_minute=round(max(0.0, 6 - 4 * progress + rng.uniform(-2, 2)), 2))
            marks = ", ".join("?" * len(values))
            db.execute(f"INSERT INTO attempts ({', '.join(values)}) VALUES ({marks})",
                       list(values.values()))
        db.execute("COMMIT")


def _iso(moment: datetime) -> str:
    return moment.astimezone().isoformat(timespec="seconds")
