"""`voiceprep doctor` against the real engines and the virtual microphone."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from voiceprep.cli import main
from voiceprep.doctor import check_data_dir, failed_required, run_checks

pytestmark = pytest.mark.slow


def test_all_required_checks_pass_with_a_microphone(tmp_path, virtual_audio):
    checks = {c.name: c for c in run_checks(tmp_path / "data")}
    assert checks["microphone"].ok, checks["microphone"].detail
    assert "16 kHz mono" in checks["microphone"].detail
    assert checks["text-to-speech"].ok, checks["text-to-speech"].detail
    assert checks["speech recognition"].ok, checks["speech recognition"].detail
    assert "tiny.en" in checks["speech recognition"].detail
    assert checks["data directory"].ok
    assert checks["coverage by meaning (optional)"].ok
    assert not failed_required(list(checks.values()))


def test_a_bogus_microphone_fails_and_says_what_to_do(tmp_path, virtual_audio):
    checks = {c.name: c for c in run_checks(tmp_path, input_device="bogus-mic",
                                            check_recognition=False)}
    mic = checks["microphone"]
    assert not mic.ok and mic.required
    assert "input device 'bogus-mic' not found" in mic.detail
    assert "--input-device" in mic.fix


def test_doctor_command_exit_codes(tmp_path, virtual_audio):
    runner = CliRunner()
    good = runner.invoke(main, ["doctor", "--data-dir", str(tmp_path), "--json"])
    assert good.exit_code == 0, good.output
    assert all(c["ok"] or not c["required"] for c in json.loads(good.stdout))

    bad = runner.invoke(main, ["doctor", "--data-dir", str(tmp_path),
                               "--input-device", "bogus-mic"])
    assert bad.exit_code == 1
    assert "FAIL" in bad.stdout and "microphone" in bad.stdout
    assert "1 required check(s) failed: microphone: plug in or unmute" in bad.stderr


def test_data_dir_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    check = check_data_dir(blocker / "data")
    assert not check.ok
    assert "--data-dir" in check.fix
