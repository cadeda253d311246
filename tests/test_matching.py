"""The phrase matcher and the text normalisation under it: what speech recognition does to words."""

from __future__ import annotations

import pytest

from voiceprep.normalize import filler_form, phrase_tokens, stem, tokens_of_words
from voiceprep.scoring.matching import MatchOptions, match_phrase


def texts(phrase: str) -> list[str]:
    return [t.text for t in phrase_tokens(phrase)]


@pytest.mark.parametrize("written, expected", [
    ("3%", ["3", "percent"]),
    ("three percent", ["3", "percent"]),
    ("3 per cent", ["3", "percent"]),
    ("a hundred", ["100"]),
    ("one hundred and fifty", ["150"]),
    ("fifty million", ["50000000"]),
    ("50 million", ["50000000"]),
    ("50M", ["50000000"]),
    ("fifteen thousand", ["15000"]),
    ("15,000+", ["15000"]),
    ("15k", ["15000"]),
    ("99.9%", ["99.9", "percent"]),
    ("ninety nine point nine percent", ["99.9", "percent"]),
    ("ninety-nine point nine", ["99.9"]),
    ("three point five million", ["3500000"]),
    ("twenty four seven", ["24", "7"]),
    ("24/7", ["24", "7"]),
    ("from three to fifteen percent", ["from", "3", "to", "15", "percent"]),
    ("hundreds of complaints", ["hundreds", "of", "complaints"]),
    ("A/B testing", ["a", "b", "testing"]),
    ("Kubernetes,", ["kubernetes"]),
    ("dev-ops", ["dev", "ops"]),
    ("I'm", ["im"]),
    ("$40", ["40", "dollars"]),
    ("sub-100ms", ["sub", "100", "ms"]),
    ("K8s", ["k", "8", "s"]),
    ("p99", ["p", "99"]),
    ("$50 million", ["50000000", "dollars"]),
    ("15 000", ["15000"]),
    ("1 000 000 requests", ["1000000", "requests"]),
    ("5, 500 pods", ["5", "500", "pods"]),
    ("1234 567", ["1234", "567"]),
])
def test_written_and_spoken_forms_normalise_alike(written: str, expected: list[str]) -> None:
    assert texts(written) == expected


@pytest.mark.parametrize("word, expected", [
    ("deployed", "deploy"), ("deploying", "deploy"), ("deploys", "deploy"),
    ("retrained", "retrain"), ("processes", "process"), ("policies", "policy"),
    ("process", "process"), ("status", "status"), ("k8s", "k8s"), ("ops", "ops"),
    ("mvps", "mvp"), ("pods", "pod"), ("this", "this"), ("plus", "plus"),
    ("dropped", "drop"), ("running", "run"), ("stopped", "stop"), ("logging", "log"),
    ("called", "call"), ("passed", "pass"), ("added", "add"), ("staffed", "staff"),
])
def test_stem_strips_inflections(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize("word, form", [
    ("um", "um"), ("Umm,", "um"), ("uh.", "uh"), ("Uhh", "uh"), ("er", "er"), ("erm", "erm"),
    ("hmm", "hmm"), ("Hmmm...", "hmm"), ("mm", "mm"), ("ah", "ah"),
    ("a", None), ("hum", None), ("umbrella", None), ("her", None), ("m", None),
])
def test_filler_forms(word: str, form: str | None) -> None:
    assert filler_form(word) == form


def covered(phrase: str, transcript: str) -> bool:
    return match_phrase(phrase, tokens_of_words(transcript.split())).covered


@pytest.mark.parametrize("phrase, transcript", [
    ("Kubernetes", "we deploy everything on Cubernetes clusters"),
    ("Grafana", "the dashboards live in Graffana"),
    ("Prometheus", "metrics go to Promethius"),
    ("devops", "I started in dev ops"),
    ("dev ops", "my devops background"),
    ("started in devops", "I started out in dev ops"),
    ("MLflow", "we used ML flow for tracking"),
    ("MLflow", "we used M L flow"),
    ("configmaps", "config maps and secrets"),
    ("grafana", "Graphana dashboards"),
    ("kafka", "events go through Kafca"),
    ("p99", "P-99 latency"),
    ("p99", "p ninety nine latency"),
    ("under 100 milliseconds", "under 100ms"),
    ("ml strategy", "the machine learning strategy"),
    ("15000 transactions per second", "15,000 TPS"),
    ("15000 transactions per second", "fifteen thousand transactions a second"),
    ("Kubernetes", "K8s"),
    ("ticket routing", "ticket rooting"),
    ("technical leader", "a technical leeder"),
    ("exercise", "daily exercises"),
    ("redis", "a Reddis cache"),
    ("autoscaling", "the auto scaler"),
    ("config maps", "ConfigMaps and secrets"),
    ("SageMaker", "models on sage maker"),
    ("XGBoost", "an XG boost model"),
    ("A/B test", "we ran an AB test"),
    ("3%", "it rose from three percent"),
    ("three percent", "only 3% of them"),
    ("a hundred", "about 100 pods"),
    ("100 pods", "about a hundred pods"),
    ("fifty million predictions", "50M predictions a day"),
    ("50 million predictions", "over fifty million predictions a day"),
    ("99.9% uptime", "ninety nine point nine percent uptime"),
    ("15000 transactions per second", "fifteen thousand transactions per second"),
    ("false positive rate", "the false positives rate went up"),
    ("retrained the model", "so we retrain the models"),
    ("deployed a simpler model", "deploying simpler models"),
    ("time boxing", "I time-box every task"),
    ("over engineering", "I was overengineering things"),
    ("end to end", "end-to-end pipelines"),
    ("Kubernetes", "KUBERNETES!"),
    ("click through rate", "click-through rates dropped"),
    ("data drift", "data, um, drift"),
    ("mvp", "two MVPs"),
    ("pod", "the pods restarted"),
    ("started in devops", "I started on devops"),
    ("rather than the right", "rather then the right one"),
    ("your focus on", "you're focused on"),
    ("dropped to 4 percent", "false positives drop to 4%"),
    ("autoscaler", "the auto scalar takes it to 50 pods"),
    ("horizontal pod autoscaler", "a horizontal pod auto scalar"),
    ("combination is rare", "that combination is pretty rare"),
    ("combination is rare", "the combination is quite rare"),
    ("your technology", "I really like your tech"),
    ("new technologies", "working with new tech"),
    ("CCRN", "i got my c c r n in twenty twenty one"),  # spelled out, a letter per token
    ("SQL", "plain s q l files"),
    ("3 yrs at brightwave", "three years at Brightwave"),  # a unit as notes shorten it
    ("6 mths", "for six months"),
    ("15 mins", "fifteen minutes"),
])
def test_covers_what_speech_recognition_writes(phrase: str, transcript: str) -> None:
    assert covered(phrase, transcript)


@pytest.mark.parametrize("phrase, transcript", [
    ("perfect system", "I am a perfectionist at heart"),
    ("experience", "I ran an experiment"),
    ("false positive rate", "the false negative rate went up"),
    ("99.9% uptime", "99.95% uptime"),
    ("3%", "thirty percent"),
    ("3% to 15%", "3% to 50%"),
    ("monitoring", "mentoring juniors"),
    ("drift", "a first draft"),
    ("K8s", "kates"),
    ("ml pipeline", "mlflow pipeline"),
    ("flow", "mlflow"),
    ("eks", "makes sense"),
    ("perfect", "perfectionist"),
    ("canary", "a cannery"),
    ("lead a team", "read a tweet"),
    ("50 million predictions", "5 million predictions"),
    ("deployment", "employment"),
    ("docker", "a locker"),
    ("retrain", "we retain our customers"),
    ("retrained the model", "we retained the model"),
    ("throughput", "throughout the year"),
    ("conferences", "a convergence of ideas"),
    ("contingency", "a contingent of engineers"),
    ("redis", "the reds won"),
    ("psi", "PCI compliance"),
    ("autoscaling", "we work at scale"),
    ("over engineering", "good engineering"),
    ("time boxing", "on time for boxing class"),
    ("over engineering", "your engineering team"),
    ("what scale", "we work at scale"),
    ("istio", "the plan is to ship"),
    ("not just accuracy", "just accuracy"),
    ("time boxing", "time, quite, boxing"),
    ("your technology", "your technique"),
    ("CCRN", "a lot of c c r things"),
    ("redis", "r e d i"),  # spelled out, it is every letter or nothing
    ("scale", "s c a l"),
    ("kafka", "c a f k a"),
    ("HR", "within the hour"),  # human resources, not a unit written short
])
def test_does_not_cover_lookalikes(phrase: str, transcript: str) -> None:
    assert not covered(phrase, transcript)


def test_match_reports_confidence_and_the_matched_tokens() -> None:
    tokens = tokens_of_words("so we deploy on Kubernetis clusters".split())
    m = match_phrase("Kubernetes", tokens)
    assert m.covered and m.confidence == 90  # one letter in ten differs
    assert (m.first_token, m.last_token) == (4, 4)
    assert match_phrase("clusters", tokens).confidence == 100
    sounds_alike = match_phrase("Kubernetes", tokens_of_words(["Cubernetes"]))
    assert sounds_alike.covered and sounds_alike.confidence == 95


def test_a_miss_reports_a_confidence_below_the_threshold() -> None:
    m = match_phrase("perfect system", tokens_of_words("a perfectionist".split()))
    assert not m.covered
    assert 0 < m.confidence < MatchOptions().phrase_needs(len("perfectsystem"))


def test_fillers_do_not_break_a_phrase_but_other_words_do() -> None:
    assert covered("drift detection", "drift, uh, detection")
    assert not covered("drift detection", "drift in our detection")


def test_stricter_options_reject_a_misspelling() -> None:
    tokens = tokens_of_words("Kubernetis".split())
    strict = MatchOptions(phrase_threshold=95.0)
    assert match_phrase("Kubernetes", tokens).covered
    assert not match_phrase("Kubernetes", tokens, strict).covered


def test_empty_inputs_never_match() -> None:
    assert not match_phrase("kubernetes", []).covered
    assert not match_phrase("", tokens_of_words(["kubernetes"])).covered


@pytest.mark.parametrize("words, expected", [
    (["99", ".9", "%", "uptime"], [("99.9", 0, 2), ("percent", 0, 2), ("uptime", 3, 3)]),
    (["99", ".9%.", "I"], [("99.9", 0, 1), ("percent", 0, 1), ("i", 2, 2)]),
    (["15", ",000", "TPS"], [("15000", 0, 1), ("tps", 2, 2)]),
    (["hand", "-on", "work"], [("hand", 0, 1), ("on", 0, 1), ("work", 2, 2)]),
    (["at", "15", "%"], [("at", 0, 0), ("15", 1, 2), ("percent", 1, 2)]),
    (["from", "94", ".", "9"], [("from", 0, 0), ("94", 1, 1), ("9", 3, 3)]),
])
def test_words_cut_at_their_punctuation_are_rejoined(
        words: list[str], expected: list[tuple[str, int, int]]) -> None:
    """Whisper's word timestamps cut "99.9%" into "99", ".9", "%" and "15,000" into "15", ",000"."""
    assert [(t.text, t.first, t.last) for t in tokens_of_words(words)] == expected


@pytest.mark.parametrize("phrase, words", [
    ("99.9% uptime", ["99", ".9", "%", "up", "time"]),
    ("99.9 percent", ["the", "time", "is", "99", ".9%."]),
    ("15000 transactions per second", ["over", "15", ",000", "transactions", "per", "second."]),
    ("15000 requests per second", ["we", "handle", "15", "000", "requests", "per", "second"]),
])
def test_numbers_cut_by_the_recogniser_still_match(phrase: str, words: list[str]) -> None:
    assert match_phrase(phrase, tokens_of_words(words)).covered


def test_a_number_cut_in_two_does_not_match_its_parts() -> None:
    tokens = tokens_of_words(["99", ".9", "%"])
    assert not match_phrase("99 percent", tokens).covered
    assert not match_phrase("9 percent", tokens).covered
