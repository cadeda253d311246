"""Looking back at a session: transcripts with the key points highlighted, missed points,
delivery figures, the reference answer and retries compared (rendered by ui/render.py and
ui/html_report.py, or as JSON)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from voiceprep.bank.questions import KeyPoint, Question
from voiceprep.errors import StoreError
from voiceprep.hearing.transcript import Transcript, has_times
from voiceprep.history.store import Attempt, Session, Store
from voiceprep.normalize import bare_word, written
from voiceprep.scoring.metrics import COMPARED
from voiceprep.scoring.score import KeyPointResult, Score


@dataclass(frozen=True)
class Span:
    """A run of transcript words; `key_point` is set when they are a key point's evidence."""

    text: str
    key_point: str | None = None
    key_point_text: str | None = None
    start: float | None = None
    matched_by: str | None = None  # "meaning" when the point was said in other words

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "key_point": self.key_point,
                "key_point_text": self.key_point_text, "start": self.start,
                "matched_by": self.matched_by}


@dataclass(frozen=True)
class AttemptReview:
    attempt: Attempt
    transcript: Transcript
    score: Score
    spans: tuple[Span, ...]
    audio: Path | None  # absolute path, None when there is no recording on disk
    prompt: str = ""  # the question this answered as asked (for a follow-up: the follow-up)
    follow_ups: tuple[AttemptReview, ...] = ()  # answers to this attempt's follow-up question

    @property
    def covered(self) -> list[KeyPointResult]:
        return [k for k in self.score.key_points if k.covered]

    @property
    def missed(self) -> list[KeyPointResult]:
        return [k for k in self.score.key_points if not k.covered]

    def to_dict(self) -> dict[str, Any]:
        return {**self.attempt.to_dict(), "transcript": self.transcript.text,
                "key_points": [k.to_dict() for k in self.score.key_points],
                "missed_required": list(self.score.missed_required),
                "fillers": self.score.fillers.to_dict(), "pauses": self.score.pauses.to_dict(),
                "hedges": self.score.hedges.to_dict(),
                "repeated_phrases": [{"phrase": p, "count": c}
                                     for p, c in self.score.repeated_phrases],
                "pace_over_time": (None if self.score.pace_over_time is None
                                   else [w.to_dict() for w in self.score.pace_over_time]),
                "pitch": self.score.pitch.to_dict() if self.score.pitch else None,
                "focus": self.score.focus.to_dict(),
                "star": self.score.star.to_dict() if self.score.star else None,
                "spans": [s.to_dict() for s in self.spans], "prompt": self.prompt,
                "follow_ups": [f.to_dict() for f in self.follow_ups]}


@dataclass(frozen=True)
class QuestionReview:
    question_id: str
    category: str
    prompt: str
    reference: str
    target_seconds: tuple[int, int]
    attempts: tuple[AttemptReview, ...]
    key_points: tuple[KeyPoint, ...] = ()  # as asked last (none in files older than that record)

    def comparison(self) -> list[dict[str, Any]]:
        """One row per attempt: the compared figures and their change from the previous try."""
        rows: list[dict[str, Any]] = []
        previous: AttemptReview | None = None
        for review in self.attempts:
            a = review.attempt
            row: dict[str, Any] = {"attempt_number": a.attempt_number, "status": a.status}
            for metric in COMPARED:
                key = metric.key
                value = getattr(a, key)
                before = getattr(previous.attempt, key) if previous else None
                delta = None if value is None or before is None else value - before
                row[key] = value
                row[key + "_change"] = None if delta is None else round(delta, 4)
                row[key + "_verdict"] = metric.verdict(before, value, self.target_seconds)
            if previous is not None:
                was = {k.id for k in previous.covered}
                now = {k.id for k in review.covered}
                row["newly_covered"] = sorted(now - was)
                row["no_longer_covered"] = sorted(was - now)
            rows.append(row)
            previous = review
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {"question_id": self.question_id, "category": self.category,
                "prompt": self.prompt, "reference": self.reference,
                "target_seconds": list(self.target_seconds),
                "attempts": [a.to_dict() for a in self.attempts],
                "comparison": self.comparison()}


@dataclass(frozen=True)
class SessionReview:
    session: Session
    questions: tuple[QuestionReview, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"session": self.session.to_dict(),
                "questions": [q.to_dict() for q in self.questions]}


def reflow(text: str) -> str:
    """Bank text as one paragraph per blank-line-separated block (TOML strings wrap lines)."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def transcript_spans(transcript: Transcript, score: Score) -> tuple[Span, ...]:
    """Cut the transcript into runs, marking the words that were evidence for a key point.

    The evidence is located by its times when the transcript has word timestamps (what the
    scorer matched), otherwise by finding its words in order.
    """
    words = [w for w in transcript.words if w.word.strip()]
    tokens = [w.word.strip() for w in words] or transcript.text.split()
    owner: list[KeyPointResult | None] = [None] * len(tokens)
    timed = has_times(words)
    normalized = [bare_word(t, keep="%") for t in tokens]
    for kp in score.key_points:
        if not kp.covered:
            continue
        hits: list[int] = []
        if timed and kp.start is not None and kp.end is not None:
            hits = [i for i, w in enumerate(words)
                    if w.start >= kp.start - 0.02 and w.end <= kp.end + 0.02  # type: ignore[operator]
                    and owner[i] is None]
        if not hits:
            evidence = [bare_word(t, keep="%") for t in kp.evidence.split()]
            hits = _find_sequence(normalized, evidence, owner)
        for i in hits:
            owner[i] = kp
    spans: list[Span] = []
    run: list[str] = []
    run_owner: KeyPointResult | None = None
    run_start: float | None = None
    for i, token in enumerate(tokens):
        if i and owner[i] is not run_owner:
            spans.append(_span(run, run_owner, run_start))
            run = []
        if not run:
            run_owner = owner[i]
            run_start = words[i].start if timed else None
        run.append(token)
    if run:
        spans.append(_span(run, run_owner, run_start))
    return tuple(spans)


def _span(tokens: list[str], kp: KeyPointResult | None, start: float | None) -> Span:
    if kp is None:
        return Span(written(tokens))
    return Span(written(tokens), kp.id, kp.text, start if start is not None else kp.start,
                kp.matched_by)


def _find_sequence(tokens: list[str], wanted: list[str], owner: list[Any]) -> list[int]:
    wanted = [w for w in wanted if w]
    if not wanted:
        return []
    for i in range(len(tokens) - len(wanted) + 1):
        if tokens[i:i + len(wanted)] == wanted and all(o is None for o in owner[i:i + len(wanted)]):
            return list(range(i, i + len(wanted)))
    return []


def review_session(store: Store, session: Session,
                   question_id: str | None = None) -> SessionReview:
    """Every attempt of a session (or of one question in it), grouped by question in the
    order they were first asked, each with its transcript, score and highlights."""
    attempts = store.attempts(session_id=session.id, question_id=question_id)
    if question_id is not None and not attempts:
        raise StoreError(f"session {session.id} has no attempt at question '{question_id}'")
    groups: dict[str, list[AttemptReview]] = {}
    follow_ups: dict[int, list[AttemptReview]] = {}
    asked: dict[str, Question] = {}
    for a in attempts:
        if a.score_path is None:
            continue  # recorded, not scored yet (see `voiceprep recover`)
        saved = store.load(a)
        if saved.question is not None and a.follow_up_of is None:
            asked[a.question_id] = saved.question
        audio = store.path_of(a.audio_path) if a.audio_path else None
        review = AttemptReview(
            a, saved.transcript, saved.score, transcript_spans(saved.transcript, saved.score),
            audio if audio is not None and audio.is_file() else None,
            prompt=saved.question.prompt if saved.question else "")
        if a.follow_up_of is None:
            groups.setdefault(a.question_id, []).append(review)
        else:
            follow_ups.setdefault(a.follow_up_of, []).append(review)
    groups = {qid: [replace(r, follow_ups=tuple(follow_ups.get(r.attempt.id, ())))
                    for r in reviews] for qid, reviews in groups.items()}
    questions = []
    for qid, reviews in groups.items():
        question = asked.get(qid)
        if question is None:  # files older than the question record: what the score kept
            questions.append(QuestionReview(
                qid, reviews[-1].attempt.category, "", "", reviews[-1].score.target_seconds,
                tuple(reviews)))
            continue
        questions.append(QuestionReview(
            qid, question.category, reflow(question.prompt), reflow(question.reference),
            question.target_seconds, tuple(reviews), question.key_points))
    return SessionReview(session, tuple(questions))


def find_attempt(review: SessionReview, question_id: str | None = None) -> AttemptReview:
    """The last attempt in a review (of one question when given): what --play replays."""
    for q in reversed(review.questions):
        if question_id is None or q.question_id == question_id:
            return q.attempts[-1]
    raise StoreError("no attempt to play")
