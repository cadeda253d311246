"""The timeline of an answer, and its compact terminal rows under the feedback."""

from __future__ import annotations

from datetime import datetime

from rich.console import Console

from history_data import ABOUT, DRIFT_RETRY, record, run
from voiceprep.bank.questions import KeyPoint, Question
from voiceprep.hearing.transcript import Transcript, Word
from voiceprep.scoring.score import score
from voiceprep.scoring.timeline import strips, timeline_of
from voiceprep.ui.render import render_score

QUESTION = Question(
    id="drift", category="technical", prompt="How do you detect drift?", target_seconds=(5, 8),
    reference="PSI.", key_points=(KeyPoint("psi", "PSI", ("population stability index",)),))


def answer() -> Transcript:
    """20 words, one every 0.5 s from 0 (0.4 s each): a filler first, a hedge at 2.0 s, a 3 s
    pause after the 10th word (4.9-7.9 s), the point at 10.4-11.8 s, the end at 12.8 s."""
    tokens = ("um so we watch I think the inputs every day and then we use the population "
              "stability index for it").split()
    words, t = [], 0.0
    for i, token in enumerate(tokens):
        words.append(Word(token, round(t, 2), round(t + 0.4, 2), 0.9))
        t += 3.4 if i == 9 else 0.5
    return Transcript(" ".join(tokens), tuple(words))


def test_the_timeline_of_an_answer():
    result = score(QUESTION, answer())
    timeline = timeline_of(result)
    assert (timeline.start, timeline.end) == (0.0, 12.8)
    assert [(m.kind, m.at) for m in timeline.marks] == [
        ("filler", 0.0), ("hedge", 2.0), ("pause", 4.9), ("point", 10.4)]
    pause = next(m for m in timeline.marks if m.kind == "pause")
    assert pause.end == 7.9
    drift = next(b for b in timeline.bands if b.kind == "drift")
    assert (drift.start, drift.end) == (0.0, 5.4)  # 5 s before the point


def test_the_terminal_rows():
    content, delivery = strips(timeline_of(score(QUESTION, answer())), width=32)
    # 12.8 s over 32 columns: 0.4 s a column. Near no point: 0-5.4 s (columns 0-13); the point
    # at 10.4 s (column 26); the pause 4.9-7.9 s (columns 12-19).
    assert content == "░" * 14 + "─" * 12 + "●" + "─" * 5
    assert delivery == "f····h······" + "_" * 8 + "·" * 12


def test_typed_text_has_no_timeline():
    assert timeline_of(score(QUESTION, Transcript.from_text("population stability index"))) \
        is None


def test_the_feedback_ends_with_the_timeline():
    console = Console(width=200, record=True, color_system=None)
    render_score(console, score(QUESTION, answer()))
    text = console.export_text()
    assert "To the point first key point after 0:10; " in text
    assert "longest stretch near none 0:05 (at 0:00-0:05)" in text
    assert "Timeline   content ░░░" in text
    assert "● key point  S T A R parts  ░ near no point" in text


def test_practice_due_with_nothing_due(store, bank, tmp_path, data_dir):
    now = datetime.now()
    session = store.start_session(bank.title, now=now)
    record(store, session, bank.find("drift"), DRIFT_RETRY, 0.4, now)  # every point: Easy
    record(store, session, bank.find("about-yourself"), ABOUT, 0.6, now)  # in time: Easy
    store.end_session(session.id, now=now)
    result = run("practice", "--due", "--bank", str(tmp_path / "bank.toml"), data_dir=data_dir)
    assert result.exit_code == 0, result.output
    assert "nothing is due today; 'voiceprep plan' shows what comes next" in result.output
