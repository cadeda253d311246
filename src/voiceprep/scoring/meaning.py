"""Coverage by meaning: the second matching stage, for key points that no phrase covered.

A key point is made "in other words" when some sentence of the answer means what the point means
more than it means any other point of the question. Concretely (see embedding.py for the model):
  * the answer is cut into its sentences (fillers left out); a sentence of more than 24 words
    (or an answer without punctuation) into windows of 16 words, every 8 words;
  * each key point has anchors: its text, its phrases, and the sentences and clauses of the
    question's reference answer that contain one of its phrases (the reference says every point in
    full sentences, so these anchors read like an answer, not like a label);
  * a window's similarity to a point is its best cosine with the point's anchors, and its margin is
    that similarity minus its best cosine with any other point's anchors (the other points are the
    competitors: a window about "monitoring" in general is as close to three points, not one);
  * the point is covered when a window reaches MeaningOptions.min_similarity with a margin of
    MeaningOptions.min_margin, its figures do not contradict the point's ("two years" does not
    make "three years", "six months" does not make "six years", "fourteen percent" does not make
    "40%"), and it does not say that the
    speaker did not do it (NOT_DONE: "we never had", "another team handled it").
A bare cosine is not enough: the margin over the competitors is what separates "said it
differently" from "talked about something nearby". Whole sentences carry a point better than
12-word windows. The thresholds were chosen on the tuning part of benchmarks/data/answers.toml as
the pair that finds the most paraphrased points there at precision 0.98 or more (23 of 63, one
false hit); a coach that says "covered" wrongly is worse than one that misses a paraphrase, which
the user can then teach it (history/overlay.py). benchmarks/scoring_eval.py reports the held-out
parts, where it finds less and errs more.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from concurrent.futures import Future, wait
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from voiceprep.bank.questions import KeyPoint, Question
from voiceprep.normalize import (
    bare_word,
    ends_sentence,
    filler_form,
    plain_quotes,
    stem,
    tokens_of_words,
)
from voiceprep.scoring.embedding import ModelMissing, load_encoder, load_failed, model_dir
from voiceprep.scoring.matching import is_number, match_phrase


@dataclass(frozen=True)
class MeaningOptions:
    """Windows and thresholds of the meaning stage (tuned on the labeled set's tuning part)."""

    sentence_words: int = 24  # a longer sentence is cut into windows:
    window_words: int = 16
    window_step: int = 8
    # e5's cosines are high for any two English sentences (0.75 for unrelated ones), so both
    # thresholds sit close to what separates a point from its neighbours.
    min_similarity: float = 0.89  # cosine with the point's best anchor
    min_margin: float = 0.01  # over the best cosine with any other point's anchors
    # A point that states figures is made only by a window that states figures too (those of
    # the point, as always): "we kept it running" does not say "99.9% uptime".
    figures_needed: bool = False


@dataclass(frozen=True)
class MeaningMatch:
    key_point_id: str
    similarity: float  # cosine, 0-1
    first_word: int  # the window, as indices into the words given to match_meaning
    last_word: int


@dataclass(frozen=True)
class WindowScores:
    """How every window of an answer compares with one key point."""

    similarity: np.ndarray  # best cosine with the point's anchors, one per window
    margin: np.ndarray  # that minus the best cosine with any other point's anchors
    allowed: np.ndarray  # False where the figures contradict the point's, or it was not done
    spans: list[tuple[int, int]]  # each window's first and last word, as indices into `words`


def window_scores(question: Question, words: list[str], uncovered: set[str],
                  options: MeaningOptions = MeaningOptions()) -> dict[str, WindowScores]:
    """The windows of `words` against each point of `uncovered` (nothing when no word counts)."""
    kept = _kept(words)
    if not uncovered or not kept:
        return {}
    spans, texts = window_texts(words, kept, options)
    vectors = _encode_windows(texts)
    anchors = question_anchors(question)
    best_by_point = np.stack([(vectors @ anchors[kp.id].T).max(1) for kp in question.key_points])
    figures = [_numbers([t]) for t in texts]
    done = [not NOT_DONE.search(plain_quotes(t)) for t in texts]
    in_words = [(kept[first], kept[last]) for first, last in spans]
    scores = {}
    for row, kp in enumerate(question.key_points):
        if kp.id not in uncovered:
            continue
        similarity = best_by_point[row]
        competitors = np.delete(best_by_point, row, axis=0)
        margin = similarity - (competitors.max(0) if len(competitors) else 0.0)
        wanted = _numbers((kp.text, *kp.phrases))
        verbs = [verb for verb, _ in rules_of(kp.text)]  # "don't ask leading questions": made
        # by "I never ask them" too; its opposite ("I ask leading questions") makes nothing
        allowed = np.array([(d or bool(verbs)) and not _contradicts(wanted, f)
                            and not (options.figures_needed and wanted and not f)
                            and not any(says_the_opposite(t.split(), v) for v in verbs)
                            for f, d, t in zip(figures, done, texts, strict=True)], dtype=bool)
        scores[kp.id] = WindowScores(similarity, margin, allowed, in_words)
    return scores


def match_meaning(question: Question, words: list[str], uncovered: set[str],
                  options: MeaningOptions = MeaningOptions()) -> dict[str, MeaningMatch]:
    """The points of `uncovered` that some window of `words` makes in other words (none when
    the model fails to load: phrases alone count, and meaning_available() says so)."""
    try:
        scores = window_scores(question, words, uncovered, options)
    except ModelMissing:
        return {}
    matches = {}
    for point, w in scores.items():
        ok = (w.similarity >= options.min_similarity) & (w.margin >= options.min_margin)
        ok &= w.allowed
        if ok.any():
            best = int(np.argmax(np.where(ok, w.similarity, -1.0)))
            first, last = w.spans[best]
            matches[point] = MeaningMatch(point, round(float(w.similarity[best]), 3), first, last)
    return matches


def meaning_available() -> bool:
    """Whether the sentence-embedding model is installed and has not failed to load (without
    it, phrases alone count)."""
    try:
        model_dir()
    except ModelMissing:
        return False
    return load_failed() is None


def prepare_in_background(questions: Iterable[Question], after: Future[Any] | None = None
                          ) -> threading.Thread | None:
    """Load the model and the questions' anchors on a daemon thread (while a question is
    spoken), so that scoring finds them ready; None when the model is not installed. With
    `after` (the Whisper model loading), only once that is done: loading both at once adds
    their peaks."""
    if not meaning_available():
        return None
    chosen = list(questions)

    def prepare() -> None:
        if after is not None:
            wait([after])  # its errors are the transcriber's to report
        with suppress(ModelMissing):  # then meaning_available() says so, and phrases count
            for question in chosen:
                question_anchors(question)

    thread = threading.Thread(target=prepare, name="voiceprep-meaning", daemon=True)
    thread.start()
    return thread


def prepare_answer(words: list[str], options: MeaningOptions = MeaningOptions()) -> None:
    """Embed the windows of an answer so far (call it as words arrive while the user speaks):
    scoring the whole answer then only embeds the windows that came after."""
    kept = _kept(words)
    if meaning_available() and kept:
        spans, texts = window_texts(words, kept, options)
        with suppress(ModelMissing):  # a model that cannot load is no reason to stop listening
            _encode_windows(texts[:-1])  # the last window moves while the answer goes on


def _kept(words: list[str]) -> list[int]:
    """The positions of the words that carry meaning (fillers left out)."""
    return [i for i, w in enumerate(words) if w.strip() and not filler_form(w)]


def window_texts(words: list[str], kept: list[int], options: MeaningOptions
                  ) -> tuple[list[tuple[int, int]], list[str]]:
    """The answer's sentences (a sentence ends with . ! or ?), a long one cut into windows; as
    (first, last) positions in `kept`, and their text."""
    ends = [n for n, i in enumerate(kept) if ends_sentence(words[i])]
    spans = []
    first = 0
    for last in [*ends, len(kept) - 1]:
        if last < first:
            continue
        count = last - first + 1
        if count <= options.sentence_words:
            spans.append((first, last))
        else:
            spans += [(first + a, first + b)
                      for a, b in _windows(count, options.window_words, options.window_step)]
        first = last + 1
    return spans, [" ".join(words[i] for i in kept[a:b + 1]) for a, b in spans]


window_vectors: dict[str, np.ndarray] = {}  # the windows of recent answers, by text
_window_lock = threading.Lock()
WINDOW_CACHE = 2000  # windows kept (one answer longer than that keeps all its own)


def _encode_windows(texts: list[str]) -> np.ndarray:
    with _window_lock:
        if len(window_vectors) + len(texts) > WINDOW_CACHE:
            window_vectors.clear()  # before looking up: what is found must stay there
        missing = [t for t in dict.fromkeys(texts) if t not in window_vectors]
        if missing:
            window_vectors.update(zip(missing, load_encoder().encode(missing), strict=True))
        return np.stack([window_vectors[t] for t in texts]) if texts else np.zeros((0, 384))


@lru_cache(maxsize=64)
def question_anchors(question: Question) -> dict[str, np.ndarray]:
    """Each key point's anchor vectors (cached: call it ahead of scoring to prepare a question)."""
    texts = {kp.id: anchor_texts(question, kp) for kp in question.key_points}
    unique = sorted({t for ts in texts.values() for t in ts})
    vectors = dict(zip(unique, load_encoder().encode(unique), strict=True))
    return {kp_id: np.stack([vectors[t] for t in ts]) for kp_id, ts in texts.items()}


def anchor_texts(question: Question, kp: KeyPoint) -> list[str]:
    """The point's text, its phrases, and the reference sentences and clauses that say it."""
    pieces = _reference_pieces(question.reference)
    said = [p for p in pieces
            if any(match_phrase(phrase, tokens_of_words(p.split())).covered
                   for phrase in kp.phrases)]
    return list(dict.fromkeys([kp.text, *kp.phrases, *said]))


def _reference_pieces(reference: str) -> list[str]:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(reference.split())) if s]
    clauses = [c.strip() for s in sentences
               for c in re.split(r",|;| and | with | so that | instead of ", s)
               if len(c.split()) >= 3]
    return list(dict.fromkeys(sentences + clauses))


def _windows(count: int, size: int, step: int) -> list[tuple[int, int]]:
    """(first, last) positions of windows of `size` covering 0..count-1, the last one flush."""
    if count <= size:
        return [(0, count - 1)]
    starts = list(range(0, count - size + 1, step))
    if starts[-1] != count - size:
        starts.append(count - size)
    return [(s, s + size - 1) for s in starts]


# Said about the point without making it: the speaker did not do it ("I've never", "we just
# didn't", "I know you're supposed to", "I've been meaning to"), someone else did ("another team
# handled it"), or it is a wish ("some day"). Embeddings
# hardly see negation; these are the near misses of the labeled set's tuning part that they let
# through. score.py also takes a phrase said in such a clause as no match.
NOT_DONE = re.compile(
    r"\b(i|we|i've|we've|i'd|we'd)\s+(have\s+|had\s+|did\s+|do\s+|was\s+|were\s+|could\s+)?"
    r"(just\s+|really\s+|actually\s+|still\s+)?"
    r"(never|not|haven't|hadn't|didn't|don't|wasn't|weren't|couldn't)\b"
    r"|\bhaven't\b|\bhasn't\b|\banother team\b|\bsomeone else\b|\bsome ?day\b"
    r"|\b(?:i|we|you)(?:'m|'re| am| are| was| were)\s+supposed to\b"
    r"|\b(?:i|we)(?:'ve| have)\s+been\s+meaning to\b",
    re.IGNORECASE)

# A rule given with a "not" at the start of a line or of an item of a list ("listen, don't ask
# leading questions", "Never skip the code review"; not "... and never missed a deadline"): the
# verb it forbids; and the words that say a "not" before a verb ("I don't ask", "without asking")
RULE_ITEM = re.compile(r"^\W*(?:don't|do\s+not|never)\s+([a-z]+)\b(.*)$", re.IGNORECASE)
NEGATION = re.compile(r"\b(?:not|never|no|avoid\w*|without|nor|cannot)\b|n't\b", re.IGNORECASE)


@lru_cache(maxsize=256)
def rules_of(text: str) -> tuple[tuple[str, str], ...]:
    """Each rule of `text` (an item of a line that starts with "don't", "do not" or "never"):
    the stem of the verb it forbids, and its words from that verb on ("ask leading
    questions")."""
    out = []
    for line in text.splitlines():
        for item in re.split(r"[,;]", plain_quotes(line)):
            rule = RULE_ITEM.match(item.strip())
            if rule:
                out.append((stem(rule[1].lower()), (rule[1] + rule[2]).strip()))
    return tuple(out)


def says_the_opposite(words: list[str], verb: str) -> bool:
    """Whether `words` say the rule's verb (its stem) with no "not" in the three words before
    it: "I ask leading questions" against "don't ask leading questions"; not "I don't ask",
    "I'd never ask", "without asking"."""
    said = [plain_quotes(w) for w in words]
    for at, word in enumerate(said):
        if stem(bare_word(word)) != verb:
            continue
        before = []
        for other in reversed(said[max(0, at - 3):at]):  # back to the clause's start
            if other.rstrip("\"')”’").endswith((",", ".", ";", ":", "!", "?")):
                break  # ("I don't judge, I ask ...": the "not" is the other clause's)
            before.append(other)
        if not any(NEGATION.search(other) for other in before):
            return True
    return False


TIME_UNITS = ("year", "month", "week", "day", "hour", "minute", "second")


def _numbers(texts: Iterable[str]) -> set[tuple[str, str]]:
    """The figures stated, as (number, the span of time it counts or ""): the span named by one
    of the next two words, before another number ("three years", "three plus years"). A number
    stated with a span is not also stated bare ("two shifts a week for two years")."""
    out = set()
    for text in texts:
        tokens = tokens_of_words(text.split())
        for n, t in enumerate(tokens):
            if is_number(t.text):
                units = []
                for after in tokens[n + 1:n + 3]:
                    if is_number(after.text):
                        break
                    units.append(after.text.rstrip("s"))
                out.add((t.text, next((u for u in units if u in TIME_UNITS), "")))
    return {(n, u) for n, u in out if u or not any(m == n and v for m, v in out)}


def _contradicts(wanted: set[tuple[str, str]], said: set[tuple[str, str]]) -> bool:
    """The window states figures, and none of them is one of the point's: another number, or
    the same number of another span of time ("six months" does not make "six years")."""
    return bool(wanted) and bool(said) and not any(
        n == m and (u == v or not u or not v) for n, u in said for m, v in wanted)
