"""Speech-recognition engines behind one small seam: faster-whisper (default) and openai-whisper.

Both take 16 kHz float32 mono samples and decoding settings, and return `RawSegment`s with word
timestamps; the hallucination guards and the `Transcript` are built by `transcriber.py`.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from voiceprep.errors import TranscriptionError
from voiceprep.hearing.models import (
    BUNDLED_MODEL,
    LOCAL_MODELS,
    encode_alignment_heads,
    local_model_dir,
    openai_whisper_checkpoint,
)
from voiceprep.hearing.transcript import Word
from voiceprep.memory import give_back_free_memory, no_mkl_buffer_cache

if TYPE_CHECKING:  # numpy is imported where audio is decoded: `voiceprep --help` needs none of it
    import numpy as np

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DecodeSettings:
    """What the engines need to know of the options, already resolved (prompt, thresholds)."""

    language: str = "en"
    beam_size: int = 5
    initial_prompt: str | None = None
    vad: bool = True
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4
    condition_on_previous_text: bool = False
    # Whisper decodes again at higher temperatures when a result looks wrong; off, one pass only.
    temperature_fallback: bool = True
    hallucination_silence_threshold: float | None = None
    # Where the speech in the samples ends (seconds), when known. Once the decoded words
    # reach it, faster-whisper does not go on to decode another window after them: on the few
    # tenths of a second left it writes text that was never said ("... see you in the next
    # video" repeated to the length limit), slowly (docs/engines.md). openai-whisper returns all
    # windows at once, so it decodes them all.
    speech_end: float | None = None
    # Asked between the steps of a decode (the encoder, the decoder, the word alignment): when it
    # says True the decode is given up (`DecodeCancelled`), its result no longer wanted.
    # faster-whisper only; a step once begun runs to its end.
    cancelled: Callable[[], bool] | None = field(default=None, compare=False)
    # Encode the samples in a window of their own length (`fitted_frames`) rather than Whisper's
    # 30 s: a third of the encoder's work for a few seconds of speech. faster-whisper only.
    fitted_window: bool = False


class DecodeCancelled(Exception):
    """A decode given up between two of its steps (`DecodeSettings.cancelled`)."""


@dataclass(frozen=True)
class RawSegment:
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    no_speech_prob: float = 0.0
    avg_logprob: float = 0.0
    compression_ratio: float = 1.0


_SPEECH_COVERED = 0.5  # seconds: words ending this close to the end of speech reach it
# A fitted window: the audio's frames and 1 s more, at least 10 s (100 frames a second). Whisper
# was trained on 30 s windows; at 10 s it hears a short part as well, below that it makes up
# words (docs/transcription.md, "The encoder's window").
_FITTED_PAD_FRAMES = 100
_FITTED_MIN_FRAMES = 1000
_WHOLE_WINDOW_FRAMES = 3000


def fitted_frames(frames: int) -> int:
    """The encoder window, in feature frames, fitted to `frames` of audio."""
    return min(_WHOLE_WINDOW_FRAMES, max(frames + _FITTED_PAD_FRAMES, _FITTED_MIN_FRAMES))


def _window_frames(frames: int, fitted: bool) -> int:
    """The encoder window for `frames` of audio: fitted to them, or Whisper's 30 s."""
    return fitted_frames(frames) if fitted else _WHOLE_WINDOW_FRAMES


def _word(text: str, start: float, end: float, probability: float) -> Word:
    """A word as either engine gives it: times to the millisecond."""
    return Word(text.strip(), round(float(start), 3), round(float(end), 3),
                round(float(probability), 4))


def _temperatures(settings: DecodeSettings) -> tuple[float, ...]:
    return (0.0, 0.2, 0.4, 0.6, 0.8, 1.0) if settings.temperature_fallback else (0.0,)


class Engine(Protocol):
    """Called from several threads at once: voiceprep runs the two passes of a stretch together."""

    name: str
    model_name: str

    def transcribe(self, samples: np.ndarray, settings: DecodeSettings) -> list[RawSegment]: ...

    def opening_probabilities(self, samples: np.ndarray, settings: DecodeSettings,
                              texts: Sequence[str]) -> list[float]:
        """For each of `texts`, the probability Whisper gives its first token as the first
        thing said in `samples` (at most 30 s), after `settings.initial_prompt`: how likely the
        audio is to begin so, whatever the decode chose to write."""
        ...

    def text_log_probabilities(self, samples: np.ndarray, settings: DecodeSettings,
                               texts: Sequence[str]) -> list[float]:
        """For each of `texts`, the log probability Whisper gives the whole text as what is said
        in `samples` (at most 30 s), after `settings.initial_prompt`: which of two readings of
        the same audio it finds likelier."""
        ...


# ---- faster-whisper ------------------------------------------------------------------------------

_import_lock = threading.Lock()


def import_faster_whisper() -> None:
    """Import faster-whisper, its VAD module included, one thread at a time.

    The engine and the VAD load on threads of their own. Two threads importing the package at
    once fail: one holds `faster_whisper.vad` while it waits for the package, whose `__init__`
    on the other thread waits for `faster_whisper.vad` ("deadlock detected by _ModuleLock", or a
    partially initialized module).
    """
    with _import_lock:
        import faster_whisper.vad  # noqa: F401 - the package first, then its VAD module


def _looks_like_path(model: str) -> bool:
    return os.sep in model or model.startswith(".") or model.endswith(".pt") or Path(model).exists()


def resolve_faster_whisper_model(model: str | None) -> str:
    """The CTranslate2 directory for `model`: an installed one (tiny.en, base), a local dir or a
    hub name."""
    if model is None or model in LOCAL_MODELS:
        return str(local_model_dir(model or BUNDLED_MODEL))
    if _looks_like_path(model):
        path = Path(model).expanduser()
        if path.suffix == ".pt":
            raise TranscriptionError(
                f"{path} is an openai-whisper checkpoint: use --engine openai-whisper for it")
        if not path.is_dir():
            raise TranscriptionError(f"model directory not found: {path}")
        if not (path / "model.bin").is_file():
            raise TranscriptionError(
                f"{path} is not a CTranslate2 Whisper model (no model.bin in it)")
        return str(path)
    import_faster_whisper()
    from faster_whisper.utils import available_models, download_model

    if model not in available_models() and "/" not in model:
        raise TranscriptionError(
            f"unknown model '{model}': use one of {', '.join(available_models())} "
            "or a path to a CTranslate2 model directory")
    try:
        return str(download_model(model, local_files_only=True))
    except Exception:  # noqa: BLE001 - huggingface_hub raises several types for "not cached"
        pass
    log.warning("model '%s' is not on this machine: downloading it from the Hugging Face hub",
                model)
    try:
        return str(download_model(model))
    except Exception as e:  # noqa: BLE001 - offline, DNS, HTTP errors all mean the same to the user
        reason = str(e).split("\n")[0][:200]
        raise TranscriptionError(
            f"model '{model}' is not on this machine and could not be downloaded: {reason}; "
            "download it on a connected machine or pass --model PATH") from None


def threads_per_worker(cpu_threads: int = 0) -> int:
    """CTranslate2 threads for each of the engine's two workers: the cores this process may use,
    shared between them.

    On 2 cores, one decode on 1 thread is no slower than on CTranslate2's default threads, and two
    decodes on 1 thread each finish well before the same two one after the other
    (docs/engines.md).
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cpu_threads or max(1, (cores or 2) // FasterWhisperEngine.workers)


class _ScoresText:
    """`Engine.opening_probabilities` and `text_log_probabilities`, from an engine's
    `_token_probabilities`: for each text, the probability of each of its tokens (of its first
    only) given the audio, the prompt and the tokens before it. The end of the text is not scored
    (CTranslate2's alignment gives it no probability): compare readings of the same audio, each
    whole, not a reading and a part of it."""

    def _token_probabilities(self, samples: np.ndarray, settings: DecodeSettings,
                             texts: Sequence[str], first_only: bool = False
                             ) -> list[list[float]]:
        raise NotImplementedError

    def opening_probabilities(self, samples: np.ndarray, settings: DecodeSettings,
                              texts: Sequence[str]) -> list[float]:
        return [probabilities[0] for probabilities in
                self._token_probabilities(samples, settings, texts, first_only=True)]

    def text_log_probabilities(self, samples: np.ndarray, settings: DecodeSettings,
                               texts: Sequence[str]) -> list[float]:
        return [sum(math.log(max(p, 1e-12)) for p in probabilities) for probabilities in
                self._token_probabilities(samples, settings, texts)]


class FasterWhisperEngine(_ScoresText):
    name = "faster-whisper"
    workers = 2

    def __init__(self, model: str | None = None, compute_type: str = "int8", cpu_threads: int = 0):
        self.model_name = model or BUNDLED_MODEL
        model_dir = resolve_faster_whisper_model(model)
        import_faster_whisper()
        from faster_whisper import WhisperModel

        no_mkl_buffer_cache()
        try:
            self.model = WhisperModel(model_dir, device="cpu", compute_type=compute_type,
                                       cpu_threads=threads_per_worker(cpu_threads),
                                       num_workers=self.workers)
        except Exception as e:  # noqa: BLE001 - ctranslate2 raises RuntimeError/ValueError
            raise TranscriptionError(f"cannot load model {model_dir}: {e}") from None
        # Decoding the same audio twice (voiceprep's words and fillers passes) needs its
        # features and the encoder once: the encoder is about half the cost of a pass for
        # tiny.en, the features a moment's worth of memory (benchmarks/README.md).
        self.model.feature_extractor = _LastCall(self.model.feature_extractor)
        self.model.encode = _LastCall(self.model.encode)
        self._decoding = threading.local()  # each decode's settings.cancelled, on its thread
        self.model.model = _Steps(self.model.model, self._decoding)
        _pad_windows_as_asked()

    def transcribe(self, samples: np.ndarray, settings: DecodeSettings) -> list[RawSegment]:
        # When a decode looks wrong Whisper samples again at a higher temperature. CTranslate2
        # seeds each worker's generator once, from this seed, when it first samples: a fresh
        # process draws the same on each worker (without a seed, the same clips gave a different
        # WER from run to run: docs/engines.md). Which of the two workers draws is not fixed,
        # so a stretch that falls back to sampling can still come out differently; none of the
        # real-speech clips falls back.
        import ctranslate2

        ctranslate2.set_random_seed(0)
        self._decoding.cancelled = settings.cancelled
        _window.fitted = settings.fitted_window
        segments, _info = self.model.transcribe(
            samples,
            language=settings.language,
            beam_size=settings.beam_size,
            initial_prompt=settings.initial_prompt,
            word_timestamps=True,
            vad_filter=settings.vad,
            vad_parameters={"min_silence_duration_ms": 1000, "speech_pad_ms": 400},
            condition_on_previous_text=settings.condition_on_previous_text,
            temperature=_temperatures(settings),
            no_speech_threshold=settings.no_speech_threshold,
            log_prob_threshold=settings.log_prob_threshold,
            compression_ratio_threshold=settings.compression_ratio_threshold,
            hallucination_silence_threshold=settings.hallucination_silence_threshold,
        )
        out = []
        for s in segments:
            words = tuple(_word(w.word, w.start, w.end, w.probability) for w in (s.words or []))
            out.append(RawSegment(float(s.start), float(s.end), s.text.strip(), words,
                                  float(s.no_speech_prob), float(s.avg_logprob),
                                  float(s.compression_ratio)))
            # Segments come window by window: stopping here skips the windows after this one.
            if settings.speech_end is not None and \
                    ((words[-1].end if words else None) or s.end) >= \
                    settings.speech_end - _SPEECH_COVERED:
                break
        return out

    def _token_probabilities(self, samples: np.ndarray, settings: DecodeSettings,
                             texts: Sequence[str], first_only: bool = False
                             ) -> list[list[float]]:
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer

        model = self.model
        tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual,
                              task="transcribe", language=settings.language)
        self._decoding.cancelled = settings.cancelled
        # As `transcribe` computes them, so that right after a decode of the same samples the
        # features and the encoder's output are the ones it left (`_LastCall`).
        features = model.feature_extractor(samples, chunk_length=None)
        frames = min(features.shape[-1] - 1, model.feature_extractor.nb_max_frames)
        window = _window_frames(frames, settings.fitted_window)
        encoded = model.encode(pad_or_trim(features[:, :frames], window))
        start = list(tokenizer.sot_sequence)
        if settings.initial_prompt:
            start = [tokenizer.sot_prev,
                     *tokenizer.encode(" " + settings.initial_prompt.strip()), *start]
        out = []
        for text in texts:
            tokens = tokenizer.encode(" " + text.strip())
            tokens = tokens[:1] if first_only else tokens
            # CTranslate2's alignment puts <|notimestamps|> after `start` and scores each token
            # given those before it.
            aligned = model.model.align(encoded, start, [tokens], frames)[0]
            out.append([float(p) for p in aligned.text_token_probs])
        return out


# Whether the decode on this thread encodes in a fitted window (`DecodeSettings.fitted_window`).
_window = threading.local()


def _pad_windows_as_asked() -> None:
    """Have faster-whisper pad each window it encodes to a fitted length when the decode on that
    thread asks for it, to Whisper's 30 s otherwise. It pads every window to 30 s itself, with
    no option to do otherwise; CTranslate2 (4.5 and later) encodes fewer frames."""
    import faster_whisper.transcribe as module
    from faster_whisper.audio import pad_or_trim

    def padded(array: np.ndarray, length: int = _WHOLE_WINDOW_FRAMES, *, axis: int = -1
               ) -> np.ndarray:
        if array.shape[axis] <= length:
            length = _window_frames(array.shape[axis], getattr(_window, "fitted", False))
        return pad_or_trim(array, length, axis=axis)

    if getattr(module.pad_or_trim, "__name__", "") != padded.__name__:
        module.pad_or_trim = padded


class _LastCall:
    """A function of one array (Whisper's features, its encoder), remembering its results for the
    last two arrays it was given. The two passes over a stretch run at the same time: the second
    waits for the first's result instead of working it out again; and a short clip's decode
    encodes its first window, then the tail after the words, before the probability of a filler
    opening the clip is asked of the first (`opening_probabilities`). Other attributes are the
    function's. `calls` counts the calls, `computed` those that ran the function."""

    remembered = 2

    def __init__(self, function: Any):
        self._function = function
        self._results: list[tuple[np.ndarray, tuple, Any]] = []  # the newest last
        self._lock = threading.Lock()
        self.calls = 0
        self.computed = 0

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # not set up (a copy): no lookup through _function
            raise AttributeError(name)
        return getattr(self._function, name)

    def __call__(self, array: np.ndarray, **kwargs: Any) -> Any:
        import numpy as np

        options = tuple(sorted(kwargs.items()))
        with self._lock:
            self.calls += 1
            for i, (key, key_options, output) in enumerate(self._results):
                if key_options == options and np.array_equal(key, array):
                    self._results.append(self._results.pop(i))
                    return output
            output = self._function(array, **kwargs)
            self._results = [*self._results[1 - self.remembered:],
                             (np.array(array, copy=True), options, output)]
            self.computed += 1
            return output


class _Steps:
    """CTranslate2's Whisper model, asking before each step of a decode (encoder, decoder, word
    alignment) whether the decode on this thread was given up (`DecodeSettings.cancelled`)."""

    def __init__(self, model: Any, decoding: threading.local):
        self._model = model
        self._decoding = decoding

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._model, name)

    def _step(self, name: str, *args: Any, **kwargs: Any) -> Any:
        cancelled = getattr(self._decoding, "cancelled", None)
        if cancelled is not None and cancelled():
            raise DecodeCancelled(name)
        return getattr(self._model, name)(*args, **kwargs)

    def encode(self, *args: Any, **kwargs: Any) -> Any:
        # The encoder's run is a decode's peak (tiny.en: its attention, 52 MB, mapped afresh,
        # and some 40 MB more); the pages the steps before it freed (features, decoders, word
        # alignment) are still resident unless given back first: a practice run of a 74 s answer
        # peaked 20-30 MB lower, the same words (benchmarks/README.md, figures behind choices).
        give_back_free_memory()
        return self._step("encode", *args, **kwargs)

    def generate(self, *args: Any, **kwargs: Any) -> Any:
        return self._step("generate", *args, **kwargs)

    def align(self, *args: Any, **kwargs: Any) -> Any:
        return self._step("align", *args, **kwargs)


# ---- openai-whisper ------------------------------------------------------------------------------

def _whisper_cache_dir() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return default / "whisper"


class OpenAIWhisperEngine(_ScoresText):
    """The reference implementation (PyTorch): the installed models converted to its format, a
    model it downloads by name, or a local `.pt` checkpoint."""

    name = "openai-whisper"

    def __init__(self, model: str | None = None):
        try:
            import whisper
        except ImportError:
            raise TranscriptionError(
                "the openai-whisper engine is not installed: run make install-reference "
                "(or pip install torch==2.13.0 'voiceprep[openai-whisper]')") from None
        self._whisper = whisper
        # Its decoder keeps its key/value cache in hooks on the model: one decode at a time.
        self._lock = threading.Lock()
        self.model_name = model or BUNDLED_MODEL
        if self.model_name in LOCAL_MODELS:
            self.model = self._load_converted(whisper, self.model_name)
        else:
            self.model = self._load(whisper, self.model_name)

    @staticmethod
    def _load_converted(whisper: Any, name: str) -> Any:
        """An installed CTranslate2 model, converted once; a damaged cached copy is remade."""
        checkpoint, heads = openai_whisper_checkpoint(name)
        try:
            model = whisper.load_model(str(checkpoint), device="cpu")
        except Exception as e:  # noqa: BLE001 - torch raises several types for a damaged file
            log.warning("%s is damaged (%s): converting %s again", checkpoint,
                        str(e).split("\n")[0][:200], name)
            checkpoint, heads = openai_whisper_checkpoint(name, rebuild=True)
            try:
                model = whisper.load_model(str(checkpoint), device="cpu")
            except Exception as e:  # noqa: BLE001
                raise TranscriptionError(f"cannot load {checkpoint}, converted from {name}: "
                                         f"{str(e).splitlines()[0][:200]}") from None
        model.set_alignment_heads(encode_alignment_heads(
            heads, model.dims.n_text_layer, model.dims.n_text_head))
        return model

    @staticmethod
    def _load(whisper: Any, model: str) -> Any:
        cache = _whisper_cache_dir()
        if model in whisper.available_models():
            url = whisper._MODELS[model]
            if not (cache / os.path.basename(url)).is_file():
                log.warning("model '%s' is not on this machine: downloading it to %s", model, cache)
        elif not Path(model).expanduser().is_file():
            raise TranscriptionError(
                f"openai-whisper model not found: '{model}' is neither a model name "
                f"({', '.join(whisper.available_models())}) nor a .pt file")
        else:
            model = str(Path(model).expanduser())
        try:
            return whisper.load_model(model, device="cpu")
        except Exception as e:  # noqa: BLE001 - urllib, torch and key errors all end here
            reason = str(e).split("\n")[0][:200]
            if model in whisper.available_models():
                raise TranscriptionError(
                    f"model '{model}' is not on this machine and could not be downloaded: "
                    f"{reason}; download it on a connected machine or pass --model PATH") from None
            raise TranscriptionError(
                f"cannot load openai-whisper model {model}: {reason}") from None

    def transcribe(self, samples: np.ndarray, settings: DecodeSettings) -> list[RawSegment]:
        with self._lock:
            result = self._whisper.transcribe(
                self.model,
                samples.astype("float32"),
                language=settings.language,
                beam_size=settings.beam_size,
                best_of=settings.beam_size,
                initial_prompt=settings.initial_prompt,
                word_timestamps=True,
                condition_on_previous_text=settings.condition_on_previous_text,
                temperature=_temperatures(settings),
                no_speech_threshold=settings.no_speech_threshold,
                logprob_threshold=settings.log_prob_threshold,
                compression_ratio_threshold=settings.compression_ratio_threshold,
                hallucination_silence_threshold=settings.hallucination_silence_threshold,
                fp16=False,
                verbose=None,
            )
        out = []
        for s in result.get("segments", []):
            words = tuple(_word(w["word"], w["start"], w["end"], w["probability"])
                          for w in s.get("words", []))
            out.append(RawSegment(float(s["start"]), float(s["end"]), s["text"].strip(), words,
                                  float(s.get("no_speech_prob", 0.0)),
                                  float(s.get("avg_logprob", 0.0)),
                                  float(s.get("compression_ratio", 1.0))))
        return out

    def _token_probabilities(self, samples: np.ndarray, settings: DecodeSettings,
                             texts: Sequence[str], first_only: bool = False
                             ) -> list[list[float]]:
        import torch

        whisper = self._whisper
        tokenizer = whisper.tokenizer.get_tokenizer(
            self.model.is_multilingual, num_languages=self.model.num_languages,
            language=settings.language, task="transcribe")
        mel = whisper.log_mel_spectrogram(whisper.pad_or_trim(samples.astype("float32")),
                                          self.model.dims.n_mels)
        start = list(tokenizer.sot_sequence)
        if settings.initial_prompt:
            start = [tokenizer.sot_prev,
                     *tokenizer.encode(" " + settings.initial_prompt.strip()), *start]
        start.append(tokenizer.no_timestamps)  # as CTranslate2's alignment scores them
        out = []
        with self._lock, torch.no_grad():
            audio = self.model.embed_audio(mel.unsqueeze(0))
            for text in texts:
                tokens = tokenizer.encode(" " + text.strip())
                tokens = tokens[:1] if first_only else tokens
                # Each token's probability given the audio, the prompt and the tokens before it,
                # among the text tokens (as CTranslate2's alignment and openai-whisper's own word
                # timing give it: no end of text, no timestamps).
                logits = self.model.logits(torch.tensor([start + tokens[:-1]]), audio)[0]
                probabilities = logits[len(start) - 1:, :tokenizer.eot].float().softmax(dim=-1)
                out.append([float(probabilities[i, t]) for i, t in enumerate(tokens)])
        return out


# The engines by name, the default first: what --engine accepts.
ENGINES = (FasterWhisperEngine.name, OpenAIWhisperEngine.name)
