"""Notes written in a markup of their own, as Markdown line for line (preprocess.as_markdown runs
them): AsciiDoc (`asciidoc_text`), LaTeX (`latex_text`), Org mode (`org_outline`), HTML and
Evernote's ENEX (`html_notes`), and Anki's plain-text export of flashcards (`anki_notes`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from voiceprep.bank.notes.tables import NOTES_CATEGORY
from voiceprep.bank.notes.titles import (
    question_text,
)

# Org mode: "** TODO Stärken / Schwächen   :english:", "#+TITLE: ...", ":PROPERTIES:"
ORG_HEADING = re.compile(r"^(\*+)\s+(?:(?:TODO|DONE|NEXT|WAITING)\s+(?=\S*[A-Z]|\[#))?"
                         r"(?:\[#[A-Z]\]\s+)?"
                         r"(.*?)(?:\s+:[\w@:]+:)?\s*$")
ORG_SETTING = re.compile(r"^\s*(?:#\+\w+:|#(?:\s|$)|(?:SCHEDULED|DEADLINE|CLOSED):)",
                         re.IGNORECASE)  # (and a comment: "# don't say anything about Dave")
ORG_BLOCK = re.compile(r"^\s*#\+(begin|end)_(\w+)(?:\s+(\S+))?.*$", re.IGNORECASE)
ORG_DRAWER = re.compile(r"^\s*:[A-Z]+:\s*$")
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
