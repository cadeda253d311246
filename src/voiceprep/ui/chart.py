"""The progress chart as a PNG: six panels (coverage, pace, speaking time, fillers and hedges per
minute, pitch range), one point per session (per period in a long history), drawn with
matplotlib."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voiceprep.errors import StoreError
from voiceprep.files import write_private
from voiceprep.history.progress import Progress
from voiceprep.scoring.metrics import PACE_AIM

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn
    from matplotlib.figure import Figure

MAX_POINTS = 300  # a longer history is drawn by day, week, month... (progress.PERIODS)
MAX_LABELS = 12
MAX_MARKERS = 60


def chart_png(progress: Progress, *, dpi: int = 100) -> bytes:
    """A 3x2 PNG: coverage, pace (with the aimed band), speaking time (with the target range),
    fillers and hedges per minute and pitch range, one point per session or period."""
    buffer = io.BytesIO()
    chart_figure(progress, dpi=dpi).savefig(buffer, format="png")
    return buffer.getvalue()


def chart_figure(progress: Progress, *, dpi: int = 100) -> Figure:
    """The chart's matplotlib figure (see chart_png)."""
    # The object API with the Agg canvas: no pyplot, no global backend, no display needed.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if not progress.points:
        raise StoreError("no sessions to chart yet")
    points = progress.points
    x = list(range(len(points)))
    if progress.period != "session":
        labels = [p.session_id for p in points]
    else:
        labels = [p.started_at[5:10] for p in points]
        if len(set(labels)) < len(labels):  # several sessions a day: tell them apart by time
            labels = [p.started_at[5:16].replace("T", " ") for p in points]
    # A label on every point past a dozen is a black smear: every n-th one, the last included.
    step = -(-len(x) // MAX_LABELS)
    ticks = x[::-1][::step][::-1]
    fig = Figure(figsize=(10, 9), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    by = "" if progress.period == "session" else f", by {progress.period}"
    fig.suptitle(f"voiceprep progress: {progress.scope}{by}", fontsize=13)
    axes = fig.subplots(3, 2, sharex=True)

    def panel(ax: Any, metric: str, title: str, scale: float = 1.0, color: str = "C0") -> None:
        ys = [None if getattr(p, metric) is None else getattr(p, metric) * scale for p in points]
        ax.plot(x, [float("nan") if y is None else y for y in ys], color=color, linewidth=2,
                marker="o" if len(x) <= MAX_MARKERS else None)
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
    panel(axes[2][0], "hedges_per_minute", "Hedges per minute", 1, "C4")
    axes[2][0].set_ylim(bottom=0)
    panel(axes[2][1], "pitch_range_semitones", "Pitch range (semitones)", 1, "C5")
    axes[2][1].set_ylim(bottom=0)
    for ax in axes[-1]:
        ax.set_xticks(ticks, [labels[i] for i in ticks], rotation=30 if len(ticks) > 8 else 0,
                      fontsize=8)
    if len(x) == 1:
        for row in axes:
            for ax in row:
                ax.set_xlim(-0.5, 0.5)
    return fig


def write_chart(progress: Progress, path: Path) -> Path:
    """Write the PNG chart to `path`."""
    path = Path(path)
    try:
        write_private(path, chart_png(progress), make_folder=True)
    except OSError as e:
        raise StoreError(f"cannot write the chart to {path}: {e.strerror}") from e
    return path
