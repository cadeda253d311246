"""Terminal renderings: the session list, highlighted transcripts, progress charts."""

from __future__ import annotations

from rich.console import Console

from history_data import build_history, run
from voiceprep.history.progress import compute_progress
from voiceprep.history.review import review_session
from voiceprep.ui.render import highlighted, render_progress, sparkline


def test_sparkline_scales_between_lowest_and_highest():
    assert sparkline([0.0, 0.5, 1.0]) == "▁▅█"
    assert sparkline([3.0, 3.0]) == "▄▄"
    assert sparkline([None, 1.0, 2.0]) == " ▁█"
    assert sparkline([]) == ""


def test_terminal_chart(data_dir, store, bank):
    build_history(store, bank)
    console = Console(record=True, width=100)
    render_progress(console, compute_progress(store, question_id="drift"))
    out = console.export_text()
    assert "Progress over 2 session(s): question drift" in out
    assert "11-20 18:30" in out and "11-24 19:00" in out
    assert "▁█" in out and "improving" in out
    assert out.count("█") >= 4


def test_sessions_table(data_dir, store, history):
    result = run("sessions", data_dir=data_dir)
    assert result.exit_code == 0
    newest = store.sessions()[0]
    lines = [line for line in result.output.splitlines() if line.strip().startswith("2026")]
    assert [line.split()[0] for line in lines] == ["20261124-190000", "20261120-183000"]
    assert f"{round(newest.average_coverage * 100)}%" in lines[0]


def test_highlighting_marks_evidence_in_bold_green(data_dir, store, history):
    review = review_session(store, history[1])
    retry = review.questions[0].attempts[1]
    console = Console(record=True, width=200, color_system="truecolor")
    console.print(highlighted(retry.spans))
    html = console.export_html(inline_styles=True)
    assert "population stability index</span>" in html
    assert "font-weight: bold" in html and "#008000" in html
    plain = [s.text for s in retry.spans if not s.key_point]
    assert plain[0] == "we compute the"


def test_a_missed_point_shows_no_confidence():
    from voiceprep.bank.questions import KeyPoint, Question
    from voiceprep.hearing.transcript import Transcript
    from voiceprep.scoring.score import score
    from voiceprep.ui.render import render_score

    question = Question("q", "general", "Tell me about yourself", (30, 90), "ref", (
        KeyPoint("made", "Kafka", ("kafka",), True),
        KeyPoint("missed", "six years in data engineering", ("6 years data engineering",), True)))
    result = score(question, Transcript.from_text("I built pipelines in Kafka, mostly data work"))
    assert [k.covered for k in result.key_points] == [True, False]
    console = Console(width=120, record=True)
    render_score(console, result)
    rows = {line.split("│")[2].strip(): line.split("│")[-2].strip()
            for line in console.export_text().splitlines() if line.count("│") >= 5}
    assert rows["Kafka (required)"] == "100%"
    assert rows["six years in data engineering (required)"] == "-"
