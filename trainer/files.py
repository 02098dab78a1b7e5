"""Files DigitPad reads from its users and writes for them.

Reading: models, sample files and images all fail in the same few ways: a
folder where a file should be, a file far too large to be what it claims, a
missing or unreadable one. Writing: a crash or a full disk must leave the old
file or the new one, never a broken one. Either way each failure becomes one
line that names the file, raised as the caller's own error type, so a run
record that cannot be saved says so as a run's error, not as a model's.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def read_user_file(path: Path, *, kind: str, limit: int,
                   error: type[Exception]) -> bytes:
    """The bytes of `path`, expected to be `kind` ("a model file") of at most
    `limit` bytes; every failure raises `error` with one line naming the file.

    Only regular files are read: a FIFO would block the caller until someone
    writes to it, and /dev/zero never ends. The size on disk is not trusted
    either (special files report 0): at most `limit` + 1 bytes are read."""
    try:
        if path.is_dir():
            raise error(f"{path}: is a folder, expected {kind}")
        # O_NONBLOCK: opening a FIFO must not wait for a writer; the check below refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        # open(), not os.fdopen(): the fault tests fail writes through os.fdopen
        # (the one door atomic_write uses), and reads must not fail with them.
        with open(fd, "rb") as stream:
            status = os.fstat(fd)
            if not stat.S_ISREG(status.st_mode):
                raise error(f"{path}: is not a regular file, expected {kind}")
            if status.st_size > limit:
                raise error(f"{path}: {status.st_size:,} bytes is far too large for {kind}")
            data = stream.read(limit + 1)
        if len(data) > limit:
            raise error(f"{path}: more than {limit:,} bytes is far too large for {kind}")
        return data
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except OSError as problem:
        raise error(f"{path}: cannot be read ({problem.strerror or problem})") from None


def refuse_special_file(path: Path, *, kind: str, error: type[Exception]) -> None:
    """Raise `error` if `path` exists but is no regular file (a FIFO, a device, a
    socket): for readers that open the file themselves and would otherwise block
    on a FIFO or read /dev/zero without end."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing or unreadable: the reader's own open() says so
    if not stat.S_ISREG(mode):
        raise error(f"{path}: is not a regular file, expected {kind}")


def atomic_write(path: str | Path, data: bytes, *, error: type[Exception]) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file;
    a failure raises `error` with one line naming the file."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    temporary = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        # mkstemp creates files readable by the owner only; give the new file
        # the permissions a plain open() would (or the old file's).
        os.chmod(temporary, _mode_for(path))
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
        temporary = None
        _fsync_directory(directory)
    except OSError as problem:
        raise error(f"{path}: cannot be saved ({problem.strerror or problem})") from None
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # Not possible on every platform; the rename is still atomic.
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
