"""Prep notes (Markdown or plain text) -> questions, each with its answer as the person wrote it.

The notes are parsed with markdown-it-py, so headings, bold, lists, code blocks and quotes are
what Markdown says they are. A question is:
  * a heading that reads as a question (`## Q1: ...`, `### 3. ...`, the `### **1. ...**` of
    exported chat notes, `## Tell me about yourself`);
  * a line in bold that does (`**Q4. Why should we hire you?**`);
  * a `Q:` / `Question:` line (its answer may start with `A:` / `Answer:`);
  * a row of a table of questions and answers (its first header "Question", or a first column
    that asks), the row's other cells its answer;
  * an interviewer's line of a mock interview written down ("Interviewer: Why us?"; "Me: ..."
    answers);
  * failing all of those, a line of its own that ends with a question mark, or the first line of
    a paragraph or list item that asks the person something without one (`asks_plainly`: "1)
    Tell me about yourself", "Why do you want this job"), or a short title numbered next after
    the question before it ("2. Why this hospital").
"Reads as a question": it ends with "?", starts with a Q label, or starts with an interview verb
("Tell me", "Describe", "Explain", "Walk me through"); a heading at a question's level also when
it asks plainly ("## What motivates you"). A line in bold that ends with ":" is a label
("**Situation:**", "**Result:**"), not a question: the lines under it carry that label. Under a
question that asks for the person's own questions, a list or table of questions is its answer.

An answer runs to the next question, or to the next heading at the question's level or above
(headings deeper than the question are sections of the answer), or a title beside the question
(`reader._sibling_title`, an outline's topic). A story as a table is the answer's lines. Code
blocks, HTML, other tables, rules and callouts of advice are left out: nobody says them aloud.
Each unit of the answer (a list item, or a sentence of a paragraph) keeps the line of the notes
it came from.

The steps, a module each:
  preprocess.py  the notes' text as Markdown, line for line (`as_markdown`): text pasted from
                 elsewhere (bullets, escaped marks, outline numbers, a Kanban board, two
                 languages), comments and footers blanked; and from the three modules of forms:
  markup.py      AsciiDoc, LaTeX, Org mode, HTML and Evernote, Anki's export
  conversations.py  a chat, a call's captions, a speech transcript, an email answering in line,
                 a mock interview written up: "Interviewer:" and "Me:" turns
  tables.py      a spreadsheet saved as CSV, a table pasted as text
  blocks.py      the Markdown -> blocks of lines (read with markdown-it-py)
  words.py       the vocabularies: what marks a question, a label, a title, a note to oneself
  titles.py      what one line says on its own: asks, names a common question, titles the notes
  layout.py      which titles are questions, by how they are laid out beside each other
  asides.py      what an answer holds that is not said: notes to self, reminders, to-dos, a
                 reviewer's comments, placeholders, page footers
  reader.py      blocks -> questions and their answers (`parse_notes`)
"""

from voiceprep.bank.notes.reader import NoteQuestion, Unit, parse_notes
from voiceprep.bank.notes.titles import question_text

__all__ = ["NoteQuestion", "Unit", "parse_notes", "question_text"]
