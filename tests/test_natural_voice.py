"""The natural voice (Piper's joe, an optional extra): chosen, listed, saved, heard through the
virtual speaker and transcribed back by the real Whisper model, and the fallback without it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from practice_driver import practise
from voiceprep.audio import natural_voice
from voiceprep.audio.text_to_speech import (
    Pyttsx3Speaker,
    fallback_note,
    find_voice,
    list_voices,
    make_speaker,
    open_speaker,
)
from voiceprep.cli import main
from voiceprep.hearing.transcriber import transcribe_file

QUESTION = "Walk me through how you would deploy a machine learning model to production."
FOLLOW_UP = "What scale do your pipelines run at today?"

installed = pytest.mark.skipif(
    natural_voice.missing_reason() is not None,
    reason="the natural voice is not installed (make voice-natural; make test installs it)")


def words(text: str) -> list[str]:
    return "".join(c if c.isalnum() or c == "'" else " " for c in text.lower()).split()


def share_heard(said: str, heard: str) -> float:
    """The share of the words said that are in what was heard (any order)."""
    heard_words = set(words(heard))
    said_words = words(said)
    return sum(w in heard_words for w in said_words) / len(said_words)


@pytest.fixture
def not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if piper-tts were not installed: importing it fails, finding it finds nothing."""
    monkeypatch.setitem(sys.modules, "piper", None)


# ---- installed -------------------------------------------------------------------------------

@installed
def test_the_model_comes_from_its_package_not_a_download() -> None:
    model, config = natural_voice.model_files()
    assert model.name == "en_US-joe-medium.onnx" and model.stat().st_size > 50_000_000
    assert config.name == "en_US-joe-medium.onnx.json" and config.is_file()
    assert "site-packages" in model.parts or "dist-packages" in model.parts


@installed
def test_the_natural_voice_is_listed_first_and_chosen_by_name() -> None:
    voices = list_voices()
    assert voices[0].to_dict() == {"id": "piper/joe", "name": "Joe (natural, Piper)",
                                   "languages": ["en-us"], "gender": "Male"}
    assert find_voice("en-us").id == "gmw/en-us"  # a language still means espeak-ng
    for name in ("joe", "JOE", "piper/joe", "Joe (natural, Piper)"):
        assert isinstance(open_speaker(name), natural_voice.PiperSpeaker)
        assert fallback_note(name) is None
    assert isinstance(open_speaker("en-us"), Pyttsx3Speaker)
    assert isinstance(open_speaker(None), Pyttsx3Speaker)


@installed
def test_say_save_writes_the_natural_voice(tmp_path: Path) -> None:
    path = tmp_path / "question.wav"
    result = CliRunner().invoke(main, ["say", QUESTION, "--voice", "joe", "--save", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(path)
    info = sf.info(path)
    assert (info.samplerate, info.channels) == (22050, 1)
    assert 3.0 < info.duration < 8.0  # fourteen words at about 175 a minute
    espeak = Pyttsx3Speaker(voice="en-us").save_to_file(QUESTION, tmp_path / "espeak.wav")
    assert sf.read(path)[0].shape != sf.read(espeak)[0].shape


@installed
def test_the_natural_voice_speaks_without_any_network(tmp_path: Path) -> None:
    if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "-rn", "true"], capture_output=True).returncode != 0:
        pytest.skip("unshare -rn (a private network namespace) is not available here")
    path = tmp_path / "q.wav"
    done = subprocess.run(["unshare", "-rn", sys.executable, "-m", "voiceprep", "say", QUESTION,
                           "--voice", "joe", "--save", str(path)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and sf.info(path).samplerate == 22050


@installed
def test_rate_changes_the_natural_voices_speaking_time() -> None:
    slow, rate = natural_voice.PiperSpeaker(rate=120).synthesize(QUESTION)
    fast, _ = natural_voice.PiperSpeaker(rate=240).synthesize(QUESTION)
    assert rate == 22050 and slow.dtype == np.int16
    # Half the rate: the words take twice as long, the pauses do not, and Piper's durations
    # vary a little from call to call (measured 1.49 to 1.6 times as long).
    assert len(slow) > 1.3 * len(fast)


@installed
@pytest.mark.slow
def test_what_the_natural_voice_says_is_heard_and_transcribed(tmp_path: Path,
                                                               record_played) -> None:
    """Played into the virtual speaker, recorded from its monitor, transcribed by Whisper."""
    speaker = make_speaker(enabled=True, voice="joe")
    assert isinstance(speaker, natural_voice.PiperSpeaker), speaker.unavailable_reason
    heard = record_played(lambda: speaker.say(QUESTION), silence_seconds=1.5)
    assert heard.stopped_by == "silence" and heard.heard_speech
    assert speaker.unavailable_reason is None
    text = transcribe_file(tmp_path / "heard.wav").text
    # Measured: every word comes back (tiny.en, GENERIC and AVX2); one or two may slip.
    assert share_heard(QUESTION, text) >= 0.85, text
    assert "deploy" in text.lower() and "production" in text.lower()


@installed
@pytest.mark.slow
def test_practice_asks_questions_and_follow_ups_in_the_natural_voice(
        tmp_path: Path, virtual_audio, speak) -> None:
    """`practice --voice joe`: what the speakers play (recorded from the sink's monitor all
    along) holds the question and the follow-up, and no fallback line is printed."""
    partial = speak("I started in DevOps and moved into MLOps. Today I mostly work with "
                    "Kubernetes and Docker.")
    follow_up_answer = speak("We serve about fifty million predictions a day.")
    listened = tmp_path / "speakers.wav"
    listener = subprocess.Popen(["parecord", "--device=virt.monitor", "--file-format=wav",
                                 "--channels=1", "--rate=16000", str(listened)],
                                env=virtual_audio.env)
    try:
        screen = practise(virtual_audio, tmp_path / "data", [partial, follow_up_answer],
                          voice="joe")
    finally:
        listener.terminate()
        listener.wait(timeout=10)
    assert f"Follow-up: {FOLLOW_UP}" in screen and "2 attempt(s)" in screen
    assert "natural voice" not in screen and "will not be spoken" not in screen
    text = transcribe_file(listened).text
    assert share_heard("Tell me about yourself.", text) >= 0.75, text
    assert share_heard(FOLLOW_UP, text) >= 0.7, text


# ---- not installed -----------------------------------------------------------------------------

def test_without_the_extra_the_voice_falls_back_with_one_line(not_installed, tmp_path: Path
                                                               ) -> None:
    assert natural_voice.missing_reason() == \
        "not installed (piper-tts missing: run `make voice-natural`)"
    note = fallback_note("joe")
    assert note == ("The natural voice 'joe' is not installed (piper-tts missing: run "
                    "`make voice-natural`): speaking with espeak-ng.")
    assert fallback_note("en-us") is None and fallback_note(None) is None
    assert isinstance(open_speaker("joe"), Pyttsx3Speaker)
    assert all(v.id != "piper/joe" for v in list_voices())

    path = tmp_path / "q.wav"
    result = CliRunner().invoke(main, ["say", "Tell me about yourself.", "--voice", "joe",
                                       "--save", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [note, str(path)]  # stderr first, then the path
    assert sf.info(path).duration > 0.8

    listed = CliRunner().invoke(main, ["voices"])
    assert listed.exit_code == 0
    assert listed.output.splitlines()[-1] == (
        "The natural voice 'joe' is not installed (piper-tts missing: run `make voice-natural`).")
    assert "piper/joe" not in json.loads(CliRunner().invoke(main, ["voices", "--json"]).output)


def test_the_setting_chooses_the_natural_voice(not_installed, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["config", "set", "voice.voice", "joe"]).exit_code == 0
    result = runner.invoke(main, ["say", "Hello.", "--save", str(tmp_path / "q.wav")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == fallback_note("joe")
    # --voice wins over the setting.
    result = runner.invoke(main, ["say", "Hello.", "--voice", "en-us", "--save",
                                  str(tmp_path / "q.wav")])
    assert result.output.splitlines() == [str(tmp_path / "q.wav")]
