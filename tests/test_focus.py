"""Getting to the point: exact figures on constructed answers with timed words."""

from __future__ import annotations

import json

import pytest

from voiceprep.bank.questions import KeyPoint, Question
from voiceprep.hearing.transcript import Transcript, Word
from voiceprep.scoring.focus import Focus, Stretch, measure_focus
from voiceprep.scoring.score import Score, score


def timed(text: str, start: float = 0.0, step: float = 0.5) -> Transcript:
    """One word every `step` seconds from `start`, each lasting 0.4 s."""
    words = tuple(Word(w, round(start + i * step, 2), round(start + i * step + 0.4, 2), 0.9)
                  for i, w in enumerate(text.split()))
    return Transcript(text=text, words=words)


QUESTION = Question(
    id="drift", category="technical", prompt="How do you detect drift?", target_seconds=(5, 20),
    reference="PSI and alerts.", key_points=(
        KeyPoint("psi", "Population stability index", ("population stability index",)),
        KeyPoint("alerts", "Alert on a threshold", ("alert on a threshold",))))


def test_figures_of_an_answer_that_rambles_before_its_first_point():
    # From 1.0 s: 20 words, the first point at 11.0-12.4, 20 words, the second point at
    # 22.5-24.4, then 10 words to the end at 29.4.
    text = (" ".join(["well"] * 20) + " population stability index " + " ".join(["so"] * 20)
            + " alert on a threshold " + " ".join(["and"] * 10))
    result = score(QUESTION, timed(text, start=1.0))
    focus = result.focus
    assert focus.answer_start == 1.0
    assert focus.first_point_seconds == 10.0  # 11.0 in the recording, 1.0 after the start
    # Near a point (5 s around): 6.0-17.4 and 17.5-29.4 of 1.0-29.4: 11.4 + 11.9 of 28.4 s.
    assert focus.on_point_share == round(23.3 / 28.4, 3)
    assert focus.longest_drift == Stretch(1.0, 6.0)
    assert focus.longest_drift_seconds == 5.0
    # 28.4 s is over the 20 s target: every point was made by 24.4 in the recording.
    assert focus.could_stop_at_seconds == 23.4
    assert focus.could_stop_at == 24.4


def test_an_answer_within_its_target_has_no_stopping_point():
    result = score(QUESTION, timed("population stability index and alert on a threshold"))
    assert result.focus.first_point_seconds == 0.0
    assert result.focus.on_point_share == 1.0
    assert result.focus.longest_drift is None
    assert result.focus.could_stop_at_seconds is None


def test_an_answer_with_no_point_drifts_all_along():
    result = score(QUESTION, timed("we look at dashboards every day"))
    assert result.focus.first_point_seconds is None
    assert result.focus.on_point_share == 0.0
    assert result.focus.longest_drift == Stretch(0.0, 2.9)


def test_typed_text_has_no_timed_figures():
    focus = score(QUESTION, Transcript.from_text("population stability index")).focus
    assert focus == Focus()


@pytest.mark.parametrize("points, expected", [
    ([], (0.0, 30.0)),
    ([(0.0, 1.0), (29.0, 30.0)], (6.0, 24.0)),
    ([(10.0, 11.0), (12.0, 13.0)], (18.0, 30.0)),  # overlapping neighbourhoods join
])
def test_longest_drift_between_points(points, expected):
    focus = measure_focus((0.0, 30.0), points, (5, 60))
    assert (focus.longest_drift.start, focus.longest_drift.end) == expected


def test_focus_goes_into_the_json_and_comes_back():
    result = score(QUESTION, timed(" ".join(["well"] * 30) + " population stability index"))
    data = json.loads(json.dumps(result.to_dict()))
    # The point at 15.0-16.4 s: near it from 10.0 s, 6.4 of 16.4 s.
    assert data["focus"] == {"first_point_seconds": 15.0, "on_point_share": 0.39,
                             "longest_drift": {"start": 0.0, "end": 10.0, "seconds": 10.0},
                             "could_stop_at_seconds": None, "answer_start": 0.0,
                             "near_seconds": 5.0}
    assert Score.from_dict(data) == result
