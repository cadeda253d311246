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
from markupsafe import Markup, escape

from voiceprep.audio.load import encode_opus
from voiceprep.errors import StoreError
from voiceprep.files import write_private
from voiceprep.history.progress import compute_progress
from voiceprep.history.review import review_session
from voiceprep.history.store import Session, Store
from voiceprep.scoring.delivery import PaceWindow
from voiceprep.scoring.metrics import (
    BY_KEY,
    COMPARED,
    PACE_SCORED,
    format_counts,
    format_number,
    format_percent,
    format_seconds,
)
from voiceprep.scoring.score import Score
from voiceprep.scoring.timeline import timeline_of
from voiceprep.ui.chart import MAX_POINTS, chart_png

TEMPLATES = Path(__file__).parent / "templates"
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


TIMELINE_WIDTH = 640
MARK_COLOURS = {"point": "#1a7f37", "star": "#8250df", "quantity": "#0969da",
                "filler": "#cf222e", "hedge": "#bc4c00", "pause": "#0550ae"}
PACE_COLOURS = {"ok": "#aceebb", "slow": "#ffd8b5", "fast": "#ffb3b3"}


def timeline_svg(score: Score, audio_id: str | None) -> Markup | None:
    """The answer's timeline as inline SVG: content marks on the top row (key points, STAR
    parts, the quantified result; the longest stretch near no point shaded), delivery marks on
    the row below (fillers, hedges, long pauses; flat pitch shaded), pace as coloured bands under
    them. A mark with a recording to play carries data-start: clicking it plays that moment."""
    timeline = timeline_of(score)
    if timeline is None or timeline.seconds <= 0:
        return None
    width, left = TIMELINE_WIDTH, 70
    inner = width - left - 10

    def x(t: float) -> float:
        share = min(1.0, max(0.0, (t - timeline.start) / timeline.seconds))
        return round(left + share * inner, 1)

    def playable(t: float) -> str:
        return (f' data-start="{t:.2f}" data-audio="{escape(audio_id)}" tabindex="0" '
                f'role="button"' if audio_id else "")

    parts = [f'<svg class="timeline" viewBox="0 0 {width} 100" width="{width}" height="100" '
             f'role="img" aria-label="timeline of the answer">',
             '<text x="0" y="24" font-size="11" fill="#656d76">content</text>',
             '<text x="0" y="56" font-size="11" fill="#656d76">delivery</text>',
             '<text x="0" y="79" font-size="11" fill="#656d76">pace</text>',
             f'<rect x="{left}" y="10" width="{inner}" height="22" fill="#f6f8fa"/>',
             f'<rect x="{left}" y="42" width="{inner}" height="22" fill="#f6f8fa"/>']
    for band in timeline.bands:
        w = max(1.0, x(band.end) - x(band.start))
        label = escape(band.label)
        if band.kind == "drift":
            parts.append(f'<rect class="drift" x="{x(band.start)}" y="10" width="{w}" '
                         f'height="22" fill="#fff1c2" stroke="#d4a72c" stroke-dasharray="3 2"'
                         f'{playable(band.start)}><title>{label}</title></rect>')
        elif band.kind == "monotone":
            parts.append(f'<rect class="monotone" x="{x(band.start)}" y="42" width="{w}" '
                         f'height="22" fill="#d0d7de" opacity="0.6"{playable(band.start)}>'
                         f'<title>{label} {format_seconds(band.start)}-'
                         f'{format_seconds(band.end)}</title></rect>')
        else:
            parts.append(f'<rect class="pace-{band.level}" x="{x(band.start)}" y="70" '
                         f'width="{w}" height="12" fill="{PACE_COLOURS[band.level]}"'
                         f'{playable(band.start)}><title>{format_seconds(band.start)}-'
                         f'{format_seconds(band.end)}: {label}</title></rect>')
    for mark in timeline.marks:
        cx, colour = x(mark.at), MARK_COLOURS[mark.kind]
        title = f"<title>{format_seconds(mark.at)} {escape(mark.label)}</title>"
        if mark.kind == "point":
            shape = f'<circle cx="{cx}" cy="21" r="6" fill="{colour}"/>'
        elif mark.kind == "star":
            shape = (f'<rect x="{cx - 7}" y="13" width="14" height="16" rx="3" fill="{colour}"/>'
                     f'<text x="{cx}" y="25" font-size="11" text-anchor="middle" fill="#fff">'
                     f'{escape(mark.label[:1].upper())}</text>')
        elif mark.kind == "quantity":
            shape = (f'<text x="{cx}" y="30" font-size="13" font-weight="700" '
                     f'text-anchor="middle" fill="{colour}">#</text>')
        elif mark.kind == "pause":
            w = max(2.0, x(mark.end or mark.at) - cx)
            shape = f'<rect x="{cx}" y="47" width="{w}" height="12" fill="{colour}" opacity="0.5"/>'
        elif mark.kind == "hedge":
            shape = f'<path d="M{cx - 5} 60 L{cx} 47 L{cx + 5} 60 Z" fill="{colour}"/>'
        else:
            shape = f'<rect x="{cx - 1.5}" y="45" width="3" height="16" fill="{colour}"/>'
        parts.append(f'<g class="mark mark-{mark.kind}"{playable(mark.at)}>{title}{shape}</g>')
    parts.append(f'<text x="{left}" y="96" font-size="10" fill="#656d76">'
                 f'{format_seconds(timeline.start)}</text>')
    parts.append(f'<text x="{left + inner}" y="96" font-size="10" text-anchor="end" '
                 f'fill="#656d76">{format_seconds(timeline.end)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _environment() -> Environment:
    # Autoescape everything: bank text and transcripts are user text.
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(number=_number, seconds=format_seconds, show=_show, counts=format_counts,
                       change=_change, pace_chart=pace_chart_svg, timeline=timeline_svg,
                       percent=format_percent)
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
    path = Path(output) if output else session.report
    html = render_report(store, session, page_dir=path.parent)
    try:
        write_private(path, html, make_folder=True)
    except OSError as e:
        raise StoreError(f"cannot write the report to {path}: {e.strerror}") from e
    return path
