"""The notes' text, in whatever form it was written, as the Markdown that blocks.py reads: line for
line, so that every line keeps its number in the notes.

Formats: AsciiDoc (`asciidoc_text`), LaTeX (`latex_text`), Org mode (`org_outline`), a
spreadsheet saved as CSV (`csv_table`) or a table pasted as text (`tab_tables`), WhatsApp
messages to oneself (`chat_export`), a list pasted with "•" bullets (`glyph_outline`) or typed by
hand and escaped by a word processor's export (`typed_marks`). Then what is written in any form
but read before the Markdown is: comments (Obsidian's and Ulysses' "%%"), a page footer, a
competency's tag after a question (`_untagged`), and a mock interview written up with the
interviewers by name (`_interviewers_named`). `as_markdown` runs them in order.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from voiceprep.bank.notes.asides import to_do, without_page_furniture
from voiceprep.bank.notes.blocks import OTHER_COLUMN
from voiceprep.bank.notes.titles import (
    asks_plainly,
    asks_the_person,
    names_a_question,
    names_a_section,
    notes_part,
    question_text,
    their_questions,
)
from voiceprep.bank.notes.words import (
    CANDIDATE_WORDS,
    NOTES_SECTION,
    NUMBERED,
    Q_LABEL,
    QUESTION_ABROAD,
    SENTENCE_END,
    plain_words,
)
from voiceprep.errors import NotesError
from voiceprep.normalize import is_english_word

GLYPHS = "•◦▪"  # a pasted list's bullets, level by level (see glyph_outline)
GLYPH_BULLET = re.compile(rf"^([ \t]*)([{GLYPHS}])(?:[ \t]+|$)")
# A list mark escaped at the start of a line: "1\. ", "\- " (see typed_marks)
ESCAPED_MARK = re.compile(r"^([ \t]*)(\d{1,3})?\\((?(2)[.)]|[-+*]))(?=[ \t]+\S)", re.MULTILINE)
SHEET_QUESTION = re.compile(r"^\W*(?:q|(?:[\w'-]+\s+){0,2}questions?(?:\s+asked)?|prompts?"
                            rf"|{QUESTION_ABROAD})\W*$",
                            re.IGNORECASE)  # a spreadsheet's: "Behavioural question", "Prompt"
# A spreadsheet's column of answers ("My STAR answer"), and the columns that answer nothing
# (where no column is headed as an answer, the others answer: OTHER_COLUMN)
ANSWER_COLUMN = re.compile(r"^\W*(?:a|(?:[\w'-]+\s+){0,3}(?:answers?|responses?)(?:\s+\w+)?"
                           r"|antwort(?:en)?|antwoord|réponse|respuesta)\W*$", re.IGNORECASE)
# Org mode: "** TODO Stärken / Schwächen   :english:", "#+TITLE: ...", ":PROPERTIES:"
ORG_HEADING = re.compile(r"^(\*+)\s+(?:(?:TODO|DONE|NEXT|WAITING)\s+(?=\S*[A-Z]|\[#))?"
                         r"(?:\[#[A-Z]\]\s+)?"
                         r"(.*?)(?:\s+:[\w@:]+:)?\s*$")
ORG_SETTING = re.compile(r"^\s*(?:#\+\w+:|#(?:\s|$)|(?:SCHEDULED|DEADLINE|CLOSED):)",
                         re.IGNORECASE)  # (and a comment: "# don't say anything about Dave")
ORG_BLOCK = re.compile(r"^\s*#\+(begin|end)_(\w+)(?:\s+(\S+))?.*$", re.IGNORECASE)
ORG_DRAWER = re.compile(r"^\s*:[A-Z]+:\s*$")
# A category of rows that are no questions: "Logistics", "Research", "After", "To do"
# (of those, the ones that hold no questions at all: a "Research" or "Notes" row with an
# answer may be one, "What is a p-value?")
_LOGISTICS = (r"logistics|admin|info(?:rmation)?|links|after(?:\s+(?:the\s+)?interview)?"
              r"|next\s+steps|to[\s-]*dos?")
LOGISTICS_CATEGORY = re.compile(_LOGISTICS, re.IGNORECASE)
NOTES_CATEGORY = re.compile(rf"{_LOGISTICS}|research|notes?|reminders?", re.IGNORECASE)
# The words of a row about the employer
ABOUT_EMPLOYER = re.compile(r"\b(?:they|them|their|company|news|who\s+(?:is|are)"
                            r"|(?:would|will|do|does|can|could|should|am)\s+I)\b",
                            re.IGNORECASE)  # "Who would I report to?"
THANKS = re.compile(r"\bthank\s+you\b", re.IGNORECASE)  # "Thank you email" asks nobody
# A WhatsApp message's stamp: "11/03/24, 23:15 - Giulia: ", "[11/03/2024, 23:15:02] Giulia: "
CHAT_STAMP = re.compile(r"^\[?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?"
                        r"(?:\s*[AaPp]\.?[Mm]\.?)?\]?\s*(?:[-–]\s*)?(?:(?P<sender>[^:\n]{1,40}):\s?)?")
CHAT_NOTICE = re.compile(r"<Media omitted>|<attached: [^>]*>|This message was deleted\.?"
                         r"|You deleted this message|Messages and calls are end-to-end encrypted.*"
                         r"|image omitted|audio omitted", re.IGNORECASE)
DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$")
SECTION_ROW = re.compile(r"(?-i:TECHNICAL|BEHAVIOU?RAL|GENERAL|MOTIVATION|COMPETENCY|SCENARIOS?"
                         r"|SITUATIONAL|CASE|INTRO|CLOSING|OTHER|MISC|LEADERSHIP)\b")
TITLE_COLUMN = re.compile(r"^\W*(?:name|title)\W*$", re.IGNORECASE)
CATEGORY_COLUMN = re.compile(r"^\W*(?:category|type|section|topic|theme|area)\W*$", re.IGNORECASE)
NUMBER_COLUMN = re.compile(r"^\W*(?:#|no|nr|num(?:ber)?|id)\W*$", re.IGNORECASE)
# A comment in notes: Obsidian's between two "%%" ("%% todo: pick a story %%", or "%%" alone on
# the lines around it), Ulysses' "%%" opening a paragraph ("%% keep it short, don't say ...");
# not Jupyter's "%%time", "%%sql"
COMMENT_MARKS = re.compile(
    r"(?<![`\w])%%[ \t]*\n.*?\n[ \t]*%%(?!\w)"  # "%%" alone on its line, to the next
    r"|(?<![`\w])%%(?=\s)[^\n]*?(?<=\s)%%(?!\w)"  # on one line
    r"|(?<![`\w])%%(?=[ \t])[^\n%]*\n(?:(?!%%).)*?(?<=\s)%%[ \t]*$"  # closed at a later line's end
    r"|^[ \t]*%%[ \t][^\n]*", re.DOTALL | re.MULTILINE)  # a paragraph's comment, not closed
LISTED_TAG = re.compile(r"[ \t]*\(([A-Z][^()?\n]{2,59})\)[ \t]*$", re.MULTILINE)  # "... a
# conflict situation. (We are emotionally aware)"
# The person's turn in a mock interview written down: "Me: ...", "Candidate: ..."
ANSWERER = re.compile(r"^\s*(?:me|candidate)\s*:\s*", re.IGNORECASE | re.MULTILINE)
SPEAKER = re.compile(r"^([A-Z][a-z]+)[ \t]*:[ \t]*(?=\S)", re.MULTILINE)



def as_markdown(text: str, source: str) -> tuple[str, dict[int, int] | None]:
    """The notes as Markdown, and where its lines are not the notes' own (a table made of a
    spreadsheet or of a table pasted as text, a page saved as HTML), each line's number in the
    notes."""
    lines = None
    if source.lower().endswith(".org"):
        text = org_outline(text)
    if source.lower().endswith((".adoc", ".asciidoc", ".asc")):
        text = asciidoc_text(text)
    if source.lower().endswith((".tex", ".latex")):
        text = latex_text(text)
    if source.lower().endswith((".csv", ".tsv")):
        return csv_table(text, source)
    if (cards := anki_notes(text)) is not None:
        return cards
    if (call := captions(text)) is not None:
        text = call
    if source.lower().endswith((".html", ".htm", ".xhtml", ".enex")) or re.match(
            r"\s*(?:<!DOCTYPE html|<html\b|<\?xml[^>]*>\s*<!DOCTYPE en-export)", text, re.I):
        text, lines = html_notes(text)
    text = glyph_outline(typed_marks(outline_numbered(without_page_furniture(
        kanban_board(_untagged(text))))))
    if ANSWERER.search(text):  # a mock interview written up: its interviewers by name
        text = _interviewers_named(text)
    # a comment is never shown: its lines blank
    text = in_two_languages(speech_transcript(email_reply(text)))
    text = chat_export(COMMENT_MARKS.sub(lambda comment: "\n" * comment.group().count("\n"), text))
    if (pasted := tab_tables(text)) is not None:
        text, table = pasted
        lines = {at: lines.get(line, line) if lines else line for at, line in table.items()}
    return text, lines


ADMONITIONS = "NOTE|TIP|IMPORTANT|WARNING|CAUTION"
ADMONITION = re.compile(rf"^(?:{ADMONITIONS}):\s")  # "NOTE: keep it under 90 seconds."
ADMONITION_BLOCK = re.compile(rf"\[(?:{ADMONITIONS})\]")  # "[TIP]" over a "====" block


# Anki's "Notes in Plain Text" export: "#separator:tab", "#html:true", "#deck column:1" ...
ANKI_HEADER = re.compile(r"^#(separator|html|tags|deck column|tags column|notetype column"
                         r"|guid column|columns):(.*)$", re.IGNORECASE)
ANKI_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|",
                   "colon": ":"}
VOCABULARY = re.compile(r"vocab(?:ulary)?|words?|terms?|glossary", re.IGNORECASE)


def anki_notes(text: str) -> tuple[str, dict[int, int]] | None:
    """Flashcards exported from Anki as plain text (its "#separator:tab" header lines, then a
    card per line): each card of the decks that ask as "Front: ..." and "Back: ..." lines, the
    back's HTML as lines ("<br>" and "<div>" break them, "<b>" in bold, "<i>" in italics).
    Left out: the deck and tags columns, the cards of a deck where most fronts ask nothing (a
    deck of words to learn) and the cards tagged as logistics, notes or vocabulary (not
    "todo"). With each line, the line of the file its card is on; None when the text is no
    such export."""
    import csv
    import io

    source = text.split("\n")
    settings: dict[str, str] = {}
    for line in source:
        header = ANKI_HEADER.match(line.strip())
        if not header:
            break
        settings[header[1].lower()] = header[2].strip()
    if "separator" not in settings and "html" not in settings:
        return None
    start = len(settings)
    separator = settings.get("separator", "tab")
    delimiter = ANKI_SEPARATORS.get(separator.lower(), separator[:1] or "\t")
    meta = {int(settings[key]) - 1 for key in ("deck column", "tags column", "notetype column",
                                               "guid column") if settings.get(key, "").isdigit()}
    deck_at, tags_at = (int(settings[key]) - 1 if settings.get(key, "").isdigit() else None
                        for key in ("deck column", "tags column"))
    reader = csv.reader(io.StringIO("\n".join(source[start:])), delimiter=delimiter)
    cards: list[tuple[int, str, str, str, list[str]]] = []  # line, deck, tags, front, back
    for row in reader:
        number = start + reader.line_num  # (a quoted field may run over lines: its last)
        fields = [field for at, field in enumerate(row) if at not in meta]
        if not fields:
            continue
        sides = [_card_lines(field) for field in fields]
        front = " ".join(sides[0])
        deck = row[deck_at] if deck_at is not None and deck_at < len(row) else ""
        tags = row[tags_at] if tags_at is not None and tags_at < len(row) else ""
        cards.append((number, deck, tags, front, [line for side in sides[1:] for line in side]))
    asking = {deck for deck in {card[1] for card in cards}
              if 2 * sum(bool(question_text(card[3], loose=True)) for card in cards
                         if card[1] == deck) > sum(card[1] == deck for card in cards)}
    out: list[str] = []
    lines: dict[int, int] = {}
    for number, deck, tags, front, back in cards:
        if deck not in asking or any(  # ("todo": its answer is still to write)
                NOTES_CATEGORY.fullmatch(tag) and not re.fullmatch(r"to[-_]?dos?", tag, re.I)
                or VOCABULARY.fullmatch(tag) for tag in tags.split()):
            continue
        back = back or [""]
        card = [f"Front: {front}", f"Back: {back[0]}"]
        for line in back[1:]:
            card += ["", line]  # each line of the back a paragraph
        for said in [*card, ""]:
            out.append(said)
            lines[len(out)] = number
    return "\n".join(out) + "\n", lines


def _card_lines(field: str) -> list[str]:
    """A card's field (HTML) as its lines, read as a page is (html_notes)."""
    return [said.strip() for _, said in _html_lines(field, red_unsaid=False) if said.strip()]


# LaTeX (latex_text): a sectioning command's level as a heading's; the commands that say nothing
# (notes to oneself from the todonotes package, margin notes, footnotes, the title page's)
LATEX_HEADING = {"part": 1, "chapter": 1, "section": 2, "subsection": 3, "subsubsection": 4,
                 "paragraph": 5, "subparagraph": 6}
LATEX_UNSAID = ("todo", "missingfigure", "marginpar", "footnote", "title", "author", "date",
                "thanks", "label", "ref", "cite", "usepackage", "documentclass")
LATEX_CODE = ("verbatim", "lstlisting", "minted", "Verbatim")
LATEX_ESCAPES = {"\\%": "%", "\\&": "&", "\\$": "$", "\\#": "#", "\\_": "_", "\\{": "{",
                 "\\}": "}", "---": "—", "--": "–", "``": "“", "''": "”", "~": " ", "\\ ": " "}


def latex_text(text: str) -> str:
    """Notes written in LaTeX as Markdown, line for line: "\\section*{Logistics}" as a heading
    (a subsection one level deeper), "\\item" as a list's item (numbered in "enumerate"), a
    verbatim environment fenced as code; the preamble, "%" comments, a "quote" environment
    (someone else's words: "Prof. Schneider's advice: ..."), the environments' own lines and
    the commands that say nothing ("\\todo{...}", "\\footnote", "\\maketitle") blank;
    "\\textbf{...}" in bold, any other command's argument as its words ("\\emph{Ultrafast}" is
    "Ultrafast"), and the escapes as what they print ("\\%", "--")."""
    unsaid = "|".join(LATEX_UNSAID)
    # a note's argument may hold braces of its own and run over lines: blank, lines kept
    text = re.sub(rf"\\(?:{unsaid})\*?(?:\[[^\]]*\])?\{{(?:[^{{}}]|\{{[^{{}}]*\}})*\}}",
                  lambda note: "\n" * note.group().count("\n"), text)
    lines = text.split("\n")
    start = next((at + 1 for at, line in enumerate(lines)
                  if line.strip().startswith("\\begin{document}")), 0)
    out = [""] * start
    lists: list[str] = []  # the lists open, innermost last
    code = quote = False
    for line in lines[start:]:
        bare = line.strip()
        env = re.match(r"\\(begin|end)\{(\w+\*?)\}", bare)
        if code:
            code = not (env and env[1] == "end" and env[2] in LATEX_CODE)
            out.append(line if code else "```")
            continue
        if env:
            opening, name = env[1] == "begin", env[2]
            if name in ("itemize", "enumerate", "description"):
                lists = [*lists, name] if opening else lists[:-1]
            code = opening and name in LATEX_CODE
            quote = opening and name in ("quote", "quotation") or quote and not (
                not opening and name in ("quote", "quotation"))
            out.append("```" if code else "")
            continue
        said = re.sub(r"(?<!\\)%.*$", "", line)
        if not said.strip():
            out.append("")
            continue
        heading = re.match(r"\s*\\(\w+)\*?(?:\[[^\]]*\])?\{(.*)\}\s*$", said)
        if heading and heading[1] in LATEX_HEADING:
            out.append("#" * LATEX_HEADING[heading[1]] + " " + _latex_words(heading[2]))
            continue
        item = re.match(r"\s*\\item(?:\[([^\]]*)\])?\s*", said)
        if item:
            mark = "1." if lists and lists[-1] == "enumerate" else "-"
            label = _latex_words(item[1] or "")  # "\\item[Q:] Why Siemens?"
            label = f"{label} " if label.endswith(":") else f"{label}: " if label else ""
            out.append("  " * max(len(lists) - 1, 0) + f"{mark} {label}"
                       + _latex_words(said[item.end():]))
            continue
        out.append("" if quote else _latex_words(said))
    return "\n".join(out)


def _latex_words(text: str) -> str:
    """A line of LaTeX as the words it prints: "\\textbf{add}" as "**add**", any other
    command's argument as its words, a command with none left out, the escapes printed."""
    text = re.sub(r"\\textbf\{([^{}]*)\}", r"**\1**", text)
    # of two arguments, the one shown: "\\href{url}{AlphaFold}", "\\textcolor{red}{Keep}"
    text = re.sub(r"\\(?:href|textcolor|colorbox)\{[^{}]*\}\{([^{}]*)\}", r"\1", text)
    for _ in range(3):  # nested: "\\emph{\\textit{...}}"
        text = re.sub(r"\\[a-zA-Z]+\*?(?:\[[^\]]*\])?\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"\\\\(?:\[[^\]]*\])?", " ", text)  # a forced line break
    text = re.sub(r"\\[a-zA-Z]+\*?(?![a-zA-Z])\s?", "", text)  # "\\maketitle", "\\today"
    for escape, printed in LATEX_ESCAPES.items():
        text = text.replace(escape, printed)
    return text.replace("{", "").replace("}", "").rstrip()


def asciidoc_text(text: str) -> str:
    """Notes written in AsciiDoc ("= Title", "== Section", "=== Question") as Markdown, line for
    line: a heading's "="s as "#"s; an item's "*"s nested, its "." numbered; a listing block
    ("----", after "[source,go]") fenced as code; an example or quote block's lines as written,
    without its delimiters; the document's attributes (":toc:"), comments ("// ...", "////"
    blocks), block attributes ("[TIP]") and titles (".Title"), and the admonitions ("NOTE: ...",
    a "[TIP]" block: notes to oneself) blank."""
    out: list[str] = []
    shut: str | None = None  # the delimiter that closes the block open, if any
    hidden = code = admonition = False  # what the open block is; a "NOTE:" paragraph
    previous = ""  # the line before: "[TIP]" over an admonition's block
    for line in text.split("\n"):
        bare = line.rstrip()
        if shut is not None:
            if bare == shut:
                out.append("```" if code else "")
                shut, hidden, code = None, False, False
            else:
                out.append("" if hidden else line)
            continue
        if re.fullmatch(r"(?:-{4,}|\.{4,}|={4,}|_{4,}|\*{4,}|/{4,})", bare):
            shut, code = bare, bare[0] in "-."
            hidden = bare[0] == "/" or bool(ADMONITION_BLOCK.fullmatch(previous))
            out.append("```" if code else "")
            continue
        previous = bare
        admonition = admonition and bool(bare) or bool(ADMONITION.match(bare))
        heading = re.match(r"^(={1,6})\s+(\S.*)$", bare)
        item = re.match(r"^(\*{1,5}|\.{1,5})\s+(\S.*)$", bare)
        if admonition or re.match(r"^(?::[\w-]+:|//|\[[^\]]*\]$|\.\w)", bare):
            out.append("")
        elif heading:
            out.append("#" * len(heading[1]) + " " + heading[2])
        elif item:
            mark = "-" if item[1][0] == "*" else "1."
            out.append("  " * (len(item[1]) - 1) + mark + " " + item[2])
        else:
            out.append(line)
    return "\n".join(out)


def org_outline(text: str) -> str:
    """Notes written in Org mode (Emacs; "#+TITLE:" at the top, "* " headings) as Markdown, line
    for line: a heading's stars as "#"s, its tags (":english:") and keyword ("TODO") left out;
    the settings ("#+STARTUP:"), comments ("# ..."), drawers (":PROPERTIES:" to ":END:",
    ":LOGBOOK:") and "SCHEDULED:" lines blank; a block's opening and closing lines as
    Markdown's (_org_block)."""
    import textwrap

    out: list[str] = []
    body: list[str] = []
    drawer = False
    paired = _org_blocks(text.splitlines())
    code = False  # inside a block of code or an example: its lines as written ("# retry")
    for at, line in enumerate([*text.splitlines(), "* "]):
        heading = ORG_HEADING.match(line)
        if heading:  # a section's body as written under its heading, indented or not
            out += textwrap.dedent("\n".join(body)).split("\n") if body else []
            body = []
            out.append("#" * min(len(heading.group(1)), 6) + " " + heading.group(2))
        elif at in paired and (block := ORG_BLOCK.match(line)):
            body.append(_org_block(block))
            code = block.group(1).lower() == "begin" and block.group(2).upper() in (
                "SRC", "EXAMPLE")
        elif code:
            body.append(line)
        elif drawer or ORG_SETTING.match(line):
            drawer = drawer and not line.strip().upper() == ":END:"
            body.append("")
        elif ORG_DRAWER.match(line):
            drawer = True
            body.append("")
        else:
            body.append(line)
    return "\n".join(out[:-1]) + "\n"


def _org_blocks(lines: list[str]) -> set[int]:
    """The lines that open and close an Org block ("#+BEGIN_QUOTE" ... "#+END_QUOTE"), each
    with its closing line (not "#+BEGIN_SRC" closed by a typo, "#+END_SCR")."""
    paired: set[int] = set()
    opened: list[tuple[int, str]] = []
    for at, line in enumerate(lines):
        block = ORG_BLOCK.match(line)
        if block and block.group(1).lower() == "begin":
            opened.append((at, block.group(2).upper()))
        elif block and opened and opened[-1][1] == block.group(2).upper():
            paired.update((opened.pop()[0], at))
    return paired


def _org_block(block: re.Match[str]) -> str:
    """An Org block's opening or closing line in Markdown: a fence around code ("#+BEGIN_SRC
    shell"), a fence marked as text around an example or text ("#+BEGIN_EXAMPLE", "#+BEGIN_SRC
    text": its lines are said), a blank line around any other ("#+BEGIN_QUOTE")."""
    kind, language = block.group(2).upper(), (block.group(3) or "").lower()
    if kind not in ("SRC", "EXAMPLE"):
        return ""
    if block.group(1).lower() == "end":
        return "```"
    return "```text" if kind == "EXAMPLE" or language in ("text", "txt", "") else f"```{language}"


def typed_marks(text: str) -> str:
    """A list typed by hand in a word processor, as its Markdown export escapes the marks
    ("1\\. Tell us about a time ...", "\\- mention the course", as Google Docs writes a number
    or dash typed at the start of a line): the marks unescaped, so that the lines are the list
    items they were typed as, line for line."""
    return ESCAPED_MARK.sub(lambda mark: f"{mark[1]}{mark[2] or ''}{mark[3]}", text)


def glyph_outline(text: str) -> str:
    """An outline of bullets pasted as text (Apple Notes, Word, Google Docs copy a list so: "•"
    at the first level, "◦" under it, "▪" under that, each indented with tabs) as the Markdown
    list it is, line for line: in each run of lines without a blank one where a bullet of
    another kind comes right under a bullet ("• Tell me about your current role" over "⇥◦ I'm
    a team leader ..."), the bullets in the order they first appear there are the levels, or
    the tabs before them, whichever is deeper. Elsewhere a bullet's line is a claim of its
    paragraph."""
    lines = text.split("\n")
    start = 0
    for end in [*(at for at, line in enumerate(lines) if not line.strip()), len(lines)]:
        run = lines[start:end]
        bullets = [GLYPH_BULLET.match(line) for line in run]
        if any(above and below and above[2] != below[2]
               and len(below[1].expandtabs(4)) >= len(above[1].expandtabs(4))
               for above, below in zip(bullets, bullets[1:], strict=False)):
            used = list(dict.fromkeys(bullet[2] for bullet in bullets if bullet))
            for at, bullet in enumerate(bullets):
                if bullet is None:
                    continue
                depth = max(used.index(bullet[2]), len(bullet[1].expandtabs(4)) // 4)
                said = run[at][bullet.end():].strip()  # (a bullet with nothing after it: no
                # line, as "-" alone under a line underlines it as a title)
                lines[start + at] = f"{'  ' * depth}- {said}" if said else ""
        start = end + 1
    return "\n".join(lines)


def chat_export(text: str) -> str:
    """A WhatsApp chat exported as text (three messages at least), line for line, without
    each message's date and time, and what WhatsApp writes itself ("<Media omitted>", "This
    message was deleted") blank. Messages to oneself lose their sender too ("11/03/24, 23:15 -
    Giulia: Q1 tell me about yourself"); in a chat of two where one asks and the other answers
    (a friend coaching the person), the one who asks is the interviewer ("Interviewer: Why
    Skyvale?") and the other the person ("Me: Skyvale is growing..."), as in a mock interview
    written down."""
    lines = text.replace("\u200e", "").splitlines()
    stamps = [CHAT_STAMP.match(line) for line in lines]
    if sum(map(bool, stamps)) < 3:
        return text
    coach = _coach([(stamp["sender"].strip(), line[stamp.end():])
                    for stamp, line in zip(stamps, lines, strict=True)
                    if stamp and stamp["sender"]])
    kept = []
    for stamp, line in zip(stamps, lines, strict=True):
        message = line[stamp.end():] if stamp else line
        if CHAT_NOTICE.fullmatch(message.strip()):
            message = ""
        elif coach and stamp and stamp["sender"]:
            message = _label(stamp["sender"].strip(), coach) + message
        kept.append(message)
    return "\n".join(kept) + "\n"


def _label(who: str, coach: str) -> str:
    """What one of two says, labelled as in a mock interview written down."""
    return "Interviewer: " if who == coach else "Me: "


def _coach(said: list[tuple[str, str]]) -> str | None:
    """Of two people talking ((who, what) in turn), the one who asks the questions, three at
    least and twice as many as the other (a friend playing the interviewer; the other asks
    too: "Sorry, you broke up. Can you repeat?"); None when no one does, or more than two
    talk."""
    asked = Counter({who: 0 for who, _ in said})
    asked.update(who for who, message in said  # ("Okay, let's start. Tell me about yourself.")
                 if any(question_text(sentence) for sentence in SENTENCE_END.split(message)))
    if len(asked) != 2:
        return None
    (coach, most), (_, other) = asked.most_common()
    own = any(Q_LABEL.match(message.strip()) for who, message in said if who != coach)
    return coach if most >= 3 and other * 2 <= most and not own else None  # (not a friend
    # chatting while the person writes "Q1 tell me about yourself" and its answer)


# Captions of a call (WEBVTT, as Teams and Zoom save a meeting's transcript): "WEBVTT", then
# cues of an id, a time ("00:00:30.687 --> 00:00:34.867") and what was said ("<v Thandi
# Mokoena>Tell us about yourself.</v>", or "Thandi Mokoena: ..." in Zoom's)
# The person asking for the question again: the next thing the interviewer says is no new one
REPEAT_ASKED = re.compile(r"\b(?:can|could)\s+you\s+(?:repeat|say\s+that\s+again)\b"
                          r"|\bpardon\?|\bcome\s+again\?", re.IGNORECASE)
CUE_TIME = re.compile(r"^\s*(?:\d+:)?\d{2}:\d{2}[.,]\d{3}\s+-->\s+")
VOICE = re.compile(r"^\s*<v(?:\.[\w.-]+)?\s+([^>]+)>(.*?)(?:</v>)?\s*$|^\s*([^:<>]{2,40}):\s+(.*)$")


def captions(text: str) -> str | None:
    """Captions of a call saved as WEBVTT, line for line: what each cue says, its id and time
    blank, a sentence the speaker goes on with in the next cue joined to it ("Tell me about a
    time you had to stop production" / "because of a safety concern."); where one of two asks
    the questions (a mock interview on a call), their cues as the interviewer's and the
    other's as the person's. None when the text is no WEBVTT."""
    lines = text.split("\n")
    if not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        return None
    out = [""] * len(lines)
    cues: list[tuple[int, str, str]] = []  # (line, who, said)
    for at, line in enumerate(lines[1:], 1):
        if CUE_TIME.match(line) or not line.strip() or (
                at + 1 < len(lines) and CUE_TIME.match(lines[at + 1])):  # (a cue's id)
            continue
        voice = VOICE.match(line)
        who, said = (voice[1] or voice[3], voice[2] if voice[1] else voice[4]) if voice else (
            "", line)
        said = re.sub(r"</?[a-z][^>]*>", "", said).strip()  # "<i>", "<c.yellow>"
        if cues and cues[-1][1] == who.strip() and not re.search(r"[.?!…]\W*$", cues[-1][2]):
            cues[-1] = (cues[-1][0], cues[-1][1], f"{cues[-1][2]} {said}")  # goes on
        else:
            cues.append((at, who.strip(), said))
    coach = _coach([(who, said) for _, who, said in cues if who])
    again = {after[0] for cue, after in zip(cues, cues[1:], strict=False)  # the question said
             if coach and cue[1] != coach and REPEAT_ASKED.search(cue[2]) and after[1] == coach}
    for at, who, said in cues:
        if at not in again and not (coach and who != coach and REPEAT_ASKED.search(said)):
            out[at] = (_label(who, coach) if coach else "") + said
    return "\n".join(out)


# A transcript of speech exported from Otter.ai and the like: "Declan Brennan  0:21" over each
# turn, "SUMMARY KEYWORDS" and "SPEAKERS" over a line each, "Transcribed by https://otter.ai"
SPEAKER_TURN = re.compile(r"^(?P<who>\S[^\t]{0,40}?)\s{2,}(?P<time>(?:\d{1,2}:)?\d{1,2}:\d{2})\s*$")
TRANSCRIPT_HEADER = re.compile(r"^(?:SUMMARY KEYWORDS|SPEAKERS|KEYWORDS)\s*$")
TRANSCRIBED_BY = re.compile(r"^\s*Transcribed by\s+\S+\s*$", re.IGNORECASE)
_SPOKEN_NUMBER = (r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
                  r"|thirteen|fourteen|fifteen")
# A question read out by its number: "question one why do you ...", "next question ...",
# "last one on the sheet ..."
SPOKEN_CUE = re.compile(rf"^(?:(?:okay|ok|right|so|and)\s+)?(?:question\s+(?:number\s+)?"
                        rf"(?:{_SPOKEN_NUMBER})|next\s+(?:question|one)|(?:the\s+)?last\s+"
                        r"(?:question|one)(?:\s+on\s+the\s+(?:sheet|list))?)\b[,.:]?\s+(?=\w)",
                        re.IGNORECASE)


def _seconds(time: str) -> int:
    """"1:23:45", "0:21" -> seconds."""
    total = 0
    for part in time.split(":"):
        total = total * 60 + int(part)
    return total


def speech_transcript(text: str) -> str:
    """A practice answered aloud and transcribed (Otter.ai's export: each turn under its
    speaker's name and time), line for line: the speakers' lines, the summary's and
    "Transcribed by ..." blank; a turn that reads a question out by its number ("question
    one why do you want ...", "next one ...") as a "Q:" line; another speaker's turns (a
    question from the next room) blank, or where that speaker asks three questions at least,
    the interviewer's ("Interviewer: ..."), the person's then answering."""
    lines = text.split("\n")
    turns = [SPEAKER_TURN.match(line) for line in lines]
    spoken = Counter(turn["who"] for turn in turns if turn)
    times = [_seconds(turn["time"]) for turn in turns if turn]
    if not spoken or spoken.most_common(1)[0][1] < 3 or times != sorted(times) or not any(
            line.strip() and not turn and prior for line, turn, prior
            in zip(lines[1:], turns[1:], turns[:-1], strict=True)):  # (not a timetable: "Arrive
        return text  # 8:55"; a speaker's turns, in time, each over what was said)
    who: list[str | None] = []  # each line's speaker
    speaker = None
    for turn in turns:
        speaker = turn["who"] if turn else speaker
        who.append(speaker)
    coach = _coach([(name, line) for name, line in zip(who, lines, strict=True) if name])
    person = next((name for name in spoken if name != coach), None) if coach else \
        spoken.most_common(1)[0][0]
    asked = Counter({coach: 3} if coach else {})
    aside = {name for name, turns in spoken.items()  # a voice in the next room, not another
             if name != person and name != coach and turns * 2 <= spoken[person or ""]}  # talker
    out: list[str] = []
    header = False
    for at, (line, turn, name) in enumerate(zip(lines, turns, who, strict=True)):
        if turn or TRANSCRIBED_BY.match(line) or header:
            header = False
            out.append("")
        elif name is None and TRANSCRIPT_HEADER.match(line):
            header = True  # its line under it too
            out.append("")
        elif name is None and at < 3:
            out.append("")  # the title and the date
        elif name in aside:
            out.append("")
        elif name not in (None, person):
            out.append(f"Interviewer: {line}" if asked[name] >= 3 and line.strip() else line)
        elif asked and max(asked.values()) >= 3 and line.strip():
            out.append(f"Me: {line}")
        else:
            out.append(SPOKEN_CUE.sub("Q: ", line, count=1))
    return "\n".join(out)


# A reply to an email, answering in line: "On Fri, 6 Mar 2026 at 4:12 pm, Meg Tran <...> wrote:"
# over the message quoted with ">", the mail's own headers ("From:", "Subject:") over the reply
REPLY_ATTRIBUTION = re.compile(r"^\s*(?:On\s.{5,160}\swrote:|-{3,}\s*Original Message\s*-{3,})\s*$",
                               re.IGNORECASE)
MAIL_HEADER = re.compile(r"^(?:From|To|Cc|Bcc|Subject|Date|Sent|Reply-To):\s", re.IGNORECASE)
QUOTED = re.compile(r"^\s*>\s?")


def email_reply(text: str) -> str:
    """An email that answers another's questions in line (the other's message quoted with
    ">", three quoted lines at least, under "On ... wrote:"), line for line: the questions
    quoted, and the titles of parts of the notes (`Good questions to ask them:`), as the
    person's notes; the rest of the quoted message (greetings, tips under a question, the
    sender's signature), a message quoted inside it (">>"), the attribution and the mail's
    headers blank. What the person wrote between the quoted lines is the answers."""
    lines = text.split("\n")
    if not any(REPLY_ATTRIBUTION.match(line) and re.search(r"\d|@|Original", line)
               for line in lines) or sum(
            bool(QUOTED.match(line)) for line in lines) < 3:
        return text  # (not "On my personal statement I wrote:" over a quote)
    out: list[str] = []
    for at, line in enumerate(lines):
        if REPLY_ATTRIBUTION.match(line) or at < 8 and MAIL_HEADER.match(line):
            out.append("")
        elif QUOTED.match(line):
            said = QUOTED.sub("", line, count=1)
            title = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", said).strip()
            keep = not QUOTED.match(said) and title and question_text(title, loose=True) and (
                title.endswith(("?", ".")) or NUMBERED.match(said.strip())) or (
                title.endswith(":") and len(title.split()) <= 8)  # "1. Tell us about ..."
            out.append(said if keep else "")
        else:
            out.append(line)
    return "\n".join(out)


# Notes saved as HTML (a Google Keep or OneNote export, a page saved) or Evernote's ENEX: the
# tags that end a line, the parts that hold no notes, what a colour says
HTML_LINE_TAGS = frozenset("""br p div li h1 h2 h3 h4 h5 h6 tr td th ul ol table blockquote
pre hr title en-note en-todo dt dd section article header footer""".split())
HTML_UNSAID = frozenset("""head style script created updated tag note-attributes resource
data mime width height recognition source-url""".split())
RED = re.compile(r"color\s*:\s*(?:red\b|#[c-f][0-9a-f][0-3][0-9a-f][0-3][0-9a-f]\b"
                 r"|#[c-f][0-3][0-3]\b"
                 r"|rgb\(\s*(?:1[89]\d|2[0-5]\d)\s*,\s*[1-7]?\d\s*,\s*[1-7]?\d\s*\))",
                 re.IGNORECASE)


class _HtmlLines(HTMLParser):
    """HTML as lines of Markdown, each with the line of the file its text starts on."""

    def __init__(self, *, red_unsaid: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.red_unsaid = red_unsaid  # the notes say red marks notes to oneself
        self.lines: list[tuple[int, str]] = []
        self.parts: list[tuple[str, bool]] = []  # the line so far: (text, in red)
        self.first = 0  # the line of the file the line so far starts on
        self.unsaid = 0  # inside a part that holds no notes
        self.red: list[bool] = []  # each open element, whether its text is red
        self.lists: list[str] = []

    def end_line(self) -> None:
        said = "".join(text for text, _ in self.parts)
        if self.red_unsaid and said.strip() and all(red or not text.strip()
                                                   for text, red in self.parts):
            said = ""  # a line all in red, where red marks notes: "Red = notes to me"
        self.lines.append((self.first or self.getpos()[0], said.rstrip()))
        self.parts, self.first = [], 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HTML_UNSAID or self.unsaid:
            self.unsaid += tag in HTML_UNSAID
            return
        if tag == "br" or tag in HTML_LINE_TAGS and self.parts:
            self.end_line()  # ("<br><br>": a blank line)
        style = dict(attrs).get("style") or ""
        if tag not in ("br", "hr", "img", "en-media", "en-todo", "meta", "link"):
            self.red.append(bool(RED.search(style)) or bool(self.red and self.red[-1]))
        if tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li":
            self.add("  " * max(len(self.lists) - 1, 0)
                     + ("1. " if self.lists and self.lists[-1] == "ol" else "- "))
        elif re.fullmatch(r"h[1-6]", tag):
            self.add("#" * int(tag[1]) + " ")
        elif tag == "title":
            self.add("# ")
        elif tag in ("b", "strong"):
            self.add("**")
        elif tag in ("i", "em"):
            self.add("*")
        elif tag == "en-todo":
            self.add("- [x] " if dict(attrs).get("checked") == "true" else "- [ ] ")

    def handle_endtag(self, tag: str) -> None:
        if tag in HTML_UNSAID or self.unsaid:
            self.unsaid = max(self.unsaid - (tag in HTML_UNSAID), 0)
            return
        if tag in ("b", "strong"):
            self.add("**")
        elif tag in ("i", "em"):
            self.add("*")
        if tag not in ("br", "hr", "img", "en-media", "en-todo", "meta", "link") and self.red:
            self.red.pop()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in HTML_LINE_TAGS and self.parts:
            self.end_line()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # "<br/>", "<en-todo checked="true"/>"

    def handle_data(self, data: str) -> None:
        if self.unsaid:
            return
        for at, piece in enumerate(data.split("\n")):
            if at:  # a line break kept in the text (Keep writes its notes "pre-wrap")
                self.end_line()
            self.add(piece.replace("\xa0", " "))

    def add(self, text: str) -> None:
        if text and not self.parts:
            self.first = self.getpos()[0]
        self.parts.append((text, bool(self.red and self.red[-1])))


RED_LEGEND = re.compile(r"\bred\s*(?:=|:|-|–|means|is)\s*(?:my\s+)?(?:notes?|not\b)", re.IGNORECASE)


def html_notes(text: str) -> tuple[str, dict[int, int]]:
    """Notes saved as HTML, or exported from Evernote (ENEX: each note's HTML inside the XML),
    as Markdown: a line for each line the page shows (at "<br>", "<div>", "<p>", an item, a
    heading), headings as headings, items as items, bold and italics as they are, a to-do box
    as a box; the page's head, styles and scripts, and Evernote's dates, tags and attached
    files, left out; a line all in red blank where the notes say red marks notes to oneself
    ("Red = notes to me, NOT to say"). With each line, the line of the file its text starts
    on."""
    # Evernote keeps each note's HTML in a CDATA section: read as the page it is
    text = re.sub(r"<!\[CDATA\[(.*?)\]\]>", lambda cdata: cdata[1], text, flags=re.DOTALL)
    read = _html_lines(text, red_unsaid=bool(RED_LEGEND.search(text)))
    return "\n".join(said for _, said in read) + "\n", {
        at: line for at, (line, _) in enumerate(read, 1)}


def _html_lines(text: str, *, red_unsaid: bool) -> list[tuple[int, str]]:
    """HTML as lines of Markdown, each with the line of the text it starts on."""
    parser = _HtmlLines(red_unsaid=red_unsaid)
    parser.feed(text)
    parser.close()
    if parser.parts:
        parser.end_line()
    return parser.lines


LINE_MARK = re.compile(r"^\s*(?:#{1,6}\s+|[-*+•]\s+|\d{1,3}[.)]\s+|[A-Za-z][.)]\s+)?")


def in_two_languages(text: str) -> str:
    """A question written in two languages on two lines, both asking with "?" or the other in
    another script ("6) Як ви мотивуєте команду ...?" over "   How do you motivate your team
    ...?", "1) Tell me about yourself." over "   Розкажіть про себе."), line for line: the
    English one in the first line's place, with its number, the other line blank (the
    interview is in English)."""
    lines = text.split("\n")
    for at in range(len(lines) - 1):
        first, second = lines[at], lines[at + 1]
        if not (first.rstrip()[-1:] in ".?" and second.rstrip()[-1:] in ".?" and first.strip()
                and second.strip()):
            continue
        one, other = _english_share(first), _english_share(second)
        if one is None or other is None:
            continue
        english, foreign = (second, first) if other > one else (first, second)
        if max(one, other) >= 0.6 and min(one, other) <= 0.25 and question_text(
                LINE_MARK.sub("", english, count=1), loose=True) and (
                foreign.rstrip().endswith("?") and english.rstrip().endswith("?")
                or re.search(r"[^\W\d_]", re.sub(r"[A-Za-zÀ-ɏ]", "", foreign))):  # (not an
            # answer's first line of names, "Kubernetes, Terraform.", nor "Kia ora koutou.")
            mark = LINE_MARK.match(first)
            lines[at] = (mark.group() if mark else "") + LINE_MARK.sub("", english, count=1)
            lines[at + 1] = ""
    return "\n".join(lines)


def _english_share(line: str) -> float | None:
    """The share of a line's words of four letters or more that are English; None for fewer
    than two such words ("Why A&E?")."""
    words = [word.lower() for word in re.findall(r"[^\W\d_]{4,}", line)]
    return sum(map(is_english_word, words)) / len(words) if len(words) >= 2 else None


# A table of contents' line: a title, dots (or spaces) to a page number ("2.1   Tell me about
# yourself. ........ 2"); an outline's numbered heading laid out by a word processor ("2.1
# Tell me about yourself and your PMO experience.", "4   Questions I will ask the panel")
CONTENTS_LINE = re.compile(r"^\s*\S.*?(?:\s*\.{4,}|\s{3,})\s*\d{1,3}\s*$")
OUTLINE_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})[ \t]{2,}(?=\S)")


def outline_numbered(text: str) -> str:
    """A document numbered as an outline by a word processor and saved as text (three such
    headings at least, two of them numbered within a part, their number then two spaces or a
    tab: "2   Competency questions", "2.1   Tell me about yourself."), line for line: each as
    a heading as deep as its number, and its table of contents (titles with dots to their
    page numbers) blank."""
    lines = text.split("\n")
    numbers = [numbered[1] for line in lines if not CONTENTS_LINE.match(line)
               for numbered in [OUTLINE_HEADING.match(line)] if numbered]
    if len(numbers) < 3 or sum("." in number for number in numbers) < 2:
        return text  # (not a list typed "1  Meet", nor figures "40  staff")
    for at, line in enumerate(lines):
        if CONTENTS_LINE.match(line) and re.search(r"\.{4,}", line):
            lines[at] = ""
        elif numbered := OUTLINE_HEADING.match(line):
            depth = numbered[1].count(".") + 2
            lines[at] = "#" * min(depth, 6) + " " + line[numbered.end():].strip()
    return "\n".join(lines)


# An Obsidian Kanban board ("kanban-plugin: basic" in its front matter): a card per list item
# ("- [ ] Why sales? #motivation<br>Honestly because ..."), its tags, dates ("@{2026-03-17}")
# and times ("@@{14:30}")
KANBAN = re.compile(r"^kanban-plugin\s*:", re.MULTILINE)
KANBAN_CARD = re.compile(r"^(\s*[-*+]\s+)\[[ xX]\]\s+(.*)$")
CARD_MARKS = re.compile(r"\s+(?:#[^\W\d_][\w/-]*|@@?\{[^{}]*\})(?=\s|$)")
NOTE_TAGS = re.compile(r"#(?:research|todo|to-do|logistics|admin|notes?)\b", re.IGNORECASE)


def kanban_board(text: str) -> str:
    """A board of the Kanban plugin for Obsidian, line for line: each card a list item, its
    title (to the first "<br>") without its tags, dates and box asking ("Q: Sell me this
    pen"), its body after it the answer; a card of
    one line that asks nothing (a task: "look up Kara on LinkedIn", "Research Series B ...")
    or that is tagged as research and does not ask the person ("What's their avg deal
    size?? #research") blank."""
    if not KANBAN.search(text[:500]):
        return text
    lines = text.split("\n")
    for at, line in enumerate(lines):
        card = KANBAN_CARD.match(line)
        if not card:
            continue
        title, _, body = card[2].partition("<br>")
        plain = CARD_MARKS.sub("", title).strip()
        if not body and not question_text(plain, loose=True) or NOTE_TAGS.search(title) and (
                not asks_the_person(plain)) or to_do(plain) or re.match(
                r"\W*(?:research|look\s+up|find\s+out|check|read|print|book|buy)\b", plain,
                re.IGNORECASE):
            lines[at] = ""
        else:
            lines[at] = f"{card[1]}Q: {plain}" + (f"<br>{body}" if body else "")  # ("Sell me
            # this pen" over its answer asks)
    return "\n".join(lines)


def tab_tables(text: str) -> tuple[str, dict[int, int]] | None:
    """A table pasted as text, its cells split by tabs (as OneNote and Word paste one) or typed
    with " | " between them (no Markdown table: no row of dashes under its header), headed
    "Question" and its other columns' names: as a Markdown table, its rows to the next blank
    line; a row with an empty first cell, or a line with no tab, goes on with the row above
    ("\t• batch the orders"). "Question\tWhy us?" over "Answer\tGrowth" are labels, as "Q:"
    and "A:". With each line, the line of the notes it comes from; None where there is none."""
    source = text.splitlines()
    out: list[str] = []
    lines: dict[int, int] = {}
    at, found = 0, False

    def keep(line: str, number: int) -> None:
        out.append(line)
        lines[len(out)] = number

    def first_cell(at: int) -> str:
        return source[at].split("\t")[0].strip() if 0 <= at < len(source) else ""

    while at < len(source):
        typed = "\t" not in source[at] and " | " in source[at] and not source[at].lstrip(
            ).startswith("|") and not (at + 1 < len(source) and DELIMITER_ROW.match(
                source[at + 1]))  # (a Markdown table: "-- | :--" under its header)
        split = "|" if typed else "\t"
        cells = [cell.strip() for cell in source[at].split(split)]
        names = [cell for cell in cells if cell]  # "Question\tMy answer" (not "Likely
        # question:\tTell us about...", a form's label)
        if len(cells) >= 2 and (
                SHEET_QUESTION.match(cells[0]) and ANSWER_COLUMN.match(first_cell(at + 1))
                or ANSWER_COLUMN.match(cells[0]) and SHEET_QUESTION.match(first_cell(at - 1))):
            keep(re.sub(r"^(\s*\w+)\t+", r"\1: ", source[at]), at + 1)  # a label's line
            at, found = at + 1, True
            continue
        if not (len(names) >= 2 and SHEET_QUESTION.match(cells[0]) and all(
                len(name.split()) <= 4 and ":" not in name and not (
                    question_text(name) and len(name.split()) > 1)  # (not "Question\tTell
                for name in names[1:])):  # me about yourself"; "Done?" names a column)
            keep(source[at], at + 1)
            at += 1
            continue
        width = len(cells)
        rows: list[tuple[int, list[list[str]]]] = []
        end = at + 1
        while end < len(source) and source[end].strip():
            row = [cell.strip().replace("|", "\\|") for cell in source[end].split(split)]
            if len(row) == 1 and rows:  # a cell's next line, pasted without its tabs
                row = ["", row[0]]
            row = [*row[:width - 1], " ".join(row[width - 1:])][:width]
            row += [""] * (width - len(row))  # (a row of one cell: "Why us?" alone)
            if row[0] or not rows:
                rows.append((end + 1, [[cell] if cell else [] for cell in row]))
            else:
                for column, cell in zip(rows[-1][1][1:], row[1:], strict=True):
                    column += [cell] if cell else []
            end += 1
        keep("", at + 1)
        keep("| " + " | ".join(name or "Answer" for name in cells) + " |", at + 1)
        keep("|" + " --- |" * width, at + 1)
        for number, said in rows:
            keep("| " + " | ".join("<br>".join(cell) for cell in said) + " |", number)
        at, found = end, True
    return ("\n".join(out) + "\n", lines) if found else None


def csv_table(text: str, source: str) -> tuple[str, dict[int, int]]:
    """A spreadsheet of questions and answers saved as CSV (commas, semicolons or tabs; a .tsv
    file at tabs), as a Markdown table: its column of questions ("Question", "Behavioural
    question", "Prompt") first, then the columns that answer, under their names ("Answer",
    "My STAR answer"; where none is, every other column but a number, a status, notes or a
    competency, "Key points", "Situation"...; where only notes are, those), a cell's lines
    broken by "<br>". Left out: the rows above the header (a title, a date), the rows another
    column marks as the person's own questions ("My questions"), and the rows from a title with
    no answer on when no row after it has one ("Meine Fragen an Personio"). A row with no
    question goes on with the answer above it; a row with more cells than the header (commas
    not quoted) keeps the rest in its last column. With each line of the table, the line of
    the file its row starts on."""
    import csv
    import io

    delimiter, spaced = "\t", False  # a .tsv file is split at tabs whatever its cells hold
    if not source.lower().endswith(".tsv"):
        try:
            sniffed = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
            delimiter, spaced = sniffed.delimiter, sniffed.skipinitialspace
        except csv.Error:
            delimiter = ","
    # quoted as a spreadsheet quotes ('"IBNR: ""claims ..."""'): the sniffer only guesses that;
    # its delimiter and a space after it ('Why us?, "Your fraud work, and the team"') it finds
    reader = csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter,
                        skipinitialspace=spaced)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as error:  # a quote that never closes runs past the field size limit
        raise NotesError(f"{source}: line {start}: cannot be read as a spreadsheet "
                         f"({error})") from None

    def headed(cell: str, column: re.Pattern[str]) -> bool:  # "Frage / Question",
        return any(column.match(part) for part in cell.split("/"))  # "Behavioural question"

    def asks(cell: str, row: list[str]) -> bool:  # "Question", or where none is, a database's
        # title column ("Name", as Notion exports one) beside a column headed as the answer
        return headed(cell, SHEET_QUESTION) or bool(TITLE_COLUMN.match(cell)) and any(
            headed(other, ANSWER_COLUMN) for other in row) and not any(
            headed(other, SHEET_QUESTION) for other in row)

    header = next((at for at, (_, row) in enumerate(rows)
                   if any(asks(cell, row) for cell in row)
                   and sum(bool(cell.strip()) for cell in row) >= 2), None)
    if header is None:
        raise NotesError(f"{source}: no column headed 'Question' (a spreadsheet of questions "
                         "needs one, and one headed 'Answer' beside it)")
    names = rows[header][1]
    asked = next(at for at, cell in enumerate(names) if asks(cell, names))
    answers = [at for at, cell in enumerate(names) if headed(cell, ANSWER_COLUMN)] or [
        at for at, cell in enumerate(names) if at != asked and cell.strip()
        and not OTHER_COLUMN.match(cell)] or [  # "Question,Notes": the notes are the answer
        at for at, cell in enumerate(names) if at != asked and cell.strip()]

    def cell(row: list[str], at: int) -> str:
        if at == len(names) - 1:
            row = [*row[:at], ", ".join(row[at:])]  # "1,Why us?,I like people, and pay"
        said = row[at].strip() if at < len(row) else ""
        lines = [line.strip().replace("|", "\\|") for line in said.splitlines()]
        numbers = [int(numbered.group(1)) for line in lines for numbered in [NUMBERED.match(line)]
                   if numbered]
        if len(numbers) >= 2 and numbers == list(range(1, len(numbers) + 1)):  # "1. Understand
            lines = [NUMBERED.sub("", line, count=1) for line in lines]  # the product", "2. Data"
            # (not "2016: BSc Economics", "2018: joined Deloitte")
        return "<br>".join(lines)

    numbers = [at for at, name in enumerate(names) if NUMBER_COLUMN.match(name)]
    categories = [at for at, name in enumerate(names) if CATEGORY_COLUMN.match(name)]
    numbered = numbers and sum(any(row[at].strip().isdigit() for at in numbers if at < len(row))
                               for _, row in rows[header + 1:]) >= 2
    body: list[tuple[int, str, list[str]]] = []
    counted = False  # a numbered row came
    aside = ""  # a title of the notes' own in another column, over the rows to the next
    # numbered one: "ASK THEM,,,", "RESEARCH,,," in the column of numbers, read as a category
    for first, row in rows[header + 1:]:
        question, cells = cell(row, asked), [cell(row, at) for at in answers]
        others = [other for at, other in enumerate(row) if at != asked and at not in answers]
        number = any(row[at].strip().isdigit() for at in numbers if at < len(row))
        titles = [other.strip() for other in others if other.strip()]
        if not question and not any(cells) and titles:
            aside = titles[0] if all(their_questions(title, bare=True) or notes_part(title)
                                     or NOTES_CATEGORY.fullmatch(title)
                                     or NOTES_SECTION & set(plain_words(title))  # "Firm
                                     for title in titles) else ""  # research", "Logistics"
        if number:
            aside = ""
        if question and any(their_questions(other, bare=True) for other in others):
            continue  # "My questions,How big is the team?": the person's own, in a category
        kind = next((row[at].strip() for at in categories if at < len(row) and (
            notes_part(row[at]) or names_a_section(plain_words(row[at]))
            or NOTES_CATEGORY.fullmatch(row[at].strip()))), aside or None)
        if question and aside and their_questions(aside, bare=True):
            continue  # under "ASK THEM" in the column of numbers
        asks_you = bool(CANDIDATE_WORDS & set(plain_words(THANKS.sub("", question)))
                        or asks_plainly(question) or names_a_question(question))
        if question and kind is not None and not asks_you and (
                aside or LOGISTICS_CATEGORY.fullmatch(kind) or not any(cells)
                or ABOUT_EMPLOYER.search(question)):
            continue  # "Info,Ask for Priya,", "Notes,Uniform provided?,", "Research,Who is
            # Rachel Lim?,ex-broker": the notes, in a category (not "Research,What is a
            # p-value?,The probability...", a research scientist's question)
        section = question.isupper() and len(question.split()) <= 3 or not number and bool(
            SECTION_ROW.match(question))  # "BEHAVIOURAL", "TECHNICAL – revise before" (not
        # "HTTP status codes – common ones")
        if question and not question_text(question, loose=True) and (
                any(cells) and (their_questions(question, bare=True) or notes_part(question))
                or numbered and not names_a_question(question) and (
                    section or any(cells) and not counted)):
            continue  # "Questions for them", "Company research", a title over numbered rows
            # ("INTERVIEW: Kestrel Life", the day and place) or among them ("BEHAVIOURAL",
            # "use STAR for all of these"); with no answer, such a title ends the questions
            # (below)
        counted = counted or any(row[at].strip() for at in numbers if at < len(row))
        if question:
            body.append((first, question, cells))
        elif body and any(cells):  # a row with no question goes on with the answer above it
            body[-1] = (body[-1][0], body[-1][1], [
                "<br>".join(filter(None, (above, below)))
                for above, below in zip(body[-1][2], cells, strict=True)])
    # the answer's columns keep their names: "| Question | Situation | ... | Result |"
    table = ["| Question | " + " | ".join(cell(names, at) or "Answer" for at in answers) + " |",
             "| --- |" + " --- |" * len(answers)]
    lines = {1: rows[header][0], 2: rows[header][0]}
    for at, (first, question, cells) in enumerate(body):
        if not any(cells) and not question_text(question, loose=True) and not any(
                any(later) for _, _, later in body[at + 1:]):
            break  # a title with no answer ("My questions for them"): the questions are over
        table.append(f"| {question} | " + " | ".join(cells) + " |")
        lines[len(table)] = first
    return "\n".join(table) + "\n", lines




def _untagged(text: str) -> str:
    """The notes without a tag in brackets after a question that is an item of a list the notes
    give elsewhere, outside brackets: a competency ("Competencies: We are emotionally aware /
    We take ownership"), a value or a category (not "(and what you learned)", nor "(Tableau)"
    that an answer names)."""
    unbracketed = re.sub(r"\([^()]*\)", " ", text).lower()

    def untag(tag: re.Match[str]) -> str:
        line = text[text.rfind("\n", 0, tag.start()) + 1:tag.start()]
        item = re.escape(tag.group(1).lower())  # an item of a list: "...: A / B / C"
        named = re.search(rf"(?:^|[:/,;|•*-])[ \t]*{item}[ \t]*(?=$|[/,;|])", unbracketed,
                          re.MULTILINE)
        return "" if named and question_text(line, loose=True) else tag.group(0)

    return LISTED_TAG.sub(untag, text)




def _interviewers_named(text: str) -> str:
    """A mock interview written up with the interviewers by name ("Dave: Why do you want to
    ...?", "Lisa: Can you give us an example ...?", then "Me: ..."): their lines marked as the
    interviewer's. A name is a label of two lines or more, one of them asking, and no English
    word ("Situation:", "Note:")."""
    lines: dict[str, list[str]] = {}
    for said in SPEAKER.finditer(text):
        end = text.find("\n", said.end())
        lines.setdefault(said[1], []).append(text[said.end():end if end >= 0 else None])
    named = {name for name, said in lines.items()
             if len(said) >= 2 and name.lower() not in ("me", "candidate")
             and not is_english_word(name.lower())
             and any(line.rstrip().endswith("?") for line in said)}
    return SPEAKER.sub(lambda said: "Interviewer: " if said[1] in named else said[0], text)


