"""What is left to compute after an answer stops, besides the last words: its pitch and scoring.

    nice .venv/bin/python -m benchmarks.stop_cost [--lengths 10 60 120 300] [--repeats 3]
        [--baseline OTHER_CHECKOUT/src] [--clips]

Answers of about 10, 60, 120 and 300 s are made of real human speech (the realspeech clips joined
with short pauses, as benchmarks/latency.py builds them). Printed per length, in one run:

* pitch: the time at the stop for a whole-recording track of the saved WAV file (read and
  tracked, as `voiceprep practice` did), against a PitchTracker that was fed the answer in 0.1 s
  blocks as it was recorded (only its last chunk and the summary are left at the stop), and
  whether both give the same figures;
* scoring: the time to score the finished transcript (phrase matching, delivery figures,
  repeated phrases; no audio, no meaning model). The transcript is the clips' reference text with
  word times spread over each clip, so the figure does not depend on a Whisper run. Scored
  with what is kept between answers cleared first (a new question's first answer). With
  `--baseline`, the same scoring with another checkout's code (its src directory), run in a
  child process right after, length by length, and whether both give the same score.

Times are the median of `--repeats` runs, wall clock.

`--clips`: for each real speech clip and each joined answer, how many frames of the tracker fed
0.1 s blocks differ from one track of the whole recording, whether the figures are the same, and
how far the figures are from those of Praat's autocorrelation on the whole recording, which
earlier versions used (praat-parselmouth, installed with the dev tools).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import DEFAULT_REALSPEECH
from benchmarks.latency import RATE, build_answer


def timed_transcript(directory: Path, seconds: float):
    """The reference words of the clips build_answer() joins, each clip's words spread evenly
    over its duration: a transcript as long as the answer."""
    from voiceprep.hearing.transcript import Transcript, Word

    rows = list(csv.DictReader(open(directory / "manifest.tsv", encoding="utf-8"),
                               delimiter="\t"))
    words: list[Word] = []
    at, i = 0.0, 0
    while at < seconds:
        row = rows[i % len(rows)]
        length = float(row["duration_seconds"])
        texts = row["transcript"].lower().split()
        step = length / max(1, len(texts))
        words += [Word(w, round(at + k * step, 2), round(at + (k + 0.8) * step, 2), 0.9)
                  for k, w in enumerate(texts)]
        at += length + 0.7
        i += 1
    return Transcript(text=" ".join(w.word for w in words), words=tuple(words),
                      duration_seconds=at)


def median_seconds(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def pitch_seconds(answer: np.ndarray, wav: Path, repeats: int) -> tuple[float, float, bool]:
    """Median times at the stop for the pitch: a whole-recording track of the WAV file, and a
    tracker fed the answer while it was recorded; whether both give the same figures."""
    from voiceprep.audio.load import load_audio
    from voiceprep.scoring.pitch import PitchTracker, summarize_pitch, track_pitch

    def whole_file() -> object:
        return summarize_pitch(*track_pitch(load_audio(wav)))

    trackers = []
    for _ in range(repeats):
        tracker = PitchTracker()
        for at in range(0, len(answer), RATE // 10):
            tracker.feed(answer[at:at + RATE // 10])
        trackers.append(tracker)
    left = iter(trackers)
    measured: list[object] = []
    file_s = median_seconds(whole_file, repeats)
    tracked_s = median_seconds(lambda: measured.append(next(left).measure()), repeats)
    return file_s, tracked_s, all(m == whole_file() for m in measured)


def scoring_seconds(realspeech: Path, seconds: float, repeats: int) -> tuple[float, dict]:
    """Median time to score the transcript of an answer `seconds` long, and the score."""
    import voiceprep.scoring.matching as matching
    from voiceprep.bank.questions import load_bank
    from voiceprep.scoring.score import ScoringOptions, score

    question = load_bank(None).find("about-yourself")
    options = ScoringOptions(meaning=None, point_meaning=None, star_by_meaning=False)
    transcript = timed_transcript(realspeech, seconds)
    kept = [f for f in vars(matching).values() if hasattr(f, "cache_clear")]
    times, result = [], None
    for _ in range(repeats):
        for cached in kept:
            cached.cache_clear()
        started = time.perf_counter()
        result = score(question, transcript, options)
        times.append(time.perf_counter() - started)
    assert result is not None
    return statistics.median(times), result.to_dict()


def baseline_scoring(src: Path, realspeech: Path, seconds: float, repeats: int
                     ) -> tuple[float, dict]:
    """scoring_seconds() with the code in `src`, in a child process."""
    code = ("import json, sys; from pathlib import Path; "
            "from benchmarks.stop_cost import scoring_seconds; "
            "print(json.dumps(scoring_seconds(Path(sys.argv[1]), float(sys.argv[2]), "
            "int(sys.argv[3]))))")
    here = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), str(here)])}
    out = subprocess.run([sys.executable, "-c", code, str(realspeech), str(seconds),
                          str(repeats)], env=env, check=True, capture_output=True, text=True)
    seconds_taken, result = json.loads(out.stdout)
    return seconds_taken, result


def compare_clips(directory: Path) -> None:
    """The --clips table."""
    import parselmouth

    from voiceprep.audio.load import load_audio
    from voiceprep.scoring.pitch import PitchOptions, PitchTracker, summarize_pitch, track_pitch

    rows = list(csv.DictReader(open(directory / "manifest.tsv", encoding="utf-8"),
                               delimiter="\t"))
    items = [(r["file"], load_audio(directory / r["file"])) for r in rows]
    items += [(f"joined {s:g} s", build_answer(directory, s)) for s in (10, 60, 120, 300)]
    options = PitchOptions()
    worst = np.zeros(3)
    print(f"{'clip':46} {'frames':>6} {'differ':>6} {'same':>5} | against Praat: "
          "median, range, monotone")
    for name, samples in items:
        times, f0 = track_pitch(samples)
        tracker = PitchTracker()
        for at in range(0, len(samples), RATE // 10):
            tracker.feed(samples[at:at + RATE // 10])
        tracked_times, tracked_f0 = tracker.frames()
        differ = (int(np.sum(tracked_f0 != f0)) if len(f0) == len(tracked_f0)
                  else max(len(f0), len(tracked_f0)))
        whole, tracked = summarize_pitch(times, f0), tracker.measure()
        praat = parselmouth.Sound(samples.astype(np.float64), sampling_frequency=RATE
                                  ).to_pitch_ac(time_step=0.01, pitch_floor=options.floor_hz,
                                                pitch_ceiling=options.ceiling_hz)
        before = summarize_pitch(np.asarray(praat.xs()),
                                 np.asarray(praat.selected_array["frequency"]))
        change = "-"
        if before is not None and tracked is not None:
            d = np.array([abs(before.median_hz - tracked.median_hz) / before.median_hz * 100,
                          abs(before.range_semitones - tracked.range_semitones),
                          abs(before.monotone_seconds - tracked.monotone_seconds)])
            worst = np.maximum(worst, d)
            change = f"{d[0]:.2f}%, {d[1]:.1f} st, {d[2]:.1f} s"
        print(f"{name[:46]:46} {len(f0):6d} {differ:6d} {str(whole == tracked):>5} | {change}")
    print(f"largest change from Praat's figures: median {worst[0]:.2f}%, range {worst[1]:.1f} "
          f"st, monotone {worst[2]:.1f} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", type=float, nargs="+", default=[10, 60, 120, 300])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--realspeech", type=Path, default=DEFAULT_REALSPEECH)
    parser.add_argument("--baseline", type=Path,
                        help="another checkout's src directory to compare the scoring with")
    parser.add_argument("--clips", action="store_true",
                        help="compare the tracker with a whole-recording track, clip by clip")
    args = parser.parse_args(argv)
    if args.clips:
        compare_clips(args.realspeech)
        return

    import soundfile as sf

    from voiceprep.audio.load import load_audio
    baseline = (f" {'baseline':>8} {'ratio':>6} {'same':>5} | {'at the stop: before':>19} "
                f"{'after':>6}" if args.baseline else "")
    print(f"{'answer':>7} {'words':>6} | {'pitch: file':>11} {'tracked':>8} {'ratio':>6} "
          f"{'same':>5} | {'scoring':>8}{baseline}")
    with tempfile.TemporaryDirectory() as tmp:
        for seconds in args.lengths:
            answer = build_answer(args.realspeech, seconds)
            wav = Path(tmp) / "answer.wav"
            sf.write(str(wav), answer, RATE, subtype="PCM_16")
            answer = load_audio(wav)  # what the recorder handed on is what the file holds

            file_s, tracked_s, same = pitch_seconds(answer, wav, args.repeats)
            length = len(answer) / RATE
            scoring_s, scored = scoring_seconds(args.realspeech, length, args.repeats)
            line = (f"{length:6.0f}s {len(timed_transcript(args.realspeech, length).words):6d} "
                    f"| {file_s:10.3f}s {tracked_s:7.3f}s {tracked_s / file_s:6.2f} "
                    f"{str(same):>5} | {scoring_s:7.3f}s")
            if args.baseline:
                before_s, before = baseline_scoring(args.baseline, args.realspeech, length,
                                                    args.repeats)
                line += (f" {before_s:7.3f}s {scoring_s / before_s:6.2f} "
                         f"{str(before == scored):>5} | {file_s + before_s:18.3f}s "
                         f"{tracked_s + scoring_s:5.3f}s")
            print(line, flush=True)


if __name__ == "__main__":
    main()
