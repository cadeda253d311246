"""One answer's way through: audio -> transcript -> score.

The practice loop, `score --audio` and `recover` all go through here, live or from a file, so the
same audio always gives the same transcript and score.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from voiceprep.audio.load import SAMPLE_RATE, load_audio
from voiceprep.bank.questions import Question
from voiceprep.hearing.transcriber import TranscribeOptions, Transcriber
from voiceprep.hearing.transcript import Transcript
from voiceprep.memory import give_back_free_memory
from voiceprep.scoring.meaning import prepare_answer
from voiceprep.scoring.pitch import PitchTracker
from voiceprep.scoring.score import Score, ScoringOptions, score, uses_meaning


@dataclass(frozen=True)
class Answer:
    transcript: Transcript
    score: Score


def listen(question: Question, options: TranscribeOptions | None = None, *,
           scoring: ScoringOptions | None = None, live: bool = True) -> Transcriber:
    """A transcriber primed with the question's vocabulary: feed it the answer as it is spoken.
    When the answer will be scored by meaning too, what has been heard so far is embedded as it
    comes, so that scoring the finished answer has little left to do."""
    options = replace(options or TranscribeOptions(), vocabulary=question.vocabulary())
    if scoring is None or not uses_meaning(question, scoring):
        return Transcriber(options, live=live)

    def heard(transcript: Transcript) -> None:
        prepare_answer([w.word for w in transcript.words])

    return Transcriber(options, on_update=heard, live=live)


class Listening:
    """What hears an answer while it is spoken: the transcriber (its words) and a pitch tracker
    (its voice), fed the same blocks, so that little of either is left when it ends."""

    def __init__(self, transcriber: Transcriber, pitch: PitchTracker):
        self.transcriber = transcriber
        self.pitch = pitch

    def feed(self, samples: np.ndarray) -> None:
        self.transcriber.feed(samples)
        self.pitch.feed(samples)

    def partial(self) -> Transcript:
        """What has been recognised so far (Transcriber.partial)."""
        return self.transcriber.partial()


def hear(question: Question, transcriber: Transcriber,
         scoring: ScoringOptions | None = None, *,
         audio: Path | np.ndarray | PitchTracker | None = None) -> Answer:
    """The answer is over: its transcript (mostly decoded already) and its score (with the
    pitch figures when `audio`, its recording, 16 kHz samples or the tracker that heard it, is
    given)."""
    transcript = transcriber.finish()
    give_back_free_memory()  # what the decoding threads freed, before scoring
    return Answer(transcript, score(question, transcript, scoring or ScoringOptions(),
                                    audio=audio))


def answer_from_file(path: Path, question: Question,
                     options: TranscribeOptions | None = None,
                     scoring: ScoringOptions | None = None) -> Answer:
    """Transcribe and score a recording of an answer, through the same path as a live one."""
    samples = load_audio(Path(path), SAMPLE_RATE)
    transcriber = listen(question, options, scoring=scoring, live=False)
    transcriber.feed(samples)
    return hear(question, transcriber, scoring, audio=samples)
