"""Reading notes in many styles: does the importer find the questions a reader finds, and the
answers as a reader bounds them?

    .venv/bin/python -m benchmarks.notes_eval [--verbose] [ROUND_DIR ...]
    PYTHONPATH=/other/checkout/src .venv/bin/python -m benchmarks.notes_eval   # another version

benchmarks/data/notes/roundNN/ hold notes written by writers who had not read the importer, each
round in forms the rounds before had not shown (README.txt in each says which, and every
judgement call). Beside each notes file, NAME.expected: the questions a careful reader would
practise, in order, a line `---`, then for each question the first and the last five words of
its answer (`first ... last`), or `(empty)`. Each round was measured held out (before any rule
it led to) and then tuned on: the figures in docs/importing.md say which version measured which
round first.

Printed per round: the questions found (worded as the reader words them, compared word for word
without case or punctuation), the questions taken that the reader did not take, and the answers
whose first and last words are the reader's.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import ROOT
from voiceprep.bank.notes import parse_notes
from voiceprep.errors import NotesError

ROUNDS = ROOT / "benchmarks/data/notes"


@dataclass
class Tally:
    asked: int = 0  # questions the reader takes
    found: int = 0
    extra: int = 0  # taken, and no question to the reader
    spans: int = 0  # answers whose first and last words are the reader's
    lines: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.asked += other.asked
        self.found += other.found
        self.extra += other.extra
        self.spans += other.spans


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def measure(notes: Path) -> Tally:
    """One notes file against its .expected."""
    asked, _, spans = notes.with_name(notes.name + ".expected").read_text(
        encoding="utf-8").partition("\n---\n")
    wanted = [q for q in asked.splitlines() if q.strip()]
    bounds = [s for s in spans.splitlines() if s.strip()]
    try:
        got = parse_notes(notes.read_text(encoding="utf-8"), notes.name)
    except NotesError:
        got = []
    said = {tuple(words(q.prompt)): words(q.reference) for q in got}
    tally = Tally(asked=len(wanted))
    for question, bound in zip(wanted, bounds, strict=True):
        answer = said.get(tuple(words(question)))
        if answer is None:
            tally.lines.append(f"   missed: {question[:90]}")
            continue
        tally.found += 1
        if bound == "(empty)":
            tally.spans += answer == []
        else:
            first, last = (words(part) for part in bound.split(" ... "))
            tally.spans += (answer[:len(first)], answer[-len(last):]) == (first, last)
    reader = {tuple(words(q)) for q in wanted}
    for q in got:
        if tuple(words(q.prompt)) not in reader:
            tally.extra += 1
            tally.lines.append(f"   taken, no question: {q.prompt[:90]}")
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rounds", nargs="*", type=Path,
                        help="folders of notes with .expected files (default: every round)")
    parser.add_argument("--verbose", action="store_true", help="every file, and what it missed")
    args = parser.parse_args()
    rounds = args.rounds or sorted(p for p in ROUNDS.iterdir() if p.is_dir())
    print(f"{'round':<12}{'files':>6}{'questions found':>18}{'taken, no question':>20}"
          f"{'answers bounded':>18}")
    total = Tally()
    for folder in rounds:
        tally, files = Tally(), 0
        for notes in sorted(folder.iterdir()):
            if notes.name.endswith(".expected") or notes.name == "README.txt":
                continue
            one = measure(notes)
            files += 1
            tally.add(one)
            if args.verbose:
                print(f"  {notes.name}: {one.found}/{one.asked}, {one.extra} taken, "
                      f"{one.spans}/{one.found} bounded")
                for line in one.lines:
                    print(line)
        total.add(tally)
        print(f"{folder.name:<12}{files:>6}{f'{tally.found}/{tally.asked}':>18}{tally.extra:>20}"
              f"{f'{tally.spans}/{tally.found}':>18}")
    print(f"{'all':<12}{'':>6}{f'{total.found}/{total.asked}':>18}{total.extra:>20}"
          f"{f'{total.spans}/{total.found}':>18}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
