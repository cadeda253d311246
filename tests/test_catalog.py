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
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voiceprep.bank.questions import Bank, KeyPoint, Question, load_bank, validate_bank
from voiceprep.cli import main
from voiceprep.errors import BankError, StoreError
from voiceprep.hearing.transcript import Transcript, Word
from voiceprep.options import Seconds
from voiceprep.scoring.score import score

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "questions"
DOCUMENTED_STATUSES = {0, 1, 2, 3}
HANG_SECONDS = 30.0
TALLY = {"tried": 0, "clean": 0, "tracebacks": 0, "hangs": 0, "crashes": 0, "data lost": 0}


@dataclass
class Outcome:
    exit_code: int | None
    stdout: str
    stderr: str
    exception: BaseException | None
    hung: bool


def invoke(args: list[str], stdin: str | None = None,
           env: dict[str, str] | None = None) -> Outcome:
    """Run the CLI in-process on a watchdog thread: a hang is reported, not waited out."""
    box: dict[str, object] = {}

    def target() -> None:
        box["result"] = CliRunner().invoke(main, args, input=stdin, env=env)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(HANG_SECONDS)
    if worker.is_alive():
        return Outcome(None, "", "", None, hung=True)
    result = box["result"]
    return Outcome(result.exit_code, result.stdout, result.stderr,  # type: ignore[attr-defined]
                   result.exception, hung=False)  # type: ignore[attr-defined]


def assert_kept(condition: bool) -> None:
    """What the user had is still there, as it was; counted in the tally when it is not."""
    if not condition:
        TALLY["data lost"] += 1
        pytest.fail("data lost: a file or row the user had was changed or removed")


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
    if outcome.exit_code not in DOCUMENTED_STATUSES | {129, 130, 143}:
        TALLY["crashes"] += 1
        pytest.fail(f"undocumented exit status {outcome.exit_code}")
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


# ---- what a user types never corrupts their files ---------------------------------------------

def history_bank() -> Path:
    """The bank file the `history` fixture wrote (tmp_path/bank.toml)."""
    return Path(os.environ["VOICEPREP_DATA_DIR"]).parent / "bank.toml"


def index_rows(data_dir: Path) -> list[dict]:
    """Every attempt as the index holds it (a read-only look: nothing migrates or recovers)."""
    import sqlite3

    db = sqlite3.connect(f"file:{data_dir / 'voiceprep.db'}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute("SELECT * FROM attempts ORDER BY id")]
    finally:
        db.close()


def files_of(directory: Path) -> dict[str, bytes]:
    """Every regular file under `directory` with its bytes (what must not be lost)."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*"))
            if p.is_file() and not p.is_symlink() and p.name != "voiceprep.db"}


def run_voiceprep(*args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    """The real command line in its own process (for concurrency, signals and byte arguments)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"),
                                                        os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "voiceprep", *args], env=env, timeout=timeout,
                          capture_output=True, **kwargs)


def one_error_line(stderr: str | bytes) -> str:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    lines = text.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), text
    assert "Traceback" not in text
    return lines[0]


HOSTILE_WORDS = ["take on\x7f too much", "\x1b[2J cleared", "over\u202eengineering",
                 "csi \x9b31m red", "nul \x00 byte", "bell \x07 ring"]


@pytest.mark.parametrize("words", HOSTILE_WORDS)
def test_accepted_words_with_control_characters_are_refused_and_the_overlay_still_reads(
        history, data_dir, words):
    from voiceprep.history.overlay import load_overlay

    first = history[0].id  # its drift answer missed the alerts point
    bank = history_bank()
    assert invoke(["review", first, "-q", "drift", "--accept", "alerts", "--words", "raise an "
                   "alert", "--bank", str(bank)]).exit_code == 0
    kept = (data_dir / "overlay.toml").read_bytes()
    outcome = invoke(["review", first, "-q", "drift", "--accept", "alerts", "--words", words,
                      "--bank", str(bank)])
    check_clean(outcome)
    assert outcome.exit_code == 2 and "control character" in outcome.stderr
    assert_kept((data_dir / "overlay.toml").read_bytes() == kept)
    assert load_overlay(data_dir).for_question("drift") == {"alerts": ("raise an alert",)}
    for args in (["questions", "show", "drift"], ["rescore"], ["overlay", "export"]):
        assert invoke([*args, "--bank", str(bank)]).exit_code == 0, args


@pytest.mark.parametrize("phrase", ["take on\\u007f too much", "\\u001b[2J", "a\\u202eb",
                                    "\\u009b31m", "   ", "?!..."])
def test_an_imported_overlay_is_held_to_the_bank_rules_for_phrases(history, data_dir, tmp_path,
                                                                   phrase):
    incoming = tmp_path / "theirs.toml"
    incoming.write_text('[[questions]]\nid = "drift"\n[[questions.key_points]]\nid = "alerts"\n'
                        f'phrases = ["{phrase}"]\n', "utf-8")
    outcome = invoke(["overlay", "import", str(incoming), "--bank", str(history_bank())])
    check_clean(outcome)
    assert outcome.exit_code == 2 and "drift/alerts" in outcome.stderr
    assert not (data_dir / "overlay.toml").exists()


def test_what_the_overlay_writes_reads_back_and_is_inert_on_a_terminal():
    import tomllib

    from voiceprep.history.overlay import Overlay, parse_overlay

    # An overlay made before phrases were checked: written, it must still parse, and printing it
    # (overlay export) must not act on the terminal.
    overlay = Overlay({("drift", "alerts"): ("a\x7fb", "c\u202ed", "e\x9bf", 'quote " \\ end')})
    text = overlay.to_toml()
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", text)
    assert tomllib.loads(text)["questions"][0]["key_points"][0]["phrases"] == list(
        overlay.phrases[("drift", "alerts")])
    TALLY["tried"] += 1
    with pytest.raises(Exception, match="control character"):
        parse_overlay(tomllib.loads(text), "old")  # and reading it says what to fix
    TALLY["clean"] += 1


def test_overlay_imports_at_once_all_survive(history, data_dir, tmp_path):
    """Eight `overlay import` processes at once, each adding its own phrase: all eight stay."""
    bank = history_bank()
    files = []
    for i in range(8):
        path = tmp_path / f"import-{i}.toml"
        path.write_text('[[questions]]\nid = "drift"\n[[questions.key_points]]\nid = "alerts"\n'
                        f'phrases = ["shared phrase number {i}"]\n', "utf-8")
        files.append(path)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    processes = [subprocess.Popen([sys.executable, "-m", "voiceprep", "overlay", "import",
                                   str(path), "--bank", str(bank), "--data-dir", str(data_dir)],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for path in files]
    outputs = [p.communicate(timeout=180) for p in processes]
    TALLY["tried"] += 1
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err.decode()
        assert b"imported 1 phrase(s)" in out
    from voiceprep.history.overlay import load_overlay

    phrases = load_overlay(data_dir).for_question("drift")["alerts"]
    assert_kept(sorted(phrases) == sorted(f"shared phrase number {i}" for i in range(8)))
    TALLY["clean"] += 1


@pytest.mark.parametrize("args, message", [
    (["config", "set", "voice.voice", "en-\udcff"], "not valid UTF-8"),
    (["config", "set", "voice.voice", "\x1b[2J"], "control characters"),
    (["config", "set", "voice.voice", "en\x7f"], "control characters"),
    (["config", "set", "scoring.long_pause_seconds", "nan"], "must be a number"),
    (["config", "set", "recording.silence_seconds", "nan"], "must be a number"),
    (["config", "set", "recording.silence_seconds", "inf"], "must be a number"),
    (["config", "set", "scoring.pace_wpm", "[100, inf]"], "two numbers"),
    (["config", "set", "scoring.pace_wpm", "[nan, 150]"], "two numbers"),
    (["config", "set", "voice.rate", "1e400"], "whole number"),
    (["config", "set", "scoring.fillers", '["um", "\\u001b"]'], "control characters"),
    (["config", "set", "scoring.hedges", "[" * 600 + "]" * 600], "list of non-empty"),
])
def test_a_settings_value_that_is_refused_leaves_the_file_as_it_was(settings_file, args,
                                                                   message):
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text("# mine\n[voice]\nrate = 150\n", "utf-8")
    kept = settings_file.read_bytes()
    outcome = invoke(args)
    check_clean(outcome)
    assert outcome.exit_code == 2 and message in outcome.stderr
    assert_kept(settings_file.read_bytes() == kept)


@pytest.mark.parametrize("content, message", [
    ("[scoring]\nlong_pause_seconds = nan\n", "must be a number"),
    ("[recording]\nsilence_seconds = inf\n", "must be a number"),
    ("[scoring]\npace_wpm = [-inf, 150]\n", "two numbers"),
    ("[voice]\nvoice = \"\\u009b31m\"\n", "control characters"),
    ("[scoring]\nhedges = " + "[" * 500 + "]" * 500 + "\n", "nested too deeply"),
    ("[scoring]\nhedges = " + "[" * 100 + "]" * 100 + "\n", "list of non-empty strings"),
])
def test_a_settings_file_with_values_no_command_can_use_is_one_line(settings_file, content,
                                                                    message):
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text(content, "utf-8")
    for args in (["config", "show", "--json"], ["score", "-q", "about-yourself", "--text", "-",
                                                "--json"]):
        outcome = invoke(args, stdin="I started in devops")
        check_clean(outcome)
        assert outcome.exit_code == 2 and message in outcome.stderr
    assert settings_file.read_text("utf-8") == content


def test_config_set_that_runs_out_of_room_leaves_the_settings_whole(settings_file):
    """The write fails past a file-size limit (RLIMIT_FSIZE: a disk that is full for it)."""
    import resource

    settings_file.parent.mkdir(parents=True)
    settings_file.write_text("[voice]\nrate = 150\n", "utf-8")
    kept = settings_file.read_bytes()
    big = json.dumps([f"hedge{i}" for i in range(2000)])

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = run_voiceprep("config", "set", "scoring.hedges", big, preexec_fn=limit)
    TALLY["tried"] += 1
    assert done.returncode == 2 and "cannot write" in one_error_line(done.stderr)
    assert_kept(settings_file.read_bytes() == kept)
    assert run_voiceprep("config", "show").returncode == 0  # every later command still works
    assert not list(settings_file.parent.glob("*.tmp"))
    TALLY["clean"] += 1


def test_migrations_are_safe_when_two_runs_open_a_new_data_directory(tmp_path):
    """Processes that open one new data directory at the same moment (two `practice` runs)
    all get a complete database, each migration applied once."""
    import multiprocessing
    import sqlite3

    context = multiprocessing.get_context("fork")
    for trial in range(6):
        directory = tmp_path / f"new-{trial}"
        with context.Pool(4) as pool:
            results = pool.map(_open_at, [(str(directory), time.time() + 0.3)] * 4)
        TALLY["tried"] += 1
        assert results == ["ok"] * 4, results
        db = sqlite3.connect(directory / "voiceprep.db")
        names = [r[0] for r in db.execute("SELECT name FROM migrations")]
        db.close()
        from voiceprep.history.migrations import MIGRATIONS

        assert names == [name for name, _ in MIGRATIONS]
        TALLY["clean"] += 1


def _open_at(arguments: tuple[str, float]) -> str:
    directory, moment = arguments
    from voiceprep.errors import StoreError
    from voiceprep.history.store import open_db

    time.sleep(max(0.0, moment - time.time()))  # all start together
    try:
        open_db(Path(directory)).close()
    except StoreError as e:
        return str(e)
    return "ok"


def test_rescore_with_another_bank_says_which_attempts_it_left(history, data_dir, tmp_path):
    """Attempts practised with --bank whose questions the built-in bank lacks: said, not a
    silent "0 changed"; their scores are left as they were."""
    from voiceprep.history.store import Store

    with Store(data_dir) as store:
        before = [(a.id, a.score) for a in store.attempts(question_id="drift")]
    outcome = invoke(["rescore"])
    assert outcome.exit_code == 0
    assert (f"{len(before)} attempt(s) asked from another bank kept their scores "
            "(give that bank with --bank to re-score them)") in outcome.stdout
    with Store(data_dir) as store:
        assert [(a.id, a.score) for a in store.attempts(question_id="drift")] == before
    quiet = invoke(["rescore", "--bank", str(history_bank())])
    assert quiet.exit_code == 0 and "another bank" not in quiet.stdout


def test_rescore_leaves_the_attempts_of_another_bank_with_the_same_question_id(history, data_dir,
                                                                              tmp_path):
    """Two banks may both have a "drift": an attempt is scored again only with the bank it was
    asked from (its session's bank title, or the same prompt), never with the other's points."""
    from voiceprep.history.store import Store

    mine = tmp_path / "mine.toml"
    mine.write_text(history_bank().read_text(encoding="utf-8")
                    .replace('title = "Test <b>bank</b>"', 'title = "My own bank"')
                    .replace("How do you detect <model> drift in production?",
                             "What is drift to you?")
                    .replace('phrases = ["population stability index"]',
                             'phrases = ["nothing anyone said"]'), encoding="utf-8")
    with Store(data_dir) as store:
        before = [(a.id, a.score) for a in store.attempts(question_id="drift")]
    assert before and any(score for _, score in before)
    outcome = invoke(["rescore", "--bank", str(mine), "-q", "drift"])
    assert outcome.exit_code == 0, outcome.output
    assert outcome.stdout.startswith("re-scored 0 attempt(s), 0 changed")
    assert f"{len(before)} attempt(s) asked from another bank" in outcome.stdout
    with Store(data_dir) as store:
        assert [(a.id, a.score) for a in store.attempts(question_id="drift")] == before
    assert (f"re-scored {len(before)} attempt(s)"
            in invoke(["rescore", "--bank", str(history_bank()), "-q", "drift"]).stdout)


def test_rescore_scores_the_others_when_one_attempt_has_lost_its_files(history, data_dir):
    from voiceprep.history.store import Store

    with Store(data_dir) as store:
        attempts = store.attempts(question_id="drift")
        lost = store.path_of(attempts[0].transcript_path)
    lost.unlink()  # a user who deleted it by hand
    outcome = invoke(["rescore", "--bank", str(history_bank()), "-q", "drift"])
    assert outcome.exit_code == 2, outcome.output  # bad input, said; the others are done
    assert f"re-scored {len(attempts) - 1} attempt(s)" in outcome.stdout
    assert outcome.stderr.startswith("error: the transcript of attempt")
    assert str(lost) in outcome.stderr and "(it kept its score)" in outcome.stderr


def test_rescore_after_the_bank_changes_updates_every_figure_the_index_holds(history, data_dir,
                                                                           tmp_path):
    from voiceprep.history.store import Store

    changed = retargeted_bank(tmp_path)
    before = {r["id"]: r for r in index_rows(data_dir)}
    outcome = invoke(["rescore", "--bank", str(changed)])
    check_clean(outcome, may_succeed=True)
    assert outcome.exit_code == 0
    with Store(data_dir) as store:
        for attempt in store.attempts(question_id="drift"):
            record = json.loads((data_dir / attempt.score_path).read_text("utf-8"))
            assert (attempt.target_min, attempt.target_max) == (1, 2)
            assert tuple(record["target_seconds"]) == (1, 2)
            assert attempt.timing == record["timing"] == "long"
            assert attempt.category == record["category"] == "mlops"
            assert before[attempt.id]["timing"] != "long"
            assert attempt.score == record["score"]
            assert attempt.coverage == record["coverage"]
            assert attempt.words_per_minute == record["words_per_minute"]
            assert attempt.filler_count == record["fillers"]["count"]
            assert attempt.hedge_count == record["hedges"]["count"]
            assert attempt.pause_count == record["pauses"]["count"]
    kept = ("category", "target_min", "target_max", "timing", "coverage")
    for row in index_rows(data_dir):  # the unchanged question is as it was
        if row["question_id"] == "about-yourself":
            assert {k: row[k] for k in kept} == {k: before[row["id"]][k] for k in kept}


def test_a_closed_standard_output_does_not_cost_the_saved_attempt(tmp_path, speak):
    """`voiceprep score --audio a.wav --save | head -0`: the attempt is kept all the same."""
    data = tmp_path / "kept"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "voiceprep", "score", "-q", "about-yourself", "--audio",
         str(speak("I started in DevOps and now I lead the platform team.")), "--save",
         "--data-dir", str(data)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader has gone before anything is printed
    _, err = process.communicate(timeout=300)
    TALLY["tried"] += 1
    assert b"Traceback" not in err, err.decode()
    assert process.returncode in (0, 1), err.decode()  # 1: click's status for a closed output
    assert_kept(len(index_rows(data)) == 1)
    [row] = index_rows(data)
    assert row["status"] == "complete" and row["score"] is not None
    assert (data / row["audio_path"]).stat().st_size > 44
    TALLY["clean"] += 1


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs (a disk that fills up); skipped where mounting needs more rights."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs",
                           str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(directory: Path) -> None:
    """Take every byte left on the disk."""
    fd = os.open(directory / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


def test_a_full_disk_leaves_no_partial_recording_and_the_history_readable(small_disk,
                                                                          tmp_path, bank):
    from history_data import build_history, write_wav
    from voiceprep.hearing.transcript import Transcript
    from voiceprep.history.store import Store

    data = small_disk / "data"
    with Store(data) as store:  # some history on the disk first
        build_history(store, bank)
    kept, rows = files_of(data), index_rows(data)
    room = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    big = write_wav(tmp_path / "big.wav", 2 * room / 32000 + 1)  # twice the room left
    transcript = Transcript.from_text("I started in devops")
    question = bank.find("about-yourself")
    TALLY["tried"] += 1
    with Store(data) as store, pytest.raises(StoreError, match="cannot copy"):
        store.import_recording(big, question, transcript, score(question, transcript))
    TALLY["clean"] += 1
    assert_kept(index_rows(data) == rows and files_of(data) == kept)  # nothing half-written
    with Store(data) as store:
        assert [s.attempts for s in store.sessions()] == [2, 2]  # no empty session either
    fill(small_disk)
    for args in (["sessions"], ["sessions", "--json"], ["export"], ["export", "--format", "json"],
                 ["review", "latest"], ["progress"], ["rescore", "--bank",
                                                      str(tmp_path / "bank.toml")]):
        outcome = invoke([*args, "--data-dir", str(data)])
        check_clean(outcome, may_succeed=args[0] != "rescore")
    assert_kept(index_rows(data) == rows and files_of(data) == kept)


# ---- input that is not what it claims ------------------------------------------------------

def make_at(kind: str, path: Path) -> None:
    """Put a file of `kind` at `path` (replacing what is there)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "symlink-loop":
        path.symlink_to(path.with_name(path.name + ".b"))
        path.with_name(path.name + ".b").symlink_to(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "huge":
        with open(path, "wb") as f:
            f.truncate(65 * 1024 * 1024)  # sparse: costs no disk
    elif kind == "not-utf8":
        path.write_bytes("réponse".encode("latin-1"))
    elif kind == "deep-toml":
        path.write_text("questions = " + "[" * 600 + "]" * 600 + "\n")
    elif kind == "deep-json":
        path.write_text("[" * 100_000 + "]" * 100_000)
    elif kind == "nul-bytes":
        path.write_bytes(b"\0" * 100)
    else:
        raise ValueError(kind)


def still(kind: str, path: Path) -> bool:
    """The thing at `path` is still what make_at put there (nothing replaced or truncated)."""
    import stat as st

    if kind == "fifo":
        return st.S_ISFIFO(path.lstat().st_mode)
    if kind in ("device", "symlink-loop"):
        return path.is_symlink()
    if kind == "directory":
        return path.is_dir()
    if kind == "huge":
        return path.stat().st_size == 65 * 1024 * 1024
    return path.is_file() and path.stat().st_size > 0


TOML_KINDS = ["fifo", "device", "symlink-loop", "directory", "huge", "not-utf8", "deep-toml",
              "nul-bytes"]
SETTINGS_COMMANDS = {
    "config show": ["config", "show"], "config show --json": ["config", "show", "--json"],
    "config set": ["config", "set", "voice.rate", "150"],
    "score --text": ["score", "-q", "about-yourself", "--text", "-"],
}


@pytest.mark.parametrize("kind", TOML_KINDS)
@pytest.mark.parametrize("command", list(SETTINGS_COMMANDS))
def test_a_settings_file_that_is_not_one_is_refused_in_one_line(settings_file, command, kind):
    make_at(kind, settings_file)
    outcome = invoke(SETTINGS_COMMANDS[command], stdin="I started in devops")
    check_clean(outcome)
    assert outcome.exit_code == 2 and "settings file" in outcome.stderr
    assert_kept(still(kind, settings_file))


OVERLAY_COMMANDS = {
    "questions show": ["questions", "show", "drift"], "rescore": ["rescore"],
    "overlay export": ["overlay", "export"], "score --text": ["score", "-q", "drift", "--text",
                                                             "-"],
    "review --accept": ["review", "latest", "-q", "drift", "--undo", "psi"],
}


@pytest.mark.parametrize("kind", TOML_KINDS)
@pytest.mark.parametrize("command", list(OVERLAY_COMMANDS))
def test_an_overlay_that_is_not_one_is_refused_in_one_line(history, data_dir, command, kind):
    path = data_dir / "overlay.toml"
    make_at(kind, path)
    outcome = invoke([*OVERLAY_COMMANDS[command], "--bank", str(history_bank())],
                     stdin="population stability index")
    check_clean(outcome)
    assert outcome.exit_code == 2 and "overlay" in outcome.stderr
    assert_kept(still(kind, path))


@pytest.mark.parametrize("kind", TOML_KINDS)
def test_overlay_import_refuses_a_file_that_is_not_an_overlay(history, data_dir, tmp_path, kind):
    path = tmp_path / "incoming.toml"
    make_at(kind, path)
    outcome = invoke(["overlay", "import", str(path), "--bank", str(history_bank())])
    check_clean(outcome)
    assert outcome.exit_code == 2 and not (data_dir / "overlay.toml").exists()


@pytest.mark.parametrize("content, message", [
    ('[[questions]]\nid = "drift"\nkey_points = 5\n', "'key_points' of 'drift' must be a list"),
    ('questions = [{id = "drift", key_points = [5]}]\n', "key point #1 of 'drift'"),
    ('[[questions]]\nid = "../etc"\n', "question #1 needs an 'id'"),
    ('[[questions]]\nid = "drift"\n[[questions.key_points]]\nid = "alerts"\nphrases = [1, 2]\n',
     "drift/alerts: an empty or non-string phrase"),
])
def test_an_overlay_of_the_wrong_shape_is_one_line(history, data_dir, content, message):
    (data_dir / "overlay.toml").write_text(content, "utf-8")
    outcome = invoke(["questions", "show", "drift", "--bank", str(history_bank())])
    check_clean(outcome)
    assert outcome.exit_code == 2 and message in outcome.stderr
    assert (data_dir / "overlay.toml").read_text("utf-8") == content


JSON_KINDS = ["fifo", "device", "symlink-loop", "directory", "huge", "not-utf8", "deep-json",
              "nul-bytes"]
RECORD_COMMANDS = {"review": ["review"], "review --json": ["review", "--json"],
                   "report": ["report"], "rescore": ["rescore"]}


@pytest.mark.parametrize("kind", JSON_KINDS)
@pytest.mark.parametrize("which", ["score_path", "transcript_path"])
@pytest.mark.parametrize("command", list(RECORD_COMMANDS))
def test_an_attempt_file_that_is_not_a_record_is_refused_in_one_line(history, data_dir, command,
                                                                     which, kind):
    latest = index_rows(data_dir)[-1]
    path = data_dir / latest[which]
    make_at(kind, path)
    args = RECORD_COMMANDS[command] + (["--bank", str(history_bank())]
                                       if command == "rescore" else [])
    outcome = invoke(args)
    check_clean(outcome)
    # A link to a device leads outside the data directory: refused as such, before its kind.
    assert outcome.exit_code == 2 and re.search(f"attempt {latest['id']}|leads outside",
                                                outcome.stderr), outcome.stderr
    assert_kept(still(kind, path))


@pytest.mark.parametrize("target", ["[1e400, 5]", "[-1e400, 5]", "[nan, 5]", '"6-12"', "[6]",
                                    "FIFO", "DEVICE", "DEEP"])
def test_migrating_an_old_history_survives_any_score_file(data_dir, bank, target):
    import sqlite3

    from voiceprep.history.migrations import MIGRATIONS, migrate

    session = data_dir / "sessions" / "20250101-090000"
    session.mkdir(parents=True)
    score_path = session / "01-drift.score.json"
    if target == "FIFO":
        os.mkfifo(score_path)
    elif target == "DEVICE":
        score_path.symlink_to("/dev/zero")
    elif target == "DEEP":
        score_path.write_text("[" * 100_000 + "]" * 100_000)
    else:
        score_path.write_text(f'{{"target_seconds": {target}}}'.replace("nan", "NaN"))
    old = sqlite3.connect(data_dir / "voiceprep.db", isolation_level=None)
    migrate(old, MIGRATIONS[:1])
    old.execute("INSERT INTO sessions VALUES ('20250101-090000', '2025-01-01T09:00:00+00:00', "
                "'2025-01-01T09:10:00+00:00', 'old')")
    old.execute("INSERT INTO attempts (session_id, question_id, attempt_number, started_at, "
                "score, score_path) VALUES ('20250101-090000', 'drift', 1, "
                "'2025-01-01T09:01:00+00:00', 80, 'sessions/20250101-090000/01-drift.score.json')")
    old.close()
    outcome = invoke(["sessions", "--json"])
    check_clean(outcome, may_succeed=True)
    assert outcome.exit_code == 0
    [row] = index_rows(data_dir)
    assert (row["score"], row["target_min"], row["target_max"]) == (80, None, None)


BOM = "\ufeff"


@pytest.mark.parametrize("what", ["bank", "overlay", "settings", "overlay import"])
def test_files_saved_with_a_byte_order_mark_are_read(history, data_dir, settings_file, tmp_path,
                                                     what):
    bank = history_bank()
    overlay = '[[questions]]\nid = "drift"\n[[questions.key_points]]\nid = "alerts"\n' \
              'phrases = ["raise the alarm"]\n'
    if what == "bank":
        bank.write_text(BOM + bank.read_text("utf-8"), "utf-8")
        args = ["questions", "validate", str(bank)]
    elif what == "overlay":
        (data_dir / "overlay.toml").write_text(BOM + overlay, "utf-8")
        args = ["questions", "show", "drift", "--json", "--bank", str(bank)]
    elif what == "overlay import":
        (tmp_path / "in.toml").write_text(BOM + overlay, "utf-8")
        args = ["overlay", "import", str(tmp_path / "in.toml"), "--bank", str(bank)]
    else:
        settings_file.parent.mkdir(parents=True)
        settings_file.write_text(BOM + "[voice]\nrate = 150\n", "utf-8")
        args = ["config", "show", "--json"]
    outcome = invoke(args)
    check_clean(outcome, may_succeed=True)
    assert outcome.exit_code == 0, outcome.stderr
    if what == "overlay":
        assert json.loads(outcome.stdout)["your_phrases"] == {"alerts": ["raise the alarm"]}
    if what == "settings":
        assert json.loads(outcome.stdout)["settings"]["voice.rate"]["value"] == 150
        assert invoke(["config", "set", "voice.voice", "en-us"]).exit_code == 0
        assert settings_file.read_text("utf-8").startswith("[voice]")  # and it stays readable


MARKUP_PROMPTS = ["Why do you want to work at [company name]?", "Closing tag [/] first",
                  "[bold]not bold[/bold] and [link=http://x]y[/link]", "Escape \\[x] and [/x]"]


@pytest.mark.parametrize("prompt", MARKUP_PROMPTS)
def test_bank_text_is_shown_as_text_never_as_markup(tmp_path, prompt):
    from history_data import BANK_TOML

    bank = tmp_path / "markup.toml"
    bank.write_text(BANK_TOML.replace("Tell me about yourself.", prompt.replace("\\", "\\\\"))
                    .replace("Leads the platform team", prompt.replace("\\", "\\\\")), "utf-8")
    for args in (["questions", "list", "--bank", str(bank)],
                 ["questions", "show", "about-yourself", "--bank", str(bank)]):
        outcome = invoke([*args], env={"COLUMNS": "300"})
        check_clean(outcome, may_succeed=True)
        assert outcome.exit_code == 0
        assert prompt in outcome.stdout


def test_the_practice_screen_shows_a_prompt_with_brackets_as_it_is(tmp_path):
    import io

    from history_data import BANK_TOML
    from voiceprep.audio.text_to_speech import make_speaker
    from voiceprep.bank.questions import load_bank
    from voiceprep.safe_text import console
    from voiceprep.ui.practice_screen import TerminalUI

    bank_path = tmp_path / "markup.toml"
    bank_path.write_text(BANK_TOML.replace("Tell me about yourself.", MARKUP_PROMPTS[1]), "utf-8")
    buffer = io.StringIO()
    ui = TerminalUI(console(file=buffer, width=200), make_speaker(enabled=False),
                    play=lambda path: None)
    TALLY["tried"] += 1
    ui.ask(load_bank(bank_path).find("about-yourself"), 1, 1)
    assert MARKUP_PROMPTS[1] in buffer.getvalue()
    TALLY["clean"] += 1


@pytest.mark.parametrize("args", [
    ["review", "\udcff"], ["report", "\udcff"], ["progress", "-q", "\udcff"],
    ["review", "latest", "--accept", "psi", "--words", "\udcff"],
    ["score", "-q", "drift\udcfe", "--text", "-"], ["sessions", "--data-dir", "\udcff/x"],
    ["questions", "show", "\udcc3\udca9t\udcff"],
])
def test_arguments_that_are_not_utf8_are_one_line(history, args):
    outcome = invoke(args, stdin="x")
    check_clean(outcome)
    assert outcome.exit_code == 2 and "not valid UTF-8" in outcome.stderr
    assert "\\xff" in outcome.stderr or "\\xfe" in outcome.stderr


def test_arguments_that_are_not_utf8_are_one_line_from_a_real_shell(tmp_path):
    done = run_voiceprep("review", "--data-dir", os.fsdecode(str(tmp_path).encode() + b"/\xff"))
    TALLY["tried"] += 1
    assert done.returncode == 2 and "not valid UTF-8" in one_error_line(done.stderr)
    TALLY["clean"] += 1


@pytest.mark.parametrize("rate", [1, 8, 100, 3999])
def test_a_wav_header_claiming_no_real_sample_rate_is_refused_at_once(tmp_path, rate):
    import struct

    samples = (b"\x10\x00\xf0\xff" * 8000)
    header = (b"RIFF" + struct.pack("<I", 36 + len(samples)) + b"WAVEfmt " + struct.pack(
        "<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16) + b"data" + struct.pack("<I", len(samples)))
    path = tmp_path / f"claims-{rate}-hz.wav"
    path.write_bytes(header + samples)
    started = time.monotonic()
    outcome = invoke(["transcribe", str(path)])
    check_clean(outcome)
    assert outcome.exit_code == 2 and f"sample rate of {rate} Hz" in outcome.stderr
    assert time.monotonic() - started < 20


def test_json_output_never_holds_nan(tmp_path):
    from voiceprep.safe_text import safe_json

    data = {"a": float("nan"), "b": [float("inf"), -float("inf"), 1.5], "c": {"d": (0.0,)}}
    TALLY["tried"] += 1
    text = safe_json(data)
    assert json.loads(text, parse_constant=lambda c: pytest.fail(f"bare {c}")) == {
        "a": None, "b": [None, None, 1.5], "c": {"d": [0.0]}}
    TALLY["clean"] += 1


# ---- exit statuses and where files may be written -------------------------------------------

def test_review_play_with_the_recording_gone_is_status_2(history, data_dir):
    latest = index_rows(data_dir)[-1]
    (data_dir / latest["audio_path"]).unlink()
    outcome = invoke(["review", "--play"])
    check_clean(outcome)
    assert outcome.exit_code == 2 and "has no recording" in outcome.stderr


@pytest.mark.parametrize("kind", ["directory", "fifo", "device", "symlink-loop", "under-a-file"])
def test_overlay_export_never_replaces_what_is_not_a_file(history, data_dir, tmp_path, kind):
    target = make_input(kind, tmp_path)
    before = os.lstat(target) if os.path.lexists(target) else None
    outcome = invoke(["overlay", "export", "-o", str(target), "--bank", str(history_bank())])
    check_clean(outcome)
    assert outcome.exit_code == 2
    after = os.lstat(target) if os.path.lexists(target) else None
    assert (before and (before.st_mode, before.st_ino)) == (after and (after.st_mode,
                                                                       after.st_ino))


def test_a_settings_path_that_is_a_symlink_loop_is_an_error_not_the_defaults(settings_file):
    settings_file.parent.mkdir(parents=True)
    make_at("symlink-loop", settings_file)
    outcome = invoke(["config", "show"])
    check_clean(outcome)
    assert outcome.exit_code == 2 and "symbolic link loop" in outcome.stderr


def test_a_linked_settings_file_stays_linked_when_set(settings_file, tmp_path):
    real = tmp_path / "dotfiles" / "voiceprep.toml"
    real.parent.mkdir()
    real.write_text("[voice]\nrate = 150\n", "utf-8")
    settings_file.parent.mkdir(parents=True)
    settings_file.symlink_to(real)
    outcome = invoke(["config", "set", "voice.rate", "160"])
    check_clean(outcome, may_succeed=True)
    assert settings_file.is_symlink() and "rate = 160" in real.read_text("utf-8")


@pytest.mark.parametrize("args", [
    ["rescore"], ["overlay", "export"], ["overlay", "import", str(ROOT / "README.md")],
    ["questions", "show", "drift"], ["score", "-q", "drift", "--text", "-"],
    ["review", "latest", "--accept", "psi", "--words", "x"],
])
def test_a_data_directory_that_is_a_file_is_refused_by_every_command(history, tmp_path, args):
    path = tmp_path / "a-file"
    path.write_text("not a directory")
    outcome = invoke([*args, "--data-dir", str(path), "--bank", str(history_bank())], stdin="x")
    check_clean(outcome)
    assert outcome.exit_code == 2 and "data directory" in outcome.stderr
    assert path.read_text() == "not a directory"


def test_doctor_creates_a_new_data_directory_private(tmp_path):
    from voiceprep.doctor import check_data_dir

    new = tmp_path / "new" / "data"
    TALLY["tried"] += 1
    assert check_data_dir(new).ok
    assert (new.stat().st_mode & 0o777) == 0o700 and (new.parent.stat().st_mode & 0o777) == 0o700
    TALLY["clean"] += 1


TAMPERED = {
    "score_path": "../outside/evil.score.json",
    "transcript_path": "../outside/evil.transcript.json",
    "audio_path": "../outside/evil.wav",
    "absolute score_path": "{outside}/evil.score.json",
    "linked score_path": "sessions/link/evil.score.json",
    "session id": "../outside/evil",
}


@pytest.mark.parametrize("command", [["report"], ["rescore"], ["review"], ["recover"]])
@pytest.mark.parametrize("field", list(TAMPERED))
def test_a_tampered_database_never_leads_a_write_outside_the_data_directory(
        history, data_dir, tmp_path, field, command):
    import shutil
    import sqlite3

    outside = tmp_path / "outside"  # beside the data directory (tmp_path/recordings)
    outside.mkdir()
    latest = index_rows(data_dir)[-1]
    for name in ("score_path", "transcript_path", "audio_path"):  # the real files, copied out
        shutil.copy(data_dir / latest[name],
                    outside / ("evil." + Path(latest[name]).name.split(".", 1)[1]))
    (data_dir / "sessions" / "link").symlink_to(outside)
    before = files_of(outside)
    db = sqlite3.connect(data_dir / "voiceprep.db", isolation_level=None)
    db.execute("PRAGMA foreign_keys = OFF")
    if field == "session id":
        db.execute("UPDATE sessions SET id = ? WHERE id = ?", (TAMPERED[field],
                                                               latest["session_id"]))
        db.execute("UPDATE attempts SET session_id = ? WHERE session_id = ?",
                   (TAMPERED[field], latest["session_id"]))
    else:
        column = field.split()[-1]
        db.execute(f"UPDATE attempts SET {column} = ? WHERE id = ?",
                   (TAMPERED[field].format(outside=outside), latest["id"]))
    db.close()
    args = command + (["--bank", str(history_bank())] if command[0] in ("rescore", "recover")
                      else [])
    outcome = invoke(args)
    # The recordings the tampered rows no longer name are found again, with a notice.
    outcome.stderr = "\n".join(line for line in outcome.stderr.splitlines()
                                if not re.match(r"found \d+ answer\(s\) recorded", line))
    check_clean(outcome, may_succeed=True)
    assert_kept(files_of(outside) == before)  # nothing outside written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bank.toml", "outside", "recordings"]
    if outcome.exit_code != 0:
        assert re.search("outside|not a directory name", outcome.stderr), outcome.stderr


# ---- control characters from files and folder names ------------------------------------------

def retargeted_bank(tmp_path: Path) -> Path:
    """The history's bank with the drift question's target and category changed."""
    changed = tmp_path / "changed.toml"
    changed.write_text(history_bank().read_text("utf-8").replace(
        "target_seconds = [6, 12]", "target_seconds = [1, 2]").replace(
        'category = "technical"', 'category = "mlops"'), "utf-8")
    return changed


def test_session_ids_from_folder_names_reach_the_terminal_inert(history, data_dir, tmp_path):
    import sqlite3

    # A session recovered from a folder of that name: its id is the folder's name.
    old = history[1].id
    odd = "20261201-\x1b[2J\u202e\x9b31m"
    (data_dir / "sessions" / old).rename(data_dir / "sessions" / odd)
    db = sqlite3.connect(data_dir / "voiceprep.db", isolation_level=None)
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("UPDATE sessions SET id = ? WHERE id = ?", (odd, old))
    for column in ("session_id", "audio_path", "transcript_path", "score_path"):
        db.execute(f"UPDATE attempts SET {column} = replace({column}, ?, ?)", (old, odd))
    db.close()
    for args in (["rescore", "--bank", str(retargeted_bank(tmp_path))], ["sessions"],
                 ["export"], ["review", "2026120"]):
        outcome = invoke(args)
        check_clean(outcome, may_succeed=True)
        assert outcome.exit_code == 0, outcome.stderr
        assert not re.search("[\x1b\u202e\x9b]", outcome.stdout + outcome.stderr), args
    assert "\\x1b[2J" in invoke(["sessions"]).stdout  # shown, escaped


def test_an_imported_file_name_reaches_the_terminal_inert(history, data_dir, tmp_path):
    path = tmp_path / "in\x1b]0;pwned\x07\u202e.toml"
    path.write_text('[[questions]]\nid = "drift"\n[[questions.key_points]]\nid = "alerts"\n'
                    'phrases = ["raise the alarm"]\n', "utf-8")
    outcome = invoke(["overlay", "import", str(path), "--bank", str(history_bank())])
    check_clean(outcome, may_succeed=True)
    assert outcome.exit_code == 0 and "imported 1 phrase(s)" in outcome.stdout
    assert not re.search("[\x1b\x07\u202e]", outcome.stdout + outcome.stderr)


def test_record_json_prints_only_json_on_standard_output(tmp_path, virtual_audio, play_into_mic,
                                                         speak):
    play_into_mic(speak("Testing the microphone."), delay=0.3)
    done = run_voiceprep("record", str(tmp_path / "mic.wav"), "--max", "2", "--json")
    TALLY["tried"] += 1
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["duration_seconds"] > 0
    TALLY["clean"] += 1


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
          f"{TALLY['tracebacks']} tracebacks, {TALLY['hangs']} hangs, {TALLY['crashes']} "
          f"crashes, {TALLY['data lost']} data lost")
    if TALLY["tried"]:
        assert TALLY["tracebacks"] == TALLY["hangs"] == TALLY["crashes"] == 0
        assert TALLY["data lost"] == 0
