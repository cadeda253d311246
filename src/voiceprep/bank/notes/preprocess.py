"""The notes' text, in whatever form it was written, as the Markdown that blocks.py reads: line for
line, so that every line keeps its number in the notes.

`as_markdown` runs the passes in order. The forms that have a syntax of their own are read in
markup.py (AsciiDoc, LaTeX, Org mode, HTML and Evernote, Anki's export), conversations written
down in conversations.py (a WhatsApp chat, a call's captions, a speech transcript, an email
answering in line, a mock interview written up) and tables in tables.py (a spreadsheet saved as
CSV, a table pasted as text). Here: what text pasted from elsewhere looks like (a list with "•"
bullets, `glyph_outline`; marks escaped by a word processor's export, `typed_marks`; a document
numbered as an outline, `outline_numbered`; a Kanban board, `kanban_board`; a question in two
languages, `in_two_languages`), and what is written in any form but read before the Markdown is:
comments (Obsidian's and Ulysses' "%%"), a page footer, a competency's tag after a question
(`_untagged`).
"""

from __future__ import annotations

import re

from voiceprep.bank.notes.asides import to_do, without_page_furniture
from voiceprep.bank.notes.conversations import (
    ANSWERER,
    captions,
    chat_export,
    email_reply,
    interviewers_named,
    speech_transcript,
)
from voiceprep.bank.notes.markup import (
    anki_notes,
    asciidoc_text,
    html_notes,
    latex_text,
    org_outline,
)
from voiceprep.bank.notes.tables import csv_table, tab_tables
from voiceprep.bank.notes.titles import (
    asks_the_person,
    question_text,
)
from voiceprep.normalize import is_english_word

GLYPHS = "•◦▪"  # a pasted list's bullets, level by level (see glyph_outline)
GLYPH_BULLET = re.compile(rf"^([ \t]*)([{GLYPHS}])(?:[ \t]+|$)")


# A list mark escaped at the start of a line: "1\. ", "\- " (see typed_marks)
ESCAPED_MARK = re.compile(r"^([ \t]*)(\d{1,3})?\\((?(2)[.)]|[-+*]))(?=[ \t]+\S)", re.MULTILINE)


# A comment in notes: Obsidian's between two "%%" ("%% todo: pick a story %%", or "%%" alone on
# the lines around it), Ulysses' "%%" opening a paragraph ("%% keep it short, don't say ...");
# not Jupyter's "%%time", "%%sql"
COMMENT_MARKS = re.compile(
    r"(?<![`\w])%%[ \t]*\n.*?\n[ \t]*%%(?!\w)"  # "%%" alone on its line, to the next
    r"|(?<![`\w])%%(?=\s)[^\n]*?(?<=\s)%%(?!\w)"  # on one line
    r"|(?<![`\w])%%(?=[ \t])[^\n%]*\n(?:(?!%%).)*?(?<=\s)%%[ \t]*$"  # closed at a later line's end
    r"|^[ \t]*%%[ \t][^\n]*", re.DOTALL | re.MULTILINE)  # a paragraph's comment, not closed
LISTED_TAG = re.compile(r"[ \t]*\(([A-Z][^()?\n]{2,59})\)[ \t]*$", re.MULTILINE)  # "... a


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
        text = interviewers_named(text)
    # a comment is never shown: its lines blank
    text = in_two_languages(speech_transcript(email_reply(text)))
    text = chat_export(COMMENT_MARKS.sub(lambda comment: "\n" * comment.group().count("\n"), text))
    if (pasted := tab_tables(text)) is not None:
        text, table = pasted
        lines = {at: lines.get(line, line) if lines else line for at, line in table.items()}
    return text, lines


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
