"""The session store against a real SQLite database and real files."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta

import pytest
import soundfile as sf
from click.testing import CliRunner

from history_data import (
    DAY1,
    DAY2,
    DRIFT_FULL,
    DRIFT_PARTIAL,
    build_history,
    record,
    run,
    score_answer,
    timed_transcript,
    write_wav,
)
from voiceprep.cli import main
from voiceprep.errors import StoreError
from voiceprep.history.migrations import MIGRATIONS, migrate
from voiceprep.history.review import review_session
from voiceprep.history.store import Session, Store, open_db


def table_columns(db, table):
    return [r[1] for r in db.execute(f"PRAGMA table_info({table})")]


def test_open_db_creates_the_directory_and_applies_every_migration(data_dir):
    db = open_db(data_dir)
    names = [r[0] for r in db.execute("SELECT name FROM migrations ORDER BY rowid")]
    assert names == [name for name, _ in MIGRATIONS]
    assert "target_min" in table_columns(db, "attempts")
    assert (data_dir / "voiceprep.db").is_file()
    db.close()


def test_reopening_applies_nothing_twice(data_dir, store):
    open_db(data_dir).close()
    db = open_db(data_dir)
    assert migrate(db) == []
    assert db.execute("SELECT COUNT(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)
    db.close()


def test_upgrading_an_old_database_keeps_its_history(data_dir, store, bank):
    # A database as the first release left it: only the initial migration, with one attempt.
    data_dir.mkdir()
    session = Session("20250101-090000", "2025-01-01T09:00:00+00:00", None, "old", data_dir)
    session.directory.mkdir(parents=True)
    transcript = timed_transcript(DRIFT_FULL, 0.4)
    score = score_answer(bank.find("drift"), transcript)
    (session.directory / "01-drift.score.json").write_text(json.dumps(score.to_dict()))
    (session.directory / "01-drift.transcript.json").write_text(json.dumps(transcript.to_dict()))
    old = sqlite3.connect(data_dir / "voiceprep.db", isolation_level=None)
    assert migrate(old, MIGRATIONS[:1]) == ["m001_initial"]
    old.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)", ("20250101-090000",
                "2025-01-01T09:00:00+00:00", "2025-01-01T09:10:00+00:00", "old"))
    old.execute(
        "INSERT INTO attempts (session_id, question_id, category, attempt_number, started_at,"
        " coverage, words_per_minute, score, status, transcript_path, score_path)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        ("20250101-090000", "drift", "technical", 1, "2025-01-01T09:01:00+00:00", 0.75, 140.0,
         80, "complete", "sessions/20250101-090000/01-drift.transcript.json",
         "sessions/20250101-090000/01-drift.score.json"))
    old.close()

    db = open_db(data_dir)
    assert [r[0] for r in db.execute("SELECT name FROM migrations ORDER BY rowid")] == [
        "m001_initial", "m002_target_range", "m003_indexes", "m004_delivery_and_follow_ups",
        "m005_getting_to_the_point"]
    db.close()
    [attempt] = store.attempts()
    assert (attempt.question_id, attempt.coverage, attempt.words_per_minute, attempt.score) == (
        "drift", 0.75, 140.0, 80)
    # The new columns are filled in from the attempt's score file.
    assert (attempt.target_min, attempt.target_max) == (6, 12)
    # An old attempt is nobody's follow-up; its hedges and pitch were never measured.
    assert attempt.follow_up_of is None and attempt.hedges_per_minute is None
    assert store.session("latest").bank_title == "old"
    saved = store.load(attempt)
    assert saved.transcript.text == DRIFT_FULL and saved.score.question_id == "drift"
    assert saved.question is None and saved.score == score
    # Its score file predates the question snapshot: the review still shows the answer.
    [question] = review_session(store, store.session("latest")).questions
    assert question.target_seconds == (6, 12) and question.reference == ""
    assert [s.key_point for s in question.attempts[0].spans if s.key_point] == [
        k.id for k in saved.score.key_points if k.covered]


def test_a_failing_migration_rolls_back_and_leaves_the_database_as_it_was(data_dir):
    db = open_db(data_dir)

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("boom")

    with pytest.raises(sqlite3.OperationalError):
        migrate(db, MIGRATIONS + [("m999_broken", broken)])
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half_done" not in tables
    assert db.execute("SELECT COUNT(*) FROM migrations WHERE name='m999_broken'").fetchone()[0] == 0
    db.close()


def test_session_ids_are_timestamps_and_unique(data_dir, store):
    moment = datetime(2026, 11, 27, 15, 1, 2)
    first = store.start_session("bank", now=moment)
    second = store.start_session("bank", now=moment)
    assert first.id == "20261127-150102"
    assert second.id == "20261127-150102-2"
    assert first.directory.is_dir()
    ended = store.end_session(first.id, now=moment + timedelta(minutes=7))
    assert ended.ended_at.startswith("2026-11-27T15:08:02")


def test_attempt_paths_are_unique_per_attempt(data_dir, store):
    session = store.start_session("bank", now=DAY1)
    a = store.reserve_attempt(session, "drift")
    b = store.reserve_attempt(session, "drift")
    c = store.reserve_attempt(session, "about-yourself")
    assert [f.audio.name for f in (a, b, c)] == ["01-drift.wav", "02-drift.wav",
                                                  "03-about-yourself.wav"]
    assert (a.transcript.name, a.score.name) == ("01-drift.transcript.json", "01-drift.score.json")
    assert a.audio.parent == data_dir / "sessions" / session.id
    assert not a.audio.exists()  # reserving writes nothing
    # Another store on the same directory numbers after the files already written.
    a.audio.write_bytes(b"RIFF")
    with Store(data_dir) as other:
        assert other.reserve_attempt(session, "drift").audio.name == "02-drift.wav"


def test_save_attempt_writes_files_and_indexes_the_figures(data_dir, store, bank):
    drift = bank.find("drift")
    session = store.start_session(bank.title, now=DAY1)
    first = record(store, session, drift, DRIFT_PARTIAL, 0.3, DAY1)
    retry = record(store, session, drift, DRIFT_FULL, 0.4, DAY1 + timedelta(minutes=2))
    assert (first.attempt_number, retry.attempt_number) == (1, 2)
    assert first.audio_path == f"sessions/{session.id}/01-drift.wav"
    assert first.transcript_path == f"sessions/{session.id}/01-drift.transcript.json"
    assert first.score_path == f"sessions/{session.id}/01-drift.score.json"
    assert retry.audio_path == f"sessions/{session.id}/02-drift.wav"
    for rel in (first.audio_path, first.transcript_path, first.score_path):
        assert (data_dir / rel).is_file()

    saved = store.load(retry)
    expected = score_answer(drift, timed_transcript(DRIFT_FULL, 0.4))
    transcript = saved.transcript
    assert transcript.text == DRIFT_FULL and len(transcript.words) == len(DRIFT_FULL.split())
    assert saved.score == expected and saved.question == drift
    assert saved.question.reference.startswith("Monitor input distributions")
    detail = json.loads((data_dir / retry.score_path).read_text())
    assert detail["attempt_number"] == 2 and detail["session_id"] == session.id
    # The file is the score's JSON, then the attempt's facts and the question as asked.
    assert list(detail)[:len(expected.to_dict())] == list(expected.to_dict())
    assert {k: detail[k] for k in expected.to_dict()} == saved.score.to_dict()
    assert detail["question"] == saved.question.to_dict()
    assert json.loads((data_dir / retry.transcript_path).read_text()) == transcript.to_dict()
    assert (retry.coverage, retry.score, retry.words_per_minute) == (
        expected.coverage, expected.score, expected.words_per_minute)
    assert retry.filler_count == expected.fillers.count
    assert retry.fillers_per_minute == expected.fillers.per_minute
    assert (retry.target_min, retry.target_max, retry.category) == (6, 12, "technical")
    assert retry.duration_seconds == pytest.approx(transcript.duration_seconds)
    assert first.filler_count == 4  # "um", "uh", "um", "uh"


def test_attempts_are_numbered_per_question_even_when_one_id_ends_another(store, bank):
    from dataclasses import replace

    drift = bank.find("drift")
    data_drift = replace(drift, id="data-drift")  # its files end in "-drift.score.json" too
    session = store.start_session(bank.title, now=DAY1)
    record(store, session, data_drift, DRIFT_FULL, 0.4, DAY1)
    record(store, session, data_drift, DRIFT_FULL, 0.4, DAY1 + timedelta(minutes=1))
    first = record(store, session, drift, DRIFT_PARTIAL, 0.3, DAY1 + timedelta(minutes=2))
    assert first.attempt_number == 1
    assert first.score_path == f"sessions/{session.id}/03-drift.score.json"


def test_a_typed_answer_without_audio_is_saved_too(data_dir, store, bank):
    about = bank.find("about-yourself")
    session = store.start_session(bank.title, now=DAY1)
    transcript = timed_transcript("I started in devops", 0.3)
    attempt = store.save_attempt(session, about, store.reserve_attempt(session, about.id),
                                 transcript, score_answer(about, transcript), started_at=DAY1,
                                 ended_at=DAY1, duration_seconds=None, status="interrupted")
    assert attempt.audio_path is None and attempt.status == "interrupted"
    assert attempt.score_path == f"sessions/{session.id}/01-about-yourself.score.json"
    again = record(store, session, about, "I started in devops", 0.3, DAY1)
    assert again.audio_path.endswith("02-about-yourself.wav") and again.attempt_number == 2


def test_files_survive_when_the_index_cannot_be_written(data_dir, store, bank):
    drift = bank.find("drift")
    session = store.start_session(bank.title, now=DAY1)
    db = open_db(data_dir)
    db.execute("DROP TABLE attempts")  # the index is gone; the answer must not be
    db.close()
    with pytest.raises(StoreError, match="saved in .*01-drift.score.json but could not be"):
        record(store, session, drift, DRIFT_FULL, 0.4, DAY1)
    saved = json.loads((session.directory / "01-drift.score.json").read_text())
    assert saved["transcript"] == DRIFT_FULL
    assert (session.directory / "01-drift.transcript.json").is_file()


def test_bad_status_is_refused(data_dir, store, bank):
    session = store.start_session(bank.title, now=DAY1)
    with pytest.raises(StoreError, match="status"):
        record(store, session, bank.find("drift"), DRIFT_FULL, 0.4, DAY1, status="paused")


def test_list_sessions_newest_first_with_counts_and_averages(data_dir, store, bank):
    s1, s2 = build_history(store, bank)
    summaries = store.sessions()
    assert [s.id for s in summaries] == [s2.id, s1.id] == ["20261124-190000", "20261120-183000"]
    newest = summaries[0]
    assert (newest.attempts, newest.questions, newest.interrupted) == (2, 1, 0)
    attempts = store.attempts(session_id=s2.id)
    assert newest.average_coverage == pytest.approx(
        sum(a.coverage for a in attempts) / 2, abs=1e-4)
    assert newest.average_words_per_minute == pytest.approx(
        sum(a.words_per_minute for a in attempts) / 2, abs=0.06)
    assert summaries[1].attempts == 2 and summaries[1].questions == 2


def test_get_session_by_latest_id_and_prefix(data_dir, store, bank):
    s1, s2 = build_history(store, bank)
    assert store.session("latest").id == s2.id
    assert store.session(s1.id).id == s1.id
    assert store.session("20261120").id == s1.id
    with pytest.raises(StoreError, match="ambiguous"):
        store.session("202611")
    with pytest.raises(StoreError, match="no session '1999'"):
        store.session("1999")


def test_no_history_yet(data_dir, store):
    assert store.sessions() == []
    assert store.attempts() == []
    with pytest.raises(StoreError, match="no sessions in .* yet"):
        store.session("latest")
    assert not data_dir.exists()  # reading never creates the data directory


def test_list_attempts_filters(data_dir, store, bank):
    build_history(store, bank)
    assert [a.attempt_number for a in store.attempts(question_id="drift")] == [
        1, 1, 2]
    assert [a.question_id for a in store.attempts(category="Behavioral")] == [
        "about-yourself"]
    assert len(store.attempts()) == 4


def test_missing_files_give_a_clear_error(data_dir, store, bank):
    build_history(store, bank)
    attempt = store.attempts()[0]
    (data_dir / attempt.transcript_path).unlink()
    with pytest.raises(StoreError, match="transcript of attempt .* is missing"):
        store.load(attempt)


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b"\x00" * 4096])
def test_a_corrupt_database_is_one_clear_error(data_dir, store, content):
    data_dir.mkdir()
    (data_dir / "voiceprep.db").write_bytes(content)
    with pytest.raises(StoreError, match="not a usable voiceprep database"):
        store.sessions()


def test_recent_coverage_is_newest_first_per_question(data_dir, store, bank):
    build_history(store, bank)
    about = store.attempts(question_id="about-yourself")[0].coverage
    drift = [a.coverage for a in store.attempts(question_id="drift")]
    assert about == 1.0 and sum(drift) / 3 < 1.0
    assert store.recent_coverage() == {"drift": drift[::-1], "about-yourself": [about]}
    assert store.recent_coverage(per_question=2)["drift"] == drift[:0:-1]
    with Store(data_dir / "empty") as empty:
        assert empty.recent_coverage() == {}
    assert not (data_dir / "empty").exists()


def test_import_recording_copies_the_file_into_a_new_session(data_dir, store, bank, tmp_path):
    drift = bank.find("drift")
    source = write_wav(tmp_path / "my answer.wav", 3.0)
    transcript = timed_transcript(DRIFT_FULL, 0.1)
    attempt = store.import_recording(source, drift, transcript,
                                     score_answer(drift, transcript), now=DAY2)
    assert attempt.audio_path == "sessions/20261124-190000/01-drift.wav"
    assert (data_dir / attempt.audio_path).read_bytes() == source.read_bytes()
    assert attempt.duration_seconds == pytest.approx(3.0)
    session = store.session("latest")
    assert session.bank_title == "Imported recordings" and session.ended_at is not None
    with pytest.raises(StoreError, match="no recording at"):
        store.import_recording(tmp_path / "nope.wav", drift, transcript,
                               score_answer(drift, transcript))


# ---- through the command line ----------------------------------------------------------


def test_sessions_json_newest_first_with_counts_and_averages(data_dir, store, history):
    s1, s2 = history
    result = run("sessions", "--json", data_dir=data_dir)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [s["id"] for s in data] == [s2.id, s1.id]
    attempts = store.attempts(session_id=s1.id)
    assert data[1]["attempts"] == 2 and data[1]["questions"] == 2
    assert data[1]["average_coverage"] == pytest.approx(
        sum(a.coverage for a in attempts) / 2, abs=1e-4)
    assert data[1]["average_score"] == pytest.approx(sum(a.score for a in attempts) / 2, abs=0.06)
    assert data[0]["ended_at"].startswith("2026-11-24T19:06:00")


def test_sessions_with_no_history(data_dir):
    result = run("sessions", data_dir=data_dir)
    assert result.exit_code == 0 and "No sessions yet" in result.output
    assert json.loads(run("sessions", "--json", data_dir=data_dir).stdout) == []


def test_corrupt_database_is_one_line_error(data_dir):
    data_dir.mkdir()
    (data_dir / "voiceprep.db").write_text("not a database, just some text\n" * 50)
    for command in (["sessions"], ["review"], ["progress"], ["export"]):
        result = run(*command, data_dir=data_dir)
        assert result.exit_code == 2, command
        assert result.stderr.startswith("error: ") and "not a usable voiceprep database" in (
            result.stderr)
        assert "Traceback" not in result.output and len(result.stderr.splitlines()) == 1


@pytest.mark.slow
def test_score_save_imports_a_recording_as_an_attempt(data_dir, store, bank, tmp_path, speak):
    wav = speak("We compute the population stability index on every input, and we alert "
                "when the threshold is crossed.")
    bank_file = str(tmp_path / "bank.toml")
    args = ["score", "--question", "drift", "--audio", str(wav), "--bank", bank_file, "--json",
            "--save", "--data-dir", str(data_dir)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    scored = json.loads(result.stdout)
    [attempt] = store.attempts()
    assert f"saved as attempt 1 of drift in session {attempt.session_id}" in result.stderr
    assert attempt.coverage == scored["coverage"] and attempt.score == scored["score"]
    # Both points are said; a CPU's arithmetic can change the word that covers one of them.
    assert {k["id"] for k in scored["key_points"] if k["covered"]} & {"psi", "alerts"}
    assert (data_dir / attempt.audio_path).read_bytes() == wav.read_bytes()
    assert attempt.duration_seconds == pytest.approx(sf.info(str(wav)).duration, abs=0.01)
    assert store.session("latest").bank_title == "Test <b>bank</b>"
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and len(store.sessions()) == 2


def test_score_save_needs_a_recording(data_dir, bank, tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text("we alert when the threshold is crossed")
    result = CliRunner().invoke(main, ["score", "-q", "drift", "--text", str(answer), "--bank",
                                       str(tmp_path / "bank.toml"), "--save"])
    assert result.exit_code == 2 and "--save keeps a recording" in result.output
    assert not data_dir.exists()
