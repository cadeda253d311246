"""Sessions: an SQLite index of every attempt, with its WAV, transcript and score files beside it.

Layout of the data directory::

    voiceprep.db
    sessions/<session-id>/<NN>-<question-id>.wav
    sessions/<session-id>/<NN>-<question-id>.transcript.json
    sessions/<session-id>/<NN>-<question-id>.score.json

The JSON files are the record; the database indexes them for listing, progress and export.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from .bank import Question
from .errors import StoreError
from .migrations import migrate
from .scoring import Score
from .transcript import Transcript

DB_NAME = "voiceprep.db"
SESSIONS_DIR = "sessions"
STATUSES = ("complete", "interrupted")
# How many of a question's latest attempts make up its "recent" coverage.
RECENT_ATTEMPTS = 3


@dataclass(frozen=True)
class Session:
    id: str
    started_at: str
    ended_at: str | None
    bank_title: str
    data_dir: Path

    @property
    def directory(self) -> Path:
        return self.data_dir / SESSIONS_DIR / self.id

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "started_at": self.started_at, "ended_at": self.ended_at,
                "bank_title": self.bank_title, "directory": str(self.directory)}


@dataclass(frozen=True)
class SessionSummary:
    session: Session
    attempts: int
    questions: int
    interrupted: int
    average_coverage: float | None
    average_words_per_minute: float | None
    average_score: float | None
    average_fillers_per_minute: float | None

    @property
    def id(self) -> str:
        return self.session.id

    def to_dict(self) -> dict[str, Any]:
        d = self.session.to_dict()
        d.update({
            "attempts": self.attempts, "questions": self.questions,
            "interrupted": self.interrupted, "average_coverage": self.average_coverage,
            "average_words_per_minute": self.average_words_per_minute,
            "average_score": self.average_score,
            "average_fillers_per_minute": self.average_fillers_per_minute,
        })
        return d


@dataclass(frozen=True)
class Attempt:
    id: int
    session_id: str
    question_id: str
    category: str
    attempt_number: int  # 1 for the first try of a question in its session, 2 for a retry...
    started_at: str
    ended_at: str | None
    duration_seconds: float | None  # length of the recording
    speaking_seconds: float | None
    words_per_minute: float | None
    coverage: float | None
    score: int | None
    filler_count: int | None
    fillers_per_minute: float | None
    pause_count: int | None
    longest_pause_seconds: float | None
    timing: str | None
    target_min: int | None
    target_max: int | None
    status: str
    audio_path: str | None  # relative to the data directory
    transcript_path: str | None
    score_path: str | None

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


ATTEMPT_COLUMNS = [f.name for f in fields(Attempt)]


def open_db(data_dir: Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the data directory's database and bring its schema up to date."""
    data_dir = Path(data_dir)
    path = data_dir / DB_NAME
    if not create and not path.exists():
        raise StoreError(f"no session history in {data_dir} yet (run 'voiceprep practice')")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"cannot create the data directory {data_dir}: {e.strerror}") from e
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=10)
    except sqlite3.Error as e:
        raise StoreError(f"cannot open {path}: {e}") from e
    db.row_factory = sqlite3.Row
    try:
        db.execute("PRAGMA foreign_keys = ON")
        migrate(db)
    except sqlite3.DatabaseError as e:
        db.close()
        raise StoreError(f"{path} is not a usable voiceprep database ({e})") from e
    return db


@contextmanager
def _db(data_dir: Path, *, create: bool = True) -> Iterator[sqlite3.Connection]:
    with closing(open_db(data_dir, create=create)) as db:
        try:
            yield db
        except sqlite3.Error as e:
            raise StoreError(f"session history in {data_dir}: {e}") from e


def _has_history(data_dir: Path) -> bool:
    return (Path(data_dir) / DB_NAME).exists()


# ---- sessions ------------------------------------------------------------

def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now()).astimezone()


def _session(row: sqlite3.Row, data_dir: Path) -> Session:
    return Session(id=row["id"], started_at=row["started_at"], ended_at=row["ended_at"],
                   bank_title=row["bank_title"], data_dir=Path(data_dir))


def start_session(data_dir: Path, bank_title: str, *, now: datetime | None = None) -> Session:
    """Create a session whose id is its local start time (sortable), e.g. 20261127-150102."""
    moment = _now(now)
    base = moment.strftime("%Y%m%d-%H%M%S")
    with _db(data_dir) as db:
        taken = {r[0] for r in db.execute("SELECT id FROM sessions WHERE id LIKE ?", (base + "%",))}
        session_id, n = base, 1
        while session_id in taken or (Path(data_dir) / SESSIONS_DIR / session_id).exists():
            n += 1
            session_id = f"{base}-{n}"
        db.execute("INSERT INTO sessions (id, started_at, ended_at, bank_title) VALUES (?,?,?,?)",
                   (session_id, _iso(moment), None, bank_title))
    session = Session(session_id, _iso(moment), None, bank_title, Path(data_dir))
    session.directory.mkdir(parents=True, exist_ok=True)
    return session


def end_session(data_dir: Path, session_id: str, *, now: datetime | None = None) -> Session:
    """Record the end time of a session."""
    with _db(data_dir) as db:
        cursor = db.execute("UPDATE sessions SET ended_at = ? WHERE id = ?",
                            (_iso(_now(now)), session_id))
        if cursor.rowcount == 0:
            raise StoreError(f"no session '{session_id}'")
        row = db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
    return _session(row, data_dir)


def get_session(data_dir: Path, ref: str = "latest") -> Session:
    """A session by id, unique id prefix, or "latest"; StoreError when there is none."""
    if not _has_history(data_dir):
        raise StoreError(f"no sessions in {data_dir} yet (run 'voiceprep practice')")
    with _db(data_dir) as db:
        if ref in ("latest", "last"):
            row = db.execute("SELECT * FROM sessions ORDER BY started_at DESC, id DESC LIMIT 1"
                             ).fetchone()
            if row is None:
                raise StoreError(f"no sessions in {data_dir} yet (run 'voiceprep practice')")
            return _session(row, data_dir)
        row = db.execute("SELECT * FROM sessions WHERE id = ?", (ref,)).fetchone()
        if row is not None:
            return _session(row, data_dir)
        rows = db.execute("SELECT * FROM sessions WHERE id LIKE ? ORDER BY id",
                          (ref.replace("%", "").replace("_", "") + "%",)).fetchall()
    if len(rows) == 1:
        return _session(rows[0], data_dir)
    if len(rows) > 1:
        ids = ", ".join(r["id"] for r in rows[:5])
        raise StoreError(f"session '{ref}' is ambiguous: {ids}{' ...' if len(rows) > 5 else ''}")
    raise StoreError(f"no session '{ref}' in {data_dir} (see 'voiceprep sessions')")


def list_sessions(data_dir: Path) -> list[SessionSummary]:
    """Every session, newest first, with attempt counts and averages over complete attempts."""
    if not _has_history(data_dir):
        return []
    with _db(data_dir) as db:
        rows = db.execute("""
            SELECT s.*,
                   COUNT(a.id) AS n_attempts,
                   COUNT(DISTINCT a.question_id) AS n_questions,
                   SUM(a.status = 'interrupted') AS n_interrupted,
                   AVG(CASE WHEN a.status = 'complete' THEN a.coverage END) AS avg_coverage,
                   AVG(CASE WHEN a.status = 'complete' THEN a.words_per_minute END) AS avg_wpm,
                   AVG(CASE WHEN a.status = 'complete' THEN a.score END) AS avg_score,
                   AVG(CASE WHEN a.status = 'complete' THEN a.fillers_per_minute END) AS avg_fpm
            FROM sessions s LEFT JOIN attempts a ON a.session_id = s.id
            GROUP BY s.id ORDER BY s.started_at DESC, s.id DESC""").fetchall()
    return [
        SessionSummary(
            session=_session(r, data_dir), attempts=r["n_attempts"], questions=r["n_questions"],
            interrupted=r["n_interrupted"] or 0, average_coverage=_round(r["avg_coverage"], 4),
            average_words_per_minute=_round(r["avg_wpm"], 1),
            average_score=_round(r["avg_score"], 1),
            average_fillers_per_minute=_round(r["avg_fpm"], 2),
        )
        for r in rows
    ]


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# ---- attempts ------------------------------------------------------------

_STEM = re.compile(r"^(\d+)-")


def new_attempt_audio_path(data_dir: Path, session: Session, question_id: str) -> Path:
    """A fresh sessions/<id>/<NN>-<question-id>.wav: every attempt, retries too, has its own."""
    directory = Path(data_dir) / SESSIONS_DIR / session.id
    directory.mkdir(parents=True, exist_ok=True)
    used = [int(m.group(1)) for p in directory.iterdir() if (m := _STEM.match(p.name))]
    number = max(used, default=0) + 1
    while True:
        path = directory / f"{number:02d}-{question_id}.wav"
        try:
            # Claim the name now so two callers never share it; the recorder overwrites it.
            path.touch(exist_ok=False)
            return path
        except FileExistsError:
            number += 1


def _write_json_atomic(path: Path, data: Any) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=2)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _relative(path: Path | None, data_dir: Path) -> str | None:
    if path is None:
        return None
    try:
        return Path(path).resolve().relative_to(Path(data_dir).resolve()).as_posix()
    except ValueError:
        return str(Path(path).resolve())


def save_attempt(
    data_dir: Path, session: Session, question: Question, audio_path: Path | None,
    transcript: Transcript, score: Score, *, started_at: datetime, ended_at: datetime,
    duration_seconds: float | None, status: str = "complete",
) -> Attempt:
    """Write the attempt's transcript and score JSON beside its audio, then index it."""
    if status not in STATUSES:
        raise StoreError(f"attempt status must be one of {', '.join(STATUSES)}, not '{status}'")
    data_dir = Path(data_dir)
    if audio_path is None:
        wav = new_attempt_audio_path(data_dir, session, question.id)
        wav.unlink()  # no recording (a typed answer): only the stem is used
        stem = wav.with_suffix("")
    else:
        audio_path = Path(audio_path)
        stem = audio_path.with_suffix("")
        if not audio_path.is_file() or audio_path.stat().st_size == 0:
            # Nothing was recorded: keep the answer's text and figures, not an empty file.
            audio_path.unlink(missing_ok=True)
            audio_path = None
    transcript_file = stem.with_name(stem.name + ".transcript.json")
    score_file = stem.with_name(stem.name + ".score.json")
    # Counted from the files, which are the record, so it holds even when the index fails.
    number = 1 + sum(1 for _ in stem.parent.glob(f"[0-9]*-{question.id}.score.json"))
    record = score.to_dict()
    record.update({
        "session_id": session.id, "attempt_number": number, "status": status,
        "started_at": _iso(_now(started_at)), "ended_at": _iso(_now(ended_at)),
        "duration_seconds": duration_seconds, "audio_path": _relative(audio_path, data_dir),
        "category": question.category, "question": question.to_dict(),
    })
    try:
        _write_json_atomic(transcript_file, transcript.to_dict())
        _write_json_atomic(score_file, record)
    except OSError as e:
        raise StoreError(f"cannot write the attempt files in {stem.parent}: {e.strerror}") from e
    values = {
        "session_id": session.id, "question_id": question.id, "category": question.category,
        "attempt_number": number, "started_at": record["started_at"],
        "ended_at": record["ended_at"], "duration_seconds": duration_seconds,
        "speaking_seconds": score.speaking_seconds, "words_per_minute": score.words_per_minute,
        "coverage": score.coverage, "score": score.score, "filler_count": score.fillers.count,
        "fillers_per_minute": score.fillers.per_minute, "pause_count": score.pauses.count,
        "longest_pause_seconds": score.pauses.longest_seconds, "timing": score.timing,
        "target_min": question.target_seconds[0], "target_max": question.target_seconds[1],
        "status": status, "audio_path": record["audio_path"],
        "transcript_path": _relative(transcript_file, data_dir),
        "score_path": _relative(score_file, data_dir),
    }
    try:
        with _db(data_dir) as db:
            marks = ", ".join("?" * len(values))
            cursor = db.execute(f"INSERT INTO attempts ({', '.join(values)}) VALUES ({marks})",
                                list(values.values()))
            row = db.execute("SELECT * FROM attempts WHERE id = ?", (cursor.lastrowid,)).fetchone()
    except (StoreError, sqlite3.Error) as e:
        raise StoreError(f"the attempt is saved in {score_file} but could not be indexed: {e}"
                         ) from e
    return _attempt(row)


def _attempt(row: sqlite3.Row) -> Attempt:
    return Attempt(**{name: row[name] for name in ATTEMPT_COLUMNS})


def list_attempts(data_dir: Path, session_id: str | None = None, question_id: str | None = None,
                  category: str | None = None) -> list[Attempt]:
    """Attempts in the order they were made, optionally of one session, question or category."""
    if not _has_history(data_dir):
        return []
    where, args = [], []
    for column, value in (("session_id", session_id), ("question_id", question_id)):
        if value is not None:
            where.append(f"a.{column} = ?")
            args.append(value)
    if category is not None:
        where.append("lower(a.category) = lower(?)")
        args.append(category)
    sql = ("SELECT a.* FROM attempts a JOIN sessions s ON s.id = a.session_id"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY s.started_at, a.session_id, a.started_at, a.id")
    with _db(data_dir) as db:
        return [_attempt(r) for r in db.execute(sql, args)]


def load_attempt_detail(data_dir: Path, attempt: Attempt) -> tuple[Transcript, dict[str, Any]]:
    """The attempt's transcript and score record, read from its JSON files."""
    out = []
    for label, rel in (("transcript", attempt.transcript_path), ("score", attempt.score_path)):
        if rel is None:
            raise StoreError(f"attempt {attempt.id} has no {label} file")
        path = Path(data_dir) / rel
        try:
            out.append(json.loads(path.read_text("utf-8")))
        except FileNotFoundError as e:
            raise StoreError(f"the {label} of attempt {attempt.id} is missing: {path}") from e
        except (OSError, ValueError) as e:
            raise StoreError(f"cannot read the {label} of attempt {attempt.id} ({path}): {e}"
                             ) from e
    return Transcript.from_dict(out[0]), out[1]


def weakest_questions(data_dir: Path, question_ids: list[str]) -> list[str]:
    """The ids reordered: never practised first, then lowest recent coverage first."""
    recent: dict[str, list[float]] = {}
    for a in reversed(list_attempts(data_dir)):
        if a.status == "complete" and a.coverage is not None and a.question_id in question_ids:
            scores = recent.setdefault(a.question_id, [])
            if len(scores) < RECENT_ATTEMPTS:
                scores.append(a.coverage)

    def key(item: tuple[int, str]) -> tuple[int, float, int]:
        index, qid = item
        if qid not in recent:
            return (0, 0.0, index)
        return (1, sum(recent[qid]) / len(recent[qid]), index)

    return [qid for _, qid in sorted(enumerate(question_ids), key=key)]


def import_recording(
    data_dir: Path, source: Path, question: Question, transcript: Transcript, score: Score, *,
    bank_title: str = "Imported recordings", session: Session | None = None,
    now: datetime | None = None,
) -> Attempt:
    """Copy an existing recording into a session (a new one unless given) as a scored attempt."""
    source = Path(source)
    if not source.is_file():
        raise StoreError(f"no recording at {source}")
    moment = _now(now)
    own_session = session is None
    if session is None:
        session = start_session(data_dir, bank_title, now=moment)
    wav = new_attempt_audio_path(data_dir, session, question.id)
    target = wav.with_suffix(source.suffix.lower() or ".wav")
    if target != wav:
        wav.unlink()
    try:
        shutil.copyfile(source, target)
    except OSError as e:
        raise StoreError(f"cannot copy {source} into {target.parent}: {e.strerror}") from e
    duration = _audio_duration(target) or transcript.duration_seconds
    attempt = save_attempt(data_dir, session, question, target, transcript, score,
                           started_at=moment, ended_at=moment, duration_seconds=duration)
    if own_session:
        end_session(data_dir, session.id, now=moment)
    return attempt


def _audio_duration(path: Path) -> float | None:
    try:
        import soundfile

        return round(float(soundfile.info(str(path)).duration), 3)
    except Exception:  # an unreadable format only costs the duration figure
        return None
