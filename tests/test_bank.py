from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from voiceprep.bank.questions import (
    PACKAGED_BANK,
    Bank,
    Question,
    default_bank_path,
    load_bank,
    validate_bank,
)
from voiceprep.cli import main
from voiceprep.errors import BankError, QuestionNotFound

REPO = Path(__file__).resolve().parents[1]

GOOD = '''
[bank]
title = "Test bank"
version = 1

[[questions]]
id = "about-yourself"
category = "behavioral"
prompt = "Tell me about yourself."
target_seconds = [60, 120]
reference = "I came from DevOps into MLOps."
keywords = ["MLOps", "Kubernetes"]

  [[questions.key_points]]
  id = "devops-background"
  text = "Came from DevOps into MLOps"
  phrases = ["started in devops", "devops background"]
  required = true

  [[questions.key_points]]
  id = "kubernetes"
  text = "Runs models on Kubernetes"
  phrases = ["Kubernetes", "K8s"]
  weight = 2
'''


def write(tmp_path: Path, text: str, name: str = "bank.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_load_good_bank(tmp_path):
    bank = load_bank(write(tmp_path, GOOD))
    assert bank.title == "Test bank"
    q = bank.find("about-yourself")
    assert q.target_seconds == (60, 120)
    assert [kp.id for kp in q.key_points] == ["devops-background", "kubernetes"]
    assert q.key_points[0].required is True and q.key_points[0].weight == 1.0
    assert q.key_points[1].required is False and q.key_points[1].weight == 2.0
    assert q.vocabulary() == ("MLOps", "Kubernetes", "K8s")


def test_directory_of_banks_and_duplicate_ids_across_files(tmp_path):
    write(tmp_path, GOOD, "a.toml")
    write(tmp_path, GOOD, "b.toml")
    problems = validate_bank(tmp_path)
    assert problems == ["b.toml: question 'about-yourself': duplicate id (also in a.toml)"]


def test_select_by_category_and_ids(tmp_path):
    bank = load_bank(write(tmp_path, GOOD))
    assert [q.id for q in bank.select(category="BEHAVIORAL")] == ["about-yourself"]
    with pytest.raises(QuestionNotFound, match="categories: behavioral"):
        bank.select(category="nope")
    with pytest.raises(QuestionNotFound, match="known: about-yourself"):
        bank.select(ids=("missing",))


@pytest.mark.parametrize("asked, message", [
    ("project-15O", "no question 'project-15O' in the bank (did you mean: project-15, project-5, "
                    "project-1, project-25, project-21; 30 questions in all: see 'voiceprep "
                    "questions list')"),
    ("zzz", "no question 'zzz' in the bank (known: project-0, project-1, project-2, project-3, "
            "project-4; 30 questions in all: see 'voiceprep questions list')"),
])
def test_an_unknown_id_in_a_large_bank_names_the_ids_spelled_like_it(tmp_path, asked,
                                                                     message):
    question = load_bank(write(tmp_path, GOOD)).questions[0]
    bank = Bank("Large", tuple(replace(question, id=f"project-{n}") for n in range(30)))
    with pytest.raises(QuestionNotFound) as raised:
        bank.find(asked)
    assert str(raised.value) == message


BAD_BANKS = [
    ("syntax", GOOD.replace('version = 1', 'version = '), "TOML syntax error: .*line 4"),
    ("missing-prompt", GOOD.replace('prompt = "Tell me about yourself."\n', ''),
     "question 'about-yourself': missing field 'prompt'"),
    ("wrong-type", GOOD.replace('target_seconds = [60, 120]', 'target_seconds = "60-120"'),
     "question 'about-yourself': field 'target_seconds' must be"),
    ("min-gt-max", GOOD.replace('[60, 120]', '[120, 60]'), "needs 0 < min <= max"),
    ("three-targets", GOOD.replace('[60, 120]', '[60, 90, 120]'), "must be \\[min, max\\]"),
    ("bad-id", GOOD.replace('id = "about-yourself"', 'id = "About Yourself"'),
     "id 'About Yourself' may use only"),
    ("unknown-key", GOOD.replace('keywords =', 'colour = "red"\nkeywords ='),
     "unknown field 'colour'"),
    ("empty-phrases", GOOD.replace('phrases = ["Kubernetes", "K8s"]', 'phrases = []'),
     "key point 'kubernetes': field 'phrases' must be a non-empty list"),
    ("blank-phrase", GOOD.replace('"K8s"]', '"  "]'), "empty or non-string phrase"),
    ("dup-key-point", GOOD.replace('id = "kubernetes"', 'id = "devops-background"'),
     "key point 'devops-background': duplicate id"),
    ("bad-weight", GOOD.replace('weight = 2', 'weight = -1'), "'weight' must be a positive"),
    ("bad-required", GOOD.replace('required = true', 'required = "yes"'),
     "'required' must be true or false"),
    ("bad-by-meaning", GOOD.replace('required = true', 'required = true\n  by_meaning = 1'),
     "'by_meaning' must be true or false"),
    ("no-questions", '[bank]\ntitle = "x"\n', "no \\[\\[questions\\]\\]"),
    ("bad-version", GOOD.replace('version = 1', 'version = 2'), "'version' must be 1"),
    ("empty-prompt", GOOD.replace('"Tell me about yourself."', '"  "'),
     "field 'prompt' must not be empty"),
    # Without key points they are drafted from the reference: an error only when it gives none.
    ("no-key-points", GOOD.split("  [[questions.key_points]]")[0].replace(
        '"I came from DevOps into MLOps."', '"Yes."'),
     "no key points, and none could be drawn from its reference answer"),
    ("follow-up-not-a-question",
     GOOD.replace('required = true', 'required = true\n  follow_up = "Tell me more."'),
     "key point 'devops-background': field 'follow_up' must be a question"),
    ("follow-up-not-text", GOOD.replace('required = true', 'required = true\n  follow_up = 3'),
     "field 'follow_up' must be a question"),
]


@pytest.mark.parametrize("text, message", [b[1:] for b in BAD_BANKS], ids=[b[0] for b in BAD_BANKS])
def test_bad_banks_are_reported_precisely(tmp_path, text, message):
    path = write(tmp_path, text)
    problems = validate_bank(path)
    assert problems, "the bank should not validate"
    assert any(__import__("re").search(message, p) for p in problems), problems
    with pytest.raises(BankError):
        load_bank(path)
    result = CliRunner().invoke(main, ["questions", "validate", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["questions", "list", "--bank", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and result.output.count("\n") == 1


def test_every_problem_is_listed(tmp_path):
    text = GOOD.replace('[60, 120]', '[120, 60]').replace('weight = 2', 'weight = 0')
    problems = validate_bank(write(tmp_path, text))
    assert len(problems) == 2


def test_missing_bank_path():
    result = CliRunner().invoke(main, ["questions", "list", "--bank", "/nonexistent/bank"])
    assert result.exit_code == 2
    assert result.output == "error: /nonexistent/bank: no such file or directory\n"


def test_builtin_bank_is_valid_and_complete():
    assert validate_bank(REPO / "questions") == []
    bank = load_bank(REPO / "questions")
    assert len(bank.questions) == 13
    for q in bank.questions:
        assert 5 <= len(q.key_points) <= 8, q.id
        assert q.keywords, q.id
        assert any(kp.required for kp in q.key_points), q.id
        for kp in q.key_points:  # the interviewer has a follow-up for every required point
            assert kp.follow_up.endswith("?") if kp.required else kp.follow_up == "", kp.id
    assert len(load_bank(PACKAGED_BANK).questions) == 13


def test_default_bank_is_checkout_questions_or_packaged(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    assert default_bank_path() == Path("questions").resolve() or default_bank_path().samefile(
        REPO / "questions")
    monkeypatch.chdir(tmp_path)
    assert default_bank_path() == PACKAGED_BANK


def test_questions_cli_list_show_validate():
    runner = CliRunner()
    result = runner.invoke(main, ["questions", "validate"])
    assert result.exit_code == 0, result.output
    assert "13 questions" in result.output
    result = runner.invoke(main, ["questions", "list", "--category", "technical"])
    assert result.exit_code == 0
    assert "kubernetes" in result.output.lower()
    result = runner.invoke(main, ["questions", "show", "about-yourself", "--json"])
    assert result.exit_code == 0
    import json
    data = json.loads(result.output)
    assert data["id"] == "about-yourself" and data["key_points"]
    result = runner.invoke(main, ["questions", "show", "no-such-question"])
    assert result.exit_code == 2
    assert "no question 'no-such-question'" in result.output


def test_a_question_round_trips_through_its_json():
    """How an attempt's question snapshot is read back."""
    import json

    for question in load_bank(PACKAGED_BANK).questions:
        data = json.loads(json.dumps(question.to_dict()))
        assert Question.from_dict(data) == question
        assert Question.from_dict(data).to_dict() == data
