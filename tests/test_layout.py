"""The folder tree is the pipeline: bank -> audio -> hearing -> scoring -> history -> ui -> cli.
Imports run one way, from a stage to the stages below it, never upwards."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "voiceprep"

# Lower numbers sit lower: a module may import its own stage and the stages with a smaller number.
STAGES = {
    # the ground every stage stands on: errors, files, text, signals, what libraries may do
    "errors": 0, "files": 0, "memory": 0, "interrupts": 0, "normalize": 0, "safe_text": 0,
    "privacy": 0,
    "__init__": 0,
    "audio": 1,
    "bank": 2,
    "hearing": 3,
    "scoring": 4,
    "answer": 5,  # one answer's way through: audio -> transcript -> score
    "history": 6,
    "settings": 7, "options": 7, "doctor": 7, "practice": 7,
    "ui": 8,
    "cli": 9, "__main__": 9,
}


def stage_of(module: str) -> str:
    """voiceprep.hearing.transcriber -> hearing; voiceprep.cli -> cli."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports_of(path: Path) -> list[tuple[str, int]]:
    module = ".".join(("voiceprep", *path.relative_to(PACKAGE).with_suffix("").parts))
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{module}: relative import; write voiceprep.… in full")
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "voiceprep":
            names = [node.module] if node.module != "voiceprep" else [
                f"voiceprep.{alias.name}" for alias in node.names]
            found += [(name, node.lineno) for name in names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names
                      if alias.name.split(".")[0] == "voiceprep"]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_stage() -> None:
    unknown = {stage_of(".".join(("voiceprep", *p.relative_to(PACKAGE).with_suffix("").parts)))
               for p in MODULES} - set(STAGES)
    assert not unknown, f"give these a stage in STAGES: {sorted(unknown)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path: Path) -> None:
    module = ".".join(("voiceprep", *path.relative_to(PACKAGE).with_suffix("").parts))
    own = STAGES[stage_of(module)]
    upward = [f"{module}:{line} imports {name}" for name, line in imports_of(path)
              if STAGES.get(stage_of(name), 0) > own]
    assert not upward, "\n".join(upward)
