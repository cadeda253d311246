"""What the benchmarks share: where the data is, the labeled answers' vocabulary, the bare
faster-whisper call that voiceprep's speed and accuracy are compared with, and a WER normaliser.
Not a benchmark itself.

The bare call comes in two forms, on the same bundled model and the same audio:
- "as written": `WhisperModel(model).transcribe(audio, beam_size=5, language="en")`, with
  CTranslate2's default threads, as anyone would call it;
- "voiceprep's threads": the same call on voiceprep's own loaded model (one CTranslate2 thread
  per decode on 2 cores; a single call uses one of its two workers).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import ctranslate2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
BANK = ROOT / "questions"
# The real human speech clips, kept beside the checkout when present.
DEFAULT_REALSPEECH = ROOT.parent / "shared" / "eval" / "realspeech"

PARAPHRASE = "paraphrase"
NEAR_MISS = "near-miss"
# Kinds that do not use a key point's phrasing: left out of the typed F1.
OTHER_WORDS = (PARAPHRASE, NEAR_MISS)
# Questions whose answers were not looked at while choosing the meaning stage's windows, anchors
# and thresholds (chosen before tuning: every other question of the bank).
HELD_OUT = ("why-this-company", "weaknesses", "challenge", "pressure", "questions-for-us",
            "model-monitoring")


@dataclass
class Tally:
    answers: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Tally) -> None:
        self.answers += other.answers
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn
        self.errors += other.errors


def bare_calls() -> dict[str, Callable[[np.ndarray], str]]:
    """Name -> a function that transcribes 16 kHz samples with a bare call and returns the text."""
    from faster_whisper import WhisperModel

    from voiceprep.hearing.models import BUNDLED_MODEL, local_model_dir
    from voiceprep.hearing.transcriber import TranscribeOptions, get_engine

    engine_model = get_engine(TranscribeOptions()).model  # type: ignore[attr-defined]
    as_written = WhisperModel(str(local_model_dir(BUNDLED_MODEL)), device="cpu",
                              compute_type="int8")

    def call(model) -> Callable[[np.ndarray], str]:
        def run(samples: np.ndarray) -> str:
            ctranslate2.set_random_seed(0)  # the seed voiceprep's engine sets: repeatable runs
            segments, _ = model.transcribe(samples, beam_size=5, language="en")
            return " ".join(s.text for s in segments)
        return run

    return {"bare faster-whisper (beam 5)": call(as_written),
            "bare faster-whisper, voiceprep's threads": call(engine_model)}


def make_normaliser():
    """Whisper's English normaliser when openai-whisper is installed; a simple one otherwise."""
    try:
        from whisper.normalizers import EnglishTextNormalizer

        normaliser = EnglishTextNormalizer()
        return normaliser, "whisper EnglishTextNormalizer"
    except ImportError:
        fillers = re.compile(r"\b(um+|uh+|hmm+|mm+|er|erm|ah)\b")

        def simple(text: str) -> str:
            text = re.sub(r"[^a-z0-9' ]", " ", text.lower().replace("-", " "))
            return " ".join(fillers.sub(" ", text).split())
        return simple, "simple (lower case, no punctuation, no fillers)"
