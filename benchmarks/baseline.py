"""The bare faster-whisper call that voiceprep's speed and accuracy are compared with.

Two of them, on the same bundled model and the same audio:
- "as written": `WhisperModel(model).transcribe(audio, beam_size=5, language="en")`, with
  CTranslate2's default threads, as anyone would call it;
- "voiceprep's threads": the same call on voiceprep's own loaded model (one CTranslate2 thread
  per decode on 2 cores; a single call uses one of its two workers).
"""

from __future__ import annotations

from collections.abc import Callable

import ctranslate2
import numpy as np


def bare_calls() -> dict[str, Callable[[np.ndarray], str]]:
    """Name -> a function that transcribes 16 kHz samples with a bare call and returns the text."""
    from faster_whisper import WhisperModel

    from voiceprep.transcribe import TranscribeOptions, get_engine
    from voiceprep.whisper_models import BUNDLED_MODEL, local_model_dir

    engine_model = get_engine(TranscribeOptions())._model
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
