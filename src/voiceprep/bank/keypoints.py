"""Key points drafted from an answer: the claims a listener would check off, each with the short
phrases a person says when making it.

The candidates are the answer's units (a list item, a sentence; see `notes/`), each with its
phrases (phrases.py).
A phrase that any answer to the question would contain covers nothing, so a phrase is dropped
when its words are all in the question itself, or when the answers to other questions of the same
notes use it too (it is the person's vocabulary, not this answer's claim). A unit with no phrase
left is no key point. A section's title ("**End-to-End System Design:**") adds its phrases to the
first unit under it. The units with the most phrases (figures and names count more, a result
more still) become the key points, a phrase going to one point only: one per WORDS_PER_POINT
words of answer, between MIN_POINTS and MAX_POINTS when the answer has that many claims, and
past MIN_POINTS only units whose phrases weigh MIN_WEIGHT or more.

A key point weighs as many claims as its unit lists, up to MAX_WEIGHT: one, and one more for
each comma, semicolon, "and", "or", "+", slash or bracket that joins them ("Kubernetes, Docker,
AWS" weighs 3). A list of tools that a person checks off one by one is not one claim, and an
answer that names two of three of them has made more of the answer than one that makes a
single short point.

Required points, by a rule one can state: the first key point, and the first key point of the
answer's result ("Result:", "Impact:", "Outcome:").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from voiceprep.bank.notes import Unit
from voiceprep.bank.notes.asides import PLACEHOLDER
from voiceprep.bank.notes.words import ARROW, QUOTES, SENTENCE_END, UNFINISHED
from voiceprep.bank.phrases import (
    EXTRA_STOPWORDS,
    LEADING_LABEL,
    Phrase,
    known_names,
    phrase_key,
    unit_phrases,
)
from voiceprep.bank.questions import KeyPoint
from voiceprep.normalize import STOPWORDS, is_english_word, phrase_tokens

MIN_POINTS = 5
MAX_POINTS = 10
WORDS_PER_POINT = 40  # an answer gets one key point for about this many words
MAX_PHRASES = 12
# Past MIN_POINTS, a unit whose phrases weigh less than this (a few everyday word pairs, no
# figure or name) is no key point: it is the wording around the claims, which a person leaves
# out when saying the answer.
MIN_WEIGHT = 3.0
# In how many of the other questions' answers a phrase may appear before it counts as the
# person's general vocabulary (and as a share of them).
SHARED_QUESTIONS = 2
SHARED_SHARE = 0.25
RESULT_LABELS = ("result", "impact", "outcome", "achievement")
KIND_WEIGHT = {"figure": 3.0, "name": 2.0, "term": 1.0, "pair": 0.5, "word": 0.5}
RESULT_BONUS = 2.0
MAX_WEIGHT = 3
# What joins two claims in one unit; a comma inside a figure ("15,000") does not.
CLAIM_JOINT = re.compile(r"[,;](?!\d)| and | or | \+ |/|\(")
# Where a sentence's clauses join, most telling first (split_claim)
CLAUSE_JOINTS = (re.compile(r";\s+(?:and\s+)?"), re.compile(r"(?<!\d):\s+"),
                 re.compile(r",\s+(?:and|but|so)\s+|(?<!\d)\s+[-–—]\s+(?!\d)"))
MIN_CLAUSE_WORDS = 5
NUMBERED_LABEL = re.compile(r"^\s*\d+\s*[.):]\s*")
SAID = re.compile(r"\b(?:said|says|asked|asks|told|tells|replied|wrote|goes|went)\W*$",
                  re.IGNORECASE)  # "My manager said:" introduces words, not a topic


@dataclass(frozen=True)
class DraftPoint:
    """A key point and where it came from."""

    key_point: KeyPoint
    line: int  # the line of the notes (0 when derived from a bank's reference)


def draft_key_points(prompt: str, units: Sequence[Unit], notes: SharedVocabulary | None = None,
                     answer: int | None = None, names: frozenset[str] | None = None
                     ) -> tuple[DraftPoint, ...]:
    """The key points of one answer; `notes` holds the answers of the same notes (what the
    person says in the others is no claim of this answer), `answer` this one's place among them
    if it is one, `names` the words they write as names (known_names; by default, those of the
    answer and the others)."""
    notes = notes or SharedVocabulary(())
    if names is None:
        names = known_names([*notes.others(answer), *(u.text for u in units)])
    asked = {t.stem for t in phrase_tokens(prompt)}

    def common(phrase: str) -> bool:
        return notes.common(phrase, answer)

    def candidates_of(units: Sequence[Unit]) -> list[tuple[float, int, Unit, list[Phrase]]]:
        out = []
        label = ""
        for index, unit in enumerate(units):
            if PLACEHOLDER.search(unit.text):
                continue  # to be filled in: "[Company Name]" is nobody's claim yet
            found = unit_phrases(unit.text, names, common)
            if unit.label and unit.label != label and index:  # a section's title says what
                # its lines are about (the title above the first line is the whole answer's)
                found = unit_phrases(NUMBERED_LABEL.sub("", unit.label) + ":", names,
                                     common) + found
            label = unit.label
            phrases = [p for p in found if p.kind == "figure"
                       or not (_asked(p.text, asked) or common(p.text))]
            if not phrases:
                continue
            weight = sum(KIND_WEIGHT[p.kind] for p in phrases)
            if _is_result(_label_of(unit)):
                weight += RESULT_BONUS
            out.append((weight, index, unit, phrases))
        return out

    candidates = candidates_of(joined := with_sub_items(units))
    if len(candidates) >= MIN_POINTS:
        units = joined
    else:  # a short answer: its claims as written, to be cut at their clauses
        candidates = candidates_of(units)
    while len(candidates) < MIN_POINTS and (split := split_claim(units)) is not None:
        units, candidates = split, candidates_of(split)  # a short answer's long sentences
    words = sum(len(u.text.split()) for u in units)
    wanted = max(MIN_POINTS, min(MAX_POINTS, round(words / WORDS_PER_POINT)))
    chosen: list[tuple[int, Unit, list[Phrase]]] = []
    taken: set[tuple[str, ...]] = set()
    for weight, index, unit, phrases in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if len(chosen) == wanted or (len(chosen) >= MIN_POINTS and weight < MIN_WEIGHT):
            break
        fresh = [p for p in phrases if phrase_key(p.text) not in taken]
        if not fresh:
            continue
        taken.update(phrase_key(p.text) for p in fresh)
        chosen.append((index, unit, fresh))
    chosen.sort(key=lambda c: c[0])
    points: list[DraftPoint] = []
    ids: set[str] = set()
    result_seen = False
    for n, (_, unit, phrases) in enumerate(chosen):
        result = _is_result(_label_of(unit))
        required = n == 0 or (result and not result_seen)
        result_seen = result_seen or result
        unique: dict[tuple[str, ...], Phrase] = {}
        for phrase in phrases:
            unique.setdefault(phrase_key(phrase.text), phrase)
        ordered = sorted(unique.values(), key=lambda p: list(KIND_WEIGHT).index(p.kind))
        text = text_with_phrase(unit.text, [p.text for p in ordered[:MAX_PHRASES]])
        points.append(DraftPoint(KeyPoint(
            id=unique_id(slug(text), ids), text=text,
            phrases=tuple(p.text for p in ordered[:MAX_PHRASES]), required=required,
            weight=claim_count(unit.text), by_meaning=True),
            unit.line))
    return tuple(points)


def with_sub_items(units: Sequence[Unit]) -> list[Unit]:
    """The units with a list item that names a topic (it opens with a short label, "Scale: about
    70 studies", or points to its answer, "What matters most -> MaxDiff in Qualtrics") and is no
    finished sentence joined to the items nested under it, when it has at most MAX_WEIGHT of
    them and they are no sentences or labelled parts either: they complete its claim
    ("including patients over 65"; "at Pennyway we ranked 14 features with 410 respondents").
    Under a claim of its own ("Since 2021 I've been second in department"), a sentence
    ("Usability benchmark every quarter in Maze."), someone's words ("My manager said: ...") or
    a title in bold, each nested item is a claim of its own."""
    out: list[Unit] = []
    at = 0
    while at < len(units):
        unit = units[at]
        end = at + 1
        while end < len(units) and units[end].depth > unit.depth:
            end += 1
        nested = units[at + 1:end]
        if (unit.item and unit.depth and nested and len(nested) <= MAX_WEIGHT
                and all(n.depth == unit.depth + 1 and n.label == unit.label
                        and _fragment(n.text) and not LEADING_LABEL.match(n.text)
                        for n in nested)
                and _fragment(unit.text) and _names_topic(unit.text)
                and not any(PLACEHOLDER.search(u.text) for u in units[at:end])):
            text = unit.text
            for n, sub in enumerate(nested):
                text += (" " if text.endswith(":") else ": " if n == 0 else "; ") + sub.text
            out.append(replace(unit, text=text))
            at = end
        else:
            out.append(unit)
            at += 1
    return out


def _fragment(text: str) -> bool:
    """No finished sentence: it ends with no full stop, "!" or "?"."""
    return not text.rstrip(QUOTES + ")").endswith((".", "!", "?"))


def _names_topic(text: str) -> bool:
    """A line that names a topic: a short label ("Scale: about 70 studies"), not someone's
    words ("My manager said: ship it"), or an arrow to its answer ("What matters most ->
    MaxDiff")."""
    label = LEADING_LABEL.match(text)
    if label and not SAID.search(label.group(0)):
        return True
    return bool(ARROW.search(text))


def split_claim(units: Sequence[Unit]) -> list[Unit] | None:
    """The units with the longest sentence that has clauses cut in two, or None when none has:
    a short answer with fewer than MIN_POINTS claims found is cut until it has them (four
    sentences, one of them "I'd still reach for UIKit in a few cases: very large lists...; text
    input...; and screens embedded in a UIKit stack", make more claims than four). Cut at a
    semicolon, else a colon, else ", and", ", but", ", so" (left out of the clause) or a dash
    not between figures ("10 - 15 engineers"), nearest the middle and not inside brackets or
    quotes; each clause keeps MIN_CLAUSE_WORDS words or more."""
    for at in sorted(range(len(units)), key=lambda i: -len(units[i].text.split())):
        parts = [] if PLACEHOLDER.search(units[at].text) else _clauses(units[at].text)
        if parts:
            return [*units[:at], *(replace(units[at], text=part) for part in parts),
                    *units[at + 1:]]
    return None


def _clauses(text: str) -> list[str]:
    """The sentence cut in two at its best joint, or [] when it has none. (The words and
    brackets before each joint are counted on from the joint before: a sentence pasted as one
    long paragraph takes time in proportion to its length, not to its square.)"""
    words = [w.start() for w in re.finditer(r"\S+", text)]
    for joint in CLAUSE_JOINTS:
        cuts = []
        seen, marks = 0, Counter[str]()
        for m in joint.finditer(text):
            marks.update(c for c in text[seen:m.start()] if c in MARKS)
            seen = m.start()
            if min(bisect_left(words, m.start()), len(words) - bisect_left(words, m.end())
                   ) >= MIN_CLAUSE_WORDS and not _open(marks):
                cuts.append(m)
        if cuts:
            middle = len(text) / 2
            cut = min(cuts, key=lambda m: abs(m.start() - middle))
            return [text[:cut.start()].strip(" ,;:-–—"), text[cut.end():].strip()]
    return []


MARKS = '()[]"“”'


def _enclosed(before: str) -> bool:
    """Whether a place in a sentence is inside brackets or quotes: "(quarterly OKRs, reviewed
    monthly, and adjusted)", "told me "lead with the number, and then the story"": no joint."""
    return _open(Counter(c for c in before if c in MARKS))


def _open(marks: Counter[str]) -> bool:
    """Whether the brackets and quotes counted before a place leave it inside some."""
    return (marks["("] > marks[")"] or marks["["] > marks["]"]
            or (marks['"'] + marks["“"] + marks["”"]) % 2 == 1)


def claim_count(text: str) -> float:
    """How many claims a unit joins (its key point's weight), up to MAX_WEIGHT."""
    return float(min(MAX_WEIGHT, 1 + len(CLAIM_JOINT.findall(text))))


def draft_from_reference(prompt: str, reference: str, notes: SharedVocabulary | None = None,
                         answer: int | None = None) -> tuple[KeyPoint, ...]:
    """Key points for a bank question written with a reference answer and no key points;
    `notes` and `answer` as for draft_key_points."""
    return tuple(d.key_point for d in draft_key_points(prompt, units_of_text(reference), notes,
                                                       answer))


def units_of_text(text: str) -> list[Unit]:
    """A plain answer's units: each line's sentences, a paragraph wrapped over several lines
    being one line (_unwrapped), a list item (its "-" or "1." left out) one unit; a line ending
    with ":" titles the lines under it."""
    units: list[Unit] = []
    label = ""
    for number, line in _unwrapped(text.splitlines()):
        if _is_title(line):
            label = line.rstrip(":").strip()
            continue
        item = bool(LIST_MARK.match(line))
        line = LIST_MARK.sub("", line)
        sentences = [s for s in SENTENCE_END.split(line) if s.strip()]
        item = item or (len(sentences) == 1 and not line.endswith((".", "!", "?")))
        units += [Unit(s.strip(), number, label, number, item) for s in sentences]
    return units


LIST_MARK = re.compile(r"^(?:[-*•+]|\d{1,2}[.)])\s+")  # not a year: "2019. That year..."


def _unwrapped(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, text) of each line, a paragraph wrapped at a width (as in a TOML file) made
    one: in a run of lines, when more than half of the breaks that end no sentence fall inside
    one (the next line goes on with an English word in lowercase, or the line ends on a word no
    sentence ends on: "...and I then" / "moved into MLOps"), the run is a paragraph; when they
    fall between claims, one per line ("Led the Kafka migration" / "Cut p99 latency 40%"), its
    lines stay apart. A list item or a title starts a new run."""
    out: list[tuple[int, str]] = []
    run: list[tuple[int, str]] = []

    def close() -> None:
        breaks = [(a, b) for (_, a), (_, b) in zip(run, run[1:], strict=False)
                  if not a.endswith((".", "!", "?", ":", ";"))]
        inside = sum(_goes_on(b) or a.split()[-1].lower() in UNFINISHED for a, b in breaks)
        if breaks and 2 * inside > len(breaks):
            out.append((run[0][0], " ".join(line for _, line in run)))
        else:
            out.extend(run)
        run.clear()

    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or _is_title(line) or LIST_MARK.match(line):
            close()
        if _is_title(line):
            out.append((number, line))
        elif line:
            run.append((number, line))
    close()
    return out


def _goes_on(line: str) -> bool:
    """A line that goes on a sentence: it starts with an English word in lowercase ("on AWS,
    mostly...", not "dbt models for every team")."""
    first = line.split()[0].rstrip(",;:.")
    return first.islower() and (first in STOPWORDS or is_english_word(first))


def _is_title(line: str) -> bool:
    return line.endswith(":") and len(line.split()) <= 8


SHORT_TEXT_BREAK = re.compile(r",|;| [-–—] | which | while | so that | because ")


def short_text(text: str, most: int = 14) -> str:
    """A unit's claim in a few words: up to its first clause break once long enough; not a
    break inside brackets or quotes, in a range ("10 - 15 engineers") or after a word no
    sentence ends on ("between 10, ...")."""
    text = re.sub(r"\s+", " ", text).strip().rstrip(".:;,")
    words = text.split()
    if len(words) <= most:
        return text
    start = len(" ".join(words[:6])) + 1
    end = len(" ".join(words[:most + 1]))
    for cut in SHORT_TEXT_BREAK.finditer(text, start, end):
        head = text[:cut.start()].strip().rstrip(".:;,")
        # "10 - 15", "3,000", "9am - 5pm", "£40k - £45k": a figure either side
        in_range = (any(c.isdigit() for c in head.split()[-1])
                    and any(c.isdigit() for c in (text[cut.end():].split() or [""])[0]))
        if not (_enclosed(head) or in_range or head.split()[-1].lower() in UNFINISHED):
            return head
    kept = words[:most]
    while len(kept) > 6 and (kept[-1].lower().strip(",;:") in UNFINISHED
                             or kept[-1] in ("-", "–", "—")):
        kept.pop()  # "... through a…", "... (two in Leeds -…"
    return " ".join(kept).rstrip(".:;,") + "…"


def text_with_phrase(text: str, phrases: Sequence[str], most: int = 24) -> str:
    """A unit's claim in a few words (short_text), but where those words hold none of the
    point's phrases (they come from a later clause: "I set up a weekly call with their head of
    ops, got an engineer assigned ... for two weeks"), up to the clause break after the first
    phrase said, at most `most` words: the text shows what the phrases check."""
    short = short_text(text)
    lowered = [p.lower() for p in phrases]
    if not lowered or any(p in short.lower() for p in lowered):
        return short
    flat = re.sub(r"\s+", " ", text).strip().rstrip(".:;,")
    found = [at + len(p) for p in lowered if (at := flat.lower().find(p)) >= 0]
    if not found:
        return short
    cut = next((c for c in SHORT_TEXT_BREAK.finditer(flat, min(found))
                if not (flat[c.start() - 1:c.start()].isdigit()  # (not in "3,000")
                        and flat[c.end():c.end() + 1].isdigit())), None)
    head = flat[:cut.start()] if cut else flat
    words = head.rstrip(".:;,").split()
    return " ".join(words) if len(words) <= most else " ".join(words[:most]) + "…"


def slug(text: str, most: int = 4) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower())
             if w not in STOPWORDS and w not in EXTRA_STOPWORDS]
    return "-".join(words[:most]) or "point"


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... if taken; the one returned is then taken."""
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


def _asked(phrase: str, asked: set[str]) -> bool:
    """Every content word of the phrase is in the question: any answer says it."""
    content = [t.stem for t in phrase_tokens(phrase) if t.text not in STOPWORDS]
    return bool(content) and all(c in asked for c in content)


def _stemmed(text: str) -> str:
    return " " + " ".join(t.stem for t in phrase_tokens(text)) + " "


class SharedVocabulary:
    """The answers of one set of notes, to tell the phrases a person says in the answers to
    other questions than one.

    A phrase is looked for only in the answers that have its rarest word (each word's answers
    are indexed once), and counted once for all: in a few hundred answers a phrase is in too few
    of them to be common on that count alone, so large notes cost no more per answer than small
    ones."""

    def __init__(self, answers: Sequence[str]) -> None:
        self.answers = tuple(answers)
        self._texts = [_stemmed(a) for a in self.answers]
        self._with_word: dict[str, set[int]] = {}
        for i, text in enumerate(self._texts):
            for stem in text.split():
                self._with_word.setdefault(stem, set()).add(i)
        self._with_phrase: dict[tuple[str, ...], int] = {}

    def others(self, answer: int | None) -> list[str]:
        """The answers but the one at `answer`."""
        return [a for i, a in enumerate(self.answers) if i != answer]

    def common(self, phrase: str, answer: int | None = None) -> bool:
        """Whether the phrase is in at least SHARED_QUESTIONS of the answers but the one at
        `answer`, and in SHARED_SHARE of them."""
        key = phrase_key(phrase)
        others = len(self._texts) - (answer is not None)
        if not key or not others:
            return False
        needed = max(SHARED_QUESTIONS, SHARED_SHARE * others)
        rarest = min((self._with_word.get(stem, set()) for stem in key), key=len)
        if len(rarest) - (answer in rarest) < needed:
            return False
        run = " " + " ".join(key) + " "
        if key not in self._with_phrase:
            self._with_phrase[key] = sum(run in self._texts[i] for i in rarest)
        own = answer is not None and run in self._texts[answer]
        return self._with_phrase[key] - own >= needed
