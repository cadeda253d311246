"""Speech found as the audio arrives, cut into stretches that Whisper decodes well.

Silero VAD (shipped with faster-whisper) scores every 32 ms window as it arrives; its state is
carried from call to call, so the scores, and every decision below, depend only on the audio and
never on how it was delivered: a recording fed live in 0.1 s blocks and the same file fed at once
are cut in the same places (tested). A stretch is closed at a natural pause once it holds enough
speech, at any long pause, and always before Whisper's 30 s window, at the best pause available.

Inside the open stretch the short pauses are noted too (a dip of the VAD's score between words,
too short to end a burst of speech): a live transcriber decodes the open stretch up to them
while the person speaks (`Segmenter.heads`), so that a stop during speech leaves only the speech
since the last of them (`Stretch.splits`).

Only the audio that may still be decoded is kept: from the open stretch's first speech (or, with
none, the last moments), so memory stays flat however long the stream runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from voiceprep.audio.load import SAMPLE_RATE
from voiceprep.hearing.engines import import_faster_whisper

WINDOW = 512  # Silero VAD's window at 16 kHz: 32 ms
_CONTEXT = 64  # samples of the previous window the model sees
# Windows scored per call of the VAD: a whole file at once would hold the model's intermediate
# results for every window of it. Its state is carried, so the scores are the same.
_VAD_BATCH = 1024


@dataclass(frozen=True)
class SegmentOptions:
    threshold: float = 0.5  # a window this likely to be speech starts speech
    neg_threshold: float = 0.35  # ... and one below this is silence (Silero's own hysteresis)
    min_speech_seconds: float = 0.25  # a shorter burst (a click, a breath) is not speech
    end_silence_seconds: float = 0.3  # silence that ends a burst of speech
    pad_seconds: float = 0.25  # audio kept either side of speech: word onsets and tails
    # A pause this long ends a stretch that holds `min_stretch_seconds`: any pause that ends a
    # burst of speech. Cutting there, rather than at 27 s wherever the audio is quietest, keeps
    # WER as low as a bare call's on the real-speech clips (benchmarks/README.md, the decoding
    # recipe) and spares the decode of a forced cut just before the answer ends.
    close_pause_seconds: float = 0.3
    min_stretch_seconds: float = 20.0
    long_pause_seconds: float = 2.0  # a pause this long ends a stretch of any length
    max_stretch_seconds: float = 27.0  # Whisper sees 30 s at a time; leave room for the pads
    # Where a live recording stopped during speech may be split: at a pause between bursts, or
    # at a short pause inside one (windows scored below `dip_threshold` for this long, then
    # speech again) once `split_every_seconds` of audio have passed since the last such place.
    # Silero's score seldom falls below `neg_threshold` between the words of fluent speech, but
    # it dips below this between some of them; a higher threshold gives more places, more of
    # them inside words (benchmarks/README.md, the wait after the stop).
    short_pause_seconds: float = 0.09
    dip_threshold: float = 0.5
    split_every_seconds: float = 1.5


@dataclass(frozen=True)
class Stretch:
    """Audio to decode, in samples on the recording's clock, with the speech found in it and the
    short pauses inside that speech (dips of the VAD's score too short to end a burst of it)."""

    start: int
    end: int
    speech: tuple[tuple[int, int], ...]
    # Where it may be split, not what is decoded: two stretches of the same audio are equal.
    pauses: tuple[tuple[int, int], ...] = field(default=(), compare=False)
    # Whether it starts or ends at a place inside a burst of speech (a short pause, a border
    # between two words, or the audio heard so far while someone speaks), not at a pause
    # between bursts or the recording's edge: there is no quiet beyond that end.
    cut_start: bool = field(default=False, compare=False)
    cut_end: bool = field(default=False, compare=False)

    def speech_seconds(self, pad: float = 0.3) -> list[tuple[float, float]]:
        """The speech regions in seconds, widened by `pad` (what counts as "in speech")."""
        return [(max(0.0, a / SAMPLE_RATE - pad), b / SAMPLE_RATE + pad) for a, b in self.speech]

    def splits(self, options: SegmentOptions) -> list[tuple[Stretch, Stretch]]:
        """The places a stop during speech may split the stretch, in order, as (the stretch up to
        there, the rest): every pause between bursts of speech, and a short pause inside a burst
        once `split_every_seconds` have passed since the place before (or the start).

        At a pause between bursts the first part ends `pad_seconds` after the speech, as the
        stretch itself would if it closed there (`Segmenter.tail()`); at a short pause both parts
        meet in its middle.
        """
        pad = int(options.pad_seconds * SAMPLE_RATE)
        every = options.split_every_seconds * SAMPLE_RATE
        places = sorted([(b, a, False) for (_, b), (a, _) in zip(self.speech, self.speech[1:],
                                                                 strict=False)]
                        + [(q0, q1, True) for q0, q1 in self.pauses])
        out: list[tuple[Stretch, Stretch]] = []
        last = self.start
        for quiet, speech_again, short in places:
            cut = (quiet + speech_again) // 2 if short else quiet + pad
            if short and cut - last < every:
                continue
            head = Stretch(self.start, cut, tuple((a, min(b, quiet)) for a, b in self.speech
                                                  if a < quiet),
                           tuple(p for p in self.pauses if p[1] <= quiet),
                           cut_start=self.cut_start, cut_end=short)
            after = tuple((max(a, speech_again), b) for a, b in self.speech if b > speech_again)
            rest = Stretch(max(cut, after[0][0] - pad), self.end, after,
                           tuple(p for p in self.pauses if p[0] >= speech_again),
                           cut_start=short, cut_end=self.cut_end)
            out.append((head, rest))
            last = cut
        return out

    def split_at_last_pause(self, pad_seconds: float) -> tuple[Stretch, Stretch] | None:
        """The stretch up to its last pause between bursts of speech and the speech after it
        (None without such a pause): how a recording that stops during speech is decoded.

        The first part is what `Segmenter.tail()` gave during that pause; the second starts
        `pad_seconds` before the last burst of speech, never before the first part ends.
        """
        if len(self.speech) < 2:
            return None
        pad = int(pad_seconds * SAMPLE_RATE)
        head = Stretch(self.start, self.speech[-2][1] + pad, self.speech[:-1],
                       cut_start=self.cut_start)
        rest = Stretch(max(head.end, self.speech[-1][0] - pad), self.end, self.speech[-1:],
                       cut_end=self.cut_end)
        return head, rest


class SileroStream:
    """Silero VAD fed incrementally: the same probabilities as one call over the whole audio."""

    def __init__(self) -> None:
        import_faster_whisper()
        from faster_whisper.vad import get_vad_model

        self._session = get_vad_model().session
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT, dtype=np.float32)

    def __call__(self, windows: np.ndarray) -> np.ndarray:
        """Speech probability of each row of `windows` (n x 512), in order."""
        if not len(windows):
            return np.zeros(0, dtype=np.float32)
        context = np.concatenate([self._context[None, :], windows[:-1, -_CONTEXT:]], axis=0)
        batch = np.concatenate([context, windows], axis=1).astype(np.float32)
        out, self._h, self._c = self._session.run(
            None, {"input": batch, "h": self._h, "c": self._c})
        self._context = windows[-1, -_CONTEXT:].copy()
        return np.asarray(out, dtype=np.float32).reshape(-1)


class AudioBuffer:
    """The stream's samples from `start` on, indexed on the stream's clock: appended in blocks
    (amortised growth, no copies per block); what is no longer needed is let go."""

    def __init__(self) -> None:
        self._data = np.zeros(SAMPLE_RATE * 60, dtype=np.float32)
        self.start = 0  # the stream's sample held at _data[0]
        self.size = 0  # samples in the whole stream so far

    def append(self, samples: np.ndarray) -> None:
        held = self.size - self.start
        needed = held + len(samples)
        if needed > len(self._data):
            grown = np.zeros(max(needed, 2 * len(self._data)), dtype=np.float32)
            grown[:held] = self._data[:held]
            self._data = grown
        self._data[held:needed] = samples
        self.size += len(samples)

    def release(self, before: int) -> None:
        """Let go of the samples before `before`; the storage shrinks back once it can."""
        drop = min(before, self.size) - self.start
        if drop <= 0 or drop < len(self._data) // 4:  # moved in large steps, not every block
            return
        held = self.size - self.start - drop
        keep = self._data[drop:drop + held]
        if len(self._data) > 4 * SAMPLE_RATE * 60 and held < len(self._data) // 4:
            self._data = np.zeros(max(SAMPLE_RATE * 60, 2 * held), dtype=np.float32)
        self._data[:held] = keep  # overlapping ranges are copied as if through a buffer
        self.start += drop

    def slice(self, start: int, end: int) -> np.ndarray:
        assert start >= self.start or start >= end, "audio already released"
        return self._data[max(0, start - self.start):max(0, min(end, self.size) - self.start)
                          ].copy()


class Segmenter:
    """Push samples; get back the stretches that closed. `flush()` closes the rest at the end."""

    def __init__(self, options: SegmentOptions = SegmentOptions()):
        self.options = options
        self.audio = AudioBuffer()
        self._vad = SileroStream()
        self._probs: list[float] = []  # VAD scores of the windows from _probs_start on
        self._probs_start = 0
        self._scored = 0  # samples scored by the VAD (whole windows)
        self._cut = 0  # where the open stretch may start: the end of the last closed one
        self._speech: list[tuple[int, int]] = []  # finished bursts in the open stretch
        self._pauses: list[tuple[int, int]] = []  # short pauses inside its speech
        self._burst_start: int | None = None  # the burst of speech going on, if any
        self._dip_start: int | None = None  # a dip of the score inside that burst, if any
        self._last_voiced = 0  # end of the last window that was not silence
        self.ended_in_speech = False  # set by flush()

    # ---- feeding ---------------------------------------------------------------------------

    def push(self, samples: np.ndarray) -> list[Stretch]:
        self.audio.append(np.asarray(samples, dtype=np.float32).reshape(-1))
        closed: list[Stretch] = []
        while whole := min((self.audio.size - self._scored) // WINDOW, _VAD_BATCH):
            windows = self.audio.slice(self._scored, self._scored + whole * WINDOW
                                       ).reshape(-1, WINDOW)
            for p in self._vad(windows):
                self._probs.append(float(p))
                self._scored += WINDOW
                stretch = self._step(float(p), self._scored)
                if stretch is not None:
                    closed.append(stretch)
        return closed

    def needed_from(self) -> int:
        """The first sample a stretch still to close can start at: what comes before it, once
        the closed stretches are decoded, may go (`release`)."""
        pad = int(self.options.pad_seconds * SAMPLE_RATE)
        first = self._speech[0][0] if self._speech else self._burst_start
        if first is None:
            first = self._scored
        # A forced cut looks back at the scores of the open stretch's second half.
        return max(self._cut, min(first - pad, self._scored - pad))

    def release(self, before: int) -> None:
        """Let go of the audio and scores before sample `before` (at most `needed_from()`)."""
        before = min(before, self.needed_from())
        self.audio.release(before)
        drop = before // WINDOW - self._probs_start
        if drop > 0:
            del self._probs[:drop]
            self._probs_start += drop

    def add_place(self, at: int) -> None:
        """Make sample `at`, inside the burst of speech going on, a place it may be split at
        (a border between two words found by decoding it), as a short pause is."""
        if self._burst_start is not None and self._burst_start < at < self._last_voiced:
            self._pauses = sorted([*self._pauses, (at, at)])

    def flush(self) -> Stretch | None:
        """The end of the stream: the open stretch, closed (None when it holds no speech).
        `ended_in_speech` says whether its last burst of speech ran to the end (then it is
        decoded in two parts: `Stretch.split_at_last_pause`)."""
        self.ended_in_speech = False
        if self._burst_start is not None:
            self.ended_in_speech = self._end_burst()
        return self._close(len(self._speech), self.audio.size)

    # ---- reading ---------------------------------------------------------------------------

    @property
    def silence_seconds(self) -> float:
        """How long it has been quiet at the end of the stream (0 while someone speaks)."""
        if self._burst_start is not None and self._last_voiced >= self._scored:
            return 0.0
        return (self._scored - self._last_voiced) / SAMPLE_RATE

    def tail(self) -> Stretch | None:
        """What `flush()` would close if the stream ended now, when nobody is speaking."""
        if self._burst_start is not None or not self._speech:
            return None
        return self._stretch(self._speech, self._pauses, self.audio.size)

    def open_stretch(self) -> Stretch | None:
        """The open stretch so far, the burst of speech going on included (None without
        speech): what a live transcriber decodes ahead of the stop, in parts (`heads`)."""
        speech = list(self._speech)
        if self._burst_start is not None:
            speech.append((self._burst_start, self._last_voiced))
        return self._stretch(speech, self._pauses, self.audio.size) if speech else None

    def heads(self) -> list[Stretch]:
        """The open stretch up to each place where a stop during speech may split it so far
        (the first parts of `Stretch.splits`), and during a pause the whole of it (`tail()`)."""
        stretch = self.open_stretch()
        if stretch is None:
            return []
        heads = [head for head, _ in stretch.splits(self.options)]
        tail = self.tail()
        return heads + [tail] if tail is not None else heads

    # ---- the decisions, one window at a time -------------------------------------------------

    def _step(self, prob: float, now: int) -> Stretch | None:
        o = self.options
        if prob >= o.threshold or (self._burst_start is not None and prob >= o.neg_threshold):
            if self._burst_start is None:
                self._burst_start = now - WINDOW
            self._last_voiced = now
        elif (self._burst_start is not None
              and now - self._last_voiced >= o.end_silence_seconds * SAMPLE_RATE):
            self._end_burst()
        if self._burst_start is not None and prob < o.dip_threshold:
            if self._dip_start is None:
                self._dip_start = now - WINDOW
        elif self._dip_start is not None:
            if now - WINDOW - self._dip_start >= o.short_pause_seconds * SAMPLE_RATE:
                self._pauses.append((self._dip_start, now - WINDOW))
            self._dip_start = None
        if self._burst_start is None and self._speech:
            pause = (now - self._speech[-1][1]) / SAMPLE_RATE
            span = (self._speech[-1][1] - self._speech[0][0]) / SAMPLE_RATE
            if pause >= o.long_pause_seconds or (
                    pause >= o.close_pause_seconds and span >= o.min_stretch_seconds):
                return self._close(len(self._speech), now)
        first = self._speech[0][0] if self._speech else self._burst_start
        if first is not None and now - first >= o.max_stretch_seconds * SAMPLE_RATE:
            return self._force_cut(first, now)
        return None

    def _end_burst(self) -> bool:
        """End the burst going on; False when it was too short to count as speech."""
        assert self._burst_start is not None
        start, end = self._burst_start, self._last_voiced
        self._burst_start = self._dip_start = None
        if end - start >= self.options.min_speech_seconds * SAMPLE_RATE:
            self._speech.append((start, end))
            return True
        self._pauses = [p for p in self._pauses if p[0] < start]
        return False

    def _stretch(self, speech: list[tuple[int, int]], pauses: list[tuple[int, int]],
                 limit: int) -> Stretch:
        pad = int(self.options.pad_seconds * SAMPLE_RATE)
        return Stretch(max(self._cut, speech[0][0] - pad), min(speech[-1][1] + pad, limit),
                       tuple(speech), tuple(p for p in pauses if p[1] <= speech[-1][1]))

    def _close(self, count: int, limit: int) -> Stretch | None:
        """Close the open stretch after its first `count` bursts of speech."""
        if not count:
            return None
        taken, self._speech = self._speech[:count], self._speech[count:]
        stretch = self._stretch(taken, self._pauses, limit)
        self._pauses = [p for p in self._pauses if p[0] >= stretch.end]
        self._cut = stretch.end
        return stretch

    def _force_cut(self, first: int, now: int) -> Stretch | None:
        """The stretch is as long as Whisper can take: cut it at the best pause in its second
        half (the longest run of quiet windows), or at its quietest window when there is none."""
        lo = (first + now) // 2 // WINDOW
        hi = now // WINDOW
        probs = np.asarray(self._probs[lo - self._probs_start:hi - self._probs_start])
        quiet = probs < self.options.neg_threshold
        best_len, best_at, run = 0, -1, 0
        for i, q in enumerate(quiet):
            run = run + 1 if q else 0
            if run and run >= best_len:
                best_len, best_at = run, i - run + 1
        if best_len:
            cut = (lo + best_at + best_len // 2) * WINDOW
        else:
            cut = (lo + int(np.argmin(probs))) * WINDOW
        taken = [(a, min(b, cut)) for a, b in self._speech if a < cut]
        rest = [(max(a, cut), b) for a, b in self._speech if b > cut]
        if self._burst_start is not None and self._burst_start < cut:
            taken.append((self._burst_start, min(cut, self._last_voiced)))
            self._burst_start = max(cut, self._burst_start)
        self._speech = taken
        self._pauses = [p for p in self._pauses if p[1] <= cut or p[0] >= cut]
        stretch = self._close(len(taken), cut)
        if stretch is not None:
            stretch = Stretch(stretch.start, cut, stretch.speech, stretch.pauses)
            self._cut = cut
        self._pauses = [p for p in self._pauses if p[0] >= cut]
        self._speech = rest
        return stretch
