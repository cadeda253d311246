"""Audio -> Transcript (words with timestamps), offline, with Whisper.

Three things the scorer depends on are handled here, each measured in benchmarks/transcription.py:
domain terms (biased with a prompt of the question's vocabulary), filler words (which Whisper
drops unless its prompt shows them) and hallucinations on silence or noise (which a VAD, an
energy gate and a filter on known phrases in silence remove).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .audio import SAMPLE_RATE, load_audio
from .errors import AudioError, TranscriptionError
from .transcript import Segment, Transcript, Word
from .whisper_engines import (
    DecodeSettings,
    Engine,
    FasterWhisperEngine,
    OpenAIWhisperEngine,
    RawSegment,
)

ENGINES = ("faster-whisper", "openai-whisper")

# A transcript that shows fillers makes Whisper keep them (its training transcripts mostly don't).
FILLER_PROMPT = "Um, so, uh, I mean, like, um, you know, uh, hmm."

# What Whisper writes on silence, music or noise: subtitle credits from its training data.
HALLUCINATION_PHRASES = (
    "thank you", "thanks", "thank", "thank you very much", "thank you so much",
    "thanks for watching", "thank you for watching", "thanks for listening",
    "thank you for listening", "please subscribe", "subscribe", "like and subscribe", "bye",
    "bye bye", "goodbye", "you", "the end", "subtitles by", "transcribed by",
    "thank you very much for watching", "thanks so much for watching", "see you next time",
    "see you in the next one", "see you in the next video", "i'll see you in the next one",
    "and i'll see you in the next one", "don't forget to subscribe",
)
# Nobody says these in an interview answer: a tail made of them is dropped wherever it falls.
_UNMISTAKABLE = re.compile(r"watching|subscribe|next one|next video|next time|subtitles|"
                           r"transcribed by", re.IGNORECASE)
_PHRASE_ALTERNATIVES = "|".join(
    re.escape(p) for p in sorted(HALLUCINATION_PHRASES, key=len, reverse=True))
_HALLUCINATION_RE = re.compile(rf"^(?:(?:{_PHRASE_ALTERNATIVES})[\s.,!?]*)+$", re.IGNORECASE)
# Speech is decoded in stretches of at most this long, cut at pauses: with a prompt, tiny.en
# sometimes stops early in a full 30 s window and the rest of the window is lost (measured on 16
# spoken answers: WER 0.29 whole, 0.17 in stretches of 20 s).
CHUNK_SECONDS = 20.0
_MAX_VOCABULARY_CHARS = 400  # Whisper's prompt holds 223 tokens; leave room for the fillers


@dataclass(frozen=True)
class TranscribeOptions:
    model: str | None = None  # None: the bundled tiny.en; or tiny.en/base.en/small.en/a path
    engine: str = "faster-whisper"  # or "openai-whisper"
    vocabulary: tuple[str, ...] = ()  # domain terms to bias recognition towards
    keep_fillers: bool = True  # prompt Whisper so that "um" and "uh" are transcribed
    language: str = "en"
    beam_size: int = 5
    compute_type: str = "int8"  # faster-whisper on the CPU
    cpu_threads: int = 0  # 0: CTranslate2's default
    guards: bool = True  # VAD, energy gate and hallucination filter (off only to measure them)
    silence_dbfs: float = -60.0  # audio whose loudest 50 ms stays below this has no speech
    initial_prompt: str | None = None  # replaces the built prompt when set


_engines: dict[tuple[str, str | None, str, int], Engine] = {}
_engines_lock = threading.Lock()


def get_engine(options: TranscribeOptions = TranscribeOptions()) -> Engine:
    """The engine for these options, loaded once per (engine, model) and then reused."""
    if options.engine not in ENGINES:
        raise TranscriptionError(
            f"unknown engine '{options.engine}': use one of {', '.join(ENGINES)}")
    key = (options.engine, options.model, options.compute_type, options.cpu_threads)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            if options.engine == "faster-whisper":
                engine = FasterWhisperEngine(options.model, options.compute_type,
                                             options.cpu_threads)
            else:
                engine = OpenAIWhisperEngine(options.model)
            _engines[key] = engine
        return engine


def transcribe_file(path: Path, options: TranscribeOptions = TranscribeOptions()) -> Transcript:
    """Transcribe an audio file (WAV, FLAC, MP3, OGG, M4A...)."""
    return transcribe_audio(load_audio(Path(path), SAMPLE_RATE), SAMPLE_RATE, options)


def transcribe_audio(samples: np.ndarray, sample_rate: int,
                     options: TranscribeOptions = TranscribeOptions()) -> Transcript:
    """Transcribe float32 mono samples; silence and noise give an empty transcript."""
    samples = _as_mono_16k(samples, sample_rate)
    duration = round(len(samples) / SAMPLE_RATE, 3)
    engine = get_engine(options)
    empty = Transcript(text="", duration_seconds=duration)
    settings = decode_settings(options)
    if not options.guards:
        return build_transcript(_decode(engine, samples, settings), duration)
    if loudest_frame_dbfs(samples) < options.silence_dbfs:
        return empty
    stamps = _vad_stamps(samples)
    if not stamps:
        return empty
    speech = [(max(0.0, a / SAMPLE_RATE - 0.3), b / SAMPLE_RATE + 0.3) for a, b in stamps]
    plain = replace(settings, initial_prompt=build_prompt(options.vocabulary, False) or None)
    raw: list[RawSegment] = []
    for start, end in speech_chunks(stamps):
        chunk = samples[start:end]
        segments = _decode(engine, chunk, settings)
        if settings.initial_prompt != plain.initial_prompt and _cut_short(segments, len(chunk)):
            # The filler prompt sometimes makes tiny.en stop before the speech does; decode the
            # stretch again without it and keep whichever heard more.
            retry = _decode(engine, chunk, plain)
            if _word_count(retry) > _word_count(segments):
                segments = retry
        raw += [_shift(s, start / SAMPLE_RATE) for s in segments]
    return build_transcript(drop_hallucinations(raw, speech), duration)


def _word_count(segments: list[RawSegment]) -> int:
    return sum(len(s.words) or len(s.text.split()) for s in segments)


def _cut_short(segments: list[RawSegment], chunk_samples: int, gap_seconds: float = 2.0) -> bool:
    """Did decoding stop well before the end of a stretch that is speech to its end?"""
    ends = [w.end or 0.0 for s in segments for w in s.words] or [s.end for s in segments]
    return not ends or max(ends) < chunk_samples / SAMPLE_RATE - gap_seconds


def _decode(engine: Engine, samples: np.ndarray, settings: DecodeSettings) -> list[RawSegment]:
    try:
        return engine.transcribe(samples, settings)
    except TranscriptionError:
        raise
    except Exception as e:  # noqa: BLE001 - an engine failure is reported, not a traceback
        raise TranscriptionError(f"{engine.name} failed: {e}") from None


def _shift(segment: RawSegment, offset: float) -> RawSegment:
    if not offset:
        return segment
    words = tuple(Word(w.word, round((w.start or 0) + offset, 3), round((w.end or 0) + offset, 3),
                       w.probability) for w in segment.words)
    return RawSegment(segment.start + offset, segment.end + offset, segment.text, words,
                      segment.no_speech_prob, segment.avg_logprob, segment.compression_ratio)


def decode_settings(options: TranscribeOptions) -> DecodeSettings:
    """Turn options into decoding settings: the biasing prompt and the anti-hallucination knobs."""
    prompt = options.initial_prompt
    if prompt is None:
        prompt = build_prompt(options.vocabulary, options.keep_fillers)
    return DecodeSettings(
        language=options.language,
        beam_size=options.beam_size,
        initial_prompt=prompt or None,
        vad=options.guards,
        # Conditioning on earlier text is how one hallucination turns into a loop of them.
        condition_on_previous_text=not options.guards,
        # Not Whisper's own hallucination_silence_threshold: with a prompt, tiny.en often writes a
        # whole 30 s window as one segment, which that heuristic then skips (measured: whole
        # answers lost). The VAD-based filter below does the job without that risk.
        hallucination_silence_threshold=None,
    )


def build_prompt(vocabulary: tuple[str, ...] | list[str], keep_fillers: bool = True) -> str:
    """A prompt that reads like a transcript of a spoken answer using these terms, with fillers."""
    terms = clean_vocabulary(vocabulary)
    parts = []
    # Terms first, fillers last: the text nearest the audio sets the style most (measured: this
    # order kept the most fillers with all terms right).
    if terms:
        parts.append(", ".join(terms) + ".")
    if keep_fillers:
        parts.append(FILLER_PROMPT)
    return " ".join(parts)


def clean_vocabulary(vocabulary: tuple[str, ...] | list[str]) -> list[str]:
    """Distinct terms in order, trimmed to what fits in Whisper's prompt."""
    seen: set[str] = set()
    terms: list[str] = []
    size = 0
    for term in vocabulary:
        term = " ".join(str(term).split()).strip(" ,.;")
        if not term or term.lower() in seen:
            continue
        if size + len(term) + 2 > _MAX_VOCABULARY_CHARS:
            break
        seen.add(term.lower())
        terms.append(term)
        size += len(term) + 2
    return terms


# ---- hallucination guards ----------------------------------------------------------------------

def loudest_frame_dbfs(samples: np.ndarray, frame_seconds: float = 0.05) -> float:
    """The level of the loudest 50 ms of the audio, in dBFS (-inf for digital silence)."""
    n = int(SAMPLE_RATE * frame_seconds)
    if samples.size == 0:
        return float("-inf")
    usable = samples[: len(samples) - len(samples) % n] if len(samples) >= n else samples
    frames = usable.reshape(-1, n) if len(samples) >= n else usable.reshape(1, -1)
    rms = np.sqrt(np.mean(np.square(frames, dtype=np.float64), axis=1)).max()
    return float(20 * np.log10(rms)) if rms > 0 else float("-inf")


def _vad_stamps(samples: np.ndarray) -> list[tuple[int, int]]:
    """Where Silero VAD (shipped with faster-whisper) hears speech: (start, end) sample indexes,
    no stretch longer than CHUNK_SECONDS (longer speech is cut at its last short pause)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    vad = VadOptions(min_silence_duration_ms=300, speech_pad_ms=200,
                     max_speech_duration_s=CHUNK_SECONDS)
    return [(c["start"], c["end"]) for c in get_speech_timestamps(samples, vad)]


def speech_regions(samples: np.ndarray, pad_seconds: float = 0.3) -> list[tuple[float, float]]:
    """Where the VAD hears speech, in seconds, padded."""
    return [(max(0.0, a / SAMPLE_RATE - pad_seconds), b / SAMPLE_RATE + pad_seconds)
            for a, b in _vad_stamps(samples)]


def speech_chunks(stamps: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Neighbouring speech stretches joined while they fit in CHUNK_SECONDS: what is decoded."""
    limit = int(CHUNK_SECONDS * SAMPLE_RATE)
    chunks: list[tuple[int, int]] = []
    for start, end in stamps:
        if chunks and end - chunks[-1][0] <= limit:
            chunks[-1] = (chunks[-1][0], end)
        else:
            chunks.append((start, end))
    return chunks


def _overlap(start: float, end: float, regions: list[tuple[float, float]]) -> float:
    return sum(max(0.0, min(end, b) - max(start, a)) for a, b in regions)


def is_hallucination_phrase(text: str) -> bool:
    return bool(_HALLUCINATION_RE.match(text.strip())) if text.strip() else True


def drop_hallucinations(segments: list[RawSegment],
                        speech: list[tuple[float, float]]) -> list[RawSegment]:
    """Drop what Whisper wrote over silence: segments outside speech, stock phrases in silence."""
    kept = []
    for seg in segments:
        words = list(seg.words)
        if words:
            # Words that lie wholly outside the VAD's speech were made up from silence. Whisper
            # gives short fillers zero length ("uh" at 15.1-15.1): widen each word a little.
            words = [w for w in words
                     if _overlap((w.start or 0) - 0.1, (w.end or 0) + 0.1, speech) > 0]
            if not words:
                continue
            tail = _trailing_hallucination(words, speech)
            words = words[: len(words) - tail]
            if not words:
                continue
            if len(words) != len(seg.words):
                seg = RawSegment(words[0].start or seg.start, words[-1].end or seg.end,
                                 " ".join(w.word for w in words), tuple(words),
                                 seg.no_speech_prob, seg.avg_logprob, seg.compression_ratio)
        elif _overlap(seg.start, seg.end, speech) == 0:
            continue
        if is_hallucination_phrase(seg.text) and (
                _UNMISTAKABLE.search(seg.text) or seg.no_speech_prob > 0.5 or seg.avg_logprob < -1.0
                or _speech_share(seg, speech) < 0.5):
            continue
        kept.append(seg)
    return kept


def _speech_share(seg: RawSegment, speech: list[tuple[float, float]]) -> float:
    length = max(seg.end - seg.start, 1e-3)
    return _overlap(seg.start, seg.end, speech) / length


def _trailing_hallucination(words: list[Word], speech: list[tuple[float, float]]) -> int:
    """How many final words are a stock phrase ("Thanks for watching.") said mostly in silence."""
    for size in range(min(15, len(words)), 0, -1):
        tail = words[-size:]
        text = " ".join(w.word for w in tail)
        if not is_hallucination_phrase(text):
            continue
        if _UNMISTAKABLE.search(text):
            return size
        start, end = (tail[0].start or 0.0) - 0.1, (tail[-1].end or 0.0) + 0.1
        in_speech = _overlap(start, end, speech) / max(end - start, 1e-3)
        low_confidence = np.mean([w.probability or 0.0 for w in tail]) < 0.5
        if in_speech < 0.5 or (low_confidence and size < len(words)):
            return size
    return 0


# ---- result --------------------------------------------------------------------------------------

def build_transcript(segments: list[RawSegment], duration: float) -> Transcript:
    segments = [s for s in segments if s.text.strip()]
    words: list[Word] = [w for s in segments for w in s.words if w.word]
    text = " ".join(s.text for s in segments if s.text).strip()
    text = re.sub(r"\s+", " ", text)
    return Transcript(
        text=text,
        words=tuple(words),
        segments=tuple(Segment(round(s.start, 3), round(s.end, 3), s.text) for s in segments),
        duration_seconds=duration,
    )


def _as_mono_16k(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    samples = np.asarray(samples, dtype=np.float32)
    if samples.ndim == 2:
        # (frames, channels) as soundfile and sounddevice give it
        samples = samples.mean(axis=1) if samples.shape[1] <= 8 else samples.mean(axis=0)
    elif samples.ndim != 1:
        raise AudioError(f"audio must be mono or (frames, channels), not shape {samples.shape}")
    if sample_rate != SAMPLE_RATE and samples.size:
        samples = _resample(samples, sample_rate, SAMPLE_RATE)
    return np.ascontiguousarray(samples, dtype=np.float32)


def _resample(samples: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    """Band-limited resampling through PyAV's libswresample (the same path as file decoding)."""
    import av

    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = source_rate
    resampler = av.audio.resampler.AudioResampler(format="flt", layout="mono", rate=target_rate)
    out = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    out += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)
