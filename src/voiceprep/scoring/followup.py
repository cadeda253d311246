"""Follow-up questions: when an answer misses required key points, the interviewer asks about
them, and the answer to that is scored against those points alone."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace

from voiceprep.bank.questions import KeyPoint, Question
from voiceprep.scoring.score import Score

# A follow-up answer is short: a sentence or two that makes the missing point.
FOLLOW_UP_TARGET_SECONDS = (10, 60)
# Follow-up recordings are named <NN>-<question>-follow-up.wav beside the question's tries.
FOLLOW_UP_SUFFIX = "follow-up"


def recording_name(question_id: str, follow_up: bool = False) -> str:
    """What an answer's files are named after (before the store's <NN>- prefix)."""
    return f"{question_id}-{FOLLOW_UP_SUFFIX}" if follow_up else question_id


def question_of_recording(name: str) -> tuple[str, bool]:
    """The question id a recording_name() came from, and whether it answers a follow-up."""
    question_id = name.removesuffix(f"-{FOLLOW_UP_SUFFIX}")
    return question_id, question_id != name


# A story's part naming a drafted key point ("Result: Lag back under 30 seconds…"): not said
STORY_LABEL = re.compile(r"^\s*(situation|task|action|result|outcome|impact|context)\s*[:–—-]\s*",
                         re.IGNORECASE)


def follow_up_prompt(point: KeyPoint) -> str:
    """The key point's own follow-up question, or one built from its text: a story's result
    asked for as such, another part without its label ("Situation: Black Friday 2022, ...")
    and without the ellipsis of a text cut short."""
    if point.follow_up:
        return point.follow_up
    text = point.text.rstrip(".…")
    label = STORY_LABEL.match(text)
    if label and label.group(1).lower() in ("result", "outcome", "impact"):
        return "One more thing: what was the result?"
    text = STORY_LABEL.sub("", text)
    if OPINION.match(text) or FIRST_PERSON.match(text):  # a claim in the person's own voice
        return f"One more thing: can you tell me more about {_topic(point)}?"  # ("I think ...")
    # Lower-case the first letter unless the first word is a name or an acronym ("AWS", "MLflow")
    # or opens what a label titled (its capital is no sentence's).
    first = text.split()[0] if text.split() else ""
    if first[1:] == first[1:].lower() and not label:
        text = text[:1].lower() + text[1:]
    return f"One more thing: can you tell me about {text}?"


# A point drafted from a sentence in the first person ("I set up a weekly call with ...", "I
# think your move to real-time pricing is ..."): no topic to ask about as it stands
OPINION = re.compile(r"^\W*(?:honestly|to be honest|i\s+(?:think|believe|feel|guess|reckon))\b",
                     re.IGNORECASE)
FIRST_PERSON = re.compile(r"^\W*(?:i|i'm|i've|i'd|i'll|we|we're|we've|we'd|me|my|our)\s",
                          re.IGNORECASE)  # (not "I/O bottlenecks")


NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve
twenty thirty forty fifty hundred thousand million first second third""".split())


def _topic(point: KeyPoint) -> str:
    """What a point in the person's voice is about: its first phrase that is a name ("Great
    Expectations"), else its first of two words or more with no figure ("real-time pricing"),
    else its first phrase; never a figure ("Q3", "30%", "two night"); "that" when it has no
    other."""
    phrases = [p for p in point.phrases if p.strip()]
    plain = [p for p in phrases if not any(c.isdigit() for c in p)
             and not set(p.lower().split()) & NUMBER_WORDS]  # (not "Q3", "30%", "two night")
    names = [p for p in plain if p[:1].isupper() and len(p) >= 3]
    terms = [p for p in plain if len(p.split()) >= 2]
    chosen = names or terms or plain
    return chosen[0] if chosen else "that"


def follow_up_question(question: Question, result: Score,
                       also: Collection[str] = ()) -> Question | None:
    """The follow-up to ask after `result`, as a question whose key points are the required
    ones the answer missed (and those of `also` it missed); None when it missed none, or when
    nothing was heard (that is not an answer to follow up on)."""
    missed_ids = set(result.missed_required) | {
        k.id for k in result.key_points if k.id in also and not k.covered}
    missed = [kp for kp in question.key_points if kp.id in missed_ids]
    if not missed or result.words == 0:
        return None
    prompt = " ".join(follow_up_prompt(kp) for kp in missed)
    return replace(question, prompt=prompt, target_seconds=FOLLOW_UP_TARGET_SECONDS,
                   key_points=tuple(missed))
