"""Transcript + Question -> Score: key-point coverage, timing, pace, fillers, pauses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .bank import Question
from .transcript import Transcript


@dataclass(frozen=True)
class ScoringOptions:
    long_pause_seconds: float = 2.0
    # filled in by the scorer implementation (match thresholds etc.)


@dataclass(frozen=True)
class KeyPointResult:
    id: str
    text: str
    covered: bool
    confidence: int  # 0-100
    evidence: str  # the transcript words that matched ("" when missed)
    start: float | None
    end: float | None
    required: bool
    weight: float = 1.0
    phrase: str = ""  # the bank phrase that matched

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "text": self.text, "covered": self.covered,
            "confidence": self.confidence, "evidence": self.evidence,
            "start": self.start, "end": self.end, "required": self.required,
            "weight": self.weight, "phrase": self.phrase,
        }


@dataclass(frozen=True)
class Fillers:
    count: int
    per_minute: float
    by_word: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "per_minute": self.per_minute, "by_word": dict(self.by_word)}


@dataclass(frozen=True)
class Pauses:
    count: int
    longest_seconds: float
    threshold_seconds: float = 2.0

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "longest_seconds": self.longest_seconds,
                "threshold_seconds": self.threshold_seconds}


@dataclass(frozen=True)
class Score:
    question_id: str
    transcript: str
    coverage: float  # 0-1, weighted share of key points covered
    score: int  # 0-100 overall
    key_points: tuple[KeyPointResult, ...]
    missed_required: tuple[str, ...]
    speaking_seconds: float | None
    words: int
    words_per_minute: float | None
    timing: str | None  # "short" | "ok" | "long" (None when there is no timing information)
    target_seconds: tuple[int, int]
    fillers: Fillers
    pauses: Pauses
    repeated_words: tuple[tuple[str, int], ...] = ()
    delivery_score: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "transcript": self.transcript,
            "coverage": self.coverage,
            "score": self.score,
            "delivery_score": self.delivery_score,
            "key_points": [k.to_dict() for k in self.key_points],
            "missed_required": list(self.missed_required),
            "speaking_seconds": self.speaking_seconds,
            "words": self.words,
            "words_per_minute": self.words_per_minute,
            "timing": self.timing,
            "target_seconds": list(self.target_seconds),
            "fillers": self.fillers.to_dict(),
            "pauses": self.pauses.to_dict(),
            "repeated_words": [{"word": w, "count": c} for w, c in self.repeated_words],
        }


def score(question: Question, transcript: Transcript,
          options: ScoringOptions = ScoringOptions()) -> Score:
    """Score one answer against its question."""
    raise NotImplementedError
