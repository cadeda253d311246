"""One self-contained HTML file per session: audio players, highlighted transcripts, missed
points, delivery figures, reference answers and progress charts, with nothing loaded from
elsewhere (audio and charts are embedded as data URIs; in a session of hundreds of answers, the
recordings past the first hour or so are linked from the data directory instead)."""

from __future__ import annotations

import base64
import mimetypes
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from .audio import encode_opus
from .chart import MAX_POINTS, chart_png
from .delivery import PaceWindow
from .errors import StoreError
from .files import private_dir, write_private
from .metrics import (
    BY_KEY,
    COMPARED,
    PACE_SCORED,
    format_counts,
    format_number,
    format_seconds,
)
from .progress import compute_progress
from .review import review_session
from .store import Session, Store

TEMPLATES = Path(__file__).parent / "templates"
REPORTS_DIR = "reports"
# About 80 minutes of speech as Opus, base64-encoded: a whole session at every question's longest
# target time is embedded; past this, recordings are linked.
EMBEDDED_AUDIO_BYTES = 20_000_000


def audio_data_uri(path: Path | None) -> str | None:
    """The recording as a data URI: Opus in Ogg (about a tenth of a 16 kHz WAV), or the file's
    own bytes when it cannot be decoded."""
    if path is None or not Path(path).is_file():
        return None
    try:
        payload, mime = encode_opus(Path(path)), "audio/ogg"
    except Exception:  # noqa: BLE001 - PyAV raises many types; the page still gets the file
        payload = Path(path).read_bytes()
        mime = mimetypes.guess_type(str(path))[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def _number(value: float | None, digits: int = 0) -> str:
    return format_number(value, digits, missing="–")


def _show(key: str, value: float | None) -> str:
    return BY_KEY[key].format(value, missing="–")


def _change(key: str, change: float) -> str:
    return BY_KEY[key].format_change(change)


def pace_chart_svg(windows: tuple[PaceWindow, ...] | None) -> Markup | None:
    """Words per minute over the answer as an inline SVG bar chart (one bar per window, the
    fillers said in it written above), with the scored pace band shaded; None for under two
    windows."""
    if not windows or len(windows) < 2:
        return None
    width, height = 36 * len(windows), 90
    top = max(240.0, *(w.words_per_minute for w in windows))
    low, high = PACE_SCORED

    def y(wpm: float) -> float:
        return round(height - wpm / top * (height - 14), 1)

    parts = [f'<svg class="pace" viewBox="0 0 {width} {height + 14}" width="{width}" '
             f'height="{height + 14}" role="img" aria-label="words per minute over the answer">',
             f'<rect x="0" y="{y(high)}" width="{width}" height="{y(low) - y(high)}" '
             f'fill="#dafbe1"/>']
    for i, w in enumerate(windows):
        x = 36 * i + 4
        colour = "#1a7f37" if low <= w.words_per_minute <= high else "#9a6700"
        parts.append(f'<rect x="{x}" y="{y(w.words_per_minute)}" width="28" '
                     f'height="{height - y(w.words_per_minute)}" fill="{colour}"><title>'
                     f'{format_seconds(w.start)}–{format_seconds(w.end)}: '
                     f'{w.words_per_minute:.0f} wpm, {w.fillers} filler(s)</title></rect>')
        if w.fillers:
            parts.append(f'<text x="{x + 14}" y="{y(w.words_per_minute) - 2}" '
                         f'text-anchor="middle" font-size="10" fill="#cf222e">{w.fillers}</text>')
        parts.append(f'<text x="{x + 14}" y="{height + 11}" text-anchor="middle" '
                     f'font-size="9" fill="#656d76">{format_seconds(w.start)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _environment() -> Environment:
    # Autoescape everything: bank text and transcripts are user text.
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(number=_number, seconds=format_seconds, show=_show, counts=format_counts,
                       change=_change, pace_chart=pace_chart_svg)
    return env


def embedded_audio(recordings: list[tuple[int, Path | None]], page_dir: Path | None,
                   budget: int = EMBEDDED_AUDIO_BYTES) -> dict[int, str | None]:
    """Each recording (by attempt id) as a data URI, in order, while they fit in `budget`
    bytes; the ones after that as a link to the file (relative to `page_dir` when given), so
    that a session of hundreds of answers still makes a page a browser opens."""
    sources: dict[int, str | None] = {}
    for attempt_id, path in recordings:
        if path is None or not Path(path).is_file():
            sources[attempt_id] = None
            continue
        uri = audio_data_uri(path) if budget > 0 else None
        if uri is not None and len(uri) <= budget:
            budget -= len(uri)
            sources[attempt_id] = uri
            continue
        budget = 0
        if page_dir is None:
            sources[attempt_id] = Path(path).resolve().as_uri()
        else:
            sources[attempt_id] = quote(Path(os.path.relpath(Path(path).resolve(),
                                                             page_dir.resolve())).as_posix())
    return sources


def render_report(store: Store, session: Session, *, charts: bool = True,
                  page_dir: Path | None = None) -> str:
    """The HTML of one session's report (links to recordings past the embedded ones are
    relative to `page_dir`, where the page will be, when given)."""
    review = review_session(store, session)
    summary = next(iter(store.sessions(session_id=session.id)), None)
    if summary is None:
        raise StoreError(f"no session '{session.id}'")
    audio = embedded_audio([(r.attempt.id, r.audio) for q in review.questions
                            for attempt in q.attempts for r in (attempt, *attempt.follow_ups)],
                           page_dir)
    chart, progress = None, None
    if charts:
        progress = compute_progress(store, until_session=session.id, most_points=MAX_POINTS)
        if progress.points:
            chart = base64.b64encode(chart_png(progress)).decode("ascii")
    context: dict[str, Any] = {
        "session": session, "summary": summary, "questions": review.questions,
        "started": session.started_at[:16].replace("T", " "),
        "answers": sum(len(q.attempts) for q in review.questions),
        "audio": audio, "chart": chart, "progress": progress,
        "has_marks": any(s.key_point and s.start is not None for q in review.questions
                         for r in q.attempts for s in r.spans),
        "compared": COMPARED, "labels": {key: m.label for key, m in BY_KEY.items()},
        "trend_class": {"improving": "better", "worse": "worse", "steady": "same"},
    }
    return _environment().get_template("report.html.j2").render(context)


def write_report(store: Store, session: Session, output: Path | None = None) -> Path:
    """Write the report (default <data-dir>/reports/<session>.html) and return its path."""
    path = Path(output) if output else store.data_dir / REPORTS_DIR / f"{session.id}.html"
    html = render_report(store, session, page_dir=path.parent)
    try:
        private_dir(path.parent)
        write_private(path, html)
    except OSError as e:
        raise StoreError(f"cannot write the report to {path}: {e.strerror}") from e
    return path
