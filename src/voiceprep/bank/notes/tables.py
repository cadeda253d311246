"""Tables of questions and answers that are no Markdown tables, as Markdown tables
(preprocess.as_markdown runs them): a spreadsheet saved as CSV (`csv_table`) and a table pasted
as text, its cells split by tabs or typed with " | " (`tab_tables`). With each line of the table,
the line of the notes it comes from.
"""

from __future__ import annotations

import re

from voiceprep.bank.notes.blocks import OTHER_COLUMN
from voiceprep.bank.notes.titles import (
    asks_plainly,
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
    QUESTION_ABROAD,
    plain_words,
)
from voiceprep.errors import NotesError

SHEET_QUESTION = re.compile(r"^\W*(?:q|(?:[\w'-]+\s+){0,2}questions?(?:\s+asked)?|prompts?"
                            rf"|{QUESTION_ABROAD})\W*$",
                            re.IGNORECASE)  # a spreadsheet's: "Behavioural question", "Prompt"


# A spreadsheet's column of answers ("My STAR answer"), and the columns that answer nothing
# (where no column is headed as an answer, the others answer: OTHER_COLUMN)
ANSWER_COLUMN = re.compile(r"^\W*(?:a|(?:[\w'-]+\s+){0,3}(?:answers?|responses?)(?:\s+\w+)?"
                           r"|antwort(?:en)?|antwoord|réponse|respuesta)\W*$", re.IGNORECASE)


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
DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$")
SECTION_ROW = re.compile(r"(?-i:TECHNICAL|BEHAVIOU?RAL|GENERAL|MOTIVATION|COMPETENCY|SCENARIOS?"
                         r"|SITUATIONAL|CASE|INTRO|CLOSING|OTHER|MISC|LEADERSHIP)\b")
TITLE_COLUMN = re.compile(r"^\W*(?:name|title)\W*$", re.IGNORECASE)
CATEGORY_COLUMN = re.compile(r"^\W*(?:category|type|section|topic|theme|area)\W*$", re.IGNORECASE)
NUMBER_COLUMN = re.compile(r"^\W*(?:#|no|nr|num(?:ber)?|id)\W*$", re.IGNORECASE)


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
        if not any(cells) and not question_text(question, loose=True) and not (
                names_a_question(question) and not their_questions(question, bare=True)
                ) and not any(  # (not "Biggest weakness,,todo")
                any(later) for _, _, later in body[at + 1:]):
            break  # a title with no answer ("My questions for them"): the questions are over
        table.append(f"| {question} | " + " | ".join(cells) + " |")
        lines[len(table)] = first
    return "\n".join(table) + "\n", lines
