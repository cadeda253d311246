"""`voiceprep export`: every attempt as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from history_data import (
    run,
)
from voiceprep.history.export import COLUMNS


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

    out = tmp_path / "exports" / "attempts.json"  # a folder not made yet is made
    result = run("export", "--format", "json", "-o", str(out), data_dir=data_dir)
    assert result.exit_code == 0 and "4 attempt(s) written" in result.stderr
    data = json.loads(out.read_text())
    assert [d["words_per_minute"] for d in data] == [a.words_per_minute for a in attempts]
    assert data[2]["filler_count"] == attempts[2].filler_count


def test_a_dash_as_output_is_standard_output_or_refused(data_dir, history, tmp_path,
                                                        monkeypatch):
    monkeypatch.chdir(tmp_path)
    dashed = run("export", "--format", "json", "-o", "-", data_dir=data_dir)
    assert dashed.exit_code == 0
    assert dashed.stdout == run("export", "--format", "json", data_dir=data_dir).stdout
    refused = run("report", "-o", "-", data_dir=data_dir)
    assert refused.exit_code == 2 and "cannot write to standard output here" in refused.stderr
    assert not (tmp_path / "-").exists()


def test_export_of_no_history_is_a_header(data_dir):
    result = run("export", data_dir=data_dir)
    assert result.exit_code == 0 and result.stdout == ",".join(COLUMNS) + "\n"


def test_export_has_getting_to_the_point_and_star(data_dir, store, history, tmp_path):
    from datetime import datetime

    from history_data import record
    from voiceprep.bank.questions import Question

    story = Question(id="story", category="behavioral", prompt="Tell me about a time it broke.",
                     target_seconds=(5, 8), reference="-", key_points=(), structure="star")
    session = store.start_session("stories")
    record(store, session, story, "At my last job the pipeline kept failing. My job was to fix "
           "it. So I added retries. As a result failures dropped by half.", 0.5,
           datetime(2026, 11, 25, 9, 0))
    result = run("export", "--format", "json", data_dir=data_dir)
    rows = json.loads(result.stdout)
    # The drift retry: 25 words 0.4 s apart from 0.5 s; the first point ("population stability
    # index") from its 4th word, 1.2 s in; every moment is within 5 s of a point.
    assert [rows[3][k] for k in ("first_point_seconds", "on_point_share",
                                 "longest_drift_seconds", "could_stop_at_seconds")] == [
        1.2, 1.0, None, None]
    assert rows[3]["star_parts"] is None and rows[3]["result_quantified"] is None
    # 25 words 0.5 s apart, 0.4 s each: 12.4 s, no key point, so all of it is near none.
    assert rows[4]["star_parts"] == "S-T-A-R" and rows[4]["result_quantified"] is True
    assert rows[4]["first_point_seconds"] is None and rows[4]["longest_drift_seconds"] == 12.4
