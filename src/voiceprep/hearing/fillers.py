"""Fillers Whisper leaves out: a short voiced sound on its own between pauses, heard again alone.

In a stretch of speech Whisper often drops a filler said on its own ("Um, I'm just ready" comes
back as "I'm just ready", the "um" folded into the next word's time), even when prompted with a
transcript full of fillers. Heard alone, the same sound is written as a filler. So the sounds that
could be one (voiced, 0.08-0.8 s long, with a pause on both sides, and no filler of the transcript
near them) are decoded again one by one, between half-seconds of silence, with the filler cue as
the prompt, and a sound counts as a filler when that decode starts with a filler and says nothing
else Whisper is sure of (see `heard_as_filler`), or when it is one word Whisper is unsure of and
the sound is one vowel held steady (a synthetic "uh" is heard as "Yeah." or "Hey."), or a loop
of fillers ("Uh, uh, uh, ...") on such a vowel, or when
Whisper wrote at most a few words but finds a filler likely to open the sound (`likely_filler`:
some voices' "um" is written "Come.", their "uh" "But, uh,"), or when it cannot tell which word
the sound is, a filler being somewhat likely (`misheard_filler`: flite awb's "uh" is "that" in
the answer and "No." alone).

Everything here depends on the stretch's audio and its words alone, so a live answer and a file
of it give the same transcript.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from voiceprep.audio.load import SAMPLE_RATE
from voiceprep.audio.voicing import formant_tracks, pitch_frames
from voiceprep.hearing.transcript import Word
from voiceprep.normalize import bare_word, filler_form, sound, stem

_FRAME = SAMPLE_RATE // 100  # 10 ms
# The fillers asked of a lone sound Whisper wrote as words, as it begins a sentence with them.
LIKELY_FILLERS = ("Um", "Uh")
# Words said alone that Whisper spells two ways, in context and alone (`misheard_filler`).
SPELLED_ALIKE = (("ok", "okay"), ("no", "know"), ("yeah", "yes"), ("yeah", "yea"))


@dataclass(frozen=True)
class LoneSoundOptions:
    shortest_seconds: float = 0.08  # shorter: a click or the release of a stop
    longest_seconds: float = 0.8  # longer: a phrase, not one filler
    pause_seconds: float = 0.1  # quiet on both sides (the stretch's ends count as quiet)
    # ... for a sound the cued pass heard as a filler in a word's place (`fillers_in_place`):
    # flite says "So, um, we" with 0.05-0.1 s of quiet either side of the "um"
    in_place_pause_seconds: float = 0.05
    # ... or with no pause, when cued Whisper finds the answer with the filler at least this
    # much likelier (log probability) than with the word (`fillers_in_place`)
    in_place_log_odds: float = 0.0
    bridged_seconds: float = 0.05  # dips shorter than this inside a sound do not split it
    quiet_below_peak_db: float = 30.0  # quieter than the stretch's loud frames by this: a pause
    voiced_share: float = 0.6  # a filler is voiced throughout; most short words are not
    # A frame is voiced below this aperiodicity (audio/voicing.py): a short sound's edges are
    # less periodic than the middle of a word (with it, the lone sounds Praat found in the
    # test speech and the real clips are all found).
    voicing_threshold: float = 0.6
    near_filler_seconds: float = 0.5  # a transcript filler this close already stands for it
    pad_seconds: float = 0.1  # audio kept either side of a sound decoded alone
    # and silence put either side of that: Whisper writes nothing for a clip of 0.3-0.5 s
    silence_seconds: float = 0.5
    # Words after a filler in a lone decode that Whisper is this unsure of are what it made of
    # the pads' edges or of the filler's nasal ("Um, And...", "Um. ."), not words said.
    unsure_probability: float = 0.1
    # A held vowel: the lone decode is one word below this probability, the sound at most this
    # long, and its first two formants move less than this (standard deviation, Bark) over it;
    # a word's consonants and glides move them 1-2 Bark.
    vowel_probability: float = 0.15
    vowel_longest_seconds: float = 0.4
    vowel_formant_spread_bark: float = 0.35
    # A filler Whisper finds likely: heard alone, the sound's decode is at most this many words
    # ("Come.", "But, uh,", "Um. Thank you.") and Whisper gives a filler at least this
    # probability of being the first thing said, and at least this share of what it gives the
    # decode's own first word (a word said alone, "I'm the lead.", has the filler cue's
    # pull too, 0.1-0.2, but its own first word several times more likely).
    likely_words: int = 3
    likely_longest_seconds: float = 0.5  # longer: a phrase ("I am the lead.": 0.76 s)
    likely_probability: float = 0.09
    likely_share: float = 0.3
    # A word misheard (`misheard_filler`): heard alone as another word, below this probability,
    # with a filler at least this likely to open the sound.
    misheard_probability: float = 0.3
    misheard_said_probability: float = 0.8  # ... and the answer's word there below this
    misheard_filler_probability: float = 0.02


def lone_sounds(samples: np.ndarray, options: LoneSoundOptions = LoneSoundOptions(), *,
                cut_start: bool = False, cut_end: bool = False) -> list[tuple[float, float]]:
    """(start, end) in seconds of the short voiced sounds with a pause on both sides. The ends of
    `samples` count as quiet, unless they were cut inside speech (`cut_start`, `cut_end`: a live
    decode of part of a burst): then the quiet must be in the samples."""
    count = len(samples) // _FRAME
    if count < 2:
        return []
    frames = np.asarray(samples[: count * _FRAME], dtype=np.float64).reshape(count, _FRAME)
    level = 10 * np.log10(np.mean(np.square(frames), axis=1) + 1e-12)
    loud = level > np.percentile(level, 95) - options.quiet_below_peak_db
    runs = _runs(loud, round(options.bridged_seconds * 100))
    pause = round(options.pause_seconds * 100)
    candidates = []
    for k, (first, last) in enumerate(runs):
        seconds = (last - first) / 100
        if not options.shortest_seconds <= seconds <= options.longest_seconds:
            continue
        before = first - runs[k - 1][1] if k else (first if cut_start else pause)
        after = runs[k + 1][0] - last if k + 1 < len(runs) else \
            (count - last if cut_end else pause)
        if before >= pause and after >= pause:
            candidates.append((first, last))
    if not candidates:
        return []
    # Each frame's voicing depends on its own audio alone: only the candidates' are needed.
    frames = np.concatenate([np.arange(first, last) for first, last in candidates])
    voiced = _voiced_frames(samples, frames, options.voicing_threshold)
    starts = np.cumsum([0] + [last - first for first, last in candidates])
    return [(first / 100, last / 100) for (first, last), at in zip(candidates, starts, strict=False)
            if voiced[at:at + last - first].mean() >= options.voiced_share]


def fillers_heard_alone(samples: np.ndarray, words: list[Word],
                        decode: Callable[[np.ndarray], list[Word]],
                        options: LoneSoundOptions = LoneSoundOptions(), *,
                        likely: Callable[[np.ndarray, Sequence[str]], list[float]] | None
                        = None,
                        cut_start: bool = False, cut_end: bool = False) -> list[Word]:
    """The fillers among the lone sounds of `samples` (`lone_sounds`) that no filler of `words`
    is near, each found by `decode` (Whisper on the sound alone, with the filler cue) and timed
    on `samples`; `likely` gives, for the same audio, the probability of each of some words
    being the first thing said (`likely_filler`)."""
    near = options.near_filler_seconds
    have = [((w.start or 0.0) - near, (w.end or 0.0) + near) for w in words if filler_form(w.word)]
    found = []
    for start, end in lone_sounds(samples, options, cut_start=cut_start, cut_end=cut_end):
        if any(a < end and b > start for a, b in have):
            continue
        first = max(0, int((start - options.pad_seconds) * SAMPLE_RATE))
        silence = np.zeros(int(options.silence_seconds * SAMPLE_RATE), dtype=np.float32)
        clip = np.concatenate([
            silence, samples[first:int((end + options.pad_seconds) * SAMPLE_RATE)], silence])
        heard = decode(clip)
        filler = heard_as_filler(heard, options)
        spoken = _spoken(heard)
        if filler is None and _held_vowel(heard, samples, start, end, options):
            filler = Word("uh", start, end, spoken[0].probability)
        if filler is None and spoken and _loop(spoken) and \
                _steady(samples, start, end, options):
            filler = spoken[0]
        if filler is None and likely is not None and 0 < len(spoken) <= options.likely_words \
                and end - start <= options.likely_longest_seconds and not _loop(spoken):
            *openings, own = likely(clip, (*LIKELY_FILLERS, spoken[0].word))
            by_filler = dict(zip(LIKELY_FILLERS, openings, strict=True))
            filler = likely_filler(by_filler, own, options)
            if filler is None:
                filler = misheard_filler(by_filler, spoken, _on_sound(words, start, end, options),
                                         options)
        if filler is not None:
            found.append(_as_said(filler, start, end))
            have.append((start - near, end + near))
    return found


def fillers_in_place(samples: np.ndarray, words: list[Word], in_place: Sequence[Word],
                     options: LoneSoundOptions = LoneSoundOptions(), *,
                     likelier: Callable[[Word, Word], float] | None = None,
                     cut_start: bool = False, cut_end: bool = False) -> list[tuple[Word, Word]]:
    """(filler, the word it replaces) for each lone sound of `samples` that holds one word of
    the plain pass (`words`) and a filler of the cued pass that took that word's place
    (`in_place`). In context, with the filler cue, Whisper heard the sound as a filler, and it
    is set off by pauses as a filler is: flite's "So, um, we" is written "So, dumb, we" by the
    plain pass and "So, um, we" by the cued one (heard alone, "Dumb."). A word in running speech
    that the cued pass took for a filler ("our" heard as "uh") is no lone sound. The pauses may
    be shorter than for a sound decoded alone (`in_place_pause_seconds`): no decode is made,
    and the cued pass's filler is the evidence. Timed as the sound.

    A filler in a word's place that no lone sound takes (no pause around it, or more words on
    the sound) replaces the word nearest it too when Whisper, cued, finds the answer likelier
    with the filler than with the word (`likelier`: how much likelier, in log probability, over
    the whole stretch), by `in_place_log_odds` at least: flite's "per day, um, spread" is "per
    day, and spread" to the plain pass, and cued, the filler's reading is 5 times likelier than
    the word's. Not for the stretch's first word. Timed as the word."""
    if not in_place:
        return []
    shorter = replace(options, pause_seconds=options.in_place_pause_seconds)
    swapped: list[tuple[Word, Word]] = []
    used: set[int] = set()  # a word or filler already swapped (sounds' windows can overlap)
    for start, end in lone_sounds(samples, shorter, cut_start=cut_start, cut_end=cut_end):
        said = [w for w in _on_sound(words, start, end, options) if id(w) not in used]
        filler = next((f for f in _on_sound(in_place, start, end, options) if id(f) not in used),
                      None)
        if filler is not None and len(said) == 1 and not filler_form(said[0].word):
            swapped.append((_as_said(_as_sure_as(filler, said[0]), start, end), said[0]))
            used.update((id(filler), id(said[0])))
    if likelier is None:
        return swapped
    first = next((w for w in words if not filler_form(w.word)), None)
    for filler in in_place:
        if id(filler) in used or filler.start is None or filler.end is None:
            continue
        said = [w for w in _on_sound(words, filler.start, filler.end, options)
                if id(w) not in used and not filler_form(w.word)]
        if not said:
            continue
        word = min(said, key=lambda w: abs(w.middle - filler.middle))
        # Not the stretch's first word (fillers before it aside): right after the filler cue,
        # any reading that opens with a filler gets the cue's pull (espeak-ng's "Our fraud
        # model", "A fraud model" to the words pass, is likelier as "Uh, fraud model").
        if word is not first and likelier(filler, word) >= options.in_place_log_odds:
            swapped.append((_as_said(_as_sure_as(filler, word),
                                     filler.start if word.start is None else word.start,
                                     filler.end if word.end is None else word.end), word))
            used.update((id(filler), id(word)))
    return swapped


def _as_said(filler: Word, start: float, end: float) -> Word:
    """A filler found on a lone sound, as the answer says it: heard alone it ends a sentence
    ("Um."); in the answer it runs on ("Um,")."""
    word = filler.word.strip().rstrip(".")
    return Word(word if word.endswith(",") else word + ",", round(start, 3), round(end, 3),
                filler.probability)


def heard_as_filler(heard: list[Word], options: LoneSoundOptions = LoneSoundOptions(),
                    ) -> Word | None:
    """The filler a lone sound's decode says it is: its first word, when that is a filler and
    the other word, if any, is a filler too ("Um, um,": one sound) or one Whisper is unsure of.
    More words than two are a loop ("Uh, uh, uh, ..." for espeak-ng's "And,"): a filler only
    on a held vowel (`fillers_heard_alone`)."""
    words = _spoken(heard)
    if not words or not filler_form(words[0].word) or len(words) > 2:
        return None
    if all(filler_form(w.word) or (w.probability or 0.0) < options.unsure_probability
           for w in words[1:]):
        return words[0]
    return None


def likely_filler(openings: dict[str, float], heard_first: float,
                  options: LoneSoundOptions = LoneSoundOptions()) -> Word | None:
    """The filler most likely to open a lone sound, from the probability Whisper gives each
    filler of being the first thing said in it (`openings`) and what it gives the first word
    it wrote (`heard_first`): when that reaches `likely_probability` and `likely_share` of
    `heard_first`."""
    best = _best_opening(openings)
    if best is None or (best.probability or 0.0) < options.likely_probability or \
            (best.probability or 0.0) < options.likely_share * heard_first:
        return None
    return best


def misheard_filler(openings: dict[str, float], heard: list[Word], said: list[Word],
                    options: LoneSoundOptions = LoneSoundOptions()) -> Word | None:
    """The filler a lone sound is when Whisper cannot tell which word it is: in the answer it
    wrote one word there that it is unsure of (`said`, below `misheard_said_probability`),
    alone one other word it is unsure of (`heard`, below `misheard_probability`), and it gives
    a filler at least `misheard_filler_probability` of opening the sound (`openings`). flite's
    `awb` voice says "was, uh, latency": "was that latency" in the answer (0.42-0.74), "No." alone
    (0.15-0.26), with "Uh" at 0.03-0.07. Words said alone open with a filler up to 0.04 too, but
    are heard as themselves both ways ("No," and "No.", "OK," and "Okay.": compared by stem and
    by sound). As sure as the word written in the answer: something was said there."""
    words = _spoken(heard)
    best = _best_opening(openings)
    if best is None or len(words) != 1 or len(said) != 1 or filler_form(said[0].word) or \
            (words[0].probability or 0.0) >= options.misheard_probability or \
            (said[0].probability or 0.0) >= options.misheard_said_probability or \
            _same_word(words[0].word, said[0].word) or \
            (best.probability or 0.0) < options.misheard_filler_probability:
        return None
    return _as_sure_as(best, said[0])


def _as_sure_as(filler: Word, word: Word) -> Word:
    """A filler found where Whisper wrote `word`, as sure as that word: something was said there
    (a filler's own probability is often low, and the made-up-tail guard would take a last word
    that unsure for invented)."""
    return replace(filler, probability=max(filler.probability or 0.0, word.probability or 0.0))


def _best_opening(openings: dict[str, float]) -> Word | None:
    """The filler Whisper finds likeliest to open a sound, with that probability."""
    if not openings:
        return None
    filler, probability = max(openings.items(), key=lambda item: item[1])
    return Word(filler, None, None, round(probability, 4))


def _same_word(a: str, b: str) -> bool:
    """Whether two spellings are one word said: as written, by stem or by sound ("OK" and
    "Okay" are one word written two ways, so are "No" and "Know")."""
    a, b = bare_word(a, keep=""), bare_word(b, keep="")
    return a == b or sound(stem(a)) == sound(stem(b)) or any(
        a in pair and b in pair for pair in SPELLED_ALIKE)


def _on_sound(words: Sequence[Word], start: float, end: float, options: LoneSoundOptions
              ) -> list[Word]:
    """The words of the answer whose middle is on a sound, or within `pad_seconds` of it."""
    pad = options.pad_seconds
    return [w for w in words if start - pad <= w.middle <= end + pad]


def _loop(spoken: list[Word]) -> bool:
    """Whether a decode is a filler said again and again ("Uh, uh, uh,"), which Whisper's greedy
    decode makes of espeak-ng's "And," said alone."""
    return bool(filler_form(spoken[0].word)) and any(filler_form(w.word) for w in spoken[1:])


def _spoken(heard: list[Word]) -> list[Word]:
    """The words of a decode, without the bare punctuation Whisper writes for silence (". ")."""
    return [w for w in heard if any(c.isalnum() for c in w.word)]


def _held_vowel(heard: list[Word], samples: np.ndarray, start: float, end: float,
                options: LoneSoundOptions) -> bool:
    """Whether a lone sound decoded as one word Whisper is unsure of is one vowel held steady."""
    words = _spoken(heard)
    if len(words) != 1 or (words[0].probability or 0.0) >= options.vowel_probability:
        return False
    return _steady(samples, start, end, options)


def _steady(samples: np.ndarray, start: float, end: float, options: LoneSoundOptions) -> bool:
    """Whether a lone sound is one vowel held steady: short, its formants barely moving."""
    if end - start > options.vowel_longest_seconds:
        return False
    spread = formant_spread(samples[int(start * SAMPLE_RATE):int(end * SAMPLE_RATE)])
    return spread is not None and spread < options.vowel_formant_spread_bark


def formant_spread(samples: np.ndarray) -> float | None:
    """The larger standard deviation (Bark) of the first two formants over a sound (Burg LPC,
    10 ms steps); None when too short to track."""
    duration = len(samples) / SAMPLE_RATE
    # The analysis window reaches 25 ms either side of a step: keep to the steps inside.
    times = np.arange(0.025, duration - 0.025, 0.01)
    if len(times) < 3:
        return None
    tracks = formant_tracks(samples, SAMPLE_RATE, times)
    tracks = tracks[:, np.all(np.isfinite(tracks), axis=0)]
    if tracks.shape[1] < 3:
        return None
    return float(np.max(np.std(6 * np.arcsinh(tracks / 600), axis=1)))


def _runs(mask: np.ndarray, bridge: int) -> list[tuple[int, int]]:
    """[first, last) of the runs of True, runs less than `bridge` frames apart joined."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    runs: list[tuple[int, int]] = []
    for first, last in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        if runs and first - runs[-1][1] < bridge:
            runs[-1] = (runs[-1][0], last)
        else:
            runs.append((first, last))
    return runs


def _voiced_frames(samples: np.ndarray, frames: np.ndarray, threshold: float) -> np.ndarray:
    """Whether each of some 10 ms frames (their indices) is voiced (YIN, judged against the
    loudest sample of `samples`)."""
    found = pitch_frames(samples, frames * _FRAME + _FRAME // 2, SAMPLE_RATE, 60.0, 500.0)
    return found.voiced(float(np.max(np.abs(samples))), aperiodic=threshold)
