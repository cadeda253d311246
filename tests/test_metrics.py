"""The registry of figures: how each is shown, which way is better, and the two pace bands."""

from __future__ import annotations

import pytest

from voiceprep.scoring.metrics import (
    BY_KEY,
    COMPARED,
    COVERAGE,
    FILLERS,
    FOCUS,
    PACE,
    PACE_AIM,
    PACE_SCORED,
    SCORE,
    SPEAKING_TIME,
    TRENDED,
    format_counts,
    rounded,
)
from voiceprep.scoring.score import ScoringOptions


def test_each_figure_is_defined_once():
    metrics = set(COMPARED) | set(TRENDED) | set(FOCUS)
    keys = [m.key for m in metrics]
    assert len(keys) == len(set(keys)) and set(BY_KEY) == set(keys)
    assert all(BY_KEY[m.key] is m for m in metrics)


@pytest.mark.parametrize("metric, value, plain, with_unit", [
    (COVERAGE, 0.875, "88%", "88%"),
    (SCORE, 71.4, "71", "71"),
    (SPEAKING_TIME, 65.4, "1:05", "1:05"),
    (PACE, 140.26, "140", "140 wpm"),
    (FILLERS, 1.25, "1.2", "1.2/min"),
    (PACE, None, "-", "-"),
])
def test_each_figure_has_one_form(metric, value, plain, with_unit):
    assert metric.format(value) == plain
    assert metric.format(value, unit=True) == with_unit
    assert metric.format(None, missing="–") == "–"


def test_changes_are_shown_in_the_figure_s_own_terms():
    assert COVERAGE.format_change(0.25) == "+25"  # percentage points
    assert FILLERS.format_change(-0.84) == "-0.8"
    assert SPEAKING_TIME.format_change(12.4) == "+12"
    assert PACE.format_change(0.3) == "±0"


def test_one_rule_for_which_way_is_better():
    assert COVERAGE.verdict(0.5, 0.75) == "better" and FILLERS.verdict(1.0, 2.0) == "worse"
    assert SCORE.verdict(80, 80) == "same" and COVERAGE.verdict(None, 0.5) is None
    # Pace: closer to the aimed band is better, from either side; inside it, all the same.
    assert PACE.verdict(190, 170) == "better" and PACE.verdict(100, 90) == "worse"
    assert PACE.verdict(125, 155) == "same"
    # Time: closer to the question's own target.
    assert SPEAKING_TIME.verdict(40, 70, target=(60, 120)) == "better"
    assert SPEAKING_TIME.verdict(100, 150, target=(60, 120)) == "worse"


def test_the_scorer_band_is_the_aim_widened():
    """Two pace bands on purpose: the aim shown in review and progress, and the wider band
    inside which the scorer takes no points off (metrics.py says why)."""
    assert ScoringOptions().pace_wpm == PACE_SCORED
    assert PACE.band == PACE_AIM
    assert PACE_SCORED[0] < PACE_AIM[0] < PACE_AIM[1] < PACE_SCORED[1]


def test_rounded_passes_none_through():
    assert rounded(None, 2) is None and rounded(1.23456, 2) == 1.23
    assert COVERAGE.rounded(0.123456) == 0.1235


def test_counts_are_shown_most_frequent_first():
    assert format_counts({"uh": 1, "um": 3, "like": 1}) == "um ×3, uh ×1, like ×1"
    assert format_counts({}) == ""
