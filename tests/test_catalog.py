"""Bad input, as a hostile user would try it: every command, every option, every kind of file.

Each case must end with a documented exit status and, when it fails, exactly one line on stderr
starting with "error:"; never a traceback, never a hang. The tally of the whole catalog is
printed by the last test (run `pytest tests/test_catalog.py -s` to see it).
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voiceprep.bank import Bank, KeyPoint, Question, load_bank, validate_bank
from voiceprep.cli import main
from voiceprep.errors import BankError
from voiceprep.options import Seconds
from voiceprep.scoring import score
from voiceprep.transcript import Transcript, Word

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "questions"
DOCUMENTED_STATUSES = {0, 1, 2, 3}
HANG_SECONDS = 30.0
TALLY = {"tried": 0, "clean": 0, "tracebacks": 0, "hangs": 0}


@dataclass
class Outcome:
    exit_code: int | None
    stdout: str
    stderr: str
    exception: BaseException | None
    hung: bool


def invoke(args: list[str], stdin: str | None = None) -> Outcome:
    """Run the CLI in-process on a watchdog thread: a hang is reported, not waited out."""
    box: dict[str, object] = {}

    def target() -> None:
        box["result"] = CliRunner().invoke(main, args, input=stdin)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(HANG_SECONDS)
    if worker.is_alive():
        return Outcome(None, "", "", None, hung=True)
    result = box["result"]
    return Outcome(result.exit_code, result.stdout, result.stderr,  # type: ignore[attr-defined]
                   result.exception, hung=False)  # type: ignore[attr-defined]


def check_clean(outcome: Outcome, *, may_succeed: bool = False) -> None:
    """The contract for bad input; counted in the tally whatever the verdict."""
    TALLY["tried"] += 1
    if outcome.hung:
        TALLY["hangs"] += 1
        pytest.fail("hung")
    crashed = (outcome.exception is not None and not isinstance(outcome.exception, SystemExit))
    if crashed or "Traceback" in outcome.stderr + outcome.stdout:
        TALLY["tracebacks"] += 1
        pytest.fail(f"traceback: {outcome.exception!r}\n{outcome.stderr}")
    assert outcome.exit_code in DOCUMENTED_STATUSES | {129, 130, 143}, outcome.exit_code
    if outcome.exit_code == 0:
        assert may_succeed, f"accepted bad input: {outcome.stdout[:200]}"
    else:
        lines = outcome.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), outcome.stderr
        assert "\x1b" not in outcome.stderr
    TALLY["clean"] += 1


# ---- kinds of file ---------------------------------------------------------------------------

def make_input(kind: str, tmp_path: Path) -> Path:
    path = tmp_path / f"input-{kind}"
    if kind == "missing":
        return path
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        return Path("/dev/zero")
    elif kind == "symlink-loop":
        path.symlink_to(tmp_path / "input-loop-b")
        (tmp_path / "input-loop-b").symlink_to(path)
    elif kind == "broken-symlink":
        path.symlink_to(tmp_path / "nowhere")
    elif kind == "under-a-file":
        (tmp_path / "a-file").write_text("x")
        return tmp_path / "a-file" / "below"
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 64)
    elif kind == "not-utf8":
        path.write_bytes("réponse à côté\n".encode("latin-1"))
    elif kind == "deep-toml":
        path.write_text("questions = " + "[" * 3000 + "]" * 3000 + "\n")
    elif kind == "nul-bytes":
        path.write_bytes(b"\x00" * 1000)
    else:
        raise ValueError(kind)
    return path


INPUT_KINDS = ["missing", "directory", "fifo", "device", "symlink-loop", "broken-symlink",
               "under-a-file", "empty", "binary", "not-utf8", "deep-toml", "nul-bytes"]
TEXT_AFTER_ALL = {"deep-toml", "nul-bytes"}
INPUT_COMMANDS = {
    "score --text": ["score", "-q", "about-yourself", "--text", "{}"],
    "score --audio": ["score", "-q", "about-yourself", "--audio", "{}"],
    "score --audio --save": ["score", "-q", "about-yourself", "--audio", "{}", "--save"],
    "transcribe": ["transcribe", "{}"],
    "questions list --bank": ["questions", "list", "--bank", "{}"],
    "questions show --bank": ["questions", "show", "about-yourself", "--bank", "{}"],
    "questions validate": ["questions", "validate", "{}"],
    "score --bank": ["score", "-q", "about-yourself", "--text", "-", "--bank", "{}"],
    "practice --bank": ["practice", "--bank", "{}", "--no-voice"],
    "questions import": ["questions", "import", "{}"],
}


@pytest.mark.parametrize("kind", INPUT_KINDS)
@pytest.mark.parametrize("command", list(INPUT_COMMANDS))
def test_every_input_slot_refuses_every_bad_file(tmp_path, command, kind):
    path = make_input(kind, tmp_path)
    args = [str(path) if a == "{}" else a for a in INPUT_COMMANDS[command]]
    outcome = invoke(args, stdin="I started in devops")
    if command == "questions validate" and outcome.exit_code == 2:
        # validate lists every problem, then a count: several lines by design
        TALLY["tried"] += 1
        assert not outcome.hung and outcome.exception is None or \
            isinstance(outcome.exception, SystemExit)
        assert outcome.stderr.splitlines()[-1].endswith(f"problem(s) in {path}")
        TALLY["clean"] += 1
        return
    # Bracket soup and NUL characters are still UTF-8 text: a (meaningless) typed answer.
    check_clean(outcome, may_succeed=command == "score --text" and kind in TEXT_AFTER_ALL)


OUTPUT_KINDS = ["directory", "fifo", "device", "symlink-loop", "under-a-file"]
OUTPUT_COMMANDS = {
    "report -o": ["report", "-o", "{}"],
    "export -o": ["export", "-o", "{}"],
    "progress --chart": ["progress", "--chart", "{}"],
    "say --save": ["say", "hello", "--save", "{}"],
    "record": ["record", "{}", "--max", "1"],
    "questions import -o": ["questions", "import", str(ROOT / "tests/data/notes/qa.txt"),
                            "-o", "{}"],
}


@pytest.mark.parametrize("kind", OUTPUT_KINDS)
@pytest.mark.parametrize("command", list(OUTPUT_COMMANDS))
def test_every_output_slot_refuses_what_would_hang_or_fail(tmp_path, history, command, kind):
    path = make_input(kind, tmp_path)
    args = [str(path) if a == "{}" else a for a in OUTPUT_COMMANDS[command]]
    check_clean(invoke(args))


DATA_DIR_KINDS = ["regular-file", "fifo", "device", "symlink-loop", "under-a-file"]
DATA_DIR_COMMANDS = {
    "sessions": ["sessions"], "review": ["review"], "review --json": ["review", "--json"],
    "progress": ["progress"], "report": ["report"], "export": ["export"],
    "recover": ["recover"], "score --save": ["score", "-q", "about-yourself", "--audio",
                                             str(ROOT / "README.md"), "--save"],
    "practice": ["practice", "--no-voice"],
}


@pytest.mark.parametrize("kind", DATA_DIR_KINDS)
@pytest.mark.parametrize("command", list(DATA_DIR_COMMANDS))
def test_every_command_refuses_an_unusable_data_directory(tmp_path, command, kind):
    path = make_input("binary" if kind == "regular-file" else kind, tmp_path)
    outcome = invoke([*DATA_DIR_COMMANDS[command], "--data-dir", str(path)])
    check_clean(outcome)
    assert "data directory" in outcome.stderr


# ---- option values ----------------------------------------------------------------------------

BAD_SECONDS = ["nan", "NaN", "inf", "-inf", "1e309", "-1", "0", "0.1", "abc", "", "1e6", "3s"]
BAD_NUMBERS = {"--rate": ["0", "-5", "10000", "abc", "nan"],
               "--count": ["0", "-1", "abc", "1.5"], "--seed": ["abc", "1.5"],
               "--order": ["bogus"], "--engine": ["bogus"]}


# practice has no --max: its limit comes from each question's target.
@pytest.mark.parametrize("command, option", [("record", "--silence"), ("practice", "--silence"),
                                             ("record", "--max")])
@pytest.mark.parametrize("value", BAD_SECONDS)
def test_record_and_practice_refuse_the_same_bad_seconds(tmp_path, command, option, value):
    args = ([command, str(tmp_path / "x.wav")] if command == "record" else [command])
    outcome = invoke([*args, option, value])
    check_clean(outcome)
    assert f"Invalid value for '{option}'" in outcome.stderr


@pytest.mark.parametrize("option, value", [(o, v) for o, vs in BAD_NUMBERS.items() for v in vs])
def test_practice_refuses_bad_option_values(option, value):
    outcome = invoke(["practice", option, value])
    check_clean(outcome)
    assert option in outcome.stderr


@pytest.mark.parametrize("args", [
    ["score"], ["score", "-q", "about-yourself"], ["score", "-q", "x", "--text", "-", "--audio",
                                                   "a.wav"],
    ["score", "-q", "about-yourself", "--text", "-", "--model", "base.en"],
    ["score", "-q", "about-yourself", "--text", "-", "--save"],
    ["export", "--format", "xml"], ["review", "a", "b"], ["transcribe"], ["nonsense"],
    ["questions", "nonsense"], ["--bogus"], ["say"], ["record"], ["review", "--play", "--x"],
    ["say", "hi", "--rate", "5"],
])
def test_usage_errors_are_one_line_with_status_2(args):
    outcome = invoke(args, stdin="")
    check_clean(outcome)
    assert outcome.exit_code == 2


@pytest.mark.parametrize("ref", ["%", "_", "%%", "2026%", "\\", "'; DROP TABLE sessions; --",
                                 "\x1b[2J"])
def test_session_references_are_matched_literally(history, ref):
    outcome = invoke(["review", ref])
    check_clean(outcome)
    assert "no session" in outcome.stderr
    assert invoke(["sessions", "--json"]).exit_code == 0  # the history is intact


@pytest.mark.parametrize("text, status", [
    ("", 2), ("   \n\t", 2), ("\x00\x00", 0), ("um " * 2000, 0), ("a" * 200_000, 0),
    ("\u202e" * 50, 0), ("日本語の回答です", 0), ("\ud7ff", 0), ("it cost us $", 0), ("$", 0),
])
def test_odd_typed_answers_score_or_fail_cleanly(text, status):
    outcome = invoke(["score", "-q", "about-yourself", "--text", "-", "--json"], stdin=text)
    check_clean(outcome, may_succeed=True)
    assert outcome.exit_code == status
    if status == 0:
        result = json.loads(outcome.stdout)
        assert 0 <= result["score"] <= 100


def test_a_float_wav_with_nan_and_infinite_samples_is_transcribed(tmp_path, speak):
    import numpy as np
    import soundfile as sf

    clean = speak("I started in DevOps and moved into MLOps.")
    samples, rate = sf.read(str(clean), dtype="float32")
    samples[[100, len(samples) // 2, len(samples) - 5]] = [np.nan, np.inf, -np.inf]
    broken = tmp_path / "nan.wav"
    sf.write(str(broken), samples, rate, subtype="FLOAT")
    outcome = invoke(["transcribe", str(broken)])
    check_clean(outcome, may_succeed=True)
    assert outcome.exit_code == 0, outcome.stdout

    def words(text: str) -> list[str]:
        return re.findall(r"[a-z]+", text.lower())

    heard, clean_heard = words(outcome.stdout), words(invoke(["transcribe", str(clean)]).stdout)
    # The silenced samples are clicks: a word may come out differently (tiny.en hears "DevOps"
    # and "MLOps" differently on different CPUs either way), the answer does not.
    assert "started in" in " ".join(heard) and "moved into" in " ".join(heard), heard
    assert difflib.SequenceMatcher(None, heard, clean_heard).ratio() >= 0.7, (heard, clean_heard)
    all_nan = tmp_path / "all-nan.wav"
    sf.write(str(all_nan), np.full(16000, np.nan, dtype="float32"), 16000, subtype="FLOAT")
    outcome = invoke(["transcribe", str(all_nan)])
    check_clean(outcome)
    assert "every sample is NaN or infinite" in outcome.stderr


def test_a_phrase_of_only_punctuation_fails_validation(tmp_path, bank):
    text = (tmp_path / "bank.toml").read_text("utf-8").replace(
        'phrases = ["platform team"]', 'phrases = ["platform team", "?!...", "---", "$"]')
    path = tmp_path / "punctuation.toml"
    path.write_text(text, "utf-8")
    problems = validate_bank(path)
    assert len(problems) == 3 and all("no words to match" in p for p in problems), problems


def test_the_virtual_audio_script_exports_its_own_server(tmp_path):
    import subprocess

    runtime = tmp_path / "audio"
    env = {**os.environ, "VOICEPREP_AUDIO_RUNTIME": str(runtime),
           "PULSE_SERVER": "unix:/elsewhere/native", "PULSE_RUNTIME_PATH": "/elsewhere",
           "PULSE_SOURCE": "a-desktop-microphone"}
    script = ROOT / "scripts" / "virtual-audio.sh"
    if subprocess.run(["which", "pulseaudio"], capture_output=True).returncode != 0:
        pytest.skip("pulseaudio is not installed")
    try:
        shown = subprocess.run(
            ["bash", "-c", f'eval "$(bash {script} start)" && pactl info && '
             'echo "SOURCE=${PULSE_SOURCE:-unset} SERVER=$PULSE_SERVER"'],
            env=env, capture_output=True, text=True, timeout=60)
        assert shown.returncode == 0, shown.stderr
        assert f"SERVER=unix:{runtime}/pulse/native" in shown.stdout
        assert "SOURCE=unset" in shown.stdout
        assert "Default Source: virt.monitor" in shown.stdout
    finally:
        subprocess.run(["bash", str(script), "stop"], env=env, capture_output=True, timeout=60)


# ---- properties: any input gives a valid result or a clean error --------------------------------

def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


leaves = st.one_of(st.text(max_size=30), st.integers(-10, 500), st.floats(), st.booleans(),
                   st.sampled_from(["about-yourself", "Kubernetes", "...", "x" * 3, "\x1b[2J"]))
values = st.recursive(leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20)
field_names = st.sampled_from(["id", "category", "prompt", "target_seconds", "reference",
                               "keywords", "key_points", "text", "phrases", "required", "weight",
                               "title", "version", "other"])
key_points = st.dictionaries(field_names, values, max_size=6)
questions = st.dictionaries(field_names, st.one_of(values, st.lists(key_points, max_size=3)),
                            max_size=8)
banks = st.fixed_dictionaries({"bank": st.dictionaries(field_names, values, max_size=3),
                               "questions": st.lists(questions, max_size=3)})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=st.one_of(banks, st.text(max_size=300)))
def test_property_bank_loader_gives_a_bank_or_a_bank_error(tmp_path, data):
    text = data if isinstance(data, str) else "\n".join(
        f"{key} = {toml_value(value)}" for key, value in data.items())
    path = tmp_path / "bank.toml"
    path.write_bytes(text.encode("utf-8", errors="replace"))
    TALLY["tried"] += 1
    try:
        bank = load_bank(path)
    except BankError as e:
        assert e.problems and all(isinstance(p, str) and p for p in e.problems)
        assert validate_bank(path) == e.problems
    else:
        assert isinstance(bank, Bank) and bank.questions
        assert validate_bank(path) == []
    TALLY["clean"] += 1


words = st.builds(
    Word, word=st.one_of(st.text(max_size=12), st.sampled_from(
        ["devops", "DevOps", "started", "in", "um", ",", "Kubernetes.", "50%", "three"])),
    start=st.one_of(st.none(), st.floats(0, 1e4)), end=st.one_of(st.none(), st.floats(0, 1e4)),
    probability=st.one_of(st.none(), st.floats(0, 1)))
phrases = st.lists(st.one_of(st.text(min_size=1, max_size=20).filter(str.strip), st.sampled_from(
    ["started in devops", "kubernetes", "50 percent", "k8s"])), min_size=1, max_size=3)
scored_questions = st.builds(
    lambda pts, target: Question(
        id="q", category="c", prompt="p", target_seconds=target, reference="r",
        key_points=tuple(KeyPoint(id=f"k{i}", text="t", phrases=tuple(p), required=i == 0,
                                  weight=w) for i, (p, w) in enumerate(pts))),
    st.lists(st.tuples(phrases, st.floats(0.1, 10)), min_size=1, max_size=4),
    st.tuples(st.integers(1, 100), st.integers(100, 300)))


@settings(max_examples=200, deadline=None)
@given(question=scored_questions, spoken=st.lists(words, max_size=40), typed=st.text(max_size=200))
def test_property_scorer_always_gives_a_valid_score(question, spoken, typed):
    for transcript in (Transcript(text=" ".join(w.word for w in spoken), words=tuple(spoken)),
                       Transcript.from_text(typed)):
        TALLY["tried"] += 1
        result = score(question, transcript)
        assert 0 <= result.score <= 100 and 0.0 <= result.coverage <= 1.0
        assert 0 <= result.delivery_score <= 100
        assert len(result.key_points) == len(question.key_points)
        for point in result.key_points:
            assert 0 <= point.confidence <= 100
            if not point.covered:
                assert point.evidence == "" and point.start is None
        json.dumps(result.to_dict(), allow_nan=False)
        TALLY["clean"] += 1


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.text(max_size=20), st.floats(allow_nan=True, allow_infinity=True),
                       st.integers()))
def test_property_seconds_option_gives_a_finite_number_in_range_or_a_usage_error(value):
    TALLY["tried"] += 1
    try:
        seconds = Seconds(0.5, 600).convert(value, None, None)
    except click.BadParameter:
        TALLY["clean"] += 1
        return
    assert math.isfinite(seconds) and 0.5 <= seconds <= 600
    TALLY["clean"] += 1


@settings(max_examples=40, deadline=None)
@given(silence=st.text(max_size=10), rate=st.text(max_size=6), count=st.text(max_size=6))
def test_property_practice_option_parsing_is_clean(silence, rate, count):
    outcome = invoke(["practice", "--bank", "/nonexistent/bank.toml", "--silence", silence,
                      "--rate", rate, "--count", count, "--data-dir", "/nonexistent/data"])
    check_clean(outcome)
    assert outcome.exit_code == 2


def test_the_catalog_tally():
    """Last in the file: the counts the catalog closes with."""
    print(f"\ncatalog: {TALLY['tried']} cases tried, {TALLY['clean']} clean, "
          f"{TALLY['tracebacks']} tracebacks, {TALLY['hangs']} hangs")
    if TALLY["tried"]:
        assert TALLY["tracebacks"] == 0 and TALLY["hangs"] == 0
