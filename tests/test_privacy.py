"""The data stay the user's: owner-only files whatever the umask, no network connection from
any process, and nothing written outside voiceprep's own directories."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from history_data import timed_transcript
from test_practice import wait_for_recording
from voiceprep.audio.recorder import WavWriter
from voiceprep.cli import main
from voiceprep.privacy import NO_TELEMETRY
from voiceprep.scoring.score import score

ROOT = Path(__file__).resolve().parent.parent
ANSWER = "I started in DevOps and moved into MLOps. We run everything on Kubernetes."


def modes(data_dir: Path) -> dict[str, str]:
    """Every directory and file under the data directory (itself included) with its mode."""
    found = {".": oct(stat.S_IMODE(data_dir.stat().st_mode))}
    for path in data_dir.rglob("*"):
        found[path.relative_to(data_dir).as_posix()] = oct(stat.S_IMODE(path.stat().st_mode))
    return found


def assert_owner_only(data_dir: Path) -> None:
    found = modes(data_dir)
    wrong = {name: mode for name, mode in found.items()
             if mode != ("0o700" if (data_dir / name).is_dir() else "0o600")}
    assert not wrong, wrong


@pytest.fixture
def open_umask():
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_history_written_under_umask_000_is_owner_only(data_dir, open_umask, store, bank):
    question = bank.find("about-yourself")
    transcript = timed_transcript("I started in devops and now I lead the platform team", 0.3)
    session = store.start_session(bank.title)
    files = store.reserve_attempt(session, question.id)
    with WavWriter(files.audio, 16000, 1) as wav:  # as the recorder writes an answer
        wav.write(np.zeros((16000, 1), dtype=np.float32))
    now = datetime.now()
    store.save_attempt(session, question, files, transcript, score(question, transcript),
                       started_at=now, ended_at=now, duration_seconds=1.0)
    store.end_session(session.id)
    runner = CliRunner()
    for args in (["report"], ["export", "-o", str(data_dir / "export.csv")],
                 ["progress", "--chart", str(data_dir / "charts" / "progress.png")]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
    names = set(modes(data_dir))
    assert {"voiceprep.db", "export.csv", "charts/progress.png"} <= names
    assert any(n.endswith(".wav") for n in names) and any(n.startswith("reports/") for n in names)
    assert_owner_only(data_dir)


@pytest.mark.slow
def test_a_saved_recording_under_umask_000_is_owner_only(tmp_path, speak):
    data_dir = tmp_path / "fresh" / "data"
    done = subprocess.run(
        [sys.executable, "-m", "voiceprep", "score", "-q", "about-yourself", "--audio",
         str(speak(ANSWER)), "--save", "--data-dir", str(data_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, preexec_fn=lambda: os.umask(0))
    assert done.returncode == 0, done.stderr
    assert any(p.suffix == ".wav" for p in data_dir.rglob("*"))
    assert_owner_only(data_dir)
    assert oct(stat.S_IMODE((tmp_path / "fresh").stat().st_mode)) == "0o700"


# ---- nothing leaves the machine, nothing is written outside voiceprep's directories ----------
# Native code (onnxruntime, PortAudio, espeak-ng...) walks past anything patched in Python, so
# the commands run as the user runs them, under strace, which sees every process's system calls.

NETWORK_CALLS = ("connect", "sendto", "sendmsg", "sendmmsg")
WRITE_CALLS = ("open", "openat", "creat", "mkdir", "mkdirat", "rename", "renameat", "renameat2")
RESOLVER_SOCKETS = ("/run/systemd/resolve/", "/run/nscd/", "/var/run/nscd/")
_CALL = re.compile(r"^\d+\s+(\w+)\((.*)$")
_PATH_ARG = re.compile(r'(?:(?:AT_FDCWD|\d+)<([^>]*)>,\s*)?"((?:[^"\\]|\\.)*)"')


def network_contacts(trace: str) -> list[str]:
    """The calls that reach past this machine: a socket address of any family but AF_UNIX
    (a DNS query goes to AF_INET port 53), or the local socket of a name resolver."""
    found = []
    for line in trace.splitlines():
        call = _CALL.match(line)
        if call is None or call.group(1) not in NETWORK_CALLS:
            continue
        families = set(re.findall(r"sa_family=(\w+)", line))
        if families - {"AF_UNIX"} or any(s in line for s in RESOLVER_SOCKETS):
            found.append(line)
    return found


def written_paths(trace: str) -> set[Path]:
    """Every path a traced process created, opened for writing or renamed to (calls that
    failed excepted)."""
    found = set()
    for line in trace.splitlines():
        call = _CALL.match(line)
        if call is None or call.group(1) not in WRITE_CALLS or re.search(r"\) = -1 ", line):
            continue
        name, args = call.groups()
        if name in ("open", "openat") and not re.search(r"O_(WRONLY|RDWR|CREAT|TRUNC)", args):
            continue
        paths = _PATH_ARG.findall(args)
        if not paths:
            continue
        directory, path = paths[-1] if name.startswith("rename") else paths[0]
        found.add(Path(os.path.normpath(Path(directory or ROOT) / path)))
    return found


@dataclass
class Sandbox:
    """A fresh HOME and temporary directory for commands run under strace, and the places
    they may write: the data directory, voiceprep's config and cache directories, the
    temporary directory, and what the sound system and Python keep for themselves."""

    root: Path
    audio: Any = None  # the VirtualAudio the commands record from and play to, if any

    def __post_init__(self) -> None:
        self.home, self.tmp, self.data_dir = (self.root / n for n in ("home", "tmp", "data"))
        self.home.mkdir(parents=True)
        self.tmp.mkdir()

    @property
    def allowed(self) -> tuple[Path, ...]:
        places = [self.data_dir, self.home / ".config" / "voiceprep",
                  self.home / ".cache" / "voiceprep", self.tmp,
                  Path("/dev"),  # /dev/null; shared memory of the sound libraries
                  self.home / ".config" / "pulse"]  # PulseAudio's client cookie, as any client's
        if self.audio is not None:
            places.append(self.audio.runtime_dir)
        return tuple(places)

    def may_write(self, path: Path) -> bool:
        """In an allowed place, or a directory on the way to one."""
        return any(path.is_relative_to(a) or a.is_relative_to(path) for a in self.allowed)

    def env(self) -> dict[str, str]:
        env = dict(self.audio.env if self.audio is not None else os.environ)
        for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "VOICEPREP_CONFIG",
                     "VOICEPREP_DATA_DIR", "MPLCONFIGDIR", *NO_TELEMETRY):
            env.pop(name, None)  # voiceprep must keep itself offline, not the test
        env.update(HOME=str(self.home), TMPDIR=str(self.tmp), HF_HUB_OFFLINE="0")
        return env

    def start(self, *args: str, trace: Path) -> subprocess.Popen[str]:
        """`voiceprep ARGS` under strace -f, which writes what every process does to `trace`."""
        calls = ",".join(NETWORK_CALLS + WRITE_CALLS)
        command = ["strace", "-f", "-qq", "-y", "--seccomp-bpf", f"--trace={calls}",
                   "-o", str(trace), sys.executable, "-m", "voiceprep", *args]
        return subprocess.Popen(command, cwd=ROOT, env=self.env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def run(self, *args: str, trace: Path, timeout: float = 900) -> str:
        process = self.start(*args, trace=trace)
        out, err = process.communicate(timeout=timeout)
        assert process.returncode == 0, (args, err)
        return out

    def check(self, trace: Path) -> None:
        """Nothing reached the network; nothing was written outside the allowed places (the
        trace and a walk of HOME agree); voiceprep's temporary files are gone."""
        text = trace.read_text(errors="replace")
        assert text.strip(), "strace recorded nothing"
        assert network_contacts(text) == []
        outside = sorted(p for p in written_paths(text) if not self.may_write(p)
                         and not (p.parent.name == "__pycache__" and p.suffix == ".pyc"))
        assert outside == []
        assert sorted(p for p in self.home.rglob("*") if not self.may_write(p)) == []
        assert list(self.tmp.iterdir()) == []


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (make install sets it up)")
    if subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", "true"],
                      capture_output=True).returncode != 0:
        pytest.skip("strace cannot trace here (ptrace is not permitted)")
    return Sandbox(tmp_path / "sandbox")


def test_the_trace_readers_see_a_dns_query_and_a_write_outside(tmp_path):
    trace = (
        '812 connect(8<socket:[1]>, {sa_family=AF_UNIX, sun_path="/run/user/1000/pulse/native"}'
        ', 110) = 0\n'
        '813 connect(8<socket:[2]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr('
        '"10.0.0.53")}, 16) = 0\n'
        '813 sendto(8<socket:[2]>, "\\230\\333\\1", 50, MSG_NOSIGNAL, NULL, 0) = 50\n'
        '814 connect(9<socket:[3]>, {sa_family=AF_INET6, sin6_port=htons(443)}, 28 '
        '<unfinished ...>\n'
        '815 connect(5<socket:[4]>, {sa_family=AF_UNIX, sun_path="/run/systemd/resolve/io.'
        'systemd.Resolve"}, 42) = 0\n'
        '816 openat(AT_FDCWD</w>, "/h/.cache/Microsoft/deviceid", O_RDWR|O_CREAT, 0600) = 3\n'
        '816 openat(AT_FDCWD</w>, "/h/.bashrc", O_RDONLY|O_CLOEXEC) = 3\n'
        '816 openat(3</h/data>, "x.wav", O_WRONLY|O_CREAT|O_TRUNC, 0600) = 4\n'
        '816 mkdir("/h/.config/pulse", 0700) = -1 EEXIST (File exists)\n'
        '816 rename("/h/data/a.tmp", "/h/data/a.json") = 0\n')
    assert [line.split()[0] for line in network_contacts(trace)] == ["813", "814", "815"]
    assert written_paths(trace) == {Path("/h/.cache/Microsoft/deviceid"), Path("/h/data/x.wav"),
                                    Path("/h/data/a.json")}


@pytest.mark.slow
def test_practice_and_the_history_commands_stay_on_this_machine(sandbox, virtual_audio, speak):
    sandbox.audio = virtual_audio
    # Long enough for a telemetry client to have looked its server up while it is heard.
    answer = speak(" ".join([ANSWER] * 3))
    data = str(sandbox.data_dir)
    practice = sandbox.start("practice", "--question", "about-yourself", "--no-voice",
                             "--no-follow-ups", "--silence", "2", "--data-dir", data,
                             trace=sandbox.root / "practice.trace")
    try:
        wait_for_recording(sandbox.data_dir)
        virtual_audio.play_into_mic(answer, delay=0.3)
        out, err = practice.communicate(timeout=900)
    finally:
        if practice.poll() is None:
            practice.kill()
        virtual_audio.stop_players()
    assert practice.returncode == 0, err
    assert "1 attempt(s) kept" in out
    sandbox.check(sandbox.root / "practice.trace")
    for i, args in enumerate((["sessions"], ["review", "--json"],
                              ["progress", "--chart", f"{data}/progress.png"],
                              ["report", "latest"], ["export", "-o", f"{data}/export.csv"],
                              ["say", "Tell me about yourself.", "--save", f"{data}/q.wav"])):
        trace = sandbox.root / f"{i}.trace"
        sandbox.run(*args, *([] if args[0] == "say" else ["--data-dir", data]), trace=trace)
        sandbox.check(trace)
    assert {"progress.png", "export.csv", "q.wav", "reports"} <= {
        p.name for p in sandbox.data_dir.iterdir()}


@pytest.mark.slow
def test_a_two_minute_transcription_stays_on_this_machine(sandbox, speak):
    clip, rate = sf.read(str(speak(ANSWER)), dtype="int16")
    two_minutes = sandbox.root / "answer.wav"
    sf.write(str(two_minutes), np.resize(clip, 120 * rate), rate)
    trace = sandbox.root / "transcribe.trace"
    result = json.loads(sandbox.run("transcribe", str(two_minutes), "--json", trace=trace))
    assert result["duration_seconds"] == pytest.approx(120, abs=0.1)
    assert "kubernetes" in result["text"].lower()
    sandbox.check(trace)


@pytest.mark.slow
def test_score_save_and_report_work_without_any_network(tmp_path, speak):
    if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "-rn", "true"], capture_output=True).returncode != 0:
        pytest.skip("unshare -rn (a private network namespace) is not available here")
    data_dir = tmp_path / "data"
    script = (f"{sys.executable} -m voiceprep score -q about-yourself --audio "
              f"{speak(ANSWER)} --save --json --data-dir {data_dir} && "
              f"{sys.executable} -m voiceprep report --data-dir {data_dir}")
    done = subprocess.run(["unshare", "-rn", "sh", "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert '"coverage"' in done.stdout and done.stdout.rstrip().endswith(".html")


def _forget(*args: str) -> Any:
    return CliRunner().invoke(main, ["forget", *args])


def test_forget_deletes_a_try_and_its_follow_up_for_good(data_dir, store, bank):
    """One try goes, with the follow-up that answered it: its files, and its rows, so neither
    the history nor an index made again from the files brings it back; the other tries stay."""
    from history_data import DAY1, DRIFT_FULL, DRIFT_PARTIAL, record, record_follow_up
    from voiceprep.history.store import DB_NAME

    drift = bank.find("drift")
    session = store.start_session(bank.title, now=DAY1)
    first = record(store, session, drift, DRIFT_PARTIAL, 0.3, DAY1)
    record_follow_up(store, session, drift, "we watch the population stability index", first,
                     DAY1)
    kept = record(store, session, drift, DRIFT_FULL, 0.4, DAY1)
    store.end_session(session.id)
    written = sorted(p.name for p in session.directory.iterdir())
    assert len(written) == 8  # two recordings, three transcripts and three scores

    report = CliRunner().invoke(main, ["report", session.id])
    assert report.exit_code == 0 and session.report.is_file()

    refused = _forget(session.id, "-q", "drift", "--attempt", "1")  # not a terminal: not asked
    assert refused.exit_code == 2 and "this deletes 2 answer(s)" in refused.stderr
    assert "give --yes" in refused.stderr
    assert sorted(p.name for p in session.directory.iterdir()) == written

    done = _forget(session.id, "-q", "drift", "--attempt", "1", "--yes")
    assert done.exit_code == 0, done.output
    assert done.stdout == f"deleted 2 answer(s) of try 1 of drift in session {session.id}\n"
    assert not session.report.exists()  # it held them
    left = sorted(p.name for p in session.directory.iterdir())
    assert left == [n for n in written if n.startswith(kept.audio_path.split("/")[-1][:2])]
    assert [a.id for a in store.attempts()] == [kept.id]
    store.close()
    (data_dir / DB_NAME).unlink()  # the index made again from the files: still gone
    assert [a["attempt_number"] for a in json.loads(
        CliRunner().invoke(main, ["export", "--format", "json"]).stdout)] == [kept.attempt_number]


def test_forget_a_whole_session_even_one_whose_folder_was_deleted_by_hand(data_dir, store, bank):
    from history_data import build_history

    first, second = build_history(store, bank)
    shutil.rmtree(second.directory)  # the files are gone, the index still lists its answers
    store.close()
    for session in (first, second):
        done = _forget(session.id, "--yes")
        assert done.exit_code == 0, done.output
        assert done.stdout.startswith("deleted ")
    assert not first.directory.exists()
    listed = CliRunner().invoke(main, ["sessions", "--json"])
    assert listed.exit_code == 0 and json.loads(listed.stdout) == []
    assert _forget("latest", "--yes").exit_code == 2  # nothing left


def test_an_answer_forgotten_while_recover_scores_it_stays_forgotten(data_dir, store, bank,
                                                                     speak, monkeypatch):
    """`recover` in one terminal, `forget` in another: what recover writes for an answer
    forgotten meanwhile is deleted, the other answers are scored, and an index made again
    from the files does not bring it back."""
    from voiceprep.files import release_lock
    from voiceprep.hearing.transcriber import TranscribeOptions
    from voiceprep.history import recovery
    from voiceprep.history.recovery import index_interrupted, recover
    from voiceprep.history.store import DB_NAME

    session = store.start_session(bank.title)
    speech = speak("We retrain the model every week on a schedule.")
    for name in ("about-yourself", "drift"):
        shutil.copyfile(speech, store.reserve_attempt(session, name).audio)
    release_lock(session.directory)
    forgotten, other = index_interrupted(data_dir)
    transcribe = recovery.answer_from_file

    def forgotten_meanwhile(audio, question, options):
        answer = transcribe(audio, question, options)
        if audio.name.startswith("01-"):
            assert store.forget(session, [forgotten]) == 1
        return answer

    monkeypatch.setattr(recovery, "answer_from_file", forgotten_meanwhile)
    kept, problems = recover(store, bank, TranscribeOptions())
    assert [a.id for a in kept] == [other.id] and problems == []
    assert sorted(p.name for p in session.directory.iterdir()) == [
        "02-drift.score.json", "02-drift.transcript.json", "02-drift.wav"]
    store.close()
    (data_dir / DB_NAME).unlink()
    assert [a.question_id for a in index_interrupted(data_dir)] == ["drift"]


def test_an_answer_forgotten_while_rescore_scores_it_again_stays_forgotten(data_dir, store,
                                                                           bank, monkeypatch):
    from history_data import DAY1, DRIFT_PARTIAL, record
    from voiceprep.history import overlay

    session = store.start_session(bank.title, now=DAY1)
    first = record(store, session, bank.find("drift"), DRIFT_PARTIAL, 0.3, DAY1)
    second = record(store, session, bank.find("drift"), DRIFT_PARTIAL, 0.3, DAY1)
    store.end_session(session.id)
    scored = overlay.score

    def forgotten_meanwhile(question, transcript, options, audio=None):
        result = scored(question, transcript, options, audio=audio)
        if audio is not None and audio.name.startswith("01-"):
            store.forget(session, [first])
        return result

    monkeypatch.setattr(overlay, "score", forgotten_meanwhile)
    done = overlay.rescore(data_dir, bank)
    assert [r.attempt.id for r in done.rescored] == [second.id] and done.unreadable == []
    assert not any(p.name.startswith("01-") for p in session.directory.iterdir())
