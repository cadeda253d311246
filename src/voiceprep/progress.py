"""Am I getting better? Per-session averages over time and their trends (drawn by render.py in
the terminal and by chart.py as a PNG)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .errors import StoreError
from .metrics import (
    COVERAGE,
    FILLERS,
    HEDGES,
    PACE,
    PACE_AIM,
    PITCH_RANGE,
    SCORE,
    SPEAKING_TIME,
    TRENDED,
    Metric,
    distance_outside,
    rounded,
)
from .store import Attempt, Store


@dataclass(frozen=True)
class SessionPoint:
    """One session's averages over its complete attempts (of the chosen question/category)."""

    session_id: str
    started_at: str
    attempts: int
    coverage: float | None
    score: float | None
    words_per_minute: float | None
    speaking_seconds: float | None
    target_min: float | None
    target_max: float | None
    seconds_off_target: float | None  # mean distance of speaking time outside the target range
    on_target: float | None  # share of attempts whose speaking time was within the target
    fillers_per_minute: float | None
    hedges_per_minute: float | None = None
    pitch_range_semitones: float | None = None  # None when no answer had its audio measured

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Trend:
    metric: str
    first: float | None
    last: float | None
    change: float | None  # last - first
    slope: float | None  # least-squares change per session
    direction: str  # "improving" | "worse" | "steady" | "not enough sessions"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Progress:
    points: tuple[SessionPoint, ...]
    trends: tuple[Trend, ...]
    question_id: str | None = None
    category: str | None = None

    @property
    def scope(self) -> str:
        if self.question_id:
            return f"question {self.question_id}"
        if self.category:
            return f"category {self.category}"
        return "all questions"

    def trend(self, metric: str) -> Trend:
        return next(t for t in self.trends if t.metric == metric)

    def to_dict(self) -> dict[str, Any]:
        return {"question_id": self.question_id, "category": self.category,
                "pace_band": list(PACE_AIM),
                "sessions": [p.to_dict() for p in self.points],
                "trends": {t.metric: t.to_dict() for t in self.trends}}


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _point(session_id: str, started_at: str, attempts: list[Attempt]) -> SessionPoint:
    def values(key: str) -> list[float]:
        return [getattr(a, key) for a in attempts if getattr(a, key) is not None]

    timed = [a for a in attempts if a.speaking_seconds is not None
             and a.target_min is not None and a.target_max is not None]
    off = [distance_outside(a.speaking_seconds, a.target_min, a.target_max)  # type: ignore[arg-type]
           for a in timed]
    def average(metric: Metric) -> float | None:
        return metric.rounded(_mean(values(metric.key)))

    return SessionPoint(
        session_id=session_id, started_at=started_at, attempts=len(attempts),
        coverage=average(COVERAGE), score=average(SCORE), words_per_minute=average(PACE),
        speaking_seconds=average(SPEAKING_TIME),
        target_min=rounded(_mean(values("target_min")), 1),
        target_max=rounded(_mean(values("target_max")), 1),
        seconds_off_target=rounded(_mean(off), 1),
        on_target=rounded(_mean([1.0 if d == 0 else 0.0 for d in off]), 3),
        fillers_per_minute=average(FILLERS), hedges_per_minute=average(HEDGES),
        pitch_range_semitones=average(PITCH_RANGE),
    )


def _slope(values: list[float]) -> float:
    n = len(values)
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    num = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    den = sum((x - mean_x) ** 2 for x in range(n))
    return num / den if den else 0.0


def _goodness(metric: Metric, attempts: list[Attempt]) -> float | None:
    """A session's mean goodness on this figure (higher is better): the one rule of metrics."""
    scores = [metric.goodness(value, (a.target_min, a.target_max)
                              if a.target_min is not None and a.target_max is not None else None)
              for a in attempts if (value := getattr(a, metric.key)) is not None]
    return _mean(scores)


def _trend(points: list[SessionPoint], groups: list[list[Attempt]], metric: Metric) -> Trend:
    series = [getattr(p, metric.key) for p in points if getattr(p, metric.key) is not None]
    if not series:
        return Trend(metric.key, None, None, None, None, "not enough sessions")
    first, last = series[0], series[-1]
    if len(series) < 2:
        return Trend(metric.key, first, last, None, None, "not enough sessions")
    slope = _slope(series)
    goodness = [g for group in groups if (g := _goodness(metric, group)) is not None]
    fitted_change = _slope(goodness) * (len(goodness) - 1)
    direction = ("improving" if fitted_change > metric.tolerance
                 else "worse" if fitted_change < -metric.tolerance else "steady")
    return Trend(metric.key, first, last, round(last - first, 4), round(slope, 4), direction)


def compute_progress(store: Store, question_id: str | None = None,
                     category: str | None = None, until_session: str | None = None) -> Progress:
    """Per-session averages in chronological order, and each figure's trend."""
    sessions = {s.id: s.session for s in store.sessions()}
    # Follow-up answers are scored on the missed points alone: they are not comparable.
    attempts = [a for a in store.attempts(question_id=question_id, category=category)
                if a.status == "complete" and a.follow_up_of is None]
    if until_session is not None:
        cutoff = sessions[until_session].started_at
        attempts = [a for a in attempts if sessions[a.session_id].started_at <= cutoff]
    if not attempts and (question_id or category):
        what = f"question '{question_id}'" if question_id else f"category '{category}'"
        raise StoreError(f"no complete answers to {what} in {store.data_dir} yet")
    by_session: dict[str, list[Attempt]] = {}
    for a in attempts:
        by_session.setdefault(a.session_id, []).append(a)
    ordered = sorted(by_session.items(), key=lambda item: (sessions[item[0]].started_at, item[0]))
    points = [_point(sid, sessions[sid].started_at, group) for sid, group in ordered]
    groups = [group for _, group in ordered]
    trends = tuple(_trend(points, groups, metric) for metric in TRENDED)
    return Progress(tuple(points), trends, question_id, category)
