"""The database schema as named migrations, applied in order, each in its own transaction.

Append new migrations; never edit or reorder the ones that have shipped: a database that a
user has kept for months must upgrade without losing a row.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from voiceprep.files import InputFileError, inside, read_json


def _m001_initial(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            bank_title TEXT NOT NULL DEFAULT ''
        )""")
    db.execute("""
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id TEXT NOT NULL REFERENCES sessions(id),
            question_id TEXT NOT NULL,
            category TEXT NOT NULL DEFAULT '',
            attempt_number INTEGER NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            duration_seconds REAL,
            speaking_seconds REAL,
            words_per_minute REAL,
            coverage REAL,
            score INTEGER,
            filler_count INTEGER,
            fillers_per_minute REAL,
            pause_count INTEGER,
            longest_pause_seconds REAL,
            timing TEXT,
            status TEXT NOT NULL DEFAULT 'complete',
            audio_path TEXT,
            transcript_path TEXT,
            score_path TEXT
        )""")


def _m002_target_range(db: sqlite3.Connection) -> None:
    """The question's target range per attempt, so progress can show time against target."""
    db.execute("ALTER TABLE attempts ADD COLUMN target_min INTEGER")
    db.execute("ALTER TABLE attempts ADD COLUMN target_max INTEGER")
    data_dir = _db_dir(db)
    rows = db.execute("SELECT id, score_path FROM attempts WHERE score_path IS NOT NULL").fetchall()
    for attempt_id, score_path in rows:
        try:
            target = read_json(inside(data_dir, score_path))["target_seconds"]
            low, high = (float(target[0]), float(target[1]))
            if not (math.isfinite(low) and math.isfinite(high)):
                continue
            db.execute("UPDATE attempts SET target_min = ?, target_max = ? WHERE id = ?",
                       (int(low), int(high), attempt_id))
        except (InputFileError, ValueError, KeyError, TypeError, IndexError, OverflowError):
            continue  # the figures stay unknown; the attempt itself is kept


def _m003_indexes(db: sqlite3.Connection) -> None:
    db.execute("CREATE INDEX attempts_session ON attempts(session_id)")
    db.execute("CREATE INDEX attempts_question ON attempts(question_id, started_at)")


def _m004_delivery_and_follow_ups(db: sqlite3.Connection) -> None:
    """Hedges and pitch per attempt (for progress and export), and follow-up answers: an
    attempt that answers the follow-up question of another points at it."""
    for column in ("hedge_count INTEGER", "hedges_per_minute REAL", "pitch_median_hz REAL",
                   "pitch_range_semitones REAL", "monotone_seconds REAL",
                   "follow_up_of INTEGER REFERENCES attempts(id)"):
        db.execute(f"ALTER TABLE attempts ADD COLUMN {column}")
    db.execute("CREATE INDEX attempts_follow_up ON attempts(follow_up_of)")
    # Records saved before delivery figures existed have none to copy: those stay unknown.


def _m005_getting_to_the_point(db: sqlite3.Connection) -> None:
    """Where the key points were made (getting to the point) and a story's STAR parts, for
    export; records saved before they existed have none (rescore adds them)."""
    for column in ("first_point_seconds REAL", "on_point_share REAL",
                   "longest_drift_seconds REAL", "could_stop_at_seconds REAL",
                   "star_parts TEXT", "result_quantified INTEGER"):
        db.execute(f"ALTER TABLE attempts ADD COLUMN {column}")


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("m001_initial", _m001_initial),
    ("m002_target_range", _m002_target_range),
    ("m003_indexes", _m003_indexes),
    ("m004_delivery_and_follow_ups", _m004_delivery_and_follow_ups),
    ("m005_getting_to_the_point", _m005_getting_to_the_point),
]


def _db_dir(db: sqlite3.Connection) -> Path:
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]).parent


def migrate(db: sqlite3.Connection,
            migrations: list[tuple[str, Callable[[sqlite3.Connection], None]]] | None = None
            ) -> list[str]:
    """Apply the migrations not yet recorded, each in its own transaction; return their names.

    Safe when several processes open a new or old database at once: whether a migration is
    done is read again inside its write transaction, so only one of them applies it."""
    applied_now = []
    db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    done = {r[0] for r in db.execute("SELECT name FROM migrations")}
    for name, function in MIGRATIONS if migrations is None else migrations:
        if name in done:
            continue
        try:
            db.execute("BEGIN IMMEDIATE")
            if db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
                db.execute("COMMIT")  # another process applied it while this one waited
                continue
            function(db)
            db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                       (name, datetime.now().astimezone().isoformat(timespec="seconds")))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        applied_now.append(name)
    return applied_now


