"""The words of prep notes: what marks a question, a title, a label, a note to oneself."""

from __future__ import annotations

import re

from voiceprep.normalize import plain_quotes

Q_LABEL = re.compile(r"^(?!q[1-4]\s+(?:fy\s?)?'?\d{2,4}\b)"  # (a quarter: "Q3 FY22", "Q4 2023")
                     r"(?:q(?:uestion)?\s*\d*\s*(?:[:.)]|[-–—](?=\s))"
                     r"|q\d+\b(?!\s*\d)(?!(?!.*\?\W*$)\s+(?:is|was|were|had|has|will)\b"
                     r"|(?!.*\?\W*$)\s+(?-i:[a-z]).*(?:[.!]\W*$|\s(?:was|were|is|are|had|has)\s)))\s*",
                     re.IGNORECASE)  # "Q4 Why us?", "Q3 biggest weakness", "Q2 Have you ...?"; not
# a statement about a quarter: "Q4 last year two accounts were at risk.", "Q4 is peak for us",
# "Q4 pipeline was thin"
ORG_KEYWORD = re.compile(r"^(?:TODO|DONE|NEXT)\s+(?=[A-Z])")  # "* TODO How do you ...?"
SECTION_NUMBER = re.compile(r"^\d+\.\d+\.?\s+(?=[A-Z])")  # "### 1.2 Why ...?", not "1.5 years"
NUMBERED = re.compile(r"^(\d+)\s*[.):]\s+")
LETTERED_QUESTION = re.compile(r"^[A-Z]\)\s+(?=\S)")  # "A) Tell me about yourself", "J) Any ...?"
# What introduces a question the person expects, in notes written as a script: "They might ask:
# Why ...?", "If asked \"How would you ...?\"", "Possible question: ...": what follows asks
# with "?" or is quoted whole (not 'If they ask "Why?", mention the team').
# "Question" in the other languages notes are written in: a table's or a spreadsheet's header
QUESTION_ABROAD = r"fragen?|vraag|vragen|pregunta"
EXPECTED_QUESTIONS = r"(?:possible|likely|probable|expected)\s+questions?"  # a form's label
QUESTION_LEAD = re.compile(r"^(?:(?:at\s+the\s+end,?\s+)?(?:they|he|she|the panel|interviewers?)"
                           r"(?:'ll|\s+(?:might|may|could|will|would|are likely to|tend to))"
                           r"(?:\s+(?:probably|likely|also|definitely))?\s+ask(?:\s+me)?"
                           r"|if\s+(?:they\s+)?ask(?:ed|s)?"
                           r"|(?:at\s+the\s+end,?\s+)?they(?:'ll|\s+will)\s+ask\s+you(?=\s*,)"  # (a
                           # coach: "At the end they will ask you, do you have any ...?")
                           rf"|{EXPECTED_QUESTIONS}"
                           r"|next(?:\s+question)?(?=\s*:))"  # "Next: Why Amazon?"
                           r"(?:\s*[:,]\s*(?=\S)|\s+(?=(?-i:[\"“A-Z])))", re.IGNORECASE)
# Who asked, in a mock interview or an interview written up: "Friend asked: So tell me about
# yourself", "Then they asked:", "Dr Patel asked:" (not "So I asked:", "Then we asked:")
ASKED_LEAD = re.compile(r"^(?!(?:[\w'.]+\s+){0,3}?(?:i|we)\s)(?:[\w'.]+\s+){0,3}?asked(?:\s+me)?"
                        r"\s*:\s*", re.IGNORECASE)
# A note to oneself in brackets after a question is not part of what is asked: any one after
# its question mark ("...? (be specific)"), or a known kind of note ("(STAR)", "(2 min)").
# The person's own mark that a question asks for a story: "(STAR)", "(S.T.A.R.)", "(STAR method)".
STAR = r"S\.?T\.?A\.?R\.?(?: \w+)?"
STORY_NOTE = re.compile(rf"\(\s*(?:use\s+(?:the\s+)?)?{STAR}\s*\)", re.IGNORECASE)  # "(STAR)",
# "(Use STAR)"
MAX_QUESTION_WORDS = 25  # a line without "?" longer than this is an answer's sentence
# A numbered title that does not ask in words ("4. Biggest weakness") is a question only when
# short and said by nobody in particular: an answer's numbered step says "I" or "we".
MAX_TITLE_WORDS = 10
FIRST_PERSON = frozenset("i me my mine we us our".split())
# Words of a section of the notes that is no question ("3. Logistics", "- **Questions for them**")
NOTES_SECTION = frozenset("""logistics tips reminders reminder resources checklist prep
preparation agenda schedule links references research questions todo notes feedback
glassdoor""".split())
SELF = FIRST_PERSON - {"we", "us", "our"}  # the person, to themselves ("do I mention ...?")
# Words an interviewer opens a question with that does not end in "?".
ASKING_VERBS = frozenset("tell describe explain walk give talk share name discuss".split())
QUESTION_WORDS = frozenset("what why how when where who which do did does have has can could "
                           "would will are is should whats hows whos".split())
QUOTES = "\"“”"
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”')\]]*\s+(?=[\"“(]?[A-Z0-9\[])")
CANDIDATE_WORDS = frozenset("you your yourself ur urself".split())  # typed short: "how would
# ur team describe u"
# Words no sentence ends on: a line ending on one was wrapped mid-sentence.
UNFINISHED = frozenset("""a an the and or but nor of to in on at for with from by into onto
about as than that which who whose my our your their his her its i we they he she you is are was
were be been has have had will would can could should this these those very more most such
""".split())
# A line that goes on with one of these ("... from 40 minutes to 6" then "because every
# service...") is one sentence broken over lines, not two claims.
GOES_ON = frozenset("""because that which who whom whose and but or nor so to with for from of in
on at by while when where than as if into onto until unless since""".split())
ABBREVIATIONS = frozenset("""e.g i.e vs etc approx incl ca cf esp min mins hr hrs yr yrs no avg
sr jr dr mr mrs ms st dept est""".split())
# A bullet typed as a symbol, which Markdown does not read as a list: "✅ daily huddles", and
# the "o" of a word processor's second-level bullet pasted as text ("o Team of 9")
SYMBOL_BULLET = re.compile(r"^(?:[•·▪‣◦→➢➤►▸▹▶✓✔✗✘☐☑\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
                           r"\u200d\ufe0f\u20e3]|[0-9#*]\ufe0f?\u20e3|o(?=\s)|[=-]+>(?=\s))+\s*")
# ("👩‍💻", "1️⃣", "=> MY QUESTIONS")
PAY_WORDS = r"salary|pay|compensation"  # "Salary expectations", "**Pay:** currently on M5"
STORY_PARTS = frozenset("situation task action result context challenge outcome impact".split())
# A scenario the interviewer sets: "Scenario: You find a lost child... What do you do?", a
# heading "### Scenario C (from the practice pack)" over its paragraph
SCENARIO = r"(?:scenario|role[- ]?play|hypothetical)(?:\s+\w{1,3})?"
ARROW = re.compile(r"\s(?:→|->|=>|⇒|➔|➜)\s")  # "Why us -> ...": what follows answers
ASKED_FOR_QUESTIONS = "What questions do you have for us?"
# A title of a part of the notes laid out as the questions are, at their place (a title over
# indented lines, a line in bold, an outline's item): "Key stats to mention", "Stuff to look up
# before", "Numbers to know", "To ask", "Site numbers (look up before)", "Travel", "On the day",
# "Their values". Inside an answer such a line ("Key facts:", "Points to mention:") is its own.
_TO_DO = (r"(?:(?:key\s+)?(?:things|stuff|points|numbers|facts|figures|stats|statistics|details"
          r"|names|dates|documents|projects|stories|examples)\s+)?to\s+(?:look\s+up|check|research"
          r"|bring|remember|mention|read|revise|print|do|ask|know|use|drop\s+in)"
          r"(?:\s+(?:before|beforehand|first|on\s+the\s+day))?")
NOTES_TITLE = re.compile(
    _TO_DO + r"|key\s+(?:stats|statistics|facts|figures|numbers)(?:\s+to\s+\w+)?"
    r"|[\w'&/ -]{1,40}\((?:look\s+up|check|research|verify|to\s+check)\b[^()]*\)"
    r"|(?:travel|getting\s+there|on\s+the\s+day|the\s+day|bring|parking|directions|dress\s+code"
    r"|venue|address|documents|location|contacts?|(?:the\s+)?interviewers?|(?:the\s+)?panel"
    r"|who'?s\s+on\s+the\s+panel|their\s+(?:values|numbers|figures|stats|products|mission"
    r"|culture|history)|company\s+(?:stuff|info|facts|notes|background))",
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


def plain_words(text: str) -> list[str]:
    """The words of a line, lower case, split at apostrophes ("what's" -> "what", "s"), a word
    typed short on a phone as written out ("tell me abt urself")."""
    written = plain_quotes(text)
    words = re.findall(r"[a-z]+", written.lower())
    if TYPED_SHORT.keys() & set(words):  # typed in small letters ("u", not "U.S.")
        words = [TYPED_SHORT.get(word, word.lower())
                 for word in re.findall(r"[a-z]+", written, re.IGNORECASE)]
    return words


# Words typed short in notes on a phone: "tell me abt urself", "where do u see urself in 5 yrs"
TYPED_SHORT = {"u": "you", "ur": "your", "urself": "yourself", "abt": "about", "yrself": "yourself"}


def first_word(written: str) -> str:
    """A line's first word as written, after a quote's ">" marks."""
    return (re.sub(r"^[\s>]*", "", written).split() or [""])[0]


def last_word(text: str) -> str:
    """The word a line ends on, as written ("2022" in "... in 2022")."""
    words = text.lower().replace("’", "'").split()
    return words[-1].strip(".,;:!?\"'()[]*_") if words else ""


def title_of(text: str) -> str:
    """A title as it reads: markup, a symbol bullet and a closing colon left out."""
    return SYMBOL_BULLET.sub("", " ".join(text.split())).strip("*_ ").rstrip(":").strip()


def abbreviation(word: str) -> bool:
    """A word a full stop after it does not end a sentence with: "e.g", "vs", "a.m", "M.S"."""
    return word.lower() in ABBREVIATIONS or bool(re.search(r"(?:^|\.)\w$", word))
