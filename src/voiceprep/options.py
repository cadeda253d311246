"""Command-line options that several commands share, defined once so they validate alike."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import click

from .whisper_engines import ENGINES


class Seconds(click.ParamType):
    """A finite number of seconds within [low, high] ("nan", "inf", "-1" and "0" are refused)."""

    name = "seconds"

    def __init__(self, low: float, high: float):
        self.low = low
        self.high = high

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                self.fail(f"'{value}' is not a number of seconds", param, ctx)
        if not math.isfinite(number) or not self.low <= number <= self.high:
            self.fail(f"{value} is not a number of seconds from {self.low:g} to {self.high:g}",
                      param, ctx)
        return number


bank_option = click.option(
    "--bank", "bank_path", type=click.Path(path_type=Path),
    help="Question bank: a TOML file or a directory of them (default: questions/).",
)
engine_option = click.option(
    "--engine", type=click.Choice(ENGINES), default=ENGINES[0], show_default=True,
    help="Speech-recognition engine.",
)
data_dir_option = click.option(
    "--data-dir", "data_dir", type=str, default=None,
    help="Where sessions are kept (default: $VOICEPREP_DATA_DIR or ./recordings).",
)
input_device_option = click.option(
    "--input-device", "input_device", default=None, metavar="DEVICE",
    help="Microphone: an index or part of a name from `voiceprep devices` (default: the system's).",
)
silence_option = click.option(
    "--silence", "silence_seconds", type=Seconds(0.5, 600), default=None,
    help="Stop recording after this many seconds of silence that follows speech "
    "(default: the setting recording.silence_seconds, 3 s).",
)
max_option = click.option(
    "--max", "max_seconds", type=Seconds(0.5, 86400), default=300.0, show_default=True,
    help="Stop recording after this many seconds in any case.",
)
rate_option = click.option(
    "--rate", type=click.IntRange(min=40, max=500), help="Speaking rate in words per minute.",
)
voice_option = click.option("--voice", help="A voice from `voiceprep voices`: joe (the natural "
                            "voice, `make voice-natural`) or an espeak-ng id, name or language.")
