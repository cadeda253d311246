"""What Whisper invents: words over silence, subtitle credits, a repeat of the text before.

Each guard is measured in benchmarks/transcription.py (words invented on silence, noise and after
the answer, with the guards on and off).
"""

from __future__ import annotations

import re

import numpy as np

from voiceprep.audio.load import SAMPLE_RATE, rms_dbfs
from voiceprep.hearing.engines import RawSegment
from voiceprep.hearing.transcript import Word
from voiceprep.normalize import bare_word

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


def loudest_frame_dbfs(samples: np.ndarray, frame_seconds: float = 0.05) -> float:
    """The level of the loudest 50 ms of the audio, in dBFS (-inf for digital silence)."""
    n = int(SAMPLE_RATE * frame_seconds)
    starts = range(0, len(samples) - n + 1, n) if len(samples) >= n else [0]
    return max(rms_dbfs(samples[i:i + n]) for i in starts)


# Speech rises and falls with every syllable: the level of its 50 ms frames spans 12-45 dB on the
# real-speech clips (95th against 10th percentile), and still 3 dB for speech 5 dB under white
# noise. Steady noise barely moves (white noise: under 1 dB), yet Silero VAD, its state carried
# through minutes of it, comes to hear speech in some kinds (sox's white noise).
STEADY_NOISE_DB = 2.0


def level_spread_db(samples: np.ndarray, frame_seconds: float = 0.05) -> float:
    """How far the level of the audio's 50 ms frames varies: 95th against 10th percentile, dB."""
    n = int(SAMPLE_RATE * frame_seconds)
    count = len(samples) // n
    if count < 2:
        return float("inf")
    frames = np.asarray(samples[: count * n], dtype=np.float64).reshape(count, n)
    levels = 10 * np.log10(np.maximum(np.mean(np.square(frames), axis=1), 1e-20))
    return float(np.percentile(levels, 95) - np.percentile(levels, 10))


def is_steady_noise(samples: np.ndarray) -> bool:
    """A stretch whose level never rises and falls as speech does holds no speech."""
    return level_spread_db(samples) < STEADY_NOISE_DB


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


def repeated_at_border(words: list[Word], previous: list[Word], first_speech: float,
                       max_words: int = 8) -> int:
    """How many leading words of a stretch repeat the end of the text before it.

    Whisper, prompted with the text before a stretch, sometimes writes that text's last words
    again at the start. A repeat counts only when it begins before the stretch's first speech
    (the repeated words were not said again) or is at least three words long.
    """
    if not words or not previous:
        return 0
    tail = [bare_word(w.word) for w in previous[-max_words:]]
    head = [bare_word(w.word) for w in words[:max_words]]
    for size in range(min(len(tail), len(head)), 0, -1):
        if head[:size] == tail[-size:] and all(head[:size]):
            early = (words[0].start or 0.0) < first_speech - 0.05
            if size >= 3 or early:
                return size
    return 0


def implausible_tail(words: list[Word], speech_end: float) -> int:
    """How many final words of a stretch Whisper made up after the speech ended.

    Prompted, tiny.en sometimes goes on past the last word ("... to myself. Check out our next
    video. All right."): the invented words come squeezed into no time, with low confidence, or
    after the VAD heard the speech end. A real last word has a length and some confidence.
    """
    count = 0
    for w in reversed(words):
        start, end, p = w.start or 0.0, w.end or 0.0, w.probability or 0.0
        if p < 0.15 or (end - start < 0.005 and p < 0.6) or start >= speech_end + 0.05:
            count += 1
        else:
            break
    return count
