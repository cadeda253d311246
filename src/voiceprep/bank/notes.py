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
(`_sibling_title`, an outline's topic). A story as a table is the answer's lines. Code blocks,
HTML, other tables, rules and callouts of advice are left out: nobody says them aloud. Each unit
of the answer (a list item, or a sentence of a paragraph) keeps the line of the notes it came
from.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from typing import Any

from voiceprep.errors import NotesError
from voiceprep.normalize import STOPWORDS, plain_quotes

# "[Company Name]", "[mention specific: ...]"; not "[ ]" / "[x]" (a checklist box).
PLACEHOLDER = re.compile(r"\[(?!\s*[xX]?\s*\])[^\[\]\n]+\]")
Q_LABEL = re.compile(r"^(?:q(?:uestion)?\s*\d*\s*(?:[:.)]|[-–—](?=\s))"
                     r"|q\d+\b(?!\s*\d)(?!(?!.*\?\W*$)\s+(?:is|was|were|had|has|will)\b"
                     r"|(?!.*\?\W*$)\s+(?-i:[a-z]).*(?:[.!]\W*$|\s(?:was|were|is|are|had|has)\s)))\s*",
                     re.IGNORECASE)  # "Q4 Why us?", "Q3 biggest weakness", "Q2 Have you ...?"; not
# a statement about a quarter: "Q4 last year two accounts were at risk.", "Q4 is peak for us",
# "Q4 pipeline was thin"
FRONT = re.compile(r"^front\s*:\s*", re.IGNORECASE)  # a flashcard's question, in notes of cards
BACK = re.compile(r"^back\s*:\s*", re.IGNORECASE)
A_LABEL = re.compile(r"^(?:a(?:ns|nswer)?\s*\d*\s*(?:[:.)]|[-–—](?=\s))|(?:me|candidate)\s*:"
                     r"|(?:my|our|sample|model|draft)\s+(?:answer|response)\s*:)\s*",
                     re.IGNORECASE)
# A mock interview written down: "Interviewer: Tell me about..." asks (when what follows does),
# "Me: ..." answers.
INTERVIEWER = re.compile(r"^(?:interviewer|recruiter|panel|hiring manager)\s*:\s*", re.IGNORECASE)
TASK_BOX = re.compile(r"^\s*\[[ xX]\]\s+")  # "- [ ] Tell me about yourself" (a task list)
_WHOSE_ANSWER = r"(?:my|our|sample|model|draft|suggested)"  # ... answer: a title over the answer
ANSWER_TITLE = re.compile(rf"{_WHOSE_ANSWER}(?:\s+draft)?\s+answer(?:\s*\d+)?(?:\s*\([^()]*\))?",
                          re.IGNORECASE)  # "**My answer:**" over the answer, "**Sample answer
# 1:**", "**My answer (STAR):**": no part of it
# A paragraph numbered in roman numerals, as Markdown numbers a list item: "IV. How would you ..."
ROMAN_ITEM = re.compile(r"^\s*((?=[IVX])X{0,3}(?:IX|IV|V?I{0,3}))[.)]\s+")
ACKNOWLEDGEMENT_WORDS = 3  # "Interviewer: Mm, go on." in the middle of an answer ends nothing
ANSWERER = re.compile(r"^\s*(?:me|candidate)\s*:\s*", re.IGNORECASE | re.MULTILINE)
LEAD_IN = re.compile(r"^(?:(?:so|ok|okay|great|right|alright|now|well|and|then|good|sure"
                     r"|thanks|thank you)\b[,.!]?\s*)+", re.IGNORECASE)
NUMBERED = re.compile(r"^(\d+)\s*[.):]\s+")
SECTION_NUMBER = re.compile(r"^\d+\.\d+\.?\s+(?=[A-Z])")  # "### 1.2 Why ...?", not "1.5 years"
# What introduces a question the person expects, in notes written as a script: "They might ask:
# Why ...?", "If asked \"How would you ...?\"", "Possible question: ...": what follows asks
# with "?" or is quoted whole (not 'If they ask "Why?", mention the team').
QUESTION_LEAD = re.compile(r"^(?:(?:they|he|she|the panel|interviewers?)(?:'ll|\s+(?:might|may"
                           r"|could|will|would|are likely to|tend to))(?:\s+(?:probably|likely|also"
                           r"|definitely))?\s+ask(?:\s+me)?|if\s+(?:they\s+)?ask(?:ed|s)?"
                           r"|(?:possible|likely|probable|expected)\s+questions?)"
                           r"(?:\s*:\s*(?=\S)|\s+(?=(?-i:[\"“A-Z])))", re.IGNORECASE)
QUOTE_MARKS = "\"“”"
# A civil service behaviour (the Success Profiles' nine) titled for its example: "Behaviour:
# Working Together"; not "Behaviour: Respect Everyone" in an answer on values
BEHAVIOUR = re.compile(r"^\W*behaviou?r\s*[:–—-]\s*(?P<name>seeing\s+the\s+big\s+picture|changing"
                       r"\s+and\s+improving|making\s+effective\s+decisions|leadership|communicating"
                       r"\s+and\s+influencing|working\s+together|developing\s+self\s+and\s+others"
                       r"|managing\s+a\s+quality\s+service|delivering\s+at\s+pace)\W*$",
                       re.IGNORECASE)
ORG_KEYWORD = re.compile(r"^(?:TODO|DONE|NEXT)\s+(?=[A-Z])")  # "* TODO How do you ...?"
# A note to oneself in brackets after a question is not part of what is asked: any one after
# its question mark ("...? (be specific)"), or a known kind of note ("(STAR)", "(2 min)").
# The person's own mark that a question asks for a story: "(STAR)", "(S.T.A.R.)", "(STAR method)".
_STAR = r"S\.?T\.?A\.?R\.?(?: \w+)?"
STORY_NOTE = re.compile(rf"\(\s*{_STAR}\s*\)", re.IGNORECASE)
NOTE_AFTER = re.compile(rf"(?<=\?)\s*\([^()]+\)$|\s*\((?:{_STAR}|\d+\s*"
                        r"(?:min|mins|minutes|s|sec|seconds)|behaviou?ral|technical|situational)\)$",
                        re.IGNORECASE)
MAX_QUESTION_WORDS = 25  # a line without "?" longer than this is an answer's sentence
# A numbered title that does not ask in words ("4. Biggest weakness") is a question only when
# short and said by nobody in particular: an answer's numbered step says "I" or "we".
MAX_TITLE_WORDS = 10
FIRST_PERSON = frozenset("i me my mine we us our".split())
# Words of a section of the notes that is no question ("3. Logistics", "- **Questions for them**")
NOTES_SECTION = frozenset("""logistics tips reminders reminder resources checklist prep
preparation agenda schedule links references research questions todo notes feedback""".split())
# A note to oneself in brackets inside an answer is not said: "(don't sound smug here)", "(STAR -
# this is the big one)", "(SAY THE NUMBERS SLOWLY)". It tells oneself what to do, marks a story
# in capitals, or shouts a sentence (capitals with a small word among them, not "(AWS SQS FIFO)").
NOTE_TO_SELF = re.compile(
    r"\s*\((?:\s*(?:don'?t|do not|remember|mention|pause on|smile|emphasi[sz]e|avoid|careful"
    r"|say (?:this|it|the)|keep it|need to|look up|think about)\s+\w[^()]*"
    r"|\s*(?:note|tip|todo):[^()]*"
    r"|(?-i:\s*S\.?T\.?A\.?R\.?\b(?:\s*[-–—:,][^()]*)?)"
    r"|(?-i:[^()]*\b[A-Z]{2,}\s+(?:THE|THIS|IT|A|TO|AND|OF)\s+[A-Z]{2,}\b[^()]*))\)",
    re.IGNORECASE)
# Words an interviewer opens a question with that does not end in "?".
ASKING_VERBS = frozenset("tell describe explain walk give talk share name discuss".split())
QUESTION_WORDS = frozenset("what why how when where who which do did does have has can could "
                           "would will are is should whats hows whos".split())
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”')\]]*\s+(?=[\"“(]?[A-Z0-9\[])")
CANDIDATE_WORDS = frozenset("you your yourself".split())
AUXILIARIES = frozenset("did do does is was were are would could should can will has have had"
                        .split())
# Words no sentence ends on: a line ending on one was wrapped mid-sentence.
UNFINISHED = frozenset("""a an the and or but nor of to in on at for with from by into onto
about as than that which who whose my our your their his her its i we they he she you is are was
were be been has have had will would can could should this these those very more most such
""".split())
QUOTES = "\"“”"
WRAP_WIDTH = 120
MIN_WRAP = 45
WRAP_EVIDENCE, WRAP_SHARE = 8, 12  # _claim_per_line
# A line that goes on with one of these ("... from 40 minutes to 6" then "because every
# service...") is one sentence broken over lines, not two claims.
GOES_ON = frozenset("""because that which who whom whose and but or nor so to with for from of in
on at by while when where than as if into onto until unless since""".split())
# A sentence typed without capitals ends at a full stop before a small letter, unless an
# abbreviation does: "... from the ops side. right now I own the platform"
LOWER_SENTENCE_END = re.compile(r"(?<=\w[.!?])\s+(?=[a-z])")
ABBREVIATIONS = frozenset("""e.g i.e vs etc approx incl ca cf esp min mins hr hrs yr yrs no avg
sr jr dr mr mrs ms st dept est""".split())
# A bullet typed as a symbol, which Markdown does not read as a list: "✅ daily huddles", and
# the "o" of a word processor's second-level bullet pasted as text ("o Team of 9")
SYMBOL_BULLET = re.compile(r"^(?:[•·▪‣◦→➢➤►✓✔✗✘☐☑\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
                           r"\u200d\ufe0f\u20e3]|[0-9#*]\ufe0f?\u20e3|o(?=\s))+\s*")  # "👩‍💻", "1️⃣"
CARD_TAGS = re.compile(r"^tags:\s*[\w/-]+(?:\s+[\w/-]+)*$", re.IGNORECASE)  # a flashcard's
# last field, "Tags: react state", as Anki exports it: it ends the card
UNWRITTEN = re.compile(r"^\W*(?:todo|tbd|tbc|fixme|to do|write this)\W*$|^\s*\?{2,}\s*$",
                       re.IGNORECASE)  # an answer still to write ("TBD", "???")
STORY_PARTS = frozenset("situation task action result context challenge outcome impact".split())
# A question that asks for the person's own questions: the questions of its answer are theirs.
ASKS_FOR_QUESTIONS = (r"questions? (for|to ask) (us|me|the)|questions do you have"
                      r"|anything (else )?(to ask|you want to ask)")
# The titles people give the common interview questions without asking them: in notes whose
# questions are titles ("Tell me about yourself", then "Biggest weakness"), a paragraph opening
# with one is the next question, not a line of the answer ("Why this matters" is no title).
TOPIC_TITLE = re.compile(
    r"(?:(?:my|your|biggest|greatest)\s+)?(?:weakness(?:es)?|strengths?"
    r"(?:\s+(?:and|&)\s+weakness(?:es)?)?)"
    r"|why\s+(?:us|here|you|me|(?:this|the|our|your)\s+(?:company|role|job|position|team|"
    r"hospital|school|store|firm|organi[sz]ation|practice|agency|district|industry|field|"
    r"sector|career|opportunity|ward|unit|department|university|trust|service|clinic|charity|"
    r"council|brand|program(?:me)?))"
    r"|(?:salary|pay|compensation)(?:\s+expectations?)?|(?:expected|desired)\s+salary"
    r"|(?:where\s+in|where|in)\s+(?:5|five)\s+years(?:\s+time)?|(?:5|five)[\s-]+years?\s+(?:plan|from\s+now)"
    r"|reason\s+for\s+leaving|why\s+(?:are\s+you\s+)?leaving"
    r"|about\s+(?:me|myself|yourself)|elevator\s+pitch|(?:self[\s-]*)?intro(?:duction)?"
    r"|(?:a\s+)?difficult\s+(?:customer|client|colleague|patient|guest|parent|stakeholder)"
    r"|(?:biggest|greatest|proudest|best|hardest|toughest)\s+(?:project|achievement|"
    r"accomplishment|failure|mistake|success|regret|decision|moment)"
    r"|(?:conflict|failure|teamwork|leadership)\s+(?:with|at|in)\s+(?:an?\s+|the\s+|my\s+)?"
    r"[\w'-]+(?:\s+[\w'-]+)?",
    re.IGNORECASE)
# Titles that name a question as a heading at the questions' level, where nothing else stands:
# "## Handling an angry customer", "### REST vs GraphQL", "### A project you're proud of"
HEADING_TOPIC = re.compile(
    r"(?:handling|dealing\s+with|managing|working\s+(?:with|under)|coping\s+with)"
    r"\s+[\w' ,&/-]{3,80}"
    r"|[\w.#+/-]+(?:\s+[\w.#+/-]+)?\s+vs\.?\s+[\w.#+/-]+(?:\s+[\w.#+/-]+)?"
    r"|(?:an?|one|some|something|someone|the)\s+[\w' -]*\byou(?:'re|'d|'ve|’re|’d|’ve)?\b[\w' -]*",
    re.IGNORECASE)
ADVICE_VERBS = frozenset("use mention say remember tell bring add link keep see".split())
# What a to-do among an outline's questions opens with: "- Print CV", "- Revise SCD type 2"
TODO_VERBS = frozenset("""print revise ask book check buy iron send bring prep prepare read look
practise practice email call confirm update pack charge wear""".split())
# A note after a question and a dash on how to say the answer, no line of it: "Tell me about
# yourself — keep it under 2 min" (what to say is: "Why us? — mention the Clubcard data")
NOTE_AFTER_DASH = re.compile(r"(?:keep\s+it\s+(?:short|brief|under|to|tight)|keep\s+this\s+short"
                             r"|max\s+\d|under\s+\d+\s*(?:min|sec)|\d+\s*min(?:ute)?s?\s+max"
                             r"|(?:speak|talk)\s+slowly|pause|smile)\b")
# A title that tells oneself what to do is a reminder, no question: "Keep it under 2 minutes",
# "- use the Whole Foods story for the next one"
REMINDER_VERBS = frozenset("""keep remember mention don't dont avoid pause smile emphasise emphasize
say tell bring aim practise practice stress max use check print ask revise read look send
""".split())
ARROW = re.compile(r"\s(?:→|->|=>|⇒|➔|➜)\s")  # "Why us -> ...": what follows answers
# "Why recruitment? — I've spent four years...": after a question, a dash starts its answer (an
# en dash or a hyphen only right after its "?")
DASH_ANSWER = re.compile(r"\s+(?:—|--|::)(?:\s+|$)|(?<=\?)\s*[–-](?:\s+|$)|(?<=\?)—")
# "Why Acme", "WHY HALDEN": why a place named
WHY_NAME = re.compile(r"(?:Why|WHY)\s+[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,2}")
# The title of the person's own questions: asked as "What questions do you have for us?"
OWN_QUESTIONS = re.compile(r"(?:any\s+|my\s+)?questions?\s+(?:for|to\s+ask)\s+(?:them|us|the"
                           r"\s+(?:panel|interviewers?|hiring\s+manager|team))", re.IGNORECASE)
ASKED_FOR_QUESTIONS = "What questions do you have for us?"
NOTES_PART = re.compile(
    r"(?:logistics|research\s+on\s+(?:the\s+)?[\w'-]+|(?:company|background)\s+research"
    r"|(?:my\s+)?questions?\s+(?:to\s+ask|for\s+(?:them|the\s+\w+(?:\s+\w+)?|[A-Z]\w+))"
    r"|things\s+to\s+ask(?:\s+them)?|notes\s+to\s+(?:self|myself))(?:\s*\([^()]*\))?",
    re.IGNORECASE)
# A title of a part of the notes laid out as the questions are, at their place (a title over
# indented lines, a line in bold, an outline's item): "Key stats to mention", "Stuff to look up
# before", "Numbers to know", "To ask", "Site numbers (look up before)", "Travel", "On the day",
# "Their values". Inside an answer such a line ("Key facts:", "Points to mention:") is its own.
_TO_DO = (r"(?:(?:key\s+)?(?:things|stuff|points|numbers|facts|figures|stats|statistics|details"
          r"|names|dates|documents|projects|stories|examples)\s+)?to\s+(?:look\s+up|check|research"
          r"|bring|remember|mention|read|revise|print|do|ask|know|use|drop\s+in)"
          r"(?:\s+(?:before|beforehand|first|on\s+the\s+day))?")
NOTES_TODO = re.compile(r"(?:(?:things|stuff|documents|items)\s+)?to\s+(?:bring|ask|do|print|pack"
                        r"|look\s+up|check|research)(?:\s+(?:before|beforehand|first|on\s+the\s+day))?",
                        re.IGNORECASE)  # "Things to bring": as a heading or in bold too ("###
# Points to mention" under a question is a part of its answer)
NOTES_TITLE = re.compile(
    _TO_DO + r"|key\s+(?:stats|statistics|facts|figures|numbers)(?:\s+to\s+\w+)?"
    r"|[\w'&/ -]{1,40}\((?:look\s+up|check|research|verify|to\s+check)\b[^()]*\)"
    r"|(?:travel|getting\s+there|on\s+the\s+day|the\s+day|bring|parking|directions|dress\s+code"
    r"|venue|address|documents|location|contacts?|(?:the\s+)?interviewers?|(?:the\s+)?panel"
    r"|who'?s\s+on\s+the\s+panel|their\s+(?:values|numbers|figures|stats|products|mission"
    r"|culture|history)|company\s+(?:stuff|info|facts|notes|background))",
    re.IGNORECASE)
# A question that asks for a story: the titles in its answer are the story's parts
STORY_ASKED = re.compile(r"\b(?:a|one|the)\s+time\b|\bexample\b|\bsituation\b|\bstory\b"
                         r"|\bproject\b", re.IGNORECASE)
# A question that asks for a few things: the titles in its answer name them ("Communication"
# under "Strengths")
LIST_ASKED = re.compile(r"\bstrengths\b|\bweaknesses\b|\bskills\b|\bqualities\b",
                        re.IGNORECASE)
# A part of the notes about the employer: "## About Monzo", "## Company overview"
ABOUT_THEM = re.compile(r"about\s+(?!me\b|myself\b|yourself\b|you\b|us\b)[\w&'.-]+(?:\s+[\w&'.-]+)?"
                        r"|(?:recent\s+)?news|competitors?|the\s+(?:role|job|company|business|team)"
                        r"|job\s+(?:description|spec|advert|ad)|person\s+spec(?:ification)?"
                        r"|company\s+[\w'-]+|interview\s+(?:format|structure|process|stages?|day)"
                        r"|(?:leadership\s+)?principles|values|culture|products?|services"
                        r"|hiring\s+manager|(?:key\s+)?dates|overview|background|star\s+stories"
                        r"|stories|(?:general\s+)?tips|(?:before|after)\s+the\s+interview"
                        r"|body\s+language|next\s+steps|things\s+to\s+avoid|dos?\s+and\s+don'?ts",
                        re.IGNORECASE)
# A title over a part of an answer, laid out as a question would be: "Lessons learned:",
# "**The short version**", "**What I did**", "Example:"
ANSWER_PART = re.compile(
    r"(?:the\s+)?(?:short|long|full)\s+version|(?:sample|model|my|draft)\s+answer|answer"
    r"|what\s+(?:i|we)\s+did|how\s+(?:i|we)\s+did\s+it|(?:key\s+)?take-?aways?|reflections?"
    r"|lessons?(?:\s+learn(?:ed|t))?|examples?|tips?|summary|follow[\s-]*ups?(?:\s+.*)?"
    r"|key\s+points|talking\s+points|structure|why\s+it\s+works|results?|outcomes?"
    r"|(?:my\s+)?role|tools(?:\s+used)?|key\s+learnings?|learnings?|root\s+cause|impact|approach"
    r"|context|the\s+numbers|numbers|solution|the\s+fix|fix|recovery|what\s+went\s+wrong"
    r"|backup\s+example|if\s+they\s+push\s+back|what\s+i\s+learn(?:ed|t)",
    re.IGNORECASE)
# The title of a part listing the person's own questions: the questions under it are theirs to
# ask, not the interview's ("Questions to ask the interviewer", "Things I want to ask", "Qs to
# ask", "Reverse questions"; a bare "My questions" only at a heading or after a rule, once
# questions were asked: `_their_questions_title`).
THEIR_QUESTIONS = re.compile(
    r"(?:my\s+|some\s+)?(?:questions?|qs)\s+to\s+ask(?:\s+(?:them|her|him|the\s+(?:interviewers?"
    r"|panel|hiring\s+manager|recruiter)|at\s+the\s+end|(?-i:[A-Z][\w'-]*)))?"
    r"|questions?\s+I(?:'ll|'d|\s+will|\s+want\s+to|\s+would(?:\s+like\s+to)?)\s+ask\s+(?:them|her"
    r"|him|the\s+(?:interviewers?|panel|hiring\s+manager|recruiter)|at\s+the\s+end)"
    r"|(?:my\s+)?(?:questions?|qs)\s+for\s+(?:them|her|him|the\s+(?:interviewers?|panel"
    r"|hiring\s+manager|recruiter))|(?:things|stuff)\s+(?:I\s+want\s+)?to\s+ask(?:\s+(?:them"
    r"|(?!myself\b|yourself\b)\w+))?|to\s+ask(?:\s+them)?|ask\s+(?:them|the\s+panel)"
    r"|reverse\s+questions|(?P<bare>my\s+questions|questions?\s+I(?:\s+want\s+to|'d\s+like\s+to"
    r"|\s+would\s+like\s+to)\s+ask)", re.IGNORECASE)
# A table's first header, when its rows are questions and answers
QUESTION_COLUMN = re.compile(r"^\W*(?:q|questions?|interview questions?)\W*$", re.IGNORECASE)
SHEET_QUESTION = re.compile(r"^\W*(?:q|(?:[\w'-]+\s+){0,2}questions?(?:\s+asked)?|prompts?)\W*$",
                            re.IGNORECASE)  # a spreadsheet's: "Behavioural question", "Prompt"
# A spreadsheet's column of answers ("My STAR answer"), and the columns that answer nothing
# (where no column is headed as an answer, the others answer)
ANSWER_COLUMN = re.compile(r"^\W*(?:a|(?:[\w'-]+\s+){0,3}(?:answers?|responses?)(?:\s+\w+)?)\W*$",
                           re.IGNORECASE)
OTHER_COLUMN = re.compile(r"^\W*(?:#|no|nr|num(?:ber)?|id|status|done|notes?|comments?|dates?"
                          r"|tags?|category|type|round|practised|practiced|competency|competence"
                          r"|theme|skill|area|confidence(?:\s*\([^()]*\))?)\W*$", re.IGNORECASE)
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
# A fenced block marked as text is read as its lines: "```text" around an answer
PROSE_FENCE = frozenset({"text", "txt", "plain", "plaintext"})  # "```text": not "```", "```bash"
DIAGRAM = re.compile(r"[→←↑↓─│┌┐└┘]|^ {4}", re.MULTILINE)
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
    placeholders: tuple[str, ...] = ()  # "[Company Name]" ... found in the answer
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


@dataclass
class _Line:
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
        shown = [(s, t) for s, t in self.segments if t.strip()]
        if len(shown) >= 2 and shown[0][0] in ("strong", "em"):
            head = shown[0][1].strip()
            if head.endswith(":"):
                joined = self.text
                return head.rstrip(":").strip(), joined[joined.find(head) + len(head):].strip()
        return "", self.text


def question_text(text: str, *, loose: bool = False) -> str | None:
    """The question this heading or line asks, without its number or Q label; None when it
    is not one. `loose`: any line ending with "?" (notes with no other kind of question)."""
    t = " ".join(text.split()).strip("*_ ").strip()
    led = QUESTION_LEAD.match(t)
    if led:  # 'They might ask: "Why ...?"': the question is what follows, quoted or not
        t = NOTE_AFTER.sub("", t[led.end():]).strip()
        quoted = len(t) > 1 and t[0] in QUOTE_MARKS and t[-1] in QUOTE_MARKS and not any(
            c in QUOTE_MARKS for c in t[1:-1])
        t = t[1:-1] if quoted else t
        if not quoted and (t[:1] in QUOTE_MARKS or not t.endswith("?") and (
                "," in t or not t[:1].isupper() or _plain_words(t)[0] not in ASKING_VERBS)):
            return None  # 'If they ask "Why?", mention ...'; "... ask Tell me X, start with"
    if t.endswith("?"):
        t = ORG_KEYWORD.sub("", t, count=1)
    labelled = bool(Q_LABEL.match(t))
    t = Q_LABEL.sub("", t, count=1)
    numbered = bool(NUMBERED.match(t))
    t = NUMBERED.sub("", SECTION_NUMBER.sub("", t, count=1), count=1).strip("*_ ").strip()
    while (noted := NOTE_AFTER.sub("", t).strip()) not in ("", t):
        t = noted  # "... you caused (STAR) (2 min)": notes to oneself
    if not t or t.endswith(":") and not labelled:
        return None
    words = _plain_words(t)
    if labelled or t.endswith("?"):
        return t
    if words and words[0] in ASKING_VERBS and (numbered or loose or len(words) <= 20):
        return t
    if words[:1] == ["design"] and words[1:2] in (["a"], ["an"]) and len(words) >= 5 or (
            words[:1] == ["introduce"] and asks_plainly(t)):
        return t  # "Design a global rate limiter for an API", not "Design a 30-60-90 plan"
    if words and words[0] in QUESTION_WORDS and (numbered or loose and asks_plainly(t)):
        return t  # "3. What are your strengths"; in plain notes "What motivates you"
    return None


def topic_title(text: str, heading: bool = False) -> str | None:
    """The question a title names without asking it, or None: "Biggest weakness", "Why this
    hospital", "Salary expectations", "Where in 5 years" as written (TOPIC_TITLE), as a
    `heading` at the questions' level also "Handling ...", "X vs Y" (HEADING_TOPIC); "Questions
    for them" asks for the person's own."""
    title = NUMBERED.sub("", " ".join(text.split()).strip("*_ ").strip(), count=1)
    title = SYMBOL_BULLET.sub("", title).strip("*_ ").rstrip(".!:").strip()  # "💪 Strengths"
    if OWN_QUESTIONS.fullmatch(title):
        return ASKED_FOR_QUESTIONS
    if STORY_NOTE.search(title):  # "Conflict with a coworker (STAR)"
        named = " ".join(STORY_NOTE.sub(" ", title).split()).strip(" -–—")
        words = _plain_words(named)
        if (1 <= len(words) <= 6 and ":" not in named and not FIRST_PERSON & set(words)
                and words[0] not in ADVICE_VERBS and not _names_a_section(words)
                and words[0] != "stories" and words[:2] != ["story", "bank"]):
            return named
        return None
    words = _plain_words(title)
    why_name = WHY_NAME.fullmatch(title) and words[1] not in STOPWORDS  # not "Why It Worked",
    # "Why It's Relevant"
    named_here = (heading and HEADING_TOPIC.fullmatch(title) and len(words) <= 12
                  and not FIRST_PERSON & set(words) and not SENTENCE_END.search(title))
    return title if TOPIC_TITLE.fullmatch(title) or why_name or named_here else None


# One-word titles of common interview topics, and two that name a question (TOPIC_TITLE) too:
# "Mentoring", "Failure", "Disagreement with a PM", "Intro / elevator pitch". Over a paragraph
# in an answer they are its parts ("Leadership" then "I ran the night handover"); among
# headings beside each other they tell headings of questions (`_names_a_topic`).
TOPIC_WORD = re.compile(
    r"failures?|conflict|teamwork|leadership|motivation"
    r"|mentoring|achievements?|pressure|delegation|availability"
    r"|notice\s+period|(?:disagreement|disagreeing)\s+with\s+[\w' -]+"
    r"|(?:a\s+)?time\s+(?:when\s+)?you\s+[\w' -]+", re.IGNORECASE)


def _names_a_topic(text: str) -> bool:
    """A title that names a common interview question or topic, or one of its parts between
    slashes does ("Intro / elevator pitch")."""
    title = _title(text)
    return any(topic_title(part) or TOPIC_WORD.fullmatch(part.strip())
               for part in (title, *title.split(" / ")))


def asks_plainly(text: str) -> bool:
    """A line that asks the person something without a "?": "Tell me about yourself", "Introduce
    yourself", "Describe a time you...", "Why do you want this job", "What's your biggest
    weakness", "What motivates you"; not an answer's line that says "you" ("How you communicate
    matters", "When you're new...", "Explain your reasoning", "Do your research")."""
    words = _plain_words(text)
    if len(words) < 2 or len(words) > MAX_QUESTION_WORDS:
        return False
    if words[:2] == ["introduce", "yourself"]:
        return len(words) <= 3  # not "Introduce yourself and check their ID band"
    if words[0] in ASKING_VERBS:
        return words[1] in ("me", "us") or words[1:3] in (["a", "time"], ["a", "situation"])
    return (words[0] in QUESTION_WORDS and words[1] not in CANDIDATE_WORDS
            and (any(w in CANDIDATE_WORDS for w in words[1:4])
                 or words[1:3] == ["should", "we"] and "you" in words))  # "... we hire you"


def _plain_words(text: str) -> list[str]:
    """The words of a line, lower case, split at apostrophes ("what's" -> "what", "s")."""
    return re.findall(r"[a-z]+", plain_quotes(text).lower())


def parse_notes(text: str, source: str = "notes") -> list[NoteQuestion]:
    """Every question of the notes, with its answer; raise NotesError when there is none. A
    spreadsheet saved as CSV (`source` ending .csv or .tsv) is read as a table (_csv_table)."""
    from markdown_it import MarkdownIt

    lines = None
    if source.lower().endswith((".csv", ".tsv")):
        text, lines = _csv_table(text, source)
    blocks = _blocks(MarkdownIt("commonmark").enable("table").parse(text), text.splitlines())
    mock = bool(ANSWERER.search(text))  # a mock interview written down: "Me: ..." answers
    cards = all(len(re.findall(rf"^\s*{side}\s*:", text, re.MULTILINE | re.IGNORECASE)) >= 2
                for side in ("front", "back"))  # flashcards: "Front:" asks, "Back:" answers
    # (not one "Front: React" and "Back: Node" in an answer on a stack)
    questions = _questions(blocks, source, loose=False, mock=mock, cards=cards)
    rows = {b.lines[0].number for b in blocks if b.kind == "row"}
    if {q.line for q in questions} <= rows:  # none, or only a table's (of what to ask them?)
        questions = max(questions, _questions(blocks, source, loose=True, mock=mock, cards=cards),
                        key=len)
    if lines is not None:  # the lines of the spreadsheet the table's rows come from
        questions = [replace(q, line=lines[q.line], units=tuple(
            replace(u, line=lines[u.line]) for u in q.units)) for q in questions]
    if not questions:
        raise NotesError(f"{source}: no questions found (a question is a heading or line that "
                         "asks one: '## Q1: ...', '**Q2. ...?**', 'Q: ...', a line ending "
                         "with '?', or 'Tell me about yourself' on a line of its own)")
    return questions


@dataclass
class _Block:
    kind: str  # "heading", "paragraph", "item"; a table's "row" (its question) and "end"
    level: int  # heading level (1-6; 7 for a folded block's <summary>); for the rest, 0
    lines: list[_Line]
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

    @property
    def text(self) -> str:
        """Its lines as one line: a heading's title."""
        return " ".join(line.text for line in self.lines)


def _blocks(tokens: list[Any], source: list[str]) -> list[_Block]:
    out: list[_Block] = []
    heading_level = 0
    items: list[int | None] = []  # the open list items' numbers (None: a bullet, or said)
    in_table = 0
    width = _wrap_width(tokens, source)
    quotes: list[bool | None] = []  # the open quoted blocks: each, whether it is advice (left
    # out), None until its first line is read
    rows: list[list[list[_Line]]] = []  # the table's rows, each cell's lines (split at "<br>")
    group, rule = 0, False  # the outermost lists opened so far; a rule before the next block
    opening = False  # a list item opened, its first paragraph still to come
    for token in tokens:
        if in_table:
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline" and token.map and rows:
                line = token.map[0] + 1
                rows[-1].append(_lines(token.children or [], line) or [_Line(line)])
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
                out.append(_Block("heading", 7, [_Line(line, [("text", text)])], len(out)))
                said = token.content[summary.end():following.start() if following else None]
                folded = [_Line(line + at, [("text", html.unescape(plain))], True)
                          for at, written in enumerate(said.split("\n"))
                          if (plain := re.sub(r"<[^>]+>", "", written).strip())]
                if folded:
                    out.append(_Block("paragraph", 0, folded, len(out)))
        elif token.type == "fence" and token.map and _prose(token.info, token.content):
            fenced = [_Line(token.map[0] + 2 + i, [("text", text)],
                            bool(re.search(r"[.!?:]\W*$", text)))  # wrapped lines join
                      for i, text in enumerate(token.content.splitlines()) if text.strip()]
            out.append(_Block("item" if items else "paragraph", 0, fenced, len(out),
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
        elif token.type == "blockquote_close":
            quotes.pop()
        elif token.type == "inline" and token.map:
            first_quoted = bool(quotes) and quotes[-1] is None
            if first_quoted:
                quotes[-1] = bool(ADVICE.match(token.content))
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
            if kind == "paragraph" and lines and _roman_question(lines[0].text):
                lines, roman = _without_marker(lines, ROMAN_ITEM)  # "IV. How would you ...?"
                assert roman is not None  # reads as "4. How would you ...?"
                kind, ordinal, depth = "item", _roman_value(roman.group(1)), 1
                group += 1
                in_list = group
            hanging = kind == "paragraph" and len(lines) > 1 and not source[
                lines[0].number - 1][:1].isspace() and all(
                    source[line.number - 1][:1].isspace() for line in lines[1:])
            out.append(_Block(kind, heading_level, lines[:after], len(out), ordinal,
                              depth, typed, in_list, rule, hanging=hanging, opens=opens))
            rule = False
            if after < len(lines):
                out.append(_Block("paragraph", 0, lines[after:], len(out), typed=typed))
    return out


def _prose(info: str, content: str) -> bool:
    """A fenced block marked as text that holds prose ("```text" around an answer), not a
    diagram; a bare fence or one in a language ("```bash") is never said."""
    lines = [line for line in content.splitlines() if line.strip()]
    return (info.strip().lower() in PROSE_FENCE and bool(lines) and not DIAGRAM.search(content)
            and all(re.search("[A-Za-z]", line) for line in lines))


def _without_marker(lines: list[_Line], marker: re.Pattern[str]
                    ) -> tuple[list[_Line], re.Match[str] | None]:
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
    return [_Line(first.number, segments, first.ends_claim), *lines[1:]], found


def _roman_question(text: str) -> bool:
    """A line numbered in roman numerals that asks you ("II. How do you ...?") or names a common
    question ("III. Biggest weakness"); not "V. Kumar said", nor "II. Why the backlog is stuck?"
    in an answer."""
    roman = ROMAN_ITEM.match(text)
    rest = text[roman.end():].strip() if roman else ""
    return bool(rest) and (_asks_you(rest) or asks_plainly(rest) or topic_title(rest) is not None)


def _roman_value(numeral: str) -> int:
    values = [{"I": 1, "V": 5, "X": 10}[c] for c in numeral]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


def _callout_lines(lines: list[_Line]) -> list[_Line]:
    """A callout's lines without its marker ("> [!question] Why us?" asks "Why us?"), and
    without its title when that is a short label ("> [!note]- Answer"), not a claim ("> [!example]
    Cut churn 12%") or a question."""
    first = lines[0]
    segments = list(first.segments)
    head = next(i for i, (_, t) in enumerate(segments) if t.strip())
    style, text = segments[head]
    segments[head] = (style, CALLOUT.sub("", text.lstrip()))
    title = _Line(first.number, segments, first.ends_claim)
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
    goes_on = sum(line.endswith(",") or _last_word(line) in UNFINISHED
                  or _first_word(after).lower() in GOES_ON for line, after in broken)
    return len(broken) >= WRAP_EVIDENCE and goes_on * WRAP_SHARE <= len(broken)


def _first_word(written: str) -> str:
    """A line's first word as written, after a quote's ">" marks."""
    return (re.sub(r"^[\s>]*", "", written).split() or [""])[0]


def _line_breaks(lines: list[_Line], source: list[str], width: int | None) -> bool:
    """Mark the lines a claim ends at: where the writer broke the line ("live 10 min away" then
    "can cover opens/closes"), not an editor wrapping at `width`: the notes are not wrapped, or
    the next line's first word would have fitted on the line. A line that ends on "and", "the",
    a comma or a colon goes on. Whether the text was typed so: not wrapped, or a line marked."""
    def written(line: _Line) -> str:
        return (source[line.number - 1] if line.number <= len(source) else line.text).rstrip()

    for line, after in zip(lines, lines[1:], strict=False):
        next_word = _first_word(written(after))
        fits = width is None or len(written(line)) + 1 + len(next_word) <= max(width, MIN_WRAP)
        if re.search(r"\w[.!?][\"'”)\]]*$", line.text) and not _abbreviation(
                _last_word(line.text)):
            fits = True  # a sentence ends with the line: "... look like?" then "how big is ..."
        line.ends_claim = (fits and _last_word(line.text) not in UNFINISHED
                           and not line.text.endswith((":", ",", ";", "-", "–", "—"))
                           and (after.text.split() or [""])[0].lower() not in GOES_ON)
    return width is None or any(line.ends_claim for line in lines)


def _after_list(lines: list[_Line], source: list[str]) -> int:
    """Where the text under a list starts, inside its last item: plain notes go on with a
    sentence at the start of the next line ("- small baskets\nI built a margin model..."), which
    Markdown reads as more of the item. A line of the item that is not indented and starts with a
    capital, after a line that could end a sentence, starts the text after the list."""
    for i, line in enumerate(lines[1:], 1):
        written = source[line.number - 1] if line.number <= len(source) else ""
        if (written[:1].isupper() and line.text[:1].isupper()
                and _last_word(lines[i - 1].text) not in UNFINISHED):
            return i
    return len(lines)


def _csv_table(text: str, source: str) -> tuple[str, dict[int, int]]:
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

    dialect: Any = csv.excel_tab  # a .tsv file is split at tabs whatever its cells hold
    if not source.lower().endswith(".tsv"):
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
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

    header = next((at for at, (_, row) in enumerate(rows)
                   if any(headed(cell, SHEET_QUESTION) for cell in row)
                   and sum(bool(cell.strip()) for cell in row) >= 2), None)
    if header is None:
        raise NotesError(f"{source}: no column headed 'Question' (a spreadsheet of questions "
                         "needs one, and one headed 'Answer' beside it)")
    names = rows[header][1]
    asked = next(at for at, cell in enumerate(names) if headed(cell, SHEET_QUESTION))
    answers = [at for at, cell in enumerate(names) if headed(cell, ANSWER_COLUMN)] or [
        at for at, cell in enumerate(names) if at != asked and cell.strip()
        and not OTHER_COLUMN.match(cell)] or [  # "Question,Notes": the notes are the answer
        at for at, cell in enumerate(names) if at != asked and cell.strip()]

    def cell(row: list[str], at: int) -> str:
        if at == len(names) - 1:
            row = [*row[:at], ", ".join(row[at:])]  # "1,Why us?,I like people, and pay"
        said = row[at].strip() if at < len(row) else ""
        return "<br>".join(line.strip().replace("|", "\\|") for line in said.splitlines())

    body: list[tuple[int, str, list[str]]] = []
    for first, row in rows[header + 1:]:
        question, cells = cell(row, asked), [cell(row, at) for at in answers]
        if question and any(_their_questions(other, bare=True) for at, other in enumerate(row)
                            if at != asked and at not in answers):
            continue  # "My questions,How big is the team?": the person's own, in a category
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


def _table_questions(rows: list[list[list[_Line]]], number: int) -> list[_Block]:
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
    out: list[_Block] = []
    for row in body:
        out.append(_Block("row", 0, [_joined(row[0])], number + len(out)))
        for at, cell in enumerate(row[1:], 1):
            out += _cell_blocks(parts[at] if at < len(parts) else "", cell, number + len(out))
    return [*out, _Block("end", 0, [], number + len(out))]


def _story_table(rows: list[list[list[_Line]]], number: int) -> list[_Block]:
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
    out: list[_Block] = []
    for name, cell in cells:
        out += _cell_blocks(name, cell, number + len(out))
    return out


def _story_part(cell: list[_Line]) -> str:
    """"Situation" for a cell that names a part of a story, else ""."""
    name = _joined(cell).text.strip("*_: ")
    return name if name.lower().rstrip("s") in STORY_PARTS else ""


def _cell_blocks(part: str, cell: list[_Line], number: int) -> list[_Block]:
    """A cell of an answer, a paragraph per line, the first after the story part it is
    ("Result: cut costs 20%")."""
    lines = [line for line in cell if line.text]
    return [_Block("paragraph", 0, [_Line(line.number, ([("text", f"{part}: ")]
                                                        if part and i == 0 else [])
                                          + line.segments)], number + i)
            for i, line in enumerate(lines)]


def _last_word(text: str) -> str:
    """The word a line ends on, as written ("2022" in "... in 2022")."""
    words = text.lower().replace("’", "'").split()
    return words[-1].strip(".,;:!?\"'()[]*_") if words else ""


def _joined(lines: list[_Line]) -> _Line:
    """A cell's lines as one (a question broken over two lines of a cell)."""
    return _Line(lines[0].number, [segment for line in lines
                                   for segment in [*line.segments, ("text", " ")]])


def _lines(children: list[Any], first_line: int) -> list[_Line]:
    lines = [_Line(first_line)]
    style: list[str] = []
    code = False  # the line's last segment is a code span: no tags in it
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            _drop_tags(lines[-1], code)
            lines.append(_Line(lines[-1].number + 1))
        elif child.type == "html_inline" and LINE_BREAK.match(child.content):
            _drop_tags(lines[-1], code)
            lines.append(_Line(lines[-1].number))  # "<br>": a new line, on the same line
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


def _drop_tags(line: _Line, ends_in_code: bool) -> None:
    """Obsidian tags closing a line (TRAILING_TAGS), when its last segment holds them all and
    is no code span; not after an abbreviation ("e.g. #incidents")."""
    text = "".join(t for _, t in line.segments)
    tags = TRAILING_TAGS.search(text)
    if not tags or ends_in_code:
        return
    style, last = line.segments[-1]
    cut = len(text) - tags.start()
    before = text[:tags.start()].rstrip()
    if cut > len(last) or (before and _abbreviation(_last_word(before))):
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


def _questions(blocks: list[_Block], source: str, *, loose: bool, mock: bool = False,
               cards: bool = False) -> list[NoteQuestion]:
    found: list[NoteQuestion] = []
    current: dict[str, Any] | None = None
    section_level = 0  # the level of the last heading seen
    asked_level = 0  # the level of the last heading that asked ("### How do you ..." after
    # "## Technical", a topic above the questions, asks as the questions before it did)
    their: dict[str, Any] | None = None  # in a part listing the person's own questions
    dashed: bool | None = None  # whether the first question gave its answer after a dash
    hanging_titles = False  # a question was a title over lines indented under it
    outline: tuple[int, int] | None = None  # (list, depth) of list items that are questions
    # with their answers nested under them
    places = _Places.of(blocks)
    bold_titles = bool(places.bold)  # the questions are lines in bold opening their paragraphs

    def close() -> None:
        if current is not None:
            found.append(NoteQuestion(
                prompt=current["prompt"], line=current["line"], source=source,
                units=tuple(current["units"]),
                placeholders=tuple(dict.fromkeys(current["placeholders"])),
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
        words = _plain_words(title)
        if topic_title(title) == ASKED_FOR_QUESTIONS:
            return ASKED_FOR_QUESTIONS  # "4. Questions for them": no section of the notes
        if (not 1 <= len(words) <= MAX_TITLE_WORDS or title.endswith((":", "."))
                or SENTENCE_END.search(title) or FIRST_PERSON & set(words)
                or _names_a_section(words)):
            return None
        return title

    def next_title(line: _Line, block: _Block) -> str | None:
        """In notes whose questions are titles ("Tell me about yourself" without a "?"), a
        paragraph opening with a title that names a common question ("Biggest weakness") once
        the question before has an answer; not a section of an answer to a question that asks
        with "?" ("What are your strengths and weaknesses?", then "Strengths")."""
        if (current is None or not current["units"] or current["prompt"].endswith("?")
                or asking_back() or line is not block.lines[0] or block.kind != "paragraph"):
            return None
        title = topic_title(line.text)
        if title and _in_question(title, current["prompt"]):
            return None  # "Strengths" under "What are your strengths and weaknesses"
        return title

    def colon_title(line: _Line, block: _Block) -> str | None:
        """"Tell me about yourself:" opening a paragraph or list item asks, as the notes' first
        question or after one written so; in other notes it titles a part of an answer ("What
        did you do:")."""
        text = line.text.strip("*_ ")
        if (line is not block.lines[0] or not text.endswith(":") or SENTENCE_END.search(text)
                or not asks_plainly(text[:-1]) or current is not None and (
                    not current["colon"] or not current["units"] or asking_back())):
            return None
        return text[:-1].strip()

    def laid_out(line: _Line, block: _Block) -> bool:
        """The line opens a block laid out as the notes' questions: a title over lines indented
        under it, a line in bold opening its paragraph, an item at an outline's questions'
        place."""
        return line is block.lines[0] and (
            block.kind == "paragraph" and block.hanging and hanging_titles
            or block.kind == "paragraph" and line.bold_only() and bool(bold_titles)
            or block.kind == "item" and block.opens and outline == (block.group, block.depth))

    def notes_laid_out(line: _Line, block: _Block) -> bool:
        """A part of the notes laid out as their questions are ("Travel:" over indented lines;
        "Key facts" alone on its line where the questions are titles; not "Points to mention:",
        which opens what follows in an answer), or a to-do among an outline's questions ("-
        Print CV"): it ends the answer before it."""
        title = _title(line.text)
        words = _plain_words(title)
        if laid_out(line, block) and block.kind == "item" and words[:1] and words[0] in TODO_VERBS:
            return True
        if block.kind == "paragraph" and line.bold_only():  # "**Key numbers**" in a story is
            return bool(NOTES_TODO.fullmatch(title)) and laid_out(line, block)  # a part of it
        alone = block.kind == "paragraph" and len(block.lines) == 1 and bool(
            hanging_titles or bold_titles)  # a title alone on its line: a section when bare
        return bool(NOTES_TITLE.fullmatch(title)) and (laid_out(line, block) or alone and not (
            line.text.rstrip().endswith(":"))) or bool(NOTES_TODO.fullmatch(title)) and alone

    def sibling_title(line: _Line, block: _Block) -> str | None:
        """A title laid out as the questions before it, where no line of an answer stands
        (`laid_out`): "Managing an underperformer" over indented bullets, "Weakness:" over
        indented lines; a line in bold among lines in bold that mostly name questions
        (`_Places.bold`: "**Handling pressure**" beside "**Why Jobber?**"; not one right under
        a question, which titles a part of its answer, "**The short version**", nor the ones
        after it); a title over its paragraph among such titles (`_Places.titled`); an
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
        bold = block.kind == "paragraph" and line.bold_only()
        if bold and current is not None and (current["labelled"] or bold_titles
                                             and not current["units"]):
            current["labelled"] = True  # "**The short version**" under "**Describe a ...**"
            return None
        # in the answer to a question that asks for a few things (or over paragraphs, for a
        # story), a title that names no question of its own is a part of it: "Communication"
        # under "Strengths", "My analysis" under "Describe a time..."
        part = current is not None and (_in_question(text, current["prompt"]) or not (
            _names_a_question(text, topic_words=False)) and bool(
                LIST_ASKED.search(current["prompt"])))
        if block.kind == "paragraph" and block.number in places.titled and not part and (
                current is None or current["flat"] and (_names_a_question(text, topic_words=False)
                                                        or not STORY_ASKED.search(
                                                            current["prompt"]))):
            return _title(text)  # "A mistake you made" over its paragraph, as the others
        if bold and block.number in places.bold and not part and not (
                current is not None and current["heading"]):
            return _title(text)  # "**Handling pressure**" beside "**Why Jobber?**" (not a
            # line in bold under a question's heading)
        if not _plain_title(text, colon=block.hanging):
            return None
        if block.kind == "paragraph" and block.hanging and not part and (
                hanging_titles or current is None and _names_a_topic(text)):
            return _title(text)
        if block.kind == "item" and block.opens and (
                outline == (block.group, block.depth)
                or current is None and (block.group, block.depth) in places.outlines) and (
                block.number in places.nested or block.number in places.between):
            return _title(text)
        return None

    def asking_back() -> bool:
        """The current question asks for the person's own questions ("Do you have questions
        for us?"): the questions listed under it, or in a table, are its answer."""
        return current is not None and bool(
            re.search(ASKS_FOR_QUESTIONS, current["prompt"], re.IGNORECASE))

    for block in blocks:
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
                               block.lines[0].number, section_level or 7)
            continue
        if block.kind == "heading":
            heading = block.text
            asked = question_text(heading, loose=loose)
            if not asked and block.level == (current["level"] if current else asked_level):
                # "## What motivates you", "## Weaknesses" after "## Why do you want this job?"
                asked = heading if asks_plainly(heading) else topic_title(heading, heading=True)
                if asked == ASKED_FOR_QUESTIONS and current is not None and \
                        not current["heading"]:
                    asked = None  # "Questions for them" beside questions asked on lines: a part
            if not asked and block.number in places.titled and _plain_title(
                    heading, colon=True) and not _their_questions(heading, bare=True):
                asked = _title(heading)  # "### Mentoring" beside "### Why Raisin"
            if not asked and block.level == 7 and current is not None and not (
                    current["heading"] and current["level"] == 7):
                # "<summary>Show answer</summary>" inside an answer to a question written
                # otherwise: a part of it
                current["label"] = "" if ANSWER_PART.fullmatch(_title(heading)) or re.fullmatch(
                    r"(?:show|see|full)\s+(?:answer|more|details)", _title(heading),
                    re.IGNORECASE) else _title(heading)
                continue
            if their is not None and their["heading"] and block.level > their["level"] and \
                    not asked:
                continue  # "### Team" under "## Questions to ask them"
            # "## Questions to ask": what is under it, to the next heading, is theirs to ask
            their = {"heading": True, "level": block.level} if not asked and not asking_back() \
                and _their_questions(heading, bare=bool(found or current)) else None
            if asked:
                close()
                current = _new(asked, heading, block.lines[0].number, block.level)
                current["heading"] = True
                section_level = asked_level = block.level
                continue
            words = _plain_words(heading)
            if block.level == asked_level or len(words) <= 4 and NOTES_SECTION & set(words):
                asked_level = 0  # "## About the school" beside the questions, "# Company
                # research" above them: the questions are over
            if current is not None and (block.level <= current["level"] or (
                    _notes_part(heading) or NOTES_TODO.fullmatch(_title(heading)))
                    and not asking_back()):
                close()  # "### Questions for the panel" under the last answer ends it too
                current = None
            section_level = block.level
            if current is not None:
                current["label"] = heading.rstrip(":")
            continue
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
            head, tail = (_arrow_answer(line.text, dashed=dashed is not False) if loose and (
                not block.fenced) and (current is None or current["arrow"] and not asking_back())
                else (None, ""))
            asked = None if block.fenced else head or _asked_by(
                line, block, mock=mock, cards=cards, loose=loose and (
                    not answer_list or block.kind != "item" and asks_plainly(line.text)))
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
            if (asked and current is not None and not current["units"] and not pending
                    and current["last"] == (block.number, line.number - 1)
                    and not current["prompt"].endswith("?") and not Q_LABEL.match(line.text)
                    and not tail and not current["arrow"]):
                current["prompt"] += " " + asked  # the question goes on: "... What did you do?"
                current["last"] = (block.number, line.number)
                continue
            if asked:
                _flush(current, pending, block)
                close()
                current = _new(asked, line.text, line.number, section_level or 7, ordinal,
                               block.depth)
                current["last"] = (block.number, line.number)  # a line of a paragraph
                current["bold"] = line.bold_only()
                current["arrow"] = head is not None
                if dashed is None:  # the first question: written with a dash, or not
                    dashed = head is not None and not ARROW.search(line.text)
                current["colon"] = asked == colon
                current["flat"] = block.kind == "paragraph" and bool(places.flat) \
                    and not asked.endswith("?")  # "Introduce yourself" over its paragraph
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
                    block.kind == "paragraph" or line.bold_only())
                    and _notes_part(line.text) and not asking_back()
                    or notes_laid_out(line, block)):
                _flush(current, pending, block)
                close()  # "- **Questions for them**" after "- **Why us?**"
                current = None
                continue
            if line.bold_only():
                _flush(current, pending, block)
                title = line.text.strip(":*_ ").strip()
                current["label"] = "" if ANSWER_TITLE.fullmatch(title) else title
                continue
            if line.leading_label()[0]:
                _flush(current, pending, block)  # "**Istio:** traffic management" says Istio
            pending.append((line.number, BACK.sub("", line.text) if cards else line.text,
                            line.ends_claim))
        _flush(current, pending, block)
    close()
    return found


@dataclass
class _Places:
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

    @classmethod
    def of(cls, blocks: list[_Block]) -> _Places:
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
                if _names_a_question(block.lines[0].text if block.lines else ""):
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
        in_bold: dict[tuple[bool, bool], list[tuple[int, bool]]] = {}  # by a closing colon, and
        # whether it is a paragraph of its own ("**Why us?**" over a blank line) or not
        labels = False  # a line in bold that titles no question ("**The short version**")
        part = False  # under a heading of a part of the notes ("## Company research")
        for block in blocks:
            if block.kind == "heading":
                part = _notes_part(block.text) or bool(ABOUT_THEM.fullmatch(_title(block.text)))
            written = block.lines[0].text if block.lines else ""
            text = _title(written)
            if block.kind == "paragraph" and block.lines and block.lines[0].bold_only() and not (
                    part or Q_LABEL.match(text) or NUMBERED.match(text)) and (
                    _plain_title(text, colon=True) or question_text(text)):
                in_bold.setdefault((written.rstrip("*_ ").endswith(":"), len(block.lines) == 1),
                                   []).append((block.number, bool(question_text(text))
                                               or _names_a_question(text, topic_words=False)))
            elif block.kind == "paragraph" and block.lines and block.lines[0].bold_only() and (
                    ANSWER_PART.fullmatch(text) or _plain_words(text)[:1] and _plain_words(
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
            names = bool(question_text(text) or asks_plainly(text) or _names_a_topic(text)
                         and topic_title(text) != ASKED_FOR_QUESTIONS)
            if block.number not in sections and not any(under for _, _, under in parents) and not (
                    _notes_part(text) or _their_questions(text, bare=True)):
                siblings.setdefault((parents[-1][1] if parents else -1, block.level), []).append(
                    (block.number, names))
            parents.append((block.level, block.number, names or _notes_part(text) or bool(
                NOTES_TITLE.fullmatch(_title(text))) or bool(ABOUT_THEM.fullmatch(_title(text)))))
        titled = set()
        for said in siblings.values():
            titled |= _alike(said, 2, from_first=True)
        # paragraphs opening with a title on its own line (not indented under it), three of
        # them at least and half or more naming common questions: "Introduce yourself", then
        # "Month-end close process", "A mistake you made", "Working with non-finance people"
        flat = _alike([(block.number, _names_a_question(block.lines[0].text, topic_words=False))
                       for block in blocks if block.kind == "paragraph" and not block.hanging
                       and len(block.lines) > 1 and _plain_title(block.lines[0].text, colon=True)
                       and not block.lines[0].bold_only()
                       and not FIRST_PERSON & set(_plain_words(block.lines[0].text)[:1])
                       and _first_word(block.lines[1].text) not in GOES_ON], 3, from_first=True)
        # (not "my deputy does it now" over "and I check it on fridays": a sentence goes on)
        return cls(nested, answered, between,
                   {place for place, count in named.items() if count >= 2}, titled | flat, bold,
                   flat)


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


def _names_a_question(text: str, topic_words: bool = True) -> bool:
    """A title as written in quick notes that asks, or names a common question in any case:
    "why trader joe's", "dealing with an underperformer", "pay", "A mistake you made"; with
    `topic_words`, a one-word topic too ("Mentoring", TOPIC_WORD), which in bold or over a
    paragraph is as often a part of an answer ("**Leadership**" under "What are your
    strengths?")."""
    title = _title(text).title()
    return asks_plainly(title) or bool(topic_title(title, heading=True)) or topic_words and (
        _names_a_topic(title))


def _in_question(title: str, prompt: str) -> bool:
    """The title names a part of what the question asks: "Strengths" or "Weakness" under
    "What are your strengths and weaknesses"."""
    def singular(word: str) -> str:
        return word[:-2] if word.endswith("sses") else word[:-1] if (
            word.endswith("s") and not word.endswith("ss")) else word

    return {singular(w) for w in _plain_words(title)} <= {
        singular(w) for w in _plain_words(prompt)}


def _under(block: _Block, item: _Block) -> bool:
    """The block is nested under the list item (deeper in the same list)."""
    return block.kind == "item" and block.group == item.group and block.depth > item.depth


def _nested_under(blocks: list[_Block], at: int) -> list[_Block]:
    """The blocks nested under the list item blocks[at]."""
    end = next((i for i in range(at + 1, len(blocks)) if not _under(blocks[i], blocks[at])),
               len(blocks))
    return blocks[at + 1:end]


def _plain_title(text: str, *, colon: bool = False) -> bool:
    """A line that reads as a title naming a question: short, no sentence, not one that opens
    with "I" or "we", no reminder ("Keep it under 2 minutes"), no part of the notes, of a story
    or of an answer ("Managing an underperformer", "Tools I've used", with `colon` also
    "Weakness:"; not "Key stats to mention", "Situation", "I led the team", "Lessons
    learned:")."""
    title = _title(text)
    words = _plain_words(title)
    return (1 <= len(words) <= MAX_TITLE_WORDS and not text.rstrip("*_ ").endswith(
                (".", "!") if colon else (":", ".", "!"))
            and not SENTENCE_END.search(title) and words[0] not in ("i", "we")
            and not _names_a_section(words) and words[0] not in STORY_PARTS
            and words[0] not in REMINDER_VERBS and words[:2] != ["don", "t"]  # a reminder
            and not (words[0] in QUESTION_WORDS and words[1:2] in (["i"], ["we"]))  # "How I
            # turned it around": a part of an answer
            and not _notes_part(text) and not NOTES_TITLE.fullmatch(title)
            and not ANSWER_PART.fullmatch(title) and not ABOUT_THEM.fullmatch(title))


def _names_a_section(words: list[str]) -> bool:
    """A title that names a section of the notes: "Logistics and reminders", "Questions for
    them", not "Favourite research method"."""
    return bool(words) and words[0] in NOTES_SECTION


def _after_intent(lines: list[_Line]) -> list[_Line]:
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
            rest = [_Line(line.number, [("text", text[cut:])], line.ends_claim)
                    ] if text[cut:].strip() else []
            return rest + lines[at + 1:]
    return []


def _their_questions_title(block: _Block, current: dict[str, Any] | None, found: bool) -> bool:
    """A paragraph, or a list item beside the questions (not numbered among them), that titles
    the person's own questions ("Questions to ask:", "- [ ] Questions to ask them"; "💬 My
    questions:" or "Questions I want to ask" after a rule or in bold, once questions were
    asked): the list under it is theirs to ask."""
    first = block.lines[0] if block.lines else None
    return (first is not None and block.ordinal is None
            and (block.kind == "paragraph" or first.bold_only() or block.kind == "item"
                 and (current is None or block.depth <= current["depth"]))
            and _their_questions(first.text, bare=(found or current is not None)
                                 and (block.after_rule or first.bold_only())))


def _their_questions(text: str, *, bare: bool) -> bool:
    """A title of the person's own questions (THEIR_QUESTIONS); a bare "My questions" when
    `bare` (a heading, or a title after a rule, once questions were asked)."""
    title = re.sub(r"[^\w)]+$", "", re.sub(r"\s*\([^()]*\)$", "", _title(plain_quotes(text))))
    named = THEIR_QUESTIONS.fullmatch(title.rstrip(":"))
    return named is not None and (bare or not named.group("bare"))


def _notes_part(text: str) -> bool:
    """A title, alone on its line, of a part of the notes that answers no question: "Logistics",
    "Research on the company", "Questions to ask", "Things to ask them" (not "Research showed
    churn fell", "Schedule: 4 on 4 off", "### Research" of a project)."""
    return bool(NOTES_PART.fullmatch(_title(text)))


def _title(text: str) -> str:
    """A title as it reads: markup, a symbol bullet and a closing colon left out."""
    return SYMBOL_BULLET.sub("", " ".join(text.split())).strip("*_ ").rstrip(":").strip()


def _sibling_title(line: _Line, block: _Block, current: dict[str, Any]) -> bool:
    """A title beside the current question that asks nothing ends its answer, as a heading at
    its level does: a list item in bold at the question's own depth, in notes whose questions
    are such items; a line in capitals after a question in capitals ("REVIEW BEFORE TUES")."""
    text = line.text
    if block.kind == "item" and block.depth == current["depth"] and line.bold_only():
        return _names_a_section(_plain_words(text))  # not "**Situation**", a label
    written = current["written"]
    words = _plain_words(text)
    return (text.isupper() and written.isupper() and len(words) <= MAX_TITLE_WORDS
            and "," not in text and any(len(w) >= 4 for w in words)  # not "RN, BSN, CCRN"
            and not SENTENCE_END.search(text) and block.kind == "paragraph")


def _new(prompt: str, written: str, line: int, level: int,
         ordinal: int | None = None, depth: int = 0) -> dict[str, Any]:
    prompt = SYMBOL_BULLET.sub("", prompt)  # "## 🎯 Tell me about yourself"
    return {"prompt": prompt, "written": written, "line": line, "last": None, "level": level,
            "ordinal": ordinal, "depth": depth, "label": "", "units": [],
            "placeholders": [], "story": bool(STORY_NOTE.search(written)), "bold": False,
            "arrow": False, "colon": False, "heading": False, "labelled": False, "flat": False}


def _asks(sentence: str) -> bool:
    """An interviewer's sentence asks: "What made you apply?", "So, tell me about yourself.",
    "Okay, walk me through a busy Friday." """
    words = _plain_words(LEAD_IN.sub("", sentence))
    return sentence.rstrip().endswith("?") or bool(words) and (
        words[0] in ASKING_VERBS or asks_plainly(" ".join(words)))


def _asked_by(line: _Line, block: _Block, *, loose: bool, mock: bool = False,
              cards: bool = False) -> str | None:
    """The question a line asks, or None; "" when the interviewer of a mock interview written
    down says something else ("Interviewer: Thanks for coming in."): no answer goes on."""
    text = line.text
    if cards and FRONT.match(text):  # a flashcard's front, whatever it says
        return question_text(FRONT.sub("", text)) or FRONT.sub("", text).strip() or None
    if mock and INTERVIEWER.match(text):
        said = INTERVIEWER.sub("", text, count=1)
        return said if any(_asks(sentence) for sentence in SENTENCE_END.split(said)) else ""
    if Q_LABEL.match(text) and not A_LABEL.match(text):
        return question_text(text)
    if line.bold_only():
        return question_text(text)
    if not loose:
        return None
    behaviour = BEHAVIOUR.match(text) if line is block.lines[0] else None
    if behaviour:  # "Behaviour: Working Together", its example under it
        return behaviour.group("name")
    if QUESTION_LEAD.match(text):  # "They might ask: Why us?", opening a part of a script
        return question_text(text, loose=True) if line is block.lines[0] else None
    if text.rstrip().endswith("?") and (block.kind == "item" or _asks_on_own_line(line, block)):
        return question_text(text, loose=True)
    # Notes that never write "?": "1) Tell me about yourself." or "Why do you want this job" on
    # the first line of a list item or paragraph, the answer on the lines after it.
    if (line is block.lines[0] and block.kind in ("paragraph", "item")
            and not SENTENCE_END.search(text) and asks_plainly(text)):
        return question_text(text, loose=True)
    return None


def _arrow_answer(text: str, *, dashed: bool = True) -> tuple[str | None, str]:
    """("Why us", "use the product daily") for a line that asks and points to its answer: "Why
    us -> use the product daily", "Tell me about yourself → 6 yrs in support", "Why us? — I use
    the product daily" (after a "?" the answer may be empty: "Why us? —"); (None, "") for any
    other ("What matters most -> MaxDiff" asks nothing). Without `dashed`, arrows alone."""
    arrow = ARROW.search(text)
    if arrow is None:
        dash = DASH_ANSWER.search(text) if dashed else None
        head = text[:dash.start()].strip() if dash else ""
        tail = text[dash.end():].strip() if dash else ""
        asked = question_text(head, loose=True) if dash and not tail.endswith("?") and (
            not SENTENCE_END.search(head)) and (_asks_you(head) or "—" in dash.group() and (
                tail[:1].isupper() or tail[:1].isdigit()) and (asks_plainly(head) or _plain_words(
                    head)[:3] == ["give", "an", "example"])) else None
        if asked and NOTE_AFTER_DASH.match(plain_quotes(tail)):
            tail = ""  # "— keep it under 2 min": no line of the answer ("— Keep one list",
            # "— keep patients safe" are)
        return (asked, tail) if asked else (None, "")  # not "Result? — 104%", "Tell me about
        # a time you failed — and what you learned", "She wanted... Why did you? — ..."
    head, tail = text[:arrow.start()].strip(), text[arrow.end():].strip()
    named = topic_title(head)
    if not tail or not (asks_plainly(head.rstrip("?")) or named or head.endswith("?") and len(
            _plain_words(head)) <= MAX_QUESTION_WORDS and not SENTENCE_END.search(head)):
        return None, ""  # not "Result -> zero duplicates"; "Present yourself? -> My name is"
    return question_text(head, loose=True) or named or head, tail


def _asks_you(text: str) -> bool:
    """A question asked of the person: "How do you ...?", "Why recruitment?", "Why Acme?", a
    common question's title; not "Why did my last team fail?" or "Result?" in a story."""
    words = _plain_words(text)
    return text.endswith("?") and bool(words) and (
        bool(CANDIDATE_WORDS & set(words)) or asks_plainly(text.rstrip("?"))
        or topic_title(text.rstrip("?")) is not None
        or words[0] == "why" and 2 <= len(words) <= 3 and not FIRST_PERSON & set(words)
        and words[1:2] != ["not"] and not AUXILIARIES & set(words))  # not "Why did it fail?"


def _asks_on_own_line(line: _Line, block: _Block) -> bool:
    """A line of a paragraph that ends with "?" is a question on a line of its own: a paragraph
    of one line; or, in notes typed on a phone with no blank line between question and answer,
    a line that asks the person (an interview verb, or "you") after a line that could end a
    sentence. Short, one sentence, opening with a question word."""
    words = _plain_words(line.text)
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
    return asks_you and (at == 0 or _last_word(block.lines[at - 1].text) not in UNFINISHED)


def _abbreviation(word: str) -> bool:
    """A word a full stop after it does not end a sentence with: "e.g", "vs", "a.m", "M.S"."""
    return word.lower() in ABBREVIATIONS or bool(re.search(r"(?:^|\.)\w$", word))


def _lower_sentences(text: str) -> list[str]:
    """A run of sentences typed without capitals, cut at each full stop before a small letter
    that does not end an abbreviation ("e.g. the", "vs. last")."""
    out, start = [], 0
    for end in LOWER_SENTENCE_END.finditer(text):
        before = text[:end.start() - 1].rsplit(None, 1)[-1].strip("(")
        if not _abbreviation(before) and not (before[:1].isupper() and len(before) <= 4):  # "Fri.",
            # "Inc.": not "Saturday."
            out.append(text[start:end.start()])
            start = end.end()
    return [*out, text[start:]]


def _flush(current: dict[str, Any] | None, pending: list[tuple[int, str, bool]],
           block: _Block) -> None:
    """The pending lines of a paragraph (or list item) as units: one per sentence of a
    paragraph, one per list item; each keeps the line it starts on."""
    if current is None or not pending:
        pending.clear()
        return
    text, starts = "", []
    for number, line, ends_claim in pending:
        line = A_LABEL.sub("", line, count=1) if not text else ANSWERER.sub("", line, count=1)
        line = SYMBOL_BULLET.sub("", re.sub(r"^\[[ xX]\]\s*", "", line))
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
        if not re.search(r"\w", piece) or UNWRITTEN.match(piece):
            continue
        number = max(n for at, n in starts if at <= max(start, 0))
        current["units"].append(Unit(" ".join(piece.split()), number, current["label"],
                                     block.number, item,
                                     block.depth if block.kind == "item" else 0))
