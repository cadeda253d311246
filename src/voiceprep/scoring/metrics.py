"""The figures of an answer that voiceprep tracks, each defined once: its key, label, unit,
which way is better, the change that counts as a real move, how it is shown, and its target band
and why. Scoring, review, progress, the HTML report and the renderers read these definitions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Conversational interview pace: faster reads as rushed, slower as hesitant. Review and progress
# compare answers with it, and the charts draw it.
PACE_AIM = (120.0, 160.0)
PACE_AIM_REASON = "a conversational interview pace: faster reads as rushed, slower as hesitant"
# The scorer takes points off only outside a band 10 words/min wider on each side: pace is counted
# from recognised words, and a recogniser that misses 7% of the words of a 140 wpm answer moves it
# by 10 wpm, which should not cost points.
PACE_SCORED = (110.0, 170.0)
PACE_SCORED_REASON = ("the aim widened by 10 wpm each side, so that recognition errors in the "
                      "word count do not cost points")
# Up to 3 fillers a minute go unnoticed in conversation; the scorer counts only the rest.
FILLERS_SCORED = (0.0, 3.0)
FILLERS_SCORED_REASON = "up to 3 a minute go unnoticed in conversation"


def rounded(value: float | None, digits: int) -> float | None:
    """round(), passing None through."""
    return None if value is None else round(value, digits)


def distance_outside(value: float, low: float, high: float) -> float:
    """How far a value lies outside [low, high]; 0 inside."""
    return low - value if value < low else value - high if value > high else 0.0


def format_seconds(seconds: float | None, missing: str = "-") -> str:
    """1:05 style; `missing` when unknown."""
    if seconds is None:
        return missing
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def format_percent(value: float | None, missing: str = "-") -> str:
    """0.875 -> '88%'."""
    return missing if value is None else f"{round(value * 100)}%"


def format_number(value: float | None, digits: int = 0, missing: str = "-") -> str:
    return missing if value is None else f"{value:.{digits}f}"


def format_counts(counts: dict[str, int]) -> str:
    """'um ×3, uh ×1': most frequent first."""
    return ", ".join(f"{w} ×{n}" for w, n in sorted(counts.items(), key=lambda x: -x[1]))


def format_target(target: Sequence[float]) -> str:
    """A target time range: '1:00-2:00'."""
    return f"{format_seconds(target[0])}-{format_seconds(target[1])}"


@dataclass(frozen=True)
class Metric:
    key: str  # the attribute / JSON key it is stored under
    label: str
    unit: str  # shown after the number when asked for ("wpm", "/min"); "" when the form says it
    better: str  # "higher", "lower", "band" (closer to `band`), "target" (closer to the target)
    tolerance: float  # a change smaller than this, fitted over sessions, is "steady"
    precision: int  # decimals kept in stored averages
    shown: str = "number"  # "number", "percent" (of a 0-1 fraction) or "seconds" (m:ss)
    digits: int = 0  # decimals shown
    band: tuple[float, float] | None = None  # for better == "band": the range aimed for
    band_reason: str = ""

    def format(self, value: float | None, *, unit: bool = False, missing: str = "-") -> str:
        """The value as the user reads it: 88%, 1:05, 140 (140 wpm with the unit)."""
        if value is None:
            return missing
        if self.shown == "percent":
            return format_percent(value)
        if self.shown == "seconds":
            return format_seconds(value)
        return format_number(value, self.digits) + (
            f"{'' if self.unit.startswith('/') else ' '}{self.unit}" if unit and self.unit else "")

    def format_change(self, change: float) -> str:
        """+25 (coverage points), -0.8 (fillers/min), +12 (others); ±0 when it rounds to nothing."""
        scaled = change * 100 if self.shown == "percent" else change
        digits = 0 if self.shown != "number" else self.digits
        if round(scaled, digits) == 0:
            return "±0"
        return f"{scaled:+.{digits}f}"

    def rounded(self, value: float | None) -> float | None:
        return rounded(value, self.precision)

    def goodness(self, value: float, target: tuple[float, float] | None = None) -> float:
        """How good a value is on one scale where higher is better: the value, its negative, or
        minus its distance outside the band (the question's target for "target")."""
        if self.better == "higher":
            return value
        if self.better == "lower":
            return -value
        low, high = target if self.better == "target" and target else self.band or (value, value)
        return -distance_outside(value, low, high)

    def verdict(self, before: float | None, after: float | None,
                target: tuple[float, float] | None = None) -> str | None:
        """'better', 'worse' or 'same' for a change of this figure; None without both values."""
        if before is None or after is None:
            return None
        change = self.goodness(after, target) - self.goodness(before, target)
        return "better" if change > 1e-9 else "worse" if change < -1e-9 else "same"


COVERAGE = Metric("coverage", "coverage", "%", "higher", tolerance=0.05, precision=4,
                  shown="percent")
SCORE = Metric("score", "score", "", "higher", tolerance=5.0, precision=1)
SPEAKING_TIME = Metric("speaking_seconds", "time", "", "target", tolerance=1.0,
                       precision=1, shown="seconds")
PACE = Metric("words_per_minute", "pace", "wpm", "band", tolerance=5.0, precision=1,
              band=PACE_AIM, band_reason=PACE_AIM_REASON)
FILLERS = Metric("fillers_per_minute", "fillers/min", "/min", "lower", tolerance=0.5, precision=2,
                 digits=1)
HEDGES = Metric("hedges_per_minute", "hedges/min", "/min", "lower", tolerance=0.5, precision=2,
                digits=1)
# Wider is livelier; a flat voice spans a semitone or two (pitch.py).
PITCH_RANGE = Metric("pitch_range_semitones", "pitch range", "st", "higher", tolerance=0.5,
                     precision=1, digits=1)

# The figures compared between attempts of a question, in the order they are shown.
COMPARED = (COVERAGE, SCORE, SPEAKING_TIME, PACE, FILLERS)
# The figures whose trend over sessions progress follows.
TRENDED = (COVERAGE, PACE, SPEAKING_TIME, FILLERS, HEDGES, PITCH_RANGE)
# Hedges and pitch range are followed over sessions but not compared between retries (the
# comparison table must fit 80 columns).

# ---- getting to the point (content figures: where in the answer the key points were made) ----

# A key point is made by a sentence, not by the few words that matched it: speech within this
# many seconds of a point's words counts as near it (a sentence at 150 words a minute lasts
# five to eight seconds, and the matched words sit inside it).
NEAR_POINT_SECONDS = 5.0
NEAR_POINT_REASON = ("a point is made by a sentence (5-8 s at 150 wpm) around the words that "
                     "matched it")

FIRST_POINT = Metric("first_point_seconds", "to first point", "", "lower", tolerance=2.0,
                     precision=1, shown="seconds")
ON_POINT = Metric("on_point_share", "near a point", "%", "higher", tolerance=0.05,
                  precision=3, shown="percent")
LONGEST_DRIFT = Metric("longest_drift_seconds", "longest off point", "", "lower", tolerance=2.0,
                       precision=1, shown="seconds")
COULD_STOP = Metric("could_stop_at_seconds", "could stop at", "", "lower", tolerance=2.0,
                    precision=1, shown="seconds")
# Getting to the point, in the order they are shown.
FOCUS = (FIRST_POINT, ON_POINT, LONGEST_DRIFT, COULD_STOP)

BY_KEY = {m.key: m for m in (*COMPARED, *TRENDED, *FOCUS)}
