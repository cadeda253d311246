"""The practice loop in-process: a scripted person, real audio files, real Whisper, real store."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from speech_samples import REALSPEECH
from voiceprep.audio.load import SAMPLE_RATE, load_audio
from voiceprep.audio.recorder import Recording, pcm16_exact
from voiceprep.bank.questions import load_bank
from voiceprep.interrupts import Stopped
from voiceprep.practice import PracticeOptions, run_practice
from voiceprep.scoring.pitch import pitch_of_file

pytestmark = pytest.mark.slow

ANSWER = "I started in DevOps and moved into MLOps. Today I mostly work with Kubernetes and Docker."


class ScriptedPerson:
    """Answers each question with the next audio file, then makes the next menu choice.

    `record` does what the recorder does with a microphone: writes the WAV and hands the blocks
    to the transcriber as they "arrive"; `stop_after` raises a stop mid-answer.
    """

    def __init__(self, answers: list[Path], choices: list[str],
                 stop_after: float | None = None, stop_signal: int = signal.SIGINT,
                 picks: list[tuple[str, str | None]] | None = None):
        self.picks = list(picks or [])
        self.offered: list[tuple[list[str], str]] = []
        self.answers = list(answers)
        self.choices = list(choices)
        self.stop_after = stop_after
        self.stop_signal = stop_signal
        self.shown: list = []
        self.notices: list[str] = []
        self.asked: list[str] = []
        self.followed_up: list[str] = []

    def session_started(self, session, questions) -> None:
        self.session = session

    def ask(self, question, number, total) -> None:
        self.asked.append(question.id)

    def follow_up(self, question) -> None:
        self.followed_up.append(question.prompt)

    def record(self, question, path, options, transcriber) -> Recording:
        samples, rate = load_audio(self.answers.pop(0)), SAMPLE_RATE
        stopped_by, stop = "silence", None
        if self.stop_after is not None:
            samples = samples[: int(self.stop_after * rate)]
            stopped_by, stop = "interrupted", self.stop_signal
        samples = pcm16_exact(samples)  # what the recorder hands on: what the file holds
        sf.write(str(path), np.round(samples * 32768).astype(np.int16), rate, subtype="PCM_16")
        # A recorder hands blocks on in real time, so the pitch tracker's work on a batch of
        # frames never holds the transcriber's audio back. Fed all at once, it would pause the
        # feed mid-answer, and the decoder would decode ahead from there, as it never does live.
        for at in range(0, len(samples), 1600):
            transcriber.transcriber.feed(samples[at:at + 1600])
        for at in range(0, len(samples), 1600):
            transcriber.pitch.feed(samples[at:at + 1600])
        # Digital silence is no speech, for the recorder's detector.
        return Recording(path=path, duration_seconds=len(samples) / rate, stopped_by=stopped_by,
                         heard_speech=bool(np.any(samples)), peak_dbfs=-10.0,
                         noise_floor_dbfs=-90.0,
                         speech_start_seconds=0.0, speech_end_seconds=len(samples) / rate,
                         sample_rate=rate, channels=1, device="scripted", stop_signal=stop)

    @contextlib.contextmanager
    def waiting(self) -> Iterator[None]:
        yield

    def show(self, question, answer, attempt, recording) -> None:
        self.shown.append((question.id, answer, attempt))

    def choose(self) -> str:
        return self.choices.pop(0)

    def play(self, path: Path) -> None:
        self.notices.append(f"played {path.name}")

    def show_reference(self, question) -> None:
        self.notices.append("reference")

    def notice(self, message: str) -> None:
        self.notices.append(message)

    def pick_missed(self, missed, suggest):
        kp_id, words = self.picks.pop(0)  # words None: Enter, the suggested words
        self.offered.append(([kp.id for kp in missed], suggest(kp_id)))
        return kp_id, words or self.offered[-1][1]


@pytest.fixture
def builtin_bank():
    return load_bank(None)


def test_the_loop_records_hears_scores_and_keeps_every_attempt(builtin_bank, speak,
                                                               data_dir, store):
    answer = speak(ANSWER)
    person = ScriptedPerson([answer, answer], ["play", "reference", "retry", "next"])
    questions = [builtin_bank.find("about-yourself")]
    result = run_practice(person, builtin_bank, questions, data_dir,
                          PracticeOptions(follow_ups=False))

    assert person.asked == ["about-yourself", "about-yourself"]
    assert [a.attempt_number for a in result.attempts] == [1, 2]
    assert person.notices[:2] == ["played 01-about-yourself.wav", "reference"]
    first = person.shown[0][1]
    covered = {k.id for k in first.score.key_points if k.covered}
    assert "kubernetes-docker" in covered, first.transcript.text
    assert "kubernetes" in first.transcript.text.lower()
    # The same audio, live and from its file, gives the same transcript.
    from voiceprep.answer import answer_from_file

    again = answer_from_file(data_dir / result.attempts[0].audio_path, questions[0])
    assert again.transcript == first.transcript
    rows = store.attempts()
    assert [(r.question_id, r.status) for r in rows] == [("about-yourself", "complete")] * 2
    assert result.session.ended_at is not None


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_stop_mid_answer_keeps_and_scores_what_was_said(builtin_bank, speak, data_dir, store,
                                                          signum):
    person = ScriptedPerson([speak(ANSWER)], [], stop_after=4.0, stop_signal=signum)
    questions = [builtin_bank.find("about-yourself"), builtin_bank.find("weaknesses")]
    with pytest.raises(Stopped) as stopped:
        run_practice(person, builtin_bank, questions, data_dir, PracticeOptions())
    assert stopped.value.exit_code == 128 + signum
    rows = store.attempts()
    assert [(r.question_id, r.status) for r in rows] == [("about-yourself", "interrupted")]
    assert rows[0].words_per_minute and rows[0].words_per_minute > 0
    assert sf.info(str(data_dir / rows[0].audio_path)).duration == pytest.approx(4.0, abs=0.01)
    assert any("kept in" in n for n in person.notices)
    assert store.session().ended_at is not None
    assert person.asked == ["about-yourself"]  # the session ended there


def test_a_stop_while_the_last_words_are_decoded_keeps_the_recording(builtin_bank, speak,
                                                                     data_dir, store, monkeypatch):
    person = ScriptedPerson([speak(ANSWER)], [])

    @contextlib.contextmanager
    def stopped_while_waiting():
        raise Stopped(signal.SIGTERM)
        yield

    person.waiting = stopped_while_waiting
    with pytest.raises(Stopped) as stopped:
        run_practice(person, builtin_bank, [builtin_bank.find("about-yourself")], data_dir,
                     PracticeOptions())
    assert stopped.value.exit_code == 128 + signal.SIGTERM
    wavs = list(data_dir.glob("sessions/*/*.wav"))
    assert len(wavs) == 1 and sf.info(str(wavs[0])).duration > 4
    assert any("voiceprep recover" in n for n in person.notices)
    assert store.session().ended_at is not None


def test_silence_is_kept_as_an_attempt_with_nothing_heard(builtin_bank, tmp_path, data_dir):
    quiet = tmp_path / "quiet.wav"
    sf.write(str(quiet), np.zeros(16000 * 3, dtype=np.float32), 16000)
    person = ScriptedPerson([quiet], ["quit"])
    result = run_practice(person, builtin_bank, [builtin_bank.find("about-yourself")], data_dir,
                          PracticeOptions())
    assert result.quit_early
    answer = person.shown[0][1]
    assert answer.transcript.text == "" and answer.score.coverage == 0
    assert person.followed_up == []  # nothing heard: nothing to follow up on


def test_a_stop_before_anything_is_said_keeps_nothing(builtin_bank, speak, tmp_path, data_dir,
                                                       store):
    """Ctrl-C in the first seconds of a recording, before a word: no empty attempt, and no
    session of nothing that would become the "latest" of review; a session with an answer
    keeps that answer and loses only the empty one."""
    quiet = tmp_path / "quiet.wav"
    sf.write(str(quiet), np.zeros(16000 * 3, dtype=np.float32), 16000)
    question = builtin_bank.find("about-yourself")
    practised = ScriptedPerson([speak(ANSWER)], ["next"])
    run_practice(practised, builtin_bank, [question], data_dir, PracticeOptions(follow_ups=False))
    before = store.session("latest")

    person = ScriptedPerson([quiet], [], stop_after=1.5)
    with pytest.raises(Stopped) as stopped:
        run_practice(person, builtin_bank, [question], data_dir, PracticeOptions())
    assert stopped.value.exit_code == 130
    assert store.session("latest") == before
    assert [s.id for s in store.sessions()] == [before.id]
    assert person.notices == ["Stopped before an answer was heard: nothing kept."]
    assert [a.session_id for a in store.attempts()] == [before.id]
    assert sorted(p.parent.name for p in data_dir.glob("sessions/*/*")) == [before.id] * 3

    class StoppedAtTheRetry(ScriptedPerson):
        def record(self, *args):
            self.stop_after = None if len(self.answers) == 2 else 1.5
            return super().record(*args)

    person = StoppedAtTheRetry([speak(ANSWER), quiet], ["retry"])
    with pytest.raises(Stopped):
        run_practice(person, builtin_bank, [question], data_dir, PracticeOptions(follow_ups=False))
    latest = store.session("latest")
    assert latest != before and latest.ended_at is not None
    assert [(a.attempt_number, a.status) for a in store.attempts(session_id=latest.id)] == [
        (1, "complete")]
    assert [p.name for p in latest.directory.iterdir() if p.suffix == ".wav"] == [
        "01-about-yourself.wav"]
    assert person.notices[-1] == ("Stopped before this answer was heard: it is not kept (the "
                                  "answers before it are).")


def test_a_missed_required_point_gets_a_follow_up_scored_on_it(builtin_bank, speak, data_dir):
    person = ScriptedPerson([speak(ANSWER), speak("We serve fifty million predictions a day.")],
                            ["next"])
    question = builtin_bank.find("about-yourself")
    result = run_practice(person, builtin_bank, [question], data_dir, PracticeOptions())
    assert person.followed_up == ["What scale do your pipelines run at today?"]
    first, follow_up = result.attempts
    assert (follow_up.follow_up_of, first.follow_up_of) == (first.id, None)
    assert follow_up.audio_path.endswith("02-about-yourself-follow-up.wav")
    assert follow_up.coverage == 1.0 and follow_up.target_max == 60
    shown = person.shown[1][1].score
    assert [k.id for k in shown.key_points] == ["fifty-million"] and shown.pitch is not None
    assert person.asked == ["about-yourself"]  # the follow-up is not a new question


# Said twice (the answer and its retry), and each time heard live, where the open stretch
# is split depends on timing: words espeak-ng says ambiguously ("servers", heard once as
# "service" under AVX-512) would let the two transcripts differ.
OWN_WORDS = ("My first job was keeping our systems alive and automating releases for an operations "
             "group. Today I mostly work with Kubernetes and Docker.")


def test_a_point_made_in_other_words_is_accepted_from_the_menu(builtin_bank, speak, data_dir,
                                                               store):
    from voiceprep.history.overlay import load_overlay

    answer = speak(OWN_WORDS)
    person = ScriptedPerson([answer, answer], ["made it", "retry", "next"],
                            picks=[("devops-background", None)])
    question = builtin_bank.find("about-yourself")
    result = run_practice(person, builtin_bank, [question], data_dir,
                          PracticeOptions(follow_ups=False))

    offered, suggested = person.offered[0]
    assert "devops-background" in offered and "kubernetes-docker" not in offered
    heard = person.shown[0][1].transcript.text
    assert suggested and suggested in heard and "alive" in suggested, heard
    assert load_overlay(data_dir).phrases == {("about-yourself", "devops-background"): (suggested,)}
    assert any("now counts for this point; this answer now scores" in n for n in person.notices)
    first, retry = store.attempts()
    assert first.score == retry.score and first.coverage == retry.coverage
    # The retry, in the same session, is scored with the user's words already.
    kept = {k.id: k for k in person.shown[1][1].score.key_points}["devops-background"]
    assert kept.covered and kept.matched_by == "phrase" and kept.phrase == suggested
    assert result.attempts[0].score < first.score  # the first attempt was re-scored upwards


def test_a_stop_while_the_first_question_is_spoken_keeps_no_session(builtin_bank, data_dir,
                                                                      store, speak):
    """Nothing was recorded: no empty session becomes the "latest" of review and report. A
    stop at a later question keeps the session, closed."""
    person = ScriptedPerson([], [])

    def hung_up(question, number, total):
        raise Stopped(signal.SIGHUP)

    person.ask = hung_up
    with pytest.raises(Stopped) as stopped:
        run_practice(person, builtin_bank, [builtin_bank.find("about-yourself")], data_dir,
                     PracticeOptions())
    assert stopped.value.exit_code == 128 + signal.SIGHUP
    assert store.attempts() == [] and store.sessions() == []
    assert not list(data_dir.glob("sessions/*"))

    person = ScriptedPerson([speak(ANSWER)], ["next"])
    asked = person.ask

    def hung_up_later(question, number, total):
        if number == 2:
            raise Stopped(signal.SIGINT)
        asked(question, number, total)

    person.ask = hung_up_later
    with pytest.raises(Stopped):
        run_practice(person, builtin_bank, [builtin_bank.find("about-yourself"),
                                            builtin_bank.find("strengths")], data_dir,
                     PracticeOptions(follow_ups=False))
    assert len(store.attempts()) == 1 and store.session("latest").ended_at is not None


def test_a_stop_signal_while_saving_waits_until_the_attempt_is_written():
    import os

    from voiceprep.interrupts import signals_held, stop_signals_as_interrupts

    written = []
    with stop_signals_as_interrupts(), pytest.raises(Stopped) as stopped:
        with signals_held():
            os.kill(os.getpid(), signal.SIGTERM)
            written.append("score file")  # still runs: the signal waits
            written.append("index row")
    assert written == ["score file", "index row"]
    assert stopped.value.exit_code == 128 + signal.SIGTERM


def test_a_stop_signal_is_held_while_other_threads_run():
    """The kernel may hand the signal to any thread that does not block it (the decoding and
    recording threads do not): it must wait all the same."""
    import os
    import threading
    import time

    from voiceprep.interrupts import signals_held, stop_signals_as_interrupts

    done = threading.Event()
    others = [threading.Thread(target=done.wait) for _ in range(4)]
    for thread in others:
        thread.start()
    written = []
    try:
        with stop_signals_as_interrupts(), pytest.raises(Stopped) as stopped:
            with signals_held():
                os.kill(os.getpid(), signal.SIGHUP)
                time.sleep(0.2)  # time for the signal to reach some thread
                written.append("score file")
                written.append("index row")
    finally:
        done.set()
        for thread in others:
            thread.join()
    assert written == ["score file", "index row"]
    assert stopped.value.exit_code == 128 + signal.SIGHUP


def test_the_pitch_tracked_while_recording_is_the_saved_files(builtin_bank, data_dir):
    clip = REALSPEECH / "en_jfk_inaugural_1961.flac"
    if not clip.exists():
        pytest.skip(f"the real speech clips are not here ({REALSPEECH})")
    person = ScriptedPerson([clip], ["next"])
    result = run_practice(person, builtin_bank, [builtin_bank.find("about-yourself")], data_dir,
                          PracticeOptions(follow_ups=False))
    live = person.shown[0][1].score.pitch
    saved = data_dir / result.attempts[0].audio_path
    assert live is not None and 200 < live.median_hz < 280
    assert live == pitch_of_file(saved)  # what `score --audio` and `recover` compute
