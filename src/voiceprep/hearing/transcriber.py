"""Audio -> Transcript (words with timestamps on the recording's clock), offline, with Whisper.

One path for everything: a `Transcriber` takes an answer's audio as it is recorded (or a whole
file at once, fed as fast as it decodes) and decodes it stretch by stretch on a worker thread:

    samples -> Segmenter (Silero VAD: stretches cut at pauses, < 30 s)
            -> Whisper: the words from a pass prompted with the question's vocabulary and the
               words said before, the fillers from a second, greedy pass with a filler cue,
               both at once on the same encoder output
            -> guards (silence and steady noise never decoded; words over silence, subtitle
               credits, repeats at the border, made-up tails)
            -> Transcript

While the person speaks, the open stretch is decoded up to its latest pause as the pause comes:
a pause between bursts of speech, or, while the decoder keeps up, a short pause between words
every second and a half or more; where speech runs on without either, a border between two
words that a decode of it so far found; and a tenth of a second after the speech goes quiet, all
of it (Enter pressed as the last word ends then leaves nothing to decode). When the recording
stops after a pause, the transcript is
already there; when it stops during speech or just after it, only the speech since the latest
pause decoded up to is left to decode, prompted with every word heard before it, and encoded in
a window fitted to its length rather than Whisper's 30 s (a third of the work). A file is
decoded as it always was (the last stretch whole, or at a stop during speech split at its last
pause between bursts); a live answer stopped before its last stretch was decoded that way (or
before a stretch that a pause had closed was decoded whole) may differ from the file in that
stretch (see docs/transcription.md). Only the audio not yet
decoded is held, so memory stays flat however long the answer (the transcript aside).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal, overload

import numpy as np

from voiceprep.audio.load import SAMPLE_RATE, load_audio, resample, stream_audio
from voiceprep.errors import AudioError, TranscriptionError
from voiceprep.hearing.engines import (
    ENGINES,
    DecodeSettings,
    Engine,
    FasterWhisperEngine,
    OpenAIWhisperEngine,
    RawSegment,
    import_faster_whisper,
)
from voiceprep.hearing.fillers import fillers_heard_alone, fillers_in_place
from voiceprep.hearing.guards import (
    drop_hallucinations,
    implausible_tail,
    is_steady_noise,
    loudest_frame_dbfs,
    repeated_at_border,
)
from voiceprep.hearing.segmenter import AudioBuffer, Segmenter, SegmentOptions, Stretch
from voiceprep.hearing.transcript import Segment, Transcript, Word
from voiceprep.normalize import bare_word, filler_form

# A transcript that shows fillers makes Whisper keep them (its training transcripts mostly don't).
FILLER_PROMPT = "Um, so, uh, I mean, like, um, you know, uh, hmm."
# Whisper's (and faster-whisper's) default threshold: a decode whose text compresses better than
# this is taken to be a loop.
LOOP_COMPRESSION_RATIO = 2.4
_MAX_VOCABULARY_CHARS = 400  # Whisper's prompt holds 223 tokens; leave room for the rest
# Audio handed to the segmenter at a time, and the most a file fed as fast as it decodes may have
# queued: what is held stays the same however long the audio is.
_PUSH_SAMPLES = SAMPLE_RATE
MAX_BACKLOG_SECONDS = 30.0
# Speech that goes on this long past the latest place decoded up to, with no pause to split it
# at, is decoded as far as it goes, to find a place between two words (a second or more before
# its end: the last words of audio cut off mid-speech are not to be trusted); at most once a
# second.
PROBE_AFTER_SECONDS = 3.0
PROBE_EVERY_SECONDS = 1.0
PROBE_MARGIN_SECONDS = 1.0
# ... and at once when the speech has been quiet this long without the burst ending (0.3 s): if
# the answer stops there (Enter as the last word ends), that decode holds all of its speech.
PROBE_QUIET_SECONDS = 0.1
PROBE_COVERS_SAMPLES = int(0.05 * SAMPLE_RATE)  # audio past the speech that a decode must hold
_GAP_SEARCH_SECONDS = 2.0


@dataclass(frozen=True)
class TranscribeOptions:
    model: str | None = None  # None: the bundled tiny.en; or tiny.en/base.en/small.en/a path
    engine: str = ENGINES[0]  # a name from ENGINES
    vocabulary: tuple[str, ...] = ()  # domain terms to bias recognition towards
    keep_fillers: bool = True  # prompt Whisper so that "um" and "uh" are transcribed
    previous_words: int = 40  # words said before a stretch put in its prompt (measured best)
    language: str = "en"
    beam_size: int = 5
    compute_type: str = "int8"  # faster-whisper on the CPU
    cpu_threads: int = 0  # per decode; 0: the cores shared between the engine's two decodes
    guards: bool = True  # VAD, energy gate and hallucination filter (off only to measure them)
    silence_dbfs: float = -60.0  # a stretch whose loudest 50 ms stays below this has no speech
    initial_prompt: str | None = None  # replaces the built prompt when set
    segments: SegmentOptions = field(default_factory=SegmentOptions)
    # The speech after a place, decoded on its own (what a stop during speech leaves), encoded
    # in a window of its own length rather than Whisper's 30 s (docs/transcription.md).
    fitted_parts: bool = True


_engines: dict[tuple[str, str | None, str, int], Engine] = {}
_engines_lock = threading.Lock()
# Whisper is loaded and run on long-lived threads, one for each decode faster-whisper can run at
# once (the words and fillers passes of a stretch; openai-whisper takes them in turn). A model run
# with several OpenMP threads from another thread once the one that created it had ended ran
# several times slower (benchmarks/README.md).
_whisper_threads = ThreadPoolExecutor(max_workers=FasterWhisperEngine.workers,
                                      thread_name_prefix="voiceprep-whisper")


def get_engine(options: TranscribeOptions = TranscribeOptions()) -> Engine:
    """The engine for these options, loaded once per (engine, model) and then reused."""
    return _whisper_threads.submit(_load_engine, options).result()


def load_engine_in_background(options: TranscribeOptions) -> Future[Engine]:
    """Start loading the engine and the VAD (imports included, so the caller goes on at once);
    errors surface when they are first used."""

    def load_vad() -> None:
        import_faster_whisper()
        from faster_whisper.vad import get_vad_model

        get_vad_model()

    future = _whisper_threads.submit(_load_engine, options)
    threading.Thread(target=load_vad, name="voiceprep-load-vad", daemon=True).start()
    return future


def _load_engine(options: TranscribeOptions) -> Engine:
    if options.engine not in ENGINES:
        raise TranscriptionError(
            f"unknown engine '{options.engine}': use one of {', '.join(ENGINES)}")
    key = (options.engine, options.model, options.compute_type, options.cpu_threads)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            if options.engine == FasterWhisperEngine.name:
                engine = FasterWhisperEngine(options.model, options.compute_type,
                                             options.cpu_threads)
            else:
                engine = OpenAIWhisperEngine(options.model)
            _engines[key] = engine
    return engine


def transcribe_file(path: Path, options: TranscribeOptions = TranscribeOptions()) -> Transcript:
    """Transcribe an audio file (WAV, FLAC, MP3, OGG, M4A...), decoded a block at a time as the
    transcriber takes it: memory stays flat however long the file."""
    if not options.guards:
        return transcribe_audio(load_audio(Path(path), SAMPLE_RATE), SAMPLE_RATE, options)
    blocks = stream_audio(Path(path), SAMPLE_RATE)  # a file that cannot be read fails here
    transcriber = Transcriber(options, live=False)
    try:
        for block in blocks:
            transcriber.feed(block, wait=True)
    except BaseException:
        transcriber.cancel()
        raise
    return transcriber.finish()


def transcribe_audio(samples: np.ndarray, sample_rate: int,
                     options: TranscribeOptions = TranscribeOptions()) -> Transcript:
    """Transcribe float32 mono samples; silence and noise give an empty transcript."""
    samples = _as_mono_16k(samples, sample_rate)
    if not options.guards:
        # Whisper alone, for measuring what the guards do: 30 s windows, no VAD, no filter.
        settings = DecodeSettings(language=options.language, beam_size=options.beam_size,
                                  initial_prompt=_prompt(options, []) or None, vad=False,
                                  condition_on_previous_text=True)
        raw = _decode(get_engine(options), samples, settings)
        return build_transcript(raw, round(len(samples) / SAMPLE_RATE, 3))
    transcriber = Transcriber(options, live=False)
    transcriber.feed(samples)
    return transcriber.finish()


class Transcriber:
    """Feed an answer's samples as they arrive; `finish()` returns its Transcript.

    `feed` only queues (it never blocks the recorder); a worker thread does the rest. `partial()`
    is what has been heard so far, for a live caption.
    """

    def __init__(self, options: TranscribeOptions = TranscribeOptions(), *,
                 on_update: Callable[[Transcript], None] | None = None, live: bool = True):
        """`live`: the audio comes as it is spoken, so the open stretch is decoded in each pause
        (a file fed as fast as it decodes would only waste those decodes)."""
        self.options = options
        self.on_update = on_update
        self.live = live
        # "left_seconds": the audio decoded after the stop.
        self.stats: dict[str, float] = {
            "stretches": 0, "decodes": 0, "speculative": 0, "speculative_used": 0,
            "split_at_pause": 0, "split_live": 0, "word_places": 0, "covered_at_stop": 0,
            "decoded_alone": 0, "rescored": 0, "decoded_seconds": 0.0,
            "left_seconds": 0.0}
        self._cond = threading.Condition()
        self._inbox: deque[np.ndarray] = deque()
        self._queued = 0  # samples in the inbox
        self._fed = 0  # samples fed so far
        # Audio that arrived during the latest decode ahead, in seconds: how far the decoder is
        # from keeping up with the speech.
        self._arrived_while_decoding = 0.0
        self._ended = False
        self._cancelled = False
        self._error: BaseException | None = None
        self._confirmed: list[RawSegment] = []
        self._stretches_done = 0
        # The open stretch decoded ahead of time up to its pauses, and the latest of them
        self._heads: dict[tuple[int, int, int], list[RawSegment]] = {}
        # ... and the speech after one of those pauses, decoded with the words before it
        self._rests: dict[tuple[int, ...], list[RawSegment]] = {}
        self._guess: list[RawSegment] = []
        self._probed_to = 0  # the end of the audio the latest probe for a place decoded
        # What each probe decoded, by where it started: (the end of its audio, its words)
        self._probes: dict[tuple[object, ...], tuple[int, list[RawSegment]]] = {}
        # What each lone sound's clip was heard as (fillers heard alone)
        self._heard_alone: dict[bytes, list[Word]] = {}
        self._partial = Transcript(text="")
        self._result: Transcript | None = None
        self._thread = threading.Thread(target=self._run, name="voiceprep-transcriber",
                                        daemon=True)
        self._thread.start()

    # ---- the caller's side -------------------------------------------------------------------

    def feed(self, samples: np.ndarray, *, wait: bool = False) -> None:
        """Queue 16 kHz float32 mono samples (any length). With `wait` (a file fed as fast as
        it decodes), first wait while more than MAX_BACKLOG_SECONDS of audio is queued."""
        block = np.asarray(samples, dtype=np.float32).reshape(-1)
        with self._cond:
            while (wait and self._queued > MAX_BACKLOG_SECONDS * SAMPLE_RATE
                   and not self._ended and self._thread.is_alive()):
                self._cond.wait(0.1)
            self._inbox.append(block)
            self._queued += len(block)
            self._fed += len(block)
            self._cond.notify_all()

    def finish(self) -> Transcript:
        """The end of the answer: wait for the rest to be decoded and return the transcript."""
        with self._cond:
            self._ended = True
            self._cond.notify_all()
        while self._thread.is_alive():
            self._thread.join(timeout=0.05)  # short waits, so Ctrl-C is felt at once
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result

    def cancel(self) -> None:
        """Stop as soon as the decode under way ends; nothing more is decoded."""
        with self._cond:
            self._ended = self._cancelled = True
            self._cond.notify_all()

    def partial(self) -> Transcript:
        """What has been recognised so far, including a guess at the open stretch."""
        return self._partial

    # ---- the worker --------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._work()
        except BaseException as e:  # noqa: BLE001 - handed to finish() in the caller's thread
            self._error = e if isinstance(e, TranscriptionError | AudioError) else \
                TranscriptionError(f"transcription failed: {e}")
        finally:
            with self._cond:
                self._cond.notify_all()  # a feeder waiting for room goes on

    def _take(self, most: int) -> np.ndarray | None:
        """Up to `most` queued samples, in order (called holding the lock)."""
        if not self._inbox:
            return None
        block = self._inbox.popleft()
        if len(block) > most:
            self._inbox.appendleft(block[most:])
            block = block[:most]
        self._queued -= len(block)
        self._cond.notify_all()
        return block

    def _work(self) -> None:
        engine = get_engine(self.options)
        segmenter = Segmenter(self.options.segments)
        closed: deque[Stretch] = deque()
        while True:
            with self._cond:
                while not (self._inbox or self._ended or closed
                           or self._next_guess(segmenter) is not None
                           or self._next_probe(segmenter) is not None):
                    self._cond.wait()
                ended, cancelled = self._ended, self._cancelled
                # The segmenter takes the audio a little at a time, and a stretch it closes is
                # decoded before it takes more: only the audio not yet decoded is held.
                block = None if closed else self._take(_PUSH_SAMPLES)
            if cancelled:
                return
            if block is not None:
                closed.extend(segmenter.push(block))
                if not closed:
                    segmenter.release(segmenter.needed_from())
                    continue  # read all that has arrived before guessing at the open stretch
            if closed:
                self._confirm_closed(engine, segmenter, closed.popleft())
                segmenter.release(closed[0].start if closed else segmenter.needed_from())
            elif ended:
                self._confirm_last(engine, segmenter)
                break
            elif (guess := self._next_guess(segmenter)) is not None:
                self.stats["speculative"] += 1
                fed = self._fed
                head, rest = guess
                if rest is None:
                    # The open stretch up to its latest pause (only the latest, when decoding
                    # lags behind). Kept while speech goes on: if the answer stops during it,
                    # only the speech after that pause is left to decode. Given up at a stop
                    # when the stretch is decoded ahead in two parts already (the short decode
                    # in this pause): the stop takes those.
                    ahead = self._split_decoded_ahead(head)
                    decoded = self._decode_stretch(
                        engine, segmenter, head,
                        unless_stopped=ahead is not None and self._rest_key(*ahead) in self._rests)
                    if decoded is None:
                        continue
                    self._guess = self._heads[self._key(head)] = decoded
                else:
                    # In a pause, first the speech since the latest place decoded up to (a
                    # short decode, ready soon after a stop just after the last word), then
                    # the whole open stretch.
                    before = self._heads[self._key(head)]
                    after = self._decode_stretch(engine, segmenter, rest, before, part=True)
                    self._rests[self._rest_key(head, rest)] = after
                    self._guess = before + after
                self._arrived_while_decoding = (self._fed - fed) / SAMPLE_RATE
                self._publish()
            elif (probe := self._next_probe(segmenter)) is not None:
                fed = self._fed
                self._place_between_words(engine, segmenter, *probe)
                self._arrived_while_decoding = (self._fed - fed) / SAMPLE_RATE
                self._publish()
        self._result = build_transcript(self._confirmed, round(segmenter.audio.size / SAMPLE_RATE,
                                                               3))
        self._partial = self._result

    def _confirm_last(self, engine: Engine, segmenter: Segmenter) -> None:
        """The end of the stream. When it stops during speech (the VAD had not yet heard the
        pause that ends a burst), the open stretch is decoded up to its last pause between bursts
        (what was decoded during that pause) and the speech after it on its own, prompted with
        everything before it; otherwise as a whole (what was decoded in the pause it ends in).

        Live, when that leaves more audio to decode than the open stretch decoded ahead up to a
        later place does, the stretch is split at that place instead (`stats["split_live"]`):
        only the speech after it is left to decode (none when it was decoded in the pause the
        recording stopped in), and the transcript may differ from there on from the one a file
        of the same audio gets."""
        decoded = self.stats["decoded_seconds"]
        stretch = segmenter.flush()
        if stretch is not None:
            split = stretch.split_at_last_pause(self.options.segments.pad_seconds) \
                if segmenter.ended_in_speech else None
            parts: tuple[Stretch, ...] = split or (stretch,)
            head, last = (None, stretch) if split is None else split
            covered = self._covering(head, last) if self.live else None
            if self.live and covered is None and split is None \
                    and self._key(stretch) not in self._heads:
                # Not decoded whole in the pause (as a file is), but a probe after a place
                # decoded up to, begun in the quiet after the last word, holds all the speech
                # after that place: nothing is left but to join the two.
                head, last, covered = self._probed_after_place(stretch)
            if covered is not None and (head is None or self._key(head) in self._heads):
                # decoded in the moment's quiet before the stop: nothing is left
                self.stats["covered_at_stop"] += 1
                if head is not None:
                    self._confirm(engine, segmenter, head)
                    self.stats["split_at_pause"] += 1
                self._confirm(engine, segmenter, last, covered)
                self.stats["left_seconds"] = self.stats["decoded_seconds"] - decoded
                return
            if self.live:
                ahead = self._split_decoded_ahead(stretch)
                if ahead is not None and self._left(ahead) < self._left(parts):
                    parts = ahead
                    self.stats["split_live"] += 1
            first, *rest = parts
            rest_decoded = self._rests.get(self._rest_key(first, rest[0])) if rest else None
            self._confirm(engine, segmenter, first)
            if rest:
                self.stats["split_at_pause"] += 1
                self._confirm(engine, segmenter, rest[0], rest_decoded, part=True)
        self.stats["left_seconds"] = self.stats["decoded_seconds"] - decoded

    def _confirm_closed(self, engine: Engine, segmenter: Segmenter, stretch: Stretch) -> None:
        """A stretch that a pause (or its length) closed before the stop: decoded whole, as a
        file is. Live, when it was decoded ahead only up to a place (the decoder was busy when
        the speech before the pause ended), the speech after that place is decoded first, then
        the whole stretch; if the answer stops before the whole stretch is decoded, the two
        parts are kept instead (`stats["split_live"]`), so the stop does not wait for a decode
        of up to 30 s of audio."""
        ahead = self._split_decoded_ahead(stretch) \
            if self.live and self._key(stretch) not in self._heads else None
        if ahead is None:
            self._confirm(engine, segmenter, stretch)
            return
        head, rest = ahead
        key = self._rest_key(head, rest)
        if key not in self._rests:
            self._rests[key] = self._decode_stretch(engine, segmenter, rest,
                                                    self._heads[self._key(head)], part=True)
        whole = self._decode_stretch(engine, segmenter, stretch, unless_stopped=True)
        if whole is not None:
            self._confirm(engine, segmenter, stretch, whole)
            return
        self.stats["split_live"] += 1
        self.stats["split_at_pause"] += 1
        rest_decoded = self._rests[key]
        self._confirm(engine, segmenter, head)
        self._confirm(engine, segmenter, rest, rest_decoded)

    def _left(self, parts: tuple[Stretch, ...]) -> float:
        """Seconds of audio still to decode for these parts of the open stretch."""
        first, *rest = parts
        left = 0.0 if self._key(first) in self._heads else _seconds(first)
        if rest and self._rest_key(first, rest[0]) not in self._rests:
            left += _seconds(rest[0])
        return left

    def _split_decoded_ahead(self, stretch: Stretch) -> tuple[Stretch, Stretch] | None:
        """The stretch split at the latest place it was decoded up to ahead of time."""
        done = [(head, rest) for head, rest in stretch.splits(self.options.segments)
                if self._key(head) in self._heads and rest.start < stretch.end]
        return done[-1] if done else None

    def _key(self, stretch: Stretch) -> tuple[int, int, int]:
        # The prompt depends on the text before the stretch: a guess is only good for one.
        return stretch.start, stretch.end, self._stretches_done

    def _rest_key(self, head: Stretch, rest: Stretch) -> tuple[int, ...]:
        return *self._key(head), rest.start, rest.end

    def _next_guess(self, segmenter: Segmenter) -> tuple[Stretch, Stretch | None] | None:
        """What to decode ahead next, if anything: the open stretch up to a place (and None),
        or a place decoded up to and the speech after it.

        First what a file is split into at a stop during speech (the open stretch up to its
        last pause between bursts), so that a machine too busy to decode the rest ahead still
        waits no longer than that leaves; then the latest place. In a pause, the speech since
        the latest place decoded up to comes before the whole open stretch: a short decode,
        ready soon after a stop just after the last word. The short pauses and that short
        decode only while the decoder keeps up: when two decodes as long as the latest decode
        ahead fit in a long pause (one begun just before the speech ends, then the whole
        stretch's, done before a long pause closes it); otherwise the open stretch up to each
        pause, as before."""
        if not self.live:
            return None
        heads = segmenter.heads()
        if not heads or self._key(heads[-1]) in self._heads:
            return None
        segments = self.options.segments
        keeping_up = 2 * self._arrived_while_decoding <= segments.long_pause_seconds
        tail = segmenter.tail()
        if tail is None:
            stretch = segmenter.open_stretch()
            split = stretch.split_at_last_pause(segments.pad_seconds) \
                if stretch is not None else None
            if split is not None and self._key(split[0]) not in self._heads:
                return split[0], None
            if not keeping_up:
                return None
        elif keeping_up:
            ahead = self._split_decoded_ahead(tail)
            if ahead is not None and self._rest_key(*ahead) not in self._rests:
                return ahead
        return heads[-1], None

    def _next_probe(self, segmenter: Segmenter) -> tuple[Stretch | None, Stretch] | None:
        """While someone speaks on and the speech since the latest place decoded up to is long
        enough: what to decode to look for a place between two words in it
        (`_place_between_words`). That is the burst of speech going on, prompted with the
        open stretch up to the pause before it when that is decoded (the head), or else the
        open stretch from its start (no head): a whole burst is decoded, as a file's is, not
        the pieces between places, which Whisper hears worse for the missing context."""
        if not self.live or segmenter.tail() is not None:
            return None
        stretch = segmenter.open_stretch()
        if stretch is None:
            return None
        split = stretch.split_at_last_pause(self.options.segments.pad_seconds)
        probe: tuple[Stretch | None, Stretch] = split \
            if split is not None and self._key(split[0]) in self._heads else (None, stretch)
        if segmenter.silence_seconds >= PROBE_QUIET_SECONDS:
            # Quiet for a moment: perhaps the end of the answer. Decoded now, the speech so far
            # is all there is to decode if the answer stops before more is said.
            return None if self._covering(*probe) is not None else probe
        if stretch.end - self._probed_to < PROBE_EVERY_SECONDS * SAMPLE_RATE:
            return None
        ahead = self._split_decoded_ahead(stretch)
        since = ahead[1].start if ahead is not None else stretch.start
        if stretch.end - since < PROBE_AFTER_SECONDS * SAMPLE_RATE:
            return None
        return probe

    def _probe_key(self, head: Stretch | None, rest: Stretch) -> tuple[object, ...]:
        return self._key(head) if head is not None else None, rest.start, self._stretches_done

    def _covering(self, head: Stretch | None, rest: Stretch) -> list[RawSegment] | None:
        """What a probe decoded of `rest` (after `head`), when its audio held all the speech
        `rest` holds: then nothing of it is left to decode."""
        probed = self._probes.get(self._probe_key(head, rest))
        if probed is None or probed[0] < rest.speech[-1][1] + PROBE_COVERS_SAMPLES:
            return None
        return probed[1]

    def _probed_after_place(self, stretch: Stretch
                            ) -> tuple[Stretch | None, Stretch, list[RawSegment] | None]:
        """The latest place of `stretch` decoded up to whose rest a probe decoded with all its
        speech (head, rest, what the probe decoded), or (None, stretch, None)."""
        for head, rest in reversed(stretch.splits(self.options.segments)):
            if rest.speech and self._key(head) in self._heads:
                covered = self._covering(head, rest)
                if covered is not None:
                    return head, rest, covered
        return None, stretch, None

    def _place_between_words(self, engine: Engine, segmenter: Segmenter, head: Stretch | None,
                             rest: Stretch) -> None:
        """Decode `rest` (prompted with the head's words) as far as it goes, and make the
        quietest gap between two of its words near the end, but a second or more before it
        (the last words of audio cut off mid-speech are not to be trusted), a place of its
        own, decoded up to already: a stop soon after leaves only the speech after it."""
        self._probed_to = rest.end
        speaking = segmenter.silence_seconds < PROBE_QUIET_SECONDS
        if speaking:
            rest = replace(rest, cut_end=True)  # the speech goes on past what was heard
        before = self._heads[self._key(head)] if head is not None else []
        # Seen through even when the answer stops during it: the place it finds shortens what
        # is left to decode after the stop, and a rest decoded from an earlier place, with less
        # of the sentence before it, was heard worse (a real clip: "Unless to be rather
        # cold-hearted" came back as "I'd less to be rather cold started").
        decoded = self._decode_stretch(engine, segmenter, rest, before, part=head is not None)
        self._probes[self._probe_key(head, rest)] = (rest.end, decoded)
        self._guess = before + decoded
        stretch = segmenter.open_stretch()
        assert stretch is not None
        places = stretch.splits(self.options.segments)
        last = places[-1][0].end if places else stretch.start
        earliest = last + int(self.options.segments.split_every_seconds * SAMPLE_RATE)
        latest = rest.end - int(PROBE_MARGIN_SECONDS * SAMPLE_RATE)
        words = [w for s in decoded for w in s.words]
        cut = _gap_between_words(segmenter.audio, words, earliest, latest)
        if cut is None:
            return
        segmenter.add_place(cut)
        stretch = segmenter.open_stretch()
        assert stretch is not None
        for new_head, _ in stretch.splits(self.options.segments):
            if new_head.end == cut:
                self._heads[self._key(new_head)] = before + _until(decoded, cut / SAMPLE_RATE)
                self.stats["word_places"] += 1

    def _confirm(self, engine: Engine, segmenter: Segmenter, stretch: Stretch,
                 decoded: list[RawSegment] | None = None, part: bool = False) -> None:
        self.stats["stretches"] += 1
        segments = decoded if decoded is not None else self._heads.get(self._key(stretch))
        if segments is not None:
            self.stats["speculative_used"] += 1
        else:
            segments = self._decode_stretch(engine, segmenter, stretch, part=part)
        # made with the words before this stretch as their prompt
        self._heads.clear()
        self._rests.clear()
        self._probes.clear()
        self._guess = []
        self._confirmed += segments
        self._stretches_done += 1
        self._publish()

    def _publish(self) -> None:
        self._partial = build_transcript(self._confirmed + self._guess, None)
        if self.on_update is not None:
            self.on_update(self._partial)

    @overload
    def _decode_stretch(self, engine: Engine, segmenter: Segmenter, stretch: Stretch,
                        before: list[RawSegment] | None = None, *,
                        unless_stopped: Literal[False] = False, part: bool = False
                        ) -> list[RawSegment]: ...

    @overload
    def _decode_stretch(self, engine: Engine, segmenter: Segmenter, stretch: Stretch,
                        before: list[RawSegment] | None = None, *,
                        unless_stopped: bool, part: bool = False
                        ) -> list[RawSegment] | None: ...

    def _decode_stretch(self, engine: Engine, segmenter: Segmenter, stretch: Stretch,
                        before: list[RawSegment] | None = None, *,
                        unless_stopped: bool = False, part: bool = False
                        ) -> list[RawSegment] | None:
        """The stretch's words, prompted with the words heard before it (and `before`, the
        part of the open stretch decoded ahead before it), through the guards. With
        `unless_stopped`, None as soon as the answer stops before the decode is done; the
        decode is given up at its next step (the encoder, the decoder or the word alignment
        already under way runs to its end). A `part` (the speech after a place, decoded on its
        own) is encoded in a window fitted to it, when `options.fitted_parts`."""
        samples = segmenter.audio.slice(stretch.start, stretch.end)
        if loudest_frame_dbfs(samples) < self.options.silence_dbfs or is_steady_noise(samples):
            return []
        previous = [w for s in self._confirmed + (before or []) for w in s.words]
        speech_end = (stretch.speech[-1][1] - stretch.start) / SAMPLE_RATE
        self.stats["decoded_seconds"] += len(samples) / SAMPLE_RATE
        # A prompt full of fillers makes Whisper write the fillers it hears, but costs it words
        # elsewhere (measured on the real-speech clips). So the words come from a plain pass and
        # only the fillers from a second, greedy pass with the filler cue, run at the same time.
        cancelled = (lambda: self._ended) if unless_stopped else None
        fitted = part and self.options.fitted_parts
        words_pass = self._whisper(engine, samples, speech_end,
                                   _prompt(self.options, previous, fillers=False), cancelled,
                                   fitted=fitted)
        fillers_pass = self._whisper(engine, samples, speech_end, _prompt(self.options, previous),
                                     cancelled, greedy=True, fitted=fitted) \
            if self.options.keep_fillers else None
        passes = [f for f in (words_pass, fillers_pass) if f is not None]
        while wait(passes, timeout=0.05 if unless_stopped else None).not_done:
            if self._ended:
                return None
        if unless_stopped and self._ended:
            return None
        segments = _result(engine, words_pass)
        cued = _result(engine, fillers_pass) if fillers_pass is not None else None
        if cued is not None:
            in_place = _cued_in_place(segments, cued)
            segments = with_fillers(segments, cued)
            segments = _with_fillers_heard_alone(engine, samples, segments, self.options,
                                                  speech_end, stretch, self._heard_alone,
                                                  self.stats, in_place, fitted)
        offset = float(stretch.start) / SAMPLE_RATE
        segments = drop_hallucinations([_shift(s, offset) for s in segments],
                                       stretch.speech_seconds())
        segments = _drop_border_repeat(segments, previous, stretch.speech[0][0] / SAMPLE_RATE)
        segments = _drop_made_up_tail(segments, stretch.speech[-1][1] / SAMPLE_RATE)
        return segments

    def _whisper(self, engine: Engine, samples: np.ndarray, speech_end: float, prompt: str,
                 cancelled: Callable[[], bool] | None = None, greedy: bool = False,
                 fitted: bool = False) -> Future[list[RawSegment]]:
        """Start a pass; its result is `_result` of what this returns."""
        self.stats["decodes"] += 1
        return _start(engine, samples, DecodeSettings(
            language=self.options.language, beam_size=1 if greedy else self.options.beam_size,
            initial_prompt=prompt or None, vad=False, temperature_fallback=not greedy,
            speech_end=speech_end, cancelled=cancelled, fitted_window=fitted))


def _seconds(stretch: Stretch) -> float:
    return (stretch.end - stretch.start) / SAMPLE_RATE


def _prompt(options: TranscribeOptions, previous: list[Word], fillers: bool = True) -> str:
    if options.initial_prompt is not None:
        return options.initial_prompt
    text = " ".join(w.word for w in previous[-options.previous_words:]) \
        if options.previous_words else ""
    return build_prompt(options.vocabulary, options.keep_fillers and fillers, text)


def _drop_border_repeat(segments: list[RawSegment], previous: list[Word],
                        first_speech: float) -> list[RawSegment]:
    if not segments:
        return segments
    head = segments[0]
    count = repeated_at_border(list(head.words), previous, first_speech)
    if not count:
        return segments
    words = head.words[count:]
    if not words:
        return segments[1:]
    trimmed = RawSegment(words[0].start or head.start, head.end,
                         " ".join(w.word for w in words), words, head.no_speech_prob,
                         head.avg_logprob, head.compression_ratio)
    return [trimmed, *segments[1:]]


def _gap_between_words(audio: AudioBuffer, words: list[Word], earliest: int,
                       latest: int) -> int | None:
    """A place between two words, in samples from `earliest` to `latest`: the quietest 10 ms
    around the borders of the words in the last `_GAP_SEARCH_SECONDS` of that span (from the
    end of one word to the start of the next, widened by 50 ms each way: the words' times are
    Whisper's guesses). The quietest, not the latest: a place in a word loses the word."""
    frame = SAMPLE_RATE // 100
    best: tuple[float, int] | None = None
    low_bound = max(earliest, latest - int(_GAP_SEARCH_SECONDS * SAMPLE_RATE))
    for first, second in zip(words, words[1:], strict=False):
        if first.end is None or second.start is None:
            continue
        low = int((min(first.end, second.start) - 0.05) * SAMPLE_RATE)
        high = int((max(first.end, second.start) + 0.05) * SAMPLE_RATE)
        if low < low_bound or high > latest:
            continue
        clip = audio.slice(low, high)
        frames = clip[: len(clip) // frame * frame].reshape(-1, frame)
        if not len(frames):
            continue
        energy = np.mean(frames ** 2, axis=1)
        quietest = int(np.argmin(energy))
        if best is None or energy[quietest] < best[0]:
            best = (float(energy[quietest]), low + quietest * frame + frame // 2)
    return best[1] if best is not None else None


def _until(segments: list[RawSegment], cut: float) -> list[RawSegment]:
    """The words of the segments said mostly before `cut` (seconds)."""
    kept: list[RawSegment] = []
    for s in segments:
        words = tuple(w for w in s.words if w.middle <= cut)
        if len(words) == len(s.words):
            kept.append(s)
        elif words:
            kept.append(_with_words(s, words))
    return kept


def _with_words(segment: RawSegment, words: tuple[Word, ...]) -> RawSegment:
    return RawSegment(words[0].start or segment.start, words[-1].end or segment.end,
                      " ".join(w.word for w in words), words, segment.no_speech_prob,
                      segment.avg_logprob, segment.compression_ratio)


def _drop_made_up_tail(segments: list[RawSegment], speech_end: float) -> list[RawSegment]:
    extra = implausible_tail([w for s in segments for w in s.words], speech_end)
    while extra and segments:
        last = segments[-1]
        if extra >= len(last.words):
            extra -= len(last.words)
            segments = segments[:-1]
            continue
        words = last.words[: len(last.words) - extra]
        segments = [*segments[:-1], RawSegment(
            last.start, words[-1].end or last.end, " ".join(w.word for w in words), words,
            last.no_speech_prob, last.avg_logprob, last.compression_ratio)]
        extra = 0
    return segments


def with_fillers(segments: list[RawSegment], cued: list[RawSegment]) -> list[RawSegment]:
    """The words of `segments`, with the fillers that only `cued` heard put in at their times.

    A cued filler counts only where the cued pass adds it to the words the plain pass heard, not
    where it stands in for one of them ("our" heard as "uh"), at most one within 0.4 s, and none
    from a cued segment that went into a loop.
    """
    have = [w.middle for s in segments for w in s.words if filler_form(w.word)]
    extra = []
    for w in _aligned_fillers([w for s in segments for w in s.words], cued)[0]:
        if not any(abs(w.middle - m) < 0.4 for m in have):
            extra.append(w)
            have.append(w.middle)
    return _place_fillers(segments, extra)


def _with_fillers_heard_alone(engine: Engine, samples: np.ndarray, segments: list[RawSegment],
                              options: TranscribeOptions, speech_end: float,
                              stretch: Stretch, heard: dict[bytes, list[Word]],
                              stats: dict[str, float], in_place: Sequence[Word] = (),
                              fitted: bool = False) -> list[RawSegment]:
    """`segments` with the fillers the cued pass heard in a word's place (`in_place`, see
    `fillers.fillers_in_place`: on a lone sound, or where Whisper, cued, finds the stretch's
    words likelier with the filler), and those of their lone sounds only a decode of the sound on
    its own heard.

    What a lone sound's clip was heard as is kept in `heard` (by the clip's audio: the decode is
    greedy and never samples, so the same audio gives the same words): live, the open stretch is
    decoded again and again as it grows, and each time it holds the same sounds. How likely a
    reading of the stretch is is kept there too, by the stretch's audio and the readings: a
    stretch that grew is scored again. The stretch is scored in the window it was decoded in
    (`fitted`), on the encoder output its decode left."""
    settings = DecodeSettings(language=options.language, beam_size=1,
                              initial_prompt=FILLER_PROMPT, vad=False, temperature_fallback=False)

    def decode(clip: np.ndarray) -> list[Word]:
        key = _audio_key(clip)
        if key not in heard:
            heard[key] = [w for s in _decode(engine, clip, settings) for w in s.words]
            stats["decoded_alone"] += 1
        return heard[key]

    def scored(clip: np.ndarray, texts: Sequence[str],
               score: Callable[[np.ndarray, DecodeSettings, Sequence[str]], list[float]],
               counter: str | None = None) -> list[float]:
        # What the engine's `score` gave `texts` on `clip`, kept in `heard` by both.
        key = "\n".join(texts).encode() + _audio_key(clip)
        if key not in heard:
            heard[key] = [Word(t, None, None, p)
                          for t, p in zip(texts, score(clip, settings, texts), strict=True)]
            if counter:
                stats[counter] = stats.get(counter, 0) + 1
        return [w.probability or 0.0 for w in heard[key]]

    def text_log_probabilities(clip: np.ndarray, settings: DecodeSettings,
                               texts: Sequence[str]) -> list[float]:
        return engine.text_log_probabilities(clip, replace(settings, fitted_window=fitted),
                                             texts)

    def likely(clip: np.ndarray, texts: Sequence[str]) -> list[float]:
        # Asked right after `decode` of the same clip: the engine still has its encoder output.
        return scored(clip, texts, engine.opening_probabilities)

    said = [w for s in segments for w in s.words]

    def likelier(filler: Word, word: Word) -> float:
        # How much likelier, cued, the stretch's words are with the filler in the word's place.
        with_filler, as_heard = scored(
            samples, (" ".join(filler.word if w is word else w.word for w in said),
                      " ".join(w.word for w in said)),
            text_log_probabilities, "rescored")
        return with_filler - as_heard

    # A filler the made-up-tail guard will drop (squeezed into no time at the stretch's end)
    # stands for no sound.
    words = said[:len(said) - implausible_tail(said, speech_end)]
    swapped = fillers_in_place(samples, words, in_place, likelier=likelier,
                               cut_start=stretch.cut_start, cut_end=stretch.cut_end)
    replaced = [word for _, word in swapped]
    words = [w for w in words if not _among(w, replaced)] + [filler for filler, _ in swapped]
    alone = fillers_heard_alone(samples, words, decode, likely=likely,
                                cut_start=stretch.cut_start, cut_end=stretch.cut_end)
    return _place_fillers(segments, [filler for filler, _ in swapped] + alone, replaced)


def _audio_key(clip: np.ndarray) -> bytes:
    """A short key for some audio, to remember what was made of it."""
    return hashlib.blake2b(clip.tobytes(), digest_size=16).digest()


def _place_fillers(segments: list[RawSegment], extra: list[Word],
                   replaced: Sequence[Word] = ()) -> list[RawSegment]:
    """`segments` with the fillers `extra` put in at their times, in place of the words
    `replaced`."""
    if not extra or not segments:
        return segments
    placed: list[list[Word]] = [[w for w in s.words if not _among(w, replaced)]
                                for s in segments]
    for filler in extra:
        home = max([i for i, s in enumerate(segments) if s.start <= (filler.start or 0.0)],
                   default=0)
        placed[home].append(filler)
    out = []
    for seg, words in zip(segments, placed, strict=True):
        if words == list(seg.words):
            out.append(seg)
            continue
        if not words:  # its one word was replaced by a filler placed in another segment
            continue
        # A filler that starts with a word was said before it (Whisper stretches a word over
        # the filler before it).
        words.sort(key=lambda w: (w.start or 0.0, not filler_form(w.word)))
        out.append(RawSegment(min(seg.start, words[0].start or seg.start),
                              max(seg.end, words[-1].end or seg.end),
                              " ".join(w.word for w in words), tuple(words), seg.no_speech_prob,
                              seg.avg_logprob, seg.compression_ratio))
    return out


def _among(word: Word, words: Sequence[Word]) -> bool:
    """Whether `word` is one of `words` (the same word, not an equal one)."""
    return any(word is w for w in words)


def _cued_in_place(segments: list[RawSegment], cued: list[RawSegment]) -> list[Word]:
    """The cued pass's fillers that `with_fillers` leaves out because they take the place of a
    word the plain pass heard ("So, um, we" against "So, dumb, we"). Alone they count for
    nothing ("our" heard as "uh"); on a lone sound they can (`fillers.fillers_in_place`)."""
    return _aligned_fillers([w for s in segments for w in s.words], cued)[1]


def _aligned_fillers(words: list[Word], cued: list[RawSegment]) -> tuple[list[Word], list[Word]]:
    """The cued pass's fillers, aligned word by word with the plain pass's `words`: (those that
    add to the words, those that take a word's place). A filler adds to the words where the cued
    pass has as many other words as the plain pass (which often spells them differently:
    "retrain", "retrained"), not fewer."""
    # The greedy cued pass runs without Whisper's temperature fallback, so nothing stops a
    # segment that loops ("uh, uh, uh, ..."): Whisper's own test of a failed decode rejects it.
    heard = [w for s in cued if s.compression_ratio <= LOOP_COMPRESSION_RATIO for w in s.words]
    plain, cued_words = [bare_word(w.word) for w in words], [bare_word(w.word) for w in heard]
    added, in_place = [], []
    for _, i1, i2, j1, j2 in SequenceMatcher(None, plain, cued_words,
                                             autojunk=False).get_opcodes():
        fillers = [w for w in heard[j1:j2] if filler_form(w.word)]
        if j2 - j1 - len(fillers) >= sum(not filler_form(w) for w in plain[i1:i2]):
            added += fillers
        else:
            in_place += fillers
    return added, in_place


def _decode(engine: Engine, samples: np.ndarray, settings: DecodeSettings) -> list[RawSegment]:
    return _result(engine, _start(engine, samples, settings))


def _start(engine: Engine, samples: np.ndarray, settings: DecodeSettings
           ) -> Future[list[RawSegment]]:
    """A decode started on one of the Whisper threads."""
    return _whisper_threads.submit(engine.transcribe, samples, settings)


def _result(engine: Engine, future: Future[list[RawSegment]]) -> list[RawSegment]:
    try:
        return future.result()
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


def build_prompt(vocabulary: tuple[str, ...] | list[str], keep_fillers: bool = True,
                 previous_text: str = "") -> str:
    """A prompt that reads like a transcript of a spoken answer using these terms, with fillers,
    ending with the text said just before the audio."""
    terms = clean_vocabulary(vocabulary)
    parts = []
    # Terms first, then the filler cue, then the text just before: the text nearest the audio
    # sets the style most, and the words before are the best context for the words after.
    if terms:
        parts.append(", ".join(terms) + ".")
    if keep_fillers:
        parts.append(FILLER_PROMPT)
    if previous_text:
        parts.append(previous_text)
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


# ---- result --------------------------------------------------------------------------------------

def build_transcript(segments: list[RawSegment], duration: float | None) -> Transcript:
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
        samples = resample(samples, sample_rate, SAMPLE_RATE)
    return np.ascontiguousarray(samples, dtype=np.float32)
