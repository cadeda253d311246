"""Hedges, repeated phrases and pace over the answer: on word lists with known times, and on
real speech (espeak-ng and flite, fast and slow) through the real Whisper model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from speech_samples import have_espeak, have_flite, synthesize_prosody
from voiceprep.bank.questions import load_bank
from voiceprep.cli import main
from voiceprep.hearing.transcript import Transcript, Word
from voiceprep.normalize import tokens_of_words
from voiceprep.scoring.delivery import find_hedges, pace_over_time, repeated_phrases
from voiceprep.scoring.score import ScoringOptions, score

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "questions"


def timed(text: str, words_per_minute: float = 150.0, start: float = 0.0) -> list[Word]:
    """The words of `text`, said one after another at a steady pace."""
    step = 60.0 / words_per_minute
    return [Word(w, round(start + i * step, 3), round(start + (i + 0.8) * step, 3))
            for i, w in enumerate(text.split())]


def hedges_of(text: str, seconds: float | None = None):
    words = Transcript.from_text(text).words
    return find_hedges(tokens_of_words([w.word for w in words]), words, seconds)


def test_hedges_counted_once_each_longest_first() -> None:
    hedges = hedges_of("I'm not sure, but I think it was maybe kind of slow. Not sure why.")
    assert hedges.by_phrase == {"i'm not sure": 1, "i think": 1, "maybe": 1, "kind of": 1,
                                "not sure": 1}
    assert hedges.count == 5 and hedges.per_minute is None and hedges.at == ()


@pytest.mark.parametrize("text", [
    "I think about reliability from day one.",
    "A little over three years of experience.",
    "What kind of model would you use?",  # "kind of" before a noun is still counted: see below
])
def test_literal_uses_are_not_hedges(text: str) -> None:
    expected = 1 if "kind of" in text else 0
    assert hedges_of(text).count == expected


def test_hedge_rate_and_times_with_timed_words() -> None:
    words = timed("so maybe we could retrain it and I guess that probably works " * 2, 120)
    hedges = find_hedges(tokens_of_words([w.word for w in words]), words, 12.0)
    assert hedges.count == 6 and hedges.per_minute == 30.0
    assert hedges.at == (0.5, 3.5, 5.0, 6.5, 9.5, 11.0)


def test_repeated_phrases_leave_out_key_points_stopwords_and_shorter_parts() -> None:
    text = ("the feature store was slow so the feature store got a cache and the feature store "
            "is fast in the end in the end in the end we used canary release canary release "
            "canary release")
    tokens = tokens_of_words(text.split())
    found = dict(repeated_phrases(tokens, key_phrases=["canary release"]))
    # not "feature store" (inside a longer one), "in the" (stopwords), "canary release" (a key
    # point)
    assert found == {"the feature store": 3, "in the end": 3}


def test_pace_windows_of_about_fifteen_seconds_show_a_rushed_start() -> None:
    fast = timed("word " * 60, 240)  # 15 s at 240 wpm
    slow = timed("word um " * 15 + "word " * 15, 90, start=15.0)  # 30 s at 90 wpm
    words = fast + slow
    starts = [i for i, w in enumerate(words) if w.word == "um"]
    windows = pace_over_time(words, starts)
    assert windows is not None and len(windows) == 3
    assert windows[0].words_per_minute == pytest.approx(240, abs=10)
    assert windows[1].words_per_minute == pytest.approx(90, abs=10)
    assert windows[2].words_per_minute == pytest.approx(90, abs=10)
    assert [w.fillers for w in windows] == [0, 11, 4]
    assert windows[0].start == 0.0 and windows[-1].end == pytest.approx(45, abs=0.5)


def test_pace_windows_of_words_out_of_time_order_count_every_word() -> None:
    # A word timed before the first one (a merged or edited transcript), and one whose end
    # comes before its start.
    words = [Word("later", 4.0, 5.0), Word("earlier", 0.0, 0.5), Word("odd", 3.0, 2.0)]
    windows = pace_over_time(words, [])
    assert windows is not None and len(windows) == 1
    assert (windows[0].start, windows[0].end) == (0.0, 5.0)
    assert windows[0].words_per_minute == pytest.approx(3 / 5 * 60)
    # The speaking time agrees: from the earliest start to the latest end.
    result = score(load_bank(BANK).find("about-yourself"),
                   Transcript(text="later earlier odd", words=tuple(words)))
    assert result.speaking_seconds == 5.0


def test_typed_text_has_no_pace_over_time_and_no_pitch() -> None:
    bank = load_bank(BANK)
    result = score(bank.find("about-yourself"),
                   Transcript.from_text("Maybe I started in DevOps, I think."))
    d = result.to_dict()
    assert d["pace_over_time"] is None and d["pitch"] is None
    assert d["hedges"] == {"count": 2, "per_minute": None,
                           "by_phrase": {"maybe": 1, "i think": 1}, "at": []}
    assert d["repeated_phrases"] == []


def test_hedges_and_monotone_count_in_delivery_only_when_chosen() -> None:
    bank = load_bank(BANK)
    question = bank.find("about-yourself")
    text = "I think maybe I guess I started in DevOps, probably, sort of, kind of."
    every = score(question, Transcript.from_text(text))
    without = score(question, Transcript.from_text(text), ScoringOptions(
        delivery_figures=("timing", "pace", "fillers", "pauses", "monotone")))
    assert without.delivery_score == 100
    assert every.delivery_score == 85  # 6 hedges in 17 words: far above 2 a minute, capped


# ---- real speech through Whisper ------------------------------------------------------------

HEDGY = ("I think I started in DevOps, and maybe I moved into MLOps three years ago. The feature "
         "store was the main project. We rebuilt the feature store, and the feature store now "
         "serves fifty million predictions a day. I guess the biggest win was probably the "
         "monitoring on Kubernetes.")
HEDGES_SAID = {"i think": 1, "maybe": 1, "i guess": 1, "probably": 1}


def test_every_new_figure_of_a_timed_answer() -> None:
    """The hedgy answer said at 150 words a minute (a word every 0.4 s): every figure is known."""
    words = tuple(timed(HEDGY, 150))
    assert len(words) == 49
    result = score(load_bank(BANK).find("about-yourself"), Transcript(text=HEDGY, words=words))
    data = result.to_dict()
    assert data["speaking_seconds"] == pytest.approx(48 * 0.4 + 0.32)
    assert data["hedges"]["by_phrase"] == HEDGES_SAID
    assert data["hedges"]["at"] == [0.0, 2.8, 15.2, 17.6]  # words 0, 7, 38 and 44
    assert data["hedges"]["per_minute"] == pytest.approx(4 / 19.52 * 60, abs=0.01)
    assert data["repeated_phrases"][0] == {"phrase": "the feature store", "count": 3}
    assert [(w["start"], w["end"]) for w in data["pace_over_time"]] == [(0.0, 19.5)]
    assert data["pace_over_time"][0]["words_per_minute"] == pytest.approx(49 / 19.52 * 60,
                                                                          abs=0.1)


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory):
    if not (have_espeak() and have_flite()):
        pytest.skip("espeak-ng and flite are needed (make install sets them up)")
    directory = tmp_path_factory.mktemp("delivery-speech")

    def make(voice: str, rate: int, lively: bool | None = None, text: str = HEDGY) -> Path:
        name = f"{voice}-{rate}-{lively}-{abs(hash(text))}.wav"
        return synthesize_prosody(text, directory / name, voice, rate=rate, lively=lively)

    return make


def score_audio(wav: Path) -> dict:
    result = CliRunner().invoke(main, ["score", "-q", "about-yourself", "--audio", str(wav),
                                       "--bank", str(BANK), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("voice,rate,lively", [("espeak-ng", 120, False),
                                               ("espeak-ng", 220, True),
                                               ("flite", 130, True)])
def test_spoken_answer_gives_every_new_figure(spoken, voice: str, rate: int,
                                              lively: bool) -> None:
    # The exact figures are checked on a timed transcript (test_every_new_figure_of_a_timed_
    # answer); through real Whisper a word can change with the voice and the CPU's instruction
    # set, so this checks that each figure comes through, with a word's slack.
    data = score_audio(spoken(voice, rate, lively))
    hedges = data["hedges"]
    assert set(hedges["by_phrase"]) <= set(HEDGES_SAID) and hedges["count"] >= 3, hedges
    assert hedges["per_minute"] == pytest.approx(
        hedges["count"] / data["speaking_seconds"] * 60, abs=0.01)
    assert len(hedges["at"]) == hedges["count"] and hedges["at"] == sorted(hedges["at"])
    assert hedges["at"][0] < 2.0 and hedges["at"][-1] > data["speaking_seconds"] / 2
    # "the feature store" said three times (flite's "feature" may be heard as "future").
    top = data["repeated_phrases"][0]
    assert top["phrase"].endswith(" store") and top["count"] >= 2, data["repeated_phrases"]
    windows = data["pace_over_time"]
    assert windows and windows[0]["start"] < 1.0
    assert windows[-1]["end"] == pytest.approx(windows[0]["start"] + data["speaking_seconds"],
                                               abs=0.2)
    pitch = data["pitch"]
    assert 60 < pitch["median_hz"] < 200
    if lively:
        assert pitch["range_semitones"] > 5 and pitch["monotone_seconds"] < data[
            "speaking_seconds"] / 2
    else:
        assert pitch["range_semitones"] < 1.5
        assert pitch["monotone_seconds"] > 0.8 * data["speaking_seconds"]


@pytest.mark.slow
def test_spoken_fast_then_slow_shows_in_pace_over_time(spoken, tmp_path: Path) -> None:
    fast_text = ("I started in DevOps and built the deployment pipelines for every team, then I "
                 "moved into MLOps and built the training platform on Kubernetes with Docker. "
                 "We serve fifty million predictions a day from three regions, and every model "
                 "goes through a canary release before it takes all of the traffic.")
    slow_text = ("Um, and then, uh, we added monitoring, um, and it, uh, worked. Um, the alerts, "
                 "uh, went down.")
    fast, rate = sf.read(spoken("espeak-ng", 260, None, fast_text), dtype="float32")
    slow, _ = sf.read(spoken("espeak-ng", 90, None, slow_text), dtype="float32")
    wav = tmp_path / "fast-then-slow.wav"
    sf.write(wav, np.concatenate([fast, slow]), rate)
    data = score_audio(wav)
    windows = data["pace_over_time"]
    assert len(windows) >= 2
    assert windows[0]["words_per_minute"] > 200
    assert windows[-1]["words_per_minute"] < 130
    # Eight fillers said in the slow part; Whisper keeps between one and seven of them
    # depending on the CPU's instruction set (exact counts: the timed-word test above).
    assert windows[-1]["fillers"] >= 1 and windows[-1]["fillers"] >= windows[0]["fillers"]


def test_score_text_json_has_null_audio_figures(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text("I started in DevOps. Maybe that matters.", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "-q", "about-yourself", "--text", str(answer),
                                       "--bank", str(BANK), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["pitch"] is None and data["pace_over_time"] is None
    assert data["hedges"]["count"] == 1 and data["hedges"]["per_minute"] is None


@pytest.mark.slow
def test_saved_spoken_answer_shows_its_figures_in_review_report_export_and_progress(
        spoken, store) -> None:
    from voiceprep.history.export import export_rows
    from voiceprep.history.progress import compute_progress
    from voiceprep.ui.html_report import render_report

    wav = spoken("flite", 130, True)
    result = CliRunner().invoke(main, ["score", "-q", "about-yourself", "--audio", str(wav),
                                       "--bank", str(BANK), "--save"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    screen = result.stdout
    assert "Hedges  4 (" in screen and "i think ×1, maybe ×1, i guess ×1, probably ×1" in screen
    assert "Pitch   median " in screen and "Delivery " in screen

    [row] = export_rows(store)
    assert row["hedge_count"] == 4 and row["hedges_per_minute"] > 2
    assert row["pitch_range_semitones"] > 5 and row["pitch_median_hz"] > 60
    assert row["follow_up_of"] is None
    [point] = compute_progress(store).points
    assert point.hedges_per_minute == row["hedges_per_minute"]
    assert point.pitch_range_semitones == row["pitch_range_semitones"]

    review = CliRunner().invoke(main, ["review"], env={"COLUMNS": "200"}).stdout
    assert "Hedges  4 (" in review and "Pitch   median" in review
    html = render_report(store, store.session("latest"), charts=False)
    assert '<tr class="hedges"><th>Hedges</th><td>4 (' in html
    assert "i think ×1" in html and 'class="pitch">median ' in html
    reviewed = json.loads(CliRunner().invoke(main, ["review", "--json"]).stdout)
    [attempt] = reviewed["questions"][0]["attempts"]
    windows = len(attempt["pace_over_time"])
    assert windows == max(1, round(attempt["speaking_seconds"] / 15))
    assert ('<svg class="pace"' in html) == (windows > 1) == ("Over time " in screen)
