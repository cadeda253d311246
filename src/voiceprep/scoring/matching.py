"""Approximate phrase matching over a transcript, tolerant of what speech recognition does.

Both the phrase and the transcript are normalised to tokens (see normalize.py). The phrase is
compared with every run of transcript tokens about as long as itself (one or two tokens fewer or
more; a short one-word phrase also every letter of it, a letter per token, as a recogniser
writes an acronym spelled out: "c c r n" / "CCRN"), on the space-free concatenations, so
"dev ops" / "devops" and "config maps" / "configmaps" compare equal and "Cubernetes" /
"Graffana" are one edit away.
Words are compared as written, as stems ("deployed" / "deploy") and by sound ("Graphana" /
"Grafana", "Kafca" / "Kafka"), and a phrase also matches with a long form swapped for its short
form ("machine learning" / "ML", "transactions per second" / "TPS"). A match must also pass
guards:
  * numbers match exactly, as whole tokens ("3" is not "30", "99.9" is not "99.95");
  * every word of the phrase, and every content word of the matched words, must itself be
    similar to what it is aligned with (small words leniently, but they must be there), so
    "perfectionist" does not cover "perfect system", "false negative rate" does not cover
    "false positive rate" and "good engineering" does not cover "over engineering";
  * a fuzzy word must start with the same sound ("employment" is not "deployment"), and a
    real English word must match exactly, as written, as a stem or by sound ("retain" is not
    "retrain", "throughout" is not "throughput"; "Cubernetes" and "Graffana" are misspellings);
  * short phrases and short words must match exactly (no fuzzy "K8s", "SHAP", "ML").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from voiceprep.normalize import STOPWORDS, Token, is_english_word, phrase_tokens


@dataclass(frozen=True)
class MatchOptions:
    """Similarity thresholds (rapidfuzz ratio, 0-100), tuned on benchmarks/data/answers.toml."""

    # whole phrase (space-free) similarity needed, by the phrase's length in characters
    exact_phrase_chars: int = 4  # phrases this short must match exactly
    short_phrase_chars: int = 8
    short_phrase_threshold: float = 88.0
    phrase_threshold: float = 85.0
    # each content word, against the characters it is aligned with
    exact_word_chars: int = 3
    short_word_chars: int = 5
    short_word_threshold: float = 85.0
    word_threshold: float = 80.0
    # small words: recognisers swap "in"/"on" and "then"/"than", but "over" is not "your"
    short_stopword_threshold: float = 50.0  # two letters or fewer
    stopword_threshold: float = 75.0
    # how many tokens more or fewer than the phrase a transcript run may have
    window_slack: int = 2
    # a one-word phrase this short may also be spelled out, a letter per token ("c c r n")
    spelled_chars: int = 6

    def phrase_needs(self, chars: int) -> float:
        if chars <= self.exact_phrase_chars:
            return 100.0
        if chars <= self.short_phrase_chars:
            return self.short_phrase_threshold
        return self.phrase_threshold

    def word_needs(self, chars: int) -> float:
        if chars <= self.exact_word_chars:
            return 100.0
        if chars <= self.short_word_chars:
            return self.short_word_threshold
        return self.word_threshold


@dataclass(frozen=True)
class PhraseMatch:
    phrase: str
    confidence: int  # 0-100
    covered: bool
    first_token: int = -1  # the matched run of transcript tokens (inclusive), -1 when missed
    last_token: int = -1


# Spoken long forms and their short forms; a phrase with one also matches the other.
ALTERNATIVES = (
    ("machine learning", "ml"), ("artificial intelligence", "ai"),
    ("amazon web services", "aws"), ("kubernetes", "k 8 s"),
    ("transactions a second", "tps"), ("requests a second", "rps"),
    ("queries a second", "qps"), ("click through rate", "ctr"),
    ("minimum viable product", "mvp"), ("key performance indicators", "kpis"),
    ("end to end", "e 2 e"), ("milliseconds", "ms"), ("technology", "tech"),
    ("technologies", "tech"),
)
# Compared as written, as stems ("deployed" meets "deploy") and by sound ("graphana" meets
# "grafana"). A stem is per word, so "devops" (stem "devop") only meets "dev ops" as written.
FORMS = ("text", "stem", "sound")
SOUND_ONLY_CONFIDENCE = 95  # spelled differently: not an exact match


@lru_cache(maxsize=4096)
def phrase_variants(phrase: str) -> tuple[list[Token], ...]:
    """The phrase's tokens, plus its forms with a long form or short form swapped (kept once
    computed: a bank's phrases are matched against every answer)."""
    base = phrase_tokens(phrase)
    text = " " + " ".join(t.text for t in base) + " "
    text = text.replace(" per ", " a ")
    variants = [base]
    for long, short in ALTERNATIVES:
        for old, new in ((long, short), (short, long)):
            if f" {old} " in text:
                variants.append(phrase_tokens(text.replace(f" {old} ", f" {new} ").strip()))
    if text.strip() != " ".join(t.text for t in base):
        variants.append(phrase_tokens(text.strip()))
    return tuple(variants)


def _spelled(texts: tuple[str, ...], word: str) -> int | None:
    """Where `word` is said a letter per token ("c c r n" for "ccrn"), or None."""
    letters = len(word)
    for i in range(len(texts) - letters + 1):
        if all(len(t) == 1 and t.isalpha() for t in texts[i:i + letters]) and \
                "".join(texts[i:i + letters]) == word:
            return i
    return None


def match_phrase(phrase: str, tokens: list[Token], options: MatchOptions = MatchOptions()
                 ) -> PhraseMatch:
    """Find the best approximate occurrence of `phrase` in the transcript `tokens`."""
    variants = [v for v in phrase_variants(phrase) if v]
    if not variants or not tokens:
        return PhraseMatch(phrase, 0, False)
    best_seen = 0.0
    best: tuple[float, int, int] | None = None  # (confidence, first, last)
    columns = {form: tuple(getattr(t, form) for t in tokens) for form in FORMS}
    for wanted_tokens in variants:
        n = len(wanted_tokens)
        needs = options.phrase_needs(len("".join(t.text for t in wanted_tokens)))
        for form in FORMS:
            if form == "sound" and needs >= 100:
                continue  # short terms are acronyms: "PCI" does not sound like "PSI"
            wanted = [getattr(t, form) for t in wanted_tokens]
            texts = columns[form]
            joined = "".join(wanted)
            cap = SOUND_ONLY_CONFIDENCE if form == "sound" else 100
            if (form == "text" and n == 1 and options.window_slack + 1 < len(joined)
                    <= options.spelled_chars and (best is None or best[0] < 100)):
                at = _spelled(texts, joined)  # "c c r n" is "CCRN"
                if at is not None:
                    best = (100.0, at, at + len(joined) - 1)
            for length in range(max(1, n - options.window_slack), n + options.window_slack + 1):
                candidates = _windows(texts, length)
                if not candidates:
                    continue
                # Every window's ratio at once; only those over the bar are looked at closely,
                # in order (the first best window wins).
                ratios = process.cdist([joined], candidates, scorer=fuzz.ratio,
                                       dtype=np.float64)[0]
                best_seen = max(best_seen, float(ratios.max()))
                for i in np.flatnonzero(ratios >= needs).tolist():
                    ratio = float(ratios[i])
                    if best is not None and min(ratio, cap) <= best[0]:
                        continue
                    window = list(texts[i:i + length])
                    if _guards_pass(wanted, window, joined, candidates[i], options,
                                    list(columns["text"][i:i + length])):
                        best = (min(ratio, cap), i, i + length - 1)
    if best is None:
        needs = options.phrase_needs(len("".join(t.text for t in variants[0])))
        return PhraseMatch(phrase, int(min(best_seen, needs - 1)), False)
    return PhraseMatch(phrase, round(best[0]), True, best[1], best[2])


@lru_cache(maxsize=64)
def _windows(texts: tuple[str, ...], length: int) -> list[str]:
    """Each run of `length` transcript tokens, run together (the same for every phrase of the
    question, so kept)."""
    return ["".join(texts[i:i + length]) for i in range(len(texts) - length + 1)]


def _guards_pass(wanted: list[str], window: list[str], joined: str, candidate: str,
                 options: MatchOptions, window_texts: list[str]) -> bool:
    if all(w in STOPWORDS for w in window) and not all(w in STOPWORDS for w in wanted):
        return False  # "is to" is not "Istio"
    window_numbers = {w for w in window if is_number(w)}
    wanted_numbers = {w for w in wanted if is_number(w)}
    if wanted_numbers != window_numbers:
        return False
    forward, backward = _alignment(joined, candidate)
    spans = _spans(window)
    # A real English word in the transcript must match its phrase word exactly (as written,
    # as a stem or by sound): "retain" is no misspelling of "retrain", "Cubernetes" is one.
    real_words = {k for k, text in enumerate(window_texts) if is_english_word(text)}
    return (_phrase_words_found(wanted, candidate, forward, spans, real_words, options)
            and _window_words_explained(window, joined, backward, len(wanted), real_words,
                                        options))


def _spans(words: list[str]) -> list[tuple[int, int]]:
    out, start = [], 0
    for w in words:
        out.append((start, start + len(w)))
        start += len(w)
    return out


def _phrase_words_found(wanted: list[str], candidate: str, forward: list[int | None],
                        spans: list[tuple[int, int]], real_words: set[int],
                        options: MatchOptions) -> bool:
    """Each phrase word resembles the transcript characters aligned with it.

    Small words are held to a low bar (recognisers swap "in" and "on") but must be there:
    "good engineering" does not say "over engineering".
    """
    for word, (start, end) in zip(wanted, _spans(wanted), strict=True):
        if is_number(word) or word in ARTICLES:
            continue
        aligned = [p for p in forward[start:end] if p is not None]
        if not aligned:
            return False
        lo, hi = min(aligned), max(aligned) + 1
        span = candidate[lo:hi]
        if span == word:
            continue
        if word in STOPWORDS:
            needs = (options.short_stopword_threshold if len(word) <= 2
                     else options.stopword_threshold)
            if fuzz.ratio(word, span) < needs:
                return False
            continue
        if fuzz.ratio(word, span) < options.word_needs(len(word)) or not _same_onset(word, span):
            return False
        touched = [k for k, (a, b) in enumerate(spans) if a < hi and b > lo]
        if len(touched) == 1 and touched[0] in real_words:
            return False
    return True


def _window_words_explained(window: list[str], joined: str, backward: list[int | None],
                            phrase_length: int, real_words: set[int],
                            options: MatchOptions) -> bool:
    """Each transcript word in the match is part of the phrase, not an extra word.

    A small word or a degree word slipped into a clause is fine ("started out in devops",
    "combination is pretty rare"), but not into a one- or two-word term ("time for boxing" is
    not "time boxing", "at scale" not "autoscaling").
    """
    for k, (word, (start, end)) in enumerate(zip(window, _spans(window), strict=True)):
        if is_number(word) or word in ARTICLES:
            continue
        stopword = word in STOPWORDS
        if (stopword or word in DEGREE_WORDS) and phrase_length >= 3:
            continue
        aligned = [p for p in backward[start:end] if p is not None]
        if not aligned:
            return False
        span = joined[min(aligned):max(aligned) + 1]
        if span == word:
            continue
        if stopword or k in real_words:
            return False
        if fuzz.ratio(word, span) < options.word_needs(len(word)) or not _same_onset(word, span):
            return False
    return True


ARTICLES = frozenset({"a", "an", "the"})  # may be dropped or swapped freely
# Words that only tone a statement up or down ("pretty rare", "quite stable"); "really" and
# "very" are stopwords already.
DEGREE_WORDS = frozenset({"pretty", "quite", "fairly", "rather", "super", "extremely",
                          "incredibly", "truly", "actually", "basically", "definitely"})
# Letters a recogniser swaps at the start of a word because they sound alike ("Cubernetes").
# Words that differ in their first sound are different words ("employment", "deployment").
ONSET_CLASSES = ("aeiouy", "ckq", "csz", "fv", "gj", "bp", "td")


def _same_onset(a: str, b: str) -> bool:
    x, y = a[0], b[0]
    return x == y or any(x in c and y in c for c in ONSET_CLASSES)


def is_number(token: str) -> bool:
    """A normalised token that is a number ("3", "99.9")."""
    return token.replace(".", "", 1).isdigit()


def _alignment(a: str, b: str) -> tuple[list[int | None], list[int | None]]:
    """For each character of a, the aligned position in b (None if deleted), and vice versa."""
    forward: list[int | None] = [None] * len(a)
    backward: list[int | None] = [None] * len(b)
    for op in Levenshtein.opcodes(a, b):
        if op.tag in ("equal", "replace"):
            for k in range(op.src_end - op.src_start):
                if op.dest_start + k < op.dest_end:
                    forward[op.src_start + k] = op.dest_start + k
                    backward[op.dest_start + k] = op.src_start + k
    return forward, backward
