"""The practice loop: ask a question aloud, record the answer, transcribe, score, keep it."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.panel import Panel

from . import store
from .bank import Bank, Question
from .recorder import RecorderOptions, Recording
from .report import format_target, render_score
from .scoring import Score, ScoringOptions, score
from .speech import Speaker
from .transcribe import TranscribeOptions, transcribe_file

ORDERS = ("bank", "shuffle", "weakest")

MENU = r"\[n]ext  \[r]etry  \[p]lay my answer  \[a]nswer (reference)  \[q]uit"


@dataclass(frozen=True)
class PracticeOptions:
    recorder: RecorderOptions = field(default_factory=RecorderOptions)
    transcription: TranscribeOptions = field(default_factory=TranscribeOptions)
    scoring: ScoringOptions = field(default_factory=ScoringOptions)
    # The hard recording limit is the question's target maximum times this factor.
    limit_factor: float = 1.5


@dataclass
class PracticeResult:
    session: store.Session
    attempts: list[store.Attempt]
    quit_early: bool = False
    speech_note: str | None = None  # why the questions were not spoken, once said


# The stages are injected so tests can drive the real loop with real parts they control.
RecordFn = Callable[[Question, Path, RecorderOptions], Recording]
AskFn = Callable[[str], str]
PlayFn = Callable[[Path], None]


def choose_questions(
    bank: Bank, data_dir: Path, *, category: str | None = None, ids: tuple[str, ...] = (),
    order: str = "bank", count: int | None = None, seed: int | None = None,
) -> list[Question]:
    """The questions of this session, in the order asked for."""
    questions = bank.select(category=category, ids=ids)
    if order == "shuffle":
        questions = list(questions)
        random.Random(seed).shuffle(questions)
    elif order == "weakest":
        ranked = store.weakest_questions(data_dir, [q.id for q in questions])
        by_id = {q.id: q for q in questions}
        questions = [by_id[i] for i in ranked]
    return questions[:count] if count else list(questions)


def run_practice(
    console: Console, bank: Bank, questions: list[Question], data_dir: Path,
    options: PracticeOptions, *, speaker: Speaker, record: RecordFn, ask: AskFn, play: PlayFn,
) -> PracticeResult:
    """Ask each question, record and score every attempt, and keep them in a session."""
    session = store.start_session(data_dir, bank.title)
    result = PracticeResult(session=session, attempts=[])
    console.print(f"Session [bold]{session.id}[/bold]: {len(questions)} question(s). "
                  f"Answers are kept in {data_dir}.")
    _report_silent_speaker(console, speaker, result)
    try:
        for number, question in enumerate(questions, start=1):
            if not _practice_question(console, question, number, len(questions), data_dir,
                                      options, session, result, speaker, record, ask, play):
                result.quit_early = True
                break
    finally:
        result.session = store.end_session(data_dir, session.id)
    return result


def _report_silent_speaker(console: Console, speaker: Speaker, result: PracticeResult) -> None:
    """Say once why questions are not spoken (TTS missing, or it failed mid-session)."""
    reason = getattr(speaker, "unavailable_reason", None)
    if reason and result.speech_note is None:
        console.print(f"[yellow]Questions will not be spoken: {reason}[/yellow]")
        result.speech_note = reason


def _practice_question(
    console: Console, question: Question, number: int, total: int, data_dir: Path,
    options: PracticeOptions, session: store.Session, result: PracticeResult,
    speaker: Speaker, record: RecordFn, ask: AskFn, play: PlayFn,
) -> bool:
    """One question, with retries. Returns False when the user quits."""
    while True:
        console.rule(f"Question {number}/{total} · {question.category} · "
                     f"target {format_target(question.target_seconds)}")
        console.print(f"[bold]{question.prompt}[/bold]")
        speaker.say(question.prompt)
        _report_silent_speaker(console, speaker, result)
        attempt = _attempt(console, question, data_dir, options, session, record)
        result.attempts.append(attempt)
        while True:
            choice = ask(MENU).strip().lower()[:1]
            if choice in ("", "n"):
                return True
            if choice == "q":
                return False
            if choice == "r":
                break
            if choice == "p":
                audio = data_dir / attempt.audio_path if attempt.audio_path else None
                if audio and audio.exists():
                    play(audio)
                else:
                    console.print("[yellow]No recording to play.[/yellow]")
            elif choice == "a":
                console.print(Panel(question.reference, title="reference answer", expand=False))
            else:
                console.print(f"[yellow]Unknown choice '{choice}'.[/yellow]")


def _attempt(
    console: Console, question: Question, data_dir: Path, options: PracticeOptions,
    session: store.Session, record: RecordFn,
) -> store.Attempt:
    audio_path = store.new_attempt_audio_path(data_dir, session, question.id)
    limit = question.target_seconds[1] * options.limit_factor
    recorder_options = replace(options.recorder, max_seconds=limit)
    started_at = datetime.now()
    recording = record(question, audio_path, recorder_options)
    status = "interrupted" if recording.stopped_by == "interrupted" else "complete"
    attempt, scored = _keep(console, question, data_dir, options, session, audio_path,
                            started_at, recording.duration_seconds, status, datetime.now())
    if status == "interrupted":
        # Ctrl-C while answering: the answer so far is kept, then the session ends.
        console.print(f"[yellow]Interrupted; the answer so far is kept in "
                      f"{data_dir / (attempt.audio_path or '')}[/yellow]")
        raise KeyboardInterrupt
    render_score(console, scored, question)
    if not recording.heard_speech:
        console.print("[yellow]No speech was heard. Check the microphone with "
                      "'voiceprep devices' or 'voiceprep doctor'.[/yellow]")
    if attempt.audio_path:
        console.print(f"[dim]Saved {data_dir / attempt.audio_path}[/dim]")
    return attempt


def _keep(
    console: Console, question: Question, data_dir: Path, options: PracticeOptions,
    session: store.Session, audio_path: Path, started_at: datetime,
    duration_seconds: float | None, status: str, ended_at: datetime,
) -> tuple[store.Attempt, Score]:
    """Transcribe and score the recorded answer and store the attempt."""
    with console.status("Transcribing..."):
        transcript = transcribe_file(
            audio_path, replace(options.transcription, vocabulary=question.vocabulary()))
    scored = score(question, transcript, options.scoring)
    attempt = store.save_attempt(
        data_dir, session, question, audio_path, transcript, scored,
        started_at=started_at, ended_at=ended_at,
        duration_seconds=duration_seconds, status=status,
    )
    return attempt, scored
