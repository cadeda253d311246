"""Where a practice run's memory goes: what each part adds when it is loaded, and what one Whisper
encoder run needs for a moment.

    .venv/bin/python -m benchmarks.memory_parts [--models tiny.en base]

Each model in a fresh process, set up as `voiceprep practice` sets itself up (one malloc arena,
MKL keeping no freed buffers, two decoding workers of one thread each). For each step it prints
the resident memory after it and the peak during it (the kernel's high-water mark, reset before
the step): the imports, the Whisper model, Silero VAD, the sentence-embedding model and one batch
of 16 embeddings, Whisper's features of a 30 s window, and encoder runs over it (what every decode
of a stretch does, as Whisper pads each stretch to 30 s): the first (which sets the encoder up),
then one alone and two at once.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from benchmarks.common import ROOT

PARTS = """
import sys, threading
from pathlib import Path

def resident():
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024

def step(name, work):
    Path("/proc/self/clear_refs").write_text("5")  # the high-water mark starts again from here
    before = resident()[0]
    work()
    now, peak = resident()
    print(f"{sys.argv[1]:>8} {name:<38} {now:6d} MB {now - before:+6d} MB {peak:6d} MB "
          f"{peak - before:+6d} MB", flush=True)

from voiceprep.memory import one_malloc_arena
one_malloc_arena()
held = {}

def imports():
    import numpy, faster_whisper, onnxruntime  # noqa: F401
    from voiceprep.audio.devices import sounddevice
    sounddevice()  # as practice imports it: the ALSA plugins unloaded once the devices are listed
    import voiceprep.practice, voiceprep.hearing.transcriber, voiceprep.scoring.score  # noqa: F401

def model():
    from voiceprep.hearing.engines import FasterWhisperEngine
    held["engine"] = FasterWhisperEngine(sys.argv[1])

def vad():
    from faster_whisper.vad import get_vad_model
    held["vad"] = get_vad_model()

def embeddings():
    from voiceprep.scoring.embedding import load_encoder
    held["encoder"] = load_encoder()

def embed():
    held["encoder"].encode([f"I moved the team's {n} services onto Kubernetes" for n in range(16)])

def features():
    import ctranslate2
    import numpy as np
    from faster_whisper.audio import pad_or_trim
    whisper = held["engine"].model
    rng = np.random.default_rng(0)
    held["windows"] = [ctranslate2.StorageView.from_array(np.ascontiguousarray(pad_or_trim(
        whisper.feature_extractor((0.1 * rng.standard_normal(30 * 16000)).astype(np.float32),
                                  chunk_length=None)[:, :3000])[None]))
        for _ in range(2)]

def encodes(count):
    # CTranslate2's own encoder, not voiceprep's cache around it (which runs one at a time)
    encode = held["engine"].model.model.encode
    threads = [threading.Thread(target=encode, args=(w,), kwargs={"to_cpu": True})
               for w in held["windows"][:count]]
    [t.start() for t in threads]
    [t.join() for t in threads]

step("imports (practice, Whisper, VAD, audio)", imports)
step("Whisper model loaded", model)
step("Silero VAD loaded", vad)
step("sentence-embedding model loaded", embeddings)
step("16 sentences embedded", embed)
step("Whisper features of two 30 s windows", features)
step("first encoder run (it sets itself up)", lambda: encodes(1))
step("one encoder run (30 s window)", lambda: encodes(1))
step("two encoder runs at once", lambda: encodes(2))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    args = parser.parse_args()
    print(f"{'model':>8} {'step':<38} {'after':>9} {'added':>9} {'peak':>9} {'above':>9}")
    for model in args.models:
        done = subprocess.run([sys.executable, "-c", PARTS, model], cwd=ROOT, text=True,
                              capture_output=True)
        print(done.stdout, end="")
        if done.returncode != 0:
            print(f"{model}: failed: {(done.stderr.strip().splitlines() or [''])[-1]}")


if __name__ == "__main__":
    main()
