"""The user's settings: a TOML file in the platform's config directory, every key validated.

    [scoring]
    pace_wpm = [110, 170]

Only the keys a user sets are written; every other one keeps its default (the documented
behaviour, with its reasons in docs/settings.md). $VOICEPREP_CONFIG names another file.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from voiceprep.errors import VoiceprepError
from voiceprep.files import InputFileError, read_text, read_toml, write_private
from voiceprep.scoring.meaning import MeaningOptions
from voiceprep.scoring.score import DELIVERY_FIGURES, ScoringOptions

APP_NAME = "voiceprep"
FILE_NAME = "settings.toml"


class SettingsError(VoiceprepError):
    """A settings file or value that does not follow the rules."""

    exit_code = 2


Check = Callable[[Any], str | None]  # the problem with a value, None when it is fine


def _number(low: float, high: float | None = None, *, integer: bool = False) -> Check:
    def check(value: Any) -> str | None:
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds) or not math.isfinite(value):
            return "must be " + ("a whole number" if integer else "a number")
        if value < low or (high is not None and value > high):
            return f"must be from {low:g} to {high:g}" if high is not None else \
                f"must be at least {low:g}"
        return None
    return check


def _band(value: Any) -> str | None:
    if (not isinstance(value, list) or len(value) != 2 or any(
            isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v)
            for v in value)):
        return "must be [slow, fast], two numbers of words per minute"
    if not 0 < value[0] < value[1]:
        return f"needs 0 < slow < fast, got {value}"
    return None


def _words(*, single: bool = False, allowed: tuple[str, ...] | None = None) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            return "must be a list of non-empty strings"
        problem = next(filter(None, map(_characters, value)), None)
        if problem:
            return problem
        if single and any(len(v.split()) != 1 for v in value):
            return "must hold single words (phrases go in scoring.set_off_fillers)"
        if allowed is not None:
            unknown = [v for v in value if v not in allowed]
            if unknown:
                return f"has unknown {', '.join(unknown)} (choose from {', '.join(allowed)})"
        if len({" ".join(v.lower().split()) for v in value}) != len(value):
            return "lists a value twice (case and spacing aside: words are matched so)"
        return None
    return check


def _as_said(words: list[str]) -> tuple[str, ...]:
    """Words as a transcript's are compared with them: lowercase, one space apart ("UM" is
    "um")."""
    return tuple(" ".join(w.lower().split()) for w in words)


def _text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "must be a non-empty string"
    return _characters(value)


def _characters(value: str) -> str | None:
    """What a settings file cannot hold or a terminal must not be sent: control characters."""
    from voiceprep.safe_text import unsafe_characters

    found = unsafe_characters(value)
    return f"must not hold control characters ({', '.join(found)})" if found else None


def _flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


@dataclass(frozen=True)
class Setting:
    key: str  # section.name
    default: Any  # None: not set (the engine's own default)
    check: Check
    help: str


_DEFAULT = ScoringOptions()
SETTINGS = (
    Setting("scoring.pace_wpm", list(_DEFAULT.pace_wpm), _band,
            "pace band [slow, fast] in words per minute; outside it delivery loses points"),
    Setting("scoring.long_pause_seconds", _DEFAULT.long_pause_seconds, _number(0.5, 30),
            "a gap between words longer than this is a long pause"),
    Setting("scoring.fillers", list(_DEFAULT.fillers), _words(single=True),
            "filler words, counted wherever they are said"),
    Setting("scoring.set_off_fillers", list(_DEFAULT.set_off_fillers), _words(),
            "fillers counted only when set off by commas (', you know,')"),
    Setting("scoring.hedges", list(_DEFAULT.hedges), _words(),
            "hedging words and phrases"),
    Setting("scoring.delivery_figures", list(_DEFAULT.delivery_figures),
            _words(allowed=DELIVERY_FIGURES), "the figures that count in the delivery score"),
    Setting("scoring.by_meaning", False, _flag,
            "also count key points said in other words (sentence embeddings; see docs/scoring.md)"),
    Setting("recording.silence_seconds", 3.0, _number(0.5, 60),
            "stop recording after this much silence that follows speech"),
    Setting("voice.voice", None, _text,
            "the question voice: joe (natural, 'make voice-natural') or from 'voiceprep voices'"),
    Setting("voice.rate", None, _number(40, 500, integer=True),
            "speaking rate of the questions in words per minute (default 175)"),
    Setting("practice.follow_ups", True, _flag,
            "ask a follow-up question when an answer misses a required key point"),
)
BY_KEY = {s.key: s for s in SETTINGS}
SECTIONS = tuple(dict.fromkeys(s.key.split(".")[0] for s in SETTINGS))


@dataclass(frozen=True)
class Settings:
    values: dict[str, Any]  # every key, with its default when the file does not set it
    path: Path
    from_file: frozenset[str] = frozenset()

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def help(self, key: str) -> str:
        return BY_KEY[key].help

    def scoring_options(self) -> ScoringOptions:
        v = self.values
        return replace(
            _DEFAULT, pace_wpm=(float(v["scoring.pace_wpm"][0]), float(v["scoring.pace_wpm"][1])),
            long_pause_seconds=float(v["scoring.long_pause_seconds"]),
            fillers=_as_said(v["scoring.fillers"]),
            set_off_fillers=_as_said(v["scoring.set_off_fillers"]),
            hedges=tuple(v["scoring.hedges"]),  # matched as words are, shown as written
            delivery_figures=tuple(v["scoring.delivery_figures"]),
            meaning=MeaningOptions() if v["scoring.by_meaning"] else None)

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "settings": {
            key: {"value": value, "default": BY_KEY[key].default, "set": key in self.from_file,
                  "help": BY_KEY[key].help}
            for key, value in self.values.items()}}


def settings_path() -> Path:
    """$VOICEPREP_CONFIG, else settings.toml in the platform's config directory."""
    override = os.environ.get("VOICEPREP_CONFIG")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / FILE_NAME


def load_settings(path: Path | None = None) -> Settings:
    """The settings in force: the file's values over the defaults (SettingsError when invalid)."""
    path = path or settings_path()
    values = {s.key: s.default for s in SETTINGS}
    data = _read(path)
    problems = []
    for section, table in data.items():
        if section not in SECTIONS:
            problems.append(f"unknown section '{section}' (sections: {', '.join(SECTIONS)})")
            continue
        if not isinstance(table, dict):
            problems.append(f"'{section}' must be a table ([{section}])")
            continue
        for name, value in table.items():
            key = f"{section}.{name}"
            problem = _problem(key, value)
            if problem:
                problems.append(problem)
            else:
                values[key] = value
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise SettingsError(f"settings file {path}: {problems[0]}{more}")
    set_keys = frozenset(f"{section}.{name}" for section, table in data.items()
                         for name in table)
    return Settings(values=values, path=path, from_file=set_keys)


def set_setting(key: str, text: str, path: Path | None = None) -> Settings:
    """Validate `text` (a TOML value; a bare word is taken as a string) for `key`, write it to
    the settings file, keeping the file's other lines and comments, and return the settings."""
    import tomlkit

    path = path or settings_path()
    value = parse_value(text)
    problem = _problem(key, value)
    if problem:
        raise SettingsError(problem)
    load_settings(path)  # refuse to rewrite a file that is already broken
    document = (tomlkit.parse(_read_text(path)) if _exists(path) else tomlkit.document())
    section, name = key.split(".", 1)
    if section not in document:
        document[section] = tomlkit.table()
    document[section][name] = value  # type: ignore[index]
    text = tomlkit.dumps(document)
    try:
        tomllib.loads(text)  # what is written must read back
    except (tomllib.TOMLDecodeError, RecursionError) as e:
        raise SettingsError(f"{key}: the value cannot be written as TOML ({e})") from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_private(path, text)  # atomic: a full disk leaves the old file whole
    except OSError as e:
        raise SettingsError(f"cannot write {path}: {e.strerror or e}") from e
    return load_settings(path)


def parse_value(text: str) -> Any:
    """A TOML value ('[120, 160]', '2.5', 'true', '"en-us"'), or the text itself as a string."""
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except (tomllib.TOMLDecodeError, RecursionError):
        return text


def _problem(key: str, value: Any) -> str | None:
    setting = BY_KEY.get(key)
    if setting is None:
        return f"unknown setting '{key}' (see 'voiceprep config show')"
    problem = setting.check(value)
    return f"{key} {problem}" if problem else None


def _exists(path: Path) -> bool:
    """False only when there is no file at all (a loop or a broken link is a problem to show)."""
    return os.path.lexists(path)


def _read(path: Path) -> dict[str, Any]:
    if not _exists(path):
        return {}
    try:
        return read_toml(path)
    except InputFileError as e:
        raise SettingsError(f"settings file {path}: {e.problem}") from None


def _read_text(path: Path) -> str:
    try:
        return read_text(path)
    except InputFileError as e:
        raise SettingsError(f"settings file {path}: {e.problem}") from None
