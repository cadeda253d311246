"""A unit of an answer (a list item, a sentence) -> the phrases a person says when making its
claim:
  * its figures with what they count ("99.9% uptime", "15,000 transactions per second"), and the
    figure alone when it is specific enough to stand alone (a percentage, a decimal, a scale
    such as "50 million", or 100 and more); numbers are matched by value (normalize.py), so
    "fifty million" and "50M" both say "50 million";
  * its named tools and systems: words written with capitals inside a sentence ("MLflow",
    "Kubernetes", "Arthur Grand Technologies"), or opening one when they are rare in English or
    written as names elsewhere in the notes;
  * its terms: two content words in a row ("ticket routing", "false positive"; a pair with a
    word that is rare in everyday English, by wordfreq, weighs more), each also with its last
    word in the other number ("user bases" and "user base"), and single words that are uncommon
    ("quantization", "mentoring").
Which of them say something in this answer rather than in every answer is keypoints.py's choice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from voiceprep.bank.notes.asides import PLACEHOLDER
from voiceprep.normalize import STOPWORDS, is_english_word, phrase_tokens

# wordfreq's Zipf scale: 6 is "the", 3 is a word seen once per million words.
RARE_ZIPF = 3.6  # a pair with a word at most this common is a term (weighs more)
# A lone word this rare is a term; a capitalised one opening a sentence is a name.
RARE_SINGLE_ZIPF = 3.0
WORD_ZIPF = 4.2  # a lone word this uncommon is a phrase (when the other answers do not use it)
COMMON_ZIPF = 6.5  # a pair is a phrase unless a word is among the commonest of English
EXTRA_STOPWORDS = frozenset("""also using used based via etc eg ie while within without
across per every many much several various each able new like just still even""".split())
SCALE_WORDS = ("thousand", "million", "billion", "k", "m", "b", "mm", "bn")
# A day or a month is written with a capital but names nothing an answer is about ("Monday");
# "last year", "every morning" say when, which any story says.
CALENDAR = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february
march april may june july august september october november december""".split())
WHEN = frozenset("last next past this every each same previous coming".split()) | CALENDAR
TIME_UNITS = frozenset("""day week month year quarter morning afternoon evening night weekend
summer winter spring autumn fall time""".split())
_WORD = re.compile(r"(?:[^\W_]|\$)[\w$%+'’.,/&-]*")  # a letter of any script: "Élodie"
# "Result: ...", "Traffic Handling: ...", and plain notes' "Result - ..."
LEADING_LABEL = re.compile(r"^\s*(?:(?:[\w/+&'-]+\s+){0,3}[\w/+&'-]+:"
                           r"|(?:situation|task|action|result|impact|outcome|context|challenge"
                           r"|problem|solution|learning|lesson)s?\s+[-–—])\s", re.IGNORECASE)
TITLE = re.compile(r"^[^:]*:$")  # a section title alone: all its capitals are a title's
_FIGURE = re.compile(r"^[$<>~]?\d[\d,.]*(?:[%+kKmMbB]|ms|s)?\+?%?$")


@dataclass(frozen=True)
class Phrase:
    text: str
    kind: str  # "figure", "name", "term", "pair" or "word" (keypoints.KIND_WEIGHT)


@dataclass(frozen=True)
class _Word:
    text: str  # as written, trailing punctuation removed
    start: bool  # starts a sentence
    breaks: bool  # punctuation follows it


def unit_phrases(text: str, names: frozenset[str] = frozenset(),
                 generic: Callable[[str], bool] = lambda word: False) -> list[Phrase]:
    """Every candidate phrase of one unit, in order, without repeats; `names` are the words
    known to be names even at the start of a sentence, `generic` tells the words that say
    nothing in these notes (a term is made of the words around them)."""
    words = _words(PLACEHOLDER.sub(" ", text))
    found = _figures(words) + _names(words, names) + _terms(words, generic)
    found += [Phrase(other, p.kind) for p in found if p.kind in ("term", "pair")
              if (other := _other_number(p.text))]
    seen: set[tuple[str, ...]] = set()
    out = []
    for phrase in found:
        key = phrase_key(phrase.text)
        if key and key not in seen:
            seen.add(key)
            out.append(phrase)
    return out


def _other_number(phrase: str) -> str | None:
    """The phrase with its last word in the other number ("user bases" -> "user base", "use
    case" -> "use cases"), when that is an English word: people say either."""
    head, _, last = phrase.rpartition(" ")
    if not head or not last.isalpha() or len(last) < 4:
        return None
    if last.endswith(("us", "is")):  # "menus" -> "menu" (not "status" -> "stat", "basis")
        forms = [last[:-1]]
    elif last.endswith("s") and not last.endswith("ss"):
        forms = [last[:-1], last[:-2], last[:-3] + "y"]
    else:
        forms = [last[:-1] + "ies" if last.endswith("y") else "", last + "s", last + "es"]
    return next((f"{head} {form}" for form in forms if form and is_english_word(form)), None)


def named_terms(text: str, names: frozenset[str] = frozenset()) -> list[str]:
    """The tools, systems and names of a text (for a question's keywords)."""
    return [p.text for p in _names(_words(PLACEHOLDER.sub(" ", text)), names)]


def known_names(texts: Iterable[str]) -> frozenset[str]:
    """The words written with a capital inside a sentence somewhere in `texts`: names, also
    where a sentence starts with them ("Prometheus for metrics")."""
    return frozenset().union(*map(_names_in, texts))


# Unbounded: a bank's key points drafted at load time each read every other answer.
@cache
def _names_in(text: str) -> frozenset[str]:
    return frozenset(w.text for line in text.splitlines()
                     for w in _words(PLACEHOLDER.sub(" ", line))
                     if not w.start and _is_name(w, frozenset()))


def _words(text: str) -> list[_Word]:
    out: list[_Word] = []
    # "Traffic Handling: 15,000 requests": a label's capitals are no names
    label = LEADING_LABEL.match(text) or TITLE.match(text)
    label_end = label.end() if label else 0
    for m in _WORD.finditer(text):
        raw = m.group(0)
        word = raw.rstrip(".,;:!?'’/&-")
        if "," in word and not re.fullmatch(r"\$?\d{1,3}(?:,\d{3})+\+?%?", word):  # "$68,400"
            for piece in filter(None, re.split(r",\s*", word)):
                out.append(_Word(piece, not out, True))
            continue
        if not word:
            continue
        at = m.start() - 1  # the last character before the word and the spaces before it
        while at >= 0 and text[at].isspace():
            at -= 1
        start = (not out or at < 0 or text[at] in ".!?:(\"“" or m.start() < label_end)
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
    if not run or len(run) == 1 and (run[0].lower() in CALENDAR or _too_short(run[0])):
        return []
    return [Phrase(" ".join(run), "name"),
            *(Phrase(r, "name") for r in run
              if len(run) > 1 and _rare_name(r) and not _too_short(r))]


def _too_short(name: str) -> bool:
    """A name too short to stand for a point alone: a letter ("plan B"), two letters that are
    no initials ("Grant & Co"; not "BI", "Y4"), as any answer may say them."""
    return len(name) == 1 or len(name) == 2 and not name.isupper()


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
        if first.lower() in WHEN and second.lower().removesuffix("s") in TIME_UNITS:
            continue
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
def phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(t.stem for t in phrase_tokens(phrase))
