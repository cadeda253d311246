"""Answers on disk that the history does not know: found, indexed, then scored.

A run killed mid-answer (SIGKILL, a crash, a power cut) leaves a complete WAV (the recorder keeps
its header up to date) in sessions/<id>/ but no row in the index. `index_interrupted` finds such
recordings, in sessions no live process holds (see files.hold_lock), and indexes each as an
unscored "interrupted" attempt; it also ends those sessions. An attempt whose score file is
there (the index was deleted, or a run died after writing the files) is indexed from that file as
it was saved: figures, times, status, follow-up and its session's bank, with nothing to score
again. So an index deleted, or moved aside when damaged, is made again by the next command.
`recover` transcribes and scores
them with the usual transcription and scoring, so they count like any other attempt. The
answer to a follow-up question (`NN-<question>-follow-up.wav`) is indexed as the follow-up of
the session's last answer to that question, and scored, as in practice, on the required points
that answer missed.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from voiceprep.answer import answer_from_file
from voiceprep.bank.questions import Bank, Question
from voiceprep.errors import AudioError, QuestionNotFound, StoreError
from voiceprep.files import is_locked
from voiceprep.hearing.transcriber import TranscribeOptions
from voiceprep.history import store
from voiceprep.scoring.followup import follow_up_question, question_of_recording

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".m4a")
_NAME = re.compile(r"^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)$")
WAV_HEADER_BYTES = 44


def _audio_info(path: Path) -> tuple[int, float] | None:
    """(frames, seconds) of audio in the file; None when it cannot be read as audio."""
    try:
        import soundfile

        info = soundfile.info(str(path))
        return int(info.frames), round(float(info.duration), 3)
    except Exception:  # noqa: BLE001 - any unreadable file: it is kept and indexed anyway
        return None


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime).astimezone()


def index_interrupted(data_dir: Path) -> list[store.Attempt]:
    """Index the recordings of finished-but-unrecorded runs; return the attempts it added.

    Does nothing when there is no sessions/ directory or it cannot be written."""
    data_dir = Path(data_dir)
    sessions = data_dir / store.SESSIONS_DIR
    if not sessions.is_dir():
        return []
    try:
        return _index_all(data_dir, sessions)
    except (sqlite3.Error, OSError) as e:  # a full disk, a read-only database
        raise StoreError(f"session history in {data_dir}: {e}") from e


def _index_all(data_dir: Path, sessions: Path) -> list[store.Attempt]:
    added: list[store.Attempt] = []
    with store.Store(data_dir) as history:
        # A session that was ended had every answer indexed by the process that recorded it
        # (or by this function): only the others are looked into, so that what every command
        # costs does not grow with the history.
        ends = history.session_ends()
        # A folder voiceprep did not name (a copy made by hand, "20261122-101500 copy") is
        # no session: indexed, its answers would count twice.
        candidates = [sessions / name for name in sorted(os.listdir(sessions))
                      if ends.get(name) is None and store.SESSION_ID.match(name)]
        candidates = [d for d in candidates
                      if d.is_dir() and not d.is_symlink() and not is_locked(d)]
        if not candidates:
            return []
        known = {path for d in candidates for a in history.attempts(session_id=d.name)
                 for path in (a.audio_path, a.score_path) if path is not None}
        open_sessions = {d.name for d in candidates if d.name in ends}
        for directory in candidates:
            session_id = directory.name
            for files in _attempt_files(directory):
                name = _NAME.match(files.audio.stem)
                relative = {f"{store.SESSIONS_DIR}/{session_id}/{p.name}"
                            for p in (files.audio, files.score)}
                if relative & known or name is None:
                    continue
                question_id, follow_up = question_of_recording(name.group(2))
                follows = next((a.id for a in reversed(history.attempts(
                    session_id=session_id, question_id=question_id))
                    if a.follow_up_of is None), None) if follow_up else None
                attempt = (history.index_saved(session_id, question_id, files,
                                               follow_up_of=follows)
                           if files.score.is_file() else None)
                if attempt is None and files.audio.is_file():
                    info = _audio_info(files.audio)
                    if files.audio.stat().st_size <= WAV_HEADER_BYTES and not (info and info[0]):
                        files.audio.unlink()  # a name claimed for an answer that never started
                        continue
                    attempt = history.index_recording(
                        session_id, question_id, files.audio, ended_at=_mtime(files.audio),
                        duration_seconds=info[1] if info else None, follow_up_of=follows)
                if attempt is not None:
                    added.append(attempt)
                    open_sessions.add(session_id)
            if session_id in open_sessions:
                # A session nobody holds any more ended when its last file was written.
                written = [p for p in directory.iterdir() if p.is_file()] or [directory]
                history.end_session(session_id, now=max(_mtime(p) for p in written),
                                    if_open=True)
    return added


def _attempt_files(directory: Path) -> list[store.AttemptFiles]:
    """The files of each attempt in a session's directory, in the order they were recorded: a
    recording, a score file, or both."""
    stems: dict[str, Path] = {}
    for path in directory.iterdir():
        if not path.is_file():
            continue
        if path.name.endswith(store.SCORE_SUFFIX):
            stems.setdefault(path.name.removesuffix(store.SCORE_SUFFIX), path)
        elif path.suffix.lower() in AUDIO_SUFFIXES:
            stems[path.stem] = path
    out = []
    for stem, path in sorted(stems.items(), key=lambda s: (_number(s[0]), s[0])):
        files = store.AttemptFiles.at(directory / stem)
        out.append(replace(files, audio=path) if path.suffix.lower() in AUDIO_SUFFIXES
                   else files)
    return out


def _number(stem: str) -> int:
    number = stem.split("-", 1)[0]
    return int(number) if number.isdigit() else 0


def unscored_attempts(history: store.Store, session_id: str | None = None
                      ) -> list[store.Attempt]:
    """Attempts (of one session, when given) with a recording but no transcript or score yet
    (indexed by recovery)."""
    return [a for a in history.attempts(session_id=session_id)
            if a.score_path is None and a.audio_path is not None]


def question_for(history: store.Store, attempt: store.Attempt, bank: Bank | None) -> Question:
    """The attempt's question: from the bank, else as asked in another attempt at it."""
    if bank is not None:
        try:
            return bank.find(attempt.question_id)
        except QuestionNotFound:
            pass
    for other in reversed(history.attempts(question_id=attempt.question_id)):
        if other.score_path is None:
            continue
        try:
            asked = history.load(other).question
        except StoreError:
            continue
        if asked is not None:
            return asked
    raise QuestionNotFound(f"question '{attempt.question_id}' of session {attempt.session_id} "
                           "is not in the bank: pass the bank it came from with --bank")


def recover(history: store.Store, bank: Bank | None, options: TranscribeOptions,
            on_attempt: Callable[[store.Attempt], None] | None = None
            ) -> tuple[list[store.Attempt], list[str]]:
    """Transcribe and score every unscored attempt; return them as they are kept now, and why
    the others could not be (a question no bank has, a recording that cannot be read): those
    stay unscored, for another run.

    Each stays "interrupted" (the answer may have been cut short) and gets its transcript and
    score files like any other attempt."""
    kept = []
    problems: list[str] = []
    for attempt in unscored_attempts(history):
        try:
            question = question_for(history, attempt, bank)
        except QuestionNotFound as e:
            problems.append(str(e))
            continue
        if attempt.follow_up_of is not None:
            question = _follow_up(history, attempt, question)
        if on_attempt is not None:
            on_attempt(attempt)
        audio = history.path_of(str(attempt.audio_path))
        try:
            answer = answer_from_file(audio, question, options)
            session = history.session(attempt.session_id)
            files = replace(store.AttemptFiles.at(audio.with_suffix("")), audio=audio)
            kept.append(history.save_attempt(
                session, question, files, answer.transcript, answer.score,
                started_at=datetime.fromisoformat(attempt.started_at),
                ended_at=datetime.fromisoformat(attempt.ended_at or attempt.started_at),
                duration_seconds=attempt.duration_seconds, status="interrupted",
                follow_up_of=attempt.follow_up_of, replacing=attempt))
        except store.AttemptGone:
            continue  # `forget` deleted it meanwhile, and what was written for it
        except (AudioError, StoreError) as e:
            if not history.forgotten(attempt.id):
                problems.append(str(e))
    return kept, problems


def _follow_up(history: store.Store, attempt: store.Attempt, question: Question) -> Question:
    """The follow-up question `attempt` answers: `question` on the required points the answer
    it follows missed (the whole question when that answer's score cannot be read). Points a
    practice plan added to the follow-up (`PracticeOptions.follow_up_points`) are not known
    afterwards."""
    answered = [a for a in history.attempts(session_id=attempt.session_id)
                if a.id == attempt.follow_up_of and a.score_path is not None]
    try:
        saved = history.load(answered[0]) if answered else None
    except StoreError:
        saved = None
    if saved is None:
        return question
    return follow_up_question(saved.question or question, saved.score) or question
