"""The recogniser's own word probabilities in a key point's confidence."""

from __future__ import annotations

import pytest

from voiceprep.bank.questions import KeyPoint, Question
from voiceprep.hearing.transcript import Transcript, Word
from voiceprep.scoring.score import ScoringOptions, score

QUESTION = Question(
    id="monitoring", category="technical", prompt="How do you monitor models?",
    target_seconds=(5, 60), reference="Grafana dashboards on drift metrics.",
    key_points=(KeyPoint(id="grafana", text="Grafana", phrases=("grafana",)),
                KeyPoint(id="dashboards", text="Dashboards in Grafana",
                         phrases=("grafana dashboards",))))


def heard(*words: tuple[str, float | None]) -> Transcript:
    """Words as Whisper gives them: 0.4 s apart, each with its probability."""
    out = tuple(Word(f" {w}", round(i * 0.4, 2), round(i * 0.4 + 0.3, 2), p)
                for i, (w, p) in enumerate(words))
    return Transcript(text=" ".join(w for w, _ in words), words=out, duration_seconds=5.0)


def point(result, key: str):
    return next(k for k in result.key_points if k.id == key)


def test_a_word_whisper_nearly_ruled_out_does_not_cover_a_point_alone():
    # "Grafana" heard at 0.007 in a clip of other words (a real tiny.en case).
    result = score(QUESTION, heard(("we", 0.9), ("watch", 0.8), ("Grafana", 0.007), ("it", 0.9)))
    grafana = point(result, "grafana")
    assert not grafana.covered and grafana.confidence == 0 and grafana.evidence == ""
    assert result.coverage == 0.0


def test_confidence_carries_the_recognisers_probability():
    sure = point(score(QUESTION, heard(("we", 0.9), ("use", 0.9), ("Grafana", 0.98))), "grafana")
    unsure = point(score(QUESTION, heard(("we", 0.9), ("use", 0.9), ("Grafana", 0.4))),
                   "grafana")
    assert sure.covered and unsure.covered
    assert sure.confidence == 98 and unsure.confidence == 40
    typed = point(score(QUESTION, Transcript.from_text("we use Grafana")), "grafana")
    assert typed.covered and typed.confidence == 100  # typed words carry no probability


def test_one_sure_word_keeps_a_phrase_with_a_doubtful_one_covered():
    result = score(QUESTION, heard(("Grafana", 0.01), ("dashboards", 0.9)))
    dashboards = point(result, "dashboards")
    assert dashboards.covered
    assert dashboards.confidence == round(100 * (0.01 + 0.9) / 2)
    assert not point(result, "grafana").covered  # the same word alone does not


@pytest.mark.parametrize("threshold, covered", [(0.005, True), (0.05, False)])
def test_the_threshold_is_an_option(threshold, covered):
    options = ScoringOptions(min_word_probability=threshold)
    result = score(QUESTION, heard(("Grafana", 0.007)), options)
    assert point(result, "grafana").covered is covered


def test_the_best_heard_phrase_is_the_evidence():
    question = Question(
        id="q", category="c", prompt="p", target_seconds=(5, 60), reference="r",
        key_points=(KeyPoint(id="k", text="t", phrases=("kubernetes", "k8s")),))
    result = score(question, heard(("Kubernetes", 0.03), ("and", 0.9), ("K8s", 0.95)))
    k = point(result, "k")
    assert k.covered and k.evidence == "K8s" and k.confidence == 95
