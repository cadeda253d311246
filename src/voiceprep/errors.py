"""The domain errors that the command line turns into one-line messages and exit codes."""

from __future__ import annotations


class VoiceprepError(Exception):
    """Base class: a problem the user can fix, reported as one line without a traceback."""

    exit_code = 1


class BankError(VoiceprepError):
    """A question bank that cannot be read or does not follow the format."""

    exit_code = 2

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        first = self.problems[0] if self.problems else "invalid question bank"
        more = (f" (and {len(self.problems) - 1} more problem(s); "
                "run 'voiceprep questions validate')")
        super().__init__(first + (more if len(self.problems) > 1 else ""))


class QuestionNotFound(VoiceprepError):
    exit_code = 2


class AudioError(VoiceprepError):
    """An audio file that is missing, unreadable or in a format we cannot decode."""

    exit_code = 2


class TranscriptionError(VoiceprepError):
    """The speech-recognition engine or its model is unavailable."""

    exit_code = 3


class SpeechError(VoiceprepError):
    """Text-to-speech is unavailable."""

    exit_code = 3


class RecorderError(VoiceprepError):
    """The microphone cannot be opened or read."""

    exit_code = 3


class StoreError(VoiceprepError):
    """The session history cannot be read or written, or a session/attempt does not exist."""

    exit_code = 2


class UnusableDatabase(StoreError):
    """The history's index is damaged or is no voiceprep database."""


class NotesError(VoiceprepError):
    """Prep notes that cannot be read or hold no question to import."""

    exit_code = 2
