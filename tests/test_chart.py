"""The progress chart as a PNG: six panels of real data, written by `progress --chart`."""

from __future__ import annotations

import io
import json
import struct

import matplotlib.image
from click.testing import CliRunner

from history_data import (
    build_history,
)
from voiceprep.cli import main
from voiceprep.history.progress import compute_progress
from voiceprep.ui.chart import chart_png


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_png_chart_has_six_panels_of_data(data_dir, store, bank):
    build_history(store, bank)
    data = chart_png(compute_progress(store))
    assert png_size(data) == (1000, 900)
    pixels = matplotlib.image.imread(io.BytesIO(data), format="png")
    # Lines in the panel colours are drawn, not a blank image.
    assert len({tuple(p) for p in (pixels[::7, ::7, :3] * 20).round().reshape(-1, 3)}) > 20


def test_progress_cli_json_and_chart(data_dir, store, bank, tmp_path):
    build_history(store, bank)
    chart = tmp_path / "charts" / "progress.png"
    result = CliRunner().invoke(main, ["progress", "--data-dir", str(data_dir), "--json",
                                       "--question", "drift", "--chart", str(chart)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = compute_progress(store, question_id="drift")
    assert data["question_id"] == "drift"
    assert [s["coverage"] for s in data["sessions"]] == [p.coverage for p in expected.points]
    assert data["trends"]["coverage"]["direction"] == "improving"
    assert data["pace_band"] == [120.0, 160.0]
    assert png_size(chart.read_bytes()) == (1000, 900)
