"""Notes -> blocks of lines: Markdown read with markdown-it-py (headings, lists, paragraphs,
tables, quotes, callouts), spreadsheets saved as CSV, each line keeping its place in the notes."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from voiceprep.bank.notes.titles import (
    asks_plainly,
    asks_the_person,
    names_a_question,
    notes_part,
    question_text,
    their_questions,
    topic_title,
)
from voiceprep.bank.notes.words import (
    ASKING_VERBS,
    CANDIDATE_WORDS,
    GOES_ON,
    LETTERED_QUESTION,
    NUMBERED,
    PAY_WORDS,
    QUESTION_ABROAD,
    STORY_PARTS,
    UNFINISHED,
    abbreviation,
    first_word,
    last_word,
    plain_words,
    title_of,
)

TASK_BOX = re.compile(r"^\s*\[[ xX]\]\s+")  # "- [ ] Tell me about yourself" (a task list)
# A paragraph numbered in roman numerals, as Markdown numbers a list item: "IV. How would you
# ...", or in brackets: "(ii) How do you ...?", "(b) What motivates you?"
ROMAN_ITEM = re.compile(r"^\s*(?:((?=[IVX])X{0,3}(?:IX|IV|V?I{0,3}))[.)]"
                        r"|\(((?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})|[a-h])\))\s+")
WRAP_WIDTH = 120
MIN_WRAP = 45
WRAP_EVIDENCE, WRAP_SHARE = 8, 12  # _claim_per_line
# A table's first header, when its rows are questions and answers ("Frage", "Vraag" too)
QUESTION_COLUMN = re.compile(rf"^\W*(?:q|questions?|interview questions?|{QUESTION_ABROAD})\W*$",
                             re.IGNORECASE)
# The columns of a table or spreadsheet that answer nothing
OTHER_COLUMN = re.compile(r"^\W*(?:#|no|nr|num(?:ber)?|id|status|done|notes?|comments?|dates?"
                          r"|tags?|category|type|round|practised|practiced|competency|competence"
                          r"|theme|skill|area|section|topic|stage|priority"
                          r"|confidence(?:\s*\([^()]*\))?)\W*$", re.IGNORECASE)
SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.IGNORECASE | re.DOTALL)
LINE_BREAK = re.compile(r"<br\s*/?>$", re.IGNORECASE)
# An Obsidian wiki link reads as Obsidian shows it: its alias, else the page and the heading
# it points at ("[[MaxDiff]]", "[[Research brief template|brief]]", "[[STAR bank#Marco test]]"
# as "STAR bank > Marco test", a block's id left out); an embed ("![[chart.png]]") says nothing.
# Obsidian tags after a sentence, or alone on a line: "The diary study, 2023. #story
# #diary-study" (not "issue #42", "C#", "posted in #incidents").
TRAILING_TAGS = re.compile(r"(?:^|(?<=[.!?])|(?<=[.!?][\"”')\]]))\s*(?:#[^\W\d_][\w/-]*\s*)+$")
WIKI_LINK = re.compile(r"(!?)\[\[([^\[\]|#]*)(?:#([^\[\]|]*))?(?:\|([^\[\]]*))?\]\]")
# A quoted block that is a tip to oneself, not said: an Obsidian or GitHub callout of advice
# ("> [!tip] Lead with the outcome", "> [!warning] don't sound bitter").
ADVICE = re.compile(r"^\s*\[!(?:tip|hint|warning|caution|danger|todo)\]", re.IGNORECASE)
# Any other callout is said; its first line's marker and short title ("> [!note]- Answer") not
CALLOUT = re.compile(r"^\[!\w+\][-+]?\s*")
# Of callouts inside another callout (an answer's), those that are notes on it ("> > [!note]
# Nota" in "> [!question] Tell me about yourself."); any other is said ("[!example]", "[!faq]
# Follow-up", "[!info]" with the figures)
NESTED_NOTE = re.compile(r"^\s*\[!(?:note|important|attention|comment)\]", re.IGNORECASE)
# A fenced block marked as text is read as its lines: "```text" around an answer
PROSE_FENCE = frozenset({"text", "txt", "plain", "plaintext"})  # "```text": not "```", "```bash"
DIAGRAM = re.compile(r"[→←↑↓─│┌┐└┘]|^ {4}", re.MULTILINE)


@dataclass
class Line:
    """One line of an inline block: its segments as (style, text)."""

    number: int
    segments: list[tuple[str, str]] = field(default_factory=list)
    ends_claim: bool = False  # the line break after it is the writer's, not an editor's wrap

    @property
    def text(self) -> str:
        return "".join(t for _, t in self.segments).strip()

    def bold_only(self) -> bool:
        """The whole line is bold (or italic): a label or a question, not a claim."""
        shown = [(s, t) for s, t in self.segments if t.strip()]
        return bool(shown) and all(s in ("strong", "em") for s, _ in shown)

    def leading_label(self) -> tuple[str, str]:
        """("Infrastructure", "Kubernetes, Docker") for `**Infrastructure:** Kubernetes, ...`."""
        head, rest = self.run_in()
        return (head.rstrip(":").strip(), rest) if head.endswith(":") else ("", self.text)

    def run_in(self) -> tuple[str, str]:
        """("Why this school?", "I've followed ...") for `**Why this school?** I've followed
        ...`: the line's opening in bold (or italics), and the rest of the line after it."""
        shown = [(s, t) for s, t in self.segments if t.strip()]
        if len(shown) >= 2 and shown[0][0] in ("strong", "em"):
            head = shown[0][1].strip()
            joined = self.text
            return head, joined[joined.find(head) + len(head):].strip()
        return "", self.text


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "item"; a table's "row" (its question) and "end"
    level: int  # heading level (1-6; 7 for a folded block's <summary>); for the rest, 0
    lines: list[Line]
    number: int  # position in the notes
    ordinal: int | None = None  # a numbered list item's first paragraph: its number
    depth: int = 0  # a list item's depth among the lists (1: not inside another item)
    typed: bool = False  # typed a claim per line (as on a phone): a sentence without capitals
    # ends at a full stop before a small letter
    group: int = 0  # a list item's outermost list: its number in the notes
    after_rule: bool = False  # a horizontal rule ("---") comes right before it
    fenced: bool = False  # a fenced block of prose: lines of an answer, never a question
    hanging: bool = False  # a paragraph whose first line starts the line and the rest are
    # indented under it: a title over its lines, as plain-text notes lay out a question
    opens: bool = False  # a list item's first paragraph
    asks: bool = False  # numbered in roman numerals or in brackets as a question: "(i) Give
    # an example of ...", "IV. How would you ...?"

    @property
    def text(self) -> str:
        """Its lines as one line: a heading's title."""
        return " ".join(line.text for line in self.lines)


def read_blocks(tokens: list[Any], source: list[str]) -> list[Block]:
    out: list[Block] = []
    heading_level = 0
    items: list[int | None] = []  # the open list items' numbers (None: a bullet, or said)
    in_table = 0
    width = _wrap_width(tokens, source)
    quotes: list[bool | None] = []  # the open quoted blocks: each, whether it is advice (left
    # out), None until its first line is read
    callouts: list[bool] = []  # each open quoted block, whether it is a callout
    rows: list[list[list[Line]]] = []  # the table's rows, each cell's lines (split at "<br>")
    group, rule = 0, False  # the outermost lists opened so far; a rule before the next block
    opening = False  # a list item opened, its first paragraph still to come
    for token in tokens:
        if in_table:
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline" and token.map and rows:
                line = token.map[0] + 1
                rows[-1].append(_lines(token.children or [], line) or [Line(line)])
            elif token.type == "table_close":
                in_table = 0
                out += _table_questions(rows, len(out))
                rows = []
            continue
        if token.type == "hr":
            rule = True
        elif token.type == "html_block" and token.map and SUMMARY.search(token.content):
            # "<details><summary>Why Monzo?</summary> ... </details>": a title over what is
            # folded under it, below any heading; the lines folded with it in the same block
            # (no blank line), up to the next one's summary
            summaries = list(SUMMARY.finditer(token.content))
            for summary, following in zip(summaries, [*summaries[1:], None], strict=True):
                text = html.unescape(re.sub(r"<[^>]+>", "", summary.group(1))).strip()
                line = token.map[0] + 1 + token.content.count("\n", 0, summary.start())
                out.append(Block("heading", 7, [Line(line, [("text", text)])], len(out)))
                said = token.content[summary.end():following.start() if following else None]
                folded = [Line(line + at, [("text", html.unescape(plain))], True)
                          for at, written in enumerate(said.split("\n"))
                          if (plain := re.sub(r"<[^>]+>", "", written).strip())]
                if folded:
                    out.append(Block("paragraph", 0, folded, len(out)))
        elif token.type == "fence" and token.map and _prose(token.info, token.content):
            fenced = [Line(token.map[0] + 2 + i, [("text", text)],
                            bool(re.search(r"[.!?:]\W*$", text)))  # wrapped lines join
                      for i, text in enumerate(token.content.splitlines()) if text.strip()]
            out.append(Block("item" if items else "paragraph", 0, fenced, len(out),
                              depth=len(items), group=group, after_rule=rule, fenced=True))
            rule = False
        elif token.type in ("bullet_list_open", "ordered_list_open") and not items:
            group += 1
        elif token.type == "heading_open":
            heading_level = int(token.tag[1])
        elif token.type == "heading_close":
            heading_level = 0
        elif token.type == "list_item_open":
            items.append(int(token.info) if token.info.isdigit() else None)
            opening = True
        elif token.type == "list_item_close":
            items.pop()
        elif token.type == "table_open":
            in_table = 1
        elif token.type == "blockquote_open":
            quotes.append(True if quotes and quotes[-1] else None)
            callouts.append(False)
        elif token.type == "blockquote_close":
            quotes.pop()
            callouts.pop()
        elif token.type == "inline" and token.map:
            first_quoted = bool(quotes) and quotes[-1] is None
            if first_quoted:
                callouts[-1] = bool(CALLOUT.match(token.content.lstrip()))
                quotes[-1] = bool(ADVICE.match(token.content)) or (  # a note inside an answer
                    callouts[-1] and any(callouts[:-1]) and bool(NESTED_NOTE.match(token.content)))
            if quotes and quotes[-1]:
                continue
            lines = _lines(token.children or [], token.map[0] + 1)
            if first_quoted and lines and CALLOUT.match(lines[0].text):
                lines = _callout_lines(lines)
            if items and lines:
                boxless, _ = _without_marker(lines, TASK_BOX)
                lines = lines if boxless[0].bold_only() else boxless  # "- [x] **Read ...**"
            typed = _line_breaks(lines, source, width)
            kind = "heading" if heading_level else "item" if items else "paragraph"
            after = _after_list(lines, source) if kind == "item" else len(lines)
            ordinal = items[-1] if items else None
            opens, opening = bool(items) and opening, False
            if items:
                items[-1] = None  # the item's later paragraphs carry no number
            depth = len(items)
            in_list = group
            roman = None
            if kind == "paragraph" and lines and _roman_question(lines[0].text):
                lines, roman = _without_marker(lines, ROMAN_ITEM)  # "IV. How would you ...?"
                assert roman is not None  # reads as "4. How would you ...?"
                kind, ordinal, depth = "item", _roman_value(roman.group(1) or roman.group(2)), 1
                group += 1
                in_list = group
            asks = roman is not None
            hanging = kind == "paragraph" and len(lines) > 1 and not source[
                lines[0].number - 1][:1].isspace() and all(
                    source[line.number - 1][:1].isspace() for line in lines[1:])
            out.append(Block(kind, heading_level, lines[:after], len(out), ordinal,
                              depth, typed, in_list, rule, hanging=hanging, opens=opens,
                              asks=asks))
            rule = False
            if after < len(lines):
                out.append(Block("paragraph", 0, lines[after:], len(out), typed=typed))
    return out


def _prose(info: str, content: str) -> bool:
    """A fenced block marked as text that holds prose ("```text" around an answer), not a
    diagram; a bare fence or one in a language ("```bash") is never said."""
    lines = [line for line in content.splitlines() if line.strip()]
    return (info.strip().lower() in PROSE_FENCE and bool(lines) and not DIAGRAM.search(content)
            and all(re.search("[A-Za-z]", line) for line in lines))


def _without_marker(lines: list[Line], marker: re.Pattern[str]
                    ) -> tuple[list[Line], re.Match[str] | None]:
    """The lines without the marker opening the first (a task list's box, a roman numeral),
    and the marker's match; the lines as they are when it is not there."""
    first = lines[0]
    head = next((i for i, (_, t) in enumerate(first.segments) if t.strip()), None)
    found = marker.match(first.segments[head][1]) if head is not None else None
    if head is None or found is None:
        return lines, None
    segments = list(first.segments)
    style, text = segments[head]
    segments[head] = (style, text[found.end():])
    return [Line(first.number, segments, first.ends_claim), *lines[1:]], found


def _roman_question(text: str) -> bool:
    """A line numbered in roman numerals that asks you ("II. How do you ...?") or names a common
    question ("III. Biggest weakness"), or numbered in brackets ("(ii)", "(b)") and asking the
    person or opening as a question to them does ("(i) Give an example of when you ..."); not
    "V. Kumar said", nor "II. Why the backlog is stuck?" or "(a) Give them a buddy" in an
    answer."""
    roman = ROMAN_ITEM.match(text)
    rest = text[roman.end():].strip() if roman else ""
    if not rest:
        return False
    words = plain_words(rest)
    bracketed = roman is not None and roman.group(2) is not None  # "(i) Give an example of
    # when you ...", not "(a) Give them a buddy" in an answer's list
    return (asks_the_person(rest) or asks_plainly(rest) or topic_title(rest) is not None
            or bracketed and bool(CANDIDATE_WORDS & set(words))
            and (rest.endswith("?") or words[0] in ASKING_VERBS))


def _roman_value(numeral: str) -> int:
    """4 for "IV" or "iv"; 2 for a letter, "b"."""
    if len(numeral) == 1 and numeral.lower() not in "ivx":
        return ord(numeral.lower()) - ord("a") + 1
    values = [{"I": 1, "V": 5, "X": 10}[c] for c in numeral.upper()]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


def _callout_lines(lines: list[Line]) -> list[Line]:
    """A callout's lines without its marker ("> [!question] Why us?" asks "Why us?"), and
    without its title when that is a short label ("> [!note]- Answer"), not a claim ("> [!example]
    Cut churn 12%") or a question."""
    first = lines[0]
    segments = list(first.segments)
    head = next(i for i, (_, t) in enumerate(segments) if t.strip())
    style, text = segments[head]
    segments[head] = (style, CALLOUT.sub("", text.lstrip()))
    title = Line(first.number, segments, first.ends_claim)
    words = title.text.split()
    if not words or len(words) <= 3 and not re.search(r"\d|\?$", title.text):
        return lines[1:]
    return [title, *lines[1:]]


def _wrap_width(tokens: list[Any], source: list[str]) -> int | None:
    """The width the notes' text was wrapped at, or None when it was not. Wrapped, the lines
    that break mid-sentence (not a heading, a table row, a paragraph of one line or a link,
    which never wrap) are about as long as the longest but one (a paragraph edited after it was
    wrapped may be one line too long), the width: half of them at least 3/4 of it, and it
    between what editors wrap at (MIN_WRAP to WRAP_WIDTH). Typed a claim per line, as on a
    phone, their lengths are anything. With fewer than three such lines there is no telling: 0
    (a line goes on unless the next word would have fitted within MIN_WRAP)."""
    in_text = False
    broken = []
    for token in tokens:
        if token.type in ("heading_open", "table_open"):
            in_text = False
        elif token.type == "paragraph_open":
            in_text = True
        elif token.type == "inline" and in_text and token.map:
            broken += [(re.sub(r"\S*://\S+|www\.\S+|\]\([^)]*\)", "", line).rstrip(),
                        source[at + 1] if at + 1 < len(source) else "")
                       for at in range(token.map[0], token.map[1] - 1)
                       if not re.search(r"[.!?:;]\W*$", line := source[at])]  # mid-sentence
    lengths = [len(line) for line, _ in broken]
    width = sorted(lengths)[-2] if len(lengths) > 1 else max(lengths, default=0)
    if width > WRAP_WIDTH or _claim_per_line(broken):
        return None
    if len(lengths) < 3:
        return 0
    near = sum(1 for n in lengths if n >= 0.75 * width)
    return width if width >= MIN_WRAP and 2 * near >= len(lengths) else None


def _claim_per_line(broken: list[tuple[str, str]]) -> bool:
    """Whether lines that end no sentence end where a claim does. An editor wraps after any
    word: about a third of the time after "the", "and", "to" or a comma, or before "because",
    "with", "of"... (32-46% in notes wrapped at 50-80 characters); lines typed a claim each
    ("cut waste by a third with a new markdown routine" / "now looking for an area manager
    role") seldom break so. Told from WRAP_EVIDENCE lines (with the line after each) on, when at
    most one in WRAP_SHARE breaks so."""
    goes_on = sum(line.endswith(",") or last_word(line) in UNFINISHED
                  or first_word(after).lower() in GOES_ON for line, after in broken)
    return len(broken) >= WRAP_EVIDENCE and goes_on * WRAP_SHARE <= len(broken)


def _line_breaks(lines: list[Line], source: list[str], width: int | None) -> bool:
    """Mark the lines a claim ends at: where the writer broke the line ("live 10 min away" then
    "can cover opens/closes"), not an editor wrapping at `width`: the notes are not wrapped, or
    the next line's first word would have fitted on the line. A line that ends on "and", "the",
    a comma or a colon goes on. Whether the text was typed so: not wrapped, or a line marked."""
    def written(line: Line) -> str:
        return (source[line.number - 1] if line.number <= len(source) else line.text).rstrip()

    for line, after in zip(lines, lines[1:], strict=False):
        next_word = first_word(written(after))
        fits = width is None or len(written(line)) + 1 + len(next_word) <= max(width, MIN_WRAP)
        if re.search(r"\w[.!?][\"'”)\]]*$", line.text) and not abbreviation(
                last_word(line.text)):
            fits = True  # a sentence ends with the line: "... look like?" then "how big is ..."
        line.ends_claim = (fits and last_word(line.text) not in UNFINISHED
                           and not line.text.endswith((":", ",", ";", "-", "–", "—"))
                           and (after.text.split() or [""])[0].lower() not in GOES_ON)
    return width is None or any(line.ends_claim for line in lines)


def _after_list(lines: list[Line], source: list[str]) -> int:
    """Where the text under a list starts, inside its last item: plain notes go on with a
    sentence at the start of the next line ("- small baskets\nI built a margin model..."), which
    Markdown reads as more of the item. A line of the item that is not indented and starts with a
    capital, after a line that could end a sentence, starts the text after the list."""
    for i, line in enumerate(lines[1:], 1):
        written = source[line.number - 1] if line.number <= len(source) else ""
        if (written[:1].isupper() and line.text[:1].isupper()
                and last_word(lines[i - 1].text) not in UNFINISHED):
            return i
    return len(lines)


def _table_questions(rows: list[list[list[Line]]], number: int) -> list[Block]:
    """A table of questions and answers ("| Question | My answer |", or a first column that
    asks, after a column of numbers): each row a question, its other cells the answer, a
    paragraph per line of a cell (a "<br>" breaks one). Any other table is left out."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return []
    if len(rows[0]) > 2 and all(re.fullmatch(r"\W*(?:#|no|nr|n°|num(?:ber)?|\d+)?\W*",
                                             _joined(row[0]).text, re.IGNORECASE)
                                for row in rows if row):
        rows = [row[1:] for row in rows]  # "| # | Question | Answer |": the number is no question
    header = rows[0]
    body = [row for row in rows[1:] if row and row[0][0].text]
    asks = [row for row in body if question_text(_joined(row[0]).text, loose=True)]
    if not (QUESTION_COLUMN.match(header[0][0].text) or body and len(asks) * 2 > len(body)):
        return _story_table(rows, number)
    parts = [_story_part(cell) for cell in header]  # | Question | Situation | ... | Result |
    names = [_joined(cell).text for cell in header]
    # under a "Question" header, the columns but those headed as notes, a status, a
    # confidence...: "| Question | My answer | Figures | Notes |", "| Question | Example |
    # Confidence |" (all of them where only such columns are: "| Question | Notes |")
    answers = set(range(1, len(names)))
    if QUESTION_COLUMN.match(names[0]):
        answers = {at for at in answers if not OTHER_COLUMN.match(names[at])} or answers
    marked = [bool(NUMBERED.match(text) or LETTERED_QUESTION.match(text))
              for text in (_joined(row[0]).text for row in body)]
    out: list[Block] = []
    for row, mark in zip(body, marked, strict=True):
        if _aside_row(_joined(row[0]).text, any(line.text for cell in row[1:] for line in cell),
                      unmarked=sum(marked) >= 2 and not mark):
            continue
        out.append(Block("row", 0, [_joined(row[0])], number + len(out)))
        for at, cell in enumerate(row[1:], 1):
            if at in answers or at >= len(names):
                out += _cell_blocks(parts[at] if at < len(parts) else "", cell, number + len(out))
    return [*out, Block("end", 0, [], number + len(out))]


def _aside_row(text: str, answered: bool, *, unmarked: bool) -> bool:
    """A row of a table of questions that asks nothing and is a part of the notes: a section's
    title in capitals with nothing beside it ("PART 1 – ABOUT ME"), the person's own questions
    ("Qns to ask Mr Goh"), or pay without the number or letter the questions have ("Salary"
    after "J) Any questions for me?"); left out with its cells."""
    title = title_of(text)
    if unmarked and re.fullmatch(rf"(?:{PAY_WORDS})\W*", title, re.IGNORECASE):
        return True  # ("Salary expectations" is asked)
    if question_text(text, loose=True) or names_a_question(text) or topic_title(text):
        return False  # ("BIGGEST WEAKNESS" with nothing beside it yet)
    return (not answered and title.isupper() and len(plain_words(title)) >= 2
            or notes_part(title) or their_questions(title, bare=True))


def _story_table(rows: list[list[list[Line]]], number: int) -> list[Block]:
    """A story written as a table, its parts as headers (| Situation | Task | Action | Result |)
    or down its first column: the lines of the answer, each cell after its part's name
    ("Result: cut costs 20%"), as the notes would write it in lines."""
    across = [_story_part(cell) for cell in rows[0]]
    down = [_story_part(row[0]) if row else "" for row in rows]
    if sum(map(bool, across)) >= 3:
        cells = [(across[i], cell) for row in rows[1:] for i, cell in enumerate(row)
                 if i < len(across)]
    elif sum(map(bool, down)) >= 3 and all(len(row) >= 2 for row in rows):
        cells = [(down[r], cell) for r, row in enumerate(rows) if down[r] for cell in row[1:]]
    else:
        return []
    out: list[Block] = []
    for name, cell in cells:
        out += _cell_blocks(name, cell, number + len(out))
    return out


def _story_part(cell: list[Line]) -> str:
    """"Situation" for a cell that names a part of a story, else ""."""
    name = _joined(cell).text.strip("*_: ")
    return name if name.lower().rstrip("s") in STORY_PARTS else ""


def _cell_blocks(part: str, cell: list[Line], number: int) -> list[Block]:
    """A cell of an answer, a paragraph per line, the first after the story part it is
    ("Result: cut costs 20%")."""
    lines = [line for line in cell if line.text]
    return [Block("paragraph", 0, [Line(line.number, ([("text", f"{part}: ")]
                                                        if part and i == 0 else [])
                                          + line.segments)], number + i)
            for i, line in enumerate(lines)]


def _joined(lines: list[Line]) -> Line:
    """A cell's lines as one (a question broken over two lines of a cell)."""
    return Line(lines[0].number, [segment for line in lines
                                   for segment in [*line.segments, ("text", " ")]])


def _lines(children: list[Any], first_line: int) -> list[Line]:
    lines = [Line(first_line)]
    style: list[str] = []
    code = False  # the line's last segment is a code span: no tags in it
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            _drop_tags(lines[-1], code)
            lines.append(Line(lines[-1].number + 1))
        elif child.type == "html_inline" and LINE_BREAK.match(child.content):
            _drop_tags(lines[-1], code)
            lines.append(Line(lines[-1].number))  # "<br>": a new line, on the same line
        elif child.type in ("strong_open", "em_open"):
            style.append(child.type[:-5])
        elif child.type in ("strong_close", "em_close"):
            if style:
                style.pop()
        elif child.type in ("text", "code_inline"):
            code = child.type == "code_inline"
            text = child.content if code else WIKI_LINK.sub(_wiki_link, child.content)
            lines[-1].segments.append((style[-1] if style else "text", text))
    _drop_tags(lines[-1], code)
    return [line for line in lines if line.text]


def _drop_tags(line: Line, ends_in_code: bool) -> None:
    """Obsidian tags closing a line (TRAILING_TAGS), when its last segment holds them all and
    is no code span; not after an abbreviation ("e.g. #incidents")."""
    text = "".join(t for _, t in line.segments)
    tags = TRAILING_TAGS.search(text)
    if not tags or ends_in_code:
        return
    style, last = line.segments[-1]
    cut = len(text) - tags.start()
    before = text[:tags.start()].rstrip()
    if cut > len(last) or (before and abbreviation(last_word(before))):
        return
    line.segments[-1] = (style, last[:len(last) - cut])


def _wiki_link(link: re.Match[str]) -> str:
    embed, page, headings, alias = link.groups()
    if embed:
        return ""
    if alias:
        return alias.strip()
    shown = [page, *(headings or "").split("#")]
    return " > ".join(part.strip() for part in shown if part.strip() and part[:1] != "^")
