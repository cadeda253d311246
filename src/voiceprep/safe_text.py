"""The terminal is the user's: text that came from outside (answers, transcripts, bank text, file
names) is shown with its control characters neutralised, so it can never clear the screen,
retitle the window, move the cursor or reorder what follows it.

One rule, applied where text leaves voiceprep: `safe_text` for plain lines, `SafeConsole` for
everything rich renders, `safe_json` for JSON (lossless: the same data, escaped). Text is never
read as rich markup (bank text is full of "[company name]"): the console has markup off, and
voiceprep's own styling is given as `Text` and styles.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import click
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Text

# Bidirectional controls reorder the text around them ("Trojan Source"); the other format
# characters listed here are invisible and used to disguise text.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = "\u2028\u2029\ufeff\ufff9\ufffa\ufffb"
# C0 (but tab and newline), DEL, C1 (an 8-bit terminal reads U+009B as CSI), and the above.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + _INVISIBLE + "]")
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f" + _BIDI + _INVISIBLE + "]")


def _escape_char(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str, *, one_line: bool = False) -> str:
    r"""`text` with every control character shown as its escape ("\x1b", "\u202e").

    Tabs and newlines are kept unless `one_line` (then they are escaped too)."""
    return (_UNSAFE_LINE if one_line else _UNSAFE).sub(lambda m: _escape_char(m.group()), text)


# What a terminal's colour and cursor codes look like in pasted text: a CSI sequence of numbers
# and a letter ("\x1b[1;31m", "\x1b[2J", 8-bit "\x9b31m"), a character set ("\x1b(B") and a
# finished OSC sequence (a title or a link, ended by BEL or ESC \).
_TERMINAL_CODE = re.compile(r"(?:\x1b\[|\x9b)[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]"
                            r"|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)")


def without_control_characters(text: str) -> str:
    """Text from outside (a person's notes) as a person reads it: terminal codes removed, every
    other control character made a space (so that words either side stay apart and every line
    keeps its number, as an editor counts lines); tabs and newlines kept."""
    return _UNSAFE.sub(" ", _TERMINAL_CODE.sub("", text.replace("\r\n", "\n")))


def unsafe_characters(text: str) -> list[str]:
    """The control characters in `text`, as escapes and names, for a validation message."""
    found = dict.fromkeys(m.group() for m in _UNSAFE.finditer(text))
    return [f"{_escape_char(c)} ({unicodedata.name(c, 'a control character')})" for c in found]


def safe_json(data: Any, **kwargs: Any) -> str:
    """json.dumps with C1, bidirectional and invisible characters escaped as \\uXXXX too (JSON
    already escapes C0): the same data for a program, harmless on a terminal. A NaN or infinite
    figure is written as null (a bare NaN is not JSON)."""
    text = json.dumps(_finite(data), ensure_ascii=False, allow_nan=False, **kwargs)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _finite(data: Any) -> Any:
    """`data` with every NaN or infinite float replaced by None."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_finite(value) for value in data]
    return data


def echo(message: str, *, err: bool = False, nl: bool = True, one_line: bool = False) -> None:
    """click.echo of a message that may carry outside text (a path, a transcript)."""
    try:
        click.echo(safe_text(message, one_line=one_line), err=err, nl=nl)
    except OSError:
        pass  # the terminal has gone (SIGHUP): there is nobody left to tell


class SafeConsole(Console):
    """A rich Console that neutralises control characters in whatever text it renders.

    Strings and Text are made safe before they are laid out (so an escape wraps like any text);
    any other segment is checked on its way out. Rich's own styling and cursor control (Live,
    status spinners) are control segments and pass through."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(safe_text(text), **kwargs)

    def render(self, renderable: RenderableType,
               options: ConsoleOptions | None = None) -> Iterable[Segment]:
        if isinstance(renderable, Text) and _UNSAFE.search(renderable.plain):
            renderable = _safe_rich_text(renderable)
        for segment in super().render(renderable, options):
            if segment.control or not _UNSAFE.search(segment.text):
                yield segment
            else:
                yield Segment(safe_text(segment.text), segment.style)


def _safe_rich_text(text: Text) -> Text:
    """A copy of `text` with each control character replaced by its escape, styles kept."""
    safe = text.blank_copy()
    position = 0
    for match in _UNSAFE.finditer(text.plain):
        safe.append_text(text[position:match.start()])
        escape = text[match.start():match.end()]
        escape.plain = _escape_char(match.group())
        safe.append_text(escape)
        position = match.end()
    safe.append_text(text[position:])
    return safe


def console(**kwargs: Any) -> SafeConsole:
    """The console every command prints through."""
    kwargs.setdefault("highlight", False)
    kwargs.setdefault("soft_wrap", False)
    kwargs.setdefault("markup", False)
    return SafeConsole(**kwargs)
