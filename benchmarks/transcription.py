"""Transcription figures: WER on real speech, filler survival, hallucinations, speed.

    .venv/bin/python -m benchmarks.transcription [--engine E] [--model M] [--realspeech DIR]

First, the decoding recipes side by side in one run on the real-speech clips: voiceprep's
default from a file and fed live in 0.1 s blocks, the candidates it was chosen from, and a bare
faster-whisper call of the same model (WER on the tuning part, the held-out part and all; fillers
kept on the unscripted clips; time against the bare call).

Prints word error rate per clip and overall on the real human speech set (LibriSpeech clean clips
separately, to compare with the published tiny.en figure of about 5.6% on test-clean), the share
of spoken fillers that survive (synthesised speech and real unscripted speech), words hallucinated
on 30 s of silence and noise and after an answer (with and without the guards), and the real-time
factor (audio seconds per wall second) and model load time.
"""

from __future__ import annotations

import argparse
import csv
import re
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import jiwer
import numpy as np

from benchmarks.common import DEFAULT_REALSPEECH, bare_calls, make_normaliser
from speech_samples import (
    DOMAIN_SENTENCES,
    DOMAIN_TERMS,
    FILLER_SENTENCES,
    FILLERS,
    have_flite,
    noise,
    pad_with_silence,
    synthesize_cached,
)
from voiceprep import transcribe as tx
from voiceprep.audio import load_audio
from voiceprep.transcribe import TranscribeOptions, transcribe_audio

STOCK_PHRASES = re.compile(r"\b(thank|thanks|watching|subscribe|bye)\b", re.IGNORECASE)


def words_of(text: str) -> list[str]:
    return re.sub(r"[^a-z' ]", " ", text.lower().replace("y'know", "yknow")).split()


def filler_survival(pairs: list[tuple[str, str]]) -> tuple[int, int]:
    """(survived, spoken): fillers in the reference that the transcript also has, by count."""
    survived = spoken = 0
    for reference, hypothesis in pairs:
        ref, hyp = words_of(reference), words_of(hypothesis)
        for filler in FILLERS:
            spoken += ref.count(filler)
            survived += min(ref.count(filler), hyp.count(filler))
    return survived, spoken


def section(title: str) -> None:
    print(f"\n== {title}")


def wer_on_realspeech(directory: Path, options: TranscribeOptions, normalise, label: str,
                      show_clips: bool) -> tuple[float, float, float, list[tuple[str, str]]]:
    rows = list(csv.DictReader(open(directory / "manifest.tsv", encoding="utf-8"),
                               delimiter="\t"))
    refs, hyps, libri_refs, libri_hyps, mfa = [], [], [], [], []
    audio_seconds = wall_seconds = 0.0
    if show_clips:
        print(f"{'clip':58} {'sec':>6} {'WER':>7}")
    for row in rows:
        samples = load_audio(directory / row["file"])
        started = time.perf_counter()
        hypothesis = transcribe_audio(samples, 16000, options).text
        wall_seconds += time.perf_counter() - started
        audio_seconds += len(samples) / 16000
        ref, hyp = normalise(row["transcript"]), normalise(hypothesis)
        refs.append(ref)
        hyps.append(hyp)
        if "librispeech" in row["file"]:
            libri_refs.append(ref)
            libri_hyps.append(hyp)
        if "_mfa_" in row["file"]:
            mfa.append((row["transcript"], hypothesis))
        if show_clips:
            print(f"{row['file'][:58]:58} {len(samples) / 16000:6.1f} "
                  f"{jiwer.wer(ref, hyp or '<empty>'):7.1%}")
    overall = jiwer.wer(refs, [h or "<empty>" for h in hyps])
    libri = jiwer.wer(libri_refs, [h or "<empty>" for h in libri_hyps])
    print(f"{label}: overall WER {overall:.1%} on {len(rows)} clips ({audio_seconds:.0f} s); "
          f"LibriSpeech clean {libri:.1%} on {len(libri_refs)} clips; "
          f"real-time factor {audio_seconds / wall_seconds:.1f}x")
    return overall, libri, audio_seconds / wall_seconds, mfa


# Clips the recipe was not tuned on (the rest were used to choose it).
HELD_OUT = ("jfk", "timit", "ljspeech", "test-clean", "sonnet003", "sickvoice", "0890", "osr_")
FILLER_RE = re.compile(r"\b(um+|uh+)\b", re.IGNORECASE)


def live(options: TranscribeOptions):
    def run(samples: np.ndarray) -> str:
        transcriber = tx.Transcriber(options)
        for at in range(0, len(samples), 1600):
            transcriber.feed(samples[at:at + 1600])
        return transcriber.finish().text
    return run


def from_file(options: TranscribeOptions):
    return lambda samples: transcribe_audio(samples, 16000, options).text


def recipes(directory: Path, options: TranscribeOptions, normalise) -> None:
    """Every candidate on every clip, in one run, against the bare call."""
    from voiceprep.segmenter import SegmentOptions

    candidates = {
        "voiceprep (default), from a file": from_file(options),
        "voiceprep (default), live in 0.1 s blocks": live(options),
        "words pass only (keep_fillers=False)": from_file(replace(options, keep_fillers=False)),
        "one pass, filler cue in its prompt": from_file(replace(
            options, keep_fillers=False, initial_prompt=tx.FILLER_PROMPT)),
        "no words said before in the prompt": from_file(replace(options, previous_words=0)),
        "stretches closed at 0.5 s pauses": from_file(replace(
            options, segments=SegmentOptions(close_pause_seconds=0.5))),
        "stretches from 12 s": from_file(replace(
            options, segments=SegmentOptions(min_stretch_seconds=12))),
        "0.5 s pads": from_file(replace(options, segments=SegmentOptions(pad_seconds=0.5))),
        **bare_calls(),
    }
    rows = list(csv.DictReader(open(directory / "manifest.tsv", encoding="utf-8"),
                               delimiter="\t"))
    clips = [(r, load_audio(directory / r["file"])) for r in rows]
    spoken_fillers = sum(len(FILLER_RE.findall(r["transcript"])) for r, _ in clips
                         if "_mfa_" in r["file"])
    results = {}
    for name, run in candidates.items():
        out = {"tune": ([], []), "held": ([], []), "all": ([], [])}
        kept = 0
        started = time.perf_counter()
        for row, samples in clips:
            text = run(samples)
            ref, hyp = normalise(row["transcript"]), normalise(text) or "<empty>"
            part = "held" if any(h in row["file"] for h in HELD_OUT) else "tune"
            for key in (part, "all"):
                out[key][0].append(ref)
                out[key][1].append(hyp)
            if "_mfa_" in row["file"]:
                kept += min(len(FILLER_RE.findall(row["transcript"])), len(FILLER_RE.findall(text)))
        seconds = time.perf_counter() - started
        results[name] = ({k: jiwer.wer(*v) for k, v in out.items()}, kept, seconds)
    base = results["bare faster-whisper (beam 5)"][2]
    print("| recipe | WER tuning | WER held out | WER all | fillers kept | time vs bare |")
    print("|---|---|---|---|---|---|")
    for name, (wer, kept, seconds) in results.items():
        print(f"| {name} | {wer['tune']:.1%} | {wer['held']:.1%} | {wer['all']:.1%} | "
              f"{kept}/{spoken_fillers} | {seconds / base:.2f}x |")


def synthetic_fillers(options: TranscribeOptions, cache: Path) -> None:
    voices = ["espeak-ng"] + (["flite"] if have_flite() else [])
    for voice in voices:
        pairs = []
        for sentence in FILLER_SENTENCES:
            wav = synthesize_cached(sentence, cache, voice)
            pairs.append((sentence, transcribe_audio(load_audio(wav), 16000, options).text))
        survived, spoken = filler_survival(pairs)
        print(f"synthesised ({voice}, {len(pairs)} answers): {survived}/{spoken} fillers survive "
              f"= {survived / spoken:.0%}")


def vocabulary_terms(options: TranscribeOptions, cache: Path) -> None:
    voices = ["espeak-ng"] + (["flite"] if have_flite() else [])
    for label, vocabulary in (("without vocabulary", ()), ("with vocabulary", DOMAIN_TERMS)):
        right = total = 0
        for voice in voices:
            for sentence in DOMAIN_SENTENCES:
                wav = synthesize_cached(sentence, cache, voice)
                text = transcribe_audio(load_audio(wav), 16000,
                                        replace(options, vocabulary=vocabulary)).text.lower()
                for term in DOMAIN_TERMS:
                    if term.lower() in sentence.lower():
                        total += 1
                        right += term.lower() in text
        print(f"domain terms spelled right {label}: {right}/{total} = {right / total:.0%} "
              f"({', '.join(voices)})")


def hallucinations(options: TranscribeOptions, cache: Path) -> None:
    biased = replace(options, vocabulary=DOMAIN_TERMS)
    inputs = {"30 s silence": np.zeros(30 * 16000, dtype=np.float32)}
    for kind in ("white", "pink", "brown"):
        for level in (0.01, 0.1):
            inputs[f"30 s {kind} noise, RMS {level}"] = noise(kind, 30.0, level=level)
    print(f"{'input':34} {'guards on':>10} {'guards off':>11}")
    for name, samples in inputs.items():
        counts = []
        for guards in (True, False):
            transcript = transcribe_audio(samples, 16000, replace(biased, guards=guards))
            counts.append(len(transcript.words) if transcript.words else
                          len(transcript.text.split()))
            if not guards and transcript.text:
                name_shown = f"{name} -> {transcript.text[:40]!r}"
        print(f"{name:34} {counts[0]:>10} {counts[1]:>11}"
              + (f"   (off: {name_shown.split('-> ')[1]})" if counts[1] else ""))
    # Trailing silence after a real answer, with the biasing prompt (where tiny.en was seen to
    # append "Thanks for watching.").
    for guards in (True, False):
        stock = added = 0
        for sentence in DOMAIN_SENTENCES + FILLER_SENTENCES:
            wav = synthesize_cached(sentence, cache)
            padded = cache / f"{wav.stem}-trailing.wav"
            if not padded.exists():
                pad_with_silence(wav, padded, after=15.0)
            speech_end = len(load_audio(wav)) / 16000
            transcript = transcribe_audio(load_audio(padded), 16000, replace(biased, guards=guards))
            stock += len(STOCK_PHRASES.findall(transcript.text))
            added += sum(1 for w in transcript.words if (w.start or 0) > speech_end + 0.3)
        n = len(DOMAIN_SENTENCES + FILLER_SENTENCES)
        print(f"answer + 15 s silence ({n} answers), guards {'on' if guards else 'off'}: "
              f"{stock} stock-phrase words, {added} words after the speech ended")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", default="faster-whisper")
    parser.add_argument("--model", default=None)
    parser.add_argument("--realspeech", type=Path, default=DEFAULT_REALSPEECH)
    parser.add_argument("--clips", action="store_true", help="print WER per clip too")
    args = parser.parse_args()
    options = TranscribeOptions(engine=args.engine, model=args.model)
    normalise, normaliser_name = make_normaliser()
    cache = Path(tempfile.gettempdir()) / "voiceprep-bench-speech"
    cache.mkdir(exist_ok=True)

    section(f"model: {args.engine} {args.model or 'bundled tiny.en'}")
    started = time.perf_counter()
    tx.get_engine(options)
    print(f"model load time {time.perf_counter() - started:.2f} s")

    if (args.realspeech / "manifest.tsv").exists():
        section(f"decoding recipes on real speech (normaliser: {normaliser_name})")
        recipes(args.realspeech, options, normalise)
        section(f"WER on real speech ({args.realspeech}; normaliser: {normaliser_name})")
        _, _, _, mfa = wer_on_realspeech(args.realspeech, options, normalise,
                                         "default (filler prompt)", show_clips=True)
        _, _, _, mfa_plain = wer_on_realspeech(
            args.realspeech, replace(options, keep_fillers=False), normalise,
            "no prompt", show_clips=args.clips)
        section("filler survival on real unscripted speech (MFA clips, fillers transcribed)")
        for label, pairs in (("default (filler prompt)", mfa), ("no prompt", mfa_plain)):
            survived, spoken = filler_survival(pairs)
            print(f"{label}: {survived}/{spoken} um/uh survive = {survived / spoken:.0%}")
    else:
        print(f"\n(no real speech set at {args.realspeech}: WER skipped)")

    section("filler survival on synthesised speech")
    synthetic_fillers(options, cache)
    print("without the filler prompt:")
    synthetic_fillers(replace(options, keep_fillers=False), cache)

    section("domain vocabulary (synthesised speech)")
    vocabulary_terms(options, cache)

    section("hallucinated words (with the vocabulary prompt)")
    hallucinations(options, cache)


if __name__ == "__main__":
    main()
