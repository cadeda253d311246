"""The data stay the user's: owner-only files whatever the umask, and no network connection."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from history_data import timed_transcript
from voiceprep.cli import main
from voiceprep.recorder import WavWriter
from voiceprep.scoring import score

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


class NetworkGuard:
    """Refuses, and records, every attempt to reach the network from this process."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.attempts: list[str] = []
        real_connect = socket.socket.connect
        real_connect_ex = socket.socket.connect_ex

        def refuse(what: str):
            self.attempts.append(what)
            raise OSError(f"network access in a test: {what}")

        def connect(sock: socket.socket, address):  # noqa: ANN001
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                refuse(f"connect {address}")
            return real_connect(sock, address)

        def connect_ex(sock: socket.socket, address):  # noqa: ANN001
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                refuse(f"connect_ex {address}")
            return real_connect_ex(sock, address)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: refuse(f"resolve {a[:2]}"))
        monkeypatch.setattr(socket, "create_connection",
                            lambda address, *a, **k: refuse(f"create_connection {address}"))


@pytest.mark.slow
def test_no_network_connection_on_the_whole_answer_path(tmp_path, data_dir, monkeypatch, speak):
    import voiceprep.transcribe

    wav = speak(ANSWER)
    guard = NetworkGuard(monkeypatch)
    monkeypatch.setattr(voiceprep.transcribe, "_engines", {})  # the model is loaded under guard
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")  # offline must come from voiceprep, not from here
    runner = CliRunner()
    for args in (["transcribe", str(wav), "--json"],
                 ["score", "-q", "about-yourself", "--audio", str(wav), "--save"],
                 ["sessions"], ["review"], ["review", "--json"], ["progress"],
                 ["report", "-o", str(tmp_path / "report.html")], ["export"], ["recover"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
    assert guard.attempts == []
    # The guard itself works: it would have caught one.
    with pytest.raises(OSError, match="network access"):
        socket.create_connection(("pypi.org", 443), timeout=1)
    assert guard.attempts


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
