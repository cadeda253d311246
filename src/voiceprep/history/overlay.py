"""The personal overlay: the user's own wording for key points, kept apart from the bank.

When the coach missed a point the user did make, the user accepts it (`voiceprep review
--accept`, or the practice menu): the words they used become a phrase of that key point in
`overlay.toml` in the data directory. The bank file is never edited. Scoring reads the bank with
the overlay applied, past attempts of the question are re-scored with it, and it can be exported
and imported as TOML in the bank's format, to merge into one's own bank:

    [[questions]]
    id = "about-yourself"

      [[questions.key_points]]
      id = "devops-background"
      text = "Started in DevOps and moved into MLOps"   # for the reader; not read back
      phrases = ["keeping servers alive"]
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from voiceprep.bank.questions import ID_PATTERN, Bank, Question, phrase_problem
from voiceprep.errors import StoreError, VoiceprepError
from voiceprep.files import InputFileError, exclusive, private_dir, read_toml, write_private
from voiceprep.history.store import RECOVERED_TITLE, Attempt, Store
from voiceprep.safe_text import safe_json, safe_text
from voiceprep.scoring.meaning import MeaningOptions, match_meaning, meaning_available
from voiceprep.scoring.score import ScoringOptions, score

OVERLAY_FILE = "overlay.toml"
HEADER = ("# voiceprep personal overlay: your own wording for key points, added when you accepted\n"
          "# a point the coach missed. Each phrase belongs to the key point above it; to merge\n"
          "# into your bank, add the phrases to the same key points there.\n")


class OverlayError(VoiceprepError):
    """An overlay file that cannot be read, or a change that does not fit the bank."""

    exit_code = 2


@dataclass(frozen=True)
class Overlay:
    """Extra phrases by (question id, key point id), in the order they were added."""

    phrases: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    def for_question(self, question_id: str) -> dict[str, tuple[str, ...]]:
        return {kp: p for (q, kp), p in self.phrases.items() if q == question_id}

    def apply(self, question: Question) -> Question:
        """The question with the overlay's phrases added to its key points."""
        extra = self.for_question(question.id)
        if not extra:
            return question
        return replace(question, key_points=tuple(
            replace(kp, phrases=tuple(dict.fromkeys(kp.phrases + extra.get(kp.id, ()))),
                    taught=kp.taught + extra.get(kp.id, ()))
            for kp in question.key_points))

    def apply_bank(self, bank: Bank) -> Bank:
        return replace(bank, questions=tuple(self.apply(q) for q in bank.questions))

    def with_phrase(self, question_id: str, key_point_id: str, phrase: str) -> Overlay:
        key = (question_id, key_point_id)
        phrases = dict(self.phrases)
        phrases[key] = tuple(dict.fromkeys(phrases.get(key, ()) + (phrase,)))
        return Overlay(phrases)

    def without(self, question_id: str, key_point_id: str, phrase: str | None = None
                ) -> Overlay:
        """Without the key point's phrases (or only `phrase`)."""
        key = (question_id, key_point_id)
        kept = tuple(p for p in self.phrases.get(key, ()) if phrase is not None and p != phrase)
        phrases = {k: v for k, v in self.phrases.items() if k != key}
        if kept:
            phrases[key] = kept
        return Overlay(phrases)

    def merged(self, other: Overlay) -> Overlay:
        out = self
        for (q, kp), phrases in other.phrases.items():
            for phrase in phrases:
                out = out.with_phrase(q, kp, phrase)
        return out

    def to_toml(self, bank: Bank | None = None) -> str:
        """The overlay in the bank's TOML format (key point texts from `bank` when given)."""
        lines = [HEADER]
        by_question: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for (q, kp), phrases in self.phrases.items():
            by_question.setdefault(q, []).append((kp, phrases))
        for q, points in by_question.items():
            lines.append(f"[[questions]]\nid = {_string(q)}\n")
            for kp, phrases in points:
                lines.append(f"  [[questions.key_points]]\n  id = {_string(kp)}")
                text = _key_point_text(bank, q, kp)
                if text:
                    lines.append(f"  text = {_string(text)}")
                lines.append(f"  phrases = [{', '.join(_string(p) for p in phrases)}]\n")
        return "\n".join(lines)


def overlay_path(data_dir: Path) -> Path:
    return Path(data_dir) / OVERLAY_FILE


def load_overlay(data_dir: Path) -> Overlay:
    """The data directory's overlay (empty when there is none)."""
    path = overlay_path(data_dir)
    if not path.is_symlink() and not path.exists():
        return Overlay()
    return read_overlay(path)


def read_overlay(path: Path) -> Overlay:
    """An overlay from a TOML file in the bank's format; one clear line when it is not one."""
    try:
        data = read_toml(path)
    except InputFileError as e:
        if not e.content:
            raise OverlayError(f"cannot read the overlay {path}: {e.problem}") from None
        raise OverlayError(f"the overlay {path} is not valid TOML ({e.problem}); fix it or move "
                           "it away") from None
    return parse_overlay(data, str(path))


def parse_overlay(data: dict[str, Any], source: str) -> Overlay:
    """The overlay in `data`, each phrase checked as strictly as a bank's phrases."""
    problem = f"the overlay {source} does not follow the bank format"
    questions = data.get("questions", [])
    if not isinstance(questions, list):
        raise OverlayError(f"{problem}: 'questions' must be a list of tables")
    overlay = Overlay()
    for i, q in enumerate(questions, start=1):
        if (not isinstance(q, dict) or not isinstance(q.get("id"), str)
                or not ID_PATTERN.match(q["id"])):
            raise OverlayError(f"{problem}: question #{i} needs an 'id' (a-z, 0-9, hyphens)")
        points = q.get("key_points", [])
        if not isinstance(points, list):
            raise OverlayError(f"{problem}: 'key_points' of '{q['id']}' must be a list of "
                               "tables")
        for j, kp in enumerate(points, start=1):
            phrases = kp.get("phrases") if isinstance(kp, dict) else None
            if (not isinstance(kp, dict) or not isinstance(kp.get("id"), str)
                    or not ID_PATTERN.match(kp["id"]) or not isinstance(phrases, list)):
                raise OverlayError(f"{problem}: key point #{j} of '{q['id']}' needs an 'id' "
                                   "and a list of non-empty 'phrases'")
            for phrase in phrases:
                bad = phrase_problem(phrase)
                if bad:
                    raise OverlayError(f"{problem}: {q['id']}/{kp['id']}: {bad}")
                overlay = overlay.with_phrase(q["id"], kp["id"], " ".join(phrase.split()))
    return overlay


def save_overlay(data_dir: Path, overlay: Overlay, bank: Bank | None = None) -> Path:
    """Write the overlay (atomically, and only what reads back as the same overlay)."""
    path = overlay_path(data_dir)
    text = overlay.to_toml(bank)
    if parse_overlay(tomllib.loads(text), str(path)) != overlay:
        raise OverlayError(f"the overlay would not read back as written: {path} is left as "
                           "it was")
    try:
        write_private(path, text, make_folder=True)
    except OSError as e:
        raise OverlayError(f"cannot write the overlay {path}: {e.strerror or e}") from e
    return path


def update_overlay(data_dir: Path, change: Callable[[Overlay], Overlay],
                   bank: Bank | None = None) -> Overlay:
    """Read the overlay, change it and write it back while holding the data directory's lock,
    so that changes made at once (two imports) all survive; returns the new overlay."""
    try:
        private_dir(data_dir)
        with exclusive(data_dir):
            overlay = change(load_overlay(data_dir))
            save_overlay(data_dir, overlay, bank)
    except OSError as e:
        raise OverlayError(f"cannot change the overlay in {data_dir}: {e.strerror or e}") from e
    return overlay


def check_fits(overlay: Overlay, bank: Bank) -> None:
    """Every question and key point of the overlay is in the bank."""
    for q, kp in overlay.phrases:
        question = bank.find(q)
        if kp not in {k.id for k in question.key_points}:
            raise OverlayError(f"no key point '{kp}' in question '{q}' (known: "
                               f"{', '.join(k.id for k in question.key_points)})")


def accept_point(data_dir: Path, bank: Bank, question_id: str, key_point_id: str,
                 words: str) -> Overlay:
    """Add the user's words as a phrase of the key point, in the data directory's overlay."""
    phrase = " ".join(words.split())
    if not phrase:
        raise OverlayError("give the words that made the point (--words)")
    problem = phrase_problem(phrase)
    if problem:
        raise OverlayError(f"cannot accept these words: {problem}")

    def add(overlay: Overlay) -> Overlay:
        changed = overlay.with_phrase(question_id, key_point_id, phrase)
        check_fits(changed, bank)
        return changed

    return update_overlay(data_dir, add, bank)


def import_overlay(data_dir: Path, bank: Bank, incoming: Overlay) -> Overlay:
    """Merge `incoming` (an exported overlay) into the data directory's overlay."""
    check_fits(incoming, bank)
    return update_overlay(data_dir, lambda overlay: overlay.merged(incoming), bank)


def undo_point(data_dir: Path, bank: Bank, question_id: str, key_point_id: str,
               words: str | None = None) -> Overlay:
    """Take back the key point's accepted phrases (or only `words`)."""
    phrase = " ".join(words.split()) if words else None

    def remove(overlay: Overlay) -> Overlay:
        mine = overlay.for_question(question_id).get(key_point_id, ())
        if not mine or (phrase is not None and phrase not in mine):
            shown = safe_text(repr(phrase), one_line=True) + " " if phrase else ""
            raise OverlayError(f"nothing to undo: no accepted wording {shown}for "
                               f"{question_id}/{key_point_id}")
        return overlay.without(question_id, key_point_id, phrase)

    return update_overlay(data_dir, remove, bank)


def suggest_words(question: Question, words: list[str], key_point_id: str) -> str:
    """The stretch of the answer that comes closest in meaning to the key point ("" when the
    sentence-embedding model is not installed): what the user most likely meant."""
    if not meaning_available() or not words:
        return ""
    # At most 12 words: a short stretch makes a phrase that the user is likely to say again.
    anything = MeaningOptions(sentence_words=12, window_words=12, window_step=6,
                              min_similarity=-1.0, min_margin=-2.0)
    found = match_meaning(question, words, {key_point_id}, anything).get(key_point_id)
    if found is None:
        return ""
    return " ".join(words[found.first_word:found.last_word + 1]).strip(" ,.;:!?\"'")


@dataclass(frozen=True)
class Rescored:
    attempt: Attempt
    before: int | None
    after: int


@dataclass(frozen=True)
class Rescoring:
    """What `rescore` did: the attempts scored again, the attempts it left as they were because
    they were asked from another bank, and the attempts whose files could not be read."""

    rescored: list[Rescored]
    elsewhere: int
    unreadable: list[str]


def rescore(data_dir: Path, bank: Bank, question_id: str | None = None,
            scoring: ScoringOptions | None = None) -> Rescoring:
    """Score past attempts again with the bank and the overlay.

    The saved transcript is scored again (nothing is transcribed again), with the recording for
    the figures that need the audio (pitch), so only what the overlay changes can change. Only
    the attempts asked from this bank are: of a question it has, in a session practised with a
    bank of its title or asked with the same prompt (two banks may both have a "strengths").
    An attempt whose files are missing or damaged keeps its score, and the others are scored."""
    overlay = load_overlay(data_dir)
    bank = overlay.apply_bank(bank)
    known = {q.id: q for q in bank.questions}
    out: list[Rescored] = []
    elsewhere = 0
    unreadable: list[str] = []
    ours: dict[int, bool] = {}  # by attempt id: whether it was asked from this bank
    with Store(data_dir) as store:
        titles = {s.id: s.bank_title for s in store.session_index().values()}
        for attempt in store.attempts(question_id=question_id):
            if attempt.score_path is None:
                continue  # unscored: for `recover`
            question = known.get(attempt.question_id)
            if question is None:
                elsewhere += 1  # a question no longer in the bank keeps the score it had
                continue
            try:
                saved = store.load(attempt)
            except StoreError as e:
                if not store.forgotten(attempt.id):  # else `forget` deleted it meanwhile
                    unreadable.append(str(e))
                continue
            if attempt.follow_up_of is None:
                ours[attempt.id] = _asked_from(bank, question, saved.question,
                                               titles.get(attempt.session_id))
            else:  # it has its own prompt: it goes with the answer it follows up
                ours[attempt.id] = ours.get(attempt.follow_up_of, False)
            if not ours[attempt.id]:
                elsewhere += 1
                continue
            if attempt.follow_up_of is not None:
                if saved.question is None:
                    continue
                question = overlay.apply(saved.question)  # asked on the missed points only
            audio = store.path_of(attempt.audio_path) if attempt.audio_path else None
            result = score(question, saved.transcript, scoring or ScoringOptions(),
                           audio=audio if audio is not None and audio.is_file() else None)
            try:
                now = store.replace_score(attempt, result, question)
            except StoreError:
                if store.forgotten(attempt.id):
                    continue  # `forget` deleted it meanwhile, and what was written for it
                raise
            out.append(Rescored(now, attempt.score, result.score))
    return Rescoring(out, elsewhere, unreadable)


def _asked_from(bank: Bank, question: Question, asked: Question | None,
                session_title: str | None) -> bool:
    """Whether an attempt at `question`'s id, asked as `asked`, came from this bank: its session
    was practised with a bank of this title, or it was asked with the same prompt. Files older
    than the question's snapshot, and sessions whose bank the index no longer knows (made
    again from files older than the title in them), are taken as this bank's."""
    return (asked is None or session_title in (bank.title, RECOVERED_TITLE)
            or asked.prompt == question.prompt)


def _key_point_text(bank: Bank | None, question_id: str, key_point_id: str) -> str:
    if bank is None:
        return ""
    for q in bank.questions:
        if q.id == question_id:
            return next((kp.text for kp in q.key_points if kp.id == key_point_id), "")
    return ""


def _string(value: str) -> str:
    """A TOML basic string (a JSON string is one) with every control, bidirectional and
    invisible character escaped: it reads back, and printing the file cannot act on a terminal."""
    return safe_json(value)
