"""The practice loop: ask a question, record the answer, transcribe and score it, keep it.

One attempt reads top-down in `_attempt`: record (the transcriber hears the answer while it is
spoken) -> hear (finish the transcript, score it) -> save -> show. The loop talks to the person
through a `PracticeUI` (the terminal in ui/practice_screen.py; a scripted one in tests), so the
whole loop runs in-process on real audio as well as in a real terminal.
"""

from __future__ import annotations

import random
import signal
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Protocol

from voiceprep.answer import Answer, Listening, hear, listen
from voiceprep.audio.recorder import RecorderOptions, Recording
from voiceprep.bank.questions import Bank, KeyPoint, Question
from voiceprep.hearing.transcriber import TranscribeOptions
from voiceprep.history.overlay import OverlayError, accept_point, rescore, suggest_words
from voiceprep.history.store import Attempt, Session, Store
from voiceprep.interrupts import Stopped, signal_of, signals_held
from voiceprep.scoring.followup import follow_up_question, recording_name
from voiceprep.scoring.pitch import PitchTracker
from voiceprep.scoring.score import ScoringOptions

ORDERS = ("bank", "shuffle", "weakest", "due")
CHOICES = {"": "next", "n": "next", "r": "retry", "p": "play", "a": "reference",
           "m": "made it", "q": "quit"}


@dataclass(frozen=True)
class PracticeOptions:
    recorder: RecorderOptions = field(default_factory=RecorderOptions)
    transcription: TranscribeOptions = field(default_factory=TranscribeOptions)
    scoring: ScoringOptions = field(default_factory=ScoringOptions)
    # The hard recording limit is the question's target maximum times this factor.
    limit_factor: float = 1.5
    follow_ups: bool = True  # ask about the required key points an answer missed
    # Also ask about these key points, (question id, key point id), when an answer misses them:
    # with --due, the ones the person keeps missing.
    follow_up_points: frozenset[tuple[str, str]] = frozenset()


@dataclass
class PracticeResult:
    session: Session
    attempts: list[Attempt]
    quit_early: bool = False
    kept: bool = True  # False: nothing was recorded, and the session was taken back


class PracticeUI(Protocol):
    """What the loop needs from the person in front of it."""

    def session_started(self, session: Session, questions: list[Question]) -> None: ...

    def ask(self, question: Question, number: int, total: int) -> None: ...

    def follow_up(self, question: Question) -> None:
        """Ask the follow-up question (its prompt) about the points the answer missed."""

    def record(self, question: Question, path: Path, options: RecorderOptions,
               listening: Listening) -> Recording:
        """Record the answer into `path`, feeding `listening` every block written."""

    def waiting(self) -> AbstractContextManager[object]: ...

    def show(self, question: Question, answer: Answer, attempt: Attempt,
             recording: Recording) -> None: ...

    def choose(self) -> str: ...

    def play(self, path: Path) -> None: ...

    def show_reference(self, question: Question) -> None: ...

    def notice(self, message: str) -> None: ...

    def pick_missed(self, missed: list[KeyPoint], suggest: Callable[[str], str]
                    ) -> tuple[str, str] | None:
        """Which missed point the person made, and in which words (None: none after all)."""


def weakest_first(question_ids: list[str], recent: dict[str, list[float]]) -> list[str]:
    """The ids reordered: never practised first, then lowest recent coverage first."""
    def key(item: tuple[int, str]) -> tuple[int, float, int]:
        index, qid = item
        if not recent.get(qid):
            return (0, 0.0, index)
        return (1, sum(recent[qid]) / len(recent[qid]), index)

    return [qid for _, qid in sorted(enumerate(question_ids), key=key)]


def choose_questions(
    bank: Bank, data_dir: Path, *, category: str | None = None, ids: tuple[str, ...] = (),
    order: str = "bank", count: int | None = None, seed: int | None = None,
    due_only: bool = False, now: datetime | None = None,
) -> list[Question]:
    """The questions of this session, in the order asked for (`due_only`: the ones the
    schedule says are due today, never practised ones included, in the order "due")."""
    questions = bank.select(category=category, ids=ids)
    if order == "due" or due_only:
        from voiceprep.history.schedule import due_order, is_due_today, schedule_of

        moment = now or datetime.now().astimezone()
        with Store(data_dir) as store:
            dues = due_order(schedule_of(store), questions, moment, count)
        by_id = {q.id: q for q in questions}
        questions = [by_id[d.question_id] for d in dues
                     if not due_only or is_due_today(d, moment)]
    elif order == "shuffle":
        questions = list(questions)
        random.Random(seed).shuffle(questions)
    elif order == "weakest":
        with Store(data_dir) as store:
            recent = store.recent_coverage()
        ranked = weakest_first([q.id for q in questions], recent)
        by_id = {q.id: q for q in questions}
        questions = [by_id[i] for i in ranked]
    return questions[:count] if count else list(questions)


def run_practice(ui: PracticeUI, bank: Bank, questions: list[Question], data_dir: Path,
                 options: PracticeOptions) -> PracticeResult:
    """Ask each question, record and score every attempt, and keep them in a session.

    A stop (Ctrl-C, TERM, HUP) keeps the answer under way (not one stopped before anything of it
    was heard), closes the session (takes it back when nothing of it is kept) and is raised
    again as `Stopped` for the caller to exit with.
    """
    with Store(data_dir) as store:
        session = store.start_session(bank.title)
        result = PracticeResult(session=session, attempts=[])
        ui.session_started(session, questions)
        try:
            for number, question in enumerate(questions, start=1):
                if not _practice_question(ui, bank, question, number, len(questions), store,
                                          options, result):
                    result.quit_early = True
                    break
        finally:
            with signals_held():  # (a session with nothing in it is not kept: no "latest")
                result.kept = bool(result.attempts) or not store.discard_empty_session(session)
                if result.kept:
                    result.session = store.end_session(session.id)
    return result


def _practice_question(ui: PracticeUI, bank: Bank, question: Question, number: int, total: int,
                       store: Store, options: PracticeOptions, result: PracticeResult) -> bool:
    """One question, with retries. Returns False when the person quits."""
    while True:
        ui.ask(question, number, total)
        attempt, answer = _attempt(ui, question, store, options, result)
        extra = {kp for q, kp in options.follow_up_points if q == question.id}
        follow_up = (follow_up_question(question, answer.score, also=extra)
                     if options.follow_ups else None)
        if follow_up is not None:
            ui.follow_up(follow_up)
            _attempt(ui, follow_up, store, options, result, follow_up_of=attempt)
        while (choice := ui.choose()) not in ("next", "retry", "quit"):
            if choice == "play":
                ui.play(store.data_dir / attempt.audio_path) if attempt.audio_path else \
                    ui.notice("No recording to play.")
            elif choice == "reference":
                ui.show_reference(question)
            elif choice == "made it":
                question = _accept_missed(ui, bank, question, attempt, store,
                                          options.scoring)
        if choice != "retry":
            return choice == "next"


def _accept_missed(ui: PracticeUI, bank: Bank, question: Question, attempt: Attempt,
                   store: Store, scoring: ScoringOptions) -> Question:
    """The person made a point the coach missed: their words join the overlay, the question's
    attempts are re-scored, and the rest of the session counts the words too."""
    saved = store.load(attempt)
    missed_ids = {r.id for r in saved.score.key_points if not r.covered}
    missed = [kp for kp in question.key_points if kp.id in missed_ids]
    if not missed:
        ui.notice("Every key point was covered.")
        return question
    heard = [w.word for w in saved.transcript.words]
    picked = ui.pick_missed(missed, lambda kp_id: suggest_words(question, heard, kp_id))
    if picked is None:
        return question
    kp_id, words = picked
    try:
        overlay = accept_point(store.data_dir, bank, question.id, kp_id, words)
    except OverlayError as e:
        ui.notice(str(e))
        return question
    now = next((r for r in rescore(store.data_dir, bank, question.id, scoring).rescored
                if r.attempt.id == attempt.id), None)
    change = f"; this answer now scores {now.after} (was {now.before})" if now else ""
    ui.notice(f"“{' '.join(words.split())}” now counts for this point{change}. "
              "'voiceprep review --undo' takes it back.")
    return overlay.apply(question)


def _attempt(ui: PracticeUI, question: Question, store: Store, options: PracticeOptions,
             result: PracticeResult, follow_up_of: Attempt | None = None,
             ) -> tuple[Attempt, Answer]:
    """Record -> hear -> save -> show: one attempt (or the answer to the follow-up question of
    `follow_up_of`), kept whatever stops it, unless it stops before anything was heard."""
    files = store.reserve_attempt(result.session,
                                  recording_name(question.id, follow_up_of is not None))
    limit = question.target_seconds[1] * options.limit_factor
    started_at = datetime.now()
    transcriber = listen(question, options.transcription, scoring=options.scoring)
    # The pitch is tracked as the answer is recorded too: the blocks fed are the file's samples.
    pitch = PitchTracker(options.scoring.pitch)
    recording = ui.record(question, files.audio, replace(options.recorder, max_seconds=limit),
                          Listening(transcriber, pitch))
    status = "interrupted" if recording.stopped_by == "interrupted" else "complete"
    try:
        with ui.waiting():
            answer = hear(question, transcriber, options.scoring, audio=pitch)
    except KeyboardInterrupt as stop:
        # Stopped while the last words were decoded: keep the recording for `voiceprep recover`.
        transcriber.cancel()
        ui.notice(f"Interrupted; the answer is kept in {files.audio}; "
                  "'voiceprep recover' scores it.")
        raise Stopped(signal_of(stop)) from None
    if status == "interrupted" and not recording.heard_speech and not answer.transcript.words:
        # Stopped before a word was said: an empty answer is nothing to keep, and a session
        # holding only that would become the "latest" of review and report.
        with signals_held():
            store.release_attempt(files)
        ui.notice("Stopped before an answer was heard: nothing kept." if not result.attempts
                  else "Stopped before this answer was heard: it is not kept (the answers "
                  "before it are).")
        raise Stopped(recording.stop_signal or signal.SIGINT)
    with signals_held():
        attempt = store.save_attempt(
            result.session, question, files, answer.transcript, answer.score,
            started_at=started_at, ended_at=datetime.now(),
            duration_seconds=recording.duration_seconds, status=status,
            follow_up_of=follow_up_of.id if follow_up_of else None)
    result.attempts.append(attempt)
    if status == "interrupted":
        ui.notice("Interrupted; the answer so far is kept in "
                  f"{store.data_dir / (attempt.audio_path or '')}")
        raise Stopped(recording.stop_signal or signal.SIGINT)
    ui.show(question, answer, attempt, recording)
    return attempt, answer

