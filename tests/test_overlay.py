"""The personal overlay: accept a missed point with the user's words, undo it, re-score past
attempts, show it, export and import it, and a corrupt overlay file: real store, real files."""

from __future__ import annotations

import json
import tomllib
from datetime import timedelta

import pytest
from click.testing import CliRunner

from history_data import DAY1, record
from voiceprep.bank.questions import load_bank
from voiceprep.cli import main
from voiceprep.history.overlay import OVERLAY_FILE, load_overlay, read_overlay
from voiceprep.history.store import Store

# The bank has "devops" (phrase "started in devops") and "platform" ("platform team"); this
# answer makes the devops point in its own words, which no phrase of the bank covers.
OWN_WORDS = "my first job was keeping servers alive for the operations group and now I lead the " \
            "platform team"
WORDS = "keeping servers alive for the operations group"


def saved_attempt(data_dir, bank):
    with Store(data_dir) as store:
        session = store.start_session(bank.title, now=DAY1)
        made = record(store, session, bank.find("about-yourself"), OWN_WORDS, 0.35,
                      DAY1 + timedelta(minutes=1))
        store.end_session(session.id, now=DAY1 + timedelta(minutes=3))
    return made


@pytest.fixture
def attempt(data_dir, bank):
    return saved_attempt(data_dir, bank)


def run(*args, bank_path, data_dir, input=None):
    return CliRunner().invoke(main, [*args, "--bank", str(bank_path), "--data-dir",
                                     str(data_dir)], input=input, env={"COLUMNS": "200"})


# `overlay accept|undo` writes the overlay; `review --accept|--undo` is the older spelling.
FORMS = {
    "overlay": lambda action, point, *rest: ["overlay", action, point, *rest],
    "review": lambda action, point, *rest: ["review", "latest", f"--{action}", point, *rest],
}
both_forms = pytest.mark.parametrize("form", sorted(FORMS))


def accept(*args, form="overlay"):
    return FORMS[form]("accept", *args)


def undo(*args, form="overlay"):
    return FORMS[form]("undo", *args)


def covered(data_dir, attempt_id):
    with Store(data_dir) as store:
        a = next(a for a in store.attempts() if a.id == attempt_id)
        return a, {k.id: k for k in store.load(a).score.key_points if k.covered}


@both_forms
def test_accept_adds_the_words_to_the_overlay_and_rescores_the_attempt(
        data_dir, bank, tmp_path, attempt, form):
    bank_path = tmp_path / "bank.toml"
    before, points = covered(data_dir, attempt.id)
    assert "devops" not in points and "platform" in points
    bank_text = bank_path.read_text(encoding="utf-8")

    result = run(*accept("devops", "--words", WORDS, form=form),
                 bank_path=bank_path, data_dir=data_dir)
    assert result.exit_code == 0, result.output
    assert f"“{WORDS}” now counts for about-yourself/devops" in result.output
    assert "re-scored 1 attempt(s), 1 changed" in result.output

    after, points = covered(data_dir, attempt.id)
    assert points["devops"].matched_by == "phrase" and points["devops"].phrase == WORDS
    assert after.coverage == 1.0 and after.score > before.score
    assert bank_path.read_text(encoding="utf-8") == bank_text  # the bank is never edited
    assert load_overlay(data_dir).phrases == {("about-yourself", "devops"): (WORDS,)}


@both_forms
def test_accept_without_words_takes_the_closest_part_of_the_answer(data_dir, bank, tmp_path,
                                                                    attempt, form):
    result = run(*accept("devops", form=form), bank_path=tmp_path / "bank.toml",
                 data_dir=data_dir)
    assert result.exit_code == 0, result.output
    (phrase,) = load_overlay(data_dir).phrases[("about-yourself", "devops")]
    assert "operations group" in phrase and phrase in OWN_WORDS and len(phrase.split()) <= 12
    assert "devops" in covered(data_dir, attempt.id)[1]


@both_forms
def test_undo_takes_the_words_back_and_rescores(data_dir, bank, tmp_path, attempt, form):
    bank_path = tmp_path / "bank.toml"
    run(*accept("devops", "--words", WORDS, form=form), bank_path=bank_path, data_dir=data_dir)
    result = run(*undo("devops", form=form), bank_path=bank_path, data_dir=data_dir)
    assert result.exit_code == 0, result.output
    assert "undone: your wording for about-yourself/devops" in result.output
    assert load_overlay(data_dir).phrases == {}
    assert "devops" not in covered(data_dir, attempt.id)[1]

    again = run(*undo("devops", form=form), bank_path=bank_path, data_dir=data_dir)
    assert again.exit_code == 2
    assert again.output.strip() == ("error: nothing to undo: no accepted wording for "
                                    "about-yourself/devops")


@both_forms
@pytest.mark.parametrize("args, message", [
    (["nope"], "error: no key point 'nope' in about-yourself (known: devops, platform)"),
    (["platform"], "error: 'platform' is already covered in attempt 1 of about-yourself"),
    (["devops", "--words", "  "], "error: give the words that made the point (--words)"),
])
def test_accept_refuses_in_one_line(data_dir, bank, tmp_path, attempt, args, message, form):
    result = run(*accept(*args, form=form), bank_path=tmp_path / "bank.toml", data_dir=data_dir)
    assert result.exit_code == 2  # bad input
    assert result.output.strip() == message
    assert not (data_dir / OVERLAY_FILE).exists()


def test_overlay_accept_names_the_session_and_question(data_dir, bank, tmp_path, attempt):
    bank_path = tmp_path / "bank.toml"
    wrong = run(*accept("devops", "--session", "20000101-000000", "--words", WORDS),
                bank_path=bank_path, data_dir=data_dir)
    assert wrong.exit_code == 2 and wrong.output.startswith("error: ")
    assert not (data_dir / OVERLAY_FILE).exists()
    result = run(*accept("devops", "--session", attempt.session_id, "-q", "about-yourself",
                         "--words", WORDS), bank_path=bank_path, data_dir=data_dir)
    assert result.exit_code == 0, result.output
    assert load_overlay(data_dir).phrases == {("about-yourself", "devops"): (WORDS,)}


def test_review_takes_one_of_accept_and_undo(data_dir, bank, tmp_path, attempt):
    result = run("review", "latest", "--accept", "devops", "--undo", "devops",
                 bank_path=tmp_path / "bank.toml", data_dir=data_dir)
    assert result.exit_code == 2
    assert result.output.startswith("error: give one of --accept and --undo")


def test_questions_show_and_scoring_use_the_overlay(data_dir, bank, tmp_path, attempt):
    bank_path = tmp_path / "bank.toml"
    run(*accept("devops", "--words", WORDS), bank_path=bank_path, data_dir=data_dir)
    shown = run("questions", "show", "about-yourself", bank_path=bank_path, data_dir=data_dir)
    assert shown.exit_code == 0, shown.output
    assert f"your wording: {WORDS}" in shown.output
    as_json = run("questions", "show", "about-yourself", "--json", bank_path=bank_path,
                  data_dir=data_dir)
    assert json.loads(as_json.output)["your_phrases"] == {"devops": [WORDS]}

    answer = tmp_path / "answer.txt"
    answer.write_text("Honestly I spent years keeping servers alive for the operations group.")
    scored = run("score", "-q", "about-yourself", "--text", str(answer), "--json",
                 bank_path=bank_path, data_dir=data_dir)
    point = {k["id"]: k for k in json.loads(scored.output)["key_points"]}["devops"]
    assert point["covered"] and point["matched_by"] == "phrase" and point["phrase"] == WORDS


def test_export_is_bank_format_and_import_merges_and_rescores(data_dir, bank, tmp_path,
                                                              attempt):
    bank_path = tmp_path / "bank.toml"
    run(*accept("devops", "--words", WORDS), bank_path=bank_path, data_dir=data_dir)
    exported = tmp_path / "to-share" / "mine.toml"  # a folder not made yet is made
    result = run("overlay", "export", "-o", str(exported), bank_path=bank_path,
                 data_dir=data_dir)
    assert result.exit_code == 0, result.output
    data = tomllib.loads(exported.read_text(encoding="utf-8"))
    assert data["questions"] == [{"id": "about-yourself", "key_points": [
        {"id": "devops", "text": "Came from DevOps", "phrases": [WORDS]}]}]

    # Another data directory (another machine) imports it: its attempt is re-scored.
    other = tmp_path / "elsewhere"
    theirs = saved_attempt(other, bank)
    result = run("overlay", "import", str(exported), bank_path=bank_path, data_dir=other)
    assert result.exit_code == 0, result.output
    assert "imported 1 phrase(s)" in result.output and "1 changed" in result.output
    assert "devops" in covered(other, theirs.id)[1]

    # Merged into the bank itself, the phrase counts without any overlay.
    merged = bank_path.read_text(encoding="utf-8").replace(
        'phrases = ["started in devops"]', f'phrases = ["started in devops", "{WORDS}"]')
    merged_path = tmp_path / "merged.toml"
    merged_path.write_text(merged, encoding="utf-8")
    assert WORDS in load_bank(merged_path).find("about-yourself").key_points[0].phrases


@pytest.mark.parametrize("content, expected", [
    ("[[questions]\nid = ", "is not valid TOML"),
    ("questions = 3\n", "does not follow the bank format: 'questions' must be a list"),
    ('[[questions]]\nid = "about-yourself"\n[[questions.key_points]]\nid = "devops"\n',
     "key point #1 of 'about-yourself' needs an 'id' and a list of non-empty 'phrases'"),
    (b"\xff\xfe\x00garbage", "is not valid TOML"),
])
def test_a_corrupt_overlay_is_one_line_and_nothing_is_lost(data_dir, bank, tmp_path, attempt,
                                                          content, expected):
    path = data_dir / OVERLAY_FILE
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    kept = path.read_bytes()
    for args in (["questions", "show", "about-yourself"], ["rescore"],
                 accept("devops", "--words", WORDS)):
        result = run(*args, bank_path=tmp_path / "bank.toml", data_dir=data_dir)
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: the overlay {path}")
        assert expected in lines[0]
    assert path.read_bytes() == kept  # the user's file is left for them to fix
    assert "Traceback" not in result.output


def test_rescore_command_reports_what_changed(data_dir, bank, tmp_path, attempt):
    bank_path = tmp_path / "bank.toml"
    (data_dir / OVERLAY_FILE).write_text(
        '[[questions]]\nid = "about-yourself"\n[[questions.key_points]]\nid = "devops"\n'
        f'phrases = ["{WORDS}"]\n', encoding="utf-8")
    assert read_overlay(data_dir / OVERLAY_FILE).phrases == {
        ("about-yourself", "devops"): (WORDS,)}
    result = run("rescore", "-q", "about-yourself", bank_path=bank_path, data_dir=data_dir)
    assert result.exit_code == 0, result.output
    assert f"attempt 1 of about-yourself: {attempt.score} ->" in result.output
    assert "re-scored 1 attempt(s), 1 changed" in result.output
    unchanged = run("rescore", bank_path=bank_path, data_dir=data_dir)
    assert "re-scored 1 attempt(s), 0 changed" in unchanged.output


def test_rescore_scores_a_follow_up_on_the_points_it_was_asked(data_dir, bank, tmp_path):
    from history_data import score_answer, timed_transcript, write_wav
    from voiceprep.scoring.followup import follow_up_question

    drift = bank.find("drift")
    with Store(data_dir) as store:
        session = store.start_session(bank.title, now=DAY1)
        first = record(store, session, drift, "we alert when the threshold is crossed", 0.4, DAY1)
        follow_up = follow_up_question(drift, store.load(first).score)
        assert follow_up is not None and [kp.id for kp in follow_up.key_points] == ["psi"]
        transcript = timed_transcript("we watch the population stability index", 0.4)
        files = store.reserve_attempt(session, follow_up.id)
        write_wav(files.audio, transcript.duration_seconds or 1.0)
        answered = store.save_attempt(
            session, follow_up, files, transcript, score_answer(follow_up, transcript),
            started_at=DAY1, ended_at=DAY1 + timedelta(seconds=5),
            duration_seconds=transcript.duration_seconds, follow_up_of=first.id)
    assert answered.coverage == 1.0
    result = run("rescore", "-q", "drift", bank_path=tmp_path / "bank.toml", data_dir=data_dir)
    assert result.exit_code == 0, result.output
    assert "re-scored 2 attempt(s)" in result.output
    assert covered(data_dir, answered.id)[0].coverage == 1.0
