"""What an answer holds that is not said: a note to oneself, a reminder of how to say it, a
reviewer's comment, a to-do or a box to tick, a placeholder to fill in, a limit on the answer's
length, and a word processor's page footers and running header."""

from __future__ import annotations

import re
from collections import Counter

from voiceprep.bank.notes.titles import asks_the_person
from voiceprep.bank.notes.words import ORG_KEYWORD

# "[Company Name]", "[mention specific: ...]"; not "[ ]" / "[x]" (a checklist box).
# A reviewer's comment exported with a document: "[Comment from Sam: make this shorter]"
_COMMENT = r"\[\s*comment\s+(?:from|by)\s+[^\[\]:\n]{1,40}:(?!\s*[\"“'‘])[^\[\]\n]*\]"
COMMENT = re.compile(rf"\s*{_COMMENT}", re.IGNORECASE)
PLACEHOLDER = re.compile(rf"(?!(?i:{_COMMENT}))\[(?!\s*[xX]?\s*\])[^\[\]\n]+\]")
# A word processor's page footer pasted with the text: "H&V prep – P. Raman   Page 2 of 3"
PAGE_FOOTER = re.compile(r"^(?:\s*|(?![-*+•\d]).*\S(?:\s{3,}|\t)\s*)page\s+\d+\s+of\s+\d+\s*$",
                         re.IGNORECASE)  # alone, or far right of the line; not "- on page 14 of 60"
# A note to oneself in brackets inside an answer is not said: "(don't sound smug here)", "(STAR -
# this is the big one)", "(SAY THE NUMBERS SLOWLY)". It tells oneself what to do, marks a story
# in capitals, or shouts a sentence (capitals with a small word among them, not "(AWS SQS FIFO)").
NOTE_TO_SELF = re.compile(
    r"\s*\((?:\s*(?:don'?t|do not|remember|mention|pause on|smile|emphasi[sz]e|avoid|careful"
    r"|say (?:this|it|the)|keep (?:it|to)|need to|look up|think about"
    r"|need an? (?:real|better|good|proper|new) (?:example|story)"
    r"|practi[sc]e (?:it|this|with (?:a )?timer))"
    r"\s+\w[^()]*"
    r"|\s*(?:note|tip|todo|note\s+to\s+(?:self|myself))\s*:[^()]*|\s*too\s+(?:long|short)\s*!+[^()]*"
    r"|\s*(?:me|self)\s*[-–—:](?=[^()]*(?:\?|\b(?:check|ask|look\s+up|find\s+out|remember"
    r"|need|update|practi[sc]e|fix|add|change|cut|rewrite)\b))"
    r"[^()]*"
    r"|\s*come\s+back\s+to\s+(?:this|it)\b[^()]*"
    r"|(?-i:\s*S\.?T\.?A\.?R\.?\b(?:\s*[-–—:,][^()]*)?)"
    r"|(?-i:[^()]*\b[A-Z]{2,}\s+(?:THE|THIS|IT|A|TO|AND|OF)\s+[A-Z]{2,}\b[^()]*))\)",
    re.IGNORECASE)
UNWRITTEN = re.compile(r"^\W*(?:(?:todo|fixme)\b(?!\s+(?:apps?|lists?)\b)"
                       r"|(?:tbd|tbc)(?=\s*(?:[:.!–—-]|$)|\s+(?:need|ask|check|look|find|add"
                       r"|write|confirm|read|think)\b)|(?:to do|write this)\W*$)"
                       r"|^\s*\?{2,}\s*$", re.IGNORECASE)  # an answer still to write ("TBD",
# "???"), a to-do in it ("TODO - watch the video on air brakes", "→ TBD. look at it again",
# "TBD need the exact number"; not "TBC with my manager - probably 4 weeks", "Todo app")
ORG_DONE = re.compile(r"^DONE\s+(?=[a-z])")  # an Org task done: "** DONE update LinkedIn"
TICKED_BOX = re.compile(r"^\[[ xX]\]\s*")  # a box opening a line of an answer, left out
CHECKBOX = re.compile(r"^\W*?(?:☐|\[ ?\])\s*")  # a box to tick: "☐ iron shirt", "[ ] print CV"
# "Remember: say "we" but ...", "NB: say "we"", "REMEMBER: slow down": how to say it, not said
# (not "Remember: if it isn't documented, it didn't happen", "Reminder: pause after each number")
REMINDER = re.compile(r"^\W*(?:remember|reminder|nb)\s*[:–—-]\s*(?:to\s+)?(?:say|mention"
                      r"|slow\s+down|speak\s+slowly|don'?t\s+(?:gabble|ramble|waffle|rush))\b",
                      re.IGNORECASE)
# A careers worksheet's advice, a paragraph after the answer: "Tips: Keep it under 2 minutes."
ADVICE = re.compile(r"^\W*(?:tips?|hints?)\s*:", re.IGNORECASE)
# A line unsure what the answer will be, in its place: "?? use the flu clinic example OR the
# care home audit. Decide!!", "- need a better example than the charity match?? ask Sgt Reeves",
# "TBC – maybe the Storm Babet surge? Ask Marcia"
# (not "??? never done it directly. say: supported the buyer ...", a plan of the answer, nor
# "?? not really - but there was one time ... or pairing", "I need a better example, but: ...")
UNDECIDED = re.compile(r"^\W*?(?:(?:\?{2,}|tb[cd]\b)"
                       r"(?=.*(?-i:\bOR\b|\b[Dd]ecide\b|\b[Aa]sk\s+[A-Z])"
                       r"|(?=(?:\W*\w+){0,12}\W*$).*\b(?:or|maybe|think\s+about)\b)"
                       r"|(?:i\s+)?need\s+an?\s+(?:real|better|good|proper|new|different"
                       r"|stronger)\s+(?:example|story)\b(?!.*\bbut\b))", re.IGNORECASE)
# A line all in brackets that shouts "!!" or sets a check to make: "(say slowly!! last time I
# rushed)", "(forgot overtime!! ask next time)", "(check: is it called "non-advised"? ask Wei
# Jie)" (not "(our best year!)", "(Check: see it, hear it, report it.)", "(Ask: what would make
# this right for you?)", which may be said)
BRACKETED_NOTE = re.compile(r"\((?:[^()]*!!|\s*check\s*:[^()]*\?)[^()]*\)", re.IGNORECASE)
# A line in capitals after an answer's first line, shouted with "!" or an emoji: a note to
# oneself ("EYE CONTACT 👀", "SMILE & SLOW DOWN 😊"; not "SQL / SAS / SPSS / VBA", "MOVING AND
# HANDLING, BLS", nor notes all in capitals)
SHOUTED = re.compile(r"(?=(?:[^A-Za-z]*[A-Z]){4})(?=\S+\s+\S)(?=.*(?:!|[\U0001F300-\U0001FAFF]))"
                     r"[^a-z\d,/]*")
NOTE_TO_SELF_LINE = re.compile(r"^\W*note\s+to\s+self\s*:", re.IGNORECASE)  # never asks
# A limit on the answer's length in italics on its own line: "*(90 seconds max – don't go
# through the whole CV)*" (not "(3 mins max – don't stop for bags)" in a line of an answer)
LENGTH_NOTE = re.compile(r"\(\s*\d+(?:\s*[–-]\s*\d+)?\s*(?:sec(?:ond)?s?|min(?:ute)?s?)"
                         r"\s+(?:max|tops)\b[^()]*\)", re.IGNORECASE)
def without_page_furniture(text: str) -> str:
    """The text without a word processor's page footers ("... Page 2 of 3"), the running
    header after each and the running footer line over each (a line the notes repeat there),
    pasted with it, and the form feeds between pages (pdftotext's): blank lines in their
    place."""
    lines = text.replace("\f", "").split("\n")
    after: list[int] = []  # the first line after each footer
    before: list[int] = []  # the last line before each
    footer = False
    for at, line in enumerate(lines):
        if PAGE_FOOTER.search(line):
            lines[at], footer = "", True
            before += [next((up for up in range(at - 1, -1, -1) if lines[up].strip()), at)]
        elif line.strip():
            if footer:
                after.append(at)
            footer = False
    for edge in (after, before):  # a running header heads each page, a footer line ends it
        repeated = Counter(lines[at].strip() for at in edge)
        for at in edge:  # (not a question asked again on the one page after a footer)
            if repeated[lines[at].strip()] >= 2:
                lines[at] = ""
    return "\n".join(lines)


def to_do(text: str) -> bool:
    """A to-do, never a question: "TODO think of an example?" (not an Org heading's keyword
    before one, "TODO Why us?"), an Org task done ("DONE update LinkedIn"; not "DONE how do you
    safeguard pupils on trips?"), a box to tick that asks nothing of the person ("☐ tell Nero
    manager before i accept??"; not "- [ ] Why this company?")."""
    return (bool(UNWRITTEN.match(text)) and not ORG_KEYWORD.match(text)
            or bool(ORG_DONE.match(text)) and not text.rstrip().endswith("?")
            or bool(CHECKBOX.match(text)) and not asks_the_person(CHECKBOX.sub("", text).strip()))
