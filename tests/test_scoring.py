"""The scorer on realistic answers to the built-in bank, delivery figures, `voiceprep score`."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.common import NEAR_MISS
from voiceprep.bank.questions import KeyPoint, Question, load_bank
from voiceprep.cli import main
from voiceprep.hearing.transcript import Transcript, Word
from voiceprep.scoring.score import Score, ScoringOptions, score

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "questions"


@pytest.fixture(scope="module")
def bank():
    return load_bank(BANK)


def covered_ids(bank, question_id: str, text: str) -> set[str]:
    result = score(bank.find(question_id), Transcript.from_text(text))
    return {k.id for k in result.key_points if k.covered}


# Answers as a candidate would say them, to the built-in bank's questions. Each lists exactly the
# key points it covers: every other key point must be reported missed.
ANSWERS = {
    "complete": ("about-yourself", """
        Sure. I'm an MLOps engineer with a little over three years of experience, currently at
        Arthur Grand Technologies. I started in DevOps, doing infrastructure and automation, and
        then moved into MLOps. Today I build end-to-end pipelines that serve fifty million
        predictions a day. I work with Kubernetes and Docker on AWS, mostly SageMaker and EKS, and
        I use MLflow, FastAPI, Prometheus and Grafana. Because of my operations background I think
        about reliability and monitoring from day one. What I enjoy most is bridging the gap
        between data science and production.""",
        {"three-years", "devops-background", "fifty-million", "kubernetes-docker", "aws",
         "mlops-tools", "reliability-mindset", "bridge-data-science"}),
    "partial": ("about-yourself", """
        So I've been working in tech for a while. My career in dev ops taught me a lot about
        automation, and these days I mostly work with Kubernetes clusters.""",
        {"devops-background", "kubernetes-docker"}),
    "misspelled-as-recognised": ("about-yourself", """
        so i'm an m l ops engineer with over three years experience um i started in dev ops and
        then we serve like 50M predictions every day on cubernetes with a w s sage maker and we
        track everything in ml flow and graffana dashboards""",
        {"three-years", "devops-background", "fifty-million", "kubernetes-docker", "aws",
         "mlops-tools"}),
    "spoken-numbers": ("why-hire-you", """
        You should hire me because I have three years of hands on production work. I built
        systems serving fifty million predictions daily at forty percent lower cost, cut
        operational overhead by eighty five percent, and kept ninety nine point nine percent
        uptime.""",
        {"production-experience", "fifty-million", "cost-reduction", "less-overhead", "uptime"}),
    "digits-and-symbols": ("why-hire-you", """
        I bring 3+ years of production experience: 50M predictions per day, 40% cheaper
        infrastructure, 85% less manual work and 99.9% uptime. The DevOps and MLOps combination
        is rare, and I learned MLOps in 6 months.""",
        {"production-experience", "fifty-million", "cost-reduction", "less-overhead", "uptime",
         "rare-combination", "learns-fast"}),
    "star-story": ("challenge", """
        Our fraud model's false positive rate jumped from three percent to fifteen percent in two
        weeks, and we got hundreds of complaints. Within two hours I adjusted the threshold. The
        root cause was data drift from a new marketing campaign, so we retrained the model on
        recent data and added drift detection with statistical tests. False positives dropped to
        four percent.""",
        {"false-positive-spike", "customer-impact", "quick-mitigation", "root-cause-drift",
         "retrained", "drift-detection", "result"}),
    "kubernetes-as-recognised": ("kubernetes", """
        We run the models on cubernetes with resource requests and limits on every pod, a
        liveness probe on the health endpoint, and the horizontal pod auto scaler on custom
        metrics. Releases are blue green with automated rollback. Config lives in config maps and
        secrets, and we watch it all in Prometheus and Graffana.""",
        {"resources", "health-probes", "autoscaling", "blue-green", "config-and-storage",
         "monitoring"}),
    "off-topic": ("about-yourself", """
        I really enjoy hiking and cooking on the weekends. My favourite food is pasta, and I have
        two cats who keep me busy. Last summer I travelled to Portugal with my family.""",
        set()),
    "near-miss": ("weaknesses", """
        Honestly, I'm a perfectionist. I spend a lot of time on experiments and good engineering,
        and I like to make the timeline work for everyone. I value feedback from my manager, and
        I think my best quality is patience.""",
        set()),
    "near-miss-numbers": ("challenge", """
        The false negative rate moved from thirty percent to fifty percent over a quarter. We
        looked at it, changed some features, and the rate settled at forty percent.""",
        set()),
}


@pytest.mark.parametrize("name", list(ANSWERS))
def test_detects_exactly_the_key_points_said(bank, name: str) -> None:
    question_id, text, expected = ANSWERS[name]
    assert covered_ids(bank, question_id, text) == expected


ANSWER_FILES = ROOT / "tests" / "data" / "answers"
EXPECTED_FILES = tomllib.loads((ANSWER_FILES / "expected.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("file_name", sorted(EXPECTED_FILES))
def test_answer_files_detect_exactly_the_labeled_key_points(bank, file_name: str) -> None:
    question = next(q for q in bank.questions if file_name.startswith(q.id + "-"))
    text = (ANSWER_FILES / file_name).read_text(encoding="utf-8")
    assert covered_ids(bank, question.id, text) == set(EXPECTED_FILES[file_name])


def test_complete_answer_scores_full_marks_with_evidence(bank) -> None:
    question_id, text, _ = ANSWERS["complete"]
    result = score(bank.find(question_id), Transcript.from_text(text))
    assert result.coverage == 1.0
    assert result.missed_required == ()
    by_id = {k.id: k for k in result.key_points}
    assert by_id["fifty-million"].evidence == "fifty million predictions"
    assert by_id["devops-background"].evidence == "started in DevOps"
    assert by_id["devops-background"].confidence == 100
    assert by_id["devops-background"].start is None  # typed text has no times
    # typed text: only fillers are judged in delivery, and there are none
    assert result.delivery_score == 100 and result.score == 100
    assert result.timing is None and result.words_per_minute is None
    assert result.pauses.count is None and result.fillers.per_minute is None


def test_misspelled_evidence_keeps_the_transcript_words(bank) -> None:
    question_id, text, _ = ANSWERS["misspelled-as-recognised"]
    result = score(bank.find(question_id), Transcript.from_text(text))
    by_id = {k.id: k for k in result.key_points}
    assert by_id["kubernetes-docker"].evidence == "cubernetes"
    assert 85 <= by_id["kubernetes-docker"].confidence < 100
    assert by_id["aws"].evidence == "a w s" or by_id["aws"].evidence == "sage maker"
    assert by_id["fifty-million"].evidence == "50M predictions"


def test_partial_answer_flags_missed_required_and_caps_the_score(bank) -> None:
    question_id, text, _ = ANSWERS["partial"]
    result = score(bank.find(question_id), Transcript.from_text(text))
    assert result.coverage == 0.25
    assert result.missed_required == ("fifty-million",)
    assert result.score == round(0.25 * (70 + 0.3 * result.delivery_score))
    assert result.score <= ScoringOptions().required_missed_cap


def test_the_issue_examples_through_score() -> None:
    points = {
        "k8s": ("Kubernetes",), "grafana": ("Grafana",), "devops": ("DevOps background",),
        "mlflow": ("MLflow",), "configmaps": ("ConfigMaps",), "fp-rate": ("3% false positives",),
        "pods": ("a hundred pods",), "perfect": ("perfect system",),
    }
    q = Question(
        id="q", category="c", prompt="p", target_seconds=(10, 20), reference="r",
        key_points=tuple(KeyPoint(k, k, v) for k, v in points.items()),
    )
    text = ("with my dev ops background I run Cubernetes and Graffana, we track runs in ML flow "
            "and keep settings in config maps; we had three percent false positives on 100 pods. "
            "I am a perfectionist.")
    result = score(q, Transcript.from_text(text))
    covered = {k.id: k.evidence for k in result.key_points if k.covered}
    assert covered == {
        "k8s": "Cubernetes", "grafana": "Graffana", "devops": "dev ops background",
        "mlflow": "ML flow", "configmaps": "config maps",
        "fp-rate": "three percent false positives", "pods": "100 pods",
    }


def test_coverage_is_weighted() -> None:
    q = Question(
        id="q", category="c", prompt="p", target_seconds=(10, 20), reference="r",
        key_points=(KeyPoint("heavy", "Heavy", ("kubernetes",), weight=3.0),
                    KeyPoint("light", "Light", ("grafana",), weight=1.0)),
    )
    assert score(q, Transcript.from_text("we run Kubernetes")).coverage == 0.75
    assert score(q, Transcript.from_text("we run Grafana")).coverage == 0.25


def test_empty_transcript_scores_zero(bank) -> None:
    result = score(bank.find("about-yourself"), Transcript(text=""))
    assert result.score == 0 and result.words == 0 and result.coverage == 0.0
    assert set(result.missed_required) == {"devops-background", "fifty-million"}


LEDGER = Question(
    id="ledger", category="technical", prompt="How would you design a ledger?",
    target_seconds=(60, 120),
    reference="I'd make it double-entry: every transaction is a set of entries that sum to zero.\n"
              "Honestly, I never looked at the pump's drug library, and that was the mistake.",
    key_points=(KeyPoint("double-entry", "Double-entry", ("double-entry",)),
                KeyPoint("pump", "I never looked at the pump", ("drug library",))))


@pytest.mark.parametrize("answer, covered", [
    ("Our ledger is double-entry, every transaction sums to zero.", True),
    ("I haven't designed a double-entry ledger myself.", False),
    ("I've heard of double-entry, but I've never actually implemented it.", False),
    ("We wanted double-entry, we just didn't get to it.", False),
    ("I haven’t designed a double-entry ledger myself.", False),  # typed with a curly ’
    ("I did not design a double-entry ledger.", False),
    ("I know you're supposed to make it double-entry, but we just used one table.", False),
    ("I've been meaning to move our ledger to double-entry.", False),
    ("I was only supposed to fix a report, but I rebuilt the ledger as double-entry.", True),
    # the "not" of another clause is about something else
    ("We built it double-entry, so we never lost a cent.", True),
    ("We never had a ledger before. Then I designed one, double-entry from day one.", True),
    ("We never had a ledger before; I designed one, double-entry from day one.", True),
    ("We built it double-entry, and we haven't had a mismatch since.", True),
    ("We never had a reconciliation break once the ledger was double-entry.", True),
    ("I couldn't have shipped it without double-entry.", True),
    ("I led the double-entry migration not long after I joined.", True),
    # a later mention makes the point
    ("Before this job I had never used double-entry. Here I designed our double-entry ledger.",
     True),
])
def test_a_point_said_not_done_is_not_made(answer: str, covered: bool) -> None:
    result = {r.id: r for r in score(LEDGER, Transcript.from_text(answer)).key_points}
    assert result["double-entry"].covered is covered, result["double-entry"]
    unchecked = ScoringOptions(not_done_reach=0)
    assert {r.id: r for r in score(LEDGER, Transcript.from_text(answer), unchecked).key_points}[
        "double-entry"].covered


def test_a_not_done_that_the_reference_says_too_is_the_point() -> None:
    """A mistake is told with a "not": the answer saying it as the notes do makes the point."""
    said = Transcript.from_text("I checked the bag, but I never looked at the drug library.")
    assert {r.id: r.covered for r in score(LEDGER, said).key_points}["pump"]
    # notes pasted from a word processor, wrapped in the bank file
    curly = replace(LEDGER, reference="Honestly, I didn’t look at the pump’s\ndrug library at all.")
    assert {r.id: r.covered for r in score(curly, said).key_points}["pump"]



SAFEGUARDING = Question(
    id="disclosure", category="behavioral", prompt="What would you do if a child disclosed?",
    target_seconds=(60, 120),
    reference="listen, don't promise to keep a secret, don't ask leading questions\n"
              "write it down word for word, dated and signed, the same day\n",
    key_points=(KeyPoint("listen", "listen, don't promise to keep a secret, don't ask leading "
                         "questions", ("ask leading", "leading questions"), by_meaning=True),
                KeyPoint("record", "write it down word for word",
                         ("word for word", "write it down"), by_meaning=True)))


@pytest.mark.parametrize("answer, covered", [
    ("Don't ask leading questions.", True),
    ("I don't ask leading questions, I just listen.", True),
    ("I never ask leading questions.", True),
    ("I'd avoid leading questions and let the child talk.", True),
    ("I listen without asking leading questions.", True),
    ("Without asking leading questions, I listen.", True),
    # the opposite of the rule, by phrase or by meaning
    ("I ask leading questions to get the facts quickly.", False),
    ("I listen and then I ask leading questions.", False),
    ("I don't judge, I ask leading questions.", False),
    ("I ask leading questions, not open ones.", False),
])
def test_a_rule_the_reference_gives_with_a_not_is_made_only_with_one(answer, covered) -> None:
    """A point of notes' "don't ..." is made by saying it with a "not"; said without one, it is
    its opposite. The line after it is no rule ("write it down word for word")."""
    result = {r.id: r for r in score(SAFEGUARDING, Transcript.from_text(answer)).key_points}
    assert result["listen"].covered is covered, result["listen"]
    said = Transcript.from_text("I write it down word for word the same day.")
    assert {r.id: r.covered for r in score(SAFEGUARDING, said).key_points}["record"]


@pytest.mark.parametrize("reference, answer, covered", [
    # the rule forbids a verb: saying the phrase without it is no opposite
    ("Never skip the code review.", "Every change gets a code review before it ships.", True),
    ("Never skip the code review.", "Honestly, I skip the code review when we're busy.", False),
    ("Don't forget to write an incident report.", "Afterwards I write an incident report.",
     True),
    # a statement of fact is no rule
    ("Shipped the redesign and never missed a sprint deadline.", "We hit every sprint deadline.",
     True),
])
def test_only_the_verb_a_rule_forbids_makes_its_opposite(reference, answer, covered) -> None:
    phrase = "sprint deadline" if "sprint" in reference else (
        "code review" if "review" in reference else "incident report")
    for by_meaning in (False, True):
        question = Question("q", "behavioral", "How do you work?", (60, 120), reference,
                            (KeyPoint("p", reference.rstrip("."), (phrase,),
                                      by_meaning=by_meaning),))
        result = score(question, Transcript.from_text(answer)).key_points[0]
        assert result.covered is covered, (by_meaning, result)


def test_evidence_quotes_a_figure_the_recogniser_cut_as_written() -> None:
    question = Question("backfill", "behavioral", "Tell me about a failure.", (60, 120), "",
                        (KeyPoint("rows", "Backfilled 1.2 million rows", ("1.2 million",)),
                         KeyPoint("share", "8% of rows dropped", ("8%",))))
    words = ["We", "backfilled", "1", ".2", "million", "rows;", "8", "%", "had", "dropped."]
    transcript = Transcript(text=" ".join(words), words=tuple(
        Word(w, i * 0.4, i * 0.4 + 0.3, 0.9) for i, w in enumerate(words)))
    result = score(question, transcript, ScoringOptions(point_meaning=None))
    assert [(r.covered, r.evidence) for r in result.key_points] == [(True, "1.2 million"),
                                                                    (True, "8%")]


STORES = Question(
    id="stores", category="behavioral", prompt="Tell me about yourself.", target_seconds=(60, 120),
    reference="I started at Greenleaf Grocers, a chain with 140 stores.",
    key_points=(KeyPoint("stores", "A chain with 140 stores", ("140 stores", "140"),
                         by_meaning=True),))


@pytest.mark.parametrize("answer, covered", [
    ("I ran analytics for all 140 stores.", True),
    ("Across a hundred and forty stores, I built the reports.", True),
    ("The chain has 140.", True),
    ("140, across the region.", True),
    ("I ran all 140 Greenleaf stores.", True),
    # the figure alone, counting something else, is another claim
    ("I managed a restaurant with a hundred and forty covers.", False),
    ("I managed 140 covers on a Friday, then 140 stores for Greenleaf.", True),
])
def test_a_figure_alone_that_counts_something_else_is_not_the_point(answer, covered) -> None:
    """For a drafted point; one written by hand keeps its bare figure."""
    phrases_only = ScoringOptions(point_meaning=None)
    result = score(STORES, Transcript.from_text(answer), phrases_only)
    assert result.key_points[0].covered is covered
    hand = replace(STORES, key_points=(replace(STORES.key_points[0], by_meaning=False),))
    assert score(hand, Transcript.from_text(answer), phrases_only).key_points[0].covered

# ---- delivery on a transcript with word timestamps -------------------------------------------

TIMED = [
    ("Um,", 0.0, 0.3), ("I", 0.5, 0.6), ("started", 0.6, 1.0), ("in", 1.0, 1.1),
    ("DevOps,", 1.1, 1.6), ("you", 1.7, 1.8), ("know,", 1.8, 2.0), ("then", 4.5, 4.8),
    ("uh", 4.9, 5.1), ("MLOps.", 5.2, 6.0),
]


def timed_transcript(rows: list[tuple[str, float, float]]) -> Transcript:
    words = tuple(Word(w, s, e, 0.9) for w, s, e in rows)
    return Transcript(text=" ".join(w for w, _, _ in rows), words=words,
                      duration_seconds=rows[-1][2] + 1)


def test_delivery_figures_from_word_timestamps(bank) -> None:
    result = score(bank.find("about-yourself"), timed_transcript(TIMED))
    assert result.speaking_seconds == 6.0
    assert result.words == 10
    assert result.words_per_minute == 100.0
    assert result.timing == "short"
    assert result.fillers.count == 3
    assert result.fillers.by_word == {"um": 1, "uh": 1, "you know": 1}
    assert result.fillers.per_minute == 30.0
    assert result.pauses.count == 1 and result.pauses.longest_seconds == 2.5
    devops = next(k for k in result.key_points if k.id == "devops-background")
    assert devops.covered and devops.evidence == "started in DevOps"
    assert (devops.start, devops.end) == (0.6, 1.6)
    # delivery: timing -30 (capped), pace -10 (100 wpm), fillers -25 (capped), one pause -5
    assert result.delivery_score == 30
    # 1/8 x (70 + 0.3 x 30) = 9.9; a required point is missed (cap 60, not reached)
    assert result.score == 10


def test_well_delivered_answer_keeps_full_delivery(bank) -> None:
    _, text, _ = ANSWERS["complete"]
    words = text.split() * 2  # about 200 words at 0.4 s each: 80 s at 150 words/min
    rows = [(w, round(i * 0.4, 2), round(i * 0.4 + 0.35, 2)) for i, w in enumerate(words)]
    result = score(bank.find("about-yourself"), timed_transcript(rows))
    assert result.timing == "ok"
    assert result.words_per_minute == round(len(words) / result.speaking_seconds * 60, 1)
    assert 149 <= result.words_per_minute <= 151
    assert result.pauses.count == 0 and result.pauses.longest_seconds == 0.05
    assert result.fillers.count == 0 and result.fillers.per_minute == 0.0
    assert result.delivery_score == 100 and result.score == 100
    kp = next(k for k in result.key_points if k.id == "fifty-million")
    index = words.index("fifty")
    assert kp.start == rows[index][1] and kp.end == rows[index + 2][2]


def test_long_and_fast_answers_lose_delivery_points(bank) -> None:
    q = bank.find("about-yourself")  # target 60-120 s
    words = ["model"] * 600  # 600 words in 150 s: 240 wpm, 25% over the maximum
    rows = [(w, i * 0.25, i * 0.25 + 0.2) for i, w in enumerate(words)]
    result = score(q, timed_transcript(rows))
    assert result.timing == "long"
    assert result.speaking_seconds == 149.95
    # timing: 10 + 40 x 0.2496 = 19.98; pace: 240.1 - 170 -> capped 30
    assert result.delivery_score == round(100 - (10 + 40 * (149.95 - 120) / 120) - 30)
    assert result.repeated_words == (("model", 600),)


def test_long_pause_threshold_is_an_option(bank) -> None:
    q = bank.find("about-yourself")
    strict = score(q, timed_transcript(TIMED), ScoringOptions(long_pause_seconds=0.15))
    assert strict.pauses.count == 2  # the 0.2 s and 2.5 s gaps
    assert strict.pauses.threshold_seconds == 0.15


@pytest.mark.parametrize("text, count, by_word", [
    ("um so uh I erm think hmm that mm ah works", 6,
     {"um": 1, "uh": 1, "erm": 1, "hmm": 1, "mm": 1, "ah": 1}),
    ("Umm, I, uhh, deployed it", 2, {"um": 1, "uh": 1}),
    ("I mean, it was, like, fast. So, you know, we shipped", 3,
     {"i mean": 1, "like": 1, "you know": 1}),
    ("I like Kubernetes. Do you know Grafana? That is what I mean by it", 0, {}),
    ("the umbrella and the hummingbird", 0, {}),
])
def test_filler_counting_is_conservative(bank, text: str, count: int, by_word: dict) -> None:
    result = score(bank.find("about-yourself"), Transcript.from_text(text))
    assert result.fillers.count == count
    assert result.fillers.by_word == by_word


def test_repeated_content_words_exclude_stopwords_and_fillers(bank) -> None:
    text = ("the pipeline the pipeline um um um basically basically basically the pipeline "
            "and the model and the model and the model")
    result = score(bank.find("about-yourself"), Transcript.from_text(text))
    assert result.repeated_words == (("pipeline", 3), ("basically", 3), ("model", 3))


# ---- voiceprep score -------------------------------------------------------------------------

CONTRACT_KEYS = {
    "question_id", "transcript", "coverage", "score", "key_points", "missed_required",
    "speaking_seconds", "words", "words_per_minute", "timing", "target_seconds", "fillers",
    "pauses",
}
KEY_POINT_KEYS = {"id", "text", "covered", "confidence", "evidence", "start", "end", "required",
                  "matched_by"}


def run(args: list[str], stdin: str | None = None):
    return CliRunner().invoke(main, args, input=stdin)


def test_score_json_contract(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWERS["partial"][1], encoding="utf-8")
    result = run(["score", "--question", "about-yourself", "--text", str(answer),
                  "--bank", str(BANK), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert CONTRACT_KEYS <= set(data)
    assert data["question_id"] == "about-yourself"
    assert data["coverage"] == 0.25 and isinstance(data["score"], int)
    assert data["target_seconds"] == [60, 120]
    assert data["missed_required"] == ["fifty-million"]
    assert [k["id"] for k in data["key_points"] if k["covered"]] == [
        "devops-background", "kubernetes-docker"]
    for k in data["key_points"]:
        assert KEY_POINT_KEYS <= set(k)
        assert 0 <= k["confidence"] <= 100
        assert k["matched_by"] == ("phrase" if k["covered"] else None)
    assert set(data["fillers"]) >= {"count", "per_minute", "by_word"}
    assert set(data["pauses"]) >= {"count", "longest_seconds"}
    assert data["timing"] is None and data["speaking_seconds"] is None


def test_score_reads_standard_input() -> None:
    result = run(["score", "-q", "challenge", "--text", "-", "--bank", str(BANK), "--json"],
                 stdin=ANSWERS["star-story"][1])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["coverage"] == 1.0


def test_score_renders_a_table_without_json(tmp_path: Path) -> None:
    answer = tmp_path / "a.txt"
    answer.write_text("I started in dev ops and we run Cubernetes.", encoding="utf-8")
    result = run(["score", "-q", "about-yourself", "--text", str(answer), "--bank", str(BANK)])
    assert result.exit_code == 0, result.output
    assert "✓" in result.stdout and "✗" in result.stdout
    assert "started in dev ops" in result.stdout and "Cubernetes" in result.stdout


def _bad_bank(tmp_path: Path) -> Path:
    bad = tmp_path / "bad.toml"
    bad.write_text("[bank\ntitle = 1\n", encoding="utf-8")
    return bad


BAD_INPUTS = {
    "no question": (["score", "--text", "{answer}"], "Missing option"),
    "unknown question": (["score", "-q", "nope", "--text", "{answer}"], "no question 'nope'"),
    "neither input": (["score", "-q", "about-yourself"], "exactly one of"),
    "both inputs": (["score", "-q", "about-yourself", "--text", "{answer}", "--audio",
                     "{answer}"], "exactly one of"),
    "missing text file": (["score", "-q", "about-yourself", "--text", "{tmp}/none.txt"],
                          "cannot read"),
    "text is a directory": (["score", "-q", "about-yourself", "--text", "{tmp}"], "cannot read"),
    "binary text file": (["score", "-q", "about-yourself", "--text", "{binary}"], "not UTF-8"),
    "empty text file": (["score", "-q", "about-yourself", "--text", "{empty}"], "is empty"),
    "empty stdin": (["score", "-q", "about-yourself", "--text", "-"], "is empty"),
    "missing audio file": (["score", "-q", "about-yourself", "--audio", "{tmp}/none.wav"],
                           "cannot read"),
    "model with text": (["score", "-q", "about-yourself", "--text", "{answer}", "--model",
                         "tiny.en"], "--audio only"),
    "unknown engine": (["score", "-q", "about-yourself", "--audio", "{answer}", "--engine",
                        "vosk"], "Invalid value"),
    "missing bank": (["score", "-q", "about-yourself", "--text", "{answer}", "--bank",
                      "{tmp}/nobank"], "no such file"),
    "broken bank": (["score", "-q", "about-yourself", "--text", "{answer}", "--bank",
                     "{badbank}"], "TOML syntax error"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_score_input_gives_one_line_error(tmp_path: Path, case: str) -> None:
    args, message = BAD_INPUTS[case]
    (tmp_path / "answer.txt").write_text("I started in devops.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\xff\xfe\x00\x81 binary")
    paths = {"answer": str(tmp_path / "answer.txt"), "tmp": str(tmp_path),
             "empty": str(tmp_path / "empty.txt"), "binary": str(tmp_path / "binary.txt"),
             "badbank": str(_bad_bank(tmp_path))}
    argv = [a.format(**paths) for a in args]
    if "--bank" not in argv:
        argv += ["--bank", str(BANK)]
    result = run(argv, stdin="")
    assert result.exit_code not in (0, None)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith(("error", "Error"))]
    assert len(errors) == 1, result.stderr
    assert message in result.stderr


@pytest.mark.slow
def test_score_audio_transcribes_then_scores(tmp_path: Path) -> None:
    from speech_samples import synthesize

    wav = synthesize("I started in DevOps and moved into MLOps. We run everything on "
                     "Kubernetes with SageMaker and MLflow.", tmp_path / "answer.wav")
    result = run(["score", "-q", "about-yourself", "--audio", str(wav), "--bank", str(BANK),
                  "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    covered = {k["id"] for k in data["key_points"] if k["covered"]}
    assert {"devops-background", "kubernetes-docker", "aws", "mlops-tools"} <= covered
    devops = next(k for k in data["key_points"] if k["id"] == "devops-background")
    assert 0.0 <= devops["start"] < devops["end"] < 3.5  # in the first sentence
    assert 2.0 < data["speaking_seconds"] < 10.0
    assert data["timing"] == "short" and data["words_per_minute"] > 60


@pytest.mark.slow
def test_score_audio_of_silence_is_a_one_line_error(tmp_path: Path) -> None:
    import numpy as np
    import soundfile as sf

    wav = tmp_path / "silence.wav"
    sf.write(wav, np.zeros(16000 * 3, dtype="float32"), 16000)
    result = run(["score", "-q", "about-yourself", "--audio", str(wav), "--bank", str(BANK)])
    assert result.exit_code != 0
    assert result.stderr.strip() == f"error: no speech recognised in {wav}"


def _scoring_eval():
    from benchmarks import scoring_eval  # the top of the checkout is on the path (pyproject)

    return scoring_eval


def test_labeled_answers_meet_the_detection_targets() -> None:
    module = _scoring_eval()
    by_kind = module.evaluate(ROOT / "benchmarks" / "data" / "answers.toml", BANK)
    phrasing, everything, paraphrase = module.summarize(by_kind)
    assert phrasing.tp + phrasing.fn > 200  # the set is not silently empty
    assert by_kind[NEAR_MISS].answers >= 13 and paraphrase.answers >= 39
    # The phrase matcher's targets on the kinds that use a key point's phrasing, meaning stage on.
    assert phrasing.precision >= 0.97, phrasing.errors
    assert phrasing.f1 >= 0.98, phrasing.errors
    assert everything.precision >= 0.96, [e for e in everything.errors if e.startswith("FP")]
    assert paraphrase.recall >= 0.1  # the meaning stage finds some paraphrases (phrases: few)


@pytest.mark.xfail(reason="the meaning stage finds 3 paraphrases in 10 on the held-out part and "
                          "1 in 2 on the fresh set, at overall precision 0.97 and 0.90 "
                          "(benchmarks/scoring_eval.py)")
@pytest.mark.parametrize("answers, held_out", [("answers.toml", True),
                                               ("answers-fresh.toml", None)])
def test_held_out_answers_meet_the_paraphrase_targets(answers, held_out) -> None:
    module = _scoring_eval()
    by_kind = module.evaluate(ROOT / "benchmarks" / "data" / answers, BANK, held_out=held_out)
    phrasing, everything, paraphrase = module.summarize(by_kind)
    assert phrasing.f1 >= module.TARGET_F1
    assert everything.precision >= module.TARGET_PRECISION
    assert paraphrase.recall >= module.TARGET_PARAPHRASE_RECALL


# ---- a score read back from its JSON ---------------------------------------------------------

DATA = Path(__file__).parent / "data"
# What a saved attempt's score file holds besides the score itself.
ATTEMPT_FACTS = {"session_id", "attempt_number", "status", "started_at", "ended_at",
                 "duration_seconds", "audio_path", "category", "question"}


@pytest.mark.parametrize("name", ["score-typed-answer.json", "saved-attempt.score.json"])
def test_score_files_written_before_read_back_to_the_same_json(name):
    """Files as `score --json` and the store wrote them: every key comes back, same value, same
    order (new keys may be added)."""
    written = json.loads((DATA / name).read_text(encoding="utf-8"))
    written = {k: v for k, v in written.items() if k not in ATTEMPT_FACTS}
    again = Score.from_dict(written).to_dict()
    assert all(k["matched_by"] == ("phrase" if k["covered"] else None)
               for k in again["key_points"])  # added since: they were all phrase matches
    again["key_points"] = [{k: new[k] for k in old}
                           for new, old in zip(again["key_points"], written["key_points"],
                                               strict=True)]
    assert {k: again[k] for k in written} == written
    assert [k for k in again if k in written] == list(written)


@pytest.mark.parametrize("text", [
    "Um, so I started in DevOps, you know, and DevOps taught me pipelines. DevOps, uh, again.",
    "",
])
def test_a_score_round_trips_through_json(bank, text):
    words = [Word(w, round(i * 0.4, 2), round(i * 0.4 + 0.3, 2), 0.9)
             for i, w in enumerate(text.split())]
    for transcript in (Transcript.from_text(text), Transcript(text, tuple(words))):
        original = score(bank.find("about-yourself"), transcript)
        data = json.loads(json.dumps(original.to_dict()))
        assert Score.from_dict(data) == original
        assert json.dumps(Score.from_dict(data).to_dict()) == json.dumps(original.to_dict())
