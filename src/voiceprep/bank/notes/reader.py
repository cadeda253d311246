"""Blocks of notes -> questions, each with its answer as units that keep their lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from voiceprep.bank.notes.asides import (
    ADVICE,
    BRACKETED_NOTE,
    COMMENT,
    LENGTH_NOTE,
    NOTE_TO_SELF,
    NOTE_TO_SELF_LINE,
    PLACEHOLDER,
    REMINDER,
    SHOUTED,
    TICKED_BOX,
    UNDECIDED,
    UNWRITTEN,
    to_do,
)
from voiceprep.bank.notes.blocks import (
    Block,
    Line,
    read_blocks,
)
from voiceprep.bank.notes.conversations import ANSWERER
from voiceprep.bank.notes.layout import Places, answers_apart
from voiceprep.bank.notes.preprocess import as_markdown
from voiceprep.bank.notes.titles import (
    DASH_ANSWER,
    arrow_answer,
    asks_plainly,
    asks_the_person,
    in_question,
    names_a_question,
    names_a_section,
    names_a_topic,
    notes_part,
    plain_title,
    question_text,
    sentence_asks,
    their_questions,
    topic_title,
)
from voiceprep.bank.notes.words import (
    ANSWER_PART,
    ARROW,
    ASKED_FOR_QUESTIONS,
    ASKED_LEAD,
    ASKING_VERBS,
    CANDIDATE_WORDS,
    EXPECTED_QUESTIONS,
    FIRST_PERSON,
    MAX_QUESTION_WORDS,
    MAX_TITLE_WORDS,
    NOTES_SECTION,
    NOTES_TITLE,
    NUMBERED,
    PAY_WORDS,
    Q_LABEL,
    QUESTION_LEAD,
    QUESTION_WORDS,
    QUOTES,
    SCENARIO,
    SECTION_NUMBER,
    SELF,
    SENTENCE_END,
    STAR,
    STORY_NOTE,
    SYMBOL_BULLET,
    UNFINISHED,
    abbreviation,
    last_word,
    plain_words,
    title_of,
)
from voiceprep.errors import NotesError
from voiceprep.normalize import plain_quotes

# "Describe a commercial issue affecting our clients." (not "Explain, don't defend.")
SETS_A_TASK = frozenset(("describe", "explain"))
TASK_OBJECT = frozenset("a an the how what why your".split())
WRAPPED_LINE = 60  # a question's line this long may go on on the next: an editor wrapped it
WRAPPED_TAIL = 4  # in a few words ("they returned?"; not "apologise, take it back...?")
BARE_LABEL = re.compile(r"(?:[\w'&/()-]+\s+){0,3}[\w'&/()-]+:")  # "Example:" with nothing after
FRONT = re.compile(r"^front\s*:\s*", re.IGNORECASE)  # a flashcard's question, in notes of cards
BACK = re.compile(r"^back\s*:\s*", re.IGNORECASE)
A_LABEL = re.compile(r"^(?:a(?:ns|nswer)?\s*\d*\s*(?:[:.)]|[-–—](?=\s|$))|(?:me|candidate)\s*:"
                     r"|(?:my|our|your|sample|model|draft)\s+(?:answer|response)\s*:"
                     r"|what\s+i\s+said(?:\s*\([^()]*\))?\s*:)\s*",
                     re.IGNORECASE)
# A mock interview written down: "Interviewer: Tell me about..." asks (when what follows does),
# "Me: ..." answers.
# A check of a call, asked by an interviewer on it: no question of the interview
CALL_CHECK = re.compile(r"\b(?:can|could)\s+you\s+(?:hear|see)\s+me\b|\bcan\s+you\s+hear\s+us\b"
                        r"|\byou(?:'re|\s+are)\s+on\s+mute\b", re.IGNORECASE)
# A coach's note after the question: "Use STAR", "use the STAR method"
STAR_ASKED = re.compile(rf"\W*use\s+(?:the\s+)?{STAR}\W*", re.IGNORECASE)
INTERVIEWER = re.compile(r"^(?:interviewer|recruiter|panel|hiring manager)\s*:\s*", re.IGNORECASE)
# ... answer: a title over the answer ("**Your answer:**" in a careers service's form)
_WHOSE_ANSWER = r"(?:my|our|your|sample|model|draft|suggested)"
ANSWER_TITLE = re.compile(rf"{_WHOSE_ANSWER}(?:\s+draft)?\s+answer(?:\s*\d+)?(?:\s*\([^()]*\))?",
                          re.IGNORECASE)  # "**My answer:**" over the answer, "**Sample answer
# 1:**", "**My answer (STAR):**": no part of it
ACKNOWLEDGEMENT_WORDS = 3  # "Interviewer: Mm, go on." in the middle of an answer ends nothing
# A civil service behaviour (the Success Profiles' nine) titled for its example: "Behaviour:
# Working Together"; not "Behaviour: Respect Everyone" in an answer on values
BEHAVIOUR = re.compile(r"^\W*behaviou?r\s*[:–—-]\s*(?P<name>seeing\s+the\s+big\s+picture|changing"
                       r"\s+and\s+improving|making\s+effective\s+decisions|leadership|communicating"
                       r"\s+and\s+influencing|working\s+together|developing\s+self\s+and\s+others"
                       r"|managing\s+a\s+quality\s+service|delivering\s+at\s+pace)\W*$",
                       re.IGNORECASE)
# A sentence typed without capitals ends at a full stop before a small letter, unless an
# abbreviation does: "... from the ops side. right now I own the platform"
# A turn of a chat with an assistant, as copied from its page: "You said:", "ChatGPT said:"
CHAT_TURN = re.compile(r"(?P<who>you|me|i|chatgpt|claude|gemini|copilot|assistant)\s+said\s*:",
                       re.IGNORECASE)
# A question about the employer, not asked of the person: "What do they actually do?", "What
# do I know about them?" (not "What would they expect from you?")
ABOUT_THEM_ASKED = re.compile(r"(?!.*\b(?:you|your|yourself)\b)(?=.*\b(?:they|them|their)\b)"
                              r".*\?\W*$", re.IGNORECASE)
ASK_THEM = re.compile(r"\W*(?:ask(?:\s+them|\s+the\s+\w+|\s+[A-Z]\w+)?|to\s+ask)\s*:",
                      re.IGNORECASE)  # "ask them: is it chair rental?": the person's own
ASK_THEM_AFTER = re.compile(r"\?\s*(?:→|->|-|–|—|\()\s*ask(?:\s+them|\s+[A-Z]\w+)?\W*$",
                            re.IGNORECASE)
PERSON = ("you", "me", "i")  # who says "You said:": the person
QUESTIONS_TITLE = re.compile(r"\W*(?:(?:likely|interview|possible|practice|common)\s+)?"
                             r"questions?\W*", re.IGNORECASE)  # "Questions" over the first
# The assistant's tip after its question: no answer ("💡 Tip: use STAR", "Go ahead whenever
# you're ready!")
TIP = re.compile(r"\W*(?:tip|hint|note|remember)\s*:|\W*(?:go ahead|take your time"
                 r"|whenever you(?:'re| are) ready|ready when you are|over to you)\b",
                 re.IGNORECASE)
OFFER = re.compile(r"\W*(?:would you like me to|do you want me to|shall i|should i|want me to"
                   r"|let me know)\b", re.IGNORECASE)  # an assistant's offer, no question
LIKELY_QUESTION = re.compile(rf"{EXPECTED_QUESTIONS}\s*:", re.IGNORECASE)  # a form's label,
# on any line of it
LETTERED = re.compile(r"^\s*([a-z])[.)]\s+(?=\S)")  # a lettered point's mark: "a. ", "b) "
LOWER_SENTENCE_END = re.compile(r"(?<=\w[.!?])\s+(?=[a-z])")
CARD_TAGS = re.compile(r"^tags:\s*[\w/-]+(?:\s+[\w/-]+)*$", re.IGNORECASE)  # a flashcard's
# last field, "Tags: react state", as Anki exports it: it ends the card
SCENARIO_LEAD = re.compile(rf"^\W*{SCENARIO}\s*[:–—-]\s+", re.IGNORECASE)
SCENARIO_TITLE = re.compile(rf"{SCENARIO}(?:\s*\([^()]*\))?", re.IGNORECASE)
PAY = re.compile(rf"(?:{PAY_WORDS}|package)(?:\s+(?:expectations?|notes?))?",
                 re.IGNORECASE)  # "**Salary:** currently on M5"
ON_THE_DAY = re.compile(r"(?:things\s+to\s+remember|reminders?)(?:\s+(?:on|for)\s+the\s+day)?",
                        re.IGNORECASE)
# A question that asks for the person's own questions: the questions of its answer are theirs.
ASKS_FOR_QUESTIONS = (r"questions? (for|to ask) (us|me|the)|questions do you have"
                      r"|anything (else )?(to ask|you want to ask)")
# What a to-do among an outline's questions opens with: "- Print CV", "- Revise SCD type 2"
TODO_VERBS = frozenset("""print revise ask book check buy iron send bring prep prepare read look
practise practice email call confirm update pack charge wear""".split())
NOTES_TODO = re.compile(r"(?:(?:things|stuff|documents|items)\s+)?to\s+(?:bring|ask|do|print|pack"
                        r"|look\s+up|check|research)(?:\s+(?:before|beforehand|first|on\s+the\s+day))?",
                        re.IGNORECASE)  # "Things to bring": as a heading or in bold too ("###
# Points to mention" under a question is a part of its answer)
# A question that asks for a story: the titles in its answer are the story's parts
STORY_ASKED = re.compile(r"\b(?:a|one|the)\s+time\b|\bexample\b|\bsituation\b|\bstory\b"
                         r"|\bproject\b", re.IGNORECASE)
# A question that asks for a few things: the titles in its answer name them ("Communication"
# under "Strengths")
LIST_ASKED = re.compile(r"\bstrengths\b|\bweaknesses\b|\bskills\b|\bqualities\b"
                        r"|\bhire\s+you\b|\bbring\s+to\b",
                        re.IGNORECASE)  # ("Leadership" under "Why should we hire you")
# Why the interviewer asks, written over an answer: a note on the question, not said
INTENT = re.compile(r"^\W*(?:why\s+(?:they|do\s+they|would\s+they|they're|they\s+are|the"
                    r"\s+interviewer(?:\s+is)?)\s+ask(?:s|ing)?(?:\s+this(?:\s+question)?)?"
                    r"|what\s+the\s+interviewer(?:\s+is)?\s+(?:looking\s+for|testing|wants))\W*:",
                    re.IGNORECASE)
ANSWER_AFTER = re.compile(rf"\b{_WHOSE_ANSWER}\s+answer\W*:\W*",
                          re.IGNORECASE)  # "Why they ask: red flags. My answer: I've outgrown it"


@dataclass(frozen=True)
class Unit:
    """One claim-sized piece of an answer: a list item, or a sentence of a paragraph."""

    text: str  # markup removed, as written
    line: int  # 1-based line in the notes
    label: str = ""  # the bold label it sits under ("Result", "Technical Solution")
    block: int = 0  # units of one paragraph share a block number (the reference keeps them on
    # one line)
    item: bool = False  # a list item
    depth: int = 0  # a list item's depth among the lists (1: not inside another item)


@dataclass(frozen=True)
class NoteQuestion:
    prompt: str
    line: int
    source: str
    units: tuple[Unit, ...]
    placeholders: tuple[str, ...] = ()  # "[Company Name]" ... in the question or its answer
    story: bool = False  # the notes mark it a story: "... (STAR)" after the question

    @property
    def reference(self) -> str:
        """The answer as written, markup removed: a paragraph per line, a list item per line,
        a section's title ("Result:") on a line of its own."""
        lines: list[str] = []
        last_block = None
        label = ""
        for unit in self.units:
            if unit.label != label and unit.label:
                lines.append(unit.label + ":")  # a section's title, as the notes give it
                last_block = None
            label = unit.label
            if unit.block == last_block and not unit.item:
                lines[-1] += " " + unit.text
            else:
                lines.append(unit.text)
            last_block = unit.block
        return "\n".join(lines)


def parse_notes(text: str, source: str = "notes") -> list[NoteQuestion]:
    """Every question of the notes, with its answer; raise NotesError when there is none. A
    spreadsheet saved as CSV (`source` ending .csv or .tsv) is read as a table (csv_table)."""
    from markdown_it import MarkdownIt

    text, lines = as_markdown(text, source)
    blocks = answers_apart(read_blocks(MarkdownIt("commonmark").enable("table").parse(text),
                                       text.splitlines()))
    mock = bool(ANSWERER.search(text))  # a mock interview written down: "Me: ..." answers
    turns = [_turn(line.text) for block in blocks for line in block.lines]  # a chat pasted in:
    chat = turns.count(False) >= 2 and True in turns  # the person's turns, the assistant's
    cards = all(len(re.findall(rf"^\s*{side}\s*:", text, re.MULTILINE | re.IGNORECASE)) >= 2
                for side in ("front", "back"))  # flashcards: "Front:" asks, "Back:" answers
    # (not one "Front: React" and "Back: Node" in an answer on a stack)
    questions = _questions(blocks, source, loose=False, mock=mock, cards=cards, chat=chat)
    rows = {b.lines[0].number for b in blocks if b.kind == "row"}
    # none, or only a table's (of what to ask them?); or an assistant, which asks in any form
    # ("Next: Why Amazon?" after "**Question 1:** ...")
    if {q.line for q in questions} <= rows or True in turns:
        questions = max(questions, _questions(blocks, source, loose=True, mock=mock, cards=cards,
                                              chat=chat), key=len)
    # a question listed without an answer and answered further on is the one answered
    # ("Why do you want to work here?" in a list the assistant gave, then with its answer)
    answered = [plain_words(q.prompt) for q in questions if q.units]
    questions = [q for q in questions if q.units or not any(
        _same_question(plain_words(q.prompt), words) for words in answered)]
    if lines is not None:  # the lines of the spreadsheet the table's rows come from
        questions = [replace(q, line=lines[q.line], units=tuple(
            replace(u, line=lines[u.line]) for u in q.units)) for q in questions]
    if not questions:
        raise NotesError(f"{source}: no questions found (a question is a heading or line that "
                         "asks one: '## Q1: ...', '**Q2. ...?**', 'Q: ...', a line ending "
                         "with '?', or 'Tell me about yourself' on a line of its own)")
    return questions


def _questions(blocks: list[Block], source: str, *, loose: bool, mock: bool = False,
               cards: bool = False, chat: bool = False) -> list[NoteQuestion]:
    found: list[NoteQuestion] = []
    current: dict[str, Any] | None = None
    section_level = 0  # the level of the last heading seen
    asked_level = 0  # the level of the last heading that asked ("### How do you ..." after
    # "## Technical", a topic above the questions, asks as the questions before it did)
    their: dict[str, Any] | None = None  # in a part listing the person's own questions
    aside = False  # under a heading of a part of the notes ("## Notes from the recruiter call")
    research = False  # a part of the notes by its name ("## Stuff to find out first")
    noted = False  # under such a title alone on its line ("Logistics:"), to the next question
    scenario: int | None = None  # the level of a heading titling a scenario: the paragraph
    # under it that asks is its question ("### Scenario C" over "> You're first on scene...")
    dashed: bool | None = None  # whether the first question gave its answer after a dash
    colons: bool | None = None  # after a colon ("Why audit?: Because ...")
    hanging_titles = False  # a question was a title over lines indented under it
    outline: tuple[int, int] | None = None  # (list, depth) of list items that are questions
    # with their answers nested under them
    places = Places.of(blocks)
    leads = sum(bool(block.lines) and bool(ASKED_LEAD.match(block.lines[0].text))
                for block in blocks) >= 2  # a mock interview written up: "Friend asked: ..."
    labels = sum(bool(Q_LABEL.match(line.text)) for block in blocks
                 for line in block.lines) >= 2  # "Q: ..." lines, and maybe a bare one too
    worksheet = sum(block.kind == "paragraph" and bool(block.lines)
                    and bool(ADVICE.match(block.lines[0].text)) for block in blocks) >= 2  # a
    # careers service's form, its "Tips:" after each answer
    bold_titles = bool(places.bold)  # the questions are lines in bold opening their paragraphs

    def close() -> None:
        if current is not None:
            units = list(current["units"])
            while units and BARE_LABEL.fullmatch(units[-1].text):
                units.pop()  # "Key points:", "Example:" with nothing written under them yet
            found.append(NoteQuestion(
                prompt=current["prompt"], line=current["line"], source=source,
                units=tuple(units),
                placeholders=tuple(dict.fromkeys((*PLACEHOLDER.findall(current["prompt"]),
                                                  *current["placeholders"]))),
                story=current["story"]))

    def next_question(ordinal: int | None, depth: int, text: str) -> str | None:
        """A title numbered next after the current question's number, in the same list, once
        that question has an answer, is the next question even when it does not ask one in
        words: "2. Why this hospital", "4. Biggest weakness", "5. Salary expectations". Not an
        answer's next step (it says "I", or is a sentence), nor the first of the person's own
        questions numbered on after "2. Any questions for us?", nor a section of the notes ("3.
        Logistics")."""
        if (ordinal is None or current is None or current["ordinal"] is None
                or (depth, ordinal) != (current["depth"], current["ordinal"] + 1)
                or not current["units"] or current["units"][-1].text.endswith(":")):
            return None  # no answer yet, or one that goes on in steps: "Stay calm, then:"
        title = NUMBERED.sub("", text, count=1).strip("*_ ").strip()
        words = plain_words(title)
        if topic_title(title) == ASKED_FOR_QUESTIONS:
            return ASKED_FOR_QUESTIONS  # "4. Questions for them": no section of the notes
        if (not 1 <= len(words) <= MAX_TITLE_WORDS or title.endswith((":", "."))
                or SENTENCE_END.search(title) or FIRST_PERSON & set(words)
                or names_a_section(words)):
            return None
        return title

    def next_title(line: Line, block: Block) -> str | None:
        """In notes whose questions are titles ("Tell me about yourself" without a "?"), a
        paragraph opening with a title that names a common question ("Biggest weakness") once
        the question before has an answer; not a section of an answer to a question that asks
        with "?" ("What are your strengths and weaknesses?", then "Strengths")."""
        if (current is None or not current["units"] or current["prompt"].endswith("?") and not (
                len(plain_words(current["prompt"])) <= 3
                and topic_title(current["prompt"].rstrip("?")) is not None)  # "Why Ocado?"
                or asking_back() or line is not block.lines[0] or block.kind != "paragraph"):
            return None
        title = topic_title(line.text)
        if title and in_question(title, current["prompt"]):
            return None  # "Strengths" under "What are your strengths and weaknesses"
        return title

    def colon_title(line: Line, block: Block) -> str | None:
        """"Tell me about yourself:" opening a paragraph or list item asks, as the notes' first
        question or after one written so; in other notes it titles a part of an answer ("What
        did you do:")."""
        text = line.text.strip("*_ ")
        if (line is not block.lines[0] or not text.endswith(":") or SENTENCE_END.search(text)
                or not asks_plainly(text[:-1]) or current is not None and (
                    not current["colon"] or not current["units"] or asking_back())):
            return None
        return text[:-1].strip()

    def laid_out(line: Line, block: Block) -> bool:
        """The line opens a block laid out as the notes' questions: a title over lines indented
        under it, a line in bold opening its paragraph, an item at an outline's questions'
        place."""
        return line is block.lines[0] and (
            block.kind == "paragraph" and block.hanging and hanging_titles
            or block.kind == "paragraph" and line.bold_only() and bool(bold_titles)
            or block.kind == "item" and block.opens and outline == (block.group, block.depth))

    def notes_laid_out(line: Line, block: Block) -> bool:
        """A part of the notes laid out as their questions are ("Travel:" over indented lines;
        "Key facts" alone on its line where the questions are titles; not "Points to mention:",
        which opens what follows in an answer), or a to-do among an outline's questions ("-
        Print CV"): it ends the answer before it."""
        title = title_of(line.text)
        words = plain_words(title)
        if laid_out(line, block) and block.kind == "item" and words[:1] and words[0] in TODO_VERBS:
            return True
        if block.kind == "paragraph" and line.bold_only():  # "**Key numbers**" in a story is
            return bool(NOTES_TODO.fullmatch(title)) and laid_out(line, block)  # a part of it
        alone = block.kind == "paragraph" and len(block.lines) == 1 and bool(
            hanging_titles or bold_titles)  # a title alone on its line: a section when bare
        return bool(NOTES_TITLE.fullmatch(title)) and (laid_out(line, block) or alone and not (
            line.text.rstrip().endswith(":"))) or bool(NOTES_TODO.fullmatch(title)) and alone

    def sibling_title(line: Line, block: Block) -> str | None:
        """A title laid out as the questions before it, where no line of an answer stands
        (`laid_out`): "Managing an underperformer" over indented bullets, "Weakness:" over
        indented lines; a line in bold among lines in bold that mostly name questions
        (`Places.bold`: "**Handling pressure**" beside "**Why Jobber?**"; not one right under
        a question, which titles a part of its answer, "**The short version**", nor the ones
        after it); a title over its paragraph among such titles (`Places.titled`); an
        outline's item with an answer nested under it, or between two that have one ("- KPIs
        you've worked with"); a question in capitals after one in capitals ("WHY OCADO?"). Not
        a part of the notes ("Key stats to mention"), a story's part or a sentence. Where no
        question came before, a title over indented lines that names a common question ("About
        me:") is the first, and so is an outline's item once two of its siblings with answers
        nested name common questions ("- why trader joe's")."""
        text = line.text
        if line is not block.lines[0]:
            return None
        if text.isupper() and text.endswith("?") and current is not None and \
                current["written"].isupper():
            return text
        bold = (block.kind == "paragraph" or block.kind == "item" and block.opens) and \
            line.bold_only()
        if bold and current is not None and (current["labelled"] or bold_titles
                                             and not current["units"]):
            current["labelled"] = True  # "**The short version**" under "**Describe a ...**"
            return None
        # in the answer to a question that asks for a few things (or over paragraphs, for a
        # story), a title that names no question of its own is a part of it: "Communication"
        # under "Strengths", "My analysis" under "Describe a time..."
        part = current is not None and (in_question(text, current["prompt"]) or not (
            names_a_question(text, topic_words=False)) and bool(
                LIST_ASKED.search(current["prompt"])))
        if block.kind == "paragraph" and block.number in places.titled and not part and (
                current is None or current["flat"] and (names_a_question(text, topic_words=False)
                                                        or not STORY_ASKED.search(
                                                            current["prompt"]))):
            return title_of(text)  # "A mistake you made" over its paragraph, as the others
        if block.number in places.numbered and not part:
            return title_of(text)  # "2. AN EXHIBITION YOU CURATED" before "4. ... — HOW?"
        if bold and block.number in places.bold and not part and not (
                current is not None and current["heading"]):
            return title_of(text)  # "**Handling pressure**" beside "**Why Jobber?**" (not a
            # line in bold under a question's heading)
        if not plain_title(text, colon=block.hanging):
            return None
        if block.kind == "paragraph" and block.hanging and not part and (
                hanging_titles or current is None and names_a_topic(text)):
            return title_of(text)
        if block.kind == "item" and block.opens and (
                outline == (block.group, block.depth)
                or current is None and (block.group, block.depth) in places.outlines) and (
                block.number in places.nested or block.number in places.between):
            return title_of(text)
        return None

    def asking_back() -> bool:
        """The current question asks for the person's own questions ("Do you have questions
        for us?"): the questions listed under it, or in a table, are its answer."""
        return current is not None and bool(
            re.search(ASKS_FOR_QUESTIONS, current["prompt"], re.IGNORECASE))

    assistant, turns = False, 0  # in a chat pasted in, the assistant's turn, and its number
    answering = False  # the person's turn answers the assistant's question
    followed_up = False  # the assistant's turn asked a follow-up on the answer before
    asked_in_turn = 0  # the questions the assistant's turn asked
    for block in blocks:
        if turns and (block.after_rule or block.kind == "heading" and not assistant):
            turns = 0  # the chat is over: "---", "# My answers" after the person's last turn
        if block.kind == "end" and asking_back():
            continue
        if block.kind == "row" and asking_back():
            block = replace(block, kind="item")  # a line of the answer, as in a list
        elif block.kind in ("row", "end"):  # a table's question, its end
            close()
            current = their = None
            if block.kind == "row":
                written = block.lines[0].text
                current = _new(question_text(written, loose=True) or written, written,
                               block.lines[0].number, section_level or 7, turn=turns)
            continue
        if block.kind == "heading":
            heading = block.text
            noted = False
            # (not "## Wat vraag ik hen?", the person's own; "### todo pick one?"; "## What do
            # they actually do?")
            asked = None if their_questions(heading, bare=True) or to_do(heading) or (
                ABOUT_THEM_ASKED.match(heading)) else question_text(heading, loose=loose)
            if not asked and block.level == (current["level"] if current else asked_level):
                # "## What motivates you", "## Weaknesses" after "## Why do you want this job?"
                asked = heading if asks_plainly(heading) else topic_title(heading, heading=True)
                if asked == ASKED_FOR_QUESTIONS and current is not None and \
                        not current["heading"]:
                    asked = None  # "Questions for them" beside questions asked on lines: a part
            if not asked and block.number in places.titled and plain_title(
                    heading, colon=True) and not their_questions(heading, bare=True) and not (
                    to_do(heading)):
                asked = title_of(heading)  # "### Mentoring" beside "### Why Raisin"
            if not asked and block.level == 7 and current is not None and not (
                    current["heading"] and current["level"] == 7):
                # "<summary>Show answer</summary>" inside an answer to a question written
                # otherwise: a part of it
                current["label"] = "" if ANSWER_PART.fullmatch(title_of(heading)) or re.fullmatch(
                    r"(?:show|see|full)\s+(?:answer|more|details)", title_of(heading),
                    re.IGNORECASE) else title_of(heading)
                continue
            if their is not None and their["heading"] and block.level > their["level"]:
                continue  # "### Team", "### How long is the programme?" under "## Questions
                # to ask them"
            # "## Questions to ask": what is under it, to the next heading, is theirs to ask
            their = {"heading": True, "level": block.level} if not asked and not asking_back() \
                and their_questions(heading, bare=bool(found or current)) else None
            if asked:
                close()
                current = _new(asked, heading, block.lines[0].number, block.level,
                               turn=turns)
                current["heading"] = True
                section_level = asked_level = block.level
                aside = research = False
                continue
            scenario = block.level if SCENARIO_TITLE.fullmatch(title_of(heading)) else None
            words = plain_words(heading)
            aside = bool(notes_part(heading) or names_a_section(words)) and not (
                QUESTIONS_TITLE.fullmatch(heading))  # not "# Interview prep", "## Questions"
            research = aside and notes_part(heading)
            if block.level == asked_level or len(words) <= 4 and NOTES_SECTION & set(words):
                asked_level = 0  # "## About the school" beside the questions, "# Company
                # research" above them: the questions are over
            if current is not None and (block.level <= current["level"] or (
                    notes_part(heading) or NOTES_TODO.fullmatch(title_of(heading)))
                    and not asking_back()):
                close()  # "### Questions for the panel" under the last answer ends it too
                current = None
            section_level = block.level
            if current is not None:
                current["label"] = heading.rstrip(":")
            continue
        level, scenario = scenario, None
        if level is not None and block.kind == "paragraph" and _sets_a_scenario(
                said := " ".join(line.text for line in block.lines)):
            close()  # "### Scenario C" over "> You're first on scene at ... What are your
            current = _new(said, said, block.lines[0].number, level, turn=turns)  # priorities?"
            current["heading"] = True
            continue
        if block.kind == "paragraph" and len(block.lines) == 1 and notes_part(block.lines[0].text):
            noted = True  # "Logistics:" over the list of them
        if (worksheet and current is not None and current["units"] and block.kind == "paragraph"
                and block.lines and ADVICE.match(block.lines[0].text)
                and not _says_i(re.sub(r"[\"“][^\"”]*[\"”]", "", block.lines[0].text))):
            # a worksheet's advice after the answer: "Tips: Keep it under 2 minutes." (up to a
            # question on its next line)
            rest = next((block.lines[at:] for at, line in enumerate(block.lines[1:], 1)
                         if Q_LABEL.match(line.text) or line.text.rstrip().endswith("?")), [])
            if not rest:
                continue
            block = replace(block, lines=rest)
        if block.lines and INTENT.match(plain_quotes(block.lines[0].text)):
            # "**Why they ask:** to see process": a note on the question, not said; the lines
            # after it are, and an answer after it on its line ("... **My answer:** I've ...")
            rest = _after_intent(block.lines)
            if not rest:
                continue
            block = replace(block, lines=rest)
        if their is not None and (their["heading"] and (block.kind == "item" or len(
                block.lines) == 1) or block.kind == "item" and block.group == (
                their["group"] or block.group) and block.depth > their["depth"]):
            their["group"] = block.group
            continue  # "- How is the team measured?" under "Questions to ask": theirs to ask
        their = None
        if not asking_back() and _their_questions_title(block, current, bool(found)):
            close()  # "Questions to ask:", "- [ ] Questions to ask them": the list under it
            current = outline = None  # the titles after the person's own questions are no
            hanging_titles = bold_titles = False  # more of the interview's ("- [ ] Iron the
            # blue shirt")
            item = block.kind == "item"
            their = {"heading": False, "depth": block.depth if item else 0,
                     "group": block.group if item else 0}
            continue
        if (block.kind == "item" and current is not None
                and block.depth < current["depth"]):
            close()  # "- Employee relations": a topic of an outline whose questions are its items
            current = None
        # the lines of a paragraph, joined into sentences: number, text, whether a claim ends
        pending: list[tuple[int, str, bool]] = []
        for line in block.lines:
            # under "Any questions for us?", the person's questions listed, or on the lines
            # after it, are its answer
            answer_list = asking_back() and (block.kind == "item" or current is not None
                                             and (current["last"] or (None,))[0] == block.number)
            head, tail = (arrow_answer(line.text, dashed=dashed is not False,
                                       colon=colons is not False) if loose and (
                not block.fenced) and (current is None or current["arrow"] and not asking_back())
                else (None, ""))
            run_in = None if head or block.fenced or aside else _run_in(line, block, current)
            if run_in is None and not head and not block.fenced:
                run_in = _labelled_with_answer(line.text)
            if run_in is not None:  # "**Why this school?** I've followed ...": the answer goes
                head, tail = run_in  # on after the question, on its line
            asked = None if block.fenced else head or _asked_by(
                line, block, mock=mock, cards=cards, leads=leads, labels=labels,
                unanswered=current is not None and not current["units"] and not pending
                and not current["run_in"] and not current["arrow"] and not asking_back(),
                loose=loose and (
                    not answer_list or block.kind != "item" and asks_plainly(line.text)))
            if (asked and (aside or noted) and not head and asked.endswith("?")
                    and not Q_LABEL.match(line.text) and not asks_the_person(asked)
                    and (_note_to_self(asked) or _part_of_notes(asked.partition(":")[0])
                         or research)):
                asked = None  # under "## Notes": "do I mention I'm only a beginner?", "check
                # Teams works on the old laptop???" (not "Why this company?", "Q1) Why ...?",
                # "What is a closure in JavaScript?"); under "## Stuff to find out": "who does
                # the dentals?"
            # a chat with an assistant pasted in: the assistant asks (not "Would you like me to
            # ...?"), and a question's answer is what follows it in the assistant's turn (its
            # sample answer, not a tip: "Go ahead whenever you're ready!") or, where none does,
            # the person's next turn (a mock interview), and the turn after a follow-up the
            # assistant asks ("Good. What was the result?"); the assistant's feedback and the
            # person's requests are neither; the person's own Q:/A: lines pasted in are theirs
            turn = _turn(line.text)
            if turn is not None and not chat:
                continue  # "I said:" over what one said, in notes written after an interview
            if turn is not None:
                _flush(current, pending, block)
                assistant = turn
                turns += 1
                answering = not assistant and current is not None and (
                    current["turn"] == turns - 1 and not current["units"] and asked_in_turn == 1
                    or followed_up)  # one question a turn: a mock interview's
                followed_up, asked_in_turn = False, 0
                continue
            if chat and turns:
                if assistant and line.text.rstrip().endswith("?") and not OFFER.match(line.text):
                    followed_up = current is not None and not asked  # a follow-up, or not
                if OFFER.match(line.text) or (
                        TIP.match(line.text) if assistant else not Q_LABEL.match(line.text)):
                    asked = None
                own = current is not None and current["turn"] == turns  # asked in this turn
                asked_in_turn += bool(asked)
                answers = own and not (TIP.match(line.text) or OFFER.match(line.text)) \
                    if assistant else answering or own  # a line of the answer
                if not asked and not answers:
                    continue
            ordinal = block.ordinal if line is block.lines[0] else None
            if asked == "" and current is not None and (current["units"] or pending) and len(
                    INTERVIEWER.sub("", line.text).split()) <= ACKNOWLEDGEMENT_WORDS:
                continue  # "Interviewer: Right, go on." while the answer goes on
            if asked == "":  # the interviewer's small talk
                _flush(current, pending, block)
                close()
                current = None
                continue
            colon = colon_title(line, block) if loose and not asked else None
            if loose and not asked:
                # "2. Why this hospital" after "1. ..."
                asked = (next_question(ordinal, block.depth, line.text) or next_title(line, block)
                         or colon or sibling_title(line, block))
            elif not asked and line.bold_only() and (bold_titles or current is None
                                                     or current["bold"]):
                # "**Biggest weakness**" after "**Tell me...**"
                asked = next_title(line, block) or sibling_title(line, block)
            if asked and NOTE_TO_SELF_LINE.match(line.text):
                asked = None  # "*Note to self: check Tom is still in the Leeds office?*"
            if (asked and outline is not None and current is not None and block.kind == "item"
                    and (block.group, current["depth"]) == outline and block.depth > outline[1]
                    and not Q_LABEL.match(line.text) and (
                        asks_the_person(current["prompt"]) or asks_plainly(current["prompt"]))):
                asked = None  # nested under an outline's question, its answer: "- What are
                # your weaknesses?" over "  - something real. delegation??" (not under a
                # topic: "- Technical" over "  - What is a three-way match?")
            if (asked and current is not None and block.kind == "item" and block.depth > 1
                    and asked.endswith("?") and not Q_LABEL.match(line.text)
                    and _says_i(asked) and not asks_the_person(asked)):
                asked = None  # a prompt of one's own nested in an answer: "◦ What did I do?"
            if (asked and current is not None and not current["units"] and not pending
                    and current["last"] == (block.number, line.number - 1)
                    and not current["prompt"].endswith("?") and not Q_LABEL.match(line.text)
                    and not tail and not current["arrow"]):
                current["prompt"] += " " + asked  # the question goes on: "... What did you do?"
                current["last"] = (block.number, line.number)
                continue
            if (not asked and current is not None and not current["units"] and not pending
                    and current["last"] == (block.number, line.number - 1)
                    and _wrapped_on(current["prompt"], line.text)):
                current["prompt"] += " " + line.text  # "> What would you do if ... they say"
                current["last"] = (block.number, line.number)  # then "> they returned?"
                continue
            if asked:
                _flush(current, pending, block)
                noted = False
                if (current is not None and current["heading"] and current["level"] < 7
                        and not current["units"] and not current["prompt"].endswith("?")
                        and not Q_LABEL.match(current["written"])
                        and not sentence_asks(current["prompt"])):
                    current = None  # a topic's heading over the question asked under it:
                    # "## Managing performance" over "*How would you deal with ...?*"
                close()
                current = _new(asked, line.text, line.number, section_level or 7, ordinal,
                               block.depth, turns)
                current["last"] = (block.number, line.number)  # a line of a paragraph
                current["bold"] = line.bold_only()
                current["run_in"] = run_in is not None
                current["arrow"] = head is not None and not run_in
                if dashed is None:  # the first question: written with a dash, or not
                    dashed = current["arrow"] and not ARROW.search(line.text)
                    colons = dashed and not DASH_ANSWER.search(line.text)  # or a colon
                current["colon"] = asked == colon
                current["flat"] = block.kind == "paragraph" and (
                    block.number in places.flat or bool(places.flat)
                    and not asked.endswith("?"))  # "Introduce yourself" over its paragraph
                if block.kind == "item" and block.number in places.nested:
                    outline = (block.group, block.depth)  # its answer nested under it
                hanging_titles = hanging_titles or block.hanging and line is block.lines[0]
                if tail:  # "Why us -> I use the product daily": the answer on the same line
                    pending.append((line.number, tail, True))
                # "1) Tell me about yourself." with the answer on the lines under it: one list
                # item to Markdown, but the answer is a paragraph, a unit per sentence.
                block = replace(block, kind="paragraph")
                continue
            if current is None:
                continue
            if CARD_TAGS.match(line.text) and FRONT.match(current["written"]):
                _flush(current, pending, block)
                close()  # "Front: ...", "Back: ...", "Tags: react state"
                current = None
                continue
            if line is block.lines[0] and (_sibling_title(line, block, current) or (
                    _kind_of_questions(line, block) and not asking_back()) or (
                    block.kind == "paragraph" or line.bold_only())
                    and notes_part(line.text) and not asking_back()
                    or notes_laid_out(line, block)):
                _flush(current, pending, block)
                close()  # "- **Questions for them**" after "- **Why us?**"
                current = None
                continue
            if current["run_in"] and line is block.lines[0] and _other_topic(line, block):
                _flush(current, pending, block)
                close()  # "**Salary:** currently on M5" after "**Why us?** I've ..."
                current = None
                continue
            if line.bold_only() and (NOTE_TO_SELF.fullmatch(line.text.strip("*_ ")) or
                                     LENGTH_NOTE.fullmatch(line.text.strip("*_ "))):
                continue  # "*(90 seconds max – don't go through the whole CV)*"
            if line.bold_only():
                _flush(current, pending, block)
                title = line.text.strip(":*_ ").strip()
                current["label"] = "" if ANSWER_TITLE.fullmatch(title) else title
                continue
            if BETTER_ANSWER.match(line.text):
                _flush(current, pending, block)  # "wish id said: I did a four year ...": what
                current["units"] = []  # was said in the interview, written above, is not it
                pending.append((line.number, BETTER_ANSWER.sub("", line.text), line.ends_claim))
                continue
            if line.leading_label()[0]:
                _flush(current, pending, block)  # "**Istio:** traffic management" says Istio
            pending.append((line.number, BACK.sub("", line.text) if cards else line.text,
                            line.ends_claim))
        _flush(current, pending, block)
    close()
    return found


# Over the answer one wishes one had given, after what one said in an interview written up
BETTER_ANSWER = re.compile(r"^\W*(?:(?:i\s+)?wish\s+(?:i'?d|i\s+had)\s+said"
                           r"|what\s+i\s+should\s+have\s+said)\s*:\s*", re.IGNORECASE)
def _after_intent(lines: list[Line]) -> list[Line]:
    """The lines after a note on why they ask: after "My answer:" on its line, or after the
    note's first sentence, or its line when the writer broke it there or the next line opens a
    sentence (a sentence wrapped by an editor goes on): "Why they ask: red flags. I've outgrown
    the role" keeps "I've outgrown the role"."""
    for at, line in enumerate(lines):
        text = line.text
        answer = ANSWER_AFTER.search(text)
        end = SENTENCE_END.search(text)
        after = lines[at + 1].text[:1] if at + 1 < len(lines) else ""
        cut = answer.end() if answer else end.end() if end else (
            len(text) if line.ends_claim or after.isupper() or re.search(r"[.!?]\W*$", text)
            else None)
        if cut is not None:
            rest = [Line(line.number, [("text", text[cut:])], line.ends_claim)
                    ] if text[cut:].strip() else []
            return rest + lines[at + 1:]
    return []


def _their_questions_title(block: Block, current: dict[str, Any] | None, found: bool) -> bool:
    """A paragraph, or a list item beside the questions (not numbered among them), that titles
    the person's own questions ("Questions to ask:", "- [ ] Questions to ask them"; "💬 My
    questions:" or "Questions I want to ask" after a rule or in bold, once questions were
    asked): the list under it is theirs to ask."""
    first = block.lines[0] if block.lines else None
    return (first is not None and block.ordinal is None
            and (block.kind == "paragraph" or first.bold_only() or block.kind == "item"
                 and (current is None or block.depth <= current["depth"]))
            and their_questions(first.text, bare=(found or current is not None)
                                 and (block.after_rule or first.bold_only())))


def _sibling_title(line: Line, block: Block, current: dict[str, Any]) -> bool:
    """A title beside the current question that asks nothing ends its answer, as a heading at
    its level does: a list item in bold at the question's own depth, in notes whose questions
    are such items; a line in capitals after a question in capitals ("REVIEW BEFORE TUES")."""
    text = line.text
    if block.kind == "item" and block.depth == current["depth"] and line.bold_only():
        return names_a_section(plain_words(text))  # not "**Situation**", a label
    written = current["written"]
    words = plain_words(text)
    return (text.isupper() and written.isupper() and len(words) <= MAX_TITLE_WORDS
            and "," not in text and any(len(w) >= 4 for w in words)  # not "RN, BSN, CCRN"
            and not SENTENCE_END.search(text) and block.kind == "paragraph")


QUESTION_KINDS = frozenset("""competency competence technical behavioural behavioral situational
strength strengths motivational motivation values scenario general role""".split())


def _kind_of_questions(line: Line, block: Block) -> bool:
    """A paragraph of one line that names a kind of questions, in capitals or as a title:
    "COMPETENCY QUESTIONS", "Technical questions:" over the next ones (not "My questions:",
    "Tough questions:" or "Competency questions" in an answer)."""
    words = plain_words(line.text)
    return (block.kind == "paragraph" and len(block.lines) == 1 and 2 <= len(words) <= 4
            and words[-1] in ("questions", "qs") and words[0] in QUESTION_KINDS
            and (line.text.isupper() or line.text.rstrip().endswith(":"))
            and re.fullmatch(r"[\w &/'’-]+:?", line.text.strip()) is not None)


def _new(prompt: str, written: str, line: int, level: int,
         ordinal: int | None = None, depth: int = 0, turn: int = 0) -> dict[str, Any]:
    prompt = SYMBOL_BULLET.sub("", prompt)  # "## 🎯 Tell me about yourself"
    return {"prompt": prompt, "written": written, "line": line, "last": None, "level": level,
            "ordinal": ordinal, "depth": depth, "label": "", "units": [],
            "placeholders": [], "story": bool(STORY_NOTE.search(written)), "bold": False,
            "arrow": False, "run_in": False, "colon": False, "heading": False, "labelled": False,
            "flat": False, "turn": turn}  # turn: the assistant's it was asked in, in a chat


def _asked_by(line: Line, block: Block, *, loose: bool, mock: bool = False,
              cards: bool = False, leads: bool = False, labels: bool = False,
              unanswered: bool = False) -> str | None:
    """The question a line asks, or None; "" when the interviewer of a mock interview written
    down says something else ("Interviewer: Thanks for coming in."): no answer goes on."""
    text = line.text
    if cards and FRONT.match(text):  # a flashcard's front, whatever it says
        return question_text(FRONT.sub("", text)) or FRONT.sub("", text).strip() or None
    if mock and INTERVIEWER.match(text):
        said = Q_LABEL.sub("", INTERVIEWER.sub("", text, count=1), count=1)
        sentences = SENTENCE_END.split(said)
        if not any(_interviewer_asks(sentence) for sentence in sentences):
            return ""
        while not _interviewer_asks(sentences[0]) and len(sentences[0].split()) <= 4:
            sentences.pop(0)  # "Next one. Why Skyvale?", "Right. Now a STAR one. Tell me ..."
        while len(sentences) > 1 and STAR_ASKED.fullmatch(sentences[-1]):
            sentences.pop()  # "Tell me about a time ... Use STAR"
        said = " ".join(sentences)  # "At the end they will ask you, do you have any ...?"
        return (QUESTION_LEAD.match(said) and question_text(said)) or said
    if Q_LABEL.match(text) and not A_LABEL.match(text):
        return None if _to_ask_them(text) else question_text(text)
    if line.bold_only():
        return question_text(text)
    if block.asks and line is block.lines[0]:  # "(i) Give an example of when you ..."
        return question_text(text, loose=True)
    if (labels and line is block.lines[0] and block.kind == "paragraph"
            and text.rstrip().endswith("?") and asks_the_person(text)
            and _asks_on_own_line(line, block) and not to_do(text) and not _to_ask_them(text)):
        # in notes of "Q:" lines, one asked without its label, its answer under it: "What is
        # your experience with Airflow?" after "Q: How do you prioritise?" with an empty "A:"
        return question_text(text, loose=True)
    if not loose:
        return None
    if SCENARIO_LEAD.match(text) and line is block.lines[0] and _sets_a_scenario(text):
        return SCENARIO_LEAD.sub("", text, count=1)  # "Scenario: A relative is shouting at
        # the desk. What do you do?" (not "Scenario: the venue cancels?" in an answer)
    behaviour = BEHAVIOUR.match(text) if line is block.lines[0] else None
    if behaviour:  # "Behaviour: Working Together", its example under it
        return behaviour.group("name")
    if leads and line is block.lines[0] and ASKED_LEAD.match(text):  # "Friend asked: ...",
        said = ASKED_LEAD.sub("", text, count=1).strip()  # in notes of two such at least
        return question_text(said, loose=True) or (said if sentence_asks(said) else None)
    if QUESTION_LEAD.match(text):  # "They might ask: Why us?", opening a part of a script; a
        # form's "Likely question: Tell us about..." under "Competency: Employee relations"
        return question_text(text, loose=True) if line is block.lines[0] or LIKELY_QUESTION.match(
            text) else None
    if (unanswered and line is block.lines[0] and len(block.lines) > 1
            and block.kind == "paragraph" and text.rstrip().endswith("?")
            and not SENTENCE_END.search(text) and len(plain_words(text)) <= MAX_TITLE_WORDS
            and not to_do(text) and not _to_ask_them(text)):
        return question_text(text, loose=True)  # "conflict example?" over its answer, after a
        # question with nothing under it: the next question, not that one's answer
    if text.rstrip().endswith("?") and (block.kind == "item" or _asks_on_own_line(line, block)):
        # (not "TODO think of an example, maybe Vathorst again?", nor "ask them: sundays?")
        return None if to_do(text) or _to_ask_them(text) else question_text(text, loose=True)
    # Notes that never write "?": "1) Tell me about yourself." or "Why do you want this job" on
    # the first line of a list item or paragraph, the answer on the lines after it.
    opens = line is block.lines[0] or len(block.lines) > 1 and line is block.lines[1] and bool(
        QUESTIONS_TITLE.fullmatch(block.lines[0].text)) or bool(  # under "Questions" on the
        SECTION_NUMBER.match(text))  # line above, or numbered as a section: "2.1 Tell me..."
    if (opens and block.kind in ("paragraph", "item")
            and not SENTENCE_END.search(text) and asks_plainly(text)):
        return question_text(text, loose=True)
    return None


def _run_in(line: Line, block: Block, current: dict[str, Any] | None
            ) -> tuple[str, str] | None:
    """A question in bold that asks the person, opening a paragraph, its answer after it on
    the line ("**Why this school?** I've followed ..."), and that answer; where no
    question is open, or the open one was written in bold too (not "**What did I learn?** ..."
    inside a story told under a heading, "**Founded?** 2011" in research, or "**Talk about the
    campaign.** It has numbers")."""
    if line is not block.lines[0] or block.kind != "paragraph" or (
            current is not None and not (current["run_in"] or current["bold"])):
        return None
    title, rest = line.run_in()
    rest = rest.lstrip(":–—- ")
    aside = re.fullmatch(r"\([^()]+\)", rest)  # "**3. Tell us about a time you made an
    # error** (they WILL ask)": a note on the question, its answer under it
    words = plain_words(title)
    if not (aside or re.match(r"\W*[A-Z0-9]", rest)) or title.endswith(":") or not (
            asks_the_person(title) or asks_plainly(title)
            or words[:1] and words[0] in ASKING_VERBS and CANDIDATE_WORDS & set(words)
            or words[:1] and words[0] in SETS_A_TASK and words[1:2] and words[1] in TASK_OBJECT
            and len(words) >= 5):
        return None  # ("**Describe a project you led.** Last year I ...", "**Describe a
        # commercial issue affecting our clients.**"; not "**Talk about the campaign.**", nor
        # "**What do you want to get better at?** is what I ask in every one-to-one")
    asked = question_text(title)
    return (asked, "" if aside else rest) if asked else None


def _interviewer_asks(sentence: str) -> bool:
    """A sentence of the interviewer's that asks a question of the interview ("Why Skyvale?",
    "Weaknesses?"): not another word alone ("Ready?", "Sipho?") nor a check of the call ("Hi
    Sipho, can you hear me?")."""
    words = plain_words(sentence)  # (none in a bare "?")
    alone = len(words) == 1 and topic_title(words[0]) is not None  # "Weaknesses?", "Salary?"
    return sentence_asks(sentence) and (len(words) > 1 or alone) and not CALL_CHECK.search(
        sentence)

def _labelled_with_answer(text: str) -> tuple[str, str] | None:
    """A question with a Q label and its answer after it on the line: ("Why Brightwell?", "You
    do both domestic and commercial ...") for "Q3) Why Brightwell? You do both ...", ("Tell us a
    bit about yourself.", "I'm 17, ...") for "Q1) Tell us a bit about yourself. I'm 17, ...",
    and after a dash; the answer opens a sentence with a capital that asks nothing, after a full
    stop one that opens with "I", "my", "we", "our", "yes", "no" or a figure (not "Q2 What did
    you learn? nothing much", "Q: Tell me about a conflict. How did you resolve it?", "Q2. Tell
    me about a team. Include what you learned.", "... at St. James's"), and the question asks
    before it ("Q4 last year's target. We beat it" asks nothing)."""
    if not Q_LABEL.match(text):
        return None
    said = Q_LABEL.sub("", text, count=1)
    dash = DASH_ANSWER.search(said)  # "Q6) Tell me about a conflict — 2 lads kept arguing"
    end = dash or re.search(r"\?\s+(?=[\"“'‘]?[A-Z0-9])|\.\s+(?=(?:I|My|We|Our|Yes|No)\b|\d)",
                            said)
    if end is None:
        return None
    asked = said[:end.start()].strip() if dash else said[:end.end()].strip()
    rest = said[end.end():].strip()
    if not rest or not re.match(r"[\"“'‘]?[A-Z0-9]", rest) or re.match(r"[^.!?]*\?", rest) or (
            not asked.endswith("?") and not asks_plainly(asked.rstrip(".!"))):
        return None  # (not "Q: Tell me about a conflict. How did you resolve it?", "Q1. Tell
        # me about a time you failed — and what you learned", "Why us? (2 mins)")
    return question_text(asked) or asked, rest


def _other_topic(line: Line, block: Block) -> bool:
    """In notes of questions in bold with their answers on their lines, a paragraph that opens
    with a part of the notes in bold ("**Salary:** currently on M5", "**Questions for them:**
    ..."; not "**Result:** ...", "**Key strength:** ..."), or a title of the notes' own on a
    line of its own ("Things to remember on the day"; not "Key numbers:")."""
    if block.kind != "paragraph":
        return False
    title = title_of(line.text)
    if len(block.lines) == 1 and (notes_part(title) or ON_THE_DAY.fullmatch(title)):
        return True
    label = line.run_in()[0]
    return label.endswith(":") and _part_of_notes(label.rstrip(":").strip())


def _part_of_notes(label: str) -> bool:
    """A label of a part of the notes: "Salary", "Questions for them", "Logistics" (not
    "Feedback", "Research" or "Strengths" in an answer)."""
    return bool(notes_part(label) or their_questions(label, bare=True)
                or PAY.fullmatch(label))


def _wrapped_on(question: str, text: str) -> bool:
    """The line after a question's first line is the rest of the question that an editor
    wrapped: the question opens with a question word, runs WRAPPED_LINE characters or more
    without ending, and the line is a few words in small letters ending with "?" ("they
    returned?"; not "apologise, take it back, and maybe a free dessert?")."""
    return (not re.search(r"[?.!:]\W*$", question)
            and plain_words(question)[:1] in ([w] for w in QUESTION_WORDS)
            and len(question) >= WRAPPED_LINE and text[:1].islower()
            and bool(re.search(r"[^?]\?$", text)) and len(text.split()) <= WRAPPED_TAIL
            and not A_LABEL.match(text))


def _sets_a_scenario(text: str) -> bool:
    """A scenario set for the person: it ends asking what you would do ("... What are your
    priorities?", "How would you ...?"; not "Why did I rely on email?", "Can you take notes in?",
    "He kept saying: why didn't anyone tell you?")."""
    last = plain_words(SENTENCE_END.split(text.strip())[-1])
    return text.rstrip().endswith("?") and last[:1] in (["what"], ["how"]) and bool(
        CANDIDATE_WORDS & set(last))


def _same_question(words: list[str], other: list[str]) -> bool:
    """The same question, or one worded a little longer: "What would you do if your drawer
    didn't balance?" and "... didn't balance at the end of the day?"."""
    shorter, longer = sorted((words, other), key=len)
    return len(shorter) >= 3 and longer[:len(shorter)] == shorter


def _note_to_self(text: str) -> bool:
    """A line the person wrote to themselves: it says "I" ("do I mention I'm only a
    beginner?") or opens with a to-do ("check Teams works on the old laptop???")."""
    words = plain_words(text)
    return _says_i(text) or bool(words) and words[0] in TODO_VERBS


def _says_i(text: str) -> bool:
    """The person speaks of themselves: "I", "me", "my" ("What did I do?")."""
    return bool(SELF & set(plain_words(text)))


def _to_ask_them(text: str) -> bool:
    """One of the person's own questions: "ask them: sundays?", "Microlise? → ask them",
    "Questions to ask: staffing at Hebden Road? training?"."""
    lead, colon, _ = text.partition(":")
    return bool(ASK_THEM.match(text) or ASK_THEM_AFTER.search(text)
                or colon and len(lead) <= 40 and their_questions(lead, bare=True))


def _turn(text: str) -> bool | None:
    """In a chat pasted in, a turn's label: True for the assistant's ("ChatGPT said:"), False
    for the person's ("You said:"), None for any other line."""
    turn = CHAT_TURN.fullmatch(text.strip())
    return None if turn is None else turn.group("who").lower() not in PERSON


def _asks_on_own_line(line: Line, block: Block) -> bool:
    """A line of a paragraph that ends with "?" is a question on a line of its own: a paragraph
    of one line; or, in notes typed on a phone with no blank line between question and answer,
    a line that asks the person (an interview verb, or "you") after a line that could end a
    sentence. Short, one sentence, opening with a question word."""
    words = plain_words(line.text)
    if line is block.lines[0] and len(words) <= MAX_TITLE_WORDS and topic_title(
            line.text.rstrip("?")) is not None:
        return True  # "Weakness?", "Salary expectations?" over their answers
    if (len(words) > MAX_QUESTION_WORDS or SENTENCE_END.search(line.text) or not words
            or words[0] not in QUESTION_WORDS and words[0] not in ASKING_VERBS
            and not (words[0] == "any" and re.search(ASKS_FOR_QUESTIONS, line.text,
                                                            re.IGNORECASE))):
        return False  # not "The real question for me was: where do I want to be?"
    at = next(i for i, other in enumerate(block.lines) if other is line)
    if at == 0 and len(block.lines) == 1:
        return True
    # asks the person, not "Why only Fridays?" in a story
    asks_you = words[0] in ASKING_VERBS or words[0] == "any" or bool(CANDIDATE_WORDS & set(words))
    return asks_you and (at == 0 or last_word(block.lines[at - 1].text) not in UNFINISHED)


def _lower_sentences(text: str) -> list[str]:
    """A run of sentences typed without capitals, cut at each full stop before a small letter
    that does not end an abbreviation ("e.g. the", "vs. last")."""
    out, start = [], 0
    for end in LOWER_SENTENCE_END.finditer(text):
        before = text[:end.start() - 1].rsplit(None, 1)[-1].strip("(")
        if not abbreviation(before) and not (before[:1].isupper() and len(before) <= 4):  # "Fri.",
            # "Inc.": not "Saturday."
            out.append(text[start:end.start()])
            start = end.end()
    return [*out, text[start:]]


def _flush(current: dict[str, Any] | None, pending: list[tuple[int, str, bool]],
           block: Block) -> None:
    """The pending lines of a paragraph (or list item) as units: one per sentence of a
    paragraph, one per list item; each keeps the line it starts on."""
    if current is None or not pending:
        pending.clear()
        return
    text, starts = "", []
    # the points' letters, where lines run "b. ...", "c. ..." (not "c. 200 people", "v. proud")
    letters = [marked.group(1) for _, line, _ in pending for marked in [LETTERED.match(line)]
               if marked]
    lettered = len(letters) >= 2 and all(ord(later) == ord(earlier) + 1 for earlier, later
                                         in zip(letters, letters[1:], strict=False))
    for number, line, ends_claim in pending:
        line = A_LABEL.sub("", line, count=1) if not text else ANSWERER.sub("", line, count=1)
        line = LETTERED.sub("", line, count=1) if lettered else line  # "b. Want to formalise
        line = SYMBOL_BULLET.sub("", TICKED_BOX.sub("", line))
        line = "" if UNDECIDED.match(line) or BRACKETED_NOTE.fullmatch(line.strip()) or (
            text and SHOUTED.fullmatch(line.strip())) else COMMENT.sub("", line)
        for aside in NOTE_TO_SELF.findall(line):
            current["story"] |= bool(re.search(r"\bS\.?T\.?A\.?R\b", aside))
            line = line.replace(aside, "")
        starts.append((len(text), number))
        text += line + ("\n" if ends_claim else " ")
    pending.clear()
    current["placeholders"] += PLACEHOLDER.findall(text)
    item = block.kind == "item"
    offset = 0
    lower = block.typed and not SENTENCE_END.search(text)  # typed without capitals:
    # "... the ops side. right now I own"
    pieces = [text] if item else [sentence for line in text.split("\n")
                                  for part in SENTENCE_END.split(line)
                                  for sentence in (_lower_sentences(part) if lower else [part])]
    # a claim per line, not a sentence: the reference keeps their lines
    item = item or bool(re.search(r"(?<![.!?\"'”)\]])\n", text.strip()))
    for piece in pieces:
        start = text.find(piece, offset)
        offset = start + len(piece)
        piece = piece.strip().strip(QUOTES).strip()
        if not re.search(r"\w", piece) or UNWRITTEN.match(piece) or REMINDER.match(piece):
            continue
        number = max(n for at, n in starts if at <= max(start, 0))
        current["units"].append(Unit(" ".join(piece.split()), number, current["label"],
                                     block.number, item,
                                     block.depth if block.kind == "item" else 0))
