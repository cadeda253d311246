"""Am I getting better? Per-session averages over time, their trends, and charts of them
(a terminal chart, and a PNG of four panels drawn with matplotlib)."""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .errors import StoreError
from .metrics import (
    COVERAGE,
    FILLERS,
    PACE,
    PACE_AIM,
    SCORE,
    SPEAKING_TIME,
    TRENDED,
    Metric,
    distance_outside,
    format_target,
    rounded,
)
from .store import Attempt, Store

SPARKS = "▁▂▃▄▅▆▇█"


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
        fillers_per_minute=average(FILLERS),
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
    attempts = [a for a in store.attempts(question_id=question_id, category=category)
                if a.status == "complete"]
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


# ---- terminal ------------------------------------------------------------

TREND_STYLE = {"improving": "bold green", "worse": "bold red", "steady": "yellow"}


def sparkline(values: list[float | None]) -> str:
    """One block character per value, scaled between the smallest and the largest."""
    present = [v for v in values if v is not None]
    if not present:
        return ""
    low, high = min(present), max(present)
    span = high - low
    return "".join(" " if v is None else SPARKS[3] if span == 0
                   else SPARKS[round((v - low) / span * (len(SPARKS) - 1))] for v in values)


def _bar(fraction: float, width: int = 10) -> str:
    full = max(0, min(width, round(fraction * width)))
    return "█" * full + "·" * (width - full)


def render_progress(console: Console, progress: Progress) -> None:
    """Sessions in order with a coverage bar per session, then each figure's trend."""
    if not progress.points:
        console.print("No complete answers yet. Practise with 'voiceprep practice'.")
        return
    table = Table(title=f"Progress over {len(progress.points)} session(s): {progress.scope}",
                  box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("session", style="cyan", no_wrap=True)
    table.add_column("answers", justify="right", no_wrap=True)
    table.add_column("coverage", no_wrap=True)
    table.add_column("pace", justify="right", no_wrap=True)
    table.add_column("time / target", justify="right", no_wrap=True)
    table.add_column("fillers", justify="right", no_wrap=True)
    for p in progress.points:
        cov = p.coverage or 0.0
        coverage = Text(_bar(cov), style="green" if cov >= 0.7 else "yellow" if cov >= 0.4
                        else "red")
        coverage.append(f" {COVERAGE.format(p.coverage):>4}", style="")
        pace = Text(PACE.format(p.words_per_minute, unit=True),
                    style="" if p.words_per_minute is None
                    or not PACE.goodness(p.words_per_minute) else "yellow")
        time = Text(SPEAKING_TIME.format(p.speaking_seconds))
        if p.target_min is not None and p.target_max is not None:
            time.append(f" / {format_target((p.target_min, p.target_max))}",
                        style="green" if p.seconds_off_target == 0 else "yellow")
        table.add_row(p.started_at[5:16].replace("T", " "), str(p.attempts), coverage, pace,
                      time, FILLERS.format(p.fillers_per_minute, unit=True))
    console.print(table)
    trends = Table(box=box.SIMPLE_HEAD, title="Trend (first → last session)",
                   title_justify="left")
    trends.add_column("figure")
    trends.add_column("first", justify="right")
    trends.add_column("last", justify="right")
    trends.add_column("over sessions", no_wrap=True)
    trends.add_column("trend")
    for metric in TRENDED:
        t = progress.trend(metric.key)
        note = {"band": f" (aim {PACE_AIM[0]:.0f}-{PACE_AIM[1]:.0f})",
                "target": " (vs target)", "lower": " (fewer is better)"}.get(metric.better, "")
        trends.add_row(metric.label + note, metric.format(t.first, unit=True),
                       metric.format(t.last, unit=True),
                       sparkline([getattr(p, metric.key) for p in progress.points]),
                       Text(t.direction, style=TREND_STYLE.get(t.direction, "dim")))
    console.print(trends)


# ---- PNG chart -----------------------------------------------------------

def chart_png(progress: Progress, *, dpi: int = 100) -> bytes:
    """A 2x2 PNG: coverage, pace (with the aimed band), speaking time (with the target range)
    and fillers per minute, one point per session."""
    # The object API with the Agg canvas: no pyplot, no global backend, no display needed.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if not progress.points:
        raise StoreError("no sessions to chart yet")
    points = progress.points
    x = list(range(len(points)))
    labels = [p.started_at[5:10] for p in points]
    if len(set(labels)) < len(labels):  # several sessions a day: tell them apart by time
        labels = [p.started_at[5:16].replace("T", " ") for p in points]
    fig = Figure(figsize=(10, 6.5), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    fig.suptitle(f"voiceprep progress: {progress.scope}", fontsize=13)
    axes = fig.subplots(2, 2, sharex=True)

    def panel(ax: Any, metric: str, title: str, scale: float = 1.0, color: str = "C0") -> None:
        ys = [None if getattr(p, metric) is None else getattr(p, metric) * scale for p in points]
        ax.plot(x, [float("nan") if y is None else y for y in ys], marker="o", color=color,
                linewidth=2)
        trend = progress.trend(metric)
        ax.set_title(f"{title}: {trend.direction}", fontsize=11, loc="left")
        ax.grid(True, alpha=0.3)

    panel(axes[0][0], "coverage", "Key-point coverage (%)", 100, "C2")
    axes[0][0].set_ylim(0, 105)
    panel(axes[0][1], "words_per_minute", "Pace (words/min)", 1, "C0")
    axes[0][1].axhspan(*PACE_AIM, color="C2", alpha=0.12, label="aim")
    axes[0][1].legend(loc="upper right", fontsize=8)
    panel(axes[1][0], "speaking_seconds", "Speaking time (s)", 1, "C1")
    low = [float("nan") if p.target_min is None else p.target_min for p in points]
    high = [float("nan") if p.target_max is None else p.target_max for p in points]
    axes[1][0].fill_between(x, low, high, color="C2", alpha=0.12, step="mid", label="target")
    axes[1][0].legend(loc="upper right", fontsize=8)
    axes[1][0].set_ylim(bottom=0)
    panel(axes[1][1], "fillers_per_minute", "Fillers per minute", 1, "C3")
    axes[1][1].set_ylim(bottom=0)
    for ax in axes[1]:
        ax.set_xticks(x, labels, rotation=30 if len(x) > 8 else 0, fontsize=8)
    if len(x) == 1:
        for row in axes:
            for ax in row:
                ax.set_xlim(-0.5, 0.5)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def write_chart(progress: Progress, path: Path) -> Path:
    """Write the PNG chart to `path`."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(chart_png(progress))
    except OSError as e:
        raise StoreError(f"cannot write the chart to {path}: {e.strerror}") from e
    return path
