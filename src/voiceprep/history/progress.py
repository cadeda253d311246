"""Am I getting better? Per-session averages over time and their trends (drawn by ui/render.py in
the terminal and by ui/chart.py as a PNG). A long history is summed up by day, week, month, quarter
or year, the finest that gives at most the points asked for, so that what is drawn stays
readable and costs the same whatever the length of the history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from voiceprep.errors import StoreError
from voiceprep.history.store import Attempt, Store
from voiceprep.scoring.metrics import (
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


@dataclass(frozen=True)
class SessionPoint:
    """One session's averages over its complete attempts (of the chosen question/category), or,
    in a history summed up by period, one period's over the attempts of its sessions."""

    session_id: str  # the session's id, or the period's name ("2026-11-24", "2026-W48", "2026-11")
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
    sessions: int = 1  # the sessions this point sums up

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Trend:
    metric: str
    first: float | None
    last: float | None
    change: float | None  # last - first
    slope: float | None  # least-squares change per point (session or period)
    direction: str  # "improving" | "worse" | "steady" | "not enough sessions"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Progress:
    points: tuple[SessionPoint, ...]
    trends: tuple[Trend, ...]
    question_id: str | None = None
    category: str | None = None
    period: str = "session"  # what one point sums up: a session, or a day, week, month...
    sessions: int = 0  # the sessions of all the points

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
                "pace_band": list(PACE_AIM), "period": self.period,
                "sessions": [p.to_dict() for p in self.points],
                "trends": {t.metric: t.to_dict() for t in self.trends}}


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _point(session_id: str, started_at: str, attempts: list[Attempt],
           sessions: int = 1) -> SessionPoint:
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
        pitch_range_semitones=average(PITCH_RANGE), sessions=sessions,
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


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# Each period names the local day a session started on ("2026-11-24"), finest first.
PERIODS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("day", lambda day: day),
    ("week", lambda day: _week(date.fromisoformat(day))),
    ("month", lambda day: day[:7]),
    ("quarter", lambda day: f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}"),
    ("year", lambda day: day[:4]),
)


def compute_progress(store: Store, question_id: str | None = None,
                     category: str | None = None, until_session: str | None = None,
                     most_points: int | None = None) -> Progress:
    """Averages in chronological order, and each figure's trend over them: one point per
    session, or, past `most_points` sessions, per day, week, month, quarter or year (the
    finest period that gives at most `most_points`)."""
    sessions = store.session_index()
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
    ordered = sorted(by_session, key=lambda sid: (sessions[sid].started_at, sid))
    period, name_of = "session", {sid: sid for sid in ordered}
    if most_points is not None and len(ordered) > most_points:
        day_of = {sid: sessions[sid].started_at[:10] for sid in ordered}
        for period, name in PERIODS:
            names = {day: name(day) for day in set(day_of.values())}
            if len(set(names.values())) <= most_points or period == PERIODS[-1][0]:
                name_of = {sid: names[day] for sid, day in day_of.items()}
                break
    groups: dict[str, tuple[list[str], list[Attempt]]] = {}
    for sid in ordered:
        ids, grouped = groups.setdefault(name_of[sid], ([], []))
        ids.append(sid)
        grouped.extend(by_session[sid])
    points = [_point(name, sessions[ids[0]].started_at, grouped, len(ids))
              for name, (ids, grouped) in groups.items()]
    attempt_groups = [grouped for _, grouped in groups.values()]
    trends = tuple(_trend(points, attempt_groups, metric) for metric in TRENDED)
    return Progress(tuple(points), trends, question_id, category, period, len(ordered))
