"""What the practice order is worth: a simulated learner practising N questions a day for 30 days.

    .venv/bin/python -m benchmarks.schedule_sim [--per-day 2 4 6] [--days 30] [--seeds 40]

The learner holds each key point of the built-in bank (13 questions, 95 points) in memory with a
forgetting curve: recall after t days is exp(-t / S), S the point's stability in days. Day 0 they
read their notes once (S = 1 day). Answering a question, each of its points is recalled with
that chance; the answer is scored as voiceprep would (coverage, required points missed, timing
on target) and the feedback shows every point again. A point recalled becomes more stable the
harder it was to recall (S x (1.5 + 4 (1 - recall)), the spacing effect); one missed is relearned
from the feedback (S x 0.7, at least 1 day). Each day the session asks N questions in one
order:

* due: voiceprep's spaced-repetition order (`--order due --count N`, the FSRS schedule replayed
  from the simulated history: never practised questions first, then the due ones by the rule of
  `schedule.due_order`, then the rest, weakest first);
* weakest: `--order weakest` (never practised first, then the lowest recent coverage);
* shuffle: a random N each day;
* bank: `--order bank --count N`, the first N questions of the bank every day;
* bank, cycling: the bank in order, each day going on where the last one stopped.

Printed: the share of all key points recalled on day 30 (the mean recall chance over every
point, averaged over the seeds, with its standard deviation across seeds), and the share of
questions practised at least once.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from voiceprep.bank.questions import PACKAGED_BANK, Question, load_bank
from voiceprep.history.schedule import Review, build_schedule, due_order
from voiceprep.practice import weakest_first

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
FIRST_STABILITY = 1.0
ORDERS = ("due", "weakest", "shuffle", "bank", "bank, cycling")


@dataclass
class Memory:
    stability: float = FIRST_STABILITY
    last: float = 0.0  # day

    def recall(self, day: float) -> float:
        return math.exp(-(day - self.last) / self.stability)


def simulate(questions: list[Question], order: str, per_day: int, days: int, seed: int
             ) -> tuple[float, float]:
    rng = random.Random(seed)
    memory = {(q.id, kp.id): Memory() for q in questions for kp in q.key_points}
    reviews: list[Review] = []
    recent: dict[str, list[float]] = {}
    cursor = 0
    for day in range(days):
        now = START + timedelta(days=day)
        ids = [q.id for q in questions]
        if order == "due":
            chosen = [d.question_id
                      for d in due_order(build_schedule(reviews), questions, now, per_day)]
        elif order == "weakest":
            chosen = weakest_first(ids, recent)
        elif order == "shuffle":
            chosen = rng.sample(ids, len(ids))
        elif order == "bank":
            chosen = ids
        else:
            chosen = [ids[(cursor + i) % len(ids)] for i in range(len(ids))]
            cursor += per_day
        by_id = {q.id: q for q in questions}
        for n, qid in enumerate(chosen[:per_day]):
            q = by_id[qid]
            t = day + 0.01 * n
            covered, missed = [], []
            for kp in q.key_points:
                m = memory[(q.id, kp.id)]
                chance = m.recall(t)
                if rng.random() < chance:
                    covered.append(kp)
                    m.stability *= 1.5 + 4 * (1 - chance)
                else:
                    missed.append(kp)
                    m.stability = max(FIRST_STABILITY, m.stability * 0.7)
                m.last = t
            total = sum(kp.weight for kp in q.key_points)
            coverage = sum(kp.weight for kp in covered) / total
            reviews.append(Review(
                q.id, now + timedelta(minutes=n), coverage,
                any(kp.required for kp in missed), "ok",
                tuple(kp.id for kp in covered), tuple(kp.id for kp in missed)))
            recent[q.id] = ([coverage] + recent.get(q.id, []))[:3]
    recalled = statistics.fmean(m.recall(days) for m in memory.values())
    practised = len({r.question_id for r in reviews}) / len(questions)
    return recalled, practised


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=int, nargs="+", default=[2, 4, 6])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seeds", type=int, default=40)
    args = parser.parse_args()
    questions = list(load_bank(PACKAGED_BANK).questions)
    points = sum(len(q.key_points) for q in questions)
    print(f"{len(questions)} questions, {points} key points, {args.days} days, "
          f"{args.seeds} seeds")
    for per_day in args.per_day:
        print(f"\n{per_day} question(s) a day")
        print(f"  {'order':<14} {'recalled on day ' + str(args.days):>18} {'sd':>6} "
              f"{'practised':>10}")
        for order in ORDERS:
            runs = [simulate(questions, order, per_day, args.days, seed)
                    for seed in range(args.seeds)]
            recalled = [r for r, _ in runs]
            print(f"  {order:<14} {statistics.fmean(recalled):>18.3f} "
                  f"{statistics.stdev(recalled):>6.3f} "
                  f"{statistics.fmean(p for _, p in runs):>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
