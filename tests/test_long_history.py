"""What a long history costs stays bounded: progress is summed up by period past a few hundred
points, the session list shows the newest, a report embeds a bounded amount of audio. Times
are measured by benchmarks/history.py; these check the bounds themselves."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from long_history import build_long_history
from voiceprep.bank.questions import load_bank
from voiceprep.cli import main
from voiceprep.history.progress import compute_progress
from voiceprep.history.store import Store
from voiceprep.ui.chart import MAX_LABELS, MAX_POINTS, chart_figure
from voiceprep.ui.html_report import embedded_audio, render_report

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def long_history(tmp_path_factory) -> Path:
    """400 sessions of one answer, every six hours from 08:00 on Monday 1 January 2024 to
    02:00 on 10 April: 101 days, 15 weeks."""
    data_dir = tmp_path_factory.mktemp("long") / "data"
    build_long_history(data_dir, load_bank(None), 400)
    return data_dir


@pytest.fixture
def history(long_history):
    with Store(long_history) as store:
        yield store


def test_past_the_points_asked_for_progress_is_summed_up_by_the_finest_period(history):
    assert compute_progress(history, most_points=400).period == "session"
    by_day = compute_progress(history, most_points=399)
    assert (by_day.period, len(by_day.points), by_day.sessions) == ("day", 101, 400)
    by_week = compute_progress(history, most_points=20)
    assert by_week.period == "week"
    assert [p.session_id for p in by_week.points] == [f"2024-W{w:02d}" for w in range(1, 16)]
    assert [p.sessions for p in by_week.points] == [27] + [28] * 13 + [9]
    assert compute_progress(history, most_points=4).period == "month"  # January to April
    assert [p.session_id for p in compute_progress(history, most_points=3).points] == [
        "2024-Q1", "2024-Q2"]
    assert compute_progress(history, most_points=1).period == "year"


def test_a_periods_point_averages_the_answers_of_its_sessions(history):
    by_week = compute_progress(history, most_points=20)
    in_week_two = [a for a in history.attempts()
                   if date.fromisoformat(a.started_at[:10]).isocalendar()[1] == 2]
    second = by_week.points[1]
    assert second.attempts == len(in_week_two) == 28
    assert second.coverage == pytest.approx(
        sum(a.coverage for a in in_week_two) / 28, abs=1e-4)
    assert second.started_at[:10] == "2024-01-08"
    assert sum(p.attempts for p in by_week.points) == 400


def test_the_chart_of_a_long_history_draws_at_most_its_points_and_labels(history):
    progress = compute_progress(history, most_points=MAX_POINTS)
    assert progress.period == "day"
    figure = chart_figure(progress)
    coverage = figure.axes[0]
    assert len(coverage.lines[0].get_xdata()) == 101
    assert coverage.lines[0].get_marker() in (None, "None", "")
    labels = [t.get_text() for t in figure.axes[-1].get_xticklabels()]
    assert 6 <= len(labels) <= MAX_LABELS
    assert labels[-1] == "2024-04-10"  # the last day is always labelled


def test_the_progress_table_sums_a_long_history_up(long_history):
    result = CliRunner().invoke(main, ["progress", "--data-dir", str(long_history)])
    assert result.exit_code == 0, result.output
    assert "Progress over 400 session(s), by week: all questions" in result.output
    assert "2024-W15" in result.output and "2024-01-01" not in result.output
    result = CliRunner().invoke(main, ["progress", "--json", "--data-dir", str(long_history)])
    progress = json.loads(result.output)
    assert (progress["period"], len(progress["sessions"])) == ("session", 400)


def test_the_session_list_shows_the_newest_and_says_how_many_there_are(long_history):
    def run(*args):
        result = CliRunner().invoke(main, ["sessions", *args, "--data-dir", str(long_history)])
        assert result.exit_code == 0, result.output
        return result.output

    table = run()
    assert "The newest 30 of 400 sessions (--all for every one)" in table
    assert "20240410-020000" in table and "20240402-200000" in table
    assert "20240402-140000" not in table  # the 31st newest
    assert "20240101-080000" in run("--all")
    assert len(json.loads(run("--json"))) == 400
    assert [s["id"] for s in json.loads(run("--json", "--limit", "2"))] == [
        "20240410-020000", "20240409-200000"]


def test_a_report_draws_the_progress_of_its_session_by_period(history):
    session = history.session("20240409-200000")  # the one before the newest
    page = render_report(history, session)
    assert "Progress over 399 session(s), by day" in page


def test_recordings_past_the_budget_are_linked_not_embedded(tmp_path, history):
    recordings = [(a.id, history.data_dir / a.audio_path) for a in history.attempts()[:5]]
    one = len(embedded_audio(recordings[:1], None)[recordings[0][0]] or "")
    sources = embedded_audio(recordings + [(0, None)], tmp_path / "page", budget=2 * one + 10)
    assert [s.startswith("data:audio/ogg;base64,") for s in list(sources.values())[:5]] == [
        True, True, False, False, False]
    for attempt_id, path in recordings[2:]:
        assert (tmp_path / "page" / sources[attempt_id]).resolve() == path.resolve()
    assert sources[0] is None
    absolute = embedded_audio(recordings[:1], None, budget=0)[recordings[0][0]]
    assert absolute == recordings[0][1].resolve().as_uri()


@pytest.mark.slow
def test_the_report_of_500_answers_stays_a_page_a_browser_opens(tmp_path):
    """500 answers of 30 s (four hours of audio) in one session: the recordings that fit in
    the budget are embedded, the rest linked."""
    from voiceprep.ui.html_report import EMBEDDED_AUDIO_BYTES

    data_dir = tmp_path / "data"
    build_long_history(data_dir, load_bank(None), 500, per_session=500, answer_seconds=30,
                       every=timedelta(hours=1))
    page = tmp_path / "report.html"
    done = subprocess.run([sys.executable, "-m", "voiceprep", "report", "latest", "-o",
                           str(page), "--data-dir", str(data_dir)], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr
    html = page.read_text()
    sources = [s.split(' src="', 1)[1].split('"', 1)[0] for s in html.split("<audio ")[1:]]
    assert len(sources) == 500
    embedded = [s for s in sources if s.startswith("data:")]
    linked = [s for s in sources if not s.startswith("data:")]
    assert 100 < len(embedded) < 500 and len(linked) == 500 - len(embedded)
    assert sum(len(s) for s in embedded) <= EMBEDDED_AUDIO_BYTES
    assert all((tmp_path / s).is_file() for s in linked)
    assert page.stat().st_size < EMBEDDED_AUDIO_BYTES + 500 * 20_000  # audio + text per answer
    assert base64.b64decode(embedded[0].split(",", 1)[1])[:4] == b"OggS"
