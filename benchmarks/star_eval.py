"""STAR detection on labeled story answers, typed and spoken.

    .venv/bin/python -m benchmarks.star_eval
        [--split tune|held-out|fresh|unseen|unseen-2|unseen-3|unseen-4|unseen-5|unseen-6|unseen-7
                 |all]
        [--spoken] [--errors]

The answers are built from benchmarks/data/star_stories.toml: for each story the full answer
with a quantified result, the full answer with an unquantified one, and the answer with each
part left out in turn (the result quantified in every other one). Prints, per STAR part,
precision and recall of "the part is present", and the accuracy of "the result carries a
number", for the typed text and (--spoken) for the split's stories marked `spoken` (on the
tuning split: every story, its two full answers only) said by espeak-ng and flite and
transcribed by Whisper (tiny.en, the default model). "held-out", "fresh" and
"unseen-N" are batches kept out of tuning ("unseen-N": written by someone who had not read the
detector).
Targets on them: precision and recall >= 0.9 per part, result quantified >= 0.95.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import ROOT
from speech_samples import synthesize_cached
from voiceprep.audio.load import load_audio
from voiceprep.hearing.transcriber import TranscribeOptions, get_engine, transcribe_audio
from voiceprep.hearing.transcript import Transcript
from voiceprep.scoring.star import STAR_PARTS, find_star

STORIES = ROOT / "benchmarks/data/star_stories.toml"
TARGET_PART = 0.9
TARGET_QUANTIFIED = 0.95


@dataclass(frozen=True)
class LabeledAnswer:
    story: str
    variant: str
    split: str
    spoken: bool
    text: str
    present: frozenset[str]
    quantified: bool


def labeled_answers(path: Path = STORIES) -> Iterator[LabeledAnswer]:
    """Every answer built from the stories, with its labels."""
    for story in tomllib.loads(path.read_text(encoding="utf-8"))["stories"]:
        variants: list[tuple[str, frozenset[str], bool]] = [
            ("full", frozenset(STAR_PARTS), True), ("full-plain", frozenset(STAR_PARTS), False)]
        for i, left_out in enumerate(STAR_PARTS):
            variants.append((f"no-{left_out}", frozenset(STAR_PARTS) - {left_out}, i % 2 == 0))
        for name, present, with_number in variants:
            texts = []
            for part in STAR_PARTS:
                if part in present:
                    key = part if part != "result" else (
                        "result_number" if with_number else "result_plain")
                    texts.append(story[key])
            yield LabeledAnswer(
                story=story["id"], variant=name, split=story["split"],
                spoken=story.get("spoken", False), text=" ".join(texts), present=present,
                quantified=with_number and "result" in present)


@dataclass
class Tally:
    tp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAR_PARTS, 0))
    fp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAR_PARTS, 0))
    fn: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAR_PARTS, 0))
    quantified_right: int = 0
    answers: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, answer: LabeledAnswer, transcript: Transcript) -> None:
        star = find_star(transcript.words)
        self.answers += 1
        where = f"{answer.story}/{answer.variant}"
        for part in STAR_PARTS:
            found, expected = star.part(part).present, part in answer.present
            if found and expected:
                self.tp[part] += 1
            elif found:
                self.fp[part] += 1
                self.errors.append(f"FP {part} {where}: {star.part(part).evidence}")
            elif expected:
                self.fn[part] += 1
                self.errors.append(f"FN {part} {where}: {transcript.text}")
        if star.result_quantified == answer.quantified:
            self.quantified_right += 1
        else:
            self.errors.append(f"quantified {star.result_quantified} {where}: "
                               f"'{star.quantity}' in {transcript.text}")

    def precision(self, part: str) -> float:
        found = self.tp[part] + self.fp[part]
        return self.tp[part] / found if found else 1.0

    def recall(self, part: str) -> float:
        expected = self.tp[part] + self.fn[part]
        return self.tp[part] / expected if expected else 1.0

    @property
    def quantified_accuracy(self) -> float:
        return self.quantified_right / self.answers if self.answers else 1.0

    def meets_targets(self) -> bool:
        return (all(self.precision(p) >= TARGET_PART and self.recall(p) >= TARGET_PART
                    for p in STAR_PARTS) and self.quantified_accuracy >= TARGET_QUANTIFIED)

    def table(self, title: str) -> str:
        rows = [f"{title}: {self.answers} answers",
                f"  {'part':<10} {'precision':>9} {'recall':>7}"]
        for part in STAR_PARTS:
            rows.append(f"  {part:<10} {self.precision(part):>9.3f} {self.recall(part):>7.3f}")
        rows.append(f"  result quantified: accuracy {self.quantified_accuracy:.3f}")
        return "\n".join(rows)


def _transcribed(wav: Path, options: TranscribeOptions) -> Transcript:
    """The WAV's transcript, kept beside it (per model and CPU instruction set), so that a
    change to the detector is measured again without decoding again."""
    isa = os.environ.get("CT2_FORCE_CPU_ISA", "best")
    kept = wav.with_name(f"{wav.stem}.{options.model or 'tiny.en'}.{isa}.json")
    if kept.exists():
        return Transcript.from_dict(json.loads(kept.read_text("utf-8")))
    transcript = transcribe_audio(load_audio(wav), 16000, options)
    kept.write_text(json.dumps(transcript.to_dict()), "utf-8")
    return transcript


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="held-out",
                        choices=["tune", "held-out", "fresh", "unseen", "unseen-2", "unseen-3",
                                 "unseen-4", "unseen-5", "unseen-6", "unseen-7",
                                 "all"])
    parser.add_argument("--spoken", action="store_true",
                        help="also the split's stories marked spoken (tune: the full answers "
                        "of every story), through TTS and Whisper")
    parser.add_argument("--model", default=None)
    parser.add_argument("--errors", action="store_true", help="list every miss and false hit")
    args = parser.parse_args()

    answers = [a for a in labeled_answers() if args.split in ("all", a.split)]
    typed = Tally()
    for a in answers:
        typed.add(a, Transcript.from_text(a.text))
    print(typed.table(f"typed, {args.split}"))
    ok = typed.meets_targets()
    if args.errors:
        print("\n".join("    " + e for e in typed.errors))
    if args.spoken:
        options = TranscribeOptions(model=args.model)
        get_engine(options)
        cache = Path(tempfile.gettempdir()) / "voiceprep-star-eval"
        for voice in ("espeak-ng", "flite"):
            spoken = Tally()
            for a in answers:
                if not (a.spoken or (a.split == "tune" and a.variant.startswith("full"))):
                    continue
                wav = synthesize_cached(a.text, cache, voice)
                transcript = _transcribed(wav, options)
                spoken.add(a, transcript)
            print(spoken.table(f"spoken ({voice} -> Whisper {options.model or 'tiny.en'}), "
                               f"{args.split}"))
            if args.errors:
                print("\n".join("    " + e for e in spoken.errors))
            ok = ok and spoken.meets_targets()
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
