"""The question bank: TOML files in, validated dataclasses out."""

from __future__ import annotations

import re
import shlex
import tomllib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from voiceprep.errors import BankError, QuestionNotFound
from voiceprep.files import InputFileError, input_file_problem, read_toml
from voiceprep.normalize import phrase_tokens
from voiceprep.safe_text import safe_text, unsafe_characters

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PACKAGED_BANK = Path(__file__).parent.parent / "questions"

BANK_KEYS = {"title", "version", "description"}
QUESTION_KEYS = {
    "id", "category", "prompt", "target_seconds", "reference", "keywords", "key_points",
    "structure",
}
# The shapes an answer can be asked to have: "star" (Situation, Task, Action, Result) for a
# question that asks for an example; "none" says a question that reads like one does not.
STRUCTURES = ("star", "none")
# Prompts that ask for a story: "Tell me about a time...", "Describe a conflict...", "Give an
# example of...". Said about a challenge, conflict, failure or mistake, any "tell me about" or
# "describe" asks for one too.
_STORY_PROMPT = re.compile(
    r"\b(?:tell (?:me|us) about a time|describe a (?:time|situation)|give (?:me |us )?an example"
    r"|(?:walk (?:me|us) through|share) (?:a|an) (?:time|situation|example|experience)"
    r"|(?:a|an) (?:time|situation|occasion|instance) (?:when|where|that|in which)"
    r"|(?:tell (?:me|us) about|describe|talk (?:me|us) through) (?:a|an|the|your)"
    r"(?: \w+){0,3} (?:challenge|conflict|disagreement|failure|mistake|setback"
    r"|difficult|problem|project you)"
    r")",
    re.IGNORECASE)
KEY_POINT_KEYS = {"id", "text", "phrases", "required", "weight", "follow_up", "by_meaning"}


@dataclass(frozen=True)
class KeyPoint:
    id: str
    text: str
    phrases: tuple[str, ...]
    required: bool = False
    weight: float = 1.0
    follow_up: str = ""  # what the interviewer asks when an answer misses this point
    # Also covered by a sentence that means it (scoring/meaning.py), whatever the setting
    # scoring.by_meaning: what a drafted point's phrases, the notes' own wording, leave out.
    by_meaning: bool = False
    # Phrases the person taught the coach (history/overlay.py): one word of them is enough, as
    # in a bank written by hand (scoring.score's one-word check is for drafted phrases).
    taught: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["phrases"] = list(self.phrases)
        del d["taught"]  # already among the phrases
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> KeyPoint:
        return cls(id=d["id"], text=d["text"], phrases=tuple(d["phrases"]),
                   required=d.get("required", False), weight=d.get("weight", 1.0),
                   follow_up=d.get("follow_up", ""), by_meaning=d.get("by_meaning", False))


@dataclass(frozen=True)
class Question:
    id: str
    category: str
    prompt: str
    target_seconds: tuple[int, int]
    reference: str
    key_points: tuple[KeyPoint, ...]
    keywords: tuple[str, ...] = ()
    source: str = ""
    structure: str = ""  # "star": the answer is a story, read for its STAR parts; "": no shape

    def vocabulary(self) -> tuple[str, ...]:
        """Domain terms to bias speech recognition: the keywords, then the capitalised terms
        of the key-point phrases (product names, acronyms)."""
        terms: dict[str, None] = dict.fromkeys(self.keywords)
        for kp in self.key_points:
            for phrase in kp.phrases:
                for token in phrase.split():
                    token = token.strip(".,;:()\"'")
                    if len(token) > 1 and any(c.isupper() for c in token):
                        terms.setdefault(token)
        return tuple(terms)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "prompt": self.prompt,
            "target_seconds": list(self.target_seconds),
            "reference": self.reference,
            "keywords": list(self.keywords),
            "key_points": [kp.to_dict() for kp in self.key_points],
            "source": self.source,
            "structure": self.structure,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Question:
        """The Question that `to_dict` gave `d`: how an attempt's question snapshot is read."""
        low, high = d["target_seconds"]
        return cls(
            id=d["id"], category=d["category"], prompt=d["prompt"], target_seconds=(low, high),
            reference=d["reference"],
            key_points=tuple(KeyPoint.from_dict(k) for k in d["key_points"]),
            keywords=tuple(d.get("keywords", [])), source=d.get("source", ""),
            # Snapshots saved before structures existed: the guess the bank would make now.
            structure=d["structure"] if "structure" in d else guess_structure(d["prompt"]),
        )


def guess_structure(prompt: str) -> str:
    """"star" when the prompt asks for a story ("Tell me about a time...", "a conflict..."),
    else "". What a bank without `structure` gets, and what an importer can write."""
    return "star" if _STORY_PROMPT.search(prompt) else ""


def question_structure(declared: str | None, prompt: str) -> str:
    """The structure a question has: the bank's word ("none" turns the guess off), else the
    guess from its prompt."""
    if declared is None:
        return guess_structure(prompt)
    return "" if declared == "none" else declared


MOST_IDS_SHOWN = 20


def _known_ids(asked: str, known: list[str]) -> str:
    """The ids to show beside an unknown one: all of a small bank's; of a large bank's, those
    spelled like it (or the first few), and how to see the rest."""
    if len(known) <= MOST_IDS_SHOWN:
        return "known: " + ", ".join(known)
    import difflib

    close = difflib.get_close_matches(asked, known, n=5, cutoff=0.6)
    shown = ", ".join(close or known[:5])
    return (f"{'did you mean' if close else 'known'}: {shown}; {len(known)} questions in all: "
            "see 'voiceprep questions list'")


@dataclass(frozen=True)
class Bank:
    title: str
    questions: tuple[Question, ...]

    def find(self, question_id: str) -> Question:
        """Return the question with this id, or raise QuestionNotFound naming the known ids."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise QuestionNotFound(f"no question '{question_id}' in the bank "
                               f"({_known_ids(question_id, [q.id for q in self.questions])})")

    def categories(self) -> list[str]:
        return sorted({q.category for q in self.questions})

    def select(self, category: str | None = None, ids: tuple[str, ...] = ()) -> list[Question]:
        """Questions in bank order, filtered by category (case-insensitive) and/or ids."""
        if ids:
            return [self.find(i) for i in ids]
        chosen = [
            q for q in self.questions
            if category is None or q.category.lower() == category.lower()
        ]
        if not chosen:
            raise QuestionNotFound(
                f"no question in category '{category}' (categories: {', '.join(self.categories())})"
            )
        return chosen


def default_bank_path() -> Path:
    """`questions/` of the checkout when run from one, otherwise the copy inside the package."""
    local = Path.cwd() / "questions"
    if local.is_dir() and any(local.glob("*.toml")):
        return local
    return PACKAGED_BANK


def bank_files(path: Path) -> list[Path]:
    """The TOML files a --bank path names: the file itself, or a directory's *.toml."""
    problem = input_file_problem(path)
    if problem == "a directory":
        files = sorted(path.glob("*.toml"))
        if not files:
            raise BankError([f"{path}: no *.toml question files in this directory"])
        return files
    if problem == "no such file":
        raise BankError([f"{path}: no such file or directory"])
    if problem:
        raise BankError([f"{path}: cannot read: {problem}"])
    return [path]


def validate_bank(path: Path) -> list[str]:
    """Every problem in the bank at `path`, as 'file: where: what' lines; empty when clean."""
    try:
        _load(path)
    except BankError as e:
        return e.problems
    return []


def validate_bank_text(text: str, path: Path) -> list[str]:
    """validate_bank of `text` as the bank file `path` would hold it, before it is written."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        return [f"{path}: TOML syntax error: {e}"]
    try:
        _bank_of([(Path(path), data)], path, [])
    except BankError as e:
        return e.problems
    return []


def load_bank(path: Path | None = None) -> Bank:
    """Load and validate a bank file or directory; raise BankError listing every problem."""
    return _load(path or default_bank_path())


def _load(path: Path) -> Bank:
    problems: list[str] = []
    return _bank_of(((file, _read_toml(file, problems)) for file in bank_files(Path(path))),
                    path, problems)


def _bank_of(files: Iterable[tuple[Path, dict[str, Any] | None]], path: Path,
             problems: list[str]) -> Bank:
    """The bank of the bank files' data (None: a file that did not read, its problem already in
    `problems`); raise BankError listing every problem."""
    questions: list[Question] = []
    titles: list[str] = []
    seen: dict[str, str] = {}  # id -> the file that has it
    for file, data in files:
        if data is None:
            continue
        _check_characters(file, data, problems)
        for q in _parse_file(file, data, problems, titles):
            if q.id in seen:
                problems.append(
                    f"{file.name}: question '{q.id}': duplicate id (also in {seen[q.id]})")
                continue
            seen[q.id] = file.name
            questions.append(q)
    if problems:
        raise BankError(problems)
    if not questions:
        raise BankError([f"{path}: the bank has no questions"])
    return Bank(title=" + ".join(titles) or "Question bank", questions=tuple(questions))


NOTES_SUFFIXES = (".md", ".markdown", ".txt", ".text", ".org", ".adoc", ".csv", ".tsv", ".tex",
                  ".html", ".htm", ".enex", ".vtt")


def _read_toml(file: Path, problems: list[str]) -> dict[str, Any] | None:
    try:
        return read_toml(file)
    except InputFileError as e:
        hint = ""
        if e.problem.startswith("TOML syntax error") and file.suffix.lower() in NOTES_SUFFIXES:
            hint = (" (notes? make a bank of them: voiceprep questions import "
                    f"{shlex.quote(str(file))} -o bank.toml)")  # notes given as a bank
        problems.append(f"{file}: {e.problem}{hint}")
        return None


def phrase_problem(phrase: Any) -> str | None:
    """Why `phrase` cannot be a key point's phrase (in a bank or in the overlay), or None."""
    if not isinstance(phrase, str) or not phrase.strip():
        return "an empty or non-string phrase"
    found = unsafe_characters(phrase)
    if found:
        return (f"phrase '{safe_text(phrase, one_line=True)}' holds control character(s) "
                f"{', '.join(found)}")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in phrase):
        return f"phrase '{safe_text(phrase, one_line=True)}' is not valid text (a lone surrogate)"
    if not phrase_tokens(phrase):
        return (f"phrase '{safe_text(phrase, one_line=True)}' has no words to match (only "
                "punctuation or symbols)")
    return None


def _check_characters(file: Path, data: dict[str, Any], problems: list[str]) -> None:
    """Report text holding control characters: shown on a terminal, they would act on it."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:  # no recursion: the nesting may be as deep as tomllib allows
        where, value = stack.pop()
        if isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                stack.append((f"{where}.{key}" if where else str(key), item))
                if unsafe_characters(str(key)):
                    stack.append((f"{where} (a key)", str(key)))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in reversed(list(enumerate(value))))
        elif isinstance(value, str) and (found := unsafe_characters(value)):
            problems.append(f"{file.name}: {safe_text(where, one_line=True)}: control "
                            f"character(s) {', '.join(found)}")


def _parse_file(
    file: Path, data: dict[str, Any], problems: list[str], titles: list[str]
) -> list[Question]:
    name = file.name
    for key in sorted(set(data) - {"bank", "questions"}):
        problems.append(f"{name}: unknown top-level key '{key}'")
    bank = data.get("bank", {})
    if not isinstance(bank, dict):
        problems.append(f"{name}: [bank] must be a table")
    else:
        for key in sorted(set(bank) - BANK_KEYS):
            problems.append(f"{name}: [bank]: unknown key '{key}'")
        if "title" in bank and not isinstance(bank["title"], str):
            problems.append(f"{name}: [bank]: 'title' must be a string")
        elif bank.get("title"):
            titles.append(bank["title"])
        if "version" in bank and (not isinstance(bank["version"], int) or bank["version"] != 1):
            problems.append(f"{name}: [bank]: 'version' must be 1 (the only format version)")
    raw_questions = data.get("questions")
    if raw_questions is None:
        problems.append(f"{name}: no [[questions]]")
        return []
    if not isinstance(raw_questions, list):
        problems.append(f"{name}: 'questions' must be an array of tables ([[questions]])")
        return []
    out = []
    for index, raw in enumerate(raw_questions, start=1):
        q = _parse_question(name, index, raw, problems)
        if q is not None:
            out.append(q)
    return _with_drafted_points(name, out, problems)


def _with_drafted_points(name: str, questions: list[Question], problems: list[str]
                         ) -> list[Question]:
    """The questions, those written without key points given points drafted from their
    reference answer, as `voiceprep questions import` drafts them (keypoints.py)."""
    if all(q.key_points for q in questions):
        return questions
    from voiceprep.bank.keypoints import SharedVocabulary, draft_from_reference

    out = []
    shared = SharedVocabulary([q.reference for q in questions])
    for i, q in enumerate(questions):
        if not q.key_points:
            points = draft_from_reference(q.prompt, q.reference, shared, i)
            if not points:
                problems.append(f"{name}: question '{q.id}': no key points, and none could be "
                                "drawn from its reference answer")
                continue
            q = replace(q, key_points=points)
        out.append(q)
    return out


def _parse_question(name: str, index: int, raw: Any, problems: list[str]) -> Question | None:
    if not isinstance(raw, dict):
        problems.append(f"{name}: question #{index}: must be a table")
        return None
    qid = raw.get("id")
    where = f"{name}: question '{qid}'" if isinstance(qid, str) else f"{name}: question #{index}"
    before = len(problems)

    def need(key: str, kind: type | tuple[type, ...], label: str) -> Any:
        if key not in raw:
            problems.append(f"{where}: missing field '{key}'")
            return None
        value = raw[key]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            problems.append(f"{where}: field '{key}' must be {label}")
            return None
        return value

    for key in sorted(set(raw) - QUESTION_KEYS):
        problems.append(f"{where}: unknown field '{key}'")
    qid = need("id", str, "a string")
    if qid is not None and not ID_PATTERN.match(qid):
        problems.append(f"{where}: id '{qid}' may use only a-z, 0-9 and single hyphens")
    category = need("category", str, "a string")
    prompt = need("prompt", str, "a string")
    reference = need("reference", str, "a string")
    for key, value in (("category", category), ("prompt", prompt), ("reference", reference)):
        if isinstance(value, str) and not value.strip():
            problems.append(f"{where}: field '{key}' must not be empty")
    target = need("target_seconds", list, "a list [min, max] of seconds")
    if target is not None:
        if len(target) != 2 or not all(
            isinstance(t, (int, float)) and not isinstance(t, bool) for t in target
        ):
            problems.append(f"{where}: field 'target_seconds' must be [min, max] (two numbers)")
            target = None
        elif target[0] <= 0 or target[0] > target[1]:
            problems.append(
                f"{where}: field 'target_seconds' needs 0 < min <= max, got {target}"
            )
            target = None
    keywords: list[str] = raw.get("keywords", [])
    if not isinstance(keywords, list) or not all(
        isinstance(k, str) and k.strip() for k in keywords
    ):
        problems.append(f"{where}: field 'keywords' must be a list of non-empty strings")
        keywords = []
    structure = raw.get("structure")
    if structure is not None and structure not in STRUCTURES:
        problems.append(f"{where}: field 'structure' must be one of {', '.join(STRUCTURES)}")
    # Without key points, they are drafted from the reference (_with_drafted_points).
    raw_points = (need("key_points", list, "an array of tables ([[questions.key_points]])")
                  if "key_points" in raw else [])
    points: list[KeyPoint] = []
    if raw_points is not None:
        if not raw_points and "key_points" in raw:
            problems.append(f"{where}: needs at least one key point")
        seen: set[str] = set()
        for k, rp in enumerate(raw_points, start=1):
            kp = _parse_key_point(f"{where}: key point", k, rp, problems)
            if kp is None:
                continue
            if kp.id in seen:
                problems.append(f"{where}: key point '{kp.id}': duplicate id")
            seen.add(kp.id)
            points.append(kp)
    if len(problems) > before:
        return None
    assert qid and category and prompt and reference and target
    return Question(
        id=qid, category=category.strip(), prompt=prompt.strip(),
        target_seconds=(int(target[0]), int(target[1])), reference=reference.strip(),
        key_points=tuple(points), keywords=tuple(k.strip() for k in keywords), source=name,
        structure=question_structure(structure, prompt),
    )


def _parse_key_point(prefix: str, index: int, raw: Any, problems: list[str]) -> KeyPoint | None:
    if not isinstance(raw, dict):
        problems.append(f"{prefix} #{index}: must be a table")
        return None
    kid = raw.get("id")
    where = f"{prefix} '{kid}'" if isinstance(kid, str) else f"{prefix} #{index}"
    before = len(problems)
    for key in sorted(set(raw) - KEY_POINT_KEYS):
        problems.append(f"{where}: unknown field '{key}'")
    for key in ("id", "text", "phrases"):
        if key not in raw:
            problems.append(f"{where}: missing field '{key}'")
    if "id" in raw and (not isinstance(kid, str) or not ID_PATTERN.match(kid)):
        problems.append(f"{where}: id must be a string of a-z, 0-9 and single hyphens")
    text = raw.get("text")
    if "text" in raw and (not isinstance(text, str) or not text.strip()):
        problems.append(f"{where}: field 'text' must be a non-empty string")
    phrases = raw.get("phrases")
    if "phrases" in raw:
        if not isinstance(phrases, list) or not phrases:
            problems.append(f"{where}: field 'phrases' must be a non-empty list of strings")
        elif not all(isinstance(p, str) and p.strip() for p in phrases):
            problems.append(f"{where}: field 'phrases' has an empty or non-string phrase")
        else:
            for phrase in phrases:
                problem = phrase_problem(phrase)
                # control characters are reported for the whole file (_check_characters)
                if problem and not unsafe_characters(phrase):
                    problems.append(f"{where}: {problem}")
    required = raw.get("required", False)
    if not isinstance(required, bool):
        problems.append(f"{where}: field 'required' must be true or false")
    weight = raw.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
        problems.append(f"{where}: field 'weight' must be a positive number")
    follow_up = raw.get("follow_up", "")
    if "follow_up" in raw and (not isinstance(follow_up, str)
                               or not follow_up.strip().endswith("?")):
        problems.append(f"{where}: field 'follow_up' must be a question (a string ending in '?')")
    by_meaning = raw.get("by_meaning", False)
    if not isinstance(by_meaning, bool):
        problems.append(f"{where}: field 'by_meaning' must be true or false")
    if len(problems) > before:
        return None
    assert isinstance(kid, str) and isinstance(text, str) and isinstance(phrases, list)
    return KeyPoint(
        id=kid, text=text.strip(), phrases=tuple(p.strip() for p in phrases),
        required=required, weight=float(weight), follow_up=follow_up.strip(),
        by_meaning=by_meaning,
    )
