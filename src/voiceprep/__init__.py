"""voiceprep: a local, private voice mock-interview coach."""

__version__ = "0.1.0"
