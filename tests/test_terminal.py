"""The terminal is the user's: nothing that came from outside acts on it."""

from __future__ import annotations

import io
import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from history_data import timed_transcript
from voiceprep.bank.questions import validate_bank
from voiceprep.cli import main
from voiceprep.safe_text import (
    console,
    safe_json,
    safe_text,
    unsafe_characters,
    without_control_characters,
)

# Clears the screen, retitles the window, hides text, reverses what follows, rings, and an 8-bit
# CSI (C1) that some terminals take as ESC [.
HOSTILE = ("A\x1b[2J\x1b]0;pwned\x07B\x00C\u202eD\x9b31mE\x7fF\rG\x08H\u2066I")
RAW = ("\x1b", "\x00", "\u202e", "\x9b", "\x7f", "\r", "\x08", "\u2066", "\x07")


def assert_inert(text: str) -> None:
    for char in RAW:
        assert char not in text, (char, text)


def test_safe_text_shows_every_control_character_as_an_escape():
    shown = safe_text(HOSTILE)
    assert_inert(shown)
    assert shown.startswith("A\\x1b[2J\\x1b]0;pwned")
    assert "\\u202eD" in shown and "\\x9b31mE" in shown and "\\x00C" in shown
    assert safe_text("line one\n\tline two") == "line one\n\tline two"
    assert safe_text("a\nb", one_line=True) == "a\\x0ab"
    assert safe_text(shown) == shown  # idempotent: nothing left to neutralise
    assert safe_text("Café — naïve 日本 🙂") == "Café — naïve 日本 🙂"


def test_unsafe_characters_names_what_it_found():
    assert unsafe_characters("ok") == []
    found = unsafe_characters("x\u202ey\x1bz\x1b")
    assert found == ["\\u202e (RIGHT-TO-LEFT OVERRIDE)", "\\x1b (a control character)"]


def test_safe_json_is_the_same_data_escaped():
    data = {"transcript": HOSTILE, "é": ["日本"]}
    text = safe_json(data)
    assert_inert(text)
    assert json.loads(text) == data


def test_the_console_keeps_its_own_styling_but_not_the_texts():
    buffer = io.StringIO()
    out = console(file=buffer, force_terminal=True, color_system="standard", width=200)
    out.print(HOSTILE, style="bold")
    printed = buffer.getvalue()
    assert "\x1b[1m" in printed  # rich's bold survives
    body = printed.replace("\x1b[1m", "").replace("\x1b[0m", "")
    assert_inert(body.rstrip("\n"))
    assert "\\x1b[2J" in body


@pytest.mark.parametrize("text", ["Why do you want to work at [company name]?",
                                  "a [/] b", "[bold]not bold[/bold]", "[link=x]y[/link]"])
def test_the_console_prints_brackets_as_text_never_as_markup(text):
    buffer = io.StringIO()
    out = console(file=buffer, force_terminal=True, color_system="standard", width=200)
    out.print(text)
    assert buffer.getvalue() == text + "\n"  # no style, no tag swallowed, no MarkupError


def test_score_text_review_and_export_never_pass_control_characters(tmp_path, bank, store):
    answer = tmp_path / "answer.txt"
    answer.write_text(f"I started in devops{HOSTILE} and lead the platform team", "utf-8")
    runner = CliRunner()
    scored = runner.invoke(main, ["score", "-q", "about-yourself", "--text", str(answer),
                                  "--bank", str(tmp_path / "bank.toml")])
    assert scored.exit_code == 0, scored.output
    assert_inert(scored.output)
    assert "devopsA\\x1b[2J" in scored.output  # the evidence, shown inert

    session = store.start_session(bank.title)
    question = bank.find("about-yourself")
    transcript = timed_transcript(f"I started in devops {HOSTILE}", 0.3)
    from voiceprep.scoring.score import score

    now = datetime.now()
    store.save_attempt(session, question, store.reserve_attempt(session, question.id),
                       transcript, score(question, transcript), started_at=now, ended_at=now,
                       duration_seconds=None)
    store.end_session(session.id)
    for args in (["review"], ["review", "--json"], ["sessions"], ["export"],
                 ["export", "--format", "json"], ["progress"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
        assert_inert(result.output)
    review = runner.invoke(main, ["review", "--json"]).stdout
    assert "\\u001b]0;pwned" in review and "\\u202e" in review  # escaped JSON, data intact
    assert any("\x1b]0;pwned" in text for text in strings(json.loads(review)))


def strings(value):
    """Every string in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_error_messages_echo_paths_safely(tmp_path):
    hostile_path = tmp_path / "x\x1b]0;pwned\x07\u202e.wav"
    result = CliRunner().invoke(main, ["transcribe", str(hostile_path)])
    assert result.exit_code == 2
    assert_inert(result.output)
    assert "\\x1b]0;pwned" in result.output
    usage = CliRunner().invoke(main, ["review", "--bogus\x1b[2J"])
    assert usage.exit_code == 2
    assert_inert(usage.output)


def test_a_file_name_with_a_line_break_is_one_line_of_the_transcripts(tmp_path, speak):
    # One line per file, as a script reading `transcribe a.wav b.wav` expects.
    named = tmp_path / "new\nline.wav"
    named.write_bytes(speak("Good morning.").read_bytes())
    result = CliRunner().invoke(main, ["transcribe", str(named), str(named)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and lines[0] == lines[1] and "new\\x0aline.wav: " in lines[0]


@pytest.mark.parametrize("field, value", [
    ("prompt", "Tell me \x1b[2J about yourself."),
    ("reference", "Right-to-left \u202e override"),
    ("title", "Bank\x9b31m"),
    ("phrases", "started\x00in devops"),
])
def test_validate_reports_bank_text_with_control_characters(tmp_path, bank, field, value):
    text = (tmp_path / "bank.toml").read_text("utf-8")
    originals = {"prompt": "Tell me about yourself.", "title": "Test <b>bank</b>",
                 "reference": "Came from DevOps into MLOps; runs the platform team.",
                 "phrases": "started in devops"}
    changed = text.replace(originals[field], value.replace("\x1b", "\\u001b").replace(
        "\u202e", "\\u202e").replace("\x9b", "\\u009b").replace("\x00", "\\u0000"), 1)
    assert changed != text
    path = tmp_path / "hostile.toml"
    path.write_text(changed, "utf-8")
    problems = validate_bank(path)
    assert len(problems) == 1 and "control character" in problems[0], problems
    assert_inert(problems[0])
    result = CliRunner().invoke(main, ["questions", "show", "about-yourself", "--bank", str(path)])
    assert result.exit_code == 2
    assert_inert(result.output)


def test_build_history_output_unchanged_by_the_safe_console(history):
    """Ordinary text (markup characters, accents) prints exactly as before."""
    result = CliRunner().invoke(main, ["review", "latest"])
    assert result.exit_code == 0
    assert "\\x" not in result.output and "\\u" not in result.output


@pytest.mark.parametrize("text, plain", [
    ("\x1b[1;31mred\x1b[0m text", "red text"),  # colour codes go whole
    ("\x1b(B\x1b[mplain, \x9b31m8-bit", "plain, 8-bit"),  # `tput sgr0`, an 8-bit CSI
    ("\x1b]0;a title\x07after", "after"),  # a window title
    ("\x1b]8;;see\nthe next line", " ]8;;see\nthe next line"),  # unfinished: only ESC goes
    ("Kafka\x1b[40% faster", "Kafka [40% faster"),  # no code: the text after ESC stays
    ("one\x0btwo\x0cthree\r\nfour\u2028five", "one two three\nfour five"),  # lines as counted
    ("tab\tkept, \u202eDEL\x7f, bell\x07, NUL\x00, CSI\x9b gone",
     "tab\tkept,  DEL , bell , NUL , CSI  gone"),
    ("Kafka\x1eand", "Kafka and"),  # words stay apart
    ("caf\u00e9 \u2014 40\u00a0%", "caf\u00e9 \u2014 40\u00a0%"),  # printable text is left as it is
])
def test_text_without_control_characters_reads_as_it_did(text, plain):
    assert without_control_characters(text) == plain
    assert unsafe_characters(without_control_characters(text)) == []
