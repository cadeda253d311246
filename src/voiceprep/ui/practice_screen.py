"""The practice loop in a terminal: the question spoken and printed, the live recording panel,
the feedback, and the menu after each answer."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.console import Console, RenderableType
from rich.panel import Panel
from rich.text import Text

from voiceprep.answer import Answer, Listening
from voiceprep.audio.recorder import RecorderOptions, Recording
from voiceprep.audio.text_to_speech import Speaker
from voiceprep.bank.questions import KeyPoint, Question
from voiceprep.hearing.transcript import Transcript
from voiceprep.history.store import Attempt, Session
from voiceprep.practice import CHOICES
from voiceprep.scoring.metrics import format_target
from voiceprep.scoring.score import ScoringOptions, score
from voiceprep.ui.live import live_recording
from voiceprep.ui.render import render_score

# Printed as plain text (the console reads no markup), so the brackets need no escaping.
MENU = ("[n]ext  [r]etry  [p]lay my answer  [a]nswer (reference)  "
        "[m]ade a point it missed  [q]uit")
CAPTION_WORDS = 14  # the live caption shows the last words heard
# While the answer is recorded only its key points are shown: the sentence model stays free.
LIVE_SCORING = ScoringOptions(star_by_meaning=False)


class TerminalUI:
    """`PracticeUI` for a person at a terminal."""

    def __init__(self, console: Console, speaker: Speaker, *, play: Callable[[Path], None],
                 live_captions: bool = False, read_line: Callable[[str], str] = input):
        self.console = console
        self.speaker = speaker
        self.live_captions = live_captions
        self._play = play
        self._read_line = read_line
        self._speech_note: str | None = None

    def session_started(self, session: Session, questions: list[Question]) -> None:
        self.console.print(Text.assemble("Session ", (session.id, "bold"),
                                         f": {len(questions)} question(s). "
                                         f"Answers are kept in {session.data_dir}."))
        self._report_silent_speaker()

    def ask(self, question: Question, number: int, total: int) -> None:
        self.console.rule(Text(f"Question {number}/{total} · {question.category} · "
                               f"target {format_target(question.target_seconds)}"))
        self.console.print(Text(question.prompt, style="bold"))
        self.speaker.say(question.prompt)
        self._report_silent_speaker()

    def follow_up(self, question: Question) -> None:
        self.console.print(Text.assemble(("Follow-up: ", "bold magenta"),
                                         (question.prompt, "bold")))
        self.speaker.say(question.prompt)
        self._report_silent_speaker()

    def record(self, question: Question, path: Path, options: RecorderOptions,
               listening: Listening) -> Recording:
        caption = LiveCaption(question, listening) if self.live_captions else None
        return live_recording(self.console, path, options, target_seconds=question.target_seconds,
                              on_chunk=listening.feed, extra=caption)

    @contextlib.contextmanager
    def waiting(self) -> Iterator[None]:
        with self.console.status("Transcribing the last words..."):
            yield

    def show(self, question: Question, answer: Answer, attempt: Attempt,
             recording: Recording) -> None:
        render_score(self.console, answer.score)
        if not recording.heard_speech:
            self.console.print("No speech was heard. Check the microphone with "
                               "'voiceprep devices' or 'voiceprep doctor'.", style="yellow")
        if attempt.audio_path:
            self.console.print(f"Saved {Path(attempt.audio_path).name} in "
                               f"{recording.path.parent}", style="dim")

    def choose(self) -> str:
        while True:
            self.console.print(MENU)
            try:
                key = self._read_line("> ").strip().lower()[:1]
            except EOFError:
                key = ""
            if key in CHOICES:
                return CHOICES[key]
            self.console.print(f"Unknown choice '{key}'.", style="yellow")

    def play(self, path: Path) -> None:
        if path.exists():
            self._play(path)
        else:
            self.notice("No recording to play.")

    def show_reference(self, question: Question) -> None:
        self.console.print(Panel(Text(question.reference), title="reference answer",
                                 expand=False))

    def pick_missed(self, missed: list[KeyPoint], suggest: Callable[[str], str]
                    ) -> tuple[str, str] | None:
        for number, kp in enumerate(missed, start=1):
            self.console.print(Text(f"  {number}. {kp.text}"))
        try:
            choice = self._read_line("Which point did you make? (number, Enter: none) ").strip()
            if not choice.isdigit() or not 1 <= int(choice) <= len(missed):
                return None
            kp = missed[int(choice) - 1]
            suggested = suggest(kp.id)
            if suggested:
                self.console.print(f"Closest words in your answer: “{suggested}”", style="dim")
            words = self._read_line("The words that made it (Enter: those): ").strip()
        except EOFError:
            return None
        words = words or suggested
        return (kp.id, words) if words else None

    def notice(self, message: str) -> None:
        with contextlib.suppress(OSError):  # the terminal may be gone (HUP)
            self.console.print(message, style="yellow")

    def _report_silent_speaker(self) -> None:
        """Say once why questions are not spoken (TTS missing, or it failed mid-session)."""
        reason = self.speaker.unavailable_reason
        if reason and self._speech_note is None:
            self.console.print(f"Questions will not be spoken: {reason}", style="yellow")
            self._speech_note = reason


class LiveCaption:
    """`--live`: the last words heard and the key points ticking off as they are covered."""

    def __init__(self, question: Question, transcriber: Listening):
        self.question = question
        self.transcriber = transcriber
        self._seen: Transcript | None = None
        self._shown: RenderableType = Text("")

    def __call__(self) -> RenderableType:
        heard = self.transcriber.partial()
        if heard is not self._seen:  # scored again only when something new was recognised
            self._seen = heard
            self._shown = self._render(heard)
        return self._shown

    def _render(self, heard: Transcript) -> RenderableType:
        words = heard.text.split()
        caption = Text("… " if len(words) > CAPTION_WORDS else "", style="dim")
        caption.append(" ".join(words[-CAPTION_WORDS:]) or "(listening)", style="italic")
        covered = {r.id for r in score(self.question, heard, LIVE_SCORING).key_points
                   if r.covered} if words else set()
        points = Text()
        for kp in self.question.key_points:
            done = kp.id in covered
            points.append("✓ " if done else "· ", style="bold green" if done else "dim")
            points.append(kp.text + "\n", style="green" if done else "dim")
        return Text.assemble(caption, "\n", points)
