"""The command line: parse arguments, call one core function, render, map errors to exit codes."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from voiceprep import __version__
from voiceprep.bank.questions import (
    Bank,
    default_bank_path,
    load_bank,
    validate_bank,
    validate_bank_text,
)
from voiceprep.errors import BankError, StoreError, UnusableDatabase, VoiceprepError
from voiceprep.files import data_dir_problem, input_file_problem, output_file_problem
from voiceprep.interrupts import signal_of, stop_signals_as_interrupts
from voiceprep.memory import one_malloc_arena
from voiceprep.options import (
    bank_option,
    category_option,
    data_dir_option,
    input_device_option,
    json_option,
    max_option,
    overlay_correction_options,
    question_filter_option,
    rate_option,
    silence_option,
    voice_option,
    whisper_options,
)
from voiceprep.safe_text import console, echo, safe_json, safe_text

if TYPE_CHECKING:
    from voiceprep.history.overlay import Rescoring

DEFAULT_DATA_DIR = "recordings"


class VoiceprepGroup(click.Group):
    """Turns domain errors into one line on stderr and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VoiceprepError as e:
            echo(f"error: {e}", err=True, one_line=True)
            ctx.exit(e.exit_code)
        except KeyboardInterrupt as stop:
            echo("interrupted", err=True)  # quietly skipped when the terminal is gone (HUP)
            ctx.exit(128 + signal_of(stop))

    def main(self, args: Any = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        """Usage errors as one line (click prints three), with the same exit status 2."""
        try:
            _check_arguments(sys.argv[1:] if args is None else list(args))
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as e:
            command = e.ctx.command_path if e.ctx else "voiceprep"
            echo(f"error: {e.format_message()} (see '{command} --help')", err=True,
                 one_line=True)
            result = e.exit_code
        except click.ClickException as e:
            echo(f"error: {e.format_message()}", err=True, one_line=True)
            result = e.exit_code
        except click.Abort:  # Ctrl-C while click itself was reading input
            echo("interrupted", err=True)
            result = 128 + signal.SIGINT
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


def _check_arguments(args: list[str]) -> None:
    """Arguments are text: one that is not valid UTF-8 (a Latin-1 terminal, a stray byte) is a
    usage error here, before it can reach a file or the terminal as a lone surrogate."""
    for number, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
            raise click.UsageError(f"argument {number} ({shown}) is not valid UTF-8 text"
                                   ) from None


def print_json(data: Any) -> None:
    click.echo(safe_json(data, indent=2))


def data_dir_path(value: str | None) -> Path:
    """--data-dir, else $VOICEPREP_DATA_DIR, else ./recordings."""
    return Path(value or os.environ.get("VOICEPREP_DATA_DIR") or DEFAULT_DATA_DIR)


def checked_data_dir(value: str | None, *, write: bool = False) -> Path:
    """The data directory, checked before any work (for writing too when `write`)."""
    path = data_dir_path(value)
    problem = data_dir_problem(path, write=write)
    if problem:
        raise StoreError(f"cannot use {path} as the data directory: {problem}")
    return path


def open_data_dir(value: str | None, *, write: bool = False) -> Path:
    """The data directory, checked before any work (for writing too when `write`); recordings
    left by an interrupted run are indexed first, with a one-line notice."""
    path = checked_data_dir(value, write=write)
    from voiceprep.history.recovery import index_interrupted

    try:
        found = index_interrupted(path) if os.access(path, os.W_OK) or not path.exists() else []
    except UnusableDatabase:
        raise  # nothing can be read either: the command's own error says what to do
    except StoreError as e:  # a full disk: what is there can still be read
        echo(f"warning: answers left by an interrupted run were not indexed: {e}", err=True,
             one_line=True)
        found = []
    unscored = [a for a in found if a.score_path is None]
    if len(found) > len(unscored):
        echo(f"indexed {len(found) - len(unscored)} saved answer(s) the history did not list "
             "(its index was made again from their files)", err=True)
    if unscored:
        echo(f"found {len(unscored)} answer(s) recorded by a run that did not finish; they are "
             f"in the history now, unscored: run 'voiceprep recover' to score them", err=True)
    return path


def checked_output(path: Path) -> Path:
    """An output path that is safe to open (never a pipe or device that would hang)."""
    if str(path) == "-":  # a file named "-" is never what was meant
        raise click.UsageError("cannot write to standard output here: give a file name")
    problem = output_file_problem(path)
    if problem:
        raise click.UsageError(f"cannot write {path}: {problem}")
    return path


def get_bank(bank_path: Path | None) -> Bank:
    return load_bank(bank_path)


def personal_bank(bank_path: Path | None, data_dir: str | None) -> Bank:
    """The bank with the user's own wording (the overlay in the data directory) added."""
    from voiceprep.history.overlay import load_overlay

    return load_overlay(checked_data_dir(data_dir)).apply_bank(load_bank(bank_path))


@click.group(cls=VoiceprepGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="voiceprep")
def main() -> None:
    """voiceprep: practise interview answers aloud, offline, against your own prepared answers."""
    one_malloc_arena()


# ---- questions -------------------------------------------------------------------------------

@main.group(cls=VoiceprepGroup)
def questions() -> None:
    """List, show and validate the question bank; import one from your notes."""


@questions.command("list")
@bank_option
@category_option
@json_option()
def questions_list(bank_path: Path | None, category: str | None, as_json: bool) -> None:
    """List the questions of the bank."""
    from voiceprep.ui.render import render_question_list

    chosen = get_bank(bank_path).select(category=category)
    if as_json:
        print_json([q.to_dict() for q in chosen])
    else:
        render_question_list(console(), chosen)


@questions.command("show")
@click.argument("question_id")
@bank_option
@data_dir_option
@json_option()
def questions_show(question_id: str, bank_path: Path | None, data_dir: str | None,
                   as_json: bool) -> None:
    """Show one question: prompt, target time, key points (with your own wording) and
    reference answer."""
    from voiceprep.history.overlay import load_overlay
    from voiceprep.ui.render import render_question

    q = get_bank(bank_path).find(question_id)
    yours = load_overlay(checked_data_dir(data_dir)).for_question(q.id)
    if as_json:
        print_json({**q.to_dict(), "your_phrases": {k: list(v) for k, v in yours.items()}})
    else:
        render_question(console(), q, yours=yours)


@questions.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def questions_validate(path: Path | None) -> None:
    """Check a bank file or directory; list every problem; exit 0 only when clean."""
    target = path or default_bank_path()
    problems = validate_bank(target)
    if problems:
        for p in problems:
            echo(p, err=True, one_line=True)
        raise BankError([f"{len(problems)} problem(s) in {target}"])
    bank = load_bank(target)
    points = sum(len(q.key_points) for q in bank.questions)
    echo(f"ok: {target}: {len(bank.questions)} questions, {points} key points")


@questions.command("import")
@click.argument("notes", nargs=-1, required=True, metavar="NOTES...")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="BANK.toml",
              help="Write the bank here; when it exists, update it, keeping your hand edits "
                   "(default: print it).")
def questions_import(notes: tuple[str, ...], output: Path | None) -> None:
    """Draft a bank from your prep notes (Markdown, plain text, or a spreadsheet saved as CSV;
    '-' reads standard input): questions, reference answers, key points and their phrases."""
    from voiceprep.bank.importer import import_notes, read_notes

    stdin = sys.stdin.buffer.read() if "-" in notes else None
    if output is not None:
        checked_output(output)
    result = import_notes(read_notes(notes, stdin), output)
    text = result.to_toml()
    problems = validate_bank_text(text, output or Path("bank.toml"))
    if problems:  # the import writes only what the validator takes: a bug if not
        raise BankError(problems)
    if output is None:
        click.echo(text, nl=False)
    else:
        from voiceprep.files import write_private

        try:  # the bank being updated is left whole if the write fails (a full disk)
            write_private(output, text, make_folder=True)
        except OSError as e:
            raise StoreError(f"cannot write {output}: {e.strerror or e}") from e
    points = sum(len(q.question.key_points) for q in result.questions)
    kept = sum(len(q.kept) for q in result.questions)
    count = len(result.questions)
    echo(f"imported {count} question{'' if count == 1 else 's'}, "
         f"{points} key point{'' if points == 1 else 's'}"
         + (f" ({kept} kept as you edited them)" if kept else "")
         + (f" into {output}" if output else ""), err=True)
    for item in result.questions:
        for point_id in item.superseded:  # its line in the notes changed after the edit
            echo(f"  {item.question.id}: kept your edited key point over the notes' new "
                 f"wording of it ({point_id}): check it still says what you say",
                 err=True, one_line=True)
    for question_id, found in result.placeholders.items():
        echo(f"  {question_id}: to fill in: {', '.join(found)}", err=True, one_line=True)
    for prompt in result.empty:
        echo(f"  left out (no answer in the notes): {prompt}", err=True, one_line=True)
    for prompt in result.no_points:
        echo(f"  left out (no key point in its answer): {prompt}", err=True, one_line=True)
    for prompt, holes in result.unfilled:
        echo(f"  left out (its answer is still to fill in: {', '.join(holes)}): {prompt}",
             err=True, one_line=True)
    for question_id in result.dropped:
        echo(f"  dropped (no longer in the notes): {question_id}", err=True, one_line=True)
    for question_id in result.stayed:
        echo(f"  kept though no longer in the notes (you edited its key points; delete it from "
             f"the bank if the notes renamed it): {question_id}", err=True, one_line=True)


# ---- config ----------------------------------------------------------------------------------

@main.group(cls=VoiceprepGroup)
def config() -> None:
    """Show and change your settings (a TOML file in your config directory)."""


@config.command("show")
@json_option()
def config_show(as_json: bool) -> None:
    """Every setting with its value; the ones your file sets are marked."""
    from voiceprep.settings import load_settings

    settings = load_settings()
    if as_json:
        print_json(settings.to_dict())
        return
    from voiceprep.ui.render import render_settings

    render_settings(console(), settings)


@config.command("set", context_settings={"ignore_unknown_options": True})
@click.argument("key")
@click.argument("value")  # "-1" is a value to check, not an option
def config_set(key: str, value: str) -> None:
    """Set KEY (e.g. scoring.pace_wpm) to VALUE (a TOML value: '[120, 160]', 2.5, true, en-us)."""
    from voiceprep.settings import parse_value, set_setting

    if key == "voice.voice":
        _check_voice(parse_value(value))
    settings = set_setting(key, value)
    echo(f"{key} = {safe_json(settings[key])}  ({settings.path})")


def _check_voice(voice: object) -> None:
    """A voice that no practice could speak with is refused when it is set, not at each
    practice. Where no text-to-speech can be loaded to ask, any name is taken."""
    from voiceprep.audio import natural_voice
    from voiceprep.audio.text_to_speech import find_voice
    from voiceprep.errors import SpeechError
    from voiceprep.settings import BY_KEY, SettingsError

    if (not isinstance(voice, str) or BY_KEY["voice.voice"].check(voice) is not None
            or natural_voice.is_natural(voice)):
        return  # set_setting says what is wrong; the natural voice falls back when missing
    try:
        find_voice(voice)
    except SpeechError as e:
        if str(e).startswith("unknown voice"):
            raise SettingsError(f"voice.voice: {e}") from None


@config.command("path")
def config_path() -> None:
    """Where the settings file is (it need not exist yet)."""
    from voiceprep.settings import settings_path

    click.echo(str(settings_path()))


# ---- score -----------------------------------------------------------------------------------

@main.command("score")
@click.option("--question", "-q", "question_id", required=True, help="The question's id.")
@click.option("--text", "text_path", metavar="FILE|-",
              help="A typed or pasted transcript of the answer ('-' reads standard input).")
@click.option("--audio", "audio_path", type=click.Path(path_type=Path), metavar="FILE",
              help="A recording of the answer (WAV, FLAC, MP3, OGG, M4A), transcribed first.")
@whisper_options
@bank_option
@json_option("Print the score as one JSON object.")
@click.option("--save", is_flag=True,
              help="Keep the --audio recording and its score as an attempt in a new session.")
@data_dir_option
def score_command(question_id: str, text_path: str | None, audio_path: Path | None,
                  model: str | None, engine: str, bank_path: Path | None,
                  as_json: bool, save: bool, data_dir: str | None) -> None:
    """Score an answer against a question's key points, timing, pace and fillers."""
    from voiceprep.scoring.score import score
    from voiceprep.settings import load_settings

    if (text_path is None) == (audio_path is None):
        raise click.UsageError("give exactly one of --text FILE (or '-') and --audio FILE")
    engine_given = (click.get_current_context().get_parameter_source("engine")
                    is not click.core.ParameterSource.DEFAULT)
    if text_path is not None and (model or engine_given):
        raise click.UsageError("--model and --engine apply to --audio only")
    if save and audio_path is None:
        raise click.UsageError("--save keeps a recording: use it with --audio FILE")
    directory = open_data_dir(data_dir, write=True) if save else None  # before transcribing
    settings = load_settings()
    bank = personal_bank(bank_path, data_dir)
    question = bank.find(question_id)
    if text_path is not None:
        transcript = _read_text_transcript(text_path)
        result = score(question, transcript, settings.scoring_options())
    else:
        assert audio_path is not None
        transcript, result = _hear_recording(audio_path, question, model, engine,
                                             settings.scoring_options())
    attempt = None
    if save:  # kept first: a closed output (| head) must not cost the attempt
        from voiceprep.history.store import Store

        assert audio_path is not None and directory is not None
        with Store(directory) as store:
            attempt = store.import_recording(audio_path, question, transcript, result,
                                             bank_title=bank.title)
    if as_json:
        print_json(result.to_dict())
    else:
        from voiceprep.ui.render import render_score

        render_score(console(), result)
    if attempt is not None:
        echo(f"saved as attempt {attempt.attempt_number} of {question.id} in session "
             f"{attempt.session_id}", err=True)


def _read_text_transcript(text_path: str) -> Any:
    from voiceprep.files import STDIN, InputFileError, decode_text, read_text
    from voiceprep.hearing.transcript import Transcript

    name = STDIN if text_path == "-" else text_path
    try:
        text = decode_text(sys.stdin.buffer.read(), name) if text_path == "-" else read_text(
            Path(text_path))
    except InputFileError as e:
        problem = e.problem.removeprefix("cannot read: ")
        hint = "" if text_path == "-" or e.content else " (use '-' to read standard input)"
        raise click.UsageError(f"cannot read {name}: {problem}{hint}") from None
    except OSError as e:
        raise click.UsageError(f"cannot read {name}: {e.strerror or e}") from None
    if not text.strip():
        raise click.UsageError(f"the transcript in {name} is empty")
    return Transcript.from_text(text)


def _hear_recording(audio_path: Path, question: Any, model: str | None, engine: str,
                    scoring: Any) -> Any:
    from voiceprep.answer import answer_from_file
    from voiceprep.hearing.transcriber import TranscribeOptions

    problem = input_file_problem(audio_path)
    if problem:
        raise click.UsageError(f"cannot read {audio_path}: {problem}")
    answer = answer_from_file(audio_path, question,
                              TranscribeOptions(model=model, engine=engine),
                              scoring)
    if not answer.transcript.text.strip():
        raise VoiceprepError(f"no speech recognised in {audio_path}")
    return answer.transcript, answer.score


# ---- history: sessions, review, progress, report, export ----------------------------------------

@main.command("sessions")
@data_dir_option
@json_option("Print JSON (every session unless --limit).")
@click.option("--limit", "-n", type=click.IntRange(min=1), metavar="N",
              help="Only the newest N sessions (the table shows the newest 30 by default).")
@click.option("--all", "show_all", is_flag=True, help="Every session in the table.")
def sessions_command(data_dir: str | None, as_json: bool, limit: int | None,
                     show_all: bool) -> None:
    """List practice sessions, newest first, with answer counts and averages."""
    from voiceprep.history.store import Store
    from voiceprep.ui.render import SESSION_ROWS, render_sessions

    if limit is None and not (as_json or show_all):
        limit = SESSION_ROWS
    with Store(open_data_dir(data_dir)) as store:
        summaries = store.sessions(limit=limit)
        total = store.session_count() if limit is not None else None
    if as_json:
        print_json([s.to_dict() for s in summaries])
    else:
        render_sessions(console(), summaries, total)


@main.command("review")
@click.argument("session_ref", metavar="[SESSION|latest]", default="latest")
@question_filter_option
@data_dir_option
@json_option()
@click.option("--play", is_flag=True, help="Replay the last recorded answer (of --question).")
@click.option("--accept", "accept_id", metavar="KEY_POINT_ID", hidden=True,
              help="The same as `voiceprep overlay accept KEY_POINT_ID`.")
@click.option("--undo", "undo_id", metavar="KEY_POINT_ID", hidden=True,
              help="The same as `voiceprep overlay undo KEY_POINT_ID`.")
@click.option("--words", hidden=True, help="With --accept or --undo: as for `overlay`.")
@click.option("--bank", "bank_path", type=click.Path(path_type=Path), hidden=True,
              help="With --accept or --undo: as for `overlay`.")
def review_command(session_ref: str, question_id: str | None, data_dir: str | None,
                   as_json: bool, play: bool, accept_id: str | None, undo_id: str | None,
                   words: str | None, bank_path: Path | None) -> None:
    """Transcripts with covered key points highlighted, missed points, delivery figures,
    the reference answer, and retries compared."""
    from voiceprep.history.recovery import unscored_attempts
    from voiceprep.history.review import find_attempt, review_session
    from voiceprep.history.store import Store
    from voiceprep.ui.render import render_review

    if accept_id and undo_id:
        raise click.UsageError("give one of --accept and --undo")
    if accept_id or undo_id:  # the older spelling of `overlay accept` and `overlay undo`
        _correct(open_data_dir(data_dir, write=True), session_ref, question_id,
                 accept_id or undo_id, words, bank_path, accept=accept_id is not None)
        return
    with Store(open_data_dir(data_dir)) as store:
        session = store.session(session_ref)
        review = review_session(store, session, question_id)
        unscored = unscored_attempts(store, session.id)
    if unscored:
        echo(f"{len(unscored)} answer(s) of this session are not scored yet: run "
             "'voiceprep recover'", err=True)
    if as_json:
        print_json(review.to_dict())
    else:
        render_review(console(), review)
    if play:
        from voiceprep.audio.playback import play_audio

        attempt = find_attempt(review, question_id)
        if attempt.audio is None:
            raise StoreError(f"attempt {attempt.attempt.attempt_number} of "
                             f"{attempt.attempt.question_id} has no recording"
                             + (f" ({attempt.attempt.audio_path} is missing)"
                                if attempt.attempt.audio_path else ""))
        echo(f"playing {attempt.audio}", err=True)
        play_audio(attempt.audio)


@main.command("forget")
@click.argument("session_ref", metavar="SESSION|latest")
@question_filter_option
@click.option("--attempt", "attempt_number", type=click.IntRange(min=1), default=None,
              help="Only this try of --question (1 is the first).")
@click.option("--yes", "-y", is_flag=True, help="Delete without asking.")
@data_dir_option
def forget_command(session_ref: str, question_id: str | None, attempt_number: int | None,
                   yes: bool, data_dir: str | None) -> None:
    """Delete answers for good: a session's recordings, transcripts and scores (or those of one
    question, or of one try), and their place in the history."""
    from voiceprep.history.store import Store

    if attempt_number is not None and question_id is None:
        raise click.UsageError("--attempt needs --question")
    with Store(open_data_dir(data_dir, write=True)) as store:
        session = store.session(session_ref)
        chosen = store.with_follow_ups(session, [
            a for a in store.attempts(session_id=session.id)
            if question_id in (None, a.question_id) and (
                attempt_number is None
                or (a.attempt_number == attempt_number and a.follow_up_of is None))])
        what = (f"try {attempt_number} of " if attempt_number else "") + (
            f"{question_id} in " if question_id else "") + f"session {session.id}"
        if not chosen:
            raise StoreError(f"no answer to forget: {what} has none")
        if not yes:
            if not sys.stdin.isatty():
                raise click.UsageError(f"this deletes {len(chosen)} answer(s) of {what} for "
                                       "good: give --yes to do it without being asked")
            if not click.confirm(f"Delete {len(chosen)} answer(s) of {what} (recordings, "
                                 "transcripts, scores, and the session's report) for good?",
                                 default=False):
                echo("nothing deleted")
                return
        gone = store.forget(session, chosen)
    echo(f"deleted {gone} answer(s) of {what}", one_line=True)


def _correct(directory: Path, session_ref: str, question_id: str | None, point_id: str | None,
             words: str | None, bank_path: Path | None, *, accept: bool) -> None:
    """Accept (or undo) the user's wording for a key point of the question answered last in a
    session: change the overlay, then re-score the question's attempts."""
    from voiceprep.history.overlay import (
        OverlayError,
        accept_point,
        rescore,
        suggest_words,
        undo_point,
    )
    from voiceprep.history.review import find_attempt, review_session
    from voiceprep.history.store import Store
    from voiceprep.settings import load_settings

    with Store(directory) as store:
        attempt = find_attempt(review_session(store, store.session(session_ref), question_id),
                               question_id)
    bank = get_bank(bank_path)
    question = bank.find(attempt.attempt.question_id)
    points = {k.id: k for k in attempt.score.key_points}
    assert point_id is not None
    if point_id not in points:
        raise OverlayError(f"no key point '{point_id}' in {question.id} "
                           f"(known: {', '.join(points)})")
    if accept:
        if points[point_id].covered:
            raise OverlayError(f"'{point_id}' is already covered in attempt "
                               f"{attempt.attempt.attempt_number} of {question.id}")
        if words is None:
            heard = attempt.transcript.text.split()
            suggested = suggest_words(question, heard, point_id)
            words = (click.prompt("The words that made the point", default=suggested or None)
                     if sys.stdin.isatty() else suggested)
        accept_point(directory, bank, question.id, point_id, words)
        echo(f"accepted: “{' '.join(words.split())}” now counts for {question.id}/{point_id}",
             one_line=True)
    else:
        undo_point(directory, bank, question.id, point_id, words)
        echo(f"undone: your wording for {question.id}/{point_id}")
    _print_rescored(rescore(directory, bank, question.id, load_settings().scoring_options()))


def _print_rescored(rescoring: Rescoring) -> None:
    changed = [r for r in rescoring.rescored if r.before != r.after]
    for r in changed:
        echo(f"  {r.attempt.session_id} attempt {r.attempt.attempt_number} of "
             f"{r.attempt.question_id}: {r.before} -> {r.after}", one_line=True)
    echo(f"re-scored {len(rescoring.rescored)} attempt(s), {len(changed)} changed")
    if rescoring.elsewhere:  # practised with another bank (--bank): left as they were
        echo(f"{rescoring.elsewhere} attempt(s) asked from another bank kept their scores "
             "(give that bank with --bank to re-score them)")
    _fail_after_the_rest(rescoring.unreadable, "it kept its score")


def _fail_after_the_rest(problems: list[str], outcome: str) -> None:
    """The answers a command could not do, once it did the others: each said, the last as
    the error (exit status 2)."""
    for problem in problems[:-1]:
        echo(f"warning: {outcome}: {problem}", err=True, one_line=True)
    if problems:
        raise StoreError(f"{problems[-1]} ({outcome})")


@main.command("rescore")
@question_filter_option
@bank_option
@data_dir_option
def rescore_command(question_id: str | None, bank_path: Path | None,
                    data_dir: str | None) -> None:
    """Score past attempts again with the bank and your own wording (the overlay)."""
    from voiceprep.history.overlay import rescore
    from voiceprep.settings import load_settings

    bank = get_bank(bank_path)
    if question_id is not None:
        bank.find(question_id)
    directory = open_data_dir(data_dir, write=True)
    _print_rescored(rescore(directory, bank, question_id, load_settings().scoring_options()))


@main.group("overlay", cls=VoiceprepGroup)
def overlay_group() -> None:
    """Your own wording for key points: accept or undo it, export it to merge into your bank,
    or import it."""


@overlay_group.command("accept")
@overlay_correction_options
def overlay_accept(key_point_id: str, question_id: str | None, session_ref: str,
                   words: str | None, bank_path: Path | None, data_dir: str | None) -> None:
    """You made KEY_POINT_ID and the coach missed it: count your words for it from now on, and
    re-score the question's attempts."""
    _correct(open_data_dir(data_dir, write=True), session_ref, question_id, key_point_id, words,
             bank_path, accept=True)


@overlay_group.command("undo")
@overlay_correction_options
def overlay_undo(key_point_id: str, question_id: str | None, session_ref: str,
                 words: str | None, bank_path: Path | None, data_dir: str | None) -> None:
    """Take back the wording accepted for KEY_POINT_ID (only --words, when given), and re-score
    the question's attempts."""
    _correct(open_data_dir(data_dir, write=True), session_ref, question_id, key_point_id, words,
             bank_path, accept=False)


@overlay_group.command("export")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write here, not stdout.")
@bank_option
@data_dir_option
def overlay_export(output: Path | None, bank_path: Path | None, data_dir: str | None) -> None:
    """Print (or write) the overlay as TOML in the bank format."""
    from voiceprep.history.overlay import load_overlay

    if output is not None:
        checked_output(output)  # never a directory, a pipe or a device node
    text = load_overlay(checked_data_dir(data_dir)).to_toml(get_bank(bank_path))
    if output is None:
        click.echo(text, nl=False)  # every string in it is escaped (overlay._string)
        return
    from voiceprep.files import write_private

    try:
        write_private(output, text, make_folder=True)
    except OSError as e:
        raise StoreError(f"cannot write {output}: {e.strerror or e}") from e
    echo(f"wrote {output}", err=True)


@overlay_group.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@bank_option
@data_dir_option
def overlay_import(path: Path, bank_path: Path | None, data_dir: str | None) -> None:
    """Add the phrases of an exported overlay to yours, then re-score the attempts."""
    from voiceprep.history.overlay import import_overlay, read_overlay, rescore
    from voiceprep.settings import load_settings

    directory = open_data_dir(data_dir, write=True)
    bank = get_bank(bank_path)
    incoming = read_overlay(path)
    import_overlay(directory, bank, incoming)
    echo(f"imported {sum(len(p) for p in incoming.phrases.values())} phrase(s) from {path}",
         one_line=True)
    _print_rescored(rescore(directory, bank, scoring=load_settings().scoring_options()))


@main.command("progress")
@question_filter_option
@category_option
@data_dir_option
@json_option()
@click.option("--chart", "chart_path", type=click.Path(path_type=Path), metavar="FILE",
              help="Also write a PNG chart of the four figures.")
def progress_command(question_id: str | None, category: str | None, data_dir: str | None,
                     as_json: bool, chart_path: Path | None) -> None:
    """Coverage, pace, speaking time against target and fillers per minute over sessions,
    with their trends."""
    from voiceprep.history.progress import compute_progress
    from voiceprep.history.store import Store
    from voiceprep.ui.chart import MAX_POINTS, write_chart
    from voiceprep.ui.render import PROGRESS_ROWS, render_progress

    if chart_path is not None:
        checked_output(chart_path)
    with Store(open_data_dir(data_dir)) as store:
        # JSON has every session; a table or a chart sums a long history up by period.
        progress = compute_progress(store, question_id, category,
                                    most_points=None if as_json else PROGRESS_ROWS)
        charted = None if chart_path is None else compute_progress(
            store, question_id, category, most_points=MAX_POINTS)
    if as_json:
        print_json(progress.to_dict())
    else:
        render_progress(console(), progress)
    if chart_path is not None and charted is not None:
        echo(f"chart: {write_chart(charted, chart_path)}", err=as_json)


@main.command("report")
@click.argument("session_ref", metavar="[SESSION|latest]", default="latest")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="FILE",
              help="Where to write the HTML (default: <data-dir>/reports/<session>.html).")
@data_dir_option
def report_command(session_ref: str, output: Path | None, data_dir: str | None) -> None:
    """Write one self-contained HTML report of a session, to open in a browser."""
    from voiceprep.history.store import Store
    from voiceprep.ui.html_report import write_report

    if output is not None:
        checked_output(output)
    with Store(open_data_dir(data_dir)) as store:
        echo(str(write_report(store, store.session(session_ref), output)))


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="CSV with a header row, or a JSON list.")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="FILE",
              help="Write to FILE instead of standard output ('-': standard output).")
@data_dir_option
def export_command(fmt: str, output: Path | None, data_dir: str | None) -> None:
    """Every attempt with its figures, for a spreadsheet or another tool."""
    from voiceprep.history.export import export_text, write_export
    from voiceprep.history.store import Store

    with Store(open_data_dir(data_dir)) as store:
        if output is None or str(output) == "-":
            text = export_text(store, fmt)
            # CSV cannot escape a control character; the JSON has (safe_json).
            click.echo(safe_text(text) if fmt == "csv" else text, nl=False)
        else:
            count = write_export(store, fmt, checked_output(output))
            echo(f"{count} attempt(s) written to {output}", err=True)


# ---- voice: say, voices, devices, record, doctor -------------------------------------------------

@main.command("say")
@click.argument("text")
@voice_option
@rate_option
@click.option("--save", "save_path", type=click.Path(path_type=Path), metavar="FILE",
              help="Write the speech to a WAV file instead of playing it.")
def say_command(text: str, voice: str | None, rate: int | None, save_path: Path | None) -> None:
    """Speak TEXT aloud with the question voice (or save it to a WAV file)."""
    from voiceprep.audio.text_to_speech import (
        fallback_note,
        open_speaker,
        output_unavailable_reason,
    )
    from voiceprep.settings import load_settings

    settings = load_settings()
    if save_path is not None:
        checked_output(save_path)
    voice = voice or settings["voice.voice"]
    note = fallback_note(voice)
    if note:
        echo(note, err=True)
    speaker = open_speaker(voice, rate or settings["voice.rate"])
    if save_path is not None:
        echo(str(speaker.save_to_file(text, save_path)))
        return
    reason = output_unavailable_reason()
    if reason:
        from voiceprep.errors import SpeechError

        raise SpeechError(f"cannot speak: {reason} (use --save FILE to write a WAV)")
    speaker.say(text)


@main.command("voices")
@json_option()
def voices_command(as_json: bool) -> None:
    """List the text-to-speech voices (for --voice)."""
    from voiceprep.audio.natural_voice import NAME, missing_reason
    from voiceprep.audio.text_to_speech import list_voices
    from voiceprep.ui.render import render_voices

    voices = list_voices()
    if as_json:
        print_json([v.to_dict() for v in voices])
        return
    render_voices(console(), voices)
    missing = missing_reason()
    if missing:
        echo(f"The natural voice '{NAME}' is {missing}.")


@main.command("devices")
@json_option()
def devices_command(as_json: bool) -> None:
    """List the microphones (input devices) for --input-device."""
    from voiceprep.audio.devices import list_input_devices
    from voiceprep.ui.render import render_devices

    devices = list_input_devices()
    if as_json:
        print_json(devices)
        return
    if not devices:
        click.echo("no input devices found (no microphone, or PulseAudio is not running); "
                   "see `voiceprep doctor`", err=True)
        return
    render_devices(console(), devices)
    click.echo("* the default microphone", err=True)


@main.command("record")
@click.argument("path", type=click.Path(path_type=Path))
@input_device_option
@silence_option
@max_option
@json_option("Print the recording's figures as JSON.")
def record_command(path: Path, input_device: str | None, silence_seconds: float | None,
                   max_seconds: float, as_json: bool) -> None:
    """Record the microphone to a WAV file (16 kHz mono), to try the microphone out."""
    from voiceprep.audio.recorder import RecorderOptions
    from voiceprep.settings import load_settings
    from voiceprep.ui.live import live_recording

    checked_output(path)
    silence = silence_seconds or load_settings()["recording.silence_seconds"]
    options = RecorderOptions(device=input_device, silence_seconds=silence,
                              max_seconds=max_seconds)
    with stop_signals_as_interrupts():  # with --json, stdout holds the JSON only
        recording = live_recording(console(stderr=as_json), path, options)
    if recording.stop_signal is not None:
        # Ctrl-C, kill or a closed terminal stopped the recorder, which kept the file.
        name = signal.Signals(recording.stop_signal).name
        echo(f"interrupted ({name}): the recording so far is kept in {path}", err=True)
        sys.exit(128 + recording.stop_signal)
    if as_json:
        print_json(recording.to_dict())


@main.command("doctor")
@input_device_option
@data_dir_option
@json_option()
def doctor_command(input_device: str | None, data_dir: str | None, as_json: bool) -> None:
    """Check text-to-speech, the microphone, the Whisper model and the data directory."""
    from voiceprep.doctor import failed_required, run_checks
    from voiceprep.ui.render import render_checks

    checks = run_checks(data_dir_path(data_dir), input_device)
    if as_json:
        print_json([c.to_dict() for c in checks])
    else:
        render_checks(console(), checks)
    failed = failed_required(checks)
    if failed:
        raise VoiceprepError(f"{len(failed)} required check(s) failed: "
                             + "; ".join(f"{c.name}: {c.fix}" for c in failed))


# ---- plan ----------------------------------------------------------------------------------------

@main.command("plan")
@bank_option
@click.option("--category", help="Only questions of this category.")
@click.option("--days", type=click.IntRange(1, 365), default=7, show_default=True,
              help="How many days ahead to show.")
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plan_command(bank_path: Path | None, category: str | None, days: int,
                 data_dir: str | None, as_json: bool) -> None:
    """What is due today and in the next days (spaced repetition of your answers), per bank."""
    from datetime import datetime

    from voiceprep.history.schedule import make_plan, schedule_of
    from voiceprep.history.store import Store
    from voiceprep.ui.render import render_plan

    bank = personal_bank(bank_path, data_dir)
    questions = bank.select(category=category)
    with Store(open_data_dir(data_dir)) as store:
        plan = make_plan(schedule_of(store), questions, datetime.now().astimezone(), days)
    if as_json:
        print_json(plan.to_dict())
    else:
        render_plan(console(), plan, {q.id: q for q in questions})


# ---- practice ------------------------------------------------------------------------------------

@main.command("practice")
@bank_option
@category_option
@click.option("--question", "-q", "question_ids", multiple=True, metavar="ID",
              help="Practise this question (repeat for more).")
@click.option("--count", "-n", type=click.IntRange(min=1), help="At most this many questions.")
@click.option("--order", type=click.Choice(["bank", "shuffle", "weakest", "due"]),
              default="bank", show_default=True,
              help="weakest: lowest recent coverage first; due: the spaced-repetition order "
              "(due today first, see 'voiceprep plan').")
@click.option("--due", "due_only", is_flag=True,
              help="Only what is due today (never practised questions too), in the due order; "
              "then follow-ups about the missed points you keep missing.")
@click.option("--seed", type=int, help="Random seed for --order shuffle.")
@click.option("--no-voice", is_flag=True, help="Print the questions without speaking them.")
@click.option("--no-follow-ups", is_flag=True,
              help="Do not ask a follow-up question when an answer misses a required point.")
@voice_option
@rate_option
@input_device_option
@silence_option
@whisper_options
@click.option("--live", "live_captions", is_flag=True,
              help="Show what is heard while you answer, and the key points as you cover them.")
@data_dir_option
def practice_command(
    bank_path: Path | None, category: str | None, question_ids: tuple[str, ...],
    count: int | None, order: str, due_only: bool, seed: int | None, no_voice: bool,
    no_follow_ups: bool, voice: str | None,
    rate: int | None, input_device: str | None, silence_seconds: float | None,
    model: str | None,
    engine: str, live_captions: bool, data_dir: str | None,
) -> None:
    """Practise: hear each question, answer aloud, get scored; every attempt is kept."""
    from voiceprep.audio.devices import find_input_device
    from voiceprep.audio.playback import play_audio
    from voiceprep.audio.recorder import RecorderOptions
    from voiceprep.audio.text_to_speech import fallback_note, make_speaker
    from voiceprep.hearing.transcriber import TranscribeOptions, load_engine_in_background
    from voiceprep.interrupts import stop_signals_as_interrupts
    from voiceprep.practice import PracticeOptions, choose_questions, run_practice
    from voiceprep.scoring.meaning import prepare_in_background
    from voiceprep.scoring.score import uses_meaning
    from voiceprep.settings import load_settings
    from voiceprep.ui.practice_screen import TerminalUI

    out = console()
    directory = open_data_dir(data_dir, write=True)
    settings = load_settings()
    bank = personal_bank(bank_path, data_dir)
    chosen = choose_questions(bank, directory, category=category, ids=question_ids,
                              order=order, count=count, seed=seed, due_only=due_only)
    if due_only and not chosen:
        echo("nothing is due today; 'voiceprep plan' shows what comes next")
        return
    follow_up_points: frozenset[tuple[str, str]] = frozenset()
    if due_only:
        from voiceprep.history.schedule import schedule_of
        from voiceprep.history.store import Store

        with Store(directory) as store:
            follow_up_points = frozenset(schedule_of(store).points)
    find_input_device(input_device)  # fail before anything starts when there is no microphone
    options = PracticeOptions(
        recorder=RecorderOptions(device=input_device, silence_seconds=silence_seconds
                                 or settings["recording.silence_seconds"]),
        transcription=TranscribeOptions(model=model, engine=engine),
        scoring=settings.scoring_options(),
        follow_ups=settings["practice.follow_ups"] and not no_follow_ups,
        follow_up_points=follow_up_points,
    )
    # The models load while the first question is spoken; the first answer waits for them only
    # when they are not there by the time the first words need decoding (or scoring).
    loading = load_engine_in_background(options.transcription)
    if any(uses_meaning(q, options.scoring) for q in chosen):
        prepare_in_background(chosen, after=loading)
    voice = voice or settings["voice.voice"]
    note = None if no_voice else fallback_note(voice)
    if note:
        out.print(f"[yellow]{note}[/yellow]")
    speaker = make_speaker(enabled=not no_voice, voice=voice, rate=rate or settings["voice.rate"])

    def play(path: Path) -> None:
        try:
            play_audio(path)
        except VoiceprepError as e:
            out.print(str(e), style="yellow")

    ui = TerminalUI(out, speaker, play=play, live_captions=live_captions)
    with stop_signals_as_interrupts():
        result = run_practice(ui, bank, chosen, directory, options)
    if result.kept:
        out.print(f"Session {result.session.id}: {len(result.attempts)} attempt(s) kept in "
                  f"{directory}. Review with 'voiceprep review latest' or 'voiceprep report "
                  "latest'.")


# ---- transcribe ----------------------------------------------------------------------------------

@main.command("transcribe")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option("One JSON object per file and line: file, text, duration_seconds, segments, "
             "words.")
@whisper_options
@click.option("--vocabulary", "vocabulary", multiple=True, metavar="TERM",
              help="A domain term to recognise (repeatable), e.g. --vocabulary Kubernetes.")
def transcribe_command(files: tuple[Path, ...], as_json: bool, model: str | None, engine: str,
                       vocabulary: tuple[str, ...]) -> None:
    """Transcribe audio files (WAV, FLAC, MP3, OGG, M4A) offline with Whisper."""
    from voiceprep.hearing.transcriber import TranscribeOptions, transcribe_file

    options = TranscribeOptions(model=model, engine=engine, vocabulary=vocabulary)
    for path in files:
        transcript = transcribe_file(path, options)
        if as_json:
            click.echo(safe_json({"file": str(path), **transcript.to_dict()}))
        elif len(files) > 1:
            echo(f"{path}: {transcript.text}", one_line=True)
        else:
            echo(transcript.text)


# ---- recover -------------------------------------------------------------------------------------

@main.command("recover")
@bank_option
@whisper_options
@data_dir_option
def recover_command(bank_path: Path | None, model: str | None, engine: str,
                    data_dir: str | None) -> None:
    """Transcribe and score the answers of runs that were interrupted before scoring them."""
    from voiceprep.hearing.transcriber import TranscribeOptions
    from voiceprep.history.recovery import recover, unscored_attempts
    from voiceprep.history.store import Store

    with Store(open_data_dir(data_dir, write=True)) as store:
        if not unscored_attempts(store):
            echo("nothing to recover: every recorded answer is scored")
            return
        bank = get_bank(bank_path) if bank_path is not None else _default_bank_or_none()
        kept, problems = recover(store, bank, TranscribeOptions(model=model, engine=engine),
                                 on_attempt=lambda a: echo(f"scoring {a.audio_path}", err=True))
    for a in kept:
        echo(f"{a.session_id} {a.question_id} attempt {a.attempt_number}: score {a.score}, "
             f"coverage {round((a.coverage or 0) * 100)}%")
    echo(f"{len(kept)} answer(s) recovered", err=True)
    _fail_after_the_rest(problems, "left unscored")


def _default_bank_or_none() -> Bank | None:
    """The default bank, or None when it does not load (questions then come from history)."""
    try:
        return load_bank(None)
    except VoiceprepError:
        return None
