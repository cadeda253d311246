"""Answers left on disk by a run that died are found, indexed, scored and exported."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import soundfile as sf
from click.testing import CliRunner

from voiceprep.audio.recorder import WavWriter
from voiceprep.cli import main
from voiceprep.files import release_lock
from voiceprep.history.recovery import index_interrupted, unscored_attempts
from voiceprep.history.store import DB_NAME, Store

ROOT = Path(__file__).resolve().parent.parent
ANSWER = ("I started in DevOps and moved into MLOps. Today I run the platform team, "
          "on Kubernetes and Docker.")

# A practice run as far as the store and the recorder see it: a session, a claimed WAV written
# block by block by the real WavWriter, then death by SIGKILL in the middle of the answer.
DYING_RUN = """
import os, signal, sys, time
import soundfile as sf
from pathlib import Path
from voiceprep.audio.recorder import WavWriter
from voiceprep.history.store import Store
data_dir, speech, question = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
store = Store(data_dir)
session = store.start_session("Test bank")
wav = store.reserve_attempt(session, question).audio
samples, rate = sf.read(speech, dtype="float32", always_2d=True)
with WavWriter(wav, rate, 1) as writer:
    for i in range(0, len(samples), rate // 10):
        writer.write(samples[i:i + rate // 10])
    if sys.argv[4] == "hold":
        print("recording", flush=True)
        time.sleep(60)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def die_mid_answer(data_dir: Path, speech: Path, question: str = "about-yourself") -> None:
    done = subprocess.run([sys.executable, "-c", DYING_RUN, str(data_dir), str(speech), question,
                           "die"], capture_output=True, text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr


def export(data_dir: Path) -> list[dict]:
    result = CliRunner().invoke(main, ["export", "--format", "json", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_recording_that_never_got_audio_is_removed_not_indexed(data_dir, store):
    session = store.start_session("t")
    wav = store.reserve_attempt(session, "about-yourself").audio
    WavWriter(wav, 16000, 1).close()  # killed right after the microphone opened
    release_lock(session.directory)  # as if the process had died
    assert index_interrupted(data_dir) == []
    assert not wav.exists()
    assert store.session(session.id).ended_at is not None  # the session is closed


def test_a_live_session_is_left_alone_until_its_process_dies(tmp_path, data_dir, speak):
    speech = speak(ANSWER)
    proc = subprocess.Popen([sys.executable, "-c", DYING_RUN, str(data_dir), str(speech),
                             "about-yourself", "hold"], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "recording"
        assert index_interrupted(data_dir) == []  # its process holds it: still being recorded
        live = CliRunner().invoke(main, ["sessions", "--json"])
        assert live.exit_code == 0 and "found" not in live.stderr
    finally:
        proc.kill()
        proc.wait()
    added = index_interrupted(data_dir)
    assert [(a.question_id, a.status, a.score) for a in added] == [
        ("about-yourself", "interrupted", None)]


@pytest.mark.slow
def test_sigkill_mid_answer_then_next_start_indexes_and_recover_scores(tmp_path, data_dir, speak):
    speech = speak(ANSWER)
    die_mid_answer(data_dir, speech)
    wav = next(data_dir.glob("sessions/*/*.wav"))
    assert sf.info(str(wav)).duration == pytest.approx(sf.info(str(speech)).duration, abs=0.11)

    runner = CliRunner()
    first = runner.invoke(main, ["sessions", "--json"])
    assert first.exit_code == 0, first.output
    notices = [line for line in first.stderr.splitlines() if line]
    assert len(notices) == 1 and "found 1 answer(s)" in notices[0] and "recover" in notices[0]
    summary = json.loads(first.stdout)[0]
    assert summary["attempts"] == 1 and summary["interrupted"] == 1
    assert summary["ended_at"] is not None
    again = runner.invoke(main, ["sessions"])
    assert again.exit_code == 0 and "found" not in again.stderr  # indexed once only

    rows = export(data_dir)
    assert [(r["question_id"], r["status"], r["score"]) for r in rows] == [
        ("about-yourself", "interrupted", None)]
    review = runner.invoke(main, ["review"])
    assert review.exit_code == 0 and "not scored yet" in review.stderr

    recovered = runner.invoke(main, ["recover"])
    assert recovered.exit_code == 0, recovered.output
    assert "1 answer(s) recovered" in recovered.stderr
    rows = export(data_dir)
    assert len(rows) == 1
    row = rows[0]
    assert row["status"] == "interrupted" and row["score"] > 0 and row["coverage"] > 0
    transcript = json.loads((data_dir / row["transcript_path"]).read_text("utf-8"))
    assert "devops" in transcript["text"].lower()
    assert row["audio_path"] == wav.relative_to(data_dir).as_posix()
    assert runner.invoke(main, ["recover"]).stdout.startswith("nothing to recover")
    review = runner.invoke(main, ["review", "--json"])
    assert json.loads(review.stdout)["questions"][0]["attempts"][0]["score"] == row["score"]


def test_a_run_killed_after_writing_its_score_but_before_indexing_it_is_recovered(data_dir,
                                                                                 speak):
    die_mid_answer(data_dir, speak(ANSWER))
    wav = next(data_dir.glob("sessions/*/*.wav"))
    written = wav.with_suffix(".score.json")  # the run got this far, not to the index
    written.write_text(json.dumps({"coverage": 0.5}), encoding="utf-8")

    recovered = CliRunner().invoke(main, ["recover"])
    assert recovered.exit_code == 0, recovered.output
    (row,) = export(data_dir)
    # Its own score file is not another try: still the question's first attempt.
    assert (row["attempt_number"], row["status"]) == (1, "interrupted")
    assert row["score_path"] == written.relative_to(data_dir).as_posix()
    assert json.loads(written.read_text("utf-8"))["coverage"] == row["coverage"] > 0


def test_recover_needs_the_question(tmp_path, data_dir, speak):
    speech = speak("Something about a question nobody has.")
    die_mid_answer(data_dir, speech, question="no-such-question")
    result = CliRunner().invoke(main, ["recover"])
    assert result.exit_code == 2
    assert "no-such-question" in result.stderr and "--bank" in result.stderr
    with Store(data_dir) as store:
        assert len(unscored_attempts(store)) == 1  # still there, for when the bank is given


def test_the_index_lost_with_the_database_is_rebuilt_from_the_recordings(data_dir, speak):
    speech = speak(ANSWER)
    die_mid_answer(data_dir, speech)
    (data_dir / DB_NAME).unlink()
    added = index_interrupted(data_dir)
    assert len(added) == 1
    with Store(data_dir) as store:
        session = store.session(added[0].session_id)
    assert session.bank_title == "Recovered recordings"


def test_score_save_checks_the_data_directory_before_transcribing(tmp_path, monkeypatch, speak):
    import voiceprep.answer

    def never(*args, **kwargs):
        raise AssertionError("transcribed before checking the data directory")

    monkeypatch.setattr(voiceprep.answer, "answer_from_file", never)
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    started = time.monotonic()
    for target, reason in ((not_a_dir, "it is a file, not a directory"),
                           (not_a_dir / "below", "not a directory")):
        result = CliRunner().invoke(main, ["score", "-q", "about-yourself", "--audio",
                                           str(speak(ANSWER)), "--save", "--data-dir",
                                           str(target)])
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1 and "cannot use" in result.stderr
        assert reason in result.stderr
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("command", [["sessions"], ["review"], ["progress"], ["export"],
                                     ["report"], ["recover"]])
def test_a_file_as_data_directory_is_refused_by_every_command(tmp_path, command):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    result = CliRunner().invoke(main, [*command, "--data-dir", str(not_a_dir)])
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"error: cannot use {not_a_dir} as the data directory: it is a "
                             "file, not a directory\n")


def test_recovery_numbers_an_answer_as_the_store_saves_it(data_dir, store, bank):
    """One rule: the tries of the question before it in the session, counted from the files
    (a follow-up answer, indexed under the same question id, is not a try)."""
    from dataclasses import replace

    from history_data import ABOUT, DAY1, record, score_answer, timed_transcript, write_wav
    from voiceprep.history.store import AttemptFiles
    from voiceprep.scoring.followup import FOLLOW_UP_SUFFIX

    about = bank.find("about-yourself")
    session = store.start_session(bank.title, now=DAY1)
    first = record(store, session, about, ABOUT, 0.35, DAY1)
    follow_up = store.reserve_attempt(session, f"{about.id}-{FOLLOW_UP_SUFFIX}")
    transcript = timed_transcript("I lead the platform team", 0.35)
    store.save_attempt(session, about, follow_up, transcript, score_answer(about, transcript),
                       started_at=DAY1, ended_at=DAY1, duration_seconds=None,
                       follow_up_of=first.id)
    retry = store.reserve_attempt(session, about.id).audio  # a run killed during the retry
    write_wav(retry, 2.0)
    release_lock(session.directory)

    (indexed,) = index_interrupted(data_dir)
    assert indexed.audio_path.endswith("03-about-yourself.wav")
    assert (indexed.attempt_number, indexed.status) == (2, "interrupted")
    stem = retry.with_suffix("")
    saved = store.save_attempt(session, about, replace(AttemptFiles.at(stem), audio=retry),
                               transcript, score_answer(about, transcript), started_at=DAY1,
                               ended_at=DAY1, duration_seconds=2.0, status="interrupted",
                               replacing=indexed)
    assert (saved.id, saved.attempt_number) == (indexed.id, 2)
    assert len(store.attempts()) == 3


def test_a_follow_up_answer_cut_short_is_recovered_as_the_follow_up(data_dir, store, bank, speak):
    """A run killed while the answer to a follow-up question was recorded: that answer is the
    follow-up of the one before, scored on the points that one missed, as in practice."""
    import shutil

    from history_data import DAY1, record
    from voiceprep.hearing.transcriber import TranscribeOptions
    from voiceprep.history.recovery import recover
    from voiceprep.scoring.followup import FOLLOW_UP_SUFFIX, follow_up_question

    drift = bank.find("drift")
    session = store.start_session(bank.title, now=DAY1)
    first = record(store, session, drift, "we retrain on a schedule", 0.35, DAY1)
    asked = follow_up_question(drift, store.load(first).score)
    assert asked is not None and [k.id for k in asked.key_points] == ["psi"]
    wav = store.reserve_attempt(session, f"{drift.id}-{FOLLOW_UP_SUFFIX}").audio
    shutil.copyfile(speak("We track the population stability index of every input."), wav)
    release_lock(session.directory)

    (indexed,) = index_interrupted(data_dir)
    assert (indexed.question_id, indexed.follow_up_of) == (drift.id, first.id)
    (kept,), problems = recover(store, bank, TranscribeOptions())
    assert problems == []
    assert (kept.question_id, kept.follow_up_of, kept.status) == (drift.id, first.id,
                                                                   "interrupted")
    saved = store.load(kept)
    assert saved.question is not None and saved.question.prompt == asked.prompt
    assert [k.id for k in saved.question.key_points] == [k.id for k in asked.key_points]
    assert [k.id for k in saved.score.key_points] == [k.id for k in asked.key_points]
    assert saved.transcript.text


def test_an_index_made_again_keeps_every_saved_attempt_as_it_was(data_dir, store, bank):
    """The score files are the record: with the database deleted (it was corrupted, say), the
    index made again holds every answer as saved, complete ones complete, their follow-ups
    linked and their session's bank named, with nothing left to recover."""
    from history_data import (
        DAY1,
        DRIFT_PARTIAL,
        build_history,
        record,
        record_follow_up,
        score_answer,
        timed_transcript,
    )

    build_history(store, bank)
    session = store.start_session(bank.title)
    drift = bank.find("drift")
    first = record(store, session, drift, DRIFT_PARTIAL, 0.3, DAY1)
    record_follow_up(store, session, drift, "we watch the population stability index", first,
                     DAY1)
    transcript = timed_transcript("I lead the platform team", 0.3)
    typed = store.reserve_attempt(session, "about-yourself")  # typed: no recording
    store.save_attempt(session, bank.find("about-yourself"), typed, transcript,
                       score_answer(bank.find("about-yourself"), transcript), started_at=DAY1,
                       ended_at=DAY1, duration_seconds=None)
    store.end_session(session.id)
    before = export(data_dir)
    titles = {s.id: s.bank_title for s in store.session_index().values()}
    store.close()
    (data_dir / DB_NAME).unlink()

    runner = CliRunner()
    listed = runner.invoke(main, ["sessions"])
    assert listed.exit_code == 0
    assert listed.stderr == ("indexed 7 saved answer(s) the history did not list (its index "
                             "was made again from their files)\n")
    after = export(data_dir)
    ids = {a["id"]: b["id"] for a, b in zip(before, after, strict=True)}
    for row in before:  # the same answers, figures and status; ids given anew
        row["id"] = ids[row["id"]]
        row["follow_up_of"] = ids.get(row["follow_up_of"])
    for a, b in zip(after, before, strict=True):
        assert a == b, {k: (a[k], b.get(k)) for k in a if a[k] != b.get(k)}
    assert [r["status"] for r in after].count("complete") == len(after) == 7
    assert sum(r["follow_up_of"] is not None for r in after) == 1
    with Store(data_dir) as rebuilt:
        assert {s.id: s.bank_title for s in rebuilt.session_index().values()} == titles
    assert runner.invoke(main, ["recover"]).stdout.startswith("nothing to recover")


def test_an_answer_and_its_follow_up_both_left_unscored_are_recovered(data_dir, store, bank,
                                                                     speak):
    # The follow-up's row refers to the answer's: scoring the answer fills in its row.
    import shutil

    from voiceprep.hearing.transcriber import TranscribeOptions
    from voiceprep.history.recovery import recover
    from voiceprep.scoring.followup import FOLLOW_UP_SUFFIX

    session = store.start_session(bank.title)
    for name, text in (("drift", "We retrain the model every week on a schedule."),
                       (f"drift-{FOLLOW_UP_SUFFIX}", "We track the population stability index.")):
        shutil.copyfile(speak(text), store.reserve_attempt(session, name).audio)
    release_lock(session.directory)
    answer, follow_up = index_interrupted(data_dir)
    assert follow_up.follow_up_of == answer.id

    kept, problems = recover(store, bank, TranscribeOptions())
    assert problems == []
    assert [(k.id, k.follow_up_of) for k in kept] == [(answer.id, None), (follow_up.id, answer.id)]
    assert all(k.score_path is not None for k in store.attempts())


def test_recover_scores_what_it_can_and_names_what_it_cannot(tmp_path, data_dir, store, bank,
                                                             speak):
    """An answer to a question no bank has, or a recording that cannot be read, waits for
    another run; the other answers are scored. A copy of a session folder made by hand is no
    session."""
    import shutil

    session = store.start_session(bank.title)
    speech = speak("We retrain the model every week on a schedule.")
    for name in ("retired-question", "drift", "about-yourself"):
        shutil.copyfile(speech, store.reserve_attempt(session, name).audio)
    broken = session.directory / "03-about-yourself.wav"
    broken.write_bytes(b"RIFF" + bytes(200))
    release_lock(session.directory)
    shutil.copytree(session.directory, session.directory.with_name(session.id + " copy"))

    outcome = CliRunner().invoke(main, ["recover", "--bank", str(tmp_path / "bank.toml")])
    assert outcome.exit_code == 2, outcome.output
    assert outcome.stdout.startswith(f"{session.id} drift attempt 1: score ")
    assert "warning: left unscored: question 'retired-question'" in outcome.stderr
    assert outcome.stderr.splitlines()[-1].startswith("error: cannot decode audio file")
    with Store(data_dir) as history:
        assert sorted((a.question_id, a.score_path is None) for a in history.attempts()) == [
            ("about-yourself", True), ("drift", False), ("retired-question", True)]
        assert [s.id for s in history.session_index().values()] == [session.id]


def test_an_answer_indexed_by_another_process_meanwhile_is_not_indexed_twice(data_dir, store,
                                                                             bank):
    # Two commands started at once on a data directory whose index was deleted both make it
    # again: each answer is indexed once, whichever gets there first.
    from history_data import DAY1, DRIFT_PARTIAL, record
    from voiceprep.history.store import AttemptFiles

    session = store.start_session(bank.title, now=DAY1)
    first = record(store, session, bank.find("drift"), DRIFT_PARTIAL, 0.3, DAY1)
    store.end_session(session.id)
    store.close()
    (data_dir / DB_NAME).unlink()
    files = AttemptFiles.at(session.directory / "01-drift")
    with Store(data_dir) as one, Store(data_dir) as other:
        assert one.index_saved(session.id, "drift", files) is not None
        assert other.index_saved(session.id, "drift", files) is None
        assert other.index_recording(session.id, "drift", files.audio, ended_at=DAY1,
                                     duration_seconds=1.0) is None
        assert [a.score for a in other.attempts()] == [first.score]
