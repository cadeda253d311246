"""Transcript (+ the answer's audio) + Question -> Score: key-point coverage, timing, pace,
fillers, pauses, hedges, repeated phrases, pace over time and pitch.

Overall score (0-100):

    score = round(coverage * (70 + 0.30 * delivery))
    capped at 60 when a required key point is missed

Delivery counts in proportion to coverage, so a fluent answer that makes none of the points
scores 0; a complete answer scores 70 to 100 depending on delivery.

coverage is the weighted share of key points covered (0-1). delivery starts at 100 and loses:
  * timing outside the target range: 10 + 40 x the relative distance outside it, at most 30
    (10% over the maximum: -14; half the minimum: -30);
  * pace outside 110-170 words per minute: 1 point per word/min outside, at most 30;
  * fillers above 3 per minute: 5 points per extra filler per minute, at most 25;
  * long pauses (gaps over 2 s): 5 points each, at most 15;
  * hedges above 2 per minute: 5 points per extra hedge per minute, at most 15;
  * monotone delivery (needs the audio): 15 x the share of the speaking time in monotone
    stretches (pitch.py), at most 15.
ScoringOptions.delivery_figures names the figures that count (all of them by default).
A typed transcript has no times: timing, pace and pauses are not judged (reported as None), the
filler and hedge rates are taken per word (2 per 100 words count as 3 per minute, a typical
pace), and without audio there is no pitch. An empty answer scores 0. Repeated phrases and pace
over time are shown, not scored: a repeated phrase is often the subject of the answer, and the
average pace is already judged. So are the content figures of getting to the point (focus.py) and
a story's STAR parts (star.py): they say where and how the points were made, which coverage
already counts.

Delivery figures: speaking time runs from the first word's start to the last word's end; words
counts every spoken word, fillers included (they take time too); fillers are um, uh, er, erm,
hmm, mm and ah, plus "you know", "I mean" and "like" only when set off by commas; a long pause
is a gap between two words longer than ScoringOptions.long_pause_seconds.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from voiceprep.bank.questions import KeyPoint, Question
from voiceprep.hearing.transcript import Transcript, Word, has_times
from voiceprep.normalize import (
    STOPWORDS,
    Token,
    bare_word,
    ends_sentence,
    filler_form,
    is_english_word,
    phrase_tokens,
    plain_quotes,
    tokens_of_words,
    written,
)
from voiceprep.scoring.delivery import (
    HEDGES,
    Hedges,
    PaceWindow,
    find_hedges,
    pace_over_time,
    repeated_phrases,
)
from voiceprep.scoring.focus import Focus, measure_focus
from voiceprep.scoring.matching import MatchOptions, PhraseMatch, is_number, match_phrase
from voiceprep.scoring.meaning import (
    NOT_DONE,
    MeaningOptions,
    match_meaning,
    meaning_available,
    rules_of,
    says_the_opposite,
)
from voiceprep.scoring.metrics import FILLERS_SCORED, PACE_SCORED
from voiceprep.scoring.pitch import (
    Pitch,
    PitchOptions,
    PitchTracker,
    measure_pitch,
    pitch_of_file,
)
from voiceprep.scoring.star import Star, find_star

FILLER_WORDS = ("um", "uh", "er", "erm", "hmm", "mm", "ah")
# Only counted when set off by punctuation (", you know,", "I mean, ...", ", like,"): said inside a
# sentence ("do you know", "what I mean", "I like") they are ordinary words.
SET_OFF_FILLERS = ("you know", "i mean", "like")
DELIVERY_FIGURES = ("timing", "pace", "fillers", "pauses", "hedges", "monotone")


@dataclass(frozen=True)
class ScoringOptions:
    """Everything the scorer can be tuned with; the defaults are the documented behaviour."""

    long_pause_seconds: float = 2.0
    pace_wpm: tuple[float, float] = PACE_SCORED  # no points off inside (metrics: why)
    fillers: tuple[str, ...] = FILLER_WORDS
    set_off_fillers: tuple[str, ...] = SET_OFF_FILLERS
    max_fillers_per_minute: float = FILLERS_SCORED[1]
    coverage_weight: float = 0.7  # the rest is delivery
    required_missed_cap: int = 60
    repeated_min_count: int = 3
    repeated_top: int = 5
    # Whisper's own probability for a word below this means it is nearly certainly not what was
    # said ("Grafana" at 0.007 in a clip of other words): such words alone never cover a point.
    min_word_probability: float = 0.05
    hedges: tuple[str, ...] = HEDGES
    max_hedges_per_minute: float = 2.0
    pace_window_seconds: float = 15.0
    delivery_figures: tuple[str, ...] = DELIVERY_FIGURES  # which penalties count
    match: MatchOptions = field(default_factory=MatchOptions)
    pitch: PitchOptions = field(default_factory=PitchOptions)
    # Coverage by meaning is opt-in (setting scoring.by_meaning): on the held-out answers it
    # finds too few paraphrased points for the precision it costs (docs/scoring.md).
    meaning: MeaningOptions | None = None  # None: phrases only
    # The key points marked by_meaning (those drafted from notes, whose phrases are the notes'
    # wording) are also covered by meaning, with these thresholds (tuned on the tuning part of
    # benchmarks/import_eval.py: the nearest to the labeled coverage that covers no point of an
    # off-topic answer there); None: phrases only for them too.
    point_meaning: MeaningOptions | None = field(
        default_factory=lambda: MeaningOptions(min_similarity=0.89, min_margin=0.0,
                                               figures_needed=True))
    # STAR parts are told by their openers, by the story's order and, with this, by the meaning
    # of each sentence (the sentence model; benchmarks/star_eval.py measures both).
    star_by_meaning: bool = True
    # A drafted point heard only as one of its one-word phrases ("checklist", "heparin", or a
    # name that is a word too: "Maze"), in one place, is covered only if the answer also says
    # another of its phrases, or says something this close to the point (the sentence model):
    # one word names the topic, any answer on it can say it. The importer cannot tell which
    # of the notes' words a person only says when making the point, as someone writing phrases
    # by hand does. None: one word is enough.
    one_word_meaning: MeaningOptions | None = field(
        default_factory=lambda: MeaningOptions(min_similarity=0.87, min_margin=0.0))
    # A phrase heard in a clause that says the speaker did not do it ("I've heard of double-entry,
    # but I've never implemented it") is no match, unless the reference says so too; the clause
    # is read this many words either way, at most. 0: a phrase is a match wherever it is said.
    not_done_reach: int = 12


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
    matched_by: str | None = None  # "phrase", "meaning" (said in other words) or None (missed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "text": self.text, "covered": self.covered,
            "confidence": self.confidence, "evidence": self.evidence,
            "start": self.start, "end": self.end, "required": self.required,
            "weight": self.weight, "phrase": self.phrase, "matched_by": self.matched_by,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> KeyPointResult:
        return cls(id=d["id"], text=d["text"], covered=d["covered"], confidence=d["confidence"],
                   evidence=d["evidence"], start=d["start"], end=d["end"],
                   required=d["required"], weight=d.get("weight", 1.0),
                   phrase=d.get("phrase", ""),
                   # scores saved before the meaning stage were all phrase matches
                   matched_by=d.get("matched_by", "phrase" if d["covered"] else None))


@dataclass(frozen=True)
class Fillers:
    count: int
    per_minute: float | None  # None when the transcript has no times
    by_word: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "per_minute": self.per_minute, "by_word": dict(self.by_word)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Fillers:
        return cls(count=d["count"], per_minute=d["per_minute"], by_word=dict(d["by_word"]))


@dataclass(frozen=True)
class Pauses:
    count: int | None  # gaps longer than threshold_seconds; None when the transcript has no times
    longest_seconds: float | None  # the longest gap between two words
    threshold_seconds: float = 2.0

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "longest_seconds": self.longest_seconds,
                "threshold_seconds": self.threshold_seconds}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Pauses:
        return cls(count=d["count"], longest_seconds=d["longest_seconds"],
                   threshold_seconds=d["threshold_seconds"])


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
    hedges: Hedges = field(default_factory=lambda: Hedges(0, None))
    repeated_phrases: tuple[tuple[str, int], ...] = ()
    pace_over_time: tuple[PaceWindow, ...] | None = None  # None without word times
    pitch: Pitch | None = None  # None without audio (typed text) or with too little voice
    # When each filler was said, and (start, end) of each long pause; empty for typed text and
    # in records saved before they were kept.
    filler_times: tuple[float, ...] = ()
    long_pauses: tuple[tuple[float, float], ...] = ()
    focus: Focus = field(default_factory=Focus)  # getting to the point (focus.py)
    star: Star | None = None  # the STAR parts, for a question whose answer is a story

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
            "hedges": self.hedges.to_dict(),
            "repeated_phrases": [{"phrase": p, "count": c} for p, c in self.repeated_phrases],
            "pace_over_time": (None if self.pace_over_time is None
                               else [w.to_dict() for w in self.pace_over_time]),
            "pitch": self.pitch.to_dict() if self.pitch else None,
            "filler_times": list(self.filler_times),
            "long_pauses": [list(p) for p in self.long_pauses],
            "focus": self.focus.to_dict(),
            "star": self.star.to_dict() if self.star else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Score:
        """The Score that `to_dict` gave `d` (other keys, such as a saved attempt's, are left)."""
        low, high = d["target_seconds"]
        return cls(
            question_id=d["question_id"], transcript=d["transcript"], coverage=d["coverage"],
            score=d["score"],
            key_points=tuple(KeyPointResult.from_dict(k) for k in d["key_points"]),
            missed_required=tuple(d["missed_required"]),
            speaking_seconds=d["speaking_seconds"], words=d["words"],
            words_per_minute=d["words_per_minute"], timing=d["timing"],
            target_seconds=(low, high), fillers=Fillers.from_dict(d["fillers"]),
            pauses=Pauses.from_dict(d["pauses"]),
            repeated_words=tuple((r["word"], r["count"]) for r in d.get("repeated_words", [])),
            delivery_score=d.get("delivery_score", 0),
            # Records saved before these figures existed have none of them.
            hedges=Hedges.from_dict(d["hedges"]) if "hedges" in d else Hedges(0, None),
            repeated_phrases=tuple((r["phrase"], r["count"])
                                   for r in d.get("repeated_phrases", [])),
            pace_over_time=(None if d.get("pace_over_time") is None else tuple(
                PaceWindow.from_dict(w) for w in d["pace_over_time"])),
            pitch=Pitch.from_dict(d["pitch"]) if d.get("pitch") else None,
            filler_times=tuple(d.get("filler_times", ())),
            long_pauses=tuple((a, b) for a, b in d.get("long_pauses", ())),
            focus=Focus.from_dict(d["focus"]) if d.get("focus") else Focus(),
            star=Star.from_dict(d["star"]) if d.get("star") else None,
        )


def score(question: Question, transcript: Transcript,
          options: ScoringOptions = ScoringOptions(), *,
          audio: Path | np.ndarray | PitchTracker | None = None) -> Score:
    """Score one answer against its question: key points covered, delivery, overall 0-100.

    `audio` is the answer's recording (a file, or 16 kHz mono samples, or the PitchTracker fed
    them as they were recorded) for the pitch figures; without it (typed text) there are none."""
    words = _spoken_words(transcript)
    texts = [w.word for w in words]
    tokens = tokens_of_words(texts)
    heard = {kp.id: _phrase_matches(kp, tokens, words, options, question.reference)
             for kp in question.key_points}
    results = tuple(_key_point_result(kp, heard[kp.id], tokens, words)
                    for kp in question.key_points)
    marked = ({kp.id for kp in question.key_points if kp.by_meaning}
              if options.point_meaning is not None else set())
    if (options.meaning is not None or marked) and meaning_available():
        # Words the recogniser itself nearly ruled out carry no meaning either.
        sure = [w for w in words
                if w.probability is None or w.probability >= options.min_word_probability]
        if marked and options.one_word_meaning is not None:
            results = _one_word_checked(question, results, heard, sure, options, marked)
        if options.meaning is not None:
            results = _with_meaning(question, results, sure, options.meaning)
        if marked and options.point_meaning is not None:
            results = _with_meaning(question, results, sure, options.point_meaning, marked)
    total_weight = sum(r.weight for r in results)
    coverage = (sum(r.weight for r in results if r.covered) / total_weight) if total_weight else 0.0
    missed_required = tuple(r.id for r in results if r.required and not r.covered)

    timed = has_times(words)
    speaking = _speaking_seconds(words) if timed else None
    word_count = sum(1 for t in texts if re.search(r"\w", t))
    wpm = round(word_count / speaking * 60, 1) if speaking else None
    timing = _timing(speaking, question.target_seconds) if speaking is not None else None
    fillers, filler_starts = _fillers(texts, speaking, options)
    pauses = _pauses(words, options.long_pause_seconds) if timed else Pauses(
        None, None, options.long_pause_seconds)
    hedges = find_hedges(tokens, words, speaking, options.hedges)
    pitch = _pitch(audio, options.pitch)
    delivery = delivery_score(
        word_count=word_count, speaking_seconds=speaking, target_seconds=question.target_seconds,
        words_per_minute=wpm, fillers=fillers, pauses=pauses, options=options, hedges=hedges,
        pitch=pitch)
    key_phrases = [p for kp in question.key_points for p in kp.phrases]
    made = [(r.start, r.end) for r in results
            if r.covered and r.start is not None and r.end is not None]
    focus = measure_focus(_answer_span(words) if timed else None, made,  # type: ignore[arg-type]
                          question.target_seconds)
    star = (find_star(words, by_meaning=options.star_by_meaning)
            if question.structure == "star" and words else None)
    overall = overall_score(coverage, delivery, bool(missed_required), word_count, options)
    return Score(
        question_id=question.id, transcript=transcript.text.strip() or " ".join(texts),
        coverage=round(coverage, 4), score=overall, key_points=results,
        missed_required=missed_required, speaking_seconds=speaking, words=word_count,
        words_per_minute=wpm, timing=timing, target_seconds=question.target_seconds,
        fillers=fillers, pauses=pauses, repeated_words=_repeated_words(texts, options),
        delivery_score=delivery, hedges=hedges,
        repeated_phrases=repeated_phrases(tokens, key_phrases, options.hedges,
                                          options.repeated_min_count, options.repeated_top),
        pace_over_time=pace_over_time(words, filler_starts, options.pace_window_seconds),
        pitch=pitch, focus=focus, star=star,
        filler_times=tuple(round(t, 1) for i in filler_starts
                           if (t := words[i].start) is not None) if timed else (),
        long_pauses=_long_pauses(words, options.long_pause_seconds) if timed else (),
    )


def _answer_span(words: list[Word]) -> tuple[float, float]:
    """From the earliest word's start to the latest word's end."""
    return (min(w.start for w in words if w.start is not None),
            max(w.end for w in words if w.end is not None))


def _pitch(audio: Path | np.ndarray | PitchTracker | None, options: PitchOptions
           ) -> Pitch | None:
    if audio is None:
        return None
    if isinstance(audio, PitchTracker):
        return audio.measure()
    if isinstance(audio, np.ndarray):
        return measure_pitch(audio, options=options)
    return pitch_of_file(Path(audio), options)


def overall_score(coverage: float, delivery: int, missed_required: bool, word_count: int,
                  options: ScoringOptions = ScoringOptions()) -> int:
    """coverage x (70 + 0.3 x delivery), capped when a required key point is missed.

    Delivery counts in proportion to coverage: a fluent answer that makes none of the points
    scores 0, not the whole delivery share."""
    if word_count == 0:
        return 0
    weight = options.coverage_weight
    value = round(coverage * (100 * weight + (1 - weight) * delivery))
    if missed_required:
        value = min(value, options.required_missed_cap)
    return max(0, min(100, value))


def delivery_score(*, word_count: int, speaking_seconds: float | None,
                   target_seconds: tuple[int, int], words_per_minute: float | None,
                   fillers: Fillers, pauses: Pauses,
                   options: ScoringOptions = ScoringOptions(), hedges: Hedges | None = None,
                   pitch: Pitch | None = None) -> int:
    """100 minus the penalties of the figures that count (see the module docstring)."""
    if word_count == 0:
        return 0
    counts = options.delivery_figures
    penalty = 0.0
    if speaking_seconds is not None and "timing" in counts:
        low, high = target_seconds
        if speaking_seconds < low:
            penalty += min(30.0, 10 + 40 * (low - speaking_seconds) / low)
        elif speaking_seconds > high:
            penalty += min(30.0, 10 + 40 * (speaking_seconds - high) / high)
    if words_per_minute is not None and "pace" in counts:
        slow, fast = options.pace_wpm
        outside = max(slow - words_per_minute, words_per_minute - fast, 0.0)
        penalty += min(30.0, outside)
    if "fillers" in counts:
        rate = _per_minute(fillers.count, fillers.per_minute, word_count)
        penalty += min(25.0, 5 * max(0.0, rate - options.max_fillers_per_minute))
    if pauses.count and "pauses" in counts:
        penalty += min(15.0, 5 * pauses.count)
    if hedges is not None and "hedges" in counts:
        rate = _per_minute(hedges.count, hedges.per_minute, word_count)
        penalty += min(15.0, 5 * max(0.0, rate - options.max_hedges_per_minute))
    if pitch is not None and speaking_seconds and "monotone" in counts:
        penalty += 15 * min(1.0, pitch.monotone_seconds / speaking_seconds)
    return max(0, round(100 - penalty))


def _per_minute(count: int, per_minute: float | None, word_count: int) -> float:
    """The rate per minute; for typed text, per minute at a typical 150 words/min."""
    return per_minute if per_minute is not None else count / word_count * 150


def _spoken_words(transcript: Transcript) -> list[Word]:
    words = [Word(w.word.strip(), w.start, w.end, w.probability) for w in transcript.words]
    words = [w for w in words if w.word]
    if not words and transcript.text.strip():
        words = list(Transcript.from_text(transcript.text).words)
    return words


def _phrase_matches(kp: KeyPoint, tokens: list[Token], words: list[Word],
                    options: ScoringOptions, reference: str) -> list[PhraseMatch]:
    """Each of the point's phrases, matched in the answer: the first match that is not said
    as not done (_said_not_done), when options.not_done_reach is set."""
    out = []
    for phrase in kp.phrases:
        m = _heard_match(match_phrase(phrase, tokens, options.match), tokens, words, options)
        reach = options.not_done_reach
        while m.covered and (
                (reach and _said_not_done(m, tokens, words, reach)
                 and not _said_not_in_reference(phrase, reference))
                or (reach and _says_the_rules_opposite(m, phrase, reference, tokens, words))
                or _counts_something_else(phrase, kp, m, tokens, words)):
            after = m.last_token + 1  # a later mention may make the point
            later = match_phrase(phrase, tokens[after:], options.match)
            m = (_heard_match(replace(later, first_token=later.first_token + after,
                                      last_token=later.last_token + after),
                              tokens, words, options)
                 if later.covered else replace(m, covered=False, confidence=0, first_token=-1,
                                               last_token=-1))
        out.append(m)
    return out


def _counts_something_else(phrase: str, kp: KeyPoint, m: PhraseMatch, tokens: list[Token],
                           words: list[Word]) -> bool:
    """A figure alone ("140") said as the count of something else than the point counts with it
    ("140 stores"): "a hundred and forty covers" is another claim ("140 Greenleaf stores" is
    not). Only for a drafted point (`by_meaning`), which the answer can still make in other
    words ("140 shops"); a hand-written point's bare figure is its writer's choice."""
    said = phrase_tokens(phrase)
    if (not kp.by_meaning or len(said) != 1 or not is_number(said[0].text)
            or m.last_token + 1 >= len(tokens)):
        return False
    counted = {other[1].stem for other in map(phrase_tokens, kp.phrases)
               if len(other) >= 2 and other[0].text == said[0].text
               and not is_number(other[1].text)}
    after = tokens[m.last_token + 1]
    return (bool(counted) and not re.search(r"[^\w%$]$", words[tokens[m.last_token].last].word)
            and not is_number(after.text) and after.text not in STOPWORDS
            and not counted & {t.stem for t in tokens[m.last_token + 1:m.last_token + 4]})


def _said_not_done(m: PhraseMatch, tokens: list[Token], words: list[Word], reach: int) -> bool:
    """Whether the clause the match is in says the speaker did not do it: "I haven't designed a
    ledger", "double-entry, but I've never implemented it", "a critical care exam, I just
    haven't scheduled it" (_clause)."""
    before, after = _clause(m, tokens, words, reach)
    return bool(NOT_DONE.search(before) or NOT_DONE.search(after))


def _clause(m: PhraseMatch, tokens: list[Token], words: list[Word], reach: int
            ) -> tuple[str, str]:
    """The words of the match's clause before it and after it, apostrophes typed. The clause runs
    at most `reach` words either way, and ends at the end of a sentence, at ; : or a dash, and
    before a word that starts another clause ("we built it double-entry, so we never lost a
    cent", "and we haven't had an outage since")."""
    first, last = tokens[m.first_token].first, tokens[m.last_token].last
    start = first
    while (start > 0 and first - start < reach and not _ends_clause(words[start - 1].word)
           and bare_word(words[start - 1].word) not in CLAUSE_STARTS):
        start -= 1
    end = last
    while (end < len(words) - 1 and end - last < reach and not _ends_clause(words[end].word)
           and bare_word(words[end + 1].word) not in CLAUSE_STARTS):
        end += 1
    return (plain_quotes(" ".join(w.word for w in words[start:first])),
            plain_quotes(" ".join(w.word for w in words[last + 1:end + 1])))


# Words that start another clause, whose "not" is about something else ("so we never had...").
CLAUSE_STARTS = frozenset("""so because which since then while although though until and after
once when before without if""".split())


@lru_cache(maxsize=1024)
def _said_not_in_reference(phrase: str, reference: str) -> bool:
    """Whether a sentence of the reference says the phrase with a "not" (a mistake told as "I
    never looked at the pump's drug library", or a rule: _ruled_by): then an answer saying it
    so makes the point."""
    return any(match_phrase(phrase, tokens).covered for tokens in _denying_sentences(reference)
               ) or bool(_ruled_by(phrase, reference))


@lru_cache(maxsize=64)
def _denying_sentences(reference: str) -> tuple[list[Token], ...]:
    """The tokens of each sentence of the reference that says a "not" (NOT_DONE); read only when
    an answer says a phrase with a "not", so the drafting code is not loaded before."""
    from voiceprep.bank.keypoints import units_of_text

    return tuple(tokens_of_words(u.text.split()) for u in units_of_text(reference)
                 if NOT_DONE.search(plain_quotes(u.text)))


@lru_cache(maxsize=1024)
def _ruled_by(phrase: str, reference: str) -> tuple[str, ...]:
    """The verbs of the reference's rules that say the phrase ("don't ask leading questions"
    says "leading questions"; meaning.rules_of)."""
    return tuple(verb for verb, rule in rules_of(reference)
                 if match_phrase(phrase, tokens_of_words(rule.split())).covered)


def _says_the_rules_opposite(m: PhraseMatch, phrase: str, reference: str, tokens: list[Token],
                             words: list[Word]) -> bool:
    """Whether the answer says the phrase of a rule of the reference as its opposite: the
    rule's verb said with no "not" before it, in the phrase or the three words before it ("I
    ask leading questions"; "Every change gets a code review" says no "skip")."""
    verbs = _ruled_by(phrase, reference)
    first, last = tokens[m.first_token].first, tokens[m.last_token].last
    near = [w.word for w in words[max(0, first - 3):last + 1]]
    return any(says_the_opposite(near, verb) for verb in verbs)


def _ends_clause(word: str) -> bool:
    return (ends_sentence(word) or word == "-"
            or word.rstrip("\"')”’").endswith((";", ":", "—", "–", "…")))


def _key_point_result(kp: KeyPoint, matches: list[PhraseMatch], tokens: list[Token],
                      words: list[Word]) -> KeyPointResult:
    best: PhraseMatch | None = None
    for m in matches:
        if best is None or (m.covered, m.confidence) > (best.covered, best.confidence):
            best = m
    if best is None or not best.covered:
        return KeyPointResult(
            id=kp.id, text=kp.text, covered=False, confidence=best.confidence if best else 0,
            evidence="", start=None, end=None, required=kp.required, weight=kp.weight)
    first = tokens[best.first_token].first
    last = tokens[best.last_token].last
    return KeyPointResult(
        id=kp.id, text=kp.text, covered=True, confidence=best.confidence,
        evidence=_evidence(words, first, last), start=words[first].start,
        end=words[last].end, required=kp.required, weight=kp.weight, phrase=best.phrase,
        matched_by="phrase")


def _one_word(phrase: str) -> bool:
    """A phrase of one word, no figure, written in lowercase ("huddle") or a name that is an
    English word too ("Maze", "Amplitude": a distractor's "a maze", "the amplitude")."""
    tokens = phrase_tokens(phrase)
    if len(tokens) != 1 or any(c.isdigit() for c in tokens[0].text):
        return False
    return phrase == phrase.lower() or is_english_word(phrase.lower())


def _one_word_checked(question: Question, results: tuple[KeyPointResult, ...],
                      matches: dict[str, list[PhraseMatch]], sure: list[Word],
                      options: ScoringOptions, marked: set[str]) -> tuple[KeyPointResult, ...]:
    """The results, with the points of `marked` heard only as one of their one-word phrases
    left uncovered, unless another of their phrases is heard elsewhere or the answer says
    something close to the point (ScoringOptions.one_word_meaning)."""
    assert options.one_word_meaning is not None
    weak = set()
    for kp, r in zip(question.key_points, results, strict=True):
        if (kp.id not in marked or r.matched_by != "phrase" or not _one_word(r.phrase)
                or r.phrase in kp.taught):
            continue
        heard = [m for m in matches[kp.id] if m.covered]
        # one place: every match shares a word ("de-escalation" and "escalation")
        if (all(_one_word(m.phrase) and m.phrase not in kp.taught for m in heard)
                and max(m.first_token for m in heard) <= min(m.last_token for m in heard)):
            weak.add(kp.id)
    if not weak:
        return results
    close = match_meaning(question, [w.word for w in sure], weak, options.one_word_meaning)
    return tuple(replace(r, covered=False, confidence=0, evidence="", start=None, end=None,
                         phrase="", matched_by=None)
                 if r.id in weak and r.id not in close else r for r in results)


def uses_meaning(question: Question, options: ScoringOptions) -> bool:
    """Whether scoring an answer to `question` asks the sentence model (to prepare it ahead)."""
    return options.meaning is not None or (
        options.point_meaning is not None and any(kp.by_meaning for kp in question.key_points))


def _with_meaning(question: Question, results: tuple[KeyPointResult, ...], words: list[Word],
                  options: MeaningOptions, only: set[str] | None = None
                  ) -> tuple[KeyPointResult, ...]:
    """The results, with the points (of `only`, by default all) that no phrase covered but the
    answer makes in other words."""
    missed = {r.id for r in results if not r.covered and (only is None or r.id in only)}
    found = match_meaning(question, [w.word for w in words], missed, options)
    return tuple(
        replace(r, covered=True, confidence=round(found[r.id].similarity * 100),
                evidence=_evidence(words, found[r.id].first_word, found[r.id].last_word),
                start=words[found[r.id].first_word].start, end=words[found[r.id].last_word].end,
                matched_by="meaning")
        if r.id in found else r
        for r in results)


def _evidence(words: list[Word], first: int, last: int) -> str:
    return written([w.word for w in words[first:last + 1]]).strip(" \t,.;:!?\"'()[]")


def _heard_match(m: PhraseMatch, tokens: list[Token], words: list[Word],
                 options: ScoringOptions) -> PhraseMatch:
    """The match with the recogniser's confidence folded in: its confidence scaled by the mean
    probability of the matched content words, and no match at all when every one of them is
    below options.min_word_probability. Typed words (no probability) leave it as it is."""
    if not m.covered:
        return m
    matched = words[tokens[m.first_token].first:tokens[m.last_token].last + 1]
    heard = [w for w in matched if w.probability is not None]
    content = [w for w in heard if bare_word(w.word) not in STOPWORDS] or heard
    if not content:
        return m
    probabilities = [max(0.0, min(1.0, w.probability or 0.0)) for w in content]
    if max(probabilities) < options.min_word_probability:
        return replace(m, covered=False, confidence=0, first_token=-1, last_token=-1)
    return replace(m, confidence=round(m.confidence * sum(probabilities) / len(probabilities)))


def _speaking_seconds(words: list[Word]) -> float:
    """From the earliest word's start (transcripts are not always in time order) to the latest
    end."""
    start = min(w.start for w in words if w.start is not None)
    end = max(w.end for w in words if w.end is not None)
    return round(max(0.0, end - start), 2)


def _timing(seconds: float, target: tuple[int, int]) -> str:
    if seconds < target[0]:
        return "short"
    if seconds > target[1]:
        return "long"
    return "ok"


def _fillers(texts: list[str], speaking_seconds: float | None,
             options: ScoringOptions) -> tuple[Fillers, list[int]]:
    """The fillers, and the index of the word each one starts at."""
    found: list[tuple[int, str]] = []
    for i, text in enumerate(texts):
        form = filler_form(text)
        if form and form in options.fillers:
            found.append((i, form))
    for phrase in options.set_off_fillers:
        found.extend((i, phrase) for i in _set_off_starts(texts, phrase.split()))
    by_word = Counter(form for _, form in found)
    count = len(found)
    per_minute = (round(count / speaking_seconds * 60, 2)
                  if speaking_seconds else None)
    fillers = Fillers(count=count, per_minute=per_minute, by_word=dict(by_word.most_common()))
    return fillers, sorted(i for i, _ in found)


def _set_off_starts(texts: list[str], phrase: list[str]) -> list[int]:
    """Where `phrase` is said with punctuation before it (or at the start) and a comma after."""
    n = len(phrase)
    starts = []
    for i in range(len(texts) - n + 1):
        run = texts[i:i + n]
        if [bare_word(w) for w in run] != phrase:
            continue
        opened = i == 0 or texts[i - 1].rstrip().endswith((",", ".", ";", ":", "!", "?", "—", "-"))
        if opened and run[-1].rstrip().endswith(","):
            starts.append(i)
    return starts


def _pauses(words: list[Word], threshold: float) -> Pauses:
    gaps = [
        b.start - a.end for a, b in zip(words, words[1:], strict=False)
        if a.end is not None and b.start is not None
    ]
    longest = round(max(gaps), 2) if gaps else 0.0
    return Pauses(count=sum(1 for g in gaps if g > threshold),
                  longest_seconds=max(0.0, longest), threshold_seconds=threshold)


def _long_pauses(words: list[Word], threshold: float) -> tuple[tuple[float, float], ...]:
    """(start, end) of each gap between two words longer than `threshold`."""
    return tuple((round(a.end, 2), round(b.start, 2))
                 for a, b in zip(words, words[1:], strict=False)
                 if a.end is not None and b.start is not None and b.start - a.end > threshold)


def _repeated_words(texts: list[str], options: ScoringOptions) -> tuple[tuple[str, int], ...]:
    counts: Counter[str] = Counter()
    for text in texts:
        word = re.sub(r"[^a-z'-]", "", text.lower()).strip("'-")
        if len(word) < 3 or filler_form(word) or word.replace("'", "") in STOPWORDS:
            continue
        counts[word] += 1
    frequent = [(w, c) for w, c in counts.most_common() if c >= options.repeated_min_count]
    return tuple(frequent[:options.repeated_top])
