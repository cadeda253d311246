"""`voiceprep export`: every attempt as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from history_data import (
    run,
)
from voiceprep.export import COLUMNS


def test_export_csv_and_json(data_dir, store, history, tmp_path):
    result = run("export", data_dir=data_dir)
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == COLUMNS
    attempts = store.attempts()
    assert len(rows) == len(attempts) == 4
    assert [float(r["coverage"]) for r in rows] == [a.coverage for a in attempts]
    assert rows[0]["session_started_at"].startswith("2026-11-20T18:30:00")
    assert rows[0]["bank_title"] == "Test <b>bank</b>"
    assert rows[3]["attempt_number"] == "2" and rows[3]["audio_path"].endswith("02-drift.wav")

    out = tmp_path / "attempts.json"
    result = run("export", "--format", "json", "-o", str(out), data_dir=data_dir)
    assert result.exit_code == 0 and "4 attempt(s) written" in result.stderr
    data = json.loads(out.read_text())
    assert [d["words_per_minute"] for d in data] == [a.words_per_minute for a in attempts]
    assert data[2]["filler_count"] == attempts[2].filler_count


def test_export_of_no_history_is_a_header(data_dir):
    result = run("export", data_dir=data_dir)
    assert result.exit_code == 0 and result.stdout == ",".join(COLUMNS) + "\n"
