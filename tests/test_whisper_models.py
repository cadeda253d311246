"""Model files: the CTranslate2 reader, tiny.en converted for openai-whisper, and base joined from
its two packages; all on the real installed models, in a cache directory of the test's own."""

from __future__ import annotations

import base64
import gzip
import os
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from voiceprep.cli import main
from voiceprep.errors import TranscriptionError
from voiceprep.hearing import models as whisper_models
from voiceprep.hearing import transcriber as transcribe
from voiceprep.hearing.engines import OpenAIWhisperEngine, resolve_faster_whisper_model
from voiceprep.hearing.models import (
    INSTALL_BASE,
    base_model_dir,
    bundled_model_dir,
    openai_whisper_checkpoint,
    read_ct2_model,
)

TINY_EN_DIMS = {"n_mels": 80, "n_audio_ctx": 1500, "n_audio_state": 384, "n_audio_head": 6,
                "n_audio_layer": 4, "n_vocab": 51864, "n_text_ctx": 448, "n_text_state": 384,
                "n_text_head": 6, "n_text_layer": 4}


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache directory for the module: converting and joining models once is enough."""
    path = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(path))
        yield path / "voiceprep"


def base_installed() -> bool:
    try:
        base_model_dir()
    except TranscriptionError:
        return False
    return True


def decoded_heads(dump: bytes) -> np.ndarray:
    return np.frombuffer(gzip.decompress(base64.b85decode(dump)), dtype=bool)


# ---- CTranslate2 reader -------------------------------------------------------------------------

def test_reader_gives_the_bundled_networks_arrays() -> None:
    spec, arrays = read_ct2_model(bundled_model_dir() / "model.bin")
    assert spec == "WhisperSpec"
    assert arrays["encoder/conv1/weight"].shape == (384, 80, 3)
    assert arrays["encoder/conv1/weight"].dtype == np.float16
    assert arrays["decoder/layer_3/self_attention/linear_0/weight"].shape == (1152, 384)
    assert int(arrays["decoder/num_heads"]) == 6
    # the alias at the end of the file: the output projection is the token embedding
    assert arrays["decoder/projection/weight"] is arrays["decoder/embeddings/weight"]
    # CTranslate2's sinusoids are Whisper's audio positions
    positions = arrays["encoder/position_encodings/encodings"].astype(np.float32)
    assert np.allclose(positions[1, :3], np.sin(np.exp(-np.log(10000) / 191 * np.arange(3))),
                       atol=1e-3)


def test_reader_rejects_a_file_that_is_not_ctranslate2(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(b"\x01\x00\x00\x00" + b"x" * 20)
    with pytest.raises(ValueError, match="binary version 1 is too old"):
        read_ct2_model(path)


# ---- tiny.en for openai-whisper ------------------------------------------------------------------

@pytest.mark.slow
def test_conversion_makes_a_checkpoint_that_whisper_load_model_accepts(cache: Path) -> None:
    whisper = pytest.importorskip("whisper", reason="the openai-whisper extra is not installed")
    path, heads = openai_whisper_checkpoint("tiny.en")
    assert path.parent == cache / "openai-whisper" and path.name.startswith("tiny.en-")
    model = whisper.load_model(str(path), device="cpu")  # strict: every weight has its place
    assert vars(model.dims) == TINY_EN_DIMS
    # the heads from CTranslate2's config.json are the ones openai-whisper knows for tiny.en
    engine_heads = whisper_models.encode_alignment_heads(heads, 4, 6)
    assert (decoded_heads(engine_heads) == decoded_heads(whisper._ALIGNMENT_HEADS["tiny.en"])).all()
    assert not [p.name for p in path.parent.iterdir() if p.name.startswith(".")]  # no temp left


@pytest.mark.slow
def test_converted_checkpoint_is_reused(cache: Path) -> None:
    pytest.importorskip("whisper", reason="the openai-whisper extra is not installed")
    first, _ = openai_whisper_checkpoint("tiny.en")
    made = first.stat().st_mtime_ns
    second, _ = openai_whisper_checkpoint("tiny.en")
    assert second == first and second.stat().st_mtime_ns == made
    assert list((cache / "openai-whisper").glob("tiny.en-*.pt")) == [first]


@pytest.mark.slow
def test_damaged_cached_checkpoint_is_converted_again(cache: Path, caplog) -> None:
    pytest.importorskip("whisper", reason="the openai-whisper extra is not installed")
    path, _ = openai_whisper_checkpoint("tiny.en")
    size = path.stat().st_size
    with open(path, "r+b") as damaged:
        damaged.truncate(size // 3)
    engine = OpenAIWhisperEngine()
    assert path.stat().st_size == size
    assert "is damaged" in caplog.text and "converting tiny.en again" in caplog.text
    assert engine.model.alignment_heads.to_dense().sum() == 8


def test_cache_that_cannot_be_written_is_a_one_line_error(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("torch", reason="the openai-whisper extra is not installed")
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with pytest.raises(TranscriptionError, match=r"cannot write .*not-a-directory/voiceprep"):
        openai_whisper_checkpoint("tiny.en")


# ---- base, joined from two packages ------------------------------------------------------------

def test_missing_base_packages_name_the_install_command(speak, monkeypatch) -> None:
    monkeypatch.setattr(whisper_models, "BASE_PARTS", ("voiceprep-test-no-such-part1",
                                                       "voiceprep-test-no-such-part2"))
    monkeypatch.setattr(transcribe, "_engines", {})
    with pytest.raises(TranscriptionError, match=re.escape(
            f"the base model is not installed: run {INSTALL_BASE}")):
        resolve_faster_whisper_model("base")
    answer = speak("I would measure first.")
    result = CliRunner().invoke(main, ["transcribe", "--model", "base", str(answer)])
    assert result.exit_code == TranscriptionError.exit_code
    assert result.output.strip() == f"error: the base model is not installed: run {INSTALL_BASE}"


def test_base_is_joined_once_and_checked_by_size(cache: Path, caplog) -> None:
    if not base_installed():
        pytest.skip(f"the base model's packages are not installed ({INSTALL_BASE})")
    directory = base_model_dir()
    model_bin = directory / "model.bin"
    assert directory == cache / "models" / "base"
    spec, arrays = read_ct2_model(model_bin)
    assert spec == "WhisperSpec" and arrays["encoder/conv1/weight"].shape == (512, 80, 3)
    assert {p.name for p in directory.iterdir()} == {
        "config.json", "model.bin", "parts.sha256", "tokenizer.json", "vocabulary.txt"}

    made = model_bin.stat().st_mtime_ns
    caplog.clear()
    assert base_model_dir() == directory and model_bin.stat().st_mtime_ns == made
    assert "joining" not in caplog.text

    size = model_bin.stat().st_size
    with open(model_bin, "r+b") as cut:
        cut.truncate(size - 1000)
    assert base_model_dir() == directory and model_bin.stat().st_size == size
    assert "joining the base model" in caplog.text


def test_base_part_with_a_wrong_checksum_is_refused(cache: Path, monkeypatch) -> None:
    if not base_installed():
        pytest.skip(f"the base model's packages are not installed ({INSTALL_BASE})")
    real = whisper_models.package_file

    def damaged_record(package: str, name_start: str):
        part = real(package, name_start)
        if part is not None and package.endswith("part2"):
            part.hash = type(part.hash)("sha256=" + "A" * 43)
        return part

    monkeypatch.setattr(whisper_models, "package_file", damaged_record)
    os.remove(cache / "models" / "base" / "parts.sha256")
    with pytest.raises(TranscriptionError, match=r"model\.bin\.part2 is damaged .* reinstall it"):
        base_model_dir()
