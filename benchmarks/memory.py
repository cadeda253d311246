"""Memory of a transcription against the audio's length: voiceprep against a bare call.

    .venv/bin/python benchmarks/memory.py [--minutes 1 5 15 60] [--kinds speech noise]
        [--bare-up-to 15] [--realspeech DIR]

Writes WAV files of real human speech (the realspeech clips one after another, 0.7 s apart) and
of white noise (RMS 0.05), of each length, and runs `voiceprep transcribe` on each in its own
process. Prints the process's peak resident memory, its time, and the words it wrote; and, in
the same run, the same for a bare faster-whisper call (`decode_audio` of the whole file, then
`WhisperModel(tiny.en, int8).transcribe(beam_size=5, language="en", vad_filter=True)`), up to
`--bare-up-to` minutes. Flat means the peak at 60 minutes is the peak at 1 minute.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from benchmarks.common import ROOT
from benchmarks.latency import DEFAULT_REALSPEECH, RATE, build_answer
from speech_samples import noise

BARE = """
import sys
from faster_whisper import WhisperModel, decode_audio
from voiceprep.hearing.models import BUNDLED_MODEL, local_model_dir
model = WhisperModel(str(local_model_dir(BUNDLED_MODEL)), device="cpu", compute_type="int8")
segments, _ = model.transcribe(decode_audio(sys.argv[1]), beam_size=5, language="en",
                               vad_filter=True)
print(" ".join(s.text.strip() for s in segments))
"""


def write_audio(kind: str, minutes: float, directory: Path, realspeech: Path) -> Path:
    """The audio file, made by a child process: Linux counts the peak memory of the process a
    command is started from in the command's own peak, so this one never holds the audio."""
    path = directory / f"{kind}-{minutes:g}min.wav"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "benchmarks.memory", "--write", kind,
                        str(minutes), str(path), str(realspeech)], cwd=ROOT, check=True)
    return path


def _write_audio(kind: str, minutes: float, path: Path, realspeech: Path) -> None:
    if kind == "speech":
        samples = build_answer(realspeech, minutes * 60)
    else:  # a minute at a time, each its own draw: nothing held but the file
        samples = np.concatenate([noise("white", 60.0, level=0.05, seed=m)
                                  for m in range(int(np.ceil(minutes)))])
    sf.write(path, samples[: int(minutes * 60 * RATE)], RATE, subtype="PCM_16")


def peak_of(command: list[str]) -> tuple[float, float, str]:
    """Peak resident memory (MB), seconds and standard output of a command run to its end."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    out = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed")
    return usage.ru_maxrss / 1024, time.monotonic() - started, out


def main() -> None:
    if sys.argv[1:2] == ["--write"]:
        kind, minutes, path, realspeech = sys.argv[2:6]
        _write_audio(kind, float(minutes), Path(path), Path(realspeech))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, nargs="+", default=[1, 5, 15, 60])
    parser.add_argument("--kinds", nargs="+", choices=("speech", "noise"),
                        default=["speech", "noise"])
    parser.add_argument("--bare-up-to", type=float, default=15.0,
                        help="run the bare call up to this many minutes")
    parser.add_argument("--realspeech", type=Path, default=DEFAULT_REALSPEECH)
    args = parser.parse_args()
    if "speech" in args.kinds and not (args.realspeech / "manifest.tsv").exists():
        sys.exit(f"no real speech set at {args.realspeech}")
    work = Path(tempfile.mkdtemp(prefix="voiceprep-memory-"))
    print(f"{'audio':>16} {'voiceprep peak':>15} {'time':>7} {'words':>6} "
          f"{'bare peak':>10} {'time':>7} {'words':>6}")
    for kind in args.kinds:
        for minutes in args.minutes:
            path = write_audio(kind, minutes, work, args.realspeech)
            peak, seconds, text = peak_of([sys.executable, "-m", "voiceprep", "transcribe",
                                           str(path)])
            line = (f"{kind + f' {minutes:g} min':>16} {peak:12.0f} MB {seconds:6.0f}s "
                    f"{len(text.split()):6}")
            if minutes <= args.bare_up_to:
                bare_peak, bare_seconds, bare_text = peak_of(
                    [sys.executable, "-c", BARE, str(path)])
                line += f" {bare_peak:7.0f} MB {bare_seconds:6.0f}s {len(bare_text.split()):6}"
            print(line, flush=True)
            if kind == "noise" and text.strip():
                print(f"{'':16} voiceprep wrote: {text.strip()[:100]!r}")
            path.unlink()


if __name__ == "__main__":
    main()
