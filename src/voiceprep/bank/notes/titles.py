"""What a line says on its own: a question asked, a common question named by a title, a part
of the notes, the person's own questions."""

from __future__ import annotations

import re

from voiceprep.bank.notes.words import (
    ABOUT_THEM,
    ANSWER_PART,
    ARROW,
    ASKED_FOR_QUESTIONS,
    ASKING_VERBS,
    CANDIDATE_WORDS,
    FIRST_PERSON,
    LETTERED_QUESTION,
    MAX_QUESTION_WORDS,
    MAX_TITLE_WORDS,
    NOTES_SECTION,
    NOTES_TITLE,
    NUMBERED,
    ORG_KEYWORD,
    PAY_WORDS,
    Q_LABEL,
    QUESTION_LEAD,
    QUESTION_WORDS,
    QUOTES,
    SECTION_NUMBER,
    SENTENCE_END,
    STAR,
    STORY_NOTE,
    STORY_PARTS,
    SYMBOL_BULLET,
    plain_words,
    title_of,
)
from voiceprep.normalize import STOPWORDS, plain_quotes

LEAD_IN = re.compile(r"^(?:(?:so|ok|okay|great|right|alright|now|well|and|then|good|sure"
                     r"|thanks|thank you)\b[,.!]?\s*)+", re.IGNORECASE)
NOTE_AFTER = re.compile(rf"(?<=\?)\s*\([^()]+\)$|\s*\((?:(?:use\s+(?:the\s+)?)?{STAR}|\d+\s*"
                        r"(?:min|mins|minutes|s|sec|seconds)|behaviou?ral|technical|situational)\)$",
                        re.IGNORECASE)
AUXILIARIES = frozenset("did do does is was were are would could should can will has have had"
                        .split())
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
    rf"|(?:{PAY_WORDS})(?:\s+expectations?)?|(?:expected|desired)\s+salary"
    r"|(?:where\s+in|where|in)\s+(?:5|five)\s+years(?:\s+time)?|(?:5|five)[\s-]+years?\s+(?:plan|from\s+now)"
    r"|reason\s+for\s+leaving|why\s+(?:are\s+you\s+)?leaving(?:\s+(?:your\s+)?[\w'’&.-]+){0,2}"
    r"|(?:a\s+)?(?:time|mistake|failure|challenge|conflict)\s+(?:when\s+|where\s+)?you"
    r"(?!\s+(?:should|could|must|need|can|might)\b)\s+[\w' -]+"  # not "Project you should
    # mention", a note
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
    r"|(?:an?|one|some|something|someone|the)\s+[\w' -]*\byou(?:'re|'d|'ve|’re|’d|’ve)?\b[\w' -]*"
    # a technical interview's tasks: "Design a URL shortener", "Difference between a process
    # and a thread"
    r"|(?:design|implement|explain)\s+(?:an?|how|what|why|when)\s+[\w' ,&/.-]{3,80}"
    r"|(?:the\s+)?differences?\s+between\s+(?:an?|the)\s+[\w'-]+(?:\s+[\w'-]+)?\s+and\s+"
    r"(?:an?|the)\s+[\w'-]+(?:\s+[\w'-]+)?",
    re.IGNORECASE)
ADVICE_VERBS = frozenset("use mention say remember tell bring add link keep see".split())
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
# "Why recruitment? — I've spent four years...": after a question, a dash starts its answer (an
# en dash or a hyphen only right after its "?")
DASH_ANSWER = re.compile(r"\s+(?:—|--|::)(?:\s+|$)|(?<=\?)\s*[–-](?:\s+|$)|(?<=\?)—")
# "Why audit?: Because ...", "Tell me about yourself: Final year BCom ..."
COLON_ANSWER = re.compile(r"(?P<after_question>(?<=\?):(?:\s+|$))|(?<=\w):\s+(?=[A-Z0-9])")
COLON_ANSWER_WORDS = 4  # after a colon without "?", an answer, not "2 minute version", "STAR"
# "Why Acme", "WHY HALDEN": why a place named
WHY_NAME = re.compile(r"(?:Why|WHY)\s+[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,2}")
# The title of the person's own questions: asked as "What questions do you have for us?"
OWN_QUESTIONS = re.compile(r"(?:any\s+|my\s+)?questions?\s+(?:for|to\s+ask)\s+(?:them|us|the"
                           r"\s+(?:panel|interviewers?|hiring\s+manager|team))", re.IGNORECASE)
NOTES_PART = re.compile(
    r"(?:logistics|(?:prep(?:aration)?|interview)\s+checklist"
    r"|research\s+on\s+(?:the\s+)?[\w'-]+|(?:company|background)\s+research"
    r"|(?:my\s+)?questions?\s+(?:to\s+ask|for\s+(?:them|the\s+\w+(?:\s+\w+)?|[A-Z]\w+))"
    r"|things\s+to\s+ask(?:\s+them)?|notes\s+to\s+(?:self|myself)"
    r"|(?:stuff|things|points)\s+to\s+(?:find\s+out|check|look\s+(?:up|into)|research)"
    r"(?:\s+(?:first|before(?:\s+\w+)?))?)(?:\s*\([^()]*\))?",
    re.IGNORECASE)
# The title of a part listing the person's own questions: the questions under it are theirs to
# ask, not the interview's ("Questions to ask the interviewer", "Things I want to ask", "Qs to
# ask", "Reverse questions"; a bare "My questions" only at a heading or after a rule, once
# questions were asked: `_their_questions_title`).
NAME = r"(?-i:[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?)"  # "Sam", "Mr Goh", "Dr MacLeod"
THEIR_QUESTIONS = re.compile(
    r"(?:my\s+|some\s+|good\s+)?(?:qu?esti?ons?|q[’']?s|qns)\s+to\s+ask(?:\s+(?:them|her|him|the\s+(?:interviewers?"
    rf"|panel|hiring\s+manager|recruiter)|at\s+the\s+end|{NAME}))?"
    r"|questions?\s+I(?:'ll|'d|\s+will|\s+want\s+to|\s+would(?:\s+like\s+to)?)\s+ask\s+(?:them|her"
    r"|him|the\s+(?:interviewers?|panel|hiring\s+manager|recruiter)|at\s+the\s+end)"
    r"|(?:my\s+)?(?:qu?esti?ons?|q[’']?s|qns)\s+(?:for|4)\s+(?:them|her|him|the\s+(?:interviewers?|panel"
    rf"|hiring\s+manager|recruiter)|{NAME})|(?:things|stuff)\s+(?:I\s+want\s+)?to\s+ask(?:\s+(?:them"
    r"|(?!myself\b|yourself\b)\w+))?|to\s+ask(?:\s+them)?|ask\s+(?:them|the\s+panel)"
    r"|reverse\s+questions|(?P<bare>my\s+questions|questions?\s+I(?:\s+want\s+to|'d\s+like\s+to"
    r"|\s+would\s+like\s+to)\s+ask)"
    # in German and Dutch: "Meine Fragen an sie", "Rückfragen", "Wat vraag ik hen?", "Mijn
    # vragen aan de commissie"
    r"|meine\s+(?:rück)?fragen(?:\s+an\s+(?:sie|die\s+\w+|das\s+team|den\s+\w+))?|rückfragen"
    r"|(?:rück)?fragen\s+an\s+(?:sie|die\s+firma|das\s+team|den\s+arbeitgeber)"
    r"|(?:mijn\s+)?vragen\s+(?:aan|voor)\s+(?:hen|hun|de\s+(?:commissie|werkgever|interviewers?))"
    r"|mijn\s+vragen|wat\s+vraag\s+ik\s+(?:hen|hun)"
    # in Italian, Spanish and French: "domande per loro", "preguntas para ellos", "questions à
    # leur poser"
    r"|(?:le\s+mie\s+)?domande\s+(?:per|da\s+fare\s+a)\s+(?:loro|lui|lei|\w+)"
    r"|(?:mis\s+)?preguntas\s+para\s+(?:ellos|ellas|el\s+entrevistador|la\s+empresa)"
    r"|(?:mes\s+)?questions\s+à\s+(?:leur\s+)?poser",
    re.IGNORECASE)


def question_text(text: str, *, loose: bool = False) -> str | None:
    """The question this heading or line asks, without its number or Q label; None when it
    is not one. `loose`: any line ending with "?" (notes with no other kind of question)."""
    t = " ".join(text.split()).strip("*_ ").strip()
    led = QUESTION_LEAD.match(t)
    if led:  # 'They might ask: "Why ...?"': the question is what follows, quoted or not
        t = NOTE_AFTER.sub("", t[led.end():]).strip()
        quoted = len(t) > 1 and t[0] in QUOTES and t[-1] in QUOTES and not any(
            c in QUOTES for c in t[1:-1])
        t = t[1:-1] if quoted else t
        if not quoted and (t[:1] in QUOTES or not t.endswith("?") and (
                "," in t or not t[:1].isupper() or not sentence_asks(t))):
            return None  # 'If they ask "Why?", mention ...'; "... ask Tell me X, start with"
        if not quoted and not t.endswith(("?", ":")):
            return t  # "They might ask: So tell me a bit about yourself"
    if t.endswith("?"):
        t = ORG_KEYWORD.sub("", t, count=1)
    labelled = bool(Q_LABEL.match(t))
    t = Q_LABEL.sub("", t, count=1)
    if re.fullmatch(r"\([^()]*\)|\[[^\[\]]*\]", t.strip()):
        return None  # "Question 7: (add more if needed)", a form's note
    numbered = bool(NUMBERED.match(t) or LETTERED_QUESTION.match(t))
    t = LETTERED_QUESTION.sub("", t, count=1)
    t = NUMBERED.sub("", SECTION_NUMBER.sub("", t, count=1), count=1).strip("*_ ").strip()
    while (noted := NOTE_AFTER.sub("", t).strip()) not in ("", t):
        t = noted  # "... you caused (STAR) (2 min)": notes to oneself
    if not t or t.endswith(":") and not labelled:
        return None
    words = plain_words(t)
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
        words = plain_words(named)
        if (1 <= len(words) <= 6 and ":" not in named and not FIRST_PERSON & set(words)
                and words[0] not in ADVICE_VERBS and not names_a_section(words)
                and words[0] != "stories" and words[:2] != ["story", "bank"]):
            return named
        return None
    words = plain_words(title)
    why_name = WHY_NAME.fullmatch(title) and words[1] not in STOPWORDS  # not "Why It Worked",
    # "Why It's Relevant"
    named_here = (heading and HEADING_TOPIC.fullmatch(title) and len(words) <= 12
                  and not FIRST_PERSON & set(words) and not SENTENCE_END.search(title))
    return title if TOPIC_TITLE.fullmatch(title) or why_name or named_here else None


# One-word titles of common interview topics, and two that name a question (TOPIC_TITLE) too:
# "Mentoring", "Failure", "Disagreement with a PM", "Intro / elevator pitch". Over a paragraph
# in an answer they are its parts ("Leadership" then "I ran the night handover"); among
# headings beside each other they tell headings of questions (`names_a_topic`).
TOPIC_WORD = re.compile(
    r"failures?|conflict|teamwork|leadership|motivation"
    r"|mentoring|achievements?|pressure|delegation|availability"
    r"|notice\s+period|(?:disagreement|disagreeing)\s+with\s+[\w' -]+"
    r"|(?:a\s+)?time\s+(?:when\s+)?you\s+[\w' -]+", re.IGNORECASE)


def names_a_topic(text: str) -> bool:
    """A title that names a common interview question or topic, or one of its parts between
    slashes does ("Intro / elevator pitch")."""
    title = title_of(text)
    return any(topic_title(part) or TOPIC_WORD.fullmatch(part.strip())
               for part in (title, *title.split(" / ")))


def asks_plainly(text: str) -> bool:
    """A line that asks the person something without a "?": "Tell me about yourself", "Introduce
    yourself", "Describe a time you...", "Why do you want this job", "What's your biggest
    weakness", "What motivates you"; not an answer's line that says "you" ("How you communicate
    matters", "When you're new...", "Explain your reasoning", "Do your research")."""
    words = plain_words(text)
    if len(words) < 2 or len(words) > MAX_QUESTION_WORDS:
        return False
    if words[:2] == ["introduce", "yourself"]:
        return len(words) <= 3  # not "Introduce yourself and check their ID band"
    if words[0] in ASKING_VERBS:
        return words[1] in ("me", "us") or words[1:3] in (["a", "time"], ["a", "situation"])
    if words[0] in ("whats", "hows", "whos") and words[1] == "your":
        return True  # "whats your biggest weakness", typed without the apostrophe
    return (words[0] in QUESTION_WORDS and words[1] not in CANDIDATE_WORDS
            and (any(w in CANDIDATE_WORDS for w in words[1:4])
                 or words[1:3] == ["should", "we"] and "you" in words))  # "... we hire you"


def names_a_question(text: str, topic_words: bool = True) -> bool:
    """A title as written in quick notes that asks, or names a common question in any case:
    "why trader joe's", "dealing with an underperformer", "pay", "A mistake you made"; with
    `topic_words`, a one-word topic too ("Mentoring", TOPIC_WORD), which in bold or over a
    paragraph is as often a part of an answer ("**Leadership**" under "What are your
    strengths?")."""
    title = title_of(text).rstrip("?").title()  # "Why leaving Lewisham?" as a title
    return asks_plainly(title) or bool(topic_title(title, heading=True)) or topic_words and (
        names_a_topic(title))


def in_question(title: str, prompt: str) -> bool:
    """The title names a part of what the question asks: "Strengths" or "Weakness" under
    "What are your strengths and weaknesses"."""
    def singular(word: str) -> str:
        return word[:-2] if word.endswith("sses") else word[:-1] if (
            word.endswith("s") and not word.endswith("ss")) else word

    return {singular(w) for w in plain_words(title)} <= {
        singular(w) for w in plain_words(prompt)}


def plain_title(text: str, *, colon: bool = False) -> bool:
    """A line that reads as a title naming a question: short, no sentence, not one that opens
    with "I" or "we", no reminder ("Keep it under 2 minutes"), no part of the notes, of a story
    or of an answer ("Managing an underperformer", "Tools I've used", with `colon` also
    "Weakness:"; not "Key stats to mention", "Situation", "I led the team", "Lessons
    learned:")."""
    title = title_of(text)
    words = plain_words(title)
    return (1 <= len(words) <= MAX_TITLE_WORDS and not text.rstrip("*_ ").endswith(
                (".", "!") if colon else (":", ".", "!"))
            and not SENTENCE_END.search(title) and words[0] not in ("i", "we")
            and not names_a_section(words) and words[0] not in STORY_PARTS
            and words[0] not in REMINDER_VERBS and words[:2] != ["don", "t"]  # a reminder
            and not (words[0] in QUESTION_WORDS and words[1:2] in (["i"], ["we"]))  # "How I
            # turned it around": a part of an answer
            and not notes_part(text) and not NOTES_TITLE.fullmatch(title)
            and not ANSWER_PART.fullmatch(title) and not ABOUT_THEM.fullmatch(title))


def names_a_section(words: list[str]) -> bool:
    """A title that names a section of the notes: "Logistics and reminders", "Questions for
    them", not "Favourite research method"."""
    return bool(words) and words[0] in NOTES_SECTION


def their_questions(text: str, *, bare: bool) -> bool:
    """A title of the person's own questions (THEIR_QUESTIONS); a bare "My questions" when
    `bare` (a heading, or a title after a rule, once questions were asked)."""
    title = re.sub(r"[^\w)]+$", "", re.sub(r"\s*\([^()]*\)$", "", title_of(plain_quotes(text))))
    named = THEIR_QUESTIONS.fullmatch(title.rstrip(":"))
    return named is not None and (bare or not named.group("bare"))


def notes_part(text: str) -> bool:
    """A title, alone on its line, of a part of the notes that answers no question: "Logistics",
    "Research on the company", "Questions to ask", "Things to ask them" (not "Research showed
    churn fell", "Schedule: 4 on 4 off", "### Research" of a project)."""
    return bool(NOTES_PART.fullmatch(title_of(text)))


def sentence_asks(sentence: str) -> bool:
    """An interviewer's sentence asks: "What made you apply?", "So, tell me about yourself.",
    "Okay, walk me through a busy Friday." """
    words = plain_words(LEAD_IN.sub("", sentence))
    if words[:2] in (["give", "them"], ["tell", "them"]) and not {"example", "time"} & set(words):
        return False  # a coach's advice: "Give them a real one.", "Tell them about the rota."
    return sentence.rstrip().endswith("?") or bool(words) and (
        words[0] in ASKING_VERBS or asks_plainly(" ".join(words)))


def arrow_answer(text: str, *, dashed: bool = True, colon: bool = False
                 ) -> tuple[str | None, str]:
    """("Why us", "use the product daily") for a line that asks and points to its answer: "Why
    us -> use the product daily", "Tell me about yourself → 6 yrs in support", "Why us? — I use
    the product daily" (after a "?" the answer may be empty: "Why us? —"); (None, "") for any
    other ("What matters most -> MaxDiff" asks nothing). Without `dashed`, arrows alone; with
    `dashed`, a colon right after the "?" too ("Why audit?: Because ..."), and with `colon` after
    a question that asks plainly ("Tell me about yourself: Final year BCom at Wits", its answer
    of COLON_ANSWER_WORDS words or more)."""
    arrow = ARROW.search(text)
    if arrow is None:
        dash = DASH_ANSWER.search(text) if dashed else None
        by_colon = dash is None and dashed and (dash := COLON_ANSWER.search(text)) is not None
        if by_colon and dash and not dash.group("after_question") and (
                not colon or len(text[dash.end():].split()) < COLON_ANSWER_WORDS):
            dash = None  # a colon after a question that asks plainly: only with `colon`
        head = text[:dash.start()].strip() if dash else ""
        tail = text[dash.end():].strip() if dash else ""
        asked = question_text(head, loose=True) if dash and not tail.endswith("?") and (
            not SENTENCE_END.search(head)) and (asks_the_person(head) or (
                "—" in dash.group() or by_colon) and (
                tail[:1].isupper() or tail[:1].isdigit()) and (asks_plainly(head) or plain_words(
                    head)[:3] == ["give", "an", "example"])) else None
        if asked and NOTE_AFTER_DASH.match(plain_quotes(tail)):
            tail = ""  # "— keep it under 2 min": no line of the answer ("— Keep one list",
            # "— keep patients safe" are)
        return (asked, tail) if asked else (None, "")  # not "Result? — 104%", "Tell me about
        # a time you failed — and what you learned", "She wanted... Why did you? — ..."
    head, tail = text[:arrow.start()].strip(), text[arrow.end():].strip()
    named = topic_title(head)
    if not tail or not (asks_plainly(head.rstrip("?")) or named or head.endswith("?") and len(
            plain_words(head)) <= MAX_QUESTION_WORDS and not SENTENCE_END.search(head)):
        return None, ""  # not "Result -> zero duplicates"; "Present yourself? -> My name is"
    return question_text(head, loose=True) or named or head, tail


def asks_the_person(text: str) -> bool:
    """A question asked of the person: "How do you ...?", "Why recruitment?", "Why Acme?", a
    common question's title; not "Why did my last team fail?" or "Result?" in a story."""
    words = plain_words(text)
    return text.endswith("?") and bool(words) and (
        bool(CANDIDATE_WORDS & set(words)) or asks_plainly(text.rstrip("?"))
        or topic_title(text.rstrip("?")) is not None
        or words[0] == "why" and 2 <= len(words) <= 3 and not FIRST_PERSON & set(words)
        and words[1:2] != ["not"] and not AUXILIARIES & set(words))  # not "Why did it fail?"
