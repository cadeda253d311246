"""Every attempt with its figures, as CSV (for a spreadsheet) or JSON (for another tool)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from voiceprep.errors import StoreError
from voiceprep.files import write_private
from voiceprep.history.store import ATTEMPT_COLUMNS, Store
from voiceprep.safe_text import safe_json

FORMATS = ("csv", "json")
# The session's facts come first, then the attempt's own columns.
COLUMNS = ["session_id", "session_started_at", "bank_title"] + [
    c for c in ATTEMPT_COLUMNS if c != "session_id"]


def export_rows(store: Store) -> list[dict[str, Any]]:
    """One dict per attempt, oldest first, with its session's start time and bank title."""
    sessions = store.session_index()
    rows = []
    for a in store.attempts():
        session = sessions[a.session_id]
        row = a.to_dict()
        row.update(session_started_at=session.started_at, bank_title=session.bank_title)
        rows.append({c: row[c] for c in COLUMNS})
    return rows


def export_text(store: Store, fmt: str = "csv") -> str:
    """The export as text: CSV with a header row, or a JSON list."""
    return format_rows(export_rows(store), fmt)


def format_rows(rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format '{fmt}' (use {' or '.join(FORMATS)})")
    if fmt == "json":
        return safe_json(rows, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_export(store: Store, fmt: str, path: Path) -> int:
    """Write the export to `path`; return the number of attempts written."""
    rows = export_rows(store)
    text = format_rows(rows, fmt)
    try:
        write_private(Path(path), text, make_folder=True)
    except OSError as e:
        raise StoreError(f"cannot write {path}: {e.strerror}") from e
    return len(rows)
