"""Text normalisation for matching: words as speech recognition writes them -> comparable tokens.

Both sides of a comparison (a bank phrase and a transcript) go through the same steps, so
"Three percent", "3%" and "3 per cent" all become ["3", "percent"], "fifty million", "50 million"
and "50M" all become ["50000000"], and "A/B-tested" becomes ["a", "b", "test"].
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# "50k requests", "50M predictions", "2B events": the spoken scale written as a suffix.
SUFFIX_SCALES = {"k": 1_000, "m": 1_000_000, "mm": 1_000_000, "b": 1_000_000_000,
                 "bn": 1_000_000_000}

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
let me more most my myself no nor not now of off on once only or other our ours ourselves out over
own really same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours yourself yourselves im ive id ill youre weve were
thats theres dont didnt doesnt isnt wasnt cant wont get got go going gonna wanna lot lots thing
things kind sort okay ok yeah yes well like know mean think said say says
""".split())

# A canonical spelling for each filler word: recognisers and typists write "umm", "uhh", "hmmm".
FILLER_PATTERNS = (
    ("um", re.compile(r"^u+h*m+$")),
    ("uh", re.compile(r"^u+h+$")),
    ("erm", re.compile(r"^e+r+m+$")),
    ("er", re.compile(r"^e+r+h*$")),
    ("hmm", re.compile(r"^h+m+$")),
    ("mm", re.compile(r"^m{2,}$|^mhm+$")),
    ("ah", re.compile(r"^a+h+$")),
)

_DIGITS = re.compile(r"^\d+(?:\.\d+)?$")
_DIGITS_WITH_COMMAS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_NUMBER_SUFFIX = re.compile(r"^(\d+(?:\.\d+)?)(k|m|mm|b|bn)$")
# Whisper's word timestamps cut a written word at its punctuation: "99.9%" comes out as the words
# "99", ".9", "%"; "15,000" as "15", ",000"; "end-to-end" as "end", "-to", "-end". Digit groups
# may also be set apart by a space ("15 000").
_CONTINUES_NUMBER = re.compile(r"^[.,]\d|^%")
_DIGIT_GROUPS = re.compile(r"^\d{1,3}$")
_THOUSANDS_GROUP = re.compile(r"^\d{3}(?!\d)")
_CONTINUES_WORD = re.compile(r"^-\w")


@dataclass(frozen=True)
class Token:
    """One comparable token and the span of transcript words it came from."""

    text: str  # normalised: lowercase, no punctuation, numbers as digits
    first: int  # index of the first source word
    last: int  # index of the last source word (numbers spoken as several words span several)
    stem: str = ""  # text without an inflection suffix ("deployed" -> "deploy")
    sound: str = ""  # text spelled as it sounds ("graphana" -> "grafana", "kafca" -> "kafka")


def bare_word(word: str, keep: str = "'") -> str:
    """A word as it is compared with another: lowercase, letters and digits only, plus the
    characters in `keep` ("Don't," -> "don't")."""
    return re.sub(rf"[^\w{re.escape(keep)}]", "", word.lower())


def plain_quotes(text: str) -> str:
    """Typographic apostrophes as typed ones: notes pasted from a word processor say "didn’t"."""
    return text.replace("’", "'").replace("‘", "'")


def ends_sentence(word: str) -> bool:
    """Whether a word of a transcript ends its sentence (. ! or ?, before any closing quote)."""
    return word.strip().rstrip("\"')”’").endswith((".", "!", "?"))


def filler_form(word: str) -> str | None:
    """The canonical filler ("um", "uh", ...) this word is, or None."""
    w = bare_word(word, keep="")
    if not w:
        return None
    for name, pattern in FILLER_PATTERNS:
        if pattern.match(w):
            return name
    return None


def split_word(word: str) -> list[str]:
    """One written word -> lowercase pieces: no punctuation, '%' -> 'percent', '50M' -> digits."""
    w = _folded(word.lower().strip())
    w = plain_quotes(w)
    w = re.sub(r"'(s|re|ve|ll|d|m|t)\b", r"\1", w)  # it's -> its, don't -> dont
    w = re.sub(r"(\d),(?=\d{3}\b)", r"\1", w)  # 15,000 -> 15000
    w = w.replace("%", " percent ").replace("&", " and ").replace("$", " $ ")
    w = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", w)  # keep only decimal points
    w = re.sub(r"[^\w.$]+|_", " ", w)  # (letters of any script kept: "Яндекс", "北京")
    pieces: list[str] = []
    for piece in w.split():
        m = _NUMBER_SUFFIX.match(piece)
        if m:
            pieces.append(_format(Decimal(m.group(1)) * SUFFIX_SCALES[m.group(2)]))
            continue
        # "100ms" -> "100 ms", "p99" -> "p 99", "k8s" -> "k 8 s": the same as when spoken apart
        pieces.extend(p for p in re.split(r"(\d+(?:\.\d+)?)", piece) if p)
    return pieces


# Letters that carry their mark in their shape (no combining mark to drop), as a recogniser
# writes them without it
UNMARKED = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe",
                          "þ": "th", "ı": "i"})


def _folded(word: str) -> str:
    """A word's accents left out, as a recogniser may write it without them ("Ömer" and
    "Omer", "café" and "cafe", "résumé" one word, "Søren" and "Soren"): its canonical
    decomposition less the combining marks (not a compatibility one, which makes "…" three
    dots and "5½" "51⁄2")."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFD", word)  # (and "½", "²" left out,
                   if not unicodedata.combining(c) and unicodedata.category(c) != "No"  # as
                   ).translate(UNMARKED)  # before: "5½ years" is "5 years")


def _format(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _number_value(piece: str) -> Decimal | None:
    if _DIGITS.match(piece):
        try:
            return Decimal(piece)
        except InvalidOperation:
            return None
    return None


def join_numbers(pieces: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Spoken numbers -> digits over (piece, first word, last word) triples: 'ninety nine point
    nine' -> '99.9'.

    Also "per cent" -> "percent" and "$50" -> "50 dollars". Returns (text, first word index,
    last word index) triples.
    """
    out: list[tuple[str, int, int]] = []
    i = 0
    n = len(pieces)
    while i < n:
        text, idx, last = pieces[i]
        if text == "$":
            parsed = _parse_number(pieces, i + 1)
            if parsed is not None:
                value, end = parsed
                out.append((_format(value), idx, pieces[end - 1][2]))
                out.append(("dollars", idx, pieces[end - 1][2]))
                i = end
            else:
                i += 1
            continue
        parsed = _parse_number(pieces, i)
        if parsed is None:
            if text == "cent" and out and out[-1][0] == "per":
                out[-1] = ("percent", out[-1][1], last)
            else:
                out.append((text, idx, last))
            i += 1
            continue
        value, end = parsed
        out.append((_format(value), idx, pieces[end - 1][2]))
        i = end
    return out


def _is_word_number(p: str) -> bool:
    return p in UNITS or p in TENS or p == "hundred" or p in SCALES


def _parse_number(pieces: list[tuple[str, int, int]], i: int) -> tuple[Decimal, int] | None:
    """Parse a number starting at pieces[i]; return (value, index after it) or None."""
    n = len(pieces)
    if i >= n:  # a "$" with nothing after it
        return None
    first = pieces[i][0]
    if first in ("a", "an"):
        if i + 1 < n and (pieces[i + 1][0] == "hundred" or pieces[i + 1][0] in SCALES):
            total, current, last, j = Decimal(0), Decimal(1), "unit", i + 1
        else:
            return None
    elif _number_value(first) is not None or _is_word_number(first):
        if first == "hundred" or first in SCALES:
            return None  # "hundreds of", "thousands of": not a number on its own
        total, current, last, j = Decimal(0), Decimal(0), "", i
    else:
        return None
    while j < n:
        p = pieces[j][0]
        digit = _number_value(p)
        if digit is not None:
            if last:
                break
            current, last = digit, "digit"
        elif p in UNITS:
            u = UNITS[p]
            if last in ("unit", "digit", "decimal") or (last == "tens" and u >= 10):
                break
            current += u
            last = "unit"
        elif p in TENS:
            if last in ("unit", "tens", "digit", "decimal"):
                break
            current += TENS[p]
            last = "tens"
        elif p == "hundred":
            if last not in ("unit", "digit") or current >= 100:
                break
            current *= 100
            last = "hundred"
        elif p in SCALES:
            if last not in ("unit", "tens", "digit", "hundred", "decimal"):
                break
            total += current * SCALES[p]
            current = Decimal(0)
            last = "scale"
        elif p == "and" and last in ("hundred", "scale") and j + 1 < n and (
            pieces[j + 1][0] in UNITS or pieces[j + 1][0] in TENS
        ):
            last = "and"
        elif p == "point" and last in ("unit", "tens", "digit") and j + 1 < n:
            decimals = _parse_decimals(pieces, j + 1)
            if decimals is None:
                break
            frac, j = decimals
            current += frac
            last = "decimal"
            continue
        else:
            break
        j += 1
    if not last:
        return None
    return total + current, j


def _parse_decimals(pieces: list[tuple[str, int, int]], j: int) -> tuple[Decimal, int] | None:
    """'point nine five' -> (0.95, index after); 'point 5' -> (0.5, ...)."""
    digits = ""
    n = len(pieces)
    if j < n and re.fullmatch(r"\d+", pieces[j][0]):
        return Decimal("0." + pieces[j][0]), j + 1
    while j < n and pieces[j][0] in UNITS and UNITS[pieces[j][0]] < 10:
        digits += str(UNITS[pieces[j][0]])
        j += 1
    if not digits:
        return None
    return Decimal("0." + digits), j


def stem(token: str) -> str:
    """A light suffix stripper so that 'deployed', 'deploying' and 'deploys' compare as 'deploy'."""
    if not token.isalpha() or len(token) < 4:
        return token
    if len(token) == 4:  # "mvps", "kpis", "pods"
        return token[:-1] if token.endswith("s") and not token.endswith(("ss", "us", "is")) \
            else token
    if token.endswith("ies") and len(token) > 5:
        token = token[:-3] + "y"
    elif token.endswith("ing") and len(token) >= 6:
        token = _undouble(token[:-3])
    elif token.endswith("ed") and len(token) >= 5:
        token = _undouble(token[:-2])
    elif re.search(r"(s|x|z|ch|sh)es$", token):
        token = token[:-2]
    elif token.endswith("s") and not token.endswith(("ss", "us", "is")):
        token = token[:-1]
    if token.endswith("e") and len(token) > 4:  # "manage" and "managed" -> "manag"
        token = token[:-1]
    return token


def _undouble(token: str) -> str:
    """'dropp' (from 'dropped') -> 'drop', 'runn' -> 'run'; but 'call', 'pass', 'buzz', 'staff'."""
    if len(token) >= 4 and token[-1] == token[-2] and token[-1] not in "aeioulszf":
        return token[:-1]
    return token


def sound(token: str) -> str:
    """A rough spelling-by-sound, so that a recogniser's sound-alike spellings compare equal."""
    if not token.isalpha():
        return token
    s = token.replace("ph", "f").replace("ck", "k").replace("q", "k").replace("z", "s")
    s = re.sub(r"c(?=[eiy])", "s", s).replace("c", "k")
    s = re.sub(r"o[ou]", "u", s)  # "rooting" / "routing"
    s = re.sub(r"e[ea]", "i", s)  # "leeder" / "leader"
    if len(s) >= 5:  # an unstressed ending sounds the same however spelled: "scalar" / "scaler"
        s = re.sub(r"(?<=[^aeiou])(?:ar|or|our)$", "er", s)
    return re.sub(r"(.)\1+", r"\1", s)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Common English words of four letters or more (SCOWL, shipped in the package)."""
    text = resources.files("voiceprep").joinpath("data/english_words.txt").read_text("utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


def is_english_word(token: str) -> bool:
    return len(token) >= 4 and token in english_words()


# Units as notes shorten them ("3 yrs", "6 mths", "15 mins"), and as they are said (not "hr",
# which is HR as often, nor "min", "sec": minimum, secondary)
WRITTEN_SHORT = {"yr": "year", "yrs": "years", "mth": "month", "mths": "months",
                 "wk": "week", "wks": "weeks", "hrs": "hours", "mins": "minutes",
                 "secs": "seconds"}


def tokens_of_words(words: list[str], skip_fillers: bool = True) -> list[Token]:
    """Transcript words -> comparison tokens, each knowing which words it came from; a unit
    written short is the word said ("3 yrs" is "3 years")."""
    pieces: list[tuple[str, int, int]] = []
    for word, first, last in rejoin_words(words, skip_fillers):
        pieces.extend((WRITTEN_SHORT.get(p, p), first, last) for p in split_word(word))
    return [Token(text, first, last, stem(text), sound(text))
            for text, first, last in join_numbers(pieces)]


def rejoin_words(words: list[str], skip_fillers: bool = True) -> list[tuple[str, int, int]]:
    """Put back together the written words a recogniser cut at their punctuation.

    Returns (word, first word index, last word index): ["99", ".9", "%"] -> ("99.9%", 0, 2).
    """
    out: list[tuple[str, int, int]] = []
    for index, word in enumerate(words):
        if skip_fillers and filler_form(word):
            continue
        stripped = word.strip()
        if out and out[-1][2] == index - 1 and not out[-1][0][-1:].isspace():
            previous = out[-1][0]
            if ((_CONTINUES_NUMBER.match(stripped) and previous[-1:].isdigit())
                    or (_THOUSANDS_GROUP.match(stripped) and _DIGIT_GROUPS.match(
                        previous[-3:] if out[-1][2] > out[-1][1] else previous))
                    or (_CONTINUES_WORD.match(stripped) and previous[-1:].isalnum())):
                out[-1] = (previous + stripped, out[-1][1], index)
                continue
        out.append((stripped, index, index))
    return out


def written(words: list[str]) -> str:
    """Words of a transcript as written, the pieces a recogniser cut at their punctuation put
    back together: ["1", ".2", "million"] -> "1.2 million", ["8", "%"] -> "8%"."""
    return " ".join(word for word, _, _ in rejoin_words([w.strip() for w in words],
                                                       skip_fillers=False))


def phrase_tokens(phrase: str) -> list[Token]:
    """A bank phrase -> comparison tokens."""
    return tokens_of_words(phrase.split(), skip_fillers=False)
