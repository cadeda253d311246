"""The shape of a story answer: which of Situation, Task, Action and Result it has, the words
that showed each, and whether the result carries a number.

Each part is found by the phrases people use to open it ("at my last job", "my job was to",
"so I set up", "as a result"), matched on the answer's words with punctuation and case set
aside, so a typed answer and a transcript read the same. A task is also told by its shape (a
need, a deadline, a constraint) and by a start that sounds like a task opener misheard, as
people word it freely and the recogniser mishears its openers. A result is quantified when a number
(digits, a number word, "percent", "half", "doubled"...) is said between the start of the
result and the start of the next part. Rules rather than a model: each decision can be shown
as the words that made it, and benchmarks/star_eval.py measures them on labeled answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from voiceprep.hearing.transcript import Word
from voiceprep.normalize import ends_sentence, plain_quotes, written

STAR_PARTS = ("situation", "task", "action", "result")

_PAST_ACTION = (
    r"(?:decided|started|began|built|wrote|rewrote|created|set up|setup|introduced|proposed"
    r"|organi[sz]ed|scheduled|talked|spoke|met|called|reached out|pulled|added|implemented"
    r"|designed|migrated|automated|ran|led|worked with|worked through|sat down|asked|suggested"
    r"|put together|put in|gathered|analy[sz]ed|investigated|dug into|traced|fixed|replaced"
    r"|moved|split|changed|took|brought|convinced|negotiated|documented|trained|paired|drafted"
    r"|prototyped|rolled out|deployed|tested|measured|reviewed|escalated|prioriti[sz]ed"
    r"|broke|mapped|interviewed|wrapped|refactored|profiled|benchmarked|coordinated|mentored"
    r"|volunteered|stepped in|focused|cut the|rebuilt|reworked|instrumented|configured"
    r"|switched|shadowed|listened|explained|presented|shared|wrote up|compared|checked"
    r"|collected|looked into|went through|sketched|arranged|invited|created|pushed for"
    r"|opened|closed|agreed|learned how|taught|hired|held|kept|made sure|made a|used)")

_TIME_GONE_BY = (
    r"\b(?:(?:within|after) (?:a|one|two|three|four|five|six|seven|eight|nine|ten|a few"
    r"|a couple of|\d+) (?:days?|weeks?|months?|quarters?|years?)\b(?! (?:to|of)\b)"
    r"|(?:a|one|two|three|four|six|\d+) (?:weeks?|months?|years?) later\b)")

# A duty that is the speaker's ("was down to me"), after whatever names it.
_ON_ME = r"(?:on|down to|up to) (?:me|us)"

# Each part's openers, as regular expressions over lower-case words joined by single spaces.
CUES: dict[str, tuple[str, ...]] = {
    "situation": (
        r"\bat my (?:last|previous|former|current|old|first) (?:job|company|role|team|employer"
        r"|position|workplace|startup)",
        r"\b(?:in|during) my (?:time|role|job|years?|first year|last role|previous role"
        r"|internship) (?:at|as|with|on)\b",
        r"\bwhen i was (?:working|at|a|an|the|leading|on|running|in charge of|part of)\b",
        r"\bthis (?:was|happened) (?:at|in|during|when|while|back|on)\b",
        r"\b(?:a|two|three|four|five|six|a few|a couple of|several) (?:years|months|weeks)"
        r" ago\b",
        r"\blast (?:year|quarter|spring|summer|autumn|fall|winter)\b",
        r"\b(?:at the time|at that time|at that point|back then|back when)\b",
        r"\bback in (?:(?:19|20)\d\d|the (?:day|spring|summer|autumn|fall|winter)"
        r"|january|february|march|april|may|june|july|august|september|october|november|december)",
        r"\bthere (?:was|were) (?:a|an|this|some|two|three|several)\b",
        r"\bi (?:was|worked) (?:working )?(?:at|as|on|for) (?:a|an|the)\b",
        # Where the speaker worked or helped, said in the past or the present ("I worked in the
        # planning department", "I volunteer with a food bank"), or what they were doing then
        # ("I was teaching English at a big school").
        r"\bi (?:work|worked|volunteer|volunteered) (?:at|as|in|for|with|on) (?:a|an|the|my|our)\b",
        r"\bi was (?!\w+ing (?:to|it|them|that|this)\b)\w+ing (?:\w+ )?(?:at|in|for|with|on)"
        r" (?:a|an|the|my|our)\b",
        # Whisper often hears espeak's "I was" as "I won".
        r"\bi (?:was|won) (?:a |an |the )?(?:\w+ )?(?:manager|lead|engineer|analyst|teacher|nurse"
        r"|developer|designer|recruiter|officer|consultant|coordinator|supervisor|director"
        r"|assistant|administrator|technician|head|editor|accountant)"
        r" (?:at|on|in|for|of) (?:a|an|the)\b",
        r"\bi (?:managed|ran|owned) a (?:\w+[ -]){0,3}?(?:store|shop|team|department|branch"
        r"|restaurant|office|site|clinic|ward|warehouse|cafe|bar|kitchen|school|club|unit)\b",
        r"\b(?:our|the|my) (?:\w+ ){0,2}(?:team|company|product|service|platform|system"
        r"|pipeline|group|client|customer|startup|department) (?:was|were|had|used to)\b",
        r"\bthe (?:context|background|situation|setting) (?:was|is)\b",
        r"\bwe (?:were|had) (?:a|an|just|been|about|running|using|building|working)\b",
    ),
    "task": (
        r"\bmy (?:job|task|role|responsibility|goal|assignment|mandate|part|brief) (?:was|is)\b",
        # Whisper often hears a flat voice's "I was" as "I won" or "I want" ("I want asked to").
        r"\bi (?:was|won|want) (?:responsible|asked|tasked|supposed|expected|in charge|assigned"
        r"|brought in|hired|given the job|given the task|the one who had)\b",
        r"\b(?:i|we) (?:really |just |badly )?(?:needed|had|wanted) to\b",
        r"\b(?:i|we) took it (?:up)?on (?:myself|ourselves) to\b",
        r"\b(?:the|our|my) (?:goal|task|objective|aim|mission|ask|job) was\b",
        r"\bit was (?:my job|my responsibility|up to me|down to me|on me|my task)\b",
        r"\b(?:i|we) (?:was|were) expected to\b",
        r"\b(?:i|we) (?:had|have) been asked to\b",
        # A duty given as an order, by someone who has a say ("my manager asked me to", "I was
        # told to", "my lead pulls me aside and says", "the message from the directors was").
        r"\b(?:i|we)(?:'d| had)? been (?:asked|told|brought in(?:to)?|hired|tasked|put in charge"
        r"|given the job|given the task|charged with)\b",
        r"\b(?:i|we) (?:was|were|am|are|get|got) told to\b",
        r"\b(?:my|our|the) (?:\w+ )?(?:manager|lead|boss|director|head|supervisor|ceo|cto|cfo"
        r"|vp|founder|owner|client|editor|principal|partner|chair|sponsor)s? (?:\w+ ){0,3}?"
        r"(?:asked|asks|told|tells|pulled|pulls|gave me|gives me|came to me|comes to me|said"
        r"|says|made it clear|(?:wanted|wants)(?! to))\b"
        r"(?! (?:we|i) (?:were|was|had) (?:done|finished|happy|pleased))",
        r"\bthe (?:message|instruction|instructions|order|orders|mandate|word|directive"
        r"|brief) (?:from (?:\w+ ){1,3}?)?(?:was|were|came)\b",
        # A time given to get something done ("I had under a fortnight to find ...").
        r"\b(?:i|we) (?:had|have|had only|only had) (?:\w+ ){0,3}?(?:days?|weeks?|months?"
        r"|hours?|fortnight|a week|a month|time|until|till) (?:\w+ ){0,2}?to\b",
        r"\b(?:what )?(?:i|we) needed was\b",  # the "what" may be misheard ("while we needed was")
        r"\b(?:asked|wanted|needed|told|expected|pushed|hired|brought|got) (?:me|us) (?:in )?to\b",
        r"\b(?:i|we) took on (?:the|a|an) (?:\w+ )?(?:job|task|role|challenge|responsibility"
        r"|work|project)\b",
        r"\b(?:i|we) (?:volunteered|offered|agreed|promised|committed) to\b",
        r"\b(?:i|we) (?:was|were) (?:on the hook|accountable|the owner|owning)\b",
        # A duty that comes to the speaker, or one the speaker takes up.
        r"\b(?:fell|landed) (?:to|on) (?:me|us)\b",
        r"\bwas (?:\w+ly )?(?:my|our) (?:job|task|assignment|responsibility|role|problem)\b",
        r"\b(?:i|we) (?:took|take|had|assumed) (?:on )?(?:ownership|charge|responsibility)"
        r" (?:of|for)\b",
        r"\b(?:i|we) (?:was|were) (?:put|left|placed) in charge\b",
        r"\b(?:i|we) (?:stepped up|set out|signed up|set myself) to\b",
        r"\b(?:i|we) owned (?:the|our|its|that|this)\b",
        r"\b(?:my|our|the) (?:focus|expectation|brief|remit|priority"
        r"|mission) (?:was|became)\b",
        r"\b(?:somebody|someone|one of us) (?:had|needed) to\b",
        r"\bthe (?:question|thing|problem) (?:i|we) (?:had|needed|wanted) to (?:answer|solve"
        r"|figure out|work out|fix|crack)\b",
        r"\b(?:they|he|she|we|the \w+) needed (?:someone|somebody) to\b",
        # The ask named with who gave it ("the ask from my manager was"), a challenge that is
        # something to do ("the challenge for me was to"), a duty taken up ("made it my job to").
        r"\b(?:the|my|our) (?:ask|goal|task|objective|brief|assignment|mission|request)"
        r" (?:from|of|for|given to) (?:\w+ ){1,3}?(?:was|is)\b",
        r"\bthe (?:challenge|problem|question|job) (?:for (?:me|us) )?was (?:to|how to)\b",
        r"\bmade it (?:my|our) (?:job|responsibility|goal|mission|priority|business|task)"
        r" to\b",
        # A duty handed over or taken up in other words.
        r"\b(?:handed|gave|passed|assigned) (?:that|it|this|the \w+) (?:over )?to me\b",
        r"\b(?:landed|ended up) on my (?:desk|plate)\b",
        rf"\bwas {_ON_ME}\b",
        r"\bbecame (?:my|our) (?:project|job|responsibility|task|problem|mission|headache"
        r"|priority|baby)\b",
        # What the speaker owned or had to answer for ("what I owned was the checkout service,
        # so the slowdown was mine to sort out", "I'm the one who has to make that happen").
        r"\bwas (?:all |entirely )?(?:mine|ours) to\b",
        r"\bwhat (?:i|we) (?:owned|looked after|was responsible for|was in charge of) was\b",
        r"\b(?:i'm|i am|i was) the one (?:who|that) (?:has|had|needs|needed) to\b",
        # A thing to do said first, then whose it was ("getting those customers to stick around
        # was the whole point of my role", "sorting out that handover was down to me").
        r"\b(?!(?:during|nothing|something|anything|everything|being|according)\b)[a-z]+ing"
        r" (?:(?![a-z]+ing\b)[\w']+ ){1,8}?(?:was|is) (?:(?:basically|really|honestly) )?"
        r"(?:the (?:whole |main )?(?:point|purpose) of my (?:role|job)|"
        + _ON_ME + r"|my (?:job|task|responsibility|problem|priority)"
        r"|what (?:\w+ ){1,3}?(?:asked|wanted|needed|expected|hired) (?:me|us))\b",
        r"\basked (?:me )?(?:if|whether) i could\b",
        r"\bnobody (?:else )?wanted to (?:own|do|take|touch|handle)\b",
        # A goal the speaker set, a promise made to someone ("I promised the director I'd").
        r"\b(?:goal|target|aim|challenge) (?:i|we) (?:set|gave) (?:myself|ourselves|us)\b",
        r"\bthe (?:goal|target|aim|challenge|bar) (?:i|we) set (?:for (?:\w+ ){1,3}?)?(?:was|is)\b",
        # What someone said had to happen ("Leona told me food costs had to come down").
        r"\btold (?:me|us) (?:that )?(?:\w+ ){0,4}?(?:had to|needed to|must|has to|have to)\b",
        r"\b(?:i|we) promised (?:\w+ ){1,3}?(?:i|we)(?:'d| would)\b",
    ),
    "action": (
        rf"\b(?:so|then|first|next|after that|afterwards|finally)? ?i {_PAST_ACTION}\b",
        # "I" and a regular past tense is nearly always something the speaker did; the verbs of
        # wanting, needing and being (the task, the situation) are left out.
        r"\bi (?!needed|wanted|used|liked|loved|learned|noticed|realized|realised|joined"
        r"|started at|worked at)\w+ed\b",
        r"\bi (?:gave|got|sent|wrote|drew|found|spent|told|sat|went|took|made|ran|built|led"
        r"|put|set|held|kept|brought|bought|chose|cut|dug|fought|hid|let|met|paid|read|rode"
        r"|sold|shut|spoke|split|stood|swapped|taught|threw|thought through|tore|won|wound)\b",
        r"\bwhat (?:i|we) did\b",
        r"\bwhat (?:i|we) (?:ended up doing|decided to do) was\b",
        r"\bmy (?:approach|plan|first step|solution|fix) was\b",
        r"\bthe first thing i did\b",
        rf"\b(?:so|then|first|next) we {_PAST_ACTION}\b",
    ),
    "result": (
        r"\b(?:as a result|in the end|the result|the outcome|the upshot|the net effect"
        r"|the impact)\b",
        r"\bresulted in\b",
        r"\b(?:this|that|it|which|the change|the fix|these changes) (?:reduced|cut|saved"
        r"|improved|increased|brought|dropped|lowered|raised|doubled|halved|tripled|meant"
        r"|helped|went|led|gave us|got us|took|freed|paid off|worked|turned)\b",
        r"\bended up\b",
        r"\beventually\b",
        r"\bsince then\b",
        r"\b(?:went|dropped|fell|came|rose|grew) (?:down|up) (?:from|to|by)\b",
        r"\b(?:dropped|fell|rose|grew|shrank) (?:from|to|by)\b",
        r"\bwent from\b",
        r"\bwe (?:shipped|delivered|launched|hit|reached|met|made|beat|finished|closed|kept"
        r"|saved|cut|reduced|halved|doubled) (?:the deadline|on time|it on time|every|the target"
        r"|our target|the launch|by|from|it by|\w+ (?:percent|hours|days|weeks|minutes))",
        r"\b(?:was|were|is|are) (?:down|up) (?:from|to|by)\b",
        r"\b(?:the (?:team|client|customer|manager|business|users)) (?:was|were) (?:happy"
        r"|pleased|thrilled|satisfied)\b",
        r"\bwe (?:kept|retained|won back|recovered|lost only) (?:\w+ )?(?:\d|\w+ of (?:the|our))",
        r"\bnobody was paged\b|\bno (?:more|further) (?:incidents|outages|complaints|pages)\b",
        # Time gone by, then what came of it ("within six months, 80% of new models...").
        _TIME_GONE_BY,
        # How things stand since, in the present tense ("reviews now take about a week").
        r"\bnow (?:takes?|gets?|has|have|runs?|is|are|finish(?:es)?|happens?|comes?|arrives?"
        r"|goes|go|costs?|needs?|uses?)\b",
    ),
}

_NUMBER_WORDS = (
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion dozen half halved doubled triple tripled twice "
    "quadrupled tenfold percent"
).split()
_UNITS = ("second|minute|hour|day|week|month|quarter|year|sprint|release|percent|time|person"
          "|engineer|customer|user|incident|bug")
# A number, or one of a unit ("one day", "a month": a time said is a measure too), or a share
# ("a third"). Not a count that only names people ("the two of them") nor "double" as an
# adjective ("double charges"): "doubled" and "double the" are measures.
QUANTITY = re.compile(r"\d|(?!(?:two|three|four) of (?:them|us)\b)"
                      r"\b(?:" + "|".join(_NUMBER_WORDS) + r")\b|%"
                      r"|\bdouble (?:the|our|its|their|what)\b"
                      rf"|\bone (?:{_UNITS})s?\b"
                      r"|\b(?:a|an|single) (?:day|week|month|hour|minute)\b"
                      r"|\b(?:a|one|two) (?:third|fifth|tenth)s?\b")
TIME_GONE_BY = re.compile(_TIME_GONE_BY)
_COMPILED = {part: tuple(re.compile(c) for c in cues) for part, cues in CUES.items()}

# The shape of a task, for a sentence whose opener was said in other words or misheard ("it
# felt a meter get orders out the door on time without burning people out"): a need, a duty or
# a goal; a deadline; a constraint the work had to keep to ("without cutting corners").
TASK_SHAPE = {
    "need": re.compile(
        r"\b(?:needs?|needed|had to|have to|has to|must|supposed to|expected to|required to"
        r"|wanted|goal|objective|aim|target|mission|responsib\w*|in charge"
        r"|charged with|promised|duty)\b"),
    "deadline": re.compile(
        r"\b(?:deadline|before (?:the|our|my|their|a|it|we|they|any|anyone|next)|by the end of"
        r"|in time for|on time|no later than|ahead of|by (?:monday|tuesday|wednesday|thursday"
        r"|friday|the (?:\w+ )?(?:deadline|launch|end)))\b"),
    "constraint": re.compile(r"\bwithout \w+ing\b"),
}


@dataclass(frozen=True)
class StarPart:
    name: str  # situation, task, action or result
    present: bool
    evidence: tuple[str, ...]  # the words that showed the part, each opener once
    start: float | None  # when it began (None for typed text or a missing part)
    end: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "present": self.present, "evidence": list(self.evidence),
                "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StarPart:
        return cls(name=d["name"], present=d["present"], evidence=tuple(d["evidence"]),
                   start=d.get("start"), end=d.get("end"))


@dataclass(frozen=True)
class Star:
    parts: tuple[StarPart, ...]
    result_quantified: bool
    quantity: str = ""  # the words that carried the number ("" when none)
    quantity_at: float | None = None

    def part(self, name: str) -> StarPart:
        return next(p for p in self.parts if p.name == name)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parts if not p.present)

    @property
    def letters(self) -> str:
        """'S-T-A-R' with a dash for each missing part: 'S-·-A-R'."""
        return "-".join(p.name[0].upper() if p.present else "·" for p in self.parts)

    def to_dict(self) -> dict[str, Any]:
        return {"parts": [p.to_dict() for p in self.parts], "missing": list(self.missing),
                "result_quantified": self.result_quantified, "quantity": self.quantity,
                "quantity_at": self.quantity_at}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Star:
        return cls(parts=tuple(StarPart.from_dict(p) for p in d["parts"]),
                   result_quantified=d["result_quantified"], quantity=d.get("quantity", ""),
                   quantity_at=d.get("quantity_at"))


@dataclass(frozen=True)
class _Hit:
    part: str
    first: int  # word indexes
    last: int


def find_star(words: Sequence[Word], *, by_meaning: bool = True) -> Star:
    """The STAR parts of an answer's words (typed or timed).

    Each sentence gets one part: the one its openers name, weighed with (when the sentence
    model is there and `by_meaning`) how close the sentence is in meaning to example sentences
    of each part, and with the order a story is told in (situation, task, action, result:
    going back costs)."""
    text, owner = _joined(words)
    full_stops = _sentences(words)
    sentence_of = {i: n for n, (first, last) in enumerate(full_stops)
                   for i in range(first, last + 1)}
    hits: list[_Hit] = []
    for part, patterns in _COMPILED.items():
        for pattern in patterns:
            for m in pattern.finditer(text):
                start, end = m.start(), m.end()
                while start < end and text[start] == " ":
                    start += 1
                # An opener is said within one sentence (the text has no full stops to stop it).
                if start < end and sentence_of[owner[start]] == sentence_of[owner[end - 1]]:
                    hits.append(_Hit(part, owner[start], owner[end - 1]))
    kept = _resolve(hits)
    sentences = _split_at_openers(full_stops, kept)
    meaning = _meaning_votes(words, sentences) if by_meaning else None
    shapes = [_task_shape(_joined(words[first:last + 1])[0]) for first, last in sentences]
    sounds_like = _sounds_like_task(words, sentences, kept)
    labels = _decode(kept, sentences, meaning, shapes, sounds_like)
    parts = []
    for name in STAR_PARTS:
        mine = [i for i, label in enumerate(labels) if label == name]
        evidence: list[str] = []
        for i in mine:
            first, last = sentences[i]
            cues = [h for h in kept if first <= h.first <= last and h.part == name]
            evidence.extend(_words_text(words, h.first, h.last) for h in cues)
            if not cues:  # told by its place or meaning: its first words show it
                evidence.append(_words_text(words, first, min(last, first + 4)) + " …")
        # The openers first: they show the part better than a sentence's first words.
        evidence.sort(key=lambda e: e.endswith(" …"))
        parts.append(StarPart(
            name=name, present=bool(mine), evidence=tuple(dict.fromkeys(evidence)),
            start=words[sentences[mine[0]][0]].start if mine else None,
            end=words[sentences[mine[-1]][1]].end if mine else None))
    quantity, quantity_at = _result_quantity(words, sentences, labels)
    return Star(parts=tuple(parts), result_quantified=bool(quantity), quantity=quantity,
                quantity_at=quantity_at)


# A task's opener as it is said, for a sentence that starts like one misheard ("it was down to
# meter clear the backlog", "our objective won a predictable release"): the similarity (rapidfuzz
# ratio, 0-100) of the sentence's start to one of these, at or above SOUNDS_LIKE.
TASK_OPENERS_SAID = (
    "it fell to me to", "it was down to me to", "it was up to me to", "it was on me to",
    "it was my job to", "my job was to", "my task was to", "my goal was to", "our goal was to",
    "our objective was", "the objective was", "the goal was to", "i was asked to",
    "i was tasked with", "i was responsible for", "i was in charge of", "i took ownership of",
    "my role was to", "my responsibility was", "it was my responsibility to",
    "i was expected to", "i was supposed to", "i was charged with", "the job fell to me",
    "i needed to", "we needed to")
SOUNDS_LIKE = 85.0
SOUNDS_LIKE_WEIGHT = 1.0
_LEAD_IN = re.compile(r"(?:(?:so|and|but|then|um|uh|well|now) )+")


def _sounds_like_task(words: Sequence[Word], sentences: list[tuple[int, int]],
                      kept: list[_Hit]) -> list[bool]:
    """For each sentence, whether it starts with no opener of its own but sounds like a task's
    opener. Only a vote: the start of "it was on a Monday" sounds like "it was on me to"."""
    out = []
    for first, last in sentences:
        text, _ = _joined(words[first:last + 1])
        lead = _LEAD_IN.match(text)
        text = text[lead.end():] if lead else text
        out.append(not any(first <= h.first <= first + 1 for h in kept) and max(
            fuzz.ratio(said, text[:length]) for said in TASK_OPENERS_SAID
            for length in range(len(said) - 1, len(said) + 3)) >= SOUNDS_LIKE)
    return out


# How much an opener of a part counts for its sentence (the first opener of the sentence more,
# when it opens it: "I was asked to ..., so I built" opens a task), how much meaning counts
# (the similarity share of the nearest examples), and what telling a part after a later one
# costs.
FIRST_CUE_WEIGHT = 3.0
CUE_WEIGHT = 1.5
MEANING_WEIGHT = 1.0
BACKWARDS_COST = 3.5
LAST_SENTENCE_RESULT = 0.8  # a story ends on what came of it
FIRST_SENTENCE_SITUATION = 0.8  # and starts by setting the scene
TASK_SHAPE_WEIGHT = 0.6  # for each of a need, a deadline and a constraint the sentence has
TASK_SHAPE_BETWEEN = 0.3  # more when it comes after the first sentence and before the actions
# Something the speaker did: a sentence that says it reports work or its outcome ("three days
# ahead of the deadline, we delivered the file"), whatever its deadline.
_DONE = re.compile(r"\b(?:i|we) (?!needed|wanted|had to)(?:\w+ed|" + _PAST_ACTION[3:-1]
                   + r"|got|gave|sent|found|made|won|beat|hit|shipped)\b")


def _task_shape(text: str) -> tuple[str, ...]:
    """The words of a sentence (lower-case, joined) that give it a task's shape: none when the
    speaker says what they did."""
    if _DONE.search(text):
        return ()
    return tuple(m.group(0) for pattern in TASK_SHAPE.values()
                 for m in [pattern.search(text)] if m)


def _decode(kept: list[_Hit], sentences: list[tuple[int, int]],
            meaning: list[dict[str, float]] | None,
            shapes: list[tuple[str, ...]], sounds_like: list[bool]) -> list[str]:
    """The part of each sentence: the best-scoring sequence (Viterbi) of sentence scores and
    the cost of going back in STAR order."""
    n = len(sentences)
    if n == 0:
        return []
    # Where the story's actions begin: a task is said between the scene and them.
    first_action = next((i for i, (first, last) in enumerate(sentences)
                         if any(first <= h.first <= last and h.part == "action" for h in kept)), n)
    scores: list[list[float]] = []
    for i, (first, last) in enumerate(sentences):
        mine = [h for h in kept if first <= h.first <= last]
        row = []
        for part in STAR_PARTS:
            value = sum(FIRST_CUE_WEIGHT if h is mine[0] and h.first < first + CLAUSE_AFTER
                        else CUE_WEIGHT for h in mine if h.part == part)
            if meaning is not None:
                value += MEANING_WEIGHT * meaning[i].get(part, 0.0)
            if i == n - 1 and n > 1 and part == "result":
                value += LAST_SENTENCE_RESULT
            if i == 0 and n > 1 and part == "situation":
                value += FIRST_SENTENCE_SITUATION
            if part == "task" and shapes[i]:
                value += TASK_SHAPE_WEIGHT * len(shapes[i])
                if 0 < i < first_action:
                    value += TASK_SHAPE_BETWEEN
            if part == "task" and sounds_like[i]:
                value += SOUNDS_LIKE_WEIGHT
            row.append(value)
        scores.append(row)
    k = len(STAR_PARTS)
    best = [scores[0][:]]
    back: list[list[int]] = [[0] * k]
    for i in range(1, n):
        row, links = [], []
        for b in range(k):
            options = [best[-1][a] - (BACKWARDS_COST if b < a else 0.0) for a in range(k)]
            a = max(range(k), key=lambda j: options[j])
            row.append(options[a] + scores[i][b])
            links.append(a)
        best.append(row)
        back.append(links)
    state = max(range(k), key=lambda j: best[-1][j])
    path = [state]
    for i in range(n - 1, 0, -1):
        state = back[i][state]
        path.append(state)
    return [STAR_PARTS[s] for s in reversed(path)]


def _meaning_votes(words: Sequence[Word], sentences: list[tuple[int, int]]
                   ) -> list[dict[str, float]] | None:
    """For each sentence, each part's share of the similarity of its nearest example sentences
    (None when the sentence model cannot run)."""
    from voiceprep.scoring.embedding import ModelMissing, load_encoder

    try:
        encoder = load_encoder()
        examples, labels = _examples()
        texts = [_words_text(words, a, b) for a, b in sentences]
        similarity = encoder.encode(texts) @ _example_vectors().T
    except ModelMissing:
        return None
    votes = []
    for row in similarity:
        nearest = row.argsort()[::-1][:NEAREST]
        total = float(sum(row[j] for j in nearest)) or 1.0
        vote: dict[str, float] = {}
        for j in nearest:
            vote[labels[j]] = vote.get(labels[j], 0.0) + float(row[j]) / total
        votes.append(vote)
    return votes


NEAREST = 3
EXAMPLES = Path(__file__).parent.parent / "data" / "star_examples.tsv"


@lru_cache(maxsize=1)
def _examples() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The example sentences of each part (part<TAB>sentence per line)."""
    rows = [line.split("\t", 1) for line in EXAMPLES.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return tuple(r[1] for r in rows), tuple(r[0] for r in rows)


@lru_cache(maxsize=1)
def _example_vectors() -> Any:
    from voiceprep.scoring.embedding import load_encoder

    return load_encoder().encode(list(_examples()[0]))


def _resolve(hits: list[_Hit]) -> list[_Hit]:
    """Overlapping openers: the longer one wins ("we had to" is a task, not a situation), the
    later part in STAR order between equals."""
    hits = sorted(hits, key=lambda h: (h.first, STAR_PARTS.index(h.part)))
    kept: list[_Hit] = []
    for h in hits:
        rival = next((k for k in kept if k.first <= h.last and h.first <= k.last), None)
        if rival is None:
            kept.append(h)
        elif (h.last - h.first, STAR_PARTS.index(h.part)) > (
                rival.last - rival.first, STAR_PARTS.index(rival.part)):
            kept[kept.index(rival)] = h
    return kept


def _sentences(words: Sequence[Word]) -> list[tuple[int, int]]:
    """(first, last) word indexes of each sentence, cut after . ! or ?."""
    out, first = [], 0
    for i, w in enumerate(words):
        if ends_sentence(w.word) or i == len(words) - 1:
            out.append((first, i))
            first = i + 1
    return out


# An opener this many words into a sentence starts a clause of its own.
CLAUSE_AFTER = 4


def _split_at_openers(sentences: list[tuple[int, int]], kept: list[_Hit]
                      ) -> list[tuple[int, int]]:
    """Sentences cut where an opener starts inside one: a transcript often runs one part on
    into the next without a full stop ("... so they could see progress, that turned things
    around"; "... and releases often broke our objective was a predictable release"). A result
    opener always cuts; a task or action opener cuts when its part is not the clause's own."""
    out = []
    for first, last in sentences:
        mine = sorted((h for h in kept if first <= h.first <= last), key=lambda h: h.first)
        clause_parts = {h.part for h in mine if h.first < first + CLAUSE_AFTER}
        for h in mine:
            if h.first - first >= CLAUSE_AFTER and (
                    h.part == "result"
                    or (h.part in ("task", "action") and h.part not in clause_parts)):
                out.append((first, h.first - 1))
                first = h.first
                clause_parts = set()
            clause_parts.add(h.part)
        out.append((first, last))
    return out


def _joined(words: Sequence[Word]) -> tuple[str, list[int]]:
    """The words lower-cased without punctuation, joined by spaces, and for each character the
    index of the word it came from."""
    text: list[str] = []
    owner: list[int] = []
    for i, w in enumerate(words):
        bare = re.sub(r"[^\w%'.-]", " ", plain_quotes(w.word.lower()))
        bare = re.sub(r"(?<!\d)[.-]|[.-](?!\d)", " ", bare)
        bare = " ".join(bare.split())
        if not bare:
            continue
        if text:
            text.append(" ")
            owner.append(i)
        text.append(bare)
        owner.extend([i] * len(bare))
    return "".join(text), owner


def _words_text(words: Sequence[Word], first: int, last: int) -> str:
    return written([w.word for w in words[first:last + 1]]).strip(" ,.;:!?\"'")


def _result_quantity(words: Sequence[Word], sentences: list[tuple[int, int]],
                     labels: list[str]) -> tuple[str, float | None]:
    """The number the result ends on: the first said in the last sentence of the result that
    has one (an earlier figure is often the problem the story set out from: "went up from 3%
    to 15%"); the time it took ("within six months") only when the result has no other."""
    for time_counts in (False, True):
        for (first, last), label in reversed(list(zip(sentences, labels, strict=True))):
            if label != "result":
                continue
            text, owner = _joined(words[first:last + 1])
            spans = [] if time_counts else [t.span() for t in TIME_GONE_BY.finditer(text)]
            m = next((q for q in QUANTITY.finditer(text)
                      if not any(a <= q.start() < b for a, b in spans)), None)
            if m:
                index = first + owner[m.start()]
                begin = text.rfind(" ", 0, m.start()) + 1
                end = text.find(" ", m.end())
                return text[begin:end if end >= 0 else len(text)], words[index].start
    return "", None
