"""Looking back at a session: transcripts with the key points highlighted, missed points,
delivery figures, the reference answer and retries compared, in the terminal or as JSON."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from .bank import KeyPoint, Question
from .errors import StoreError
from .metrics import COMPARED, format_number, format_percent, format_seconds, format_target
from .report import TIMING_STYLE, counted
from .scoring import KeyPointResult, Score
from .store import Attempt, Session, SessionSummary, Store
from .transcript import Transcript, has_times


@dataclass(frozen=True)
class Span:
    """A run of transcript words; `key_point` is set when they are a key point's evidence."""

    text: str
    key_point: str | None = None
    key_point_text: str | None = None
    start: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "key_point": self.key_point,
                "key_point_text": self.key_point_text, "start": self.start}


@dataclass(frozen=True)
class AttemptReview:
    attempt: Attempt
    transcript: Transcript
    score: Score
    spans: tuple[Span, ...]
    audio: Path | None  # absolute path, None when there is no recording on disk

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
                "spans": [s.to_dict() for s in self.spans]}


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


def _norm(token: str) -> str:
    return re.sub(r"[^\w%]", "", token.lower())


def transcript_spans(transcript: Transcript, score: Score) -> tuple[Span, ...]:
    """Cut the transcript into runs, marking the words that were evidence for a key point.

    The evidence is located by its times when the transcript has word timestamps (what the
    scorer matched), otherwise by finding its words in order.
    """
    words = [w for w in transcript.words if w.word.strip()]
    tokens = [w.word.strip() for w in words] or transcript.text.split()
    owner: list[KeyPointResult | None] = [None] * len(tokens)
    timed = has_times(words)
    normalized = [_norm(t) for t in tokens]
    for kp in score.key_points:
        if not kp.covered:
            continue
        hits: list[int] = []
        if timed and kp.start is not None and kp.end is not None:
            hits = [i for i, w in enumerate(words)
                    if w.start >= kp.start - 0.02 and w.end <= kp.end + 0.02  # type: ignore[operator]
                    and owner[i] is None]
        if not hits:
            hits = _find_sequence(normalized, [_norm(t) for t in kp.evidence.split()], owner)
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
        return Span(" ".join(tokens))
    return Span(" ".join(tokens), kp.id, kp.text, start if start is not None else kp.start)


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
    asked: dict[str, Question] = {}
    for a in attempts:
        saved = store.load(a)
        if saved.question is not None:
            asked[a.question_id] = saved.question
        audio = store.data_dir / a.audio_path if a.audio_path else None
        groups.setdefault(a.question_id, []).append(AttemptReview(
            a, saved.transcript, saved.score, transcript_spans(saved.transcript, saved.score),
            audio if audio is not None and audio.is_file() else None))
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


# ---- terminal ------------------------------------------------------------

VERDICT_STYLE = {"better": "green", "worse": "red", "same": "dim"}


def render_sessions(console: Console, summaries: list[SessionSummary]) -> None:
    """The session list: newest first, with counts and averages."""
    if not summaries:
        console.print("No sessions yet. Start one with 'voiceprep practice'.")
        return
    table = Table(title=f"{len(summaries)} session(s), newest first", box=box.SIMPLE_HEAD,
                  pad_edge=False)
    table.add_column("session", style="cyan", no_wrap=True)
    table.add_column("answers", justify="right", no_wrap=True)
    table.add_column("questions", justify="right")
    table.add_column("coverage", justify="right")
    table.add_column("score", justify="right")
    table.add_column("pace", justify="right")
    table.add_column("fillers/min", justify="right")
    for s in summaries:
        answers = str(s.attempts) + (f" ({s.interrupted} cut)" if s.interrupted else "")
        table.add_row(s.id, answers, str(s.questions), format_percent(s.average_coverage),
                      format_number(s.average_score), format_number(s.average_words_per_minute),
                      format_number(s.average_fillers_per_minute, 1))
    console.print(table)


def highlighted(spans: tuple[Span, ...]) -> Text:
    """The transcript with key-point evidence in bold green."""
    text = Text()
    for i, span in enumerate(spans):
        if i:
            text.append(" ")
        text.append(span.text, style="bold green" if span.key_point else "")
    return text


def delivery_line(a: Attempt, score: Score) -> Text:
    by_word = counted(score.fillers.by_word)
    line = Text()
    line.append("time ", style="bold")
    line.append(f"{format_seconds(a.speaking_seconds)}")
    if a.target_min is not None and a.target_max is not None:
        line.append(f" (target {format_target((a.target_min, a.target_max))})")
    if a.timing:
        line.append(f" {a.timing}", style=TIMING_STYLE.get(a.timing, ""))
    line.append("  pace ", style="bold")
    line.append(f"{format_number(a.words_per_minute)} wpm")
    line.append("  fillers ", style="bold")
    rate = format_number(a.fillers_per_minute, 1)
    line.append(f"{a.filler_count if a.filler_count is not None else '-'}"
                f" ({rate}/min{': ' + by_word if by_word else ''})")
    line.append("  pauses ", style="bold")
    line.append(f"{a.pause_count if a.pause_count is not None else '-'}"
                f" (longest {format_number(a.longest_pause_seconds, 1)} s)")
    return line


def _attempt_cell(review: AttemptReview) -> Group:
    a = review.attempt
    covered, total = len(review.covered), len(review.score.key_points)
    head = Text.assemble(
        (f"Attempt {a.attempt_number}", "bold"), f"  {a.started_at[11:16]}  ",
        ("interrupted  " if a.status == "interrupted" else "", "yellow"),
        ("score ", "bold"), (f"{format_number(a.score)}", "bold magenta"),
        f"  coverage {format_percent(a.coverage)} ({covered}/{total})")
    parts: list[Any] = [head, highlighted(review.spans) if review.spans
                        else Text("(nothing was heard)", style="dim")]
    for kp in review.missed:
        parts.append(Text.assemble(("✗ missed: ", "red"), kp.text,
                                   (" (required)" if kp.required else "", "bold red")))
    parts.append(delivery_line(a, review.score))
    if review.audio is None and a.audio_path:
        parts.append(Text(f"recording missing: {a.audio_path}", style="yellow"))
    return Group(*parts)


def comparison_table(question: QuestionReview) -> Table:
    """Attempts of one question side by side, each figure with its change from the last try."""
    table = Table(title="attempts compared", title_justify="left", box=box.SIMPLE_HEAD,
                  pad_edge=False)
    table.add_column("#", justify="right")
    for metric in COMPARED:
        table.add_column(metric.label, justify="right", no_wrap=True)
    table.add_column("key points", overflow="fold", min_width=12)
    for row in question.comparison():
        cells: list[Any] = [str(row["attempt_number"])]
        for metric in COMPARED:
            cell = Text(metric.format(row[metric.key]))
            change = row[metric.key + "_change"]
            if change is not None:
                cell.append(f" ({metric.format_change(change)})",
                            style=VERDICT_STYLE.get(row[metric.key + "_verdict"], ""))
            cells.append(cell)
        changes = Text()
        for kp in row.get("newly_covered", []):
            changes.append(f"+{kp} ", style="green")
        for kp in row.get("no_longer_covered", []):
            changes.append(f"-{kp} ", style="red")
        cells.append(changes)
        table.add_row(*cells)
    return table


def render_review(console: Console, review: SessionReview) -> None:
    """Each question: every attempt beside the reference answer, and retries compared."""
    s = review.session
    console.print(Text.assemble(("Session ", "bold"), (s.id, "bold cyan"),
                                f"  {s.started_at[:16].replace('T', ' ')}  {s.bank_title}"))
    if not review.questions:
        console.print("No answers were recorded in this session.")
    for q in review.questions:
        console.rule(Text.assemble((q.question_id, "cyan"), f" · {q.category} · "
                                   f"target {format_target(q.target_seconds)}"))
        console.print(Text(q.prompt, style="bold"))
        table = Table(box=box.ROUNDED, expand=True, show_lines=True)
        table.add_column("your answer", ratio=3)
        table.add_column("reference answer", ratio=2, style="dim")
        for i, attempt in enumerate(q.attempts):
            table.add_row(_attempt_cell(attempt), Text(q.reference) if i == 0 else "")
        console.print(table)
        if len(q.attempts) > 1:
            console.print(comparison_table(q))
