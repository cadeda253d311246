"""The documentation keeps up with the commands: every command and option is described, the CLI
reference is the one the commands generate, and the README's table lists every command."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from cogapp import Cog

from voiceprep.cli import main

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "cli-reference.md"
REGENERATE = "cog -r docs/cli-reference.md"


def all_commands(group: click.Group = main,
                 path: tuple[str, ...] = ()) -> list[tuple[str, click.Command]]:
    found = []
    for name in group.list_commands(click.Context(group)):
        command = group.get_command(click.Context(group), name)
        assert command is not None
        found.append((" ".join((*path, name)), command))
        if isinstance(command, click.Group):
            found += all_commands(command, (*path, name))
    return found


COMMANDS = all_commands()


def test_the_cli_reference_is_generated_from_the_commands() -> None:
    cog = Cog()
    status = cog.main(["cog", "--check", str(REFERENCE)])
    assert status == 0, f"{REFERENCE.name} is out of date: run `{REGENERATE}`"


@pytest.mark.parametrize("name, command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_and_option_is_described(name: str, command: click.Command) -> None:
    assert (command.help or "").strip(), f"voiceprep {name} has no docstring"
    undescribed = [p.name for p in command.params
                   if isinstance(p, click.Option) and not (p.help or "").strip()]
    assert not undescribed, f"voiceprep {name}: options without help: {undescribed}"
    assert f"## voiceprep {name}\n" in REFERENCE.read_text(encoding="utf-8"), (
        f"voiceprep {name} is not in {REFERENCE.name}: run `{REGENERATE}`")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_the_readme_lists_every_command(name: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`voiceprep {name}" in readme, f"voiceprep {name} is missing from README.md's table"

