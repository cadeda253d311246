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

from benchmarks.common import DATA, DEFAULT_REALSPEECH, bare_calls, make_normaliser
from benchmarks.common import HELD_OUT as HELD_OUT_QUESTIONS
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
from voiceprep.audio.load import load_audio
from voiceprep.hearing import transcriber as tx
from voiceprep.hearing.transcriber import TranscribeOptions, transcribe_audio

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
    from voiceprep.hearing.segmenter import SegmentOptions

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


# Fillers per voice, in three groups fixed before the change they judge was measured:
# - tuning: the voices the filler handling is developed on, speaking FILLER_SENTENCES and the
#   sentences of the labeled answers (tuning and held-out questions alike: all have been looked at);
# - held out: voices never listened to while tuning, speaking fresh sentences written for them
#   (data/fillers-fresh.toml); the flite and Piper ones are sox-shifted copies (pitch, tempo) of
#   voices an earlier round was judged on, since every flite and Piper voice there is has been seen;
# - seen before: the held-out voices of an earlier round, speaking the fresh sentences; flite's
#   awb, rms and slt among them are tuning voices now (the likely filler was built on them).
# Real speech: the unscripted MFA clips (fillers kept) and all the clips (fillers invented).
FILLER_VOICES = {
    "tuning": ("espeak-ng", "flite", "flite:kal16", "flite:kal@pitch=-300",
               "espeak-ng:en+m3", "espeak-ng:en-gb-x-gbclan", "flite:awb", "flite:rms",
               "flite:slt"),
    "held out": ("espeak-ng:en-gb-x-rp", "espeak-ng:en-us-nyc", "espeak-ng:en-gb-x-gbcwmd+f2",
                 "espeak-ng:en-us+m7", "flite:awb@pitch=-200@tempo=1.1", "flite:rms@tempo=0.9",
                 "flite:slt@pitch=250", "piper:joe@pitch=-250@tempo=1.1"),
    "seen before": ("espeak-ng:en-us", "espeak-ng:en-gb-scotland", "espeak-ng:en-029",
                    "espeak-ng:en-us+f3", "piper:joe"),
}
CLEAN_SENTENCES = 10  # sentences of the labeled answers with no filler, where any heard is invented


def filler_count(text: str) -> int:
    """Fillers as the score counts them (um, uh, er, erm, hmm, mm, ah, however spelled)."""
    from voiceprep.normalize import filler_form
    from voiceprep.scoring.score import FILLER_WORDS

    return sum(filler_form(w) in FILLER_WORDS for w in text.split())


def answer_sentences(held_out: bool) -> tuple[list[str], list[str]]:
    """The sentences of the labeled answers to the held-out (or the tuning) questions: those with
    a filler, and the first CLEAN_SENTENCES of the complete answers that have none."""
    import tomllib

    answers = tomllib.loads((DATA / "answers.toml").read_text())
    with_fillers, clean = [], []
    for answer in answers["answers"]:
        if (answer["question"] in HELD_OUT_QUESTIONS) != held_out:
            continue
        for sentence in re.split(r"(?<=[.?!])\s+", " ".join(answer["text"].split())):
            if filler_count(sentence):
                with_fillers.append(sentence)
            elif answer["kind"] == "complete" and len(sentence.split()) >= 6:
                clean.append(sentence)
    return with_fillers, clean[:CLEAN_SENTENCES]


def filler_sentences(part: str) -> tuple[list[str], list[str]]:
    """(sentences with fillers, sentences without) that a group of voices speaks."""
    import tomllib

    if part == "tuning":
        (tune, tune_clean), (held, held_clean) = answer_sentences(False), answer_sentences(True)
        return list(FILLER_SENTENCES) + tune + held, tune_clean + held_clean
    fresh = tomllib.loads((DATA / "fillers-fresh.toml").read_text())
    return fresh["fillers"], fresh["clean"]


def fillers_per_voice(options: TranscribeOptions, cache: Path, voices: list[str]) -> None:
    """Fillers kept and invented per voice, voiceprep against a bare call, in one run."""
    from speech_samples import have_espeak, synthesize_cached
    from voiceprep.audio.natural_voice import missing_reason

    runs = {"voiceprep": from_file(options),
            "bare call": bare_calls()["bare faster-whisper (beam 5)"]}
    print("kept: fillers in the transcript, up to the number said, of those said; invented: "
          "fillers heard in the sentences with none, and fillers beyond those said elsewhere")
    print("| voice | part | sentences | voiceprep kept | voiceprep invented | bare kept | "
          "bare invented |")
    print("|---|---|---|---|---|---|---|")
    totals: dict[tuple[str, str], list[int]] = {}
    installed = {"espeak-ng": have_espeak, "flite": have_flite,
                 "piper": lambda: missing_reason() is None}
    for voice in voices:
        part = next((p for p, group in FILLER_VOICES.items() if voice in group), "other")
        if not installed[voice.split(":")[0].split("@")[0]]():
            print(f"| {voice} | {part} (not installed) | | | | | |")
            continue
        with_fillers, clean = filler_sentences("tuning" if part == "tuning" else "fresh")
        cells = []
        for name, run in runs.items():
            kept = said = invented = 0
            for sentence in with_fillers + clean:
                heard = filler_count(run(load_audio(synthesize_cached(sentence, cache, voice))))
                expected = filler_count(sentence)
                said += expected
                kept += min(heard, expected)
                invented += max(0, heard - expected)
            cells += [f"{kept}/{said} = {kept / said:.0%}", str(invented)]
            total = totals.setdefault((part, name), [0, 0, 0])
            total[0] += kept
            total[1] += said
            total[2] += invented
        print(f"| {voice} | {part} | {len(with_fillers)} + {len(clean)} clean | "
              + " | ".join(cells) + " |", flush=True)
    for part in (*FILLER_VOICES, "other"):
        if (part, "voiceprep") in totals:
            (k, s, i), (bk, bs, bi) = totals[(part, "voiceprep")], totals[(part, "bare call")]
            print(f"| all {part} voices | | | {k}/{s} = {k / s:.0%} | {i} | "
                  f"{bk}/{bs} = {bk / bs:.0%} | {bi} |")


def fillers_on_real_clips(directory: Path, options: TranscribeOptions) -> None:
    """Fillers kept on the unscripted clips (their references transcribe them) and invented on
    all the clips, tuning and held-out clips apart, voiceprep against the same path without the
    sounds decoded alone and a bare call, in one run; with the decode time of each."""
    import voiceprep.hearing.fillers as fillers_module

    rows = list(csv.DictReader(open(directory / "manifest.tsv", encoding="utf-8"),
                               delimiter="\t"))
    clips = [("held" if any(h in r["file"] for h in HELD_OUT) else "tune", r["transcript"],
              load_audio(directory / r["file"])) for r in rows]
    lone_decodes = [0]

    def counted(samples, words, decode, **edges):
        def decode_counted(clip):
            lone_decodes[0] += 1
            return decode(clip)
        return fillers_module.fillers_heard_alone(samples, words, decode_counted, **edges)

    def without_lone_decodes(samples: np.ndarray) -> str:
        tx.fillers_heard_alone = lambda samples, words, decode, **edges: []
        try:
            return from_file(options)(samples)
        finally:
            tx.fillers_heard_alone = counted

    tx.fillers_heard_alone = counted
    runs = {"voiceprep without fillers heard alone": without_lone_decodes,
            "voiceprep": from_file(options),
            "bare call": bare_calls()["bare faster-whisper (beam 5)"]}
    shortest = min(clips, key=lambda c: len(c[2]))[2]
    for run in runs.values():  # warm up: the first decode of a run pays for loading
        run(shortest)
    lone_decodes[0] = 0
    print("| real clips | fillers kept (tuning / held-out clip) | fillers invented (13 tuning / 9 "
          "held-out clips) | decode time | vs without fillers heard alone |")
    print("|---|---|---|---|---|")
    # Clip by clip, each run in turn: a machine that gets busier mid-run slows every run alike.
    seconds = dict.fromkeys(runs, 0.0)
    kept = {name: {"tune": [0, 0], "held": [0, 0]} for name in runs}
    invented = {name: {"tune": 0, "held": 0} for name in runs}
    for part, reference, samples in clips:
        expected = filler_count(reference)
        for name, run in runs.items():
            started = time.perf_counter()
            heard = filler_count(run(samples))
            seconds[name] += time.perf_counter() - started
            kept[name][part][0] += min(heard, expected)
            kept[name][part][1] += expected
            invented[name][part] += max(0, heard - expected)
    for name in runs:
        k, i = kept[name], invented[name]
        ratio = seconds[name] / seconds["voiceprep without fillers heard alone"]
        print(f"| {name} | {k['tune'][0]}/{k['tune'][1]} / {k['held'][0]}/{k['held'][1]} | "
              f"{i['tune']} / {i['held']} | {seconds[name]:.1f} s | {ratio:.2f}x |")
    print(f"sounds decoded alone by voiceprep: {lone_decodes[0]} on {len(clips)} clips "
          f"({sum(len(c[2]) for c in clips) / 16000:.0f} s)")
    tx.fillers_heard_alone = fillers_module.fillers_heard_alone


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
    parser.add_argument("--fillers", action="store_true",
                        help="only the fillers: per voice, and on the real unscripted clips")
    parser.add_argument("--voices", default=",".join(v for g in FILLER_VOICES.values() for v in g),
                        help="voices for the fillers per voice, comma-separated (engine:variant); "
                             "empty: none, only the real clips")
    args = parser.parse_args()
    options = TranscribeOptions(engine=args.engine, model=args.model)
    normalise, normaliser_name = make_normaliser()
    cache = Path(tempfile.gettempdir()) / "voiceprep-bench-speech"
    cache.mkdir(exist_ok=True)

    section(f"model: {args.engine} {args.model or 'bundled tiny.en'}")
    started = time.perf_counter()
    tx.get_engine(options)
    print(f"model load time {time.perf_counter() - started:.2f} s")

    voices = [v for v in args.voices.split(",") if v]
    if voices:
        section("fillers per voice (synthesised speech; tuning and held-out voices)")
        fillers_per_voice(options, cache, voices)
    if (args.realspeech / "manifest.tsv").exists():
        section("fillers on real speech")
        fillers_on_real_clips(args.realspeech, options)
    if args.fillers:
        return

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

    section("domain vocabulary (synthesised speech)")
    vocabulary_terms(options, cache)

    section("hallucinated words (with the vocabulary prompt)")
    hallucinations(options, cache)


if __name__ == "__main__":
    main()
