"""Engines and models side by side on the real-speech clips: word error rate and speed, one run.

    .venv/bin/python -m benchmarks.engines [--realspeech DIR] [--clips] [--limit N] [--no-base]
        [--live-only]

Each clip goes through every configuration in turn (so a busy machine slows them alike):
- bare faster-whisper tiny.en: `WhisperModel(bundled tiny.en, int8).transcribe(beam_size=5,
  language="en")`, the baseline every speed is divided by;
- voiceprep's faster-whisper and openai-whisper engines on tiny.en (the openai-whisper checkpoint
  is converted from the bundled CTranslate2 model: the same weights), through `transcribe_audio`;
- a bare openai-whisper call on the converted tiny.en (`whisper.transcribe`, beam 5);
- Whisper base (`--model base`, when its packages are installed), bare and through voiceprep.

Prints, per configuration, the WER (Whisper's English normaliser), compute seconds, real-time
factor and compute relative to the baseline; and how far openai-whisper's text is from
faster-whisper's on the same weights (WER of one against the other).

Then tiny.en and base through the live path, each in a fresh process, with a bare call of the
same model in its own fresh process: the clips fed to a `Transcriber` in 0.1 s blocks as the
recorder hands them on (as fast as it takes them), and the bare call
`WhisperModel(model, int8).transcribe(beam_size=5, language="en")`. Printed per process: WER,
ready time (imports and model load, from the process's start), compute seconds and peak resident
memory.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jiwer
import numpy as np

from benchmarks.common import DEFAULT_REALSPEECH, ROOT, make_normaliser
from voiceprep.audio.load import load_audio
from voiceprep.errors import TranscriptionError
from voiceprep.hearing.models import local_model_dir
from voiceprep.hearing.transcriber import TranscribeOptions, get_engine, transcribe_audio


@dataclass
class Row:
    label: str
    transcribe: Callable[[np.ndarray], str]
    load_seconds: float
    texts: list[str] = field(default_factory=list)
    seconds: float = 0.0


def bare_faster_whisper(model: str) -> Callable[[np.ndarray], str]:
    from faster_whisper import WhisperModel

    whisper_model = WhisperModel(str(local_model_dir(model)), device="cpu", compute_type="int8")

    def run(samples: np.ndarray) -> str:
        segments, _ = whisper_model.transcribe(samples, beam_size=5, language="en")
        return " ".join(s.text.strip() for s in segments)
    return run


def bare_openai_whisper(model: str) -> Callable[[np.ndarray], str]:
    import whisper

    loaded = get_engine(TranscribeOptions(engine="openai-whisper", model=model))._model

    def run(samples: np.ndarray) -> str:
        return whisper.transcribe(loaded, samples, language="en", beam_size=5, best_of=5,
                                  fp16=False)["text"].strip()
    return run


def through_voiceprep(engine: str, model: str) -> Callable[[np.ndarray], str]:
    options = TranscribeOptions(engine=engine, model=model)
    get_engine(options)
    return lambda samples: transcribe_audio(samples, 16000, options).text


def make_rows(with_base: bool) -> list[Row]:
    configurations: list[tuple[str, Callable[[], Callable[[np.ndarray], str]]]] = [
        ("bare faster-whisper tiny.en", lambda: bare_faster_whisper("tiny.en")),
        ("voiceprep faster-whisper tiny.en", lambda: through_voiceprep("faster-whisper",
                                                                       "tiny.en")),
        ("voiceprep openai-whisper tiny.en", lambda: through_voiceprep("openai-whisper",
                                                                       "tiny.en")),
        ("bare openai-whisper tiny.en", lambda: bare_openai_whisper("tiny.en")),
    ]
    if with_base:
        configurations += [
            ("bare faster-whisper base", lambda: bare_faster_whisper("base")),
            ("voiceprep faster-whisper base", lambda: through_voiceprep("faster-whisper",
                                                                        "base")),
        ]
    rows = []
    for label, make in configurations:
        started = time.perf_counter()
        try:
            transcribe = make()
        except TranscriptionError as e:
            print(f"{label}: skipped ({e})")
            continue
        rows.append(Row(label, transcribe, time.perf_counter() - started))
    return rows


LIVE_PATH = """
import json, os, resource, sys, time
started = time.monotonic()
import numpy as np
from voiceprep.audio.load import load_audio
mode, model, files = sys.argv[1], sys.argv[2], sys.argv[3:]
if mode == "live":
    from voiceprep.hearing.transcriber import TranscribeOptions, Transcriber, get_engine
    options = TranscribeOptions(model=model)
    get_engine(options)
    def run(samples):
        transcriber = Transcriber(options)
        for at in range(0, len(samples), 1600):
            transcriber.feed(samples[at:at + 1600])
        return transcriber.finish().text
else:
    import ctranslate2
    from faster_whisper import WhisperModel
    from voiceprep.hearing.models import local_model_dir
    whisper_model = WhisperModel(str(local_model_dir(model)), device="cpu", compute_type="int8")
    def run(samples):
        ctranslate2.set_random_seed(0)
        segments, _ = whisper_model.transcribe(samples, beam_size=5, language="en")
        return " ".join(s.text.strip() for s in segments)
ready = time.monotonic() - started
texts, seconds = [], 0.0
for f in files:
    samples = load_audio(f)
    began = time.monotonic()
    texts.append(run(samples))
    seconds += time.monotonic() - began
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"ready": ready, "seconds": seconds, "texts": texts, "peak": peak}))
"""


def live_path(files: list[Path], references: list[str], normalise, audio_seconds: float,
              models: list[str]) -> None:
    """tiny.en and base through the live path and bare, each in a fresh process, in turn."""
    import json
    import subprocess

    print(f"\n{'fresh process':32} {'WER':>6} {'ready s':>8} {'compute s':>10} "
          f"{'x real time':>12} {'peak MB':>8}")
    for model in models:
        for mode in ("bare", "live"):
            out = subprocess.run([sys.executable, "-c", LIVE_PATH, mode, model,
                                  *map(str, files)], capture_output=True, text=True, cwd=ROOT)
            label = f"{'bare call' if mode == 'bare' else 'voiceprep live path'} {model}"
            if out.returncode != 0:
                print(f"{label:32} failed: {out.stderr.strip().splitlines()[-1:]}")
                continue
            result = json.loads(out.stdout.strip().splitlines()[-1])
            texts = [normalise(t) or "<empty>" for t in result["texts"]]
            print(f"{label:32} {jiwer.wer(references, texts):6.1%} {result['ready']:8.2f} "
                  f"{result['seconds']:10.1f} {audio_seconds / result['seconds']:12.1f} "
                  f"{result['peak']:8.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--realspeech", type=Path, default=DEFAULT_REALSPEECH)
    parser.add_argument("--clips", action="store_true", help="print WER per clip too")
    parser.add_argument("--limit", type=int, default=0, help="only the first N clips")
    parser.add_argument("--no-base", action="store_true", help="leave out Whisper base")
    parser.add_argument("--live-only", action="store_true",
                        help="only the live path and bare calls in fresh processes")
    args = parser.parse_args()
    manifest = args.realspeech / "manifest.tsv"
    if not manifest.exists():
        print(f"no real speech set at {args.realspeech}: nothing to measure")
        return
    clips = list(csv.DictReader(manifest.open(encoding="utf-8"), delimiter="\t"))
    clips = clips[: args.limit] if args.limit else clips
    normalise, normaliser_name = make_normaliser()
    if args.live_only:
        files = [args.realspeech / clip["file"] for clip in clips]
        seconds = sum(len(load_audio(f)) / 16000 for f in files)
        live_path(files, [normalise(clip["transcript"]) for clip in clips], normalise, seconds,
                  ["tiny.en"] + ([] if args.no_base else ["base"]))
        return

    rows = make_rows(with_base=not args.no_base)
    warm_up = load_audio(args.realspeech / clips[0]["file"])[: 5 * 16000]
    for row in rows:  # first calls pay one-off costs (PyTorch above all): not what is measured
        started = time.perf_counter()
        row.transcribe(warm_up)
        print(f"{row.label}: load {row.load_seconds:.1f} s, first call on 5 s "
              f"{time.perf_counter() - started:.1f} s")

    audio_seconds = 0.0
    references = []
    for n, clip in enumerate(clips, 1):
        samples = load_audio(args.realspeech / clip["file"])
        audio_seconds += len(samples) / 16000
        references.append(normalise(clip["transcript"]))
        for row in rows:
            started = time.perf_counter()
            row.texts.append(normalise(row.transcribe(samples)) or "<empty>")
            row.seconds += time.perf_counter() - started
        if args.clips:
            print(f"{n:2} {clip['file'][:50]:50} "
                  + " ".join(f"{jiwer.wer(references[-1], row.texts[-1]):6.1%}" for row in rows))

    baseline = rows[0]
    print(f"\n{len(clips)} clips, {audio_seconds:.0f} s of real speech ({args.realspeech}); "
          f"normaliser: {normaliser_name}")
    print(f"{'configuration':34} {'WER':>6} {'compute s':>10} {'x real time':>12} "
          f"{'x baseline':>11}")
    for row in rows:
        print(f"{row.label:34} {jiwer.wer(references, row.texts):6.1%} {row.seconds:10.1f} "
              f"{audio_seconds / row.seconds:12.1f} {row.seconds / baseline.seconds:11.2f}")

    by_label = {row.label: row for row in rows}
    for kind in ("voiceprep", "bare"):
        faster = by_label.get(f"{kind} faster-whisper tiny.en")
        reference = by_label.get(f"{kind} openai-whisper tiny.en")
        if faster and reference:
            print(f"{kind}: openai-whisper's text against faster-whisper's (same tiny.en "
                  f"weights): {jiwer.wer(faster.texts, reference.texts):.1%} words differ")
    live_path([args.realspeech / clip["file"] for clip in clips], references, normalise,
              audio_seconds, ["tiny.en"] + ([] if args.no_base else ["base"]))


if __name__ == "__main__":
    main()
