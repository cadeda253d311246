"""Key-point detection on a labeled set of answers: precision, recall and F1.

    .venv/bin/python benchmarks/scoring_eval.py [--answers FILE] [--bank PATH] [--verbose]

Each answer in benchmarks/data/answers.toml names its question, its kind and the key points a
human judge says it makes. Every (answer, key point) pair is one decision of the scorer. Targets,
on all kinds that use a key point's phrasing (everything but "paraphrase"): F1 >= 0.97 and
precision >= 0.97. Recall on "paraphrase" answers (ideas with none of the phrase words) is
printed separately: the phrase matcher is expected to miss most of them.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from voiceprep.bank import load_bank  # noqa: E402
from voiceprep.scoring import score  # noqa: E402
from voiceprep.transcript import Transcript  # noqa: E402

PARAPHRASE = "paraphrase"
TARGET_F1 = 0.97
TARGET_PRECISION = 0.97


@dataclass
class Tally:
    answers: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Tally) -> None:
        self.answers += other.answers
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn
        self.errors += other.errors


def evaluate(answers_path: Path, bank_path: Path | None) -> dict[str, Tally]:
    """Score every labeled answer; one Tally per kind."""
    bank = load_bank(bank_path)
    data = tomllib.loads(answers_path.read_text(encoding="utf-8"))
    by_kind: dict[str, Tally] = defaultdict(Tally)
    for number, answer in enumerate(data["answers"], start=1):
        question = bank.find(answer["question"])
        expected = set(answer["covered"])
        unknown = expected - {k.id for k in question.key_points}
        if unknown:
            raise SystemExit(f"answer #{number}: unknown key point(s) {sorted(unknown)}")
        result = score(question, Transcript.from_text(answer["text"]))
        tally = by_kind[answer["kind"]]
        tally.answers += 1
        for kp in result.key_points:
            label = f"#{number} {answer['kind']} {question.id}/{kp.id}"
            if kp.covered and kp.id in expected:
                tally.tp += 1
            elif kp.covered:
                tally.fp += 1
                tally.errors.append(f"FP {label}: '{kp.evidence}' ~ '{kp.phrase}' "
                                    f"({kp.confidence})")
            elif kp.id in expected:
                tally.fn += 1
                tally.errors.append(f"FN {label} (best {kp.confidence})")
            else:
                tally.tn += 1
    return dict(by_kind)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=Path, default=ROOT / "benchmarks/data/answers.toml")
    parser.add_argument("--bank", type=Path, default=ROOT / "questions")
    parser.add_argument("--verbose", action="store_true", help="also list paraphrase misses")
    args = parser.parse_args()

    started = time.perf_counter()
    by_kind = evaluate(args.answers, args.bank)
    elapsed = time.perf_counter() - started

    overall = Tally()
    print(f"{'kind':<16}{'answers':>8}{'points':>8}{'TP':>5}{'FP':>5}{'FN':>5}"
          f"{'precision':>11}{'recall':>8}{'F1':>7}")
    for kind in sorted(by_kind):
        t = by_kind[kind]
        decisions = t.tp + t.fp + t.fn + t.tn
        precision = f"{t.precision:.3f}" if t.tp + t.fp else "-"
        recall = f"{t.recall:.3f}" if t.tp + t.fn else "-"
        f1 = f"{t.f1:.3f}" if t.tp + t.fp and t.tp + t.fn else "-"
        print(f"{kind:<16}{t.answers:>8}{decisions:>8}{t.tp:>5}{t.fp:>5}{t.fn:>5}"
              f"{precision:>11}{recall:>8}{f1:>7}")
        if kind != PARAPHRASE:
            overall.add(t)
    print("(points: key-point decisions, one per answer and key point; '-': no positives)")
    print()
    print(f"phrasing answers (all kinds but {PARAPHRASE}): "
          f"precision {overall.precision:.3f}  recall {overall.recall:.3f}  F1 {overall.f1:.3f}"
          f"   [TP {overall.tp}  FP {overall.fp}  FN {overall.fn}  TN {overall.tn}]")
    paraphrase = by_kind.get(PARAPHRASE, Tally())
    print(f"paraphrase recall (tracked, expected low): {paraphrase.recall:.3f}"
          f"  [{paraphrase.tp} of {paraphrase.tp + paraphrase.fn}]"
          f"  precision {paraphrase.precision:.3f}")
    print(f"scored in {elapsed:.2f} s")
    ok = overall.f1 >= TARGET_F1 and overall.precision >= TARGET_PRECISION
    print(f"target F1 >= {TARGET_F1} and precision >= {TARGET_PRECISION}: "
          f"{'met' if ok else 'NOT met'}")
    if overall.errors:
        print("\nfalse positives / negatives:")
        for line in overall.errors:
            print("  " + line)
    fps = [e for e in paraphrase.errors if e.startswith("FP")]
    if fps or args.verbose:
        print("\nparaphrase " + ("errors:" if args.verbose else "false positives:"))
        for line in paraphrase.errors if args.verbose else fps:
            print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
