"""The terminal while recording: "Recording", elapsed time against the target, a level bar."""

from __future__ import annotations

import contextlib
import os
import select
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import numpy as np
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.text import Text

from voiceprep.audio.recorder import RecorderOptions, Recording, RecordingStatus, record
from voiceprep.scoring.metrics import format_seconds, format_target

BAR_WIDTH = 30


def render_status(status: RecordingStatus, target_seconds: tuple[int, int] | None,
                  stop_on_enter: bool) -> Group:
    """The live panel: what is happening, how long, how loud, and any warning."""
    line = Text()
    line.append("● Recording", style="bold red")
    line.append(f"  {format_seconds(int(status.elapsed_seconds))}")  # a clock: whole seconds gone
    if target_seconds:
        low, high = target_seconds
        style = ("yellow" if status.elapsed_seconds < low
                 else "green" if status.elapsed_seconds <= high else "red")
        line.append(f" / target {format_target(target_seconds)}", style=style)
    filled = int(round(status.level * BAR_WIDTH))
    bar = Text("  ")
    bar.append("█" * filled, style="green" if status.heard_speech else "cyan")
    bar.append("░" * (BAR_WIDTH - filled), style="dim")
    level = "  silent" if status.level_dbfs <= -100 else f" {status.level_dbfs:6.1f} dB"
    bar.append(level, style="dim")
    line.append_text(bar)
    how = "Press Enter to stop" if stop_on_enter else "Stops"
    hint = Text(f"{how} (or stay silent a few seconds when you are done).", style="dim")
    parts: list[Text] = [line, hint]
    if status.warning:
        parts.append(Text(f"⚠ {status.warning}", style="bold yellow"))
    return Group(*parts)


@contextlib.contextmanager
def _no_echo(stream: IO[str]) -> Iterator[None]:
    """Keep the Enter keypress from scrolling the live display (POSIX terminals only)."""
    try:
        import termios

        fd = stream.fileno()
        old = termios.tcgetattr(fd)
    except Exception:  # noqa: BLE001 - not a terminal, or not POSIX
        yield
        return
    new = list(old)
    new[3] = new[3] & ~termios.ECHO
    try:
        termios.tcsetattr(fd, termios.TCSANOW, new)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, old)


def _watch_enter(stream: IO[str], stop_event: threading.Event, done: threading.Event) -> None:
    """Set stop_event when a line is typed; never consume input after the recording ends."""
    fd = stream.fileno()
    while not done.is_set():
        try:
            ready, _, _ = select.select([fd], [], [], 0.1)
        except (OSError, ValueError):
            return
        if ready:
            # An EOF (closed stdin) is not an Enter: silence or the limit will stop instead.
            if os.read(fd, 1024):
                stop_event.set()
            return


def _is_tty(stream: IO[str] | None) -> bool:
    try:
        return stream is not None and stream.isatty() and stream.fileno() >= 0
    except (OSError, ValueError, AttributeError):
        return False


def live_recording(
    console: Console, path: Path, options: RecorderOptions | None = None, *,
    target_seconds: tuple[int, int] | None = None, stop_on_enter: bool = True,
    stdin: IO[str] | None = None,
    on_chunk: Callable[[np.ndarray], None] | None = None,
    extra: Callable[[], RenderableType] | None = None,
) -> Recording:
    """Record with a live display; Enter stops it when stdin is a terminal.

    When stdin is not a terminal (a pipe, a closed stream, a test runner) only silence after
    speech and the limit stop the recording, and nothing is read from stdin. `extra` adds lines
    under the panel (the live caption).
    """
    options = options or RecorderOptions()
    stdin = sys.stdin if stdin is None else stdin
    use_enter = stop_on_enter and _is_tty(stdin) and os.name == "posix"
    stop_event = threading.Event()
    done = threading.Event()
    starting = Text("Starting the microphone...", style="dim")
    with Live(starting, console=console,
              refresh_per_second=10, transient=False) as live:

        def on_progress(status: RecordingStatus) -> None:
            panel = render_status(status, target_seconds, use_enter)
            live.update(Group(panel, extra()) if extra is not None else panel)

        watcher = None
        if use_enter:
            watcher = threading.Thread(target=_watch_enter, args=(stdin, stop_event, done),
                                       name="voiceprep-enter", daemon=True)
            watcher.start()
        try:
            with _no_echo(stdin) if use_enter else contextlib.nullcontext():
                recording = record(path, options, stop_event=stop_event,
                                   on_progress=on_progress, on_chunk=on_chunk)
        finally:
            done.set()
            if watcher is not None:
                watcher.join(timeout=1)
    reasons = {"enter": "stopped", "silence": "stopped after silence",
               "limit": "time limit reached", "interrupted": "interrupted"}
    console.print(f"{reasons.get(recording.stopped_by, recording.stopped_by)}: "
                  f"{format_seconds(recording.duration_seconds)} recorded", style="dim")
    return recording
