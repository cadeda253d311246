"""Sessions: an SQLite index of every attempt, with its WAV, transcript and score files beside it.

Layout of the data directory::

    voiceprep.db
    sessions/<session-id>/<NN>-<question-id>.wav
    sessions/<session-id>/<NN>-<question-id>.transcript.json
    sessions/<session-id>/<NN>-<question-id>.score.json

The JSON files are the record; the database indexes them for listing, progress and export.
A `Store` owns the data directory: one connection, opened and migrated on first use, and the
files. A session's files are written by the one store that started it.
"""

from __future__ import annotations

import json
import re
import shlex
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from voiceprep.bank.questions import Question
from voiceprep.errors import StoreError, UnusableDatabase
from voiceprep.files import (
    InputFileError,
    copy_private,
    create_private_file,
    hold_lock,
    inside,
    is_locked,
    private_dir,
    read_json,
    release_lock,
    write_private,
)
from voiceprep.hearing.transcript import Transcript
from voiceprep.history.migrations import migrate
from voiceprep.scoring.metrics import COVERAGE, FILLERS, PACE, SCORE
from voiceprep.scoring.score import Score

DB_NAME = "voiceprep.db"
SESSIONS_DIR = "sessions"
REPORTS_DIR = "reports"
STATUSES = ("complete", "interrupted")
SCORE_SUFFIX = ".score.json"
RECOVERED_TITLE = "Recovered recordings"  # the session of recordings the index lost


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

    @property
    def report(self) -> Path:
        """Where `voiceprep report` writes the session's report unless told otherwise."""
        return self.data_dir / REPORTS_DIR / f"{self.id}.html"

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
    hedge_count: int | None = None
    hedges_per_minute: float | None = None
    pitch_median_hz: float | None = None
    pitch_range_semitones: float | None = None
    monotone_seconds: float | None = None
    follow_up_of: int | None = None  # the attempt whose follow-up question this answers
    first_point_seconds: float | None = None  # getting to the point (scoring/focus.py)
    on_point_share: float | None = None
    longest_drift_seconds: float | None = None
    could_stop_at_seconds: float | None = None
    star_parts: str | None = None  # "S-T-·-R" (a dot for each missing part); None: not a story
    result_quantified: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


ATTEMPT_COLUMNS = [f.name for f in fields(Attempt)]


@dataclass(frozen=True)
class AttemptFiles:
    """Where one attempt is kept: sessions/<id>/<NN>-<question-id>.wav and its JSON files."""

    audio: Path
    transcript: Path
    score: Path

    @classmethod
    def at(cls, stem: Path) -> AttemptFiles:
        return cls(audio=stem.with_name(stem.name + ".wav"),
                   transcript=stem.with_name(stem.name + ".transcript.json"),
                   score=stem.with_name(stem.name + SCORE_SUFFIX))


@dataclass(frozen=True)
class SavedAttempt:
    """An attempt with what its files hold, read back as the types that wrote them."""

    attempt: Attempt
    transcript: Transcript
    score: Score
    question: Question | None  # the question as asked; None in files older than that snapshot


def open_db(data_dir: Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the data directory's database and bring its schema up to date."""
    data_dir = Path(data_dir)
    path = data_dir / DB_NAME
    if not create and not path.exists():
        raise StoreError(f"no session history in {data_dir} yet (run 'voiceprep practice')")
    try:
        private_dir(data_dir)
        if not path.exists():
            create_private_file(path)  # SQLite gives its journals the database's own mode
    except OSError as e:
        raise StoreError(f"cannot create the data directory {data_dir}: {e.strerror}") from e
    try:
        # A Store is used by one thread at a time, not always the one that opened it.
        db = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=False)
    except sqlite3.Error as e:
        raise StoreError(f"cannot open {path}: {e}") from e
    db.row_factory = sqlite3.Row
    try:
        db.execute("PRAGMA foreign_keys = ON")
        migrate(db)
    except sqlite3.DatabaseError as e:
        db.close()
        raise UnusableDatabase(
            f"{path} is not a usable voiceprep database ({e}); it is only the index of the "
            f"session files: move it aside (mv {shlex.quote(str(path))} "
            f"{shlex.quote(str(path))}.damaged) and the next command makes it again from "
            "them") from e
    return db


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now()).astimezone()


_STEM = re.compile(r"^(\d+)-")
# A session's id: its local start time (start_session), with -2, -3... for one started in the
# same second.
SESSION_TIME = "%Y%m%d-%H%M%S"
SESSION_ID = re.compile(r"^\d{8}-\d{6}(?:-\d+)?$")


def _started(session_id: str) -> str | None:
    """When a session started, from its id (start_session's local time), if it is such an id."""
    try:
        return _iso(_now(datetime.strptime(session_id[:15], SESSION_TIME)))
    except ValueError:
        return None


class Store:
    """The sessions of one data directory: its SQLite index and the attempt files beside it.

    Reading never creates anything: with no database yet, the lists are empty."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self._db: sqlite3.Connection | None = None
        self._next_number: dict[str, int] = {}  # per session: the next attempt file number

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def has_history(self) -> bool:
        return self._db is not None or (self.data_dir / DB_NAME).exists()

    @contextmanager
    def _sql(self) -> Iterator[sqlite3.Connection]:
        if self._db is None:
            self._db = open_db(self.data_dir)
        try:
            yield self._db
        except sqlite3.Error as e:
            raise StoreError(f"session history in {self.data_dir}: {e}") from e

    def _session(self, row: sqlite3.Row) -> Session:
        if row["id"] in ("", ".", "..") or "/" in row["id"] or "\0" in row["id"]:
            # no directory is named so: only a tampered database holds such an id
            raise StoreError(f"the session history in {self.data_dir} holds a session id that "
                             f"is not a directory name: {row['id']!r}")
        return Session(id=row["id"], started_at=row["started_at"], ended_at=row["ended_at"],
                       bank_title=row["bank_title"], data_dir=self.data_dir)

    # ---- sessions --------------------------------------------------------

    def start_session(self, bank_title: str, *, now: datetime | None = None) -> Session:
        """Create a session whose id is its local start time (sortable), e.g. 20261127-150102."""
        moment = _now(now)
        base = moment.strftime(SESSION_TIME)
        with self._sql() as db:
            taken = {r[0] for r in db.execute("SELECT id FROM sessions WHERE id LIKE ?",
                                              (base + "%",))}
            session_id, n = base, 1
            while session_id in taken or (self.data_dir / SESSIONS_DIR / session_id).exists():
                n += 1
                session_id = f"{base}-{n}"
            db.execute("INSERT INTO sessions (id, started_at, ended_at, bank_title)"
                       " VALUES (?,?,?,?)", (session_id, _iso(moment), None, bank_title))
        session = Session(session_id, _iso(moment), None, bank_title, self.data_dir)
        hold_lock(private_dir(session.directory))  # live until end_session: not for recovery
        return session

    def end_session(self, session_id: str, *, now: datetime | None = None,
                    if_open: bool = False) -> Session:
        """Record the end time of a session (with `if_open`, only when it has none yet)."""
        with self._sql() as db:
            cursor = db.execute("UPDATE sessions SET ended_at = ? WHERE id = ?"
                                + (" AND ended_at IS NULL" if if_open else ""),
                                (_iso(_now(now)), session_id))
            if cursor.rowcount == 0 and not if_open:
                raise StoreError(f"no session '{session_id}'")
            row = db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        release_lock(self.data_dir / SESSIONS_DIR / session_id)
        return self._session(row)

    def session(self, ref: str = "latest") -> Session:
        """A session by id, unique id prefix, or "latest"; StoreError when there is none."""
        none_yet = f"no sessions in {self.data_dir} yet (run 'voiceprep practice')"
        if not self.has_history():
            raise StoreError(none_yet)
        with self._sql() as db:
            if ref in ("latest", "last"):
                row = db.execute("SELECT * FROM sessions ORDER BY started_at DESC, id DESC"
                                 " LIMIT 1").fetchone()
                if row is None:
                    raise StoreError(none_yet)
                return self._session(row)
            row = db.execute("SELECT * FROM sessions WHERE id = ?", (ref,)).fetchone()
            if row is not None:
                return self._session(row)
            prefix = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            rows = db.execute("SELECT * FROM sessions WHERE id LIKE ? ESCAPE '\\' ORDER BY id",
                              (prefix + "%",)).fetchall()
        if len(rows) == 1:
            return self._session(rows[0])
        if len(rows) > 1:
            ids = ", ".join(r["id"] for r in rows[:5])
            more = " ..." if len(rows) > 5 else ""
            raise StoreError(f"session '{ref}' is ambiguous: {ids}{more}")
        raise StoreError(f"no session '{ref}' in {self.data_dir} (see 'voiceprep sessions')")

    def sessions(self, limit: int | None = None, session_id: str | None = None
                 ) -> list[SessionSummary]:
        """Every session (the newest `limit`, or the one `session_id`), newest first, with
        attempt counts and averages over complete attempts."""
        if not self.has_history():
            return []
        where = "WHERE id = :id" if session_id is not None else ""
        with self._sql() as db:
            rows = db.execute(f"""
                SELECT s.*,
                       COUNT(a.id) AS n_attempts,
                       COUNT(DISTINCT a.question_id) AS n_questions,
                       SUM(a.status = 'interrupted') AS n_interrupted,
                       AVG(CASE WHEN a.status = 'complete' THEN a.coverage END) AS avg_coverage,
                       AVG(CASE WHEN a.status = 'complete' THEN a.words_per_minute END) AS avg_wpm,
                       AVG(CASE WHEN a.status = 'complete' THEN a.score END) AS avg_score,
                       AVG(CASE WHEN a.status = 'complete' THEN a.fillers_per_minute END) AS avg_fpm
                FROM (SELECT * FROM sessions {where}
                      ORDER BY started_at DESC, id DESC LIMIT :limit) s  -- the newest first
                LEFT JOIN attempts a
                     ON a.session_id = s.id AND a.follow_up_of IS NULL  -- scored on fewer points
                GROUP BY s.id ORDER BY s.started_at DESC, s.id DESC""",
                {"id": session_id, "limit": -1 if limit is None else limit}).fetchall()
        return [
            SessionSummary(
                session=self._session(r), attempts=r["n_attempts"], questions=r["n_questions"],
                interrupted=r["n_interrupted"] or 0,
                average_coverage=COVERAGE.rounded(r["avg_coverage"]),
                average_words_per_minute=PACE.rounded(r["avg_wpm"]),
                average_score=SCORE.rounded(r["avg_score"]),
                average_fillers_per_minute=FILLERS.rounded(r["avg_fpm"]),
            )
            for r in rows
        ]

    def session_count(self) -> int:
        if not self.has_history():
            return 0
        with self._sql() as db:
            return int(db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])

    def session_index(self) -> dict[str, Session]:
        """Every session by id, without figures (cheaper than `sessions()`)."""
        if not self.has_history():
            return {}
        with self._sql() as db:
            return {r["id"]: self._session(r) for r in db.execute("SELECT * FROM sessions")}

    def session_ends(self) -> dict[str, str | None]:
        """When each session ended (None: still open), by id as the index holds it; compared
        with folder names only, so an id that is no folder name is left for others to report."""
        if not self.has_history():
            return {}
        with self._sql() as db:
            return {r["id"]: r["ended_at"] for r in db.execute("SELECT id, ended_at FROM sessions")}

    # ---- attempts --------------------------------------------------------

    def reserve_attempt(self, session: Session, question_id: str) -> AttemptFiles:
        """The files of a new attempt, numbered after every attempt of the session so far
        (retries too); nothing is written until the recording or save_attempt writes it."""
        directory = private_dir(session.directory)
        used = [int(m.group(1)) for p in directory.iterdir() if (m := _STEM.match(p.name))]
        number = max(max(used, default=0) + 1, self._next_number.get(session.id, 1))
        self._next_number[session.id] = number + 1
        return AttemptFiles.at(directory / f"{number:02d}-{question_id}")

    def release_attempt(self, files: AttemptFiles) -> None:
        """Give back a reserved attempt that is not kept (stopped before anything of it was
        heard): what of its files was written goes; its number is not used again."""
        _unlink([files.audio, files.transcript, files.score])

    def save_attempt(
        self, session: Session, question: Question, files: AttemptFiles,
        transcript: Transcript, score: Score, *, started_at: datetime, ended_at: datetime,
        duration_seconds: float | None, status: str = "complete", follow_up_of: int | None = None,
        replacing: Attempt | None = None,
    ) -> Attempt:
        """Write the attempt's transcript and score JSON beside its audio, then index it.
        An answer with no recording (typed, or nothing recorded) keeps its text and figures.
        `follow_up_of`: the id of the attempt whose follow-up question this answers;
        `replacing`: the unscored row (indexed from its recording) that this fills in, unless
        another process filled it in first."""
        if status not in STATUSES:
            raise StoreError(f"attempt status must be one of {', '.join(STATUSES)}, not '{status}'")
        audio: Path | None = files.audio
        if not files.audio.is_file() or files.audio.stat().st_size == 0:
            files.audio.unlink(missing_ok=True)
            audio = None
        number = attempt_number(files.audio)
        record = score.to_dict()
        record.update({
            "session_id": session.id, "attempt_number": number, "status": status,
            "started_at": _iso(_now(started_at)), "ended_at": _iso(_now(ended_at)),
            "duration_seconds": duration_seconds, "audio_path": self._relative(audio),
            "category": question.category, "question": question.to_dict(),
            "follow_up_of": follow_up_of, "bank_title": session.bank_title,
        })
        try:
            _write_json_atomic(files.transcript, transcript.to_dict())
            _write_json_atomic(files.score, record)
        except OSError as e:
            raise StoreError(f"cannot write the attempt files in {files.score.parent}: "
                             f"{e.strerror}") from e
        values = self._indexed(question.id, files, record, question, score)
        try:
            with self._sql() as db:
                if replacing is None:
                    row_id = _insert_attempt(db, values)
                else:  # in place: a follow-up's row may refer to it
                    row_id = replacing.id
                    db.execute(f"UPDATE attempts SET {', '.join(f'{k} = ?' for k in values)}"
                               " WHERE id = ? AND score_path IS NULL",
                               [*values.values(), row_id])
                row = db.execute("SELECT * FROM attempts WHERE id = ?", (row_id,)).fetchone()
        except StoreError as e:
            raise StoreError(f"the attempt is saved in {files.score} but could not be indexed: "
                             f"{e}") from e
        if row is None:  # forgotten while it was scored: what was written for it goes too
            _unlink([files.transcript, files.score, files.audio])
            raise AttemptGone(f"attempt {row_id} was deleted while it was scored")
        return _attempt(row)

    def _indexed(self, question_id: str, files: AttemptFiles, record: dict[str, Any],
                 question: Question, score: Score) -> dict[str, Any]:
        """The index's row of an attempt whose score file holds `record`."""
        return {
            "session_id": record["session_id"], "question_id": question_id,
            "attempt_number": record["attempt_number"], "started_at": record["started_at"],
            "ended_at": record["ended_at"], "duration_seconds": record["duration_seconds"],
            **_figures(question, score),
            "status": record["status"], "audio_path": record["audio_path"],
            "transcript_path": self._relative(files.transcript),
            "score_path": self._relative(files.score),
            "follow_up_of": record["follow_up_of"],
        }

    def index_saved(self, session_id: str, question_id: str, files: AttemptFiles, *,
                    follow_up_of: int | None = None) -> Attempt | None:
        """Index an attempt the index lost (or a new index never had) from its score file: its
        figures, times and status as saved, and its session too when the index lost that (its
        start the attempt's). None when the score file is not one voiceprep wrote, to index
        the recording alone, or when another process indexed it first."""
        try:
            record = read_json(files.score)
            score = Score.from_dict(record)
            question = Question.from_dict(record["question"])
            record.update(session_id=session_id, follow_up_of=follow_up_of)
            if not isinstance(record.get("attempt_number"), int):
                record["attempt_number"] = attempt_number(files.score)
            audio = record.get("audio_path")
            if audio is not None and not self.path_of(audio).is_file():
                record["audio_path"] = None
            if record.get("status") not in STATUSES:
                record["status"] = "interrupted"
            values = self._indexed(question_id, files, record, question, score)
        except (InputFileError, StoreError, KeyError, TypeError, ValueError, AttributeError):
            return None
        if not files.transcript.is_file():
            values["transcript_path"] = None
        with self._sql() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                if _indexed_already(db, values["score_path"], values["audio_path"]):
                    db.execute("COMMIT")
                    return None  # by another process making the index again at the same time
                db.execute("INSERT OR IGNORE INTO sessions (id, started_at, ended_at, bank_title)"
                           " VALUES (?, ?, NULL, ?)",
                           (session_id, _started(session_id) or values["started_at"],
                            str(record.get("bank_title") or RECOVERED_TITLE)))
                row = db.execute("SELECT * FROM attempts WHERE id = ?",
                                 (_insert_attempt(db, values),)).fetchone()
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return _attempt(row)

    def import_recording(
        self, source: Path, question: Question, transcript: Transcript, score: Score, *,
        bank_title: str = "Imported recordings", session: Session | None = None,
        now: datetime | None = None,
    ) -> Attempt:
        """Copy an existing recording into a session (a new one unless given) as a scored
        attempt."""
        source = Path(source)
        if not source.is_file():
            raise StoreError(f"no recording at {source}")
        moment = _now(now)
        own_session = session is None
        if session is None:
            session = self.start_session(bank_title, now=moment)
        files = self.reserve_attempt(session, question.id)
        files = replace(files, audio=files.audio.with_suffix(source.suffix.lower() or ".wav"))
        try:
            try:
                copy_private(source, files.audio)  # all or nothing: no partial recording
            except OSError as e:
                raise StoreError(f"cannot copy {source} into {files.audio.parent}: "
                                 f"{e.strerror or e}") from e
            duration = _audio_duration(files.audio) or transcript.duration_seconds
            attempt = self.save_attempt(session, question, files, transcript, score,
                                        started_at=moment, ended_at=moment,
                                        duration_seconds=duration)
        except StoreError:
            if own_session:
                self.discard_empty_session(session)
            raise
        if own_session:
            self.end_session(session.id, now=moment)
        return attempt

    def index_recording(self, session_id: str, question_id: str, audio: Path, *,
                        ended_at: datetime, duration_seconds: float | None,
                        follow_up_of: int | None = None) -> Attempt | None:
        """Index a recording no attempt knows (a run killed before indexing it) as an unscored
        interrupted attempt (the answer to attempt `follow_up_of`'s follow-up question, when
        given), and its session too when the index lost that; None when another process
        indexed it first."""
        moment = _iso(_now(ended_at))
        with self._sql() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                if _indexed_already(db, None, self._relative(audio)):
                    db.execute("COMMIT")
                    return None  # by another process at the same time
                db.execute("INSERT OR IGNORE INTO sessions (id, started_at, ended_at, bank_title)"
                           " VALUES (?, ?, NULL, ?)", (session_id, moment, RECOVERED_TITLE))
                known = db.execute("SELECT category FROM attempts WHERE question_id = ? AND "
                                   "category != '' ORDER BY id DESC LIMIT 1",
                                   (question_id,)).fetchone()
                cursor = db.execute(
                    "INSERT INTO attempts (session_id, question_id, category, attempt_number, "
                    "started_at, ended_at, duration_seconds, status, audio_path, follow_up_of) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, 'interrupted', ?, ?)",
                    (session_id, question_id, known[0] if known else "", attempt_number(audio),
                     moment, moment, duration_seconds, self._relative(audio), follow_up_of))
                row = db.execute("SELECT * FROM attempts WHERE id = ?",
                                 (cursor.lastrowid,)).fetchone()
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return _attempt(row)

    def discard_empty_session(self, session: Session) -> bool:
        """Take back a session that ended before anything of an attempt was written (a stop
        while the first question was spoken); whether it was. Best effort: on a full disk even
        this may fail, and an empty session is harmless."""
        release_lock(session.directory)
        try:
            if any(session.directory.iterdir()):
                return False  # files of an answer are the record: recovery indexes them
            session.directory.rmdir()
            with self._sql() as db:
                if db.execute("SELECT 1 FROM attempts WHERE session_id = ?",
                              (session.id,)).fetchone():
                    return False
                db.execute("DELETE FROM sessions WHERE id = ?", (session.id,))
        except (StoreError, OSError):
            return False
        return True

    def with_follow_ups(self, session: Session, attempts: Sequence[Attempt]) -> list[Attempt]:
        """The attempts with the answers to their follow-up questions, in the order made."""
        chosen = {a.id for a in attempts}
        every = self.attempts(session_id=session.id)
        chosen |= {a.id for a in every if a.follow_up_of in chosen}
        return [a for a in every if a.id in chosen]

    def forget(self, session: Session, attempts: Sequence[Attempt]) -> int:
        """Delete attempts of a session for good, with the answers to their follow-up
        questions: their recordings, transcripts and score files, their rows, and the session's
        report (it holds them); the session too when no answer of it is left. Returns how many
        attempts went.

        The files go before the rows, so an interruption leaves rows whose files are gone (the
        next `forget` finishes), never files that no row names; and again after them, so that
        a file another process wrote meanwhile (a `recover` or `rescore` run) goes too. Such a
        writer checks the row after writing and deletes what it wrote when the row is gone."""
        if is_locked(session.directory):
            raise StoreError(f"session {session.id} is being recorded now: stop it first")
        going = self.with_follow_ups(session, attempts)
        files = [session.report] + [self.path_of(relative) for a in going for relative in
                                    (a.audio_path, a.transcript_path, a.score_path)
                                    if relative is not None]
        _unlink(files)
        with self._sql() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                for attempt in sorted(going, key=lambda a: a.follow_up_of is None):
                    db.execute("DELETE FROM attempts WHERE id = ?", (attempt.id,))
                left = db.execute("SELECT 1 FROM attempts WHERE session_id = ?",
                                  (session.id,)).fetchone()
                if left is None:
                    db.execute("DELETE FROM sessions WHERE id = ?", (session.id,))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        _unlink(files)
        if left is None and session.directory.is_dir():
            _remove_session_files(session.directory)
        return len(going)

    def forgotten(self, attempt_id: int) -> bool:
        """Whether the attempt's row is gone (`forget` deleted it)."""
        with self._sql() as db:
            return db.execute("SELECT 1 FROM attempts WHERE id = ?",
                              (attempt_id,)).fetchone() is None

    def attempts(self, session_id: str | None = None, question_id: str | None = None,
                 category: str | None = None) -> list[Attempt]:
        """Attempts in the order they were made, optionally of one session, question or
        category."""
        if not self.has_history():
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
        with self._sql() as db:
            return [_attempt(r) for r in db.execute(sql, args)]

    def recent_coverage(self, per_question: int = 3) -> dict[str, list[float]]:
        """Each question's coverage in its latest complete attempts, newest first."""
        recent: dict[str, list[float]] = {}
        for a in reversed(self.attempts()):
            if a.status == "complete" and a.coverage is not None and a.follow_up_of is None:
                scores = recent.setdefault(a.question_id, [])
                if len(scores) < per_question:
                    scores.append(a.coverage)
        return recent

    def load(self, attempt: Attempt) -> SavedAttempt:
        """The attempt's transcript, score and question, read from its JSON files."""
        transcript = self._read(attempt, "transcript", attempt.transcript_path)
        record = self._read(attempt, "score", attempt.score_path)
        try:
            return SavedAttempt(
                attempt, Transcript.from_dict(transcript), Score.from_dict(record),
                Question.from_dict(record["question"]) if "question" in record else None)
        except (KeyError, TypeError, ValueError) as e:
            raise StoreError(f"the files of attempt {attempt.id} are not as voiceprep writes them "
                             f"({type(e).__name__}: {e})") from e

    def replace_score(self, attempt: Attempt, score: Score, question: Question) -> Attempt:
        """An attempt scored again against `question` (as asked now): its score file (the rest
        of its record kept) and every figure of it in the index; returns the attempt as indexed
        now."""
        record = self._read(attempt, "score", attempt.score_path)
        path = self.path_of(attempt.score_path or "")
        record.update(score.to_dict())
        record["category"] = question.category
        try:
            _write_json_atomic(path, record)
        except OSError as e:
            raise StoreError(f"cannot write {path}: {e.strerror or e}") from e
        figures = _figures(question, score)
        with self._sql() as db:
            db.execute(f"UPDATE attempts SET {', '.join(f'{k} = ?' for k in figures)} "
                       "WHERE id = ?", [*figures.values(), attempt.id])
            row = db.execute("SELECT * FROM attempts WHERE id = ?", (attempt.id,)).fetchone()
        if row is None:  # forgotten while it was scored again: so is the file just written
            _unlink([path])
            raise AttemptGone(f"attempt {attempt.id} was deleted while it was scored again")
        return _attempt(row)

    def path_of(self, relative: str) -> Path:
        """A path the index holds, inside the data directory (StoreError when a tampered or
        foreign database points elsewhere)."""
        try:
            return inside(self.data_dir, relative)
        except ValueError as e:
            raise StoreError(f"the session history in {self.data_dir} names a file outside it "
                             f"({e})") from None

    def _read(self, attempt: Attempt, label: str, rel: str | None) -> dict[str, Any]:
        if rel is None:
            raise StoreError(f"attempt {attempt.id} has no {label} file")
        path = self.path_of(rel)
        if not path.is_symlink() and not path.exists():
            raise StoreError(f"the {label} of attempt {attempt.id} is missing: {path}")
        try:
            data = read_json(path)
        except InputFileError as e:
            raise StoreError(f"cannot read the {label} of attempt {attempt.id} ({path}): "
                             f"{e.problem}") from None
        if not isinstance(data, dict):
            raise StoreError(f"the {label} of attempt {attempt.id} is not a JSON object: {path}")
        return data

    def _relative(self, path: Path | None) -> str | None:
        if path is None:
            return None
        try:
            return Path(path).resolve().relative_to(self.data_dir.resolve()).as_posix()
        except ValueError:
            return str(Path(path).resolve())


def _insert_attempt(db: sqlite3.Connection, values: dict[str, Any]) -> int | None:
    """Add an attempt's row (its columns and values); its id."""
    return db.execute(f"INSERT INTO attempts ({', '.join(values)}) VALUES "
                      f"({', '.join('?' * len(values))})", list(values.values())).lastrowid


def _indexed_already(db: sqlite3.Connection, score_path: str | None,
                     audio_path: str | None) -> bool:
    return db.execute("SELECT 1 FROM attempts WHERE score_path = ? OR audio_path = ?",
                      (score_path, audio_path)).fetchone() is not None


class AttemptGone(StoreError):
    """The attempt was deleted (`forget`) while it was scored again: what was written for it
    is deleted too."""


def _unlink(paths: Sequence[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as e:
            raise StoreError(f"cannot delete {path}: {e.strerror or e}") from e


def _remove_session_files(directory: Path) -> None:
    """A session's directory with the answer files left in it (one never indexed); one that
    holds anything else is kept, with that."""
    for path in directory.iterdir():
        if path.is_file() and _STEM.match(path.name):
            path.unlink(missing_ok=True)
    try:
        directory.rmdir()
    except OSError:
        pass  # a file of the person's own is kept, with its directory


def attempt_number(audio: Path) -> int:
    """The number of an attempt (files <NN>-<question>.*) among the tries of its question in its
    session: 1 + the tries numbered before it. Counted from the files, which are the record, so
    it holds when the index fails or is rebuilt, and an attempt's own files (a run killed after
    writing them, before indexing them) are not another try. Follow-ups
    (<NN>-<question>-follow-up) are numbered apart from the question's tries."""
    own, name = audio.name.split(".", 1)[0].split("-", 1)
    earlier = set()
    for path in audio.parent.iterdir() if audio.parent.is_dir() else ():
        m = _STEM.match(path.name)
        if m and int(m.group(1)) < int(own) and path.name[m.end():].split(".", 1)[0] == name:
            earlier.add(int(m.group(1)))
    return 1 + len(earlier)
def _content_columns(score: Score) -> dict[str, Any]:
    """The indexed figures of where the points were made and of a story's parts."""
    focus, star = score.focus, score.star
    return {"first_point_seconds": focus.first_point_seconds,
            "on_point_share": focus.on_point_share,
            "longest_drift_seconds": focus.longest_drift_seconds,
            "could_stop_at_seconds": focus.could_stop_at_seconds,
            "star_parts": star.letters if star else None,
            "result_quantified": star.result_quantified if star else None}


def _attempt(row: sqlite3.Row) -> Attempt:
    values = {name: row[name] for name in ATTEMPT_COLUMNS}
    if values["result_quantified"] is not None:
        values["result_quantified"] = bool(values["result_quantified"])
    return Attempt(**values)


def _figures(question: Question, score: Score) -> dict[str, Any]:
    """What the index keeps of a scored attempt: the same whether it is saved or re-scored."""
    return {
        "category": question.category,
        "speaking_seconds": score.speaking_seconds, "words_per_minute": score.words_per_minute,
        "coverage": score.coverage, "score": score.score, "filler_count": score.fillers.count,
        "fillers_per_minute": score.fillers.per_minute, "pause_count": score.pauses.count,
        "longest_pause_seconds": score.pauses.longest_seconds, "timing": score.timing,
        "target_min": question.target_seconds[0], "target_max": question.target_seconds[1],
        "hedge_count": score.hedges.count, "hedges_per_minute": score.hedges.per_minute,
        "pitch_median_hz": score.pitch.median_hz if score.pitch else None,
        "pitch_range_semitones": score.pitch.range_semitones if score.pitch else None,
        "monotone_seconds": score.pitch.monotone_seconds if score.pitch else None,
        **_content_columns(score),
    }


def _write_json_atomic(path: Path, data: Any) -> None:
    write_private(path, json.dumps(data, ensure_ascii=False, indent=2))


def _audio_duration(path: Path) -> float | None:
    try:
        import soundfile

        return round(float(soundfile.info(str(path)).duration), 3)
    except Exception:  # an unreadable format only costs the duration figure
        return None

