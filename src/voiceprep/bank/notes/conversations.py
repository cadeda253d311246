"""Conversations written down, as Markdown line for line, the interviewer's turns as
"Interviewer: ..." and the person's as "Me: ..." where one of two asks the questions
(preprocess.as_markdown runs them): a WhatsApp chat (`chat_export`), a call's captions
(`captions`), a speech transcript from Otter.ai and the like (`speech_transcript`), an email
that answers another's questions in line (`email_reply`), and a mock interview written up with
the interviewers by name (`interviewers_named`).
"""

from __future__ import annotations

import re
from collections import Counter

from voiceprep.bank.notes.titles import (
    question_text,
)
from voiceprep.bank.notes.words import (
    NUMBERED,
    Q_LABEL,
    SENTENCE_END,
)
from voiceprep.normalize import is_english_word

# A WhatsApp message's stamp: "11/03/24, 23:15 - Giulia: ", "[11/03/2024, 23:15:02] Giulia: "
CHAT_STAMP = re.compile(r"^\[?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?"
                        r"(?:\s*[AaPp]\.?[Mm]\.?)?\]?\s*(?:[-–]\s*)?(?:(?P<sender>[^:\n]{1,40}):\s?)?")
CHAT_NOTICE = re.compile(r"<Media omitted>|<attached: [^>]*>|This message was deleted\.?"
                         r"|You deleted this message|Messages and calls are end-to-end encrypted.*"
                         r"|image omitted|audio omitted", re.IGNORECASE)


# conflict situation. (We are emotionally aware)"
# The person's turn in a mock interview written down: "Me: ...", "Candidate: ..."
ANSWERER = re.compile(r"^\s*(?:me|candidate)\s*:\s*", re.IGNORECASE | re.MULTILINE)
SPEAKER = re.compile(r"^([A-Z][a-z]+)[ \t]*:[ \t]*(?=\S)", re.MULTILINE)


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


def interviewers_named(text: str) -> str:
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
