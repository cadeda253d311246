"""Terminal renderings (rich): questions, a score, sessions, a session review, progress, and the
tables of doctor, voices and devices. Everything here takes computed data and only draws it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from voiceprep.audio.text_to_speech import Voice
from voiceprep.bank.questions import Question
from voiceprep.doctor import Check
from voiceprep.history.progress import Progress
from voiceprep.history.review import AttemptReview, QuestionReview, SessionReview, Span
from voiceprep.history.schedule import Plan
from voiceprep.history.store import Attempt, SessionSummary
from voiceprep.scoring.metrics import (
    COMPARED,
    COVERAGE,
    FILLERS,
    FIRST_POINT,
    HEDGES,
    LONGEST_DRIFT,
    ON_POINT,
    PACE,
    PACE_AIM,
    PITCH_RANGE,
    SCORE,
    SPEAKING_TIME,
    TRENDED,
    format_counts,
    format_number,
    format_seconds,
    format_target,
)
from voiceprep.scoring.score import Score
from voiceprep.scoring.timeline import Timeline, strips, timeline_of
from voiceprep.settings import Settings

TIMING_STYLE = {"ok": "green", "short": "yellow", "long": "yellow"}


def render_question_list(console: Console, questions: Sequence[Question]) -> None:
    table = Table(title=f"{len(questions)} questions", show_lines=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("category")
    table.add_column("target", justify="right")
    table.add_column("points", justify="right")
    table.add_column("prompt")
    for q in questions:
        table.add_row(q.id, Text(q.category), format_target(q.target_seconds),
                      str(len(q.key_points)), Text(q.prompt))
    console.print(table)


def render_question(console: Console, question: Question, *, reference: bool = True,
                    yours: dict[str, tuple[str, ...]] | None = None) -> None:
    console.print(Text.assemble((question.id, "bold cyan"), f"  [{question.category}]  ",
                                f"target {format_target(question.target_seconds)}"))
    console.print(Text(question.prompt, style="bold"))
    table = Table(show_header=True, box=None, padding=(0, 1))
    table.add_column("key point")
    table.add_column("", no_wrap=True)
    table.add_column("say for example", style="dim")
    for kp in question.key_points:
        table.add_row(Text(kp.text), "required" if kp.required else "",
                      Text("; ".join(kp.phrases[:3])))
        if yours and kp.id in yours:
            table.add_row("", "", Text("your wording: " + "; ".join(yours[kp.id]), "cyan"))
    console.print(table)
    if question.keywords:
        console.print(Text("keywords: " + ", ".join(question.keywords), style="dim"))
    if reference:
        console.print(Panel(Text(question.reference), title="reference answer", expand=False))


def render_score(console: Console, score: Score) -> None:
    """The feedback after an attempt: key points with evidence, then timing, pace, fillers."""
    covered = sum(1 for k in score.key_points if k.covered)
    total = len(score.key_points)
    head = Text.assemble(
        ("Score ", "bold"), (f"{score.score}/100", "bold magenta"),
        f"   coverage {COVERAGE.format(score.coverage)} ({covered}/{total} key points)",
    )
    console.print(head)

    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("", no_wrap=True)
    table.add_column("key point")
    table.add_column("evidence (what you said)")
    table.add_column("at", justify="right", no_wrap=True)
    table.add_column("conf", justify="right")
    for k in score.key_points:
        meaning = k.matched_by == "meaning"
        mark = (Text("≈", style="bold cyan") if meaning else Text("✓", style="bold green")
                if k.covered else Text("✗", style="bold red"))
        label = Text(k.text)
        if k.required:
            label.append(" (required)", style="red" if not k.covered else "dim")
        evidence = (Text.assemble(("said in other words: ", "cyan"), f"“{k.evidence}”")
                    if meaning else Text(f"“{k.evidence}”", style="green") if k.covered
                    else Text("-", "dim"))
        at = format_seconds(k.start) if k.covered and k.start is not None else ""
        # a missed point's closest near-match is no confidence that it was made
        table.add_row(mark, label, evidence, at,
                      f"{k.confidence}%" if k.covered else Text("-", "dim"))
    console.print(table)

    if score.missed_required:
        texts = {k.id: k.text for k in score.key_points}
        missed = "; ".join(texts.get(i, i) for i in score.missed_required)
        console.print(Text(f"Missed required: {missed}", style="bold red"))
    content = content_details(score)
    if content.plain:
        console.print(content)

    lines = Text()
    lines.append("Time    ", style="bold")
    lines.append(f"{SPEAKING_TIME.format(score.speaking_seconds)} "
                 f"(target {format_target(score.target_seconds)})")
    if score.timing:
        lines.append(f"  {score.timing}", style=TIMING_STYLE.get(score.timing, ""))
    lines.append("\nPace    ", style="bold")
    wpm = score.words_per_minute
    lines.append(f"{PACE.format(wpm)} words/min" if wpm is not None else "-")
    lines.append(f"  ({score.words} words)")
    f = score.fillers
    lines.append("\nFillers ", style="bold")
    per_min = f" ({FILLERS.format(f.per_minute, unit=True)})" if f.per_minute is not None else ""
    by_word = format_counts(f.by_word)
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
        lines.append(format_counts(dict(score.repeated_words)))
    lines.append("\n")
    lines.append_text(delivery_details(score))
    console.print(lines)
    console.print(Text.assemble(("Delivery ", "bold"), f"{score.delivery_score}/100"))
    rows = timeline_rows(score)
    if rows is not None:
        console.print(rows)


def content_details(score: Score) -> Text:
    """Getting to the point (when the answer has times) and a story's STAR parts."""
    lines = Text()
    focus = score.focus
    if focus.answer_start is not None:
        lines.append("To the point ", style="bold")
        lines.append(f"first key point after {FIRST_POINT.format(focus.first_point_seconds)}"
                     if focus.first_point_seconds is not None else "no key point made")
        lines.append(f"; {ON_POINT.format(focus.on_point_share)} of the answer near a point")
        if focus.longest_drift is not None:
            drift = focus.longest_drift
            lines.append(f"; longest stretch near none {LONGEST_DRIFT.format(drift.seconds)} "
                         f"(at {format_seconds(drift.start)}-{format_seconds(drift.end)})",
                         style="yellow" if drift.seconds >= 20 else "")
        if focus.could_stop_at is not None:
            lines.append(f"; over time: every point was made by "
                         f"{format_seconds(focus.could_stop_at)}, where it could have stopped",
                         style="yellow")
    star = score.star
    if star is not None:
        if lines.plain:
            lines.append("\n")
        lines.append("STAR ", style="bold")
        for part in star.parts:
            if part.present:
                lines.append(f"✓ {part.name}", style="green")
                lines.append(f" (“{part.evidence[0]}”)  ", style="dim")
            else:
                lines.append(f"✗ {part.name}  ", style="bold red")
        if star.part("result").present:
            lines.append(f"result quantified: “{star.quantity}”" if star.result_quantified
                         else "result has no number", style="green" if star.result_quantified
                         else "yellow")
    return lines


class TimelineRows:
    """The answer's timeline in two rows under the feedback, as wide as the room it is given
    (its terminal, or its cell in the review) allows, up to `STRIP_WIDTH` columns."""

    STRIP_WIDTH = 60
    GUTTER = 19  # "Timeline   content ": the labels, right-aligned, before the rows
    LEGEND = ("● key point", "S T A R parts", "░ near no point", "f filler", "h hedge",
              "_ long pause")

    def __init__(self, timeline: Timeline):
        self.timeline = timeline

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        room = options.max_width
        # Narrower than the labels and 20 columns of rows: the labels go above the rows.
        gutter = self.GUTTER if room >= self.GUTTER + 20 else 0
        width = max(1, min(self.STRIP_WIDTH, room - gutter))
        content, delivery = strips(self.timeline, width)
        out = Text(no_wrap=True, overflow="fold")
        if gutter:
            out.append("Timeline", style="bold")
            out.append("   content ", style="dim")
        else:
            out.append("Timeline\n", style="bold")
            out.append("content\n", style="dim")
        out.append(content + "\n", style="cyan")
        out.append("delivery ".rjust(gutter) if gutter else "delivery\n", style="dim")
        out.append(delivery + "\n", style="magenta")
        start, end = (format_seconds(self.timeline.start), format_seconds(self.timeline.end))
        axis = start.ljust(width - len(end)) + end if width > len(start) + len(end) else start
        out.append(" " * gutter + axis, style="dim")
        # The legend wraps between its items, never inside one.
        line = ""
        for item in self.LEGEND:
            if line and gutter + len(line) + 2 + len(item) > room:
                out.append("\n" + " " * gutter + line, style="dim")
                line = ""
            line = f"{line}  {item}" if line else item
        out.append("\n" + " " * gutter + line, style="dim")
        yield out


def timeline_rows(score: Score) -> TimelineRows | None:
    """The answer's timeline rows (None for typed text, which has no times)."""
    timeline = timeline_of(score)
    return None if timeline is None else TimelineRows(timeline)


def render_plan(console: Console, plan: Plan, questions: dict[str, Question]) -> None:
    """Due today (what 'practice --due' asks) and the next days, per bank."""
    console.print(Text.assemble(("Plan for ", "bold"), plan.today.isoformat(),
                                f": {plan.due_today} question(s) due today"))
    for bank in plan.banks:
        console.rule(Text(bank.bank, style="cyan"))
        if bank.today:
            table = Table(box=box.SIMPLE_HEAD, title="due today", title_justify="left")
            table.add_column("question", style="cyan", no_wrap=True)
            table.add_column("", no_wrap=True)
            table.add_column("recall", justify="right")
            table.add_column("points you keep missing")
            for d in bank.today:
                note = "new" if d.new else f"{d.reviews} answer(s)"
                points = {k.id: k.text for k in questions[d.question_id].key_points}
                table.add_row(d.question_id, note, "-" if d.new else f"{d.recall:.0%}",
                              "; ".join(points.get(p, p) for p in d.points))
            console.print(table)
        else:
            console.print("Nothing due today.")
        for day, dues in bank.upcoming:
            console.print(Text.assemble((f"{day:%a %d %b}  ", "bold"),
                                        ", ".join(d.question_id for d in dues)))
    console.print(Text(f"Rating of an answer: {plan.rule}", style="dim"))


def delivery_details(score: Score) -> Text:
    """Hedges (and when they were said), repeated phrases, pace and fillers over the answer,
    and pitch with its monotone stretches."""
    lines = Text()

    def label(name: str) -> None:
        lines.append(("\n" if lines.plain else "") + f"{name:<8}", style="bold")

    hedges = score.hedges
    label("Hedges")
    rate = f" ({HEDGES.format(hedges.per_minute, unit=True)})" \
        if hedges.per_minute is not None else ""
    by_phrase = format_counts(hedges.by_phrase)
    lines.append(f"{hedges.count}{rate}" + (f": {by_phrase}" if by_phrase else ""))
    if hedges.at:
        lines.append("  at " + ", ".join(format_seconds(t) for t in hedges.at), style="dim")
    if score.repeated_phrases:
        label("Phrases")
        lines.append(", ".join(f"“{p}” ×{n}" for p, n in score.repeated_phrases))
    windows = score.pace_over_time
    if windows and len(windows) > 1:
        label("Over time")
        lines.append(" " + sparkline([w.words_per_minute for w in windows], PACE_SCALE),
                     style="cyan")
        lines.append("  wpm " + " ".join(PACE.format(w.words_per_minute) for w in windows))
        lines.append("  fillers " + " ".join(str(w.fillers) for w in windows))
        lines.append(f"  (every {format_seconds(windows[0].end - windows[0].start)})",
                     style="dim")
    label("Pitch")
    pitch = score.pitch
    if pitch is None:
        lines.append("- (needs a recording with voice)", style="dim")
    else:
        lines.append(f"median {pitch.median_hz:.0f} Hz, range "
                     f"{PITCH_RANGE.format(pitch.range_semitones, unit=True)}, monotone "
                     f"{format_seconds(pitch.monotone_seconds)}")
        if score.speaking_seconds:
            lines.append(f" of {format_seconds(score.speaking_seconds)}")
        if pitch.monotone_stretches:
            lines.append("  (" + ", ".join(f"{format_seconds(a)}-{format_seconds(b)}"
                                           for a, b in pitch.monotone_stretches) + ")",
                         style="yellow")
    return lines


def render_settings(console: Console, settings: Settings) -> None:
    """Every setting, its value (bold when the settings file sets it) and what it does."""
    table = Table(title=str(settings.path), title_justify="left", box=None, padding=(0, 1))
    table.add_column("setting", style="cyan", no_wrap=True)
    table.add_column("value")
    table.add_column("", no_wrap=True)
    table.add_column("what it does", style="dim")
    for key, value in settings.values.items():
        shown = "(default)" if value is None else json.dumps(value)
        mark = "set" if key in settings.from_file else ""
        table.add_row(key, Text(shown, style="bold" if mark else ""), mark,
                      Text(settings.help(key)))
    console.print(table)


def render_voices(console: Console, voices: Sequence[Voice]) -> None:
    table = Table("id", "name", "languages", "gender")
    for v in voices:
        table.add_row(v.id, v.name, ", ".join(v.languages), v.gender or "")
    console.print(table)


def render_devices(console: Console, devices: Sequence[dict[str, Any]]) -> None:
    """The microphones; the default one starred."""
    table = Table("", "index", "name", "host API", "channels", "default rate")
    for d in devices:
        table.add_row("*" if d["is_default"] else "", str(d["index"]), d["name"], d["hostapi"],
                      str(d["channels"]), f"{d['default_samplerate']:.0f}")
    console.print(table)


def render_checks(console: Console, checks: Sequence[Check]) -> None:
    """doctor's checks: ok, FAIL (required) or warn, with the fix for each that failed."""
    table = Table("", "check", "detail", "fix")
    for c in checks:
        mark = Text("ok", "green") if c.ok else (Text("FAIL", "red") if c.required
                                                 else Text("warn", "yellow"))
        table.add_row(mark, c.name, c.detail, "" if c.ok else c.fix)
    console.print(table)


# ---- sessions and review ------------------------------------------------------------------

VERDICT_STYLE = {"better": "green", "worse": "red", "same": "dim"}


def render_sessions(console: Console, summaries: list[SessionSummary],
                    total: int | None = None) -> None:
    """The session list: newest first, with counts and averages (`total`: how many there are
    when `summaries` holds only the newest)."""
    if not summaries:
        console.print("No sessions yet. Start one with 'voiceprep practice'.")
        return
    shown = len(summaries)
    title = (f"{shown} session(s), newest first" if total is None or total <= shown
             else f"The newest {shown} of {total} sessions (--all for every one)")
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("session", style="cyan", no_wrap=True)
    table.add_column("answers", justify="right", no_wrap=True)
    table.add_column("questions", justify="right")
    table.add_column("coverage", justify="right")
    table.add_column("score", justify="right")
    table.add_column("pace", justify="right")
    table.add_column("fillers/min", justify="right")
    for s in summaries:
        answers = str(s.attempts) + (f" ({s.interrupted} cut)" if s.interrupted else "")
        table.add_row(s.id, answers, str(s.questions), COVERAGE.format(s.average_coverage),
                      SCORE.format(s.average_score), PACE.format(s.average_words_per_minute),
                      FILLERS.format(s.average_fillers_per_minute))
    console.print(table)


def highlighted(spans: tuple[Span, ...]) -> Text:
    """The transcript with key-point evidence in bold green (said in other words: cyan)."""
    text = Text()
    for i, span in enumerate(spans):
        if i:
            text.append(" ")
        style = "" if not span.key_point else (
            "italic cyan" if span.matched_by == "meaning" else "bold green")
        text.append(span.text, style=style)
    return text


def delivery_line(a: Attempt, score: Score) -> Text:
    by_word = format_counts(score.fillers.by_word)
    line = Text()
    line.append("time ", style="bold")
    line.append(SPEAKING_TIME.format(a.speaking_seconds))
    if a.target_min is not None and a.target_max is not None:
        line.append(f" (target {format_target((a.target_min, a.target_max))})")
    if a.timing:
        line.append(f" {a.timing}", style=TIMING_STYLE.get(a.timing, ""))
    line.append("  pace ", style="bold")
    line.append(PACE.format(a.words_per_minute, unit=True))
    line.append("  fillers ", style="bold")
    rate = FILLERS.format(a.fillers_per_minute, unit=True)
    line.append(f"{a.filler_count if a.filler_count is not None else '-'}"
                f" ({rate}{': ' + by_word if by_word else ''})")
    line.append("  pauses ", style="bold")
    line.append(f"{a.pause_count if a.pause_count is not None else '-'}"
                f" (longest {format_number(a.longest_pause_seconds, 1)} s)")
    return line


def _attempt_cell(review: AttemptReview) -> Group:
    a = review.attempt
    covered, total = len(review.covered), len(review.score.key_points)
    head = Text.assemble(
        (f"Attempt {a.attempt_number}", "bold"), f"  {a.started_at[11:16]}  ",
        ("interrupted  " if a.status == "interrupted" else "", "yellow"),
        ("score ", "bold"), (SCORE.format(a.score), "bold magenta"),
        f"  coverage {COVERAGE.format(a.coverage)} ({covered}/{total})")
    parts: list[Any] = [head, highlighted(review.spans) if review.spans
                        else Text("(nothing was heard)", style="dim")]
    for kp in review.covered:
        if kp.matched_by == "meaning":
            parts.append(Text.assemble(("≈ said in other words: ", "cyan"), kp.text,
                                       (f" (confidence {kp.confidence}%)", "dim")))
    for kp in review.missed:
        parts.append(Text.assemble(("✗ missed: ", "red"), kp.text,
                                   (" (required)" if kp.required else "", "bold red")))
    content = content_details(review.score)
    if content.plain:
        parts.append(content)
    parts.append(delivery_line(a, review.score))
    parts.append(delivery_details(review.score))
    rows = timeline_rows(review.score)
    if rows is not None:
        parts.append(rows)
    if review.audio is None and a.audio_path:
        parts.append(Text(f"recording missing: {a.audio_path}", style="yellow"))
    for follow_up in review.follow_ups:
        parts.append(_follow_up_cell(follow_up))
    return Group(*parts)


def _follow_up_cell(review: AttemptReview) -> Group:
    """A follow-up answer under the attempt it follows: the question, what was said, and which
    of the missed points it made up for."""
    parts: list[Any] = [
        Text.assemble(("Follow-up: ", "bold"), (review.prompt, "italic"),
                      ("  interrupted" if review.attempt.status == "interrupted" else "",
                       "yellow"),
                      ("  score ", "bold"), (SCORE.format(review.attempt.score), "magenta")),
        highlighted(review.spans) if review.spans else Text("(nothing was heard)", style="dim")]
    for kp in review.covered:
        parts.append(Text.assemble(("✓ made up for: ", "green"), kp.text))
    for kp in review.missed:
        parts.append(Text.assemble(("✗ still missed: ", "red"), kp.text))
    return Group(*parts)


def comparison_table(question: QuestionReview, *, changes_below: bool = False) -> Table:
    """Attempts of one question side by side, each figure with its change from the last try
    (under it, and the columns closer, with `changes_below`: for a narrow terminal)."""
    table = Table(title="attempts compared", title_justify="left", box=box.SIMPLE_HEAD,
                  pad_edge=False, collapse_padding=changes_below)
    table.add_column("#", justify="right")
    for metric in COMPARED:
        table.add_column(metric.label, justify="right", no_wrap=True)
    table.add_column("key points", overflow="fold", min_width=12)
    for row in question.comparison():
        cells: list[Any] = [str(row["attempt_number"])]
        for metric in COMPARED:
            cell = Text(metric.format(row[metric.key]))
            change = row[metric.key + "_change"]
            if change is not None:
                cell.append(("\n(" if changes_below else " (")
                            + f"{metric.format_change(change)})",
                            style=VERDICT_STYLE.get(row[metric.key + "_verdict"], ""))
            cells.append(cell)
        changes = Text()
        for kp in row.get("newly_covered", []):
            changes.append(f"+{kp} ", style="green")
        for kp in row.get("no_longer_covered", []):
            changes.append(f"-{kp} ", style="red")
        cells.append(changes)
        table.add_row(*cells)
    return table


# From this width the answer's column beside the reference is wide enough for the timeline's
# rows and most lines of figures; narrower, the reference goes above the answers.
REFERENCE_BESIDE = 120


def render_review(console: Console, review: SessionReview) -> None:
    """Each question: every attempt beside the reference answer (above it in a narrow
    terminal), and retries compared."""
    s = review.session
    console.print(Text.assemble(("Session ", "bold"), (s.id, "bold cyan"),
                                f"  {s.started_at[:16].replace('T', ' ')}  {s.bank_title}"))
    if not review.questions:
        console.print("No answers were recorded in this session.")
    beside = console.width >= REFERENCE_BESIDE
    for q in review.questions:
        console.rule(Text.assemble((q.question_id, "cyan"), f" · {q.category} · "
                                   f"target {format_target(q.target_seconds)}"))
        console.print(Text(q.prompt, style="bold"))
        table = Table(box=box.ROUNDED, expand=True, show_lines=True)
        table.add_column("your answer", ratio=3)
        if beside:
            table.add_column("reference answer", ratio=2, style="dim")
        else:
            console.print(Panel(Text(q.reference, style="dim"), title="reference answer",
                                title_align="left", box=box.ROUNDED))
        for i, attempt in enumerate(q.attempts):
            table.add_row(_attempt_cell(attempt),
                          *([Text(q.reference) if i == 0 else ""] if beside else []))
        console.print(table)
        if len(q.attempts) > 1:
            compared = comparison_table(q)
            unbounded = console.options.update_width(10 * console.width)
            if console.measure(compared, options=unbounded).minimum > console.width:
                compared = comparison_table(q, changes_below=True)  # every figure whole
            console.print(compared)


# ---- progress ----------------------------------------------------------------------------

SPARKS = "▁▂▃▄▅▆▇█"
TREND_STYLE = {"improving": "bold green", "worse": "bold red", "steady": "yellow"}
# Pace over an answer is drawn on one fixed scale, so a steady answer looks steady.
PACE_SCALE = (60.0, 240.0)


def sparkline(values: Sequence[float | None], scale: tuple[float, float] | None = None) -> str:
    """One block character per value, scaled between the smallest and the largest (or between
    the ends of `scale`, which values outside are clipped to)."""
    present = [v for v in values if v is not None]
    if not present:
        return ""
    low, high = scale or (min(present), max(present))
    span = high - low
    top = len(SPARKS) - 1
    return "".join(" " if v is None else SPARKS[3] if span == 0
                   else SPARKS[round(min(1.0, max(0.0, (v - low) / span)) * top)]
                   for v in values)


def _bar(fraction: float, width: int = 10) -> str:
    full = max(0, min(width, round(fraction * width)))
    return "█" * full + "·" * (width - full)


SESSION_ROWS = 30  # `sessions` lists the newest this many unless asked for all
PROGRESS_ROWS = 40  # `progress` sums a longer history up by day, week, month...


def render_progress(console: Console, progress: Progress) -> None:
    """Sessions in order with a coverage bar per session, then each figure's trend."""
    if not progress.points:
        console.print("No complete answers yet. Practise with 'voiceprep practice'.")
        return
    by = "" if progress.period == "session" else f", by {progress.period}"
    table = Table(title=f"Progress over {progress.sessions} session(s){by}: {progress.scope}",
                  box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False,
                  collapse_padding=True)
    table.add_column(progress.period, style="cyan", no_wrap=True)
    table.add_column("answers", justify="right", no_wrap=True)
    table.add_column("coverage", no_wrap=True)
    table.add_column("pace", justify="right", no_wrap=True)
    table.add_column("time / target", justify="right", no_wrap=True)
    table.add_column("fillers", justify="right", no_wrap=True)
    bars = console.width >= 76  # the table's width with them: narrower, the figures alone
    for p in progress.points:
        cov = p.coverage or 0.0
        coverage = Text(_bar(cov) + " " if bars else "",
                        style="green" if cov >= 0.7 else "yellow" if cov >= 0.4 else "red")
        coverage.append(f"{COVERAGE.format(p.coverage):>4}", style="")
        pace = Text(PACE.format(p.words_per_minute, unit=True),
                    style="" if p.words_per_minute is None
                    or not PACE.goodness(p.words_per_minute) else "yellow")
        time = Text(SPEAKING_TIME.format(p.speaking_seconds))
        if p.target_min is not None and p.target_max is not None:
            time.append(f" / {format_target((p.target_min, p.target_max))}",
                        style="green" if p.seconds_off_target == 0 else "yellow")
        when = (p.started_at[5:16].replace("T", " ") if progress.period == "session"
                else p.session_id)
        table.add_row(when, str(p.attempts), coverage, pace,
                      time, FILLERS.format(p.fillers_per_minute, unit=True))
    console.print(table)
    trends = Table(box=box.SIMPLE_HEAD, title=f"Trend (first → last {progress.period})",
                   title_justify="left")
    trends.add_column("figure")
    trends.add_column("first", justify="right")
    trends.add_column("last", justify="right")
    trends.add_column(f"over {progress.period}s", no_wrap=True)
    trends.add_column("trend")
    for metric in TRENDED:
        t = progress.trend(metric.key)
        note = {"band": f" (aim {PACE_AIM[0]:.0f}-{PACE_AIM[1]:.0f})",
                "target": " (vs target)", "lower": " (fewer is better)"}.get(metric.better, "")
        trends.add_row(metric.label + note, metric.format(t.first, unit=True),
                       metric.format(t.last, unit=True),
                       sparkline([getattr(p, metric.key) for p in progress.points]),
                       Text(t.direction, style=TREND_STYLE.get(t.direction, "dim")))
    console.print(trends)
