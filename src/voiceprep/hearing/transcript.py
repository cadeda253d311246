"""What speech recognition produces and the scorer consumes: words with timestamps."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Word:
    word: str
    start: float | None = None
    end: float | None = None
    probability: float | None = None

    @property
    def middle(self) -> float:
        """The middle of the word's time (seconds; an untimed word is at 0)."""
        return ((self.start or 0.0) + (self.end or 0.0)) / 2

    def to_dict(self) -> dict[str, Any]:
        return {"word": self.word, "start": self.start, "end": self.end,
                "probability": self.probability}


def has_times(words: Sequence[Word]) -> bool:
    """Whether these words carry start and end times (recognised speech, not typed text)."""
    return bool(words) and all(w.start is not None and w.end is not None for w in words)


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Transcript:
    """A transcript. Typed text has words without times; recognised speech has times."""

    text: str
    words: tuple[Word, ...] = ()
    segments: tuple[Segment, ...] = ()
    duration_seconds: float | None = None

    @property
    def has_timestamps(self) -> bool:
        return has_times(self.words)

    @classmethod
    def from_text(cls, text: str) -> Transcript:
        """A typed or pasted transcript: words split on whitespace, no timestamps."""
        text = " ".join(text.split())
        return cls(text=text, words=tuple(Word(w) for w in re.findall(r"\S+", text)))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Transcript:
        return cls(
            text=d.get("text", ""),
            words=tuple(Word(**w) for w in d.get("words", [])),
            segments=tuple(Segment(**s) for s in d.get("segments", [])),
            duration_seconds=d.get("duration_seconds"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "duration_seconds": self.duration_seconds,
            "segments": [s.to_dict() for s in self.segments],
            "words": [w.to_dict() for w in self.words],
        }
