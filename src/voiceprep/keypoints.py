"""Key points drafted from an answer: the claims a listener would check off, each with the short
phrases a person says when making it.

The candidates are the answer's units (a list item, a sentence; see notes.py). A unit's phrases:
  * its figures with what they count ("99.9% uptime", "15,000 transactions per second"), and the
    figure alone when it is specific enough to stand alone (a percentage, a decimal, a scale
    such as "50 million", or 100 and more); numbers are matched by value, so "fifty million" and
    "50M" both say "50 million";
  * its named tools and systems: words written with capitals inside a sentence ("MLflow",
    "Kubernetes", "Arthur Grand Technologies");
  * its terms: two content words in a row ("ticket routing", "false positive"; a pair with a
    word that is rare in everyday English, by wordfreq, weighs more), and single words that are
    uncommon ("quantization", "mentoring").
A phrase that any answer to the question would contain covers nothing, so a phrase is dropped
when its words are all in the question itself, or when the answers to other questions of the same
notes use it too (it is the person's vocabulary, not this answer's claim). A unit with no phrase
left is no key point. A section's title ("**End-to-End System Design:**") adds its phrases to the
first unit under it. The units with the most phrases (figures and names count more, a result
more still) become the key points, a phrase going to one point only: one per WORDS_PER_POINT
words of answer, between MIN_POINTS and MAX_POINTS when the answer has that many claims.

Required points, by a rule one can state: the first key point, and the first key point of the
answer's result ("Result:", "Impact:", "Outcome:").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .bank import KeyPoint
from .normalize import STOPWORDS, phrase_tokens
from .notes import PLACEHOLDER, SENTENCE_END, Unit

MIN_POINTS = 4
MAX_POINTS = 10
WORDS_PER_POINT = 40  # an answer gets one key point for about this many words
MAX_PHRASES = 12
# wordfreq's Zipf scale: 6 is "the", 3 is a word seen once per million words.
RARE_ZIPF = 3.6  # a pair with a word at most this common is a term (weighs more)
RARE_SINGLE_ZIPF = 3.0  # a lone word this rare is a term; a capitalised one opening a sentence
# is a name
WORD_ZIPF = 4.2  # a lone word this uncommon is a phrase (when the other answers do not use it)
COMMON_ZIPF = 6.5  # a pair is a phrase unless a word is among the commonest of English
# In how many of the other questions' answers a phrase may appear before it counts as the
# person's general vocabulary (and as a share of them).
SHARED_QUESTIONS = 2
SHARED_SHARE = 0.25
RESULT_LABELS = ("result", "impact", "outcome", "achievement")
KIND_WEIGHT = {"figure": 3.0, "name": 2.0, "term": 1.0, "pair": 0.5, "word": 0.5}
RESULT_BONUS = 2.0
EXTRA_STOPWORDS = frozenset("""also using used based via etc eg ie while within without
across per every many much several various each able new like just still even""".split())
SCALE_WORDS = ("thousand", "million", "billion", "k", "m", "b", "mm", "bn")
_WORD = re.compile(r"[A-Za-z0-9$][\w$%+'’.,/&-]*")
LEADING_LABEL = re.compile(r"^\s*(?:[\w/+&'-]+\s+){0,3}[\w/+&'-]+:\s")
TITLE = re.compile(r"^[^:]*:$")  # a section title alone: all its capitals are a title's
NUMBERED_LABEL = re.compile(r"^\s*\d+\s*[.):]\s*")
_FIGURE = re.compile(r"^[$<>~]?\d[\d,.]*(?:[%+kKmMbB]|ms|s)?\+?%?$")


@dataclass(frozen=True)
class Phrase:
    text: str
    kind: str  # "figure", "name", "term", "pair" or "word" (KIND_WEIGHT)


@dataclass(frozen=True)
class DraftPoint:
    """A key point and where it came from."""

    key_point: KeyPoint
    line: int  # the line of the notes (0 when derived from a bank's reference)


@dataclass(frozen=True)
class _Word:
    text: str  # as written, trailing punctuation removed
    start: bool  # starts a sentence
    breaks: bool  # punctuation follows it


def draft_key_points(prompt: str, units: Sequence[Unit], others: Sequence[str] = (),
                     names: frozenset[str] | None = None) -> tuple[DraftPoint, ...]:
    """The key points of one answer; `others` are the other answers of the same notes (what the
    person says everywhere is no claim of this answer), `names` the words they write as names
    (known_names; by default, those of the answer and `others`)."""
    shared = _SharedVocabulary(others)
    if names is None:
        names = known_names([*others, *(u.text for u in units)])
    asked = {t.stem for t in phrase_tokens(prompt)}
    candidates: list[tuple[float, int, Unit, list[Phrase]]] = []
    label = ""
    for index, unit in enumerate(units):
        if PLACEHOLDER.search(unit.text):
            continue  # to be filled in: "[Company Name]" is nobody's claim yet
        found = unit_phrases(unit.text, names, shared.common)
        if unit.label and unit.label != label and index:  # a section's title says what its
            # lines are about (the title above the first line is the whole answer's)
            found = unit_phrases(NUMBERED_LABEL.sub("", unit.label) + ":", names,
                                 shared.common) + found
        label = unit.label
        phrases = [p for p in found
                   if p.kind == "figure" or not (_asked(p.text, asked) or shared.common(p.text))]
        if not phrases:
            continue
        weight = sum(KIND_WEIGHT[p.kind] for p in phrases)
        if _is_result(_label_of(unit)):
            weight += RESULT_BONUS
        candidates.append((weight, index, unit, phrases))
    words = sum(len(u.text.split()) for u in units)
    wanted = max(MIN_POINTS, min(MAX_POINTS, round(words / WORDS_PER_POINT)))
    chosen: list[tuple[int, Unit, list[Phrase]]] = []
    taken: set[tuple[str, ...]] = set()
    for _, index, unit, phrases in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if len(chosen) == wanted:
            break
        fresh = [p for p in phrases if _key(p.text) not in taken]
        if not fresh:
            continue
        taken.update(_key(p.text) for p in fresh)
        chosen.append((index, unit, fresh))
    chosen.sort(key=lambda c: c[0])
    points: list[DraftPoint] = []
    ids: set[str] = set()
    result_seen = False
    for n, (_, unit, phrases) in enumerate(chosen):
        result = _is_result(_label_of(unit))
        required = n == 0 or (result and not result_seen)
        result_seen = result_seen or result
        text = short_text(unit.text)
        unique: dict[tuple[str, ...], Phrase] = {}
        for phrase in phrases:
            unique.setdefault(_key(phrase.text), phrase)
        ordered = sorted(unique.values(), key=lambda p: list(KIND_WEIGHT).index(p.kind))
        points.append(DraftPoint(KeyPoint(
            id=_unique(slug(text), ids), text=text,
            phrases=tuple(p.text for p in ordered[:MAX_PHRASES]), required=required),
            unit.line))
    return tuple(points)


def draft_from_reference(prompt: str, reference: str, others: Sequence[str] = ()
                         ) -> tuple[KeyPoint, ...]:
    """Key points for a bank question written with a reference answer and no key points."""
    return tuple(d.key_point for d in draft_key_points(prompt, units_of_text(reference), others))


def units_of_text(text: str) -> list[Unit]:
    """A plain answer's units: each line's sentences; a line ending with ":" titles the lines
    under it."""
    units: list[Unit] = []
    label = ""
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if line.endswith(":") and len(line.split()) <= 8:
            label = line.rstrip(":").strip()
            continue
        sentences = [s for s in SENTENCE_END.split(line) if s.strip()]
        item = len(sentences) == 1 and not line.endswith((".", "!", "?"))
        units += [Unit(s.strip(), number, label, number, item) for s in sentences]
    return units


def unit_phrases(text: str, names: frozenset[str] = frozenset(),
                 generic: Callable[[str], bool] = lambda word: False) -> list[Phrase]:
    """Every candidate phrase of one unit, in order, without repeats; `names` are the words
    known to be names even at the start of a sentence, `generic` tells the words that say
    nothing in these notes (a term is made of the words around them)."""
    words = _words(PLACEHOLDER.sub(" ", text))
    found = _figures(words) + _names(words, names) + _terms(words, generic)
    seen: set[tuple[str, ...]] = set()
    out = []
    for phrase in found:
        key = _key(phrase.text)
        if key and key not in seen:
            seen.add(key)
            out.append(phrase)
    return out


def named_terms(text: str, names: frozenset[str] = frozenset()) -> list[str]:
    """The tools, systems and names of a text (for a question's keywords)."""
    return [p.text for p in _names(_words(PLACEHOLDER.sub(" ", text)), names)]


def known_names(texts: Iterable[str]) -> frozenset[str]:
    """The words written with a capital inside a sentence somewhere in `texts`: names, also
    where a sentence starts with them ("Prometheus for metrics")."""
    return frozenset(w.text for text in texts for line in text.splitlines()
                     for w in _words(PLACEHOLDER.sub(" ", line))
                     if not w.start and _is_name(w, frozenset()))


def short_text(text: str, most: int = 14) -> str:
    """A unit's claim in a few words: up to its first clause break once long enough."""
    text = re.sub(r"\s+", " ", text).strip().rstrip(".:;,")
    words = text.split()
    if len(words) <= most:
        return text
    cut = re.search(r"(?:,|;| - | – | — | which | while | so that | because )",
                    " ".join(words[6:most + 1]))
    if cut:
        head = " ".join(words[:6]) + " " + " ".join(words[6:most + 1])[:cut.start()]
        return head.strip().rstrip(".:;,")
    return " ".join(words[:most]).rstrip(".:;,") + "…"


def slug(text: str, most: int = 4) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower())
             if w not in STOPWORDS and w not in EXTRA_STOPWORDS]
    return "-".join(words[:most]) or "point"


def _unique(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def _label_of(unit: Unit) -> str:
    """The section a unit is in, or the label it starts with ("Result: ...")."""
    inline = LEADING_LABEL.match(unit.text)
    return unit.label + (" " + inline.group(0) if inline else "")


def _is_result(label: str) -> bool:
    return any(w in label.lower() for w in RESULT_LABELS)


def _words(text: str) -> list[_Word]:
    out: list[_Word] = []
    # "Traffic Handling: 15,000 requests": a label's capitals are no names
    label = LEADING_LABEL.match(text) or TITLE.match(text)
    label_end = label.end() if label else 0
    for m in _WORD.finditer(text):
        raw = m.group(0)
        word = raw.rstrip(".,;:!?'’/&-")
        if "," in word and not re.fullmatch(r"\d{1,3}(?:,\d{3})+\+?%?", word):
            for piece in filter(None, re.split(r",\s*", word)):
                out.append(_Word(piece, not out, True))
            continue
        if not word:
            continue
        before = text[:m.start()].rstrip()
        start = (not out or before.endswith((".", "!", "?", ":", "(", "\"", "“")) or not before
                 or m.start() < label_end)
        after = text[m.start() + len(word):m.start() + len(word) + 2]
        breaks = bool(re.match(r"\s*[^\w\s$%]", after)) or raw != word
        out.append(_Word(word, start, breaks))
    return out


def _stop(word: str) -> bool:
    w = word.lower().replace("’", "'")
    return w in STOPWORDS or w in EXTRA_STOPWORDS or w.replace("'", "") in STOPWORDS


def _figure(word: str) -> bool:
    return bool(_FIGURE.match(word)) and any(c.isdigit() for c in word)


def _figures(words: list[_Word]) -> list[Phrase]:
    out = []
    for i, w in enumerate(words):
        if not _figure(w.text) or (i and _figure(words[i - 1].text)):
            continue
        figure = [w.text.rstrip("+").lstrip("<>~")]
        j = i + 1
        if not w.breaks and j < len(words) and words[j].text.lower() in SCALE_WORDS:
            figure.append(words[j].text)
            j += 1
        counted: list[str] = []
        last_breaks = words[j - 1].breaks
        while j < len(words) and len(counted) < 3 and not last_breaks:
            nxt = words[j].text
            if _figure(nxt) or (_stop(nxt) and nxt.lower() != "per") or (
                    nxt.lower() == "per" and not counted):
                break
            counted.append(nxt)
            last_breaks = words[j].breaks
            j += 1
        while counted and counted[-1].lower() == "per":
            counted.pop()
        value = " ".join(figure)
        if counted:
            out.append(Phrase(f"{value} {' '.join(counted)}", "figure"))
        if _specific(value):
            out.append(Phrase(value, "figure"))
    return out


def _specific(figure: str) -> bool:
    """A figure that says something alone: "99.9%", "50 million", "15,000", not "3"."""
    bare = figure.replace(",", "")
    if "%" in bare or " " in bare or re.search(r"\d\.\d", bare) or re.search(r"[kKmMbB]$", bare):
        return True
    digits = re.sub(r"\D", "", bare)
    return bool(digits) and int(digits) >= 100


def _is_name(w: _Word, names: frozenset[str]) -> bool:
    t = w.text
    if not t[0].isalpha() or t in ("I", "I'm", "I've", "I'd", "I'll") or _stop(t):
        return False
    if any(c.isupper() for c in t[1:]):
        return True  # MLflow, FastAPI, AWS, A/B
    if t[0].isupper():
        # at a sentence's start only a rare word is a name ("Kubernetes", not "Built")
        return not w.start or t in names or zipf(t.lower()) <= RARE_SINGLE_ZIPF
    return False


def _names(words: list[_Word], names: frozenset[str]) -> list[Phrase]:
    """Runs of names ("Arthur Grand Technologies"), and the rare ones of a run alone."""
    out: list[Phrase] = []
    run: list[str] = []
    for w in [*words, None]:
        if w is not None and _is_name(w, names) and not (run and w.start):
            run.append(w.text)
            if not w.breaks:
                continue
        elif w is not None and _is_name(w, names):  # a name starting a new sentence
            out += _name_run(run)
            run = [w.text]
            if not w.breaks:
                continue
        out += _name_run(run)
        run = []
    return out


def _name_run(run: list[str]) -> list[Phrase]:
    if not run:
        return []
    return [Phrase(" ".join(run), "name"),
            *(Phrase(r, "name") for r in run if len(run) > 1 and _rare_name(r))]


def _rare_name(word: str) -> bool:
    return any(c.isupper() for c in word[1:]) or zipf(word.lower()) <= RARE_SINGLE_ZIPF


def _terms(words: list[_Word], generic: Callable[[str], bool]) -> list[Phrase]:
    """Pairs of content words in a row, and rare lone words."""
    out: list[Phrase] = []
    run: list[str] = []
    for w in [*words, None]:
        if (w is not None and _content(w.text) and not w.text.islower() and generic(w.text)
                and not w.breaks):
            continue  # "diverse ML use cases": the pairs are "diverse use" and "use cases"
        if w is not None and _content(w.text):
            run.append(w.text)
            if not w.breaks:
                continue
        out += _run_terms(run)
        run = []
    return out


def _content(word: str) -> bool:
    """A word that can be part of a term: not a small word, a figure or an adverb."""
    return (len(word) > 1 and not _stop(word) and not _figure(word)
            and not (word.lower().endswith("ly") and zipf(word.lower()) > RARE_SINGLE_ZIPF))


def _run_terms(run: list[str]) -> list[Phrase]:
    out = []
    for first, second in zip(run, run[1:], strict=False):
        common = (zipf(first.lower()), zipf(second.lower()))
        if min(common) <= RARE_ZIPF:
            out.append(Phrase(f"{first} {second}".lower(), "term"))
        elif max(common) <= COMMON_ZIPF:
            out.append(Phrase(f"{first} {second}".lower(), "pair"))
    for w in run:
        if any(c.isupper() for c in w[1:]) or len(w) < 4:
            continue
        if zipf(w.lower()) <= RARE_SINGLE_ZIPF:
            out.append(Phrase(w.lower(), "term"))
        elif zipf(w.lower()) <= WORD_ZIPF:
            out.append(Phrase(w.lower(), "word"))
    return out


@lru_cache(maxsize=8192)
def zipf(word: str) -> float:
    """How common a word is in English (wordfreq's Zipf scale; 0 for unknown words)."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


@lru_cache(maxsize=16384)
def _key(phrase: str) -> tuple[str, ...]:
    return tuple(t.stem for t in phrase_tokens(phrase))


def _asked(phrase: str, asked: set[str]) -> bool:
    """Every content word of the phrase is in the question: any answer says it."""
    content = [t.stem for t in phrase_tokens(phrase) if t.text not in STOPWORDS]
    return bool(content) and all(c in asked for c in content)


@lru_cache(maxsize=256)
def _stemmed(text: str) -> str:
    return " " + " ".join(t.stem for t in phrase_tokens(text)) + " "


class _SharedVocabulary:
    """Which phrases the person uses in the answers to other questions."""

    def __init__(self, others: Iterable[str]) -> None:
        self.texts = [_stemmed(o) for o in others]

    @lru_cache(maxsize=4096)  # noqa: B019 (one instance per answer, dropped with it)
    def common(self, phrase: str) -> bool:
        key = " " + " ".join(_key(phrase)) + " "
        if not self.texts or key.strip() == "":
            return False
        found = sum(key in text for text in self.texts)
        return found >= max(SHARED_QUESTIONS, SHARED_SHARE * len(self.texts))
