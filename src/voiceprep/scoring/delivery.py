"""Delivery figures beyond the averages: hedging language, repeated phrases, and pace and
fillers over the course of an answer.

Hedges ("maybe", "kind of", "I think", "I'm not sure"...) are counted where they are said, each
once: a longer hedge wins over a shorter one inside it ("I'm not sure" is not also "not sure"),
and none counts before "about", "of", "over" or "under" ("I think about", "a little over").
Repeated phrases are runs of two to four words said three or more times, leaving out fillers,
runs of stopwords only ("in the"), hedges (counted on their own) and the words of the question's
key-point phrases (which the speaker is meant to say); a phrase inside a longer repeated phrase
that is said as often is not listed again.
Pace over time cuts the speaking time into about 15 s windows of equal length and counts the
words (by their middle) and fillers (by their first word) of each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from voiceprep.hearing.transcript import Word
from voiceprep.normalize import STOPWORDS, Token, phrase_tokens

HEDGES = (
    "maybe", "perhaps", "probably", "possibly", "kind of", "sort of", "i think", "i guess",
    "i suppose", "i believe", "i feel like", "i'm not sure", "not sure", "a little", "a bit",
    "somewhat", "more or less", "sort of like",
)
# "I think about reliability", "a little over three years": the hedge's words, not a hedge.
NOT_HEDGE_BEFORE = frozenset({"about", "of", "over", "under"})


@dataclass(frozen=True)
class Hedges:
    count: int
    per_minute: float | None  # None when the transcript has no times
    by_phrase: dict[str, int] = field(default_factory=dict)
    at: tuple[float, ...] = ()  # when each hedge was said, in seconds (empty for typed text)

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "per_minute": self.per_minute,
                "by_phrase": dict(self.by_phrase), "at": list(self.at)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Hedges:
        return cls(count=d["count"], per_minute=d["per_minute"], by_phrase=dict(d["by_phrase"]),
                   at=tuple(d.get("at", ())))


@dataclass(frozen=True)
class PaceWindow:
    start: float
    end: float
    words_per_minute: float
    fillers: int

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end,
                "words_per_minute": self.words_per_minute, "fillers": self.fillers}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PaceWindow:
        return cls(start=d["start"], end=d["end"], words_per_minute=d["words_per_minute"],
                   fillers=d["fillers"])


def find_hedges(tokens: Sequence[Token], words: Sequence[Word], speaking_seconds: float | None,
                hedges: Sequence[str] = HEDGES) -> Hedges:
    """Count the hedges in an answer's tokens, longest phrase first, each word used once."""
    forms = sorted(((h, [t.text for t in phrase_tokens(h)]) for h in hedges),
                   key=lambda item: -len(item[1]))
    texts = [t.text for t in tokens]
    used = [False] * len(texts)
    found: list[tuple[int, str]] = []
    for hedge, form in forms:
        n = len(form)
        for i in range(len(texts) - n + 1):
            if (texts[i:i + n] == form and not any(used[i:i + n])
                    and (i + n == len(texts) or texts[i + n] not in NOT_HEDGE_BEFORE)):
                used[i:i + n] = [True] * n
                found.append((i, hedge))
    found.sort()
    by_phrase = Counter(h for _, h in found)
    times = tuple(t for i, _ in found if (t := words[tokens[i].first].start) is not None)
    per_minute = round(len(found) / speaking_seconds * 60, 2) if speaking_seconds else None
    return Hedges(count=len(found), per_minute=per_minute,
                  by_phrase=dict(by_phrase.most_common()),
                  at=tuple(round(t, 1) for t in times) if speaking_seconds else ())


def repeated_phrases(tokens: Sequence[Token], key_phrases: Sequence[str],
                     hedges: Sequence[str] = HEDGES, min_count: int = 3,
                     top: int = 5) -> tuple[tuple[str, int], ...]:
    """Two- to four-word phrases said at least `min_count` times, most frequent first."""
    texts = [t.text for t in tokens]
    excluded = [[t.text for t in phrase_tokens(p)] for p in (*key_phrases, *hedges)]
    # Every run of words inside a key phrase or a hedge, looked up instead of searched for.
    inside_excluded = {tuple(e[i:i + n]) for e in excluded for n in (2, 3, 4)
                       for i in range(len(e) - n + 1)}
    counts: Counter[tuple[str, ...]] = Counter()
    for n in (2, 3, 4):
        for i in range(len(texts) - n + 1):
            gram = tuple(texts[i:i + n])
            if gram in inside_excluded or all(w in STOPWORDS for w in gram):
                continue
            counts[gram] += 1
    frequent = {g: c for g, c in counts.items() if c >= min_count}
    kept = [(g, c) for g, c in frequent.items()
            if not any(len(o) > len(g) and oc >= c and _inside(g, list(o))
                       for o, oc in frequent.items())]
    kept.sort(key=lambda item: (-item[1], -len(item[0]), item[0]))
    return tuple((" ".join(g), c) for g, c in kept[:top])


def _inside(gram: tuple[str, ...], phrase: list[str]) -> bool:
    n = len(gram)
    return any(tuple(phrase[i:i + n]) == gram for i in range(len(phrase) - n + 1))


def pace_over_time(words: Sequence[Word], filler_starts: Sequence[int],
                   window_seconds: float = 15.0) -> tuple[PaceWindow, ...] | None:
    """Words per minute and fillers in consecutive windows of about `window_seconds`; None
    without word times. `filler_starts` are the indexes of the words that begin a filler."""
    if not words or any(w.start is None or w.end is None for w in words):
        return None
    # From the earliest start, not the first word's: merged or edited transcripts are not
    # always in time order.
    first = min(float(w.start) for w in words)  # type: ignore[arg-type]
    last = max(float(w.end) for w in words)  # type: ignore[arg-type]
    span = last - first
    if span <= 0:
        return None
    count = max(1, round(span / window_seconds))
    width = span / count
    spoken = [0] * count
    fillers = [0] * count
    starts = set(filler_starts)
    for i, w in enumerate(words):
        middle = (float(w.start) + float(w.end)) / 2  # type: ignore[arg-type]
        k = min(count - 1, max(0, int((middle - first) / width)))  # an end before its start
        if any(c.isalnum() for c in w.word):
            spoken[k] += 1
        if i in starts:
            fillers[k] += 1
    return tuple(
        PaceWindow(start=round(first + k * width, 1), end=round(first + (k + 1) * width, 1),
                   words_per_minute=round(spoken[k] / width * 60, 1), fillers=fillers[k])
        for k in range(count))
