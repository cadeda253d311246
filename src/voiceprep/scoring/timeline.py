"""One timeline of an answer: what was said when (key points, STAR parts, the longest stretch
near no point) and how (fillers, hedges, long pauses, pace and flat pitch over the answer), for
the HTML report and the terminal to draw. Content and delivery stay on separate rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from voiceprep.scoring.metrics import PACE_SCORED, format_seconds
from voiceprep.scoring.score import Score


@dataclass(frozen=True)
class Mark:
    row: str  # "content" or "delivery"
    kind: str  # point, star, quantity, filler, hedge, pause
    at: float  # seconds into the recording
    label: str
    end: float | None = None  # for a pause

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "kind": self.kind, "at": self.at, "end": self.end,
                "label": self.label}


@dataclass(frozen=True)
class Band:
    kind: str  # drift (content), pace, monotone (delivery)
    start: float
    end: float
    label: str
    level: str = ""  # pace: "slow", "ok" or "fast"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "label": self.label,
                "level": self.level}


@dataclass(frozen=True)
class Timeline:
    start: float
    end: float
    marks: tuple[Mark, ...]
    bands: tuple[Band, ...]

    @property
    def seconds(self) -> float:
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "marks": [m.to_dict() for m in self.marks],
                "bands": [b.to_dict() for b in self.bands]}


def timeline_of(score: Score) -> Timeline | None:
    """The timeline of a scored answer; None for typed text (no times)."""
    if score.focus.answer_start is None or score.speaking_seconds is None:
        return None
    start = score.focus.answer_start
    end = round(start + score.speaking_seconds, 2)
    marks: list[Mark] = []
    for k in score.key_points:
        if k.covered and k.start is not None:
            marks.append(Mark("content", "point", k.start, f"{k.text}: “{k.evidence}”"))
    if score.star is not None:
        for part in score.star.parts:
            if part.present and part.start is not None:
                marks.append(Mark("content", "star", part.start,
                                  f"{part.name}: “{'; '.join(part.evidence)}”"))
        if score.star.quantity_at is not None:
            marks.append(Mark("content", "quantity", score.star.quantity_at,
                              f"result quantified: “{score.star.quantity}”"))
    marks.extend(Mark("delivery", "filler", t, "filler") for t in score.filler_times)
    marks.extend(Mark("delivery", "hedge", t, "hedge") for t in score.hedges.at)
    marks.extend(Mark("delivery", "pause", a, f"pause {b - a:.1f} s", end=b)
                 for a, b in score.long_pauses)
    bands: list[Band] = []
    drift = score.focus.longest_drift
    if drift is not None:
        bands.append(Band("drift", drift.start, drift.end,
                          f"longest stretch near no key point: {drift.seconds:.0f} s "
                          f"({format_seconds(drift.start)}-{format_seconds(drift.end)})"))
    slow, fast = PACE_SCORED
    for w in score.pace_over_time or ():
        level = "slow" if w.words_per_minute < slow else "fast" if w.words_per_minute > fast \
            else "ok"
        bands.append(Band("pace", w.start, w.end, f"{w.words_per_minute:.0f} wpm", level))
    if score.pitch is not None:
        bands.extend(Band("monotone", a, b, "flat pitch") for a, b in
                     score.pitch.monotone_stretches)
    return Timeline(start, end, tuple(sorted(marks, key=lambda m: m.at)), tuple(bands))


# The terminal's characters: a key point, a STAR part's initial, fillers, hedges, pauses.
STRIP_CHARS = {"point": "●", "filler": "f", "hedge": "h", "pause": "_"}


def strips(timeline: Timeline, width: int = 60) -> tuple[str, str]:
    """Two rows of `width` characters: content (● key point, S/T/A/R where a part began,
    ░ the longest stretch near no point) and delivery (f filler, h hedge, _ long pause)."""
    content = ["─"] * width
    delivery = ["·"] * width

    def column(t: float) -> int:
        span = timeline.seconds or 1.0
        return max(0, min(width - 1, int((t - timeline.start) / span * width)))

    for band in timeline.bands:
        if band.kind == "drift":
            for c in range(column(band.start), column(band.end) + 1):
                content[c] = "░"
    for mark in timeline.marks:
        c = column(mark.at)
        if mark.kind == "star":
            content[c] = mark.label[0].upper()
        elif mark.kind == "point":
            content[c] = STRIP_CHARS["point"]
        elif mark.kind == "pause":
            for p in range(c, column(mark.end or mark.at) + 1):
                delivery[p] = STRIP_CHARS["pause"]
        elif mark.row == "delivery":
            delivery[c] = STRIP_CHARS[mark.kind]
    return "".join(content), "".join(delivery)
