"""Reading a whole file that a user handed to DigitPad.

Models, sample files and images all fail in the same few ways: a folder where
a file should be, a file far too large to be what it claims, a missing or
unreadable one. Each becomes one line that names the file, raised as the
caller's own error type.
"""

from __future__ import annotations

from pathlib import Path


def read_user_file(path: Path, *, kind: str, limit: int,
                   error: type[Exception]) -> bytes:
    """The bytes of `path`, expected to be `kind` ("a model file") of at most
    `limit` bytes; every failure raises `error` with one line naming the file."""
    try:
        if path.is_dir():
            raise error(f"{path}: is a folder, expected {kind}")
        size = path.stat().st_size
        if size > limit:
            raise error(f"{path}: {size:,} bytes is far too large for {kind}")
        return path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except OSError as problem:
        raise error(f"{path}: cannot be read ({problem.strerror or problem})") from None
