"""Files in and out: what kind of file a path is before anything opens it, and private writing.

Opening a named pipe waits for a writer and reading a device never ends, so every input path is
checked to be a regular file first. Everything voiceprep writes from the user's history (the
recordings are their voice) is created owner-only, 0600 in a 0700 directory, whatever the umask.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

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


def output_file_problem(path: Path) -> str | None:
    """Why `path` cannot be written as an output file, or None (it may not exist yet)."""
    path = Path(path)
    info, problem = _stat_problem(path)
    if info is None:
        return _creatable(path, problem, write=False)
    if not stat.S_ISREG(info.st_mode):
        return _kind(info.st_mode)
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


def write_private(path: Path, data: str | bytes) -> Path:
    """Write `data` to `path` atomically (a temporary file renamed over it), as 0600."""
    path = Path(path)
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
