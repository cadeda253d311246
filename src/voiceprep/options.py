"""Command-line options that several commands share, defined once so they validate alike."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from voiceprep.hearing.engines import ENGINES


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
model_option = click.option(
    "--model", default=None,
    help="Whisper model: tiny.en (bundled, default), base (make model-base), base.en, small.en, "
    "a local CTranslate2 model directory or, with --engine openai-whisper, a .pt file.",
)

F = TypeVar("F", bound=Callable[..., Any])


def whisper_options(command: F) -> F:
    """--model and --engine, for every command that transcribes."""
    return model_option(engine_option(command))


def json_option(help: str = "Print JSON.") -> Callable[[F], F]:
    """--json (as `as_json`): the output that scripts read."""
    return click.option("--json", "as_json", is_flag=True, help=help)


category_option = click.option("--category", help="Only questions of this category.")
question_filter_option = click.option(
    "--question", "-q", "question_id", metavar="ID", help="Only this question.",
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

# Which answer a correction of the overlay is about, and the words.
session_option = click.option(
    "--session", "session_ref", metavar="SESSION|latest", default="latest", show_default=True,
    help="The session whose answer is meant.",
)
answered_question_option = click.option(
    "--question", "-q", "question_id", metavar="ID",
    help="The question whose answer is meant (default: the one answered last in the session).",
)
words_option = click.option(
    "--words", help="The words that made the point (accept: default, the closest part of the "
    "answer; undo: default, all your wording for the point).",
)


def overlay_correction_options(command: F) -> F:
    """KEY_POINT_ID and which answer and words it is about: `overlay accept` and `overlay undo`."""
    for option in (data_dir_option, bank_option, words_option, session_option,
                   answered_question_option, click.argument("key_point_id")):
        command = option(command)
    return command
