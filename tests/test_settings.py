"""Settings: the file in the config directory, `voiceprep config show|set|path`, strict checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from voiceprep.cli import main
from voiceprep.scoring.score import ScoringOptions
from voiceprep.settings import SETTINGS, load_settings, settings_path

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], stdin: str | None = None):
    return CliRunner().invoke(main, args, input=stdin)


def test_without_a_file_every_setting_is_its_default(settings_file: Path) -> None:
    settings = load_settings()
    assert not settings_file.exists() and settings.from_file == frozenset()
    assert settings.scoring_options() == ScoringOptions()
    assert settings["recording.silence_seconds"] == 3.0 and settings["voice.voice"] is None
    assert settings["practice.follow_ups"] is True


def test_path_follows_the_platform_config_dir(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    monkeypatch.delenv("VOICEPREP_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert settings_path() == tmp_path / "xdg" / "voiceprep" / "settings.toml"
    result = run(["config", "path"])
    assert result.exit_code == 0 and result.stdout.strip() == str(settings_path())


def test_set_writes_the_file_keeps_comments_and_changes_scoring(settings_file: Path) -> None:
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text("# my settings\n[voice]\nrate = 150  # slower\n", "utf-8")
    for key, value in (("scoring.pace_wpm", "[120, 160]"), ("voice.voice", "en-gb"),
                       ("scoring.hedges", '["maybe", "I reckon"]'),
                       ("practice.follow_ups", "false")):
        result = run(["config", "set", key, value])
        assert result.exit_code == 0, result.output
    text = settings_file.read_text("utf-8")
    assert "# my settings" in text and "# slower" in text
    settings = load_settings()
    assert settings["voice.voice"] == "en-gb" and settings["voice.rate"] == 150
    assert settings["practice.follow_ups"] is False
    options = settings.scoring_options()
    assert options.pace_wpm == (120.0, 160.0) and options.hedges == ("maybe", "I reckon")
    shown = json.loads(run(["config", "show", "--json"]).stdout)
    assert shown["settings"]["scoring.pace_wpm"] == {
        "value": [120, 160], "default": [110.0, 170.0], "set": True,
        "help": next(s.help for s in SETTINGS if s.key == "scoring.pace_wpm")}
    assert shown["settings"]["scoring.long_pause_seconds"]["set"] is False
    table = run(["config", "show"]).stdout
    assert "scoring.pace_wpm" in table and "[120, 160]" in table


def test_settings_change_what_score_reports(settings_file: Path, tmp_path: Path) -> None:
    answer = tmp_path / "a.txt"
    answer.write_text("I reckon I started in DevOps. Maybe.", "utf-8")
    args = ["score", "-q", "about-yourself", "--text", str(answer), "--bank",
            str(ROOT / "questions"), "--json"]
    before = json.loads(run(args).stdout)["hedges"]
    assert before["by_phrase"] == {"maybe": 1}
    assert run(["config", "set", "scoring.hedges", '["i reckon"]']).exit_code == 0
    after = json.loads(run(args).stdout)["hedges"]
    assert after["by_phrase"] == {"i reckon": 1}
    # fillers written with capitals are counted as said: a transcript's words are compared in
    # lowercase
    assert run(["config", "set", "scoring.fillers", '["UM"]']).exit_code == 0
    assert run(["config", "set", "scoring.set_off_fillers", '["I mean"]']).exit_code == 0
    answer.write_text("Um, I started in DevOps. I mean, on Kubernetes.", "utf-8")
    assert json.loads(run(args).stdout)["fillers"]["by_word"] == {"um": 1, "i mean": 1}


@pytest.mark.parametrize("key,value,message", [
    ("scoring.nope", "1", "unknown setting 'scoring.nope'"),
    ("pace_wpm", "[1, 2]", "unknown setting 'pace_wpm'"),
    ("scoring.pace_wpm", "[160, 120]", "scoring.pace_wpm needs 0 < slow < fast"),
    ("scoring.pace_wpm", "[120]", "scoring.pace_wpm must be [slow, fast]"),
    ("scoring.pace_wpm", "fast", "scoring.pace_wpm must be [slow, fast]"),
    ("scoring.long_pause_seconds", "0", "scoring.long_pause_seconds must be from 0.5 to 30"),
    ("scoring.long_pause_seconds", "true", "scoring.long_pause_seconds must be a number"),
    ("scoring.fillers", '["um", "you know"]', "scoring.fillers must hold single words"),
    ("scoring.fillers", '["um", ""]', "scoring.fillers must be a list of non-empty strings"),
    ("scoring.hedges", '["maybe", "maybe"]', "scoring.hedges lists a value twice"),
    ("scoring.fillers", '["um", "UM"]', "scoring.fillers lists a value twice"),
    ("scoring.long_pause_seconds", "-1", "scoring.long_pause_seconds must be from 0.5 to 30"),
    ("scoring.delivery_figures", '["pitch"]', "scoring.delivery_figures has unknown pitch"),
    ("recording.silence_seconds", "abc", "recording.silence_seconds must be a number"),
    ("voice.rate", "9000", "voice.rate must be from 40 to 500"),
    ("voice.rate", "150.5", "voice.rate must be a whole number"),
    ("voice.voice", '""', "voice.voice must be a non-empty string"),
    ("practice.follow_ups", "yes", "practice.follow_ups must be true or false"),
])
def test_bad_values_are_one_line_errors_and_leave_the_file_alone(
        settings_file: Path, key: str, value: str, message: str) -> None:
    result = run(["config", "set", key, value])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"error: {message}"), result.stderr
    assert not settings_file.exists()


@pytest.mark.parametrize("text,message", [
    ("[scoring]\npace_wpm = [1,\n", "TOML syntax error"),
    ("[scoring]\nwpm = 3\n", "unknown setting 'scoring.wpm'"),
    ("[sound]\nrate = 3\n", "unknown section 'sound'"),
    ("scoring = 3\n", "'scoring' must be a table"),
    ("[voice]\nrate = 10\n[scoring]\nlong_pause_seconds = -1\n",
     "voice.rate must be from 40 to 500 (and 1 more)"),
])
def test_a_broken_file_stops_every_command_with_one_line(settings_file: Path, tmp_path: Path,
                                                         text: str, message: str) -> None:
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text(text, "utf-8")
    answer = tmp_path / "a.txt"
    answer.write_text("I started in DevOps.", "utf-8")
    for args in (["config", "show"], ["config", "set", "voice.rate", "150"],
                 ["score", "-q", "about-yourself", "--text", str(answer),
                  "--bank", str(ROOT / "questions")]):
        result = run(args)
        assert result.exit_code == 2, args
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
        assert str(settings_file) in result.stderr
    assert settings_file.read_text("utf-8") == text


def test_a_voice_no_practice_could_speak_with_is_refused_when_set(settings_file: Path) -> None:
    # else every later `practice` and `say` stopped on it
    refused = run(["config", "set", "voice.voice", "a=b"])
    assert refused.exit_code == 2 and "unknown voice 'a=b'" in refused.stderr
    assert not settings_file.exists()
    for voice in ("en-us", "joe"):  # an espeak-ng voice; the natural one (it falls back)
        assert run(["config", "set", "voice.voice", voice]).exit_code == 0
        assert load_settings()["voice.voice"] == voice
