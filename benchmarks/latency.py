"""How long the person waits for feedback after an answer ends: live against whole-file.

    .venv/bin/python -m benchmarks.latency [--lengths 10 60 120 300] [--realspeech DIR]

Answers of about 10, 60, 120 and 300 s are made of real human speech (the realspeech clips,
joined with short pauses, the last one ending with its last word) and fed to the transcriber in
0.1 s blocks at real-time pace, as the recorder does. The answer is stopped the ways a person
stops it: Enter pressed 0.2 s after the last word (as they finish their sentence: no pause before
the stop), Enter 1 s after it, and the silence stop (3 s of silence). Printed per length, all in
one run: the time
from the stop to the score for the live path, the time a whole-file transcription and scoring of
the same audio takes (what `voiceprep practice` did before), a bare faster-whisper call on the
same audio (as anyone would write it, and on voiceprep's own loaded model: see
benchmarks/common.py), and
their ratios; whether the live transcript is the one a file of the same audio gives; and how
much audio was left to decode after the stop (in seconds and Whisper passes: a figure that does
not depend on how busy the machine is). The target is at most 0.5 s after the stop at every
length.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.common import DEFAULT_REALSPEECH, bare_calls

RATE = 16000
BLOCK = 1600  # 0.1 s, as the recorder hands blocks on
STOPS = {"enter-0.2": 0.2, "enter-1": 1.0, "silence": 3.0}  # silence after the last word


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
    """Feed at real-time pace (`slowdown` times slower); after `trailing` s of silence the answer
    stops: time to score."""
    from voiceprep.answer import hear, listen

    audio = np.concatenate([answer, np.zeros(int(trailing * RATE), dtype=np.float32)])
    transcriber = listen(question, options)
    started = time.monotonic()
    for at in range(0, len(audio), BLOCK):
        transcriber.feed(audio[at:at + BLOCK])
        time.sleep(max(0.0, started + slowdown * (at + BLOCK) / RATE - time.monotonic()))
    stopped = time.monotonic()
    before = dict(transcriber.stats)
    text = hear(question, transcriber).transcript.text
    stats = {**transcriber.stats, "left_seconds": transcriber.stats["decoded_seconds"]
             - before["decoded_seconds"], "left_decodes": transcriber.stats["decodes"]
             - before["decodes"]}
    return time.monotonic() - stopped, stats, text


def file_wait(question, answer: np.ndarray, options) -> tuple[float, str]:
    from voiceprep.answer import hear, listen

    started = time.monotonic()
    transcriber = listen(question, options, live=False)
    transcriber.feed(answer)
    text = hear(question, transcriber).transcript.text
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
    parser.add_argument("--stops", nargs="+", choices=list(STOPS), default=list(STOPS))
    parser.add_argument("--slowdown", type=float, default=1.0,
                        help="feed the answer this many times slower than it is spoken: a busy "
                        "machine then keeps up as an idle one does at 1")
    args = parser.parse_args()
    if not (args.realspeech / "manifest.tsv").exists():
        sys.exit(f"no real speech set at {args.realspeech}")
    from voiceprep.bank.questions import load_bank
    from voiceprep.hearing.transcriber import TranscribeOptions, get_engine

    options = TranscribeOptions(model=args.model)
    get_engine(options)
    written, own = bare_calls().values()
    question = load_bank(None).find("about-yourself")
    print("bare: as anyone would call it; own: the same call on voiceprep's loaded model")
    print(f"{'answer':>7} {'stop':>9} {'live':>7} {'file':>7} {'bare':>7} {'own':>7} "
          f"{'file/live':>10} {'file/bare':>10} {'file/own':>9} {'as file':>7}  "
          f"decodes (guesses used), audio decoded after the stop")
    for seconds in args.lengths:
        answer = build_answer(args.realspeech, seconds)
        length = len(answer) / RATE
        whole, file_text = file_wait(question, answer, options)
        bare, bare_own = bare_wait(written, answer), bare_wait(own, answer)
        for label in args.stops:
            live, stats, text = live_wait(question, answer, STOPS[label], options,
                                          args.slowdown)
            if STOPS[label]:  # the same audio as a file: the answer and the silence before the stop
                _, file_text = file_wait(question, np.concatenate(
                    [answer, np.zeros(int(STOPS[label] * RATE), dtype=np.float32)]), options)
            print(f"{length:6.0f}s {label:>9} {live:6.2f}s {whole:6.2f}s {bare:6.2f}s "
                  f"{bare_own:6.2f}s {whole / max(live, 1e-3):9.0f}x {whole / bare:9.2f}x "
                  f"{whole / bare_own:8.2f}x {'yes' if text == file_text else 'no':>7}  "
                  f"{stats['decodes']} ({stats['speculative_used']}/{stats['speculative']})"
                  f"{', split' if stats['split_at_pause'] else ''}, "
                  f"{stats['left_seconds']:.1f} s in {stats['left_decodes']} passes",
                  flush=True)


if __name__ == "__main__":
    main()
