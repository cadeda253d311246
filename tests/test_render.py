"""Terminal renderings: the session list, highlighted transcripts, progress charts."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len
from rich.console import Console

from history_data import build_history, run
from voiceprep.history.progress import compute_progress
from voiceprep.history.review import review_session
from voiceprep.ui.render import highlighted, render_progress, render_review, sparkline


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


@pytest.mark.parametrize("width", [60, 80, 140])
def test_the_review_fits_the_terminal_with_every_row_whole(data_dir, store, history, width):
    """Nothing wider than the terminal and nothing cut: each timeline's rows whole on one line
    each and aligned over its time axis, its legend broken between items, every figure of the
    comparison whole; the reference answer beside the answers only where there is room."""
    console = Console(record=True, width=width, color_system=None)
    render_review(console, review_session(store, history[1]))
    out = console.export_text()
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert "…" not in out
    content = [(m.start(1), m.group(1)) for line in lines
               if (m := re.search(r"content ([─●░STAR]+)", line))]
    delivery = [(m.start(1), m.group(1)) for line in lines
                if (m := re.search(r"delivery ([·fh_]+)", line))]
    axes = [line for line in lines if re.search(r"0:00 +0:1[01] ", line)]
    assert len(content) == len(delivery) == len(axes) == 2  # the two attempts
    for (at, strip), (under, delivery_strip), axis in zip(content, delivery, axes, strict=True):
        assert (under, len(delivery_strip)) == (at, len(strip))
        assert len(strip) >= 30 and "●" in strip
        assert axis.index("0:00") == at and axis.index("0:1") + 4 == at + len(strip)
    for item in ("● key point", "S T A R parts", "░ near no point", "f filler", "h hedge",
                 "_ long pause"):
        assert sum(item in line for line in lines) == 2, item
    compared = out.split("attempts compared")[1]
    assert compared.count("(+25)") == 2 and "+dashboards" in compared
    beside = any("Attempt 1" in line and "Monitor input" in line for line in lines)
    assert beside == (width >= 120)
    assert "reference answer" in out
