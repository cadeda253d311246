"""What the real-Whisper tests assert, measured per voice under this CPU's instruction set: the
figures behind the tests' bounds (tests/test_transcribe.py, tests/test_delivery.py).

    CT2_FORCE_CPU_ISA=GENERIC .venv/bin/python -m benchmarks.tolerances
    CT2_FORCE_CPU_ISA=AVX2    .venv/bin/python -m benchmarks.tolerances

Prints, for espeak-ng at 130, 160 and 200 words a minute and flite: the word error rate of the
tests' plain and domain answers and the fillers kept of the filler answer; for the hedgy answer,
the hedges, repeated phrases and pace windows; and the fillers per pace window of an answer said
fast and then slow. Run it under each instruction set after `make lock` moves a package.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
from click.testing import CliRunner

from benchmarks.common import BANK
from speech_samples import synthesize, synthesize_prosody
from voiceprep.cli import main
from voiceprep.hearing.transcriber import TranscribeOptions, transcribe_file

PLAIN = ("First I would measure the latency of each request, and then I would change one thing "
         "at a time.")
DOMAIN = ("We run our training jobs on Kubernetes and watch the dashboards in Grafana. The XGBoost "
          "model is trained on SageMaker and every run is tracked in MLflow.")
FILLER = "Uh, I think we, um, retrained the model every week."
VOCABULARY = ("Kubernetes", "Grafana", "SageMaker", "XGBoost", "MLflow")
HEDGY = ("I think I started in DevOps, and maybe I moved into MLOps three years ago. The feature "
         "store was the main project. We rebuilt the feature store, and the feature store now "
         "serves fifty million predictions a day. I guess the biggest win was probably the "
         "monitoring on Kubernetes.")
FAST = ("I started in DevOps and built the deployment pipelines for every team, then I moved into "
        "MLOps and built the training platform on Kubernetes with Docker. We serve fifty million "
        "predictions a day from three regions, and every model goes through a canary release "
        "before it takes all of the traffic.")
SLOW = ("Um, and then, uh, we added monitoring, um, and it, uh, worked. Um, the alerts, uh, went "
        "down.")


def normalise(text: str) -> str:
    """As the tests compare (Whisper's own normaliser would drop the fillers counted here)."""
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text.lower()).split())


def score_audio(wav: Path) -> dict:
    result = CliRunner().invoke(main, ["score", "-q", "about-yourself", "--audio", str(wav),
                                       "--bank", str(BANK), "--json"])
    return json.loads(result.stdout)


def main_() -> None:
    import jiwer

    out = Path(tempfile.mkdtemp(prefix="tolerances-"))
    print(f"instruction set: {os.environ.get('CT2_FORCE_CPU_ISA', 'the best this CPU has')}")
    print(f"{'voice':16} {'answer':8} {'WER':>6} {'fillers':>8}  heard")
    for voice, rate in [("espeak-ng", 130), ("espeak-ng", 160), ("espeak-ng", 200),
                        ("flite", 160)]:
        for name, text in [("plain", PLAIN), ("domain", DOMAIN), ("filler", FILLER)]:
            wav = synthesize(text, out / f"{voice}-{rate}-{name}.wav", voice, rate)
            heard = transcribe_file(wav, TranscribeOptions(
                vocabulary=VOCABULARY if name == "domain" else ())).text
            words = normalise(heard).split()
            print(f"{voice + ' ' + str(rate):16} {name:8} "
                  f"{jiwer.wer(normalise(text), normalise(heard) or '<empty>'):6.3f} "
                  f"{words.count('um') + words.count('uh'):8}  {heard}")
    print(f"\n{'hedgy answer':24} {'hedges':>6} {'top repeated phrase':>26} {'windows':>8}")
    for voice, rate, lively in [("espeak-ng", 120, False), ("espeak-ng", 160, None),
                                ("espeak-ng", 220, True), ("flite", 130, True)]:
        data = score_audio(synthesize_prosody(HEDGY, out / f"h-{voice}-{rate}.wav", voice,
                                              rate=rate, lively=lively))
        top = data["repeated_phrases"][0] if data["repeated_phrases"] else {"phrase": "-",
                                                                            "count": 0}
        print(f"{voice + ' ' + str(rate):24} {data['hedges']['count']:6} "
              f"{top['phrase'] + ' x' + str(top['count']):>26} {len(data['pace_over_time']):8}")
    print(f"\n{'fast, then slow':24} words a minute and fillers per window")
    for fast_rate, slow_rate in [(260, 90), (240, 100)]:
        fast, rate = sf.read(synthesize_prosody(FAST, out / f"fast{fast_rate}.wav", "espeak-ng",
                                                rate=fast_rate), dtype="float32")
        slow, _ = sf.read(synthesize_prosody(SLOW, out / f"slow{slow_rate}.wav", "espeak-ng",
                                             rate=slow_rate), dtype="float32")
        wav = out / f"fast-slow-{fast_rate}.wav"
        sf.write(wav, np.concatenate([fast, slow]), rate)
        windows = [(w["words_per_minute"], w["fillers"]) for w in score_audio(wav)[
            "pace_over_time"]]
        print(f"{f'{fast_rate} then {slow_rate}':24} {windows}")


if __name__ == "__main__":
    main_()
