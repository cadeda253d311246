"""Progress over sessions: per-session averages, trends, terminal and PNG charts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner

from history_data import (
    ABOUT,
    DAY1,
    DAY2,
    DRIFT_FULL,
    DRIFT_PARTIAL,
    DRIFT_RETRY,
    build_history,
    record,
)
from voiceprep.cli import main
from voiceprep.errors import StoreError
from voiceprep.history.progress import compute_progress
from voiceprep.history.store import Store
from voiceprep.ui.chart import chart_png


def mean(values):
    return sum(values) / len(values)


def test_points_are_per_session_averages_in_time_order(data_dir, store, bank):
    s1, s2 = build_history(store, bank)
    progress = compute_progress(store)
    assert [p.session_id for p in progress.points] == [s1.id, s2.id]
    for point, session in zip(progress.points, (s1, s2), strict=True):
        attempts = store.attempts(session_id=session.id)
        assert point.attempts == len(attempts) == 2
        assert point.coverage == pytest.approx(mean([a.coverage for a in attempts]), abs=1e-4)
        assert point.words_per_minute == pytest.approx(
            mean([a.words_per_minute for a in attempts]), abs=0.051)
        assert point.fillers_per_minute == pytest.approx(
            mean([a.fillers_per_minute for a in attempts]), abs=0.005)
        assert point.speaking_seconds == pytest.approx(
            mean([a.speaking_seconds for a in attempts]), abs=0.051)
    # The second session is within its target time on every answer; the first is short.
    assert progress.points[1].on_target == 1.0 and progress.points[1].seconds_off_target == 0
    assert progress.points[0].on_target == 0.0 and progress.points[0].seconds_off_target > 0


def test_trends_of_a_week_that_went_well(data_dir, store, bank):
    build_history(store, bank)
    progress = compute_progress(store, question_id="drift")
    first, last = progress.points
    trends = {t.metric: t for t in progress.trends}
    assert trends["coverage"].direction == "improving"
    assert trends["coverage"].first == first.coverage and trends["coverage"].last == last.coverage
    assert trends["coverage"].change == pytest.approx(last.coverage - first.coverage, abs=1e-4)
    assert trends["fillers_per_minute"].direction == "improving"
    assert trends["fillers_per_minute"].last == 0
    assert trends["speaking_seconds"].direction == "improving"  # from short to within target
    assert first.attempts == 1 and last.attempts == 2


def test_worse_and_steady(data_dir, store, bank):
    drift = bank.find("drift")
    good = store.start_session(bank.title, now=DAY1)
    record(store, good, drift, DRIFT_RETRY, 0.4, DAY1)
    bad = store.start_session(bank.title, now=DAY2)
    record(store, bad, drift, DRIFT_PARTIAL, 0.2, DAY2)
    trends = {t.metric: t.direction for t in compute_progress(store).trends}
    # (the answers have no hedges, and no pitch: the test records timed words, not audio)
    assert trends == {"coverage": "worse", "words_per_minute": "worse",
                      "speaking_seconds": "worse", "fillers_per_minute": "worse",
                      "hedges_per_minute": "steady",
                      "pitch_range_semitones": "not enough sessions"}

    with Store(data_dir / "other") as other:
        same = other.start_session(bank.title, now=DAY1)
        record(other, same, drift, DRIFT_FULL, 0.4, DAY1)
        again = other.start_session(bank.title, now=DAY2)
        record(other, again, drift, DRIFT_FULL, 0.4, DAY2)
        trends = {t.metric: t.direction for t in compute_progress(other).trends}
    assert set(trends.values()) == {"steady", "not enough sessions"}
    assert trends["pitch_range_semitones"] == "not enough sessions"


def test_one_session_is_not_a_trend(data_dir, store, bank):
    session = store.start_session(bank.title, now=DAY1)
    record(store, session, bank.find("drift"), DRIFT_FULL, 0.4, DAY1)
    progress = compute_progress(store)
    assert len(progress.points) == 1
    assert {t.direction for t in progress.trends} == {"not enough sessions"}
    assert chart_png(progress).startswith(b"\x89PNG")


def test_filters_and_interrupted_answers(data_dir, store, bank):
    build_history(store, bank)
    late = store.start_session(bank.title, now=DAY2 + timedelta(days=1))
    record(store, late, bank.find("about-yourself"), ABOUT, 0.4, DAY2 + timedelta(days=1),
           status="interrupted")
    behavioral = compute_progress(store, category="behavioral")
    # The interrupted answer is not counted: only the first session answered it completely.
    assert [p.attempts for p in behavioral.points] == [1]
    about = store.attempts(question_id="about-yourself")[0]
    assert behavioral.points[0].coverage == about.coverage
    with pytest.raises(StoreError, match="no complete answers to question 'nope'"):
        compute_progress(store, question_id="nope")
    until = compute_progress(store, until_session=store.sessions()[-1].id)
    assert len(until.points) == 1


def test_progress_cli_text_and_errors(data_dir, store, bank):
    runner = CliRunner()
    empty = runner.invoke(main, ["progress", "--data-dir", str(data_dir)])
    assert empty.exit_code == 0 and "No complete answers yet" in empty.output
    build_history(store, bank)
    result = runner.invoke(main, ["progress", "--data-dir", str(data_dir),
                                  "--category", "technical"])
    assert result.exit_code == 0
    assert "category technical" in result.output and "improving" in result.output
    missing = runner.invoke(main, ["progress", "--data-dir", str(data_dir), "-q", "nope"])
    assert missing.exit_code == 2
    assert missing.stderr.strip().startswith("error: no complete answers")


@pytest.mark.parametrize("columns, bars", [(80, True), (70, False)])
def test_progress_fits_a_terminal_of_80_columns_and_narrower(data_dir, store, bank, columns,
                                                             bars):
    # every figure whole: the coverage bars go first when the terminal is too narrow for them
    build_history(store, bank)
    shown = CliRunner().invoke(main, ["progress"], env={"COLUMNS": str(columns)}).output
    table = shown.split("Trend")[0]
    assert "…" not in table and "wpm" in table and "/min" in table
    assert ("█" in table or "·" in table) == bars
