"""Key-point F1 through the audio path: labeled answers spoken (espeak-ng), transcribed, scored.

    .venv/bin/python -m benchmarks.audio_path_eval [--engine E] [--model M] [--voice V]
        [--kinds K,K] [--held-out] [--errors] [--fresh]

Every answer in benchmarks/data/answers.toml (or those of --kinds, or of the held-out questions)
is synthesised, then transcribed twice (with and without biasing towards the question's
vocabulary) and scored; the typed text is scored too, as the ceiling. Prints key-point precision,
recall and F1 for each, over the kinds that use a key point's phrasing (target through audio:
F1 >= 0.95), and the overall precision with the paraphrased and near-miss answers counted too,
phrase and meaning matches together (target: the typed target, >= 0.98). Synthesised WAVs and
their transcripts are cached in the temp directory (--fresh transcribes again); --errors lists
every miss with what was heard. The whole set takes about half an hour on two cores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from benchmarks import common
from speech_samples import synthesize_cached
from voiceprep.audio.load import load_audio
from voiceprep.bank.questions import load_bank
from voiceprep.hearing.transcriber import TranscribeOptions, get_engine, transcribe_audio
from voiceprep.hearing.transcript import Transcript
from voiceprep.scoring.meaning import MeaningOptions
from voiceprep.scoring.score import ScoringOptions, score

BY_MEANING = ScoringOptions(meaning=MeaningOptions())

TARGET_F1 = 0.95


@dataclass
class Tally(common.Tally):
    def count(self, label: str, covered: bool, expected: bool, evidence: str,
              heard: str = "") -> None:
        if covered and expected:
            self.tp += 1
        elif covered:
            self.fp += 1
            self.errors.append(f"FP {label}: '{evidence}'")
        elif expected:
            self.fn += 1
            self.errors.append(f"FN {label}" + (f"\n      heard: {heard}" if heard else ""))


def transcribe_cached(wav: Path, samples: np.ndarray, options: TranscribeOptions, fresh: bool,
                      ) -> tuple[Transcript, float]:
    """Transcribe, reusing an earlier transcript of the same WAV with the same options."""
    key = json.dumps([wav.name, options.engine, options.model, list(options.vocabulary)])
    path = wav.with_name(f"{wav.stem}-{hashlib.sha1(key.encode()).hexdigest()[:12]}.json")
    if path.exists() and not fresh:
        return Transcript.from_dict(json.loads(path.read_text(encoding="utf-8"))), 0.0
    started = time.perf_counter()
    transcript = transcribe_audio(samples, 16000, options)
    elapsed = time.perf_counter() - started
    path.write_text(json.dumps(transcript.to_dict()), encoding="utf-8")
    return transcript, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=Path, default=common.DATA / "answers.toml")
    parser.add_argument("--bank", type=Path, default=common.BANK)
    parser.add_argument("--engine", default="faster-whisper")
    parser.add_argument("--model", default=None)
    parser.add_argument("--voice", default="espeak-ng", choices=["espeak-ng", "flite"])
    parser.add_argument("--errors", action="store_true",
                        help="list every miss (with the transcript) and false hit")
    parser.add_argument("--fresh", action="store_true", help="transcribe again, ignoring the cache")
    parser.add_argument("--kinds", help="only these kinds of answer (comma-separated)")
    parser.add_argument("--held-out", action="store_true",
                        help="only the answers to the questions kept out of tuning")
    args = parser.parse_args()

    bank = load_bank(args.bank)
    kinds = set(args.kinds.split(",")) if args.kinds else None
    answers = [a for a in tomllib.loads(args.answers.read_text(encoding="utf-8"))["answers"]
               if (kinds is None or a["kind"] in kinds)
               and (not args.held_out or a["question"] in common.HELD_OUT)]
    cache = Path(tempfile.gettempdir()) / "voiceprep-audio-path"
    cache.mkdir(exist_ok=True)
    base = TranscribeOptions(engine=args.engine, model=args.model)
    get_engine(base)

    modes = ("typed text", "audio, no vocabulary", "audio, with vocabulary")
    tallies: dict[str, Tally] = {m: Tally() for m in modes}  # phrasing kinds
    everything: dict[str, Tally] = {m: Tally() for m in modes}  # every kind
    by_kind: dict[str, dict[str, Tally]] = {m: defaultdict(Tally) for m in modes}
    audio_seconds = wall = 0.0
    for number, answer in enumerate(answers, start=1):
        question = bank.find(answer["question"])
        expected = set(answer["covered"])
        wav = synthesize_cached(" ".join(answer["text"].split()), cache, args.voice)
        samples = load_audio(wav)
        transcripts = {"typed text": Transcript.from_text(answer["text"])}
        for mode, vocabulary in ((modes[1], ()), (modes[2], question.vocabulary())):
            transcripts[mode], seconds = transcribe_cached(
                wav, samples, replace(base, vocabulary=tuple(vocabulary)), args.fresh)
            if seconds:
                wall += seconds
                audio_seconds += len(samples) / 16000
        for mode, transcript in transcripts.items():
            result = score(question, transcript, BY_MEANING)
            for kp in result.key_points:
                label = f"#{number} {answer['kind']} {question.id}/{kp.id} ({kp.matched_by})"
                counted = [everything[mode], by_kind[mode][answer["kind"]]]
                if answer["kind"] not in common.OTHER_WORDS:
                    counted.append(tallies[mode])
                for tally in counted:
                    tally.count(label, kp.covered, kp.id in expected, kp.evidence,
                                transcript.text.strip() if args.errors else "")
        print(f"\r{number}/{len(answers)} answers", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)

    speed = (f"{audio_seconds / 60:.1f} min of speech transcribed, real-time factor "
             f"{audio_seconds / wall:.1f}x" if wall else "all transcripts from the cache")
    print(f"{len(answers)} answers ({args.kinds or 'all kinds'}"
          f"{', held-out questions' if args.held_out else ''}), voice {args.voice}, "
          f"{args.engine} {args.model or 'bundled tiny.en'}; {speed}")
    print(f"{'':26}{'precision':>10}{'recall':>8}{'F1':>7}{'TP':>5}{'FP':>5}{'FN':>5}")
    for mode in modes:
        t = tallies[mode]
        print(f"{mode:26}{t.precision:>10.3f}{t.recall:>8.3f}{t.f1:>7.3f}"
              f"{t.tp:>5}{t.fp:>5}{t.fn:>5}")
    print("(phrasing kinds: all but " + ", ".join(common.OTHER_WORDS) + ")")
    print("\noverall precision, every kind, phrase and meaning matches together:")
    for mode in modes:
        t = everything[mode]
        print(f"  {mode:24}{t.precision:>10.3f}   [TP {t.tp}  FP {t.fp}]")
    print("\nprecision / recall by kind:" + "".join(f"{m:>26}" for m in modes))
    for kind in sorted(by_kind[modes[0]]):
        print(f"{kind:15}" + "".join(
            f"{by_kind[m][kind].precision:>17.3f} / {by_kind[m][kind].recall:.3f}"
            for m in modes))
    best = tallies[modes[2]].f1
    print(f"\ntarget F1 >= {TARGET_F1} through audio with vocabulary: "
          f"{'met' if best >= TARGET_F1 else 'NOT met'} ({best:.3f})")
    for mode in modes[1:]:
        errors = everything[mode].errors
        if errors:
            print(f"\n{mode}: {len(errors)} error(s)")
            for line in errors if args.errors else errors[:15]:
                print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
