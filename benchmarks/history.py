"""What a long history costs the commands that look back at it: time and peak memory.

    .venv/bin/python -m benchmarks.history [--attempts 10000] [--session-attempts 500] [--work DIR]

Builds, in a temporary directory, a small history (13 attempts) and a long one (--attempts, one
per session, a session every six hours: what years of practice leave), each session with its own
directory and files (tests/long_history.py), and a session of --session-attempts answers of 30 s.
Runs `report latest`, `progress --chart`, `sessions` and `export` on each history as a user does
(a new process each, the fastest of --runs), and prints wall time, peak resident memory and
output size, with the long history's time as a ratio of the small one's, measured in the same
run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from long_history import build_long_history  # noqa: E402
from voiceprep.bank.questions import load_bank  # noqa: E402


def run(args: list[str], data_dir: Path) -> tuple[float, float]:
    """`voiceprep ARGS --data-dir DATA_DIR` in a new process: (seconds, peak RSS in MB)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "voiceprep", *args, "--data-dir",
                                str(data_dir)], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    assert process.stderr is not None
    error = process.stderr.read().decode()
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"voiceprep {' '.join(args)} failed: {error.strip()}")
    return seconds, usage.ru_maxrss / 1024


def commands(out: Path) -> dict[str, list[str]]:
    return {"report latest": ["report", "latest", "-o", str(out / "report.html")],
            "progress --chart": ["progress", "--chart", str(out / "progress.png")],
            "sessions": ["sessions"],
            "export": ["export", "-o", str(out / "export.csv")]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--session-attempts", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3,
                        help="Runs of each command; the fastest counts (the least disturbed).")
    parser.add_argument("--work", type=Path, metavar="DIR",
                        help="Keep the histories in DIR, and use the ones already there.")
    args = parser.parse_args()
    bank = load_bank(None)
    work = args.work or Path(tempfile.mkdtemp(prefix="voiceprep-bench-history-"))
    histories = {"small": (work / "small", len(bank.questions), len(bank.questions)),
                 "long": (work / "long", args.attempts, 1)}
    for data_dir, attempts, per_session in histories.values():
        if data_dir.exists():
            continue
        started = time.perf_counter()
        build_long_history(data_dir, bank, attempts, per_session)
        print(f"built {attempts} attempts in {data_dir} ({time.perf_counter() - started:.0f} s)",
              file=sys.stderr)
    print(f"{'command':<18} {'small s':>8} {'long s':>8} {'ratio':>6} "
          f"{'small MB':>9} {'long MB':>8} {'small out':>10} {'long out':>9}")
    for name in commands(work):
        figures = []
        for label, (data_dir, _, _) in histories.items():
            out = work / f"out-{label}"
            out.mkdir(exist_ok=True)
            seconds, peak = min(run(commands(out)[name], data_dir) for _ in range(args.runs))
            made = [p for p in out.iterdir() if p.name.split(".")[0] in name]
            figures.append((seconds, peak, sum(p.stat().st_size for p in made) / 1e3))
        (s_time, s_peak, s_size), (l_time, l_peak, l_size) = figures
        print(f"{name:<18} {s_time:>8.2f} {l_time:>8.2f} {l_time / s_time:>6.1f} "
              f"{s_peak:>9.0f} {l_peak:>8.0f} {s_size:>8.0f}kB {l_size:>7.0f}kB", flush=True)
    # One long session: every answer of it in its report.
    session_dir = work / "one-session"
    if not session_dir.exists():
        build_long_history(session_dir, bank, args.session_attempts,
                           per_session=args.session_attempts, every=timedelta(hours=1),
                           answer_seconds=30)
    out = work / "report-session.html"
    seconds, peak = run(["report", "latest", "-o", str(out)], session_dir)
    print(f"report of one session of {args.session_attempts} answers: {seconds:.2f} s, "
          f"{peak:.0f} MB, {out.stat().st_size / 1e6:.1f} MB of HTML")
    print(f"(histories kept in {work})", file=sys.stderr)


if __name__ == "__main__":
    main()
