"""How long the person waits for feedback after an answer ends: live against whole-file.

    .venv/bin/python -m benchmarks.latency [--lengths 10 60 120 300] [--stops enter-0.2 silence]
    .venv/bin/python -m benchmarks.latency --live-wer [--slowdown 2]
    .venv/bin/python -m benchmarks.latency --windows fitted whole [--repeat 4] ...   # both, in turn

`--windows whole` encodes the speech left after a place in Whisper's 30 s window, as voiceprep
did before it fitted the window to the part (`TranscribeOptions.fitted_parts`).

Answers of about 10, 60, 120 and 300 s are made of real human speech (the realspeech clips,
joined with short pauses, the last one ending with its last word) and fed to the transcriber in
0.1 s blocks at real-time pace, as the recorder does. The answer is stopped the ways a person
stops it: Enter pressed 0.2 s after the last word (as they finish their sentence: no pause before
the stop), Enter 1 s after it, and the silence stop (3 s of silence). Printed per length, all in
one run: the time
from the stop to the score (pitch figures included) for the live path, the time a whole-file
transcription and scoring of
the same audio takes (what `voiceprep practice` did before), a bare faster-whisper call on the
same audio (as anyone would write it, and on voiceprep's own loaded model: see
benchmarks/common.py), and
their ratios; whether the live transcript is the one a file of the same audio gives; how
much audio was left to decode after the stop (in seconds and Whisper passes), against what a
transcriber that keeps up leaves with and without the open stretch decoded ahead up to its short
pauses (figures that do not depend on how busy the machine is); and the load average while each
answer ran (the machine may be shared). The target is at
most 0.5 s after the stop at every length.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.common import DEFAULT_REALSPEECH, bare_calls

RATE = 16000
BLOCK = 1600  # 0.1 s, as the recorder hands blocks on
STOPS = {"enter-0.2": 0.2, "enter-1": 1.0, "silence": 3.0}  # silence after the last word
WINDOWS = {"fitted": True, "whole": False}  # TranscribeOptions.fitted_parts


def build_answer(directory: Path, seconds: float) -> np.ndarray:
    """Real speech clips one after another, 0.7 s apart, until the answer is `seconds` long."""
    from voiceprep.audio.load import load_audio

    rows = list(csv.DictReader(open(directory / "manifest.tsv", encoding="utf-8"),
                               delimiter="\t"))
    gap = np.zeros(int(0.7 * RATE), dtype=np.float32)
    parts: list[np.ndarray] = []
    total = 0
    i = 0
    while total < seconds * RATE:
        clip = load_audio(directory / rows[i % len(rows)]["file"])
        parts += [clip, gap]
        total += len(clip) + len(gap)
        i += 1
    answer = np.concatenate(parts[:-1])
    # Cut at a clip border near the wanted length when it overshoots a lot.
    answer = answer[: max(int(seconds * RATE), len(parts[0]))] if seconds < 15 else answer
    return answer[: last_word_end(answer)]


def last_word_end(samples: np.ndarray, frame: int = 320) -> int:
    """Where the last 20 ms louder than -40 dBFS ends: the clip's own trailing quiet is cut."""
    frames = samples[: len(samples) // frame * frame].reshape(-1, frame)
    loud = np.flatnonzero(np.sqrt(np.mean(frames ** 2, axis=1)) > 10 ** (-40 / 20))
    return int((loud[-1] + 1) * frame) if len(loud) else len(samples)


def live_wait(question, answer: np.ndarray, trailing: float, options,
              slowdown: float = 1.0) -> tuple[float, dict, str]:
    """Feed at real-time pace (`slowdown` times slower) to the transcriber and the pitch tracker,
    as `practice` does; after `trailing` s of silence the answer stops: time to score, pitch
    included."""
    from voiceprep.answer import Listening, hear, listen
    from voiceprep.scoring.pitch import PitchTracker

    audio = np.concatenate([answer, np.zeros(int(trailing * RATE), dtype=np.float32)])
    transcriber = listen(question, options)
    listening = Listening(transcriber, PitchTracker())
    started = time.monotonic()
    for at in range(0, len(audio), BLOCK):
        listening.feed(audio[at:at + BLOCK])
        time.sleep(max(0.0, started + slowdown * (at + BLOCK) / RATE - time.monotonic()))
    stopped = time.monotonic()
    before = dict(transcriber.stats)
    text = hear(question, transcriber, audio=listening.pitch).transcript.text
    waited = time.monotonic() - stopped
    stats = {**transcriber.stats, "left_decodes": transcriber.stats["decodes"] - before["decodes"]}
    return waited, stats, text


def left_if_kept_up(audio: np.ndarray, options, live: bool = True) -> float:
    """Seconds of audio whose decode a transcriber that kept up still had to do when the answer
    stopped, from the segmenter alone. After a pause heard a second or more before the stop,
    nothing. Otherwise, split as a file is (`live=False`, and the live path before the short
    pauses were used): the whole open stretch, or after a stop during speech the speech since
    its last pause between bursts; live: at most the speech since the open stretch's latest
    place, decoded in the pause or after the stop."""
    from voiceprep.hearing.segmenter import Segmenter

    segmenter = Segmenter(options.segments)
    segmenter.push(audio)
    stretch = segmenter.flush()
    if stretch is None:
        return 0.0
    heard = stretch.speech[-1][1] + options.segments.end_silence_seconds * RATE
    if not segmenter.ended_in_speech and heard <= len(audio) - RATE:
        return 0.0
    split = stretch.split_at_last_pause(options.segments.pad_seconds) \
        if segmenter.ended_in_speech else None
    left = split[1] if split is not None else stretch
    places = stretch.splits(options.segments) if live else []
    if places and places[-1][1].start > left.start:
        left = places[-1][1]
    return (left.end - left.start) / RATE


def clips_stopped_by_enter(directory: Path) -> list[tuple[dict[str, str], np.ndarray]]:
    """The real-speech clips (manifest rows and audio), each cut 0.2 s after its last word."""
    from voiceprep.audio.load import load_audio

    out = []
    for row in csv.DictReader(open(directory / "manifest.tsv", encoding="utf-8"), delimiter="\t"):
        audio = load_audio(directory / row["file"])
        out.append((row, np.concatenate([audio[:last_word_end(audio)], np.zeros(
            int(STOPS["enter-0.2"] * RATE), dtype=np.float32)])))
    return out


def split_cost(directory: Path, options) -> None:
    """WER on the real-speech clips, each cut 0.2 s after its last word: as a file, and with its
    last stretch split at its latest place (what a live answer stopped by Enter then gets from a
    transcriber that kept up)."""
    import jiwer

    from benchmarks.common import make_normaliser
    from voiceprep.hearing.transcriber import Transcriber

    class SplitAtLatestPlace(Transcriber):
        def _confirm_last(self, engine, segmenter) -> None:
            stretch = segmenter.flush()
            if stretch is None:
                return
            places = stretch.splits(self.options.segments)
            for i, part in enumerate(places[-1] if places else (stretch,)):
                self._confirm(engine, segmenter, part, part=i > 0)

    normalise, _ = make_normaliser()
    rows = clips_stopped_by_enter(directory)
    truth, as_file, split = [], [], []
    for row, audio in rows:
        texts = []
        for kind in (Transcriber, SplitAtLatestPlace):
            transcriber = kind(options, live=False)
            transcriber.feed(audio)
            texts.append(normalise(transcriber.finish().text))
        truth.append(normalise(row["transcript"]))
        as_file.append(texts[0])
        split.append(texts[1])
        print(f"{row['file'][:48]:48} file {jiwer.wer(truth[-1], texts[0]):.3f}  split "
              f"{jiwer.wer(truth[-1], texts[1]):.3f}", flush=True)
    print(f"WER as a file {jiwer.wer(truth, as_file):.4f}, last stretch split "
          f"{jiwer.wer(truth, split):.4f}; "
          f"{sum(a != b for a, b in zip(as_file, split, strict=True))} of {len(rows)} changed")


def places_note(count: int) -> str:
    return f", {count} word places" if count else ""


def as_file(live: str, file: str) -> str:
    """"yes" when the live transcript is the file's, else how many words differ (edits)."""
    import jiwer

    from benchmarks.common import make_normaliser

    if live == file:
        return "yes"
    normalise, _ = make_normaliser()
    edits = jiwer.process_words(normalise(file) or "-", normalise(live) or "-")
    return f"{edits.substitutions + edits.deletions + edits.insertions} w"


def live_wer(directory: Path, options, slowdown: float) -> None:
    """WER on the real-speech clips said live, each stopped by Enter 0.2 s after its last word
    (fed at real-time pace, `slowdown` times slower), against the same audio as a file: what the
    places found while the person speaks cost in words."""
    import jiwer

    from benchmarks.common import make_normaliser
    from voiceprep.hearing.transcriber import Transcriber

    normalise, _ = make_normaliser()
    rows = clips_stopped_by_enter(directory)
    truth, as_file, live = [], [], []
    for row, audio in rows:
        from_file = Transcriber(options, live=False)
        from_file.feed(audio)
        as_file.append(normalise(from_file.finish().text))
        transcriber = Transcriber(options)
        started = time.monotonic()
        for at in range(0, len(audio), BLOCK):
            transcriber.feed(audio[at:at + BLOCK])
            time.sleep(max(0.0, started + slowdown * (at + BLOCK) / RATE - time.monotonic()))
        live.append(normalise(transcriber.finish().text))
        truth.append(normalise(row["transcript"]))
        stats = transcriber.stats
        print(f"{row['file'][:48]:48} file {jiwer.wer(truth[-1], as_file[-1]):.3f}  live "
              f"{jiwer.wer(truth[-1], live[-1]):.3f}  {stats['word_places']} word places, "
              f"{stats['covered_at_stop']} covered, {stats['left_seconds']:.1f} s left",
              flush=True)
    print(f"WER as a file {jiwer.wer(truth, as_file):.4f}, live {jiwer.wer(truth, live):.4f}; "
          f"{sum(a != b for a, b in zip(as_file, live, strict=True))} of {len(rows)} differ")


def file_wait(question, answer: np.ndarray, options) -> tuple[float, str]:
    from voiceprep.answer import hear, listen

    started = time.monotonic()
    transcriber = listen(question, options, live=False)
    transcriber.feed(answer)
    text = hear(question, transcriber, audio=answer).transcript.text
    return time.monotonic() - started, text


def bare_wait(run, answer: np.ndarray) -> float:
    started = time.monotonic()
    run(answer)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lengths", type=float, nargs="+", default=[10, 60, 120, 300])
    parser.add_argument("--realspeech", type=Path, default=DEFAULT_REALSPEECH)
    parser.add_argument("--model", default=None, help="Whisper model (default: voiceprep's)")
    parser.add_argument("--stops", nargs="+", choices=list(STOPS),
                        default=["enter-0.2", "silence"])
    parser.add_argument("--split-cost", action="store_true",
                        help="instead: the WER the live split at a short pause costs")
    parser.add_argument("--live-wer", action="store_true",
                        help="instead: WER of the real clips said live and stopped by Enter, "
                        "against the same audio as files")
    parser.add_argument("--windows", nargs="+", choices=list(WINDOWS), default=["fitted"],
                        help="the encoder window of the speech after a place: fitted to it (the "
                        "default), Whisper's 30 s, or both in turn in one run")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="run each live stop N times (the windows in turn, each first in "
                        "every other turn)")
    parser.add_argument("--slowdown", type=float, default=1.0,
                        help="feed the answer this many times slower than it is spoken: a busy "
                        "machine then keeps up as an idle one does at 1")
    args = parser.parse_args()
    if not (args.realspeech / "manifest.tsv").exists():
        sys.exit(f"no real speech set at {args.realspeech}")
    from voiceprep.bank.questions import load_bank
    from voiceprep.hearing.transcriber import TranscribeOptions, get_engine

    variants = [(window, TranscribeOptions(model=args.model, fitted_parts=WINDOWS[window]))
                for window in args.windows]
    options = variants[0][1]
    if args.split_cost or args.live_wer:
        for window, options in variants:
            print(f"== the speech after a place in a {window} window")
            if args.split_cost:
                split_cost(args.realspeech, options)
            else:
                live_wer(args.realspeech, options, args.slowdown)
        return
    get_engine(options)
    written, own = bare_calls().values()
    question = load_bank(None).find("about-yourself")
    print("live: the wait after the stop; file: the whole file transcribed and scored after it "
          "(score --audio's path); bare: as anyone would call it; own: the same call on "
          "voiceprep's loaded model")
    print(f"{'answer':>7} {'stop':>9} {'window':>7} {'left':>6} {'live':>7} {'file':>7} "
          f"{'bare':>7} {'own':>7} {'live/file':>9} {'file/bare':>10} {'file/own':>9} "
          f"{'as file':>7} {'load':>5} {'before':>6}  decodes (guesses used/made), passes after "
          f"the stop, audio left to decode by a transcriber that keeps up")
    print("left: audio decoded after the stop; before: what a transcriber that keeps up leaves "
          "when the open stretch is split only at its last pause between bursts (as a file is); "
          "as file: yes, or how many words the live transcript differs by; the last column: "
          "what one that keeps up leaves with the places its pauses give (without the places "
          "between words found by decoding)")
    for seconds in args.lengths:
        answer = build_answer(args.realspeech, seconds)
        length = len(answer) / RATE
        whole, file_text = file_wait(question, answer, options)
        bare, bare_own = bare_wait(written, answer), bare_wait(own, answer)
        runs = [(label, variant) for label in args.stops for turn in range(args.repeat)
                for variant in (variants if turn % 2 == 0 else variants[::-1])]
        for label, (window, chosen) in runs:
            live, stats, text = live_wait(question, answer, STOPS[label], chosen, args.slowdown)
            stopped = np.concatenate([answer, np.zeros(int(STOPS[label] * RATE),
                                                       dtype=np.float32)])
            if STOPS[label]:  # the same audio as a file: the answer and the silence before the stop
                _, file_text = file_wait(question, stopped, chosen)
            print(f"{length:6.0f}s {label:>9} {window:>7} {stats['left_seconds']:5.1f}s "
                  f"{live:6.2f}s {whole:6.2f}s {bare:6.2f}s {bare_own:6.2f}s {live / whole:9.3f} "
                  f"{whole / bare:9.2f}x {whole / bare_own:8.2f}x "
                  f"{as_file(text, file_text):>7} {os.getloadavg()[0]:5.1f} "
                  f"{left_if_kept_up(stopped, options, live=False):5.1f}s  "
                  f"{stats['decodes']} ({stats['speculative_used']}/{stats['speculative']})"
                  f"{', split' if stats['split_at_pause'] else ''}"
                  f"{', split live' if stats['split_live'] else ''}"
                  f"{places_note(stats['word_places'])}, "
                  f"{stats['left_decodes']} passes, "
                  f"{left_if_kept_up(stopped, options):.1f} s",
                  flush=True)


if __name__ == "__main__":
    main()
