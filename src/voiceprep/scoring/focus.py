"""Getting to the point: where in an answer its key points were made.

Four content figures, from the words' times and the covered key points (delivery figures, such
as pace or fillers, are apart, in score.py and delivery.py):

* first_point_seconds: from the first word to the start of the first key point made;
* on_point_share: the share of the speaking time within NEAR_POINT_SECONDS (metrics.py) of the
  words that made a key point;
* longest_drift: the longest stretch of the answer near no key point, with when it began and
  ended, so it can be played back;
* could_stop_at_seconds: for an answer longer than its target, the time (from the first word)
  by which every point it made had been made, where it could have ended.

Typed text has no times: none of them is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from voiceprep.scoring.metrics import NEAR_POINT_SECONDS


@dataclass(frozen=True)
class Stretch:
    start: float  # seconds into the recording
    end: float

    @property
    def seconds(self) -> float:
        return round(self.end - self.start, 1)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "seconds": self.seconds}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Stretch:
        return cls(start=d["start"], end=d["end"])


@dataclass(frozen=True)
class Focus:
    first_point_seconds: float | None = None  # None: no point made, or no times
    on_point_share: float | None = None
    longest_drift: Stretch | None = None  # None: every moment was near a point, or no times
    could_stop_at_seconds: float | None = None  # None unless the answer ran over its target
    answer_start: float | None = None  # when the first word began, in the recording
    near_seconds: float = NEAR_POINT_SECONDS

    @property
    def longest_drift_seconds(self) -> float | None:
        return self.longest_drift.seconds if self.longest_drift else None

    @property
    def could_stop_at(self) -> float | None:
        """The moment in the recording where the answer could have stopped."""
        if self.could_stop_at_seconds is None or self.answer_start is None:
            return None
        return round(self.answer_start + self.could_stop_at_seconds, 2)

    def to_dict(self) -> dict[str, Any]:
        return {"first_point_seconds": self.first_point_seconds,
                "on_point_share": self.on_point_share,
                "longest_drift": self.longest_drift.to_dict() if self.longest_drift else None,
                "could_stop_at_seconds": self.could_stop_at_seconds,
                "answer_start": self.answer_start, "near_seconds": self.near_seconds}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Focus:
        return cls(first_point_seconds=d["first_point_seconds"],
                   on_point_share=d["on_point_share"],
                   longest_drift=(Stretch.from_dict(d["longest_drift"])
                                  if d.get("longest_drift") else None),
                   could_stop_at_seconds=d["could_stop_at_seconds"],
                   answer_start=d.get("answer_start"),
                   near_seconds=d.get("near_seconds", NEAR_POINT_SECONDS))


def measure_focus(answer: tuple[float, float] | None, points: Sequence[tuple[float, float]],
                  target_seconds: tuple[int, int],
                  near_seconds: float = NEAR_POINT_SECONDS) -> Focus:
    """The figures of an answer spoken from answer[0] to answer[1] (None: no times), whose key
    points were made by the words spoken over `points` (start, end)."""
    if answer is None:
        return Focus(near_seconds=near_seconds)
    first, last = answer
    span = last - first
    if span <= 0:
        return Focus(answer_start=first, near_seconds=near_seconds)
    near = _union([(max(first, a - near_seconds), min(last, b + near_seconds))
                   for a, b in points])
    covered = sum(b - a for a, b in near)
    gaps = []
    cursor = first
    for a, b in near:
        if a > cursor:
            gaps.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < last:
        gaps.append((cursor, last))
    drift = max(gaps, key=lambda g: g[1] - g[0], default=None)
    made_by = max((b for _, b in points), default=None)
    return Focus(
        first_point_seconds=(round(min(a for a, _ in points) - first, 1) if points else None),
        on_point_share=round(covered / span, 3),
        longest_drift=(Stretch(round(drift[0], 2), round(drift[1], 2))
                       if drift and drift[1] - drift[0] > 0 else None),
        could_stop_at_seconds=(round(made_by - first, 1)
                               if made_by is not None and span > target_seconds[1] else None),
        answer_start=round(first, 2), near_seconds=near_seconds)


def _union(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(i for i in intervals if i[1] > i[0]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
