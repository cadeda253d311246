"""Terminal renderings of questions and scores (rich)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .bank import Question
from .metrics import format_percent, format_seconds, format_target
from .scoring import Score

TIMING_STYLE = {"ok": "green", "short": "yellow", "long": "yellow"}


def counted(counts: dict[str, int]) -> str:
    """'um ×3, uh ×1': most frequent first."""
    return ", ".join(f"{w} ×{n}" for w, n in sorted(counts.items(), key=lambda x: -x[1]))


def render_question_list(console: Console, questions: Sequence[Question]) -> None:
    table = Table(title=f"{len(questions)} questions", show_lines=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("category")
    table.add_column("target", justify="right")
    table.add_column("points", justify="right")
    table.add_column("prompt")
    for q in questions:
        table.add_row(q.id, q.category, format_target(q.target_seconds),
                      str(len(q.key_points)), q.prompt)
    console.print(table)


def render_question(console: Console, question: Question, *, reference: bool = True) -> None:
    console.print(Text.assemble((question.id, "bold cyan"), f"  [{question.category}]  ",
                                f"target {format_target(question.target_seconds)}"))
    console.print(Text(question.prompt, style="bold"))
    table = Table(show_header=True, box=None, padding=(0, 1))
    table.add_column("key point")
    table.add_column("", no_wrap=True)
    table.add_column("say for example", style="dim")
    for kp in question.key_points:
        table.add_row(kp.text, "required" if kp.required else "", "; ".join(kp.phrases[:3]))
    console.print(table)
    if question.keywords:
        console.print(Text("keywords: " + ", ".join(question.keywords), style="dim"))
    if reference:
        console.print(Panel(question.reference, title="reference answer", expand=False))


def render_score(console: Console, score: Score) -> None:
    """The feedback after an attempt: key points with evidence, then timing, pace, fillers."""
    covered = sum(1 for k in score.key_points if k.covered)
    total = len(score.key_points)
    head = Text.assemble(
        ("Score ", "bold"), (f"{score.score}/100", "bold magenta"),
        f"   coverage {format_percent(score.coverage)} ({covered}/{total} key points)",
    )
    console.print(head)

    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("", no_wrap=True)
    table.add_column("key point")
    table.add_column("evidence (what you said)")
    table.add_column("at", justify="right", no_wrap=True)
    table.add_column("conf", justify="right")
    for k in score.key_points:
        mark = Text("✓", style="bold green") if k.covered else Text("✗", style="bold red")
        label = Text(k.text)
        if k.required:
            label.append(" (required)", style="red" if not k.covered else "dim")
        evidence = Text(f"“{k.evidence}”", style="green") if k.covered else Text("-", "dim")
        at = format_seconds(k.start) if k.covered and k.start is not None else ""
        table.add_row(mark, label, evidence, at, str(k.confidence))
    console.print(table)

    if score.missed_required:
        texts = {k.id: k.text for k in score.key_points}
        missed = "; ".join(texts.get(i, i) for i in score.missed_required)
        console.print(Text(f"Missed required: {missed}", style="bold red"))

    lines = Text()
    lines.append("Time    ", style="bold")
    lines.append(f"{format_seconds(score.speaking_seconds)} "
                 f"(target {format_target(score.target_seconds)})")
    if score.timing:
        lines.append(f"  {score.timing}", style=TIMING_STYLE.get(score.timing, ""))
    lines.append("\nPace    ", style="bold")
    wpm = score.words_per_minute
    lines.append(f"{round(wpm)} words/min" if wpm is not None else "-")
    lines.append(f"  ({score.words} words)")
    f = score.fillers
    lines.append("\nFillers ", style="bold")
    per_min = f" ({f.per_minute:.1f}/min)" if f.per_minute is not None else ""
    by_word = counted(f.by_word)
    lines.append(f"{f.count}{per_min}" + (f": {by_word}" if by_word else ""))
    p = score.pauses
    lines.append("\nPauses  ", style="bold")
    if p.count is None:
        lines.append("-")
    else:
        lines.append(f"{p.count} long" + (f", longest {p.longest_seconds:.1f} s"
                                           if p.count else ""))
    if score.repeated_words:
        lines.append("\nRepeats ", style="bold")
        lines.append(counted(dict(score.repeated_words)))
    console.print(lines)
