"""Spaced repetition: when each question, and each key point a person keeps missing, is due
again, by the FSRS algorithm (the `fsrs` package).

The schedule is not stored: it is replayed from the history every time, so answers recorded
before it existed count, a re-scored answer counts as re-scored, and nothing can drift out of
step with the attempts on disk. Every complete scored answer is one review of its question,
rated from its score (`rating_of`); a key point missed in MISSES_FOR_A_CARD answers gets a card
of its own, reviewed by every later answer to its question and every follow-up that asks about
it (made: Good, missed again: Again).

Intervals are whole days: no same-day learning steps (an interview answer is practised once or
twice a day, not every ten minutes), and no random fuzz, so the plan is the same each time it
is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fsrs import Card, Rating, Scheduler

from voiceprep.bank.questions import Question
from voiceprep.errors import StoreError
from voiceprep.history.store import Store
from voiceprep.scoring.score import Score

# A point missed in this many answers is one the person keeps missing: it is scheduled itself.
MISSES_FOR_A_CARD = 2
# The rating rule's thresholds: below AGAIN_BELOW of the points the answer is not known yet,
# from GOOD_FROM on it is, and all of them within the target time is easy.
AGAIN_BELOW = 0.5
GOOD_FROM = 0.8
RATING_NAMES = {Rating.Again: "again", Rating.Hard: "hard", Rating.Good: "good",
                Rating.Easy: "easy"}


def _scheduler() -> Scheduler:
    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


@dataclass(frozen=True)
class Review:
    """One scored answer as the schedule sees it."""

    question_id: str
    at: datetime  # aware
    coverage: float
    missed_required: bool
    timing: str | None  # "short", "ok", "long" or None (typed: time not judged)
    covered: tuple[str, ...]  # key point ids
    missed: tuple[str, ...]
    follow_up: bool = False  # an answer to a follow-up question: it reviews the points only

    @classmethod
    def of_score(cls, score: Score, at: datetime, follow_up: bool = False) -> Review:
        return cls(question_id=score.question_id, at=at, coverage=score.coverage,
                   missed_required=bool(score.missed_required), timing=score.timing,
                   covered=tuple(k.id for k in score.key_points if k.covered),
                   missed=tuple(k.id for k in score.key_points if not k.covered),
                   follow_up=follow_up)


RATING_RULE = (
    "Again when a required point was missed or under half the points were made; Hard when "
    "under 80% were made, or the time was outside the target; Easy when every point was made "
    "within the target time; Good otherwise (80% or more, within time, or typed).")


def rating_of(review: Review) -> Rating:
    """RATING_RULE: Again when a required point was missed or under half the points were made;
    Hard when under 80% were made, or the time was outside the target; Easy when every point
    was made within the target time; Good otherwise (80% or more, within time or typed)."""
    if review.missed_required or review.coverage < AGAIN_BELOW:
        return Rating.Again
    if review.coverage < GOOD_FROM or review.timing in ("short", "long"):
        return Rating.Hard
    if review.coverage >= 1.0 and review.timing == "ok":
        return Rating.Easy
    return Rating.Good


@dataclass(frozen=True)
class Due:
    """A question of the plan: when it is due, and which of its points are due with it."""

    question_id: str
    due: datetime | None  # None: never practised (due now)
    recall: float  # FSRS's predicted chance of recall now (0 when never practised)
    reviews: int
    points: tuple[str, ...] = ()  # key points due by the same day (ones that keep being missed)

    @property
    def new(self) -> bool:
        return self.reviews == 0

    def to_dict(self) -> dict[str, Any]:
        return {"question_id": self.question_id,
                "due": self.due.isoformat(timespec="minutes") if self.due else None,
                "recall": round(self.recall, 3), "reviews": self.reviews, "new": self.new,
                "points": list(self.points)}


@dataclass
class Schedule:
    """The cards replayed from the reviews: one per question, one per key point kept missing."""

    questions: dict[str, Card] = field(default_factory=dict)
    points: dict[tuple[str, str], Card] = field(default_factory=dict)
    reviews: dict[str, int] = field(default_factory=dict)
    misses: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, review: Review, scheduler: Scheduler | None = None) -> None:
        """One review, in time order."""
        scheduler = scheduler or _scheduler()
        at = review.at.astimezone(UTC)
        qid = review.question_id
        if not review.follow_up:
            card = self.questions.get(qid) or Card(card_id=len(self.questions) + 1, due=at)
            self.questions[qid], _ = scheduler.review_card(card, rating_of(review), at)
            self.reviews[qid] = self.reviews.get(qid, 0) + 1
        for kp in review.missed:
            key = (qid, kp)
            self.misses[key] = self.misses.get(key, 0) + 1
            if key in self.points or self.misses[key] >= MISSES_FOR_A_CARD:
                card = self.points.get(key) or Card(card_id=100000 + len(self.points), due=at)
                self.points[key], _ = scheduler.review_card(card, Rating.Again, at)
        for kp in review.covered:
            key = (qid, kp)
            if key in self.points:
                self.points[key], _ = scheduler.review_card(self.points[key], Rating.Good, at)

    def kept_missing(self, question_id: str) -> tuple[str, ...]:
        """The key points of a question that have cards of their own."""
        return tuple(kp for q, kp in self.points if q == question_id)

    def due(self, question_id: str, now: datetime) -> Due:
        """When a question is next due: its own card or the earliest of its points' cards."""
        card = self.questions.get(question_id)
        if card is None:
            return Due(question_id, None, 0.0, 0)
        scheduler = _scheduler()
        cards = [card, *(c for (q, _), c in self.points.items() if q == question_id)]
        due = min(c.due for c in cards)
        # The chance of recall by the end of today: fsrs counts whole days elapsed, so at the
        # time itself a card reviewed yesterday at a later hour would count as just reviewed.
        today_end = _day_end(now.date(), now).astimezone(UTC)
        recall = min(scheduler.get_card_retrievability(c, today_end) for c in cards)
        day_end = _day_end(due.astimezone(now.tzinfo).date(), now)
        points = tuple(kp for (q, kp), c in self.points.items()
                       if q == question_id and c.due <= day_end)
        return Due(question_id, due, recall, self.reviews.get(question_id, 0), points)


def build_schedule(reviews: Iterable[Review]) -> Schedule:
    """Replay the reviews, oldest first."""
    schedule = Schedule()
    scheduler = _scheduler()
    for review in sorted(reviews, key=lambda r: r.at):
        schedule.add(review, scheduler)
    return schedule


def _day_end(day: date, now: datetime) -> datetime:
    """The end of a local day, as an aware datetime."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=now.tzinfo)


# Due questions beyond this many days of sessions are a backlog the sessions cannot clear.
BACKLOG_DAYS = 4


def due_order(schedule: Schedule, questions: Sequence[Question], now: datetime,
              count: int | None = None) -> list[Due]:
    """Every question, in the order to practise them (`count`: questions a session asks):
    never practised ones first (in bank order); then what is due today, the least known first
    (the lowest stability of the question's own card), or, when more is due than BACKLOG_DAYS
    sessions of `count` can ask, the likeliest to be recalled first (its points included); then
    the questions not yet due, the least known first.

    Least known first comes back to what is weakest whatever its date. A backlog is triaged the
    other way, as FSRS's own simulations order one: the least likely are nearly lost already,
    and asking them every day would leave the rest to fade. The question's own card decides
    "least known": a point missed again is put back to a day each time, and would keep its
    question at the front. benchmarks/schedule_sim.py compares the rule with the other orders."""
    today_end = _day_end(now.date(), now)
    items = [(i, schedule.due(q.id, now)) for i, q in enumerate(questions)]
    new = [d for _, d in items if d.new]
    old = [(i, d, schedule.questions[d.question_id].stability or 0.0)
           for i, d in items if not d.new]
    due = [x for x in old if x[1].due is not None and x[1].due <= today_end]
    later = [x for x in old if x not in due]
    if count is not None and len(due) > BACKLOG_DAYS * count:
        due.sort(key=lambda x: (-x[1].recall, x[0]))
    else:
        due.sort(key=lambda x: (x[2], x[0]))
    later.sort(key=lambda x: (x[2], x[0]))
    return new + [d for _, d, _ in due] + [d for _, d, _ in later]


def is_due_today(d: Due, now: datetime) -> bool:
    """Never practised, or due by the end of today."""
    return d.due is None or d.due <= _day_end(now.date(), now)


@dataclass(frozen=True)
class BankPlan:
    bank: str  # the bank file the questions come from
    today: tuple[Due, ...]  # due today, in the order --due asks them (new ones last)
    upcoming: tuple[tuple[date, tuple[Due, ...]], ...]  # the next days, each with its questions

    def to_dict(self) -> dict[str, Any]:
        return {"bank": self.bank, "today": [d.to_dict() for d in self.today],
                "upcoming": [{"date": day.isoformat(), "questions": [d.to_dict() for d in dues]}
                             for day, dues in self.upcoming]}


@dataclass(frozen=True)
class Plan:
    today: date
    days: int
    banks: tuple[BankPlan, ...]
    rule: str = RATING_RULE

    @property
    def due_today(self) -> int:
        return sum(len(b.today) for b in self.banks)

    def to_dict(self) -> dict[str, Any]:
        return {"today": self.today.isoformat(), "days": self.days,
                "due_today": self.due_today, "rating_rule": self.rule,
                "banks": [b.to_dict() for b in self.banks]}


def make_plan(schedule: Schedule, questions: Sequence[Question], now: datetime,
              days: int = 7) -> Plan:
    """What is due today and on each of the next `days` days, per bank file."""
    by_bank: dict[str, list[Question]] = {}
    for q in questions:
        by_bank.setdefault(q.source or "bank", []).append(q)
    banks = []
    for name, qs in by_bank.items():
        ordered = due_order(schedule, qs, now)
        today = tuple(d for d in ordered if is_due_today(d, now))
        upcoming = []
        for n in range(1, days + 1):
            day = now.date() + timedelta(days=n)
            dues = tuple(d for d in ordered if d.due is not None
                         and d.due.astimezone(now.tzinfo).date() == day)
            if dues:
                upcoming.append((day, dues))
        banks.append(BankPlan(name, today, tuple(upcoming)))
    return Plan(now.date(), days, tuple(banks))


def reviews_from_store(store: Store) -> list[Review]:
    """Every complete scored answer of the history as a review (follow-ups review points only);
    an answer whose files cannot be read counts from its indexed coverage alone."""
    reviews = []
    for a in store.attempts():
        if a.status != "complete" or a.coverage is None:
            continue
        at = datetime.fromisoformat(a.started_at)
        at = at if at.tzinfo else at.astimezone()
        try:
            score = store.load(a).score
        except StoreError:
            reviews.append(Review(a.question_id, at, a.coverage, False, a.timing, (), (),
                                  follow_up=a.follow_up_of is not None))
            continue
        reviews.append(Review.of_score(score, at, follow_up=a.follow_up_of is not None))
    return reviews


def schedule_of(store: Store) -> Schedule:
    """The schedule replayed from a data directory's history."""
    return build_schedule(reviews_from_store(store))
