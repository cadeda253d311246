"""Files in and out: what kind of file a path is before anything opens it, and private writing.

Opening a named pipe waits for a writer and reading a device never ends, so every input path is
checked to be a regular file first, and every text file voiceprep reads (banks, overlays,
settings, transcripts and scores) goes through `read_text`: one open that cannot block, a regular
file of bounded size, UTF-8 with an optional byte-order mark. Everything voiceprep writes from
the user's history (the recordings are their voice) is created owner-only, 0600 in a 0700
directory, whatever the umask, and replaced atomically (`write_private`).
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import shlex
import stat
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

# Far above any bank, settings file or the record of an hour-long answer; far below what would
# exhaust memory when a file is not what it claims.
MAX_TEXT_BYTES = 64 * 1024 * 1024

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600

_KINDS = (
    (stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _stat_problem(path: Path) -> tuple[os.stat_result | None, str | None]:
    try:
        return os.stat(path), None
    except FileNotFoundError:
        if os.path.islink(path):
            return None, "a broken symbolic link"
        return None, "no such file"
    except OSError as e:
        if e.errno == errno.ELOOP:
            return None, "a symbolic link loop"
        return None, (e.strerror or str(e)).lower()


def input_file_problem(path: Path) -> str | None:
    """Why `path` cannot be read as an input file ("a named pipe", "no such file"), or None."""
    info, problem = _stat_problem(Path(path))
    if info is None:
        return problem
    if not stat.S_ISREG(info.st_mode):
        return _kind(info.st_mode)
    if not os.access(path, os.R_OK):
        return "permission denied"
    return None


class InputFileError(Exception):
    """A text file that cannot be read as one: `problem` says why in a few words."""

    def __init__(self, path: Path, problem: str, *, content: bool = False):
        super().__init__(f"{path}: {problem}")
        self.path = Path(path)
        self.problem = problem
        self.content = content  # it was read, but what it holds is not text of that format


def read_text(path: Path, *, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """The text of a regular file of at most `max_bytes`, UTF-8 with an optional byte-order mark
    (Windows Notepad writes one); InputFileError otherwise. Never blocks: a named pipe or a
    device is refused, not opened for reading."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO returns at once (and is then refused by its kind).
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as e:
        problem = _stat_problem(path)[1] or (e.strerror or str(e)).lower()
        raise InputFileError(path, f"cannot read: {problem}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(path, f"cannot read: {_kind(info.st_mode)}")
        if info.st_size > max_bytes:
            raise InputFileError(path, f"too large to read ({info.st_size} bytes; at most "
                                       f"{max_bytes})")
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise InputFileError(path, f"cannot read: {(e.strerror or str(e)).lower()}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise InputFileError(path, f"too large to read (more than {max_bytes} bytes)")
    return decode_text(data, path)


# Documents that are no text, by their first bytes: what they are, and what turns them into text
DOCUMENTS = ((b"%PDF-", "a PDF document", "pdftotext FILE notes.txt"),
             (b"PK\x03\x04", "a Word, OpenDocument or other zipped document",
              "save it as plain text, or: pandoc FILE -t markdown -o notes.md"),
             (b"\xd0\xcf\x11\xe0", "an old Word (.doc) or Excel document",
              "save it as plain text or CSV"),
             (b"{\\rtf", "a rich-text (RTF) document", "save it as plain text"))


STDIN = "standard input"  # the name of what '-' reads


def decode_text(data: bytes, path: Path | str) -> str:
    """Bytes read from a file or standard input (`path` names it, or is STDIN) as UTF-8 text
    with an optional byte-order mark (or UTF-16 with one); InputFileError for a document that
    is no text (a PDF, a Word file: what to do instead) or text in another encoding (the first
    byte that is not UTF-8)."""
    for magic, kind, convert in DOCUMENTS:
        if data.startswith(magic):
            convert = convert.replace("FILE", "-" if path == STDIN else shlex.quote(str(path)))
            raise InputFileError(Path(path), f"{kind}, not text ({convert})", content=True)
    encoding = next((name for bom, name in BOMS if data.startswith(bom)), "utf-8-sig")
    if encoding == "utf-8-sig" and _utf16_like(data[:4096]):
        raise InputFileError(Path(path), "not text: it holds NUL bytes (UTF-16 or UTF-32 without "
                                         "a byte-order mark? save it as UTF-8)", content=True)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        said = "UTF-8" if encoding == "utf-8-sig" else f"UTF-8 nor {encoding.upper()}"
        raise InputFileError(Path(path), f"not {said} text (byte {e.start}; save it as UTF-8)",
                             content=True) from None


def _utf16_like(head: bytes) -> bool:
    """Whether bytes look like text in UTF-16 (or UTF-32) without a byte-order mark: a NUL in
    every other byte, the others mostly not ("W\x00h\x00y\x00"); not a stray NUL or two."""
    if len(head) < 8:
        return False
    halves = [head[0::2], head[1::2]]
    nul = [half.count(0) / len(half) for half in halves]
    return max(nul) >= 0.75 and min(nul) <= 0.25


# Byte-order marks of the encodings read besides UTF-8 (Windows Notepad's "Unicode" is UTF-16),
# UTF-32's first: its little-endian mark starts as UTF-16's does
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def read_toml(path: Path, *, max_bytes: int = MAX_TEXT_BYTES) -> dict[str, Any]:
    """A TOML file read through `read_text`; InputFileError for any file that is not one."""
    text = read_text(path, max_bytes=max_bytes)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        # tomllib's message already carries "(at line N, column M)".
        raise InputFileError(path, f"TOML syntax error: {e}", content=True) from None
    except RecursionError:
        raise InputFileError(path, "arrays or tables nested too deeply to read",
                             content=True) from None


def read_json(path: Path, *, max_bytes: int = MAX_TEXT_BYTES) -> Any:
    """A JSON file read through `read_text`; InputFileError for any file that is not one."""
    text = read_text(path, max_bytes=max_bytes)
    try:
        return json.loads(text)
    except ValueError as e:
        raise InputFileError(path, f"not valid JSON ({e})", content=True) from None
    except RecursionError:
        raise InputFileError(path, "arrays or objects nested too deeply to read",
                             content=True) from None


def inside(base: Path, relative: str) -> Path:
    """`base / relative`, which must stay inside `base` once symbolic links and '..' are
    resolved (ValueError otherwise): a path read from a file or a database never leads out."""
    path = Path(base) / relative
    # realpath, not Path.resolve: a symbolic-link loop resolves as far as it goes, no error.
    resolved = Path(os.path.realpath(path))
    if Path(relative).is_absolute() or not resolved.is_relative_to(os.path.realpath(base)):
        raise ValueError(f"{relative!r} leads outside {base}")
    return path


def output_file_problem(path: Path) -> str | None:
    """Why `path` cannot be written as an output file, or None (it may not exist yet)."""
    path = Path(path)
    info, problem = _stat_problem(path)
    if info is None:
        return _creatable(path, problem, write=False)
    if not stat.S_ISREG(info.st_mode):
        return _kind(info.st_mode)
    if not (info.st_mode & stat.S_IWUSR if info.st_uid == os.getuid()
            else os.access(path, os.W_OK)):
        # (written by replacing it, which its mode would not stop: the mode is kept as a wish)
        return "it is read-only (chmod u+w it first, or write to another file)"
    return None


def _creatable(path: Path, problem: str | None, *, write: bool) -> str | None:
    """Why a missing `path` could not be created (its directories included), or None."""
    if problem != "no such file":
        return problem
    existing = path.parent
    while True:  # the nearest existing ancestor must be a (writable) directory
        parent, parent_problem = _stat_problem(existing)
        if parent is not None or existing == existing.parent:
            break
        existing = existing.parent
    if parent is None:
        return parent_problem
    if not stat.S_ISDIR(parent.st_mode):
        return f"{existing} is {_kind(parent.st_mode)}"
    if write and not os.access(existing, os.W_OK | os.X_OK):
        return f"cannot create it: {existing} is not writable"
    return None


def data_dir_problem(path: Path, *, write: bool) -> str | None:
    """Why `path` cannot be the data directory (for reading, or also writing), or None.

    A directory that does not exist yet is fine for reading (there is no history) and for
    writing when it can be created."""
    path = Path(path)
    info, problem = _stat_problem(path)
    if info is None:
        return _creatable(path, problem, write=write)
    if not stat.S_ISDIR(info.st_mode):
        return ("it is a file, not a directory" if stat.S_ISREG(info.st_mode)
                else f"it is {_kind(info.st_mode)}, not a directory")
    wanted = os.R_OK | os.X_OK | (os.W_OK if write else 0)
    if not os.access(path, wanted):
        return "permission denied" if not write else "it is not writable"
    return None


def private_dir(path: Path) -> Path:
    """Create `path` and any missing parents as 0700 directories (existing ones are left)."""
    path = Path(path)
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        if current == current.parent:
            break
        current = current.parent
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(directory, PRIVATE_DIR_MODE)  # mkdir's mode is masked by the umask
    return path


def create_private_file(path: Path, *, exclusive: bool = False) -> None:
    """Create an empty 0600 file (FileExistsError when `exclusive` and it exists)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else 0)
    fd = os.open(path, flags, PRIVATE_FILE_MODE)
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)
    finally:
        os.close(fd)


def open_private(path: Path) -> BinaryIO:
    """open(path, "wb"), the file created (or truncated) as 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    os.fchmod(fd, PRIVATE_FILE_MODE)
    return os.fdopen(fd, "wb")


def write_private(path: Path, data: str | bytes, *, make_folder: bool = False) -> Path:
    """Write `data` to `path` atomically (a temporary file renamed over it), as 0600: on any
    failure (a full disk) the old file is left whole. A symbolic link is written through (the
    file it names is replaced), so a linked settings file stays linked. With `make_folder`, the
    missing folders of `path` are made first (private_dir)."""
    path = Path(path)
    if make_folder:
        private_dir(path.parent)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def copy_private(source: Path, path: Path) -> Path:
    """Copy `source` to `path` as 0600, atomically: a failed copy (a full disk) leaves nothing
    at `path`."""
    import shutil

    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)
        with open(source, "rb") as src, os.fdopen(fd, "wb") as dst:
            shutil.copyfileobj(src, dst)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# ---- a directory in use ------------------------------------------------------------------------
# A session's directory is locked (flock) by the process recording into it, from its start to its
# end. The kernel drops the lock when that process dies, however it dies: an unlocked directory
# of a session that never ended belongs to a process that is gone.

_held: dict[str, int] = {}


def hold_lock(directory: Path) -> None:
    """Lock `directory` for this process until release_lock (or until the process ends)."""
    import fcntl

    key = str(Path(directory).resolve())
    if key in _held:
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)  # another process holds it: it is in use either way
        return
    _held[key] = fd


def release_lock(directory: Path) -> None:
    fd = _held.pop(str(Path(directory).resolve()), None)
    if fd is not None:
        os.close(fd)


@contextmanager
def exclusive(directory: Path) -> Iterator[None]:
    """Hold `directory`'s lock while a read-modify-write of a file in it runs: other processes
    doing the same wait their turn (the lock of a live session is on its own directory)."""
    import fcntl

    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def is_locked(directory: Path) -> bool:
    """True while some process (this one included) holds `directory`'s lock."""
    import fcntl

    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
