"""Where questions are titles rather than asked: the layout that holds them (headings beside
each other, an outline's items, titles over paragraphs, lines in bold)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from voiceprep.bank.notes.blocks import Block
from voiceprep.bank.notes.titles import (
    asks_plainly,
    asks_the_person,
    names_a_question,
    names_a_topic,
    notes_part,
    plain_title,
    question_text,
    their_questions,
    topic_title,
)
from voiceprep.bank.notes.words import (
    ABOUT_THEM,
    ANSWER_PART,
    ASKED_FOR_QUESTIONS,
    FIRST_PERSON,
    GOES_ON,
    NOTES_TITLE,
    NUMBERED,
    Q_LABEL,
    STORY_PARTS,
    first_word,
    plain_words,
    title_of,
)

# Words a line opens with that go on from the answer before it: "Now:", "Before: branch
# manager", "before that asda nights for 2 yrs"; or that tell about the employer, under "Why
# this hospital": "Their training"
GOES_ON_FROM = frozenset("before after then also plus now later previously currently their"
                         .split())


# A title over the answers to questions listed before them: "## My answers", "Answers:"
ANSWERS_TITLE = re.compile(r"\W*(?:my\s+|the\s+|draft\s+)?answers?(?:\s*\([^()]*\))?\W*",
                           re.IGNORECASE)


def answers_apart(blocks: list[Block]) -> list[Block]:
    """Questions listed with numbers ("1. Tell us about yourself ...", "2. Why ...?") and
    answered further on under a title of answers, by the same numbers ("## My answers", "1.
    Kia ora, I'm Aroha...", "4. The blocked cat first...", in any order, some left out): the
    blocks with each answer right under its question, as notes that answer in place. Each
    line keeps its place in the notes; the rest as it was."""
    title = next((at for at, block in enumerate(blocks)
                  if block.kind in ("heading", "paragraph") and len(block.lines) == 1
                  and ANSWERS_TITLE.fullmatch(title_of(block.text))), None)
    if title is None:
        return blocks
    asked = {block.ordinal: at for at, block in enumerate(blocks[:title])
             if block.kind == "item" and block.ordinal is not None and block.depth == 1
             and question_text(block.text, loose=True)}
    answers: dict[int, list[Block]] = {}
    number = None
    end = title + 1
    for block in blocks[title + 1:]:
        ordinal = block.ordinal if block.kind == "item" and block.depth == 1 else None
        if block.kind == "heading" or len(block.lines) == 1 and notes_part(block.text):
            break  # the answers end at a heading, or a part of the notes ("Things to bring")
        if ordinal is not None and (ordinal not in asked or ordinal in answers):
            if set(answers) != set(asked):
                return blocks  # a list inside an answer, numbered from 1: read as it is
            break  # a list numbered again after every answer ("1. Passport")
        if ordinal is not None:
            number = ordinal
            answers[number] = [replace(block, kind="paragraph", ordinal=None, depth=0, group=0,
                                       opens=False)]
        elif number is None:
            return blocks  # answers under titles of their own, not by number
        else:
            answers[number].append(block)
        end += 1
    places = sorted(asked.values())  # the questions one list, with nothing under them
    if len(answers) < 2 or places != list(range(places[0], places[0] + len(places))):
        return blocks
    out: list[Block] = []
    for at, block in enumerate(blocks[:title]):  # (the title of the answers, left out)
        out.append(block)
        if block.kind == "item" and at in asked.values():
            out += answers.get(block.ordinal or 0, [])
    return out + blocks[end:]


@dataclass
class Places:
    """Where the notes lay their questions out as titles, found before reading them: list
    items with others nested under them (`nested`; an item over questions of its own, "-
    Leadership" over "- How do you motivate...?", is a topic, not one), the last of them in each
    list and depth (`answered`), the items with none nested between two that have one
    (`between`), the lists and depths where two such items name common questions (`outlines`:
    "- why trader joe's", "- dealing with an underperformer", "- pay"), and the headings beside
    each other (the same level, under the same heading) of which half or more, and two at
    least, ask or name a common question: the others up to the last of those are questions too
    (`titled`: "### Intro / elevator pitch", "### Mentoring", "### Failure", "### Why Raisin";
    not a heading over headings or over questions of its own, "## About me" over "### Tell me
    about yourself", nor one under a part of the notes, "## Logistics" over "### Salary", nor
    one after the last that names a question, "## After the call"), with the titles over
    paragraphs counted so too (`flat`, three at least), and the lines in bold opening their
    paragraphs, laid out alike, of which more than half name questions (`bold`)."""

    nested: set[int]
    answered: dict[tuple[int, int], int]
    between: set[int]
    outlines: set[tuple[int, int]]
    titled: set[int]
    bold: set[int]
    flat: set[int]  # the titles over paragraphs among `titled`
    numbered: set[int]  # outermost list items numbered 1, 2, 3... across the notes' lists, two
    # asking and half or more asking or naming common questions: "1. WHY THIS ROLE / WHY US",
    # "2. AN EXHIBITION YOU CURATED", then "4. DIGITAL AUDIENCES — HOW?"

    @classmethod
    def of(cls, blocks: list[Block]) -> Places:
        nested = {above.number for above, below in zip(blocks, blocks[1:], strict=False)
                  if _under(below, above)}
        answered: dict[tuple[int, int], int] = {}
        named: dict[tuple[int, int], int] = {}
        for at, block in enumerate(blocks):
            if block.number in nested and any(
                    line.text.endswith("?") or asks_plainly(line.text)
                    for below in _nested_under(blocks, at) for line in below.lines[:1]):
                nested.discard(block.number)
            if block.number in nested:
                answered[(block.group, block.depth)] = block.number
                if names_a_question(block.lines[0].text if block.lines else ""):
                    named[(block.group, block.depth)] = named.get((block.group, block.depth), 0) + 1
        between = set()
        for at, block in enumerate(blocks):
            if block.kind == "item" and block.opens and block.number not in nested:
                after = next((blocks[i] for i in range(at + 1, len(blocks))
                              if not _under(blocks[i], block)), None)
                before = next((blocks[i] for i in range(at - 1, -1, -1)
                               if not _under(blocks[i], block)), None)
                if all(b is not None and b.kind == "item" and b.number in nested and (
                        b.group, b.depth) == (block.group, block.depth) for b in (before, after)
                       ) and block.lines and not block.lines[0].text[:1].isdigit():
                    between.add(block.number)  # (not "- 2 min max for these")
        # lines in bold opening their paragraphs, neither labelled nor numbered ("**Handling
        # pressure**"; in notes that label or number their questions they title parts of
        # answers), two and half of them asking or naming common questions
        in_bold: dict[tuple[bool, bool, int], list[tuple[int, bool]]] = {}  # by a closing
        # colon, whether it is a paragraph of its own ("**Why us?**" over a blank line) or not,
        # and a list item's depth ("- **Biggest failure**" over its answer; 0: a paragraph)
        labels = False  # a line in bold that titles no question ("**The short version**")
        part = False  # under a heading of a part of the notes ("## Company research")
        for block in blocks:
            if block.kind == "heading":
                part = notes_part(block.text) or bool(ABOUT_THEM.fullmatch(title_of(block.text)))
            written = block.lines[0].text if block.lines else ""
            text = title_of(written)
            opening = block.kind == "paragraph" or block.kind == "item" and block.opens
            if opening and block.lines and block.lines[0].bold_only() and not (
                    part or Q_LABEL.match(text) or NUMBERED.match(text)) and (
                    plain_title(text, colon=True) or question_text(text)):
                in_bold.setdefault((written.rstrip("*_ ").endswith(":"), len(block.lines) == 1,
                                    block.depth), []).append((
                    block.number, bool(question_text(text))
                    or names_a_question(text, topic_words=False)))
            elif block.kind == "paragraph" and block.lines and block.lines[0].bold_only() and (
                    ANSWER_PART.fullmatch(text) or plain_words(text)[:1] and plain_words(
                        text)[0] in STORY_PARTS):
                labels = True
        bold = set()
        for said in in_bold.values():  # where no line in bold titles anything else, the ones
            seeded = _alike(said, 2, more=True)  # after the last that names a question too
            bold |= {number for number, _ in said} if seeded and not labels else seeded
        headings = [block for block in blocks if block.kind == "heading"]
        sections = {h.number for h, after in zip(headings, headings[1:], strict=False)
                    if after.level > h.level}
        over = None  # the heading above
        for block in blocks:
            if block.kind == "heading":
                over = block.number
            elif over is not None and any(
                    (line.bold_only() or Q_LABEL.match(line.text)) and question_text(line.text)
                    or line.text.endswith("?") for line in block.lines) or over is not None and (
                    block.lines and asks_plainly(block.lines[0].text) or block.number in bold):
                sections.add(over)  # (or over questions in bold: "## Leadership" over
                # "**Managing an underperformer**")
        parents: list[tuple[int, int, bool]] = []  # the open headings: level, number, whether
        siblings: dict[tuple[int, int], list[tuple[int, bool]]] = {}  # it is a question or a
        for block in headings:  # part of the notes; (parent, level): each heading's number,
            while parents and parents[-1][0] >= block.level:  # whether it names a question
                parents.pop()
            text = block.text
            names = bool(question_text(text) or asks_plainly(text) or names_a_topic(text)
                         and topic_title(text) != ASKED_FOR_QUESTIONS)
            if block.number not in sections and not any(under for _, _, under in parents) and not (
                    notes_part(text) or their_questions(text, bare=True)):
                siblings.setdefault((parents[-1][1] if parents else -1, block.level), []).append(
                    (block.number, names))
            parents.append((block.level, block.number, names or notes_part(text)
                            or bool(NOTES_TITLE.fullmatch(title_of(text)))
                            or bool(ABOUT_THEM.fullmatch(title_of(text)))))
        titled = set()
        for said in siblings.values():
            titled |= _alike(said, 2, from_first=True)
        # paragraphs opening with a title on its own line (not indented under it), or alone on
        # it over a list, three of them at least and half or more naming common questions:
        # "Introduce yourself", then "Month-end close process", "A mistake you made", "Working
        # with non-finance people"; those that ask without a "?" count among them ("tell me
        # about yourself" beside "why emerald"), but the titles are questions from the first
        # that names one: a title before it is a part of the answer that asks ("Sepsis rollout"
        # under "Tell me about yourself"), as is one that goes on from the answer before it
        # ("Now:", "before that asda nights")
        paragraphs = [(block.number, names_a_question(block.lines[0].text, topic_words=False),
                       plain_title(block.lines[0].text, colon=True))
                      for block, after in zip(blocks, [*blocks[1:], None], strict=False)
                      if block.kind == "paragraph" and not block.hanging and block.lines
                      and (plain_title(block.lines[0].text, colon=True)
                           or asks_plainly(block.lines[0].text))
                      and not block.lines[0].bold_only()
                      and not their_questions(block.lines[0].text, bare=True)
                      and not (FIRST_PERSON | GOES_ON_FROM) & set(
                          plain_words(block.lines[0].text)[:1])
                      and (first_word(block.lines[1].text) not in GOES_ON
                           if len(block.lines) > 1 else  # or a title over a list
                           after is not None and after.kind == "item" and after.depth == 1)]
        # (not "my deputy does it now" over "and I check it on fridays": a sentence goes on)
        first = next((number for number, names, title in paragraphs if names and title), None)
        flat = {number for number in _alike([(number, names) for number, names, _ in paragraphs],
                                            3, from_first=True)
                if first is not None and number >= first}
        return cls(nested, answered, between,
                   {place for place, count in named.items() if count >= 2}, titled | flat, bold,
                   flat, _numbered_titles(blocks))


def _numbered_titles(blocks: list[Block]) -> set[int]:
    """The outermost list items numbered on from 1, whatever comes between them (an answer's
    paragraph ends a Markdown list; the next number starts another), whose first lines are
    titles, when two of them ask and half or more ask or name a common question."""
    run: list[Block] = []
    for block in blocks:
        if block.kind == "item" and block.opens and block.depth == 1 and block.ordinal is not None:
            if block.ordinal != (run[-1].ordinal + 1 if run and run[-1].ordinal else 1):
                if block.ordinal != 1:
                    return set()  # numbered otherwise: not one run of questions
                run = []
            run.append(block)
    titles = [(block.number, asks, asks or names_a_question(text, topic_words=False))
              for block in run for text in [block.lines[0].text if block.lines else ""]
              for asks in [asks_the_person(text) or asks_plainly(text)]
              if question_text(text) or plain_title(text, colon=True)]
    if len(titles) < len(run) or sum(asks for _, asks, _ in titles) < 2:
        return set()
    return _alike([(number, named) for number, _, named in titles], 2)


def _alike(said: list[tuple[int, bool]], least: int, from_first: bool = False,
           more: bool = False) -> set[int]:
    """Of titles laid out alike (their blocks' numbers, whether each names a question), those
    up to the last that names one (`from_first`: and from the first), when `least` of them and
    half or more (`more`: more than half) do."""
    asking = [number for number, named in said if named]
    if from_first and asking:  # what comes before the first is the notes' heading
        said = [(number, named) for number, named in said if number >= asking[0]]
    if len(asking) < least or 2 * len(asking) < len(said) + more:
        return set()
    return {number for number, _ in said if number <= asking[-1]}


def _under(block: Block, item: Block) -> bool:
    """The block is nested under the list item (deeper in the same list)."""
    return block.kind == "item" and block.group == item.group and block.depth > item.depth


def _nested_under(blocks: list[Block], at: int) -> list[Block]:
    """The blocks nested under the list item blocks[at]."""
    end = next((i for i in range(at + 1, len(blocks)) if not _under(blocks[i], blocks[at])),
               len(blocks))
    return blocks[at + 1:end]
