"""The command line: parse arguments, call one core function, render, map errors to exit codes."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from . import __version__
from .bank import Bank, load_bank, validate_bank, default_bank_path
from .errors import VoiceprepError

DEFAULT_DATA_DIR = "recordings"


class VoiceprepGroup(click.Group):
    """Turns domain errors into one line on stderr and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VoiceprepError as e:
            click.echo(f"error: {e}", err=True)
            ctx.exit(e.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def data_dir_path(value: str | None) -> Path:
    """--data-dir, else $VOICEPREP_DATA_DIR, else ./recordings."""
    return Path(value or os.environ.get("VOICEPREP_DATA_DIR") or DEFAULT_DATA_DIR)


bank_option = click.option(
    "--bank", "bank_path", type=click.Path(path_type=Path),
    help="Question bank: a TOML file or a directory of them (default: questions/).",
)
data_dir_option = click.option(
    "--data-dir", "data_dir", type=str, default=None,
    help="Where sessions are kept (default: $VOICEPREP_DATA_DIR or ./recordings).",
)


def get_bank(bank_path: Path | None) -> Bank:
    return load_bank(bank_path)


@click.group(cls=VoiceprepGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="voiceprep")
def main() -> None:
    """voiceprep: practise interview answers aloud, offline, against your own prepared answers."""


# ---- questions -------------------------------------------------------------------------------

@main.group(cls=VoiceprepGroup)
def questions() -> None:
    """List, show and validate the question bank."""


@questions.command("list")
@bank_option
@click.option("--category", help="Only this category.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def questions_list(bank_path: Path | None, category: str | None, as_json: bool) -> None:
    """List the questions of the bank."""
    from .report import render_question_list

    chosen = get_bank(bank_path).select(category=category)
    if as_json:
        print_json([q.to_dict() for q in chosen])
    else:
        render_question_list(console(), chosen)


@questions.command("show")
@click.argument("question_id")
@bank_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def questions_show(question_id: str, bank_path: Path | None, as_json: bool) -> None:
    """Show one question: prompt, target time, key points and reference answer."""
    from .report import render_question

    q = get_bank(bank_path).find(question_id)
    if as_json:
        print_json(q.to_dict())
    else:
        render_question(console(), q)


@questions.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def questions_validate(path: Path | None) -> None:
    """Check a bank file or directory; list every problem; exit 0 only when clean."""
    target = path or default_bank_path()
    problems = validate_bank(target)
    if problems:
        for p in problems:
            click.echo(p, err=True)
        click.echo(f"{len(problems)} problem(s) in {target}", err=True)
        sys.exit(2)
    bank = load_bank(target)
    points = sum(len(q.key_points) for q in bank.questions)
    click.echo(f"ok: {target}: {len(bank.questions)} questions, {points} key points")
