"""Prep notes -> a question bank file: `voiceprep questions import NOTES... [-o BANK.toml]`.

Each question of the notes (`notes/`) becomes a bank question: its prompt, its answer as the
reference, the key points drafted from the answer (keypoints.py), a category and a target time
from the kind of question, and its named tools as keywords.

The written file says where each key point came from, in a comment beside it:

    [[questions.key_points]]  # notes.md line 17 · generated 3f2a9c1b

The 8 hex digits are a fingerprint of what the import wrote (text, phrases, required, weight,
follow_up). Importing again into the same file compares each key point with its fingerprint: one
that no longer matches was edited by hand and is kept as the person left it, as is one with no
fingerprint (added by hand); the rest are drafted again from the notes as they are now, so they are
added, updated or dropped with them. The same holds for a question's category, target time and
keywords (the fingerprint beside `[[questions]]`).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from voiceprep.bank.keypoints import (
    DraftPoint,
    SharedVocabulary,
    draft_key_points,
    unique_id,
)
from voiceprep.bank.notes import NoteQuestion, parse_notes
from voiceprep.bank.notes.reader import ASKS_FOR_QUESTIONS
from voiceprep.bank.phrases import known_names, named_terms
from voiceprep.bank.questions import KeyPoint, Question, guess_structure, question_structure
from voiceprep.errors import NotesError
from voiceprep.files import STDIN, InputFileError, decode_text, read_text
from voiceprep.safe_text import safe_text, without_control_characters

WORDS_PER_MINUTE = 150  # a comfortable speaking pace (the middle of the scored pace band)
MAX_KEYWORDS = 15
# Target speaking time by kind of question [min, max] (README: "Target speaking times").
TARGETS: tuple[tuple[str, str, tuple[int, int]], ...] = (
    ("closing", ASKS_FOR_QUESTIONS, (30, 90)),
    ("system-design", r"\bdesign\b(?!.*\b(test|experiment|course|lesson|curriculum|dashboard"
     r"|survey|study|training)s?\b)|\barchitect", (120, 240)),
    ("behavioral", r"\bleav(e|ing)\b|\bleft\b", (45, 90)),
    ("behavioral", r"pressure|deadline|stress", (60, 150)),
    ("behavioral", r"\ba time\b|challenge|conflict|fail|mistake|situation|example of|disagree"
     r"|difficult|proud", (90, 180)),
    ("technical", r"^(explain|how (do|would|did) you|what is (?!your)|what are the"
     r"|walk me through (?!your (resume|cv|background|career)))"
     r"|experience with|\bimplement", (90, 180)),
)
SELF_PRESENTATION = ("behavioral", (60, 120))
ID_SKIPPED = frozenset("a an the do does did you your me i to of in for at on with is are and or "
                       "q".split())
STRETCH = 1.5  # the target grows to hold the answer's length, up to this much


@dataclass(frozen=True)
class ImportedQuestion:
    question: Question
    line: int  # where the question is in the notes
    source: str  # the notes file's name
    point_lines: dict[str, int] = field(default_factory=dict)  # key point id -> line (0: kept)
    placeholders: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()  # key points edited or added by hand, kept from the bank file
    kept_fields: bool = False  # category, target or keywords edited by hand, kept
    superseded: tuple[str, ...] = ()  # drafted points left out for a kept one that says them


@dataclass(frozen=True)
class ImportResult:
    title: str
    questions: tuple[ImportedQuestion, ...]
    empty: tuple[str, ...] = ()  # questions with no answer in the notes (left out)
    no_points: tuple[str, ...] = ()  # questions whose answer gave no key point (left out)
    unfilled: tuple[tuple[str, tuple[str, ...]], ...] = ()  # of those, (question, placeholders)
    # where the answer is a placeholder still to fill in ("[add weakness here]")
    dropped: tuple[str, ...] = ()  # questions of the previous file no longer in the notes
    stayed: tuple[str, ...] = ()  # such questions kept, a key point of theirs edited by hand

    @property
    def placeholders(self) -> dict[str, tuple[str, ...]]:
        """Question id -> the placeholders left to fill in its answer."""
        return {q.question.id: q.placeholders for q in self.questions if q.placeholders}

    def to_toml(self) -> str:
        return render_bank(self)


def read_notes(paths: Sequence[str], stdin_data: bytes | None = None) -> list[tuple[str, str]]:
    """(name, text) for each notes file; '-' is standard input (`stdin_data`, its bytes)."""
    out = []
    for name in paths:
        try:
            if name == "-":
                out.append(("stdin", decode_text(stdin_data or b"", STDIN)))
            else:  # (a pipe or a device would hang the import: refused)
                out.append((Path(name).name, read_text(Path(name))))
        except InputFileError as e:
            problem = "no such file" if e.problem == "cannot read: no such file" else e.problem
            raise NotesError(f"{name if name != '-' else STDIN}: {problem}") from None
    return out


def import_notes(notes: Sequence[tuple[str, str]], previous: Path | None = None
                 ) -> ImportResult:
    """The bank drafted from the notes ((name, text) pairs); with `previous` (the bank file it
    will replace), its hand-edited key points and fields are kept."""
    # A stray control character is nobody's answer, nor valid TOML, nor safe on a terminal.
    notes = [(safe_text(name, one_line=True), without_control_characters(text))
             for name, text in notes]
    found: list[NoteQuestion] = []
    for name, text in notes:
        found += parse_notes(text, name)
    answered = [q for q in found if q.units]
    empty = tuple(q.prompt for q in found if not q.units)
    if not answered:
        raise NotesError(f"{len(found)} question(s) found, none with an answer to import")
    references = [q.reference for q in answered]
    names = known_names(references)
    imported: list[ImportedQuestion] = []
    no_points: list[str] = []
    unfilled: list[tuple[str, tuple[str, ...]]] = []
    ids: set[str] = set()
    shared = SharedVocabulary(references)
    for i, note in enumerate(answered):
        drafted = draft_key_points(note.prompt, note.units, shared, i, names)
        if not drafted:
            (unfilled.append((note.prompt, note.placeholders)) if note.placeholders
             else no_points.append(note.prompt))
            continue
        imported.append(_question(note, drafted, names, ids))
    if not imported:
        raise NotesError("no key point could be drawn from any answer of the notes")
    title = _title(notes)
    result = ImportResult(title, tuple(imported), empty, tuple(no_points), tuple(unfilled))
    if previous is not None and previous.exists():
        result = keep_hand_edits(result, previous)
    return result


def _question(note: NoteQuestion, drafted: Sequence[DraftPoint], names: frozenset[str],
              ids: set[str]) -> ImportedQuestion:
    category, target = question_kind(note.prompt)
    reference = note.reference
    keywords = tuple(dict.fromkeys(
        t for line in [note.prompt, *reference.splitlines()] for t in named_terms(line, names)
    ))[:MAX_KEYWORDS]
    question = Question(
        id=unique_id(question_id(note.prompt), ids),
        category=category, prompt=note.prompt,
        target_seconds=target_seconds(target, reference), reference=reference,
        key_points=tuple(d.key_point for d in drafted), keywords=keywords, source=note.source,
        structure="star" if note.story else guess_structure(note.prompt))
    return ImportedQuestion(question, note.line, note.source,
                            {d.key_point.id: d.line for d in drafted}, note.placeholders)


def question_id(prompt: str) -> str:
    """A stable id from the question's words: "Tell me about yourself." -> tell-about-yourself."""
    words = [w for w in re.findall(r"[a-z0-9]+", prompt.lower()) if w not in ID_SKIPPED]
    return "-".join(words[:5]) or "question"


def question_kind(prompt: str) -> tuple[str, tuple[int, int]]:
    """(category, target range) by what the question asks."""
    text = prompt.lower()
    for category, pattern, target in TARGETS:
        if re.search(pattern, text):
            return category, target
    return SELF_PRESENTATION


def target_seconds(target: tuple[int, int], reference: str) -> tuple[int, int]:
    """The kind's range, its maximum stretched (at most STRETCH times) to the time the answer
    takes at WORDS_PER_MINUTE, in steps of 15 s."""
    low, high = target
    spoken = len(reference.split()) / WORDS_PER_MINUTE * 60
    if spoken > high:
        high = min(int(high * STRETCH), 15 * -(-int(spoken) // 15))
    return low, high


def _title(notes: Sequence[tuple[str, str]]) -> str:
    for _, text in notes:
        m = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
        if m:
            return m.group(1).strip(" *#")
    return "Imported from " + ", ".join(name for name, _ in notes)


# ---- the bank file: fingerprints, hand edits, writing --------------------------------------

POINT_FIELDS = ("text", "phrases", "required", "weight", "follow_up", "by_meaning")
QUESTION_FIELDS = ("category", "target_seconds", "keywords", "structure")
_HEADER = re.compile(r"^\s*\[\[questions(\.key_points)?\]\]\s*(?:#(.*))?$")
_FINGERPRINT = re.compile(r"generated ([0-9a-f]{8})")


def fingerprint(fields: dict[str, Any], names: Sequence[str]) -> str:
    """8 hex digits of the fields as written (a key point's or a question's)."""
    picked = {name: fields.get(name, _DEFAULTS.get(name)) for name in names}
    for name in ("structure", "by_meaning"):  # files written before the import wrote
        if name in picked and not picked[name]:  # them keep their marks
            del picked[name]
    text = json.dumps(picked, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


_DEFAULTS: dict[str, Any] = {"required": False, "weight": 1.0, "follow_up": "", "keywords": []}


def keep_hand_edits(result: ImportResult, previous: Path) -> ImportResult:
    """The import, with what the person changed in `previous` (the bank file written by an
    earlier import) kept: edited or added key points, edited question fields."""
    try:
        text = read_text(previous)  # (a pipe or a device would hang the import: refused)
        data = tomllib.loads(text)
    except InputFileError as e:
        raise NotesError(f"{previous}: cannot read the bank to update: "
                         f"{e.problem.removeprefix('cannot read: ')}") from None
    except RecursionError as e:
        raise NotesError(f"{previous}: cannot read the bank to update: {e}") from None
    except tomllib.TOMLDecodeError as e:
        raise NotesError(f"{previous}: not a question bank to update (not TOML: {e}); "
                         "mend it there if you edited it, or write the import to another file"
                         ) from None
    old_questions = data.get("questions", [])
    if data and not isinstance(old_questions, list) or data and not old_questions:
        # another program's file ("pyproject.toml"): never written over (an empty file is)
        raise NotesError(f"{previous}: not a question bank to update (it has no "
                         "[[questions]]); write the import to another file")
    marks = _fingerprints(text)
    by_id = {q.get("id"): (q, marks[i] if i < len(marks) else ("", []))
             for i, q in enumerate(old_questions) if isinstance(q, dict)}
    merged = [_merge(q, by_id.get(q.question.id)) for q in result.questions]
    fresh = {q.question.id for q in merged}
    dropped, stayed = [], []
    for qid, (raw, (question_mark, point_marks)) in by_id.items():
        if qid in fresh:
            continue
        hand = _hand_question(raw, question_mark, point_marks)
        if hand is None:
            dropped.append(str(qid))
        else:
            merged.append(hand)
            if question_mark:  # drafted once from the notes (renamed there since?), not
                stayed.append(str(qid))  # a question the person added to the bank
    return replace(result, questions=tuple(merged), dropped=tuple(dropped), stayed=tuple(stayed))


def _hand_question(raw: dict[str, Any], question_mark: str, point_marks: list[str]
                   ) -> ImportedQuestion | None:
    """A question of the old file that is not in the notes, kept when the person wrote it or
    edited one of its key points; None when it was only generated (dropped)."""
    try:
        points = [KeyPoint.from_dict(p) for p in raw["key_points"]]
        low, high = raw["target_seconds"]
        question = Question(
            id=str(raw["id"]), category=str(raw["category"]), prompt=str(raw["prompt"]),
            target_seconds=(int(low), int(high)), reference=str(raw["reference"]),
            key_points=tuple(points), keywords=tuple(str(k) for k in raw.get("keywords", [])),
            structure=_structure(raw, str(raw["prompt"])))
    except (KeyError, TypeError, ValueError):
        return None
    edited = [kp.id for kp, p, mark in zip(points, raw["key_points"],
                                           [*point_marks, *[""] * len(points)], strict=False)
              if not mark or fingerprint(p, POINT_FIELDS) != mark]
    if question_mark and not edited:
        return None
    # (its other points stay as drafted: not marked as edited, so never kept for good)
    return ImportedQuestion(question, 0, "", {}, (), tuple(edited), True)


def _fingerprints(text: str) -> list[tuple[str, list[str]]]:
    """Per [[questions]] header, in order: its fingerprint and its key points' ('' for none)."""
    out: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        m = _HEADER.match(line)
        if not m:
            continue
        mark = _FINGERPRINT.search(m.group(2) or "")
        value = mark.group(1) if mark else ""
        if m.group(1) is None:
            out.append((value, []))
        elif out:
            out[-1][1].append(value)
    return out


def _merge(new: ImportedQuestion, old: tuple[dict[str, Any], tuple[str, list[str]]] | None
           ) -> ImportedQuestion:
    if old is None:
        return new
    raw, (question_mark, point_marks) = old
    question = new.question
    kept_fields = not question_mark or fingerprint(raw, QUESTION_FIELDS) != question_mark
    if kept_fields:
        try:
            low, high = raw["target_seconds"]
            question = replace(question, category=str(raw["category"]),
                               target_seconds=(int(low), int(high)),
                               keywords=tuple(str(k) for k in raw.get("keywords", [])),
                               structure=_structure(raw, question.prompt))
        except (KeyError, TypeError, ValueError):
            kept_fields = False
    hand: dict[str, KeyPoint] = {}
    before: set[str] = set()  # the ids of the points the bank had
    raw_points = raw.get("key_points", [])
    for i, point in enumerate(raw_points if isinstance(raw_points, list) else []):
        before.add(str(point.get("id")) if isinstance(point, dict) else "")
        mark = point_marks[i] if i < len(point_marks) else ""
        if not isinstance(point, dict) or mark and fingerprint(point, POINT_FIELDS) == mark:
            continue  # as generated: drafted again from the notes
        try:
            hand[str(point["id"])] = KeyPoint.from_dict(point)
        except (KeyError, TypeError):
            continue  # not a key point the validator would take either: left to redraft
    # a new drafted point that says what an edited one no longer drafted says (a phrase of two
    # words or more: its line was reworded in the notes since the edit) is the person's: their
    # edit wins, and is said
    drafted = {kp.id for kp in question.key_points}
    theirs = {p.lower() for kp_id, kp in hand.items() if kp_id not in drafted
              for p in kp.phrases if len(p.split()) >= 2}
    superseded = tuple(kp.id for kp in question.key_points if kp.id not in before
                       and theirs & {p.lower() for p in kp.phrases})
    points = [hand.get(kp.id, kp) for kp in question.key_points if kp.id not in superseded]
    points += [kp for kp_id, kp in hand.items() if kp_id not in {p.id for p in points}]
    lines = {kp_id: (0 if kp_id in hand else line) for kp_id, line in new.point_lines.items()}
    return replace(new, question=replace(question, key_points=tuple(points)),
                   point_lines=lines, kept=tuple(hand), kept_fields=kept_fields,
                   superseded=superseded)


def render_bank(result: ImportResult) -> str:
    """The bank as TOML, with each question's and key point's source line and fingerprint."""
    out = [
        "# Drafted by `voiceprep questions import` from your notes. Edit freely: importing again",
        "# keeps what you changed (a key point whose fingerprint no longer matches, or one with",
        "# none) and drafts the rest again from the notes. See docs/importing.md.",
        "",
        "[bank]",
        f"title = {_string(result.title)}",
        "version = 1",
        "",
    ]
    for item in result.questions:
        q = item.question
        structure = _written_structure(item)
        fields = {"category": q.category, "target_seconds": list(q.target_seconds),
                  "keywords": list(q.keywords), "structure": structure}
        mark = fingerprint(fields, QUESTION_FIELDS)
        out.append("# " + "-" * 93)
        if item.placeholders:
            out.append("# to fill in: " + ", ".join(item.placeholders))
        if item.kept_fields:
            out.append("[[questions]]  # kept as you edited it")
        else:
            out.append(f"[[questions]]  # {item.source} line {item.line} · generated {mark}")
        out.append(f"id = {_string(q.id)}")
        out.append(f"category = {_string(q.category)}")
        out.append(f"prompt = {_string(q.prompt)}")
        out.append(f"target_seconds = [{q.target_seconds[0]}, {q.target_seconds[1]}]")
        out.append("keywords = " + _array(q.keywords))
        if structure:
            out.append(f"structure = {_string(structure)}")
        out.append(f"reference = {_multiline(q.reference)}")
        for kp in q.key_points:
            out.append("")
            line = item.point_lines.get(kp.id, 0)
            if kp.id in item.kept:
                where = "kept as you edited it"
            else:
                where = (f"{item.source} line {line}" if item.source else
                         "no longer in the notes") + (
                    f" · generated {fingerprint(_point_fields(kp), POINT_FIELDS)}")
            out.append(f"  [[questions.key_points]]  # {where}")
            out.append(f"  id = {_string(kp.id)}")
            out.append(f"  text = {_string(kp.text)}")
            out.append("  phrases = " + _array(kp.phrases))
            if kp.required:
                out.append("  required = true")
            if kp.weight != 1.0:
                out.append(f"  weight = {kp.weight}")
            if kp.follow_up:
                out.append(f"  follow_up = {_string(kp.follow_up)}")
            if kp.by_meaning:
                out.append("  by_meaning = true")
        out.append("")
    return "\n".join(out)


def _structure(raw: dict[str, Any], prompt: str) -> str:
    """A bank file's `structure` as the question has it ("none" turns the guess off)."""
    return question_structure(str(raw["structure"]) if "structure" in raw else None, prompt)


def _written_structure(item: ImportedQuestion) -> str:
    """What the file says: the story's "star"; "none" for a question kept with the guess
    turned off by hand; nothing when the question has no shape as guessed."""
    q = item.question
    if not q.structure and guess_structure(q.prompt):
        return "none"
    return q.structure


def _point_fields(kp: KeyPoint) -> dict[str, Any]:
    return {"text": kp.text, "phrases": list(kp.phrases), "required": kp.required,
            "weight": kp.weight, "follow_up": kp.follow_up, "by_meaning": kp.by_meaning}


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def _array(items: Sequence[str]) -> str:
    return "[" + ", ".join(_string(i) for i in items) + "]"


def _multiline(text: str) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    body = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", body)
    return f'"""\n{body}\n"""'
