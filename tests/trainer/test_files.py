"""read_user_file and atomic_write: the one way DigitPad reads a whole file a user handed
it, and the one way it replaces a file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from digitpad.errors import ImageError, SampleError
from trainer.errors import CheckpointError
from trainer.files import atomic_write, read_user_file


def test_reads_the_bytes(tmp_path: Path) -> None:
    (tmp_path / "m.bin").write_bytes(b"\x00\x01")
    assert read_user_file(tmp_path / "m.bin", kind="a model file", limit=10,
                          error=CheckpointError) == b"\x00\x01"


@pytest.mark.parametrize("case, expected", [
    ("folder", "is a folder, expected an image"),
    ("missing", "no such file"),
    ("too large", "11 bytes is far too large for an image"),
])
def test_every_failure_is_one_line_naming_the_file(tmp_path: Path, case: str,
                                                   expected: str) -> None:
    path = tmp_path / "x.png"
    if case == "folder":
        path.mkdir()
    elif case == "too large":
        path.write_bytes(b"0123456789A")
    with pytest.raises(ImageError) as raised:
        read_user_file(path, kind="an image", limit=10, error=ImageError)
    message = str(raised.value)
    assert message == f"{path}: {expected}" and "\n" not in message


def test_atomic_write_replaces_the_file_with_the_permissions_it_had(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_bytes(b"old")
    path.chmod(0o640)
    atomic_write(path, b"new", error=SampleError)
    assert path.read_bytes() == b"new" and path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.json"]


def test_atomic_write_fails_as_the_caller_s_error_and_keeps_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "notes.json"
    path.write_bytes(b"old")

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fdopen", no_space)
    with pytest.raises(SampleError) as raised:
        atomic_write(path, b"new", error=SampleError)
    monkeypatch.undo()
    assert str(raised.value) == f"{path}: cannot be saved ({os.strerror(errno.ENOSPC)})"
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.json"]


def _read_in_a_thread(path: Path) -> BaseException | bytes | None:
    """read_user_file(path) in a thread, so a read that blocks fails the test instead of
    hanging the suite; returns what it raised or read (None if it never returned)."""
    import threading

    outcome: list = []

    def read() -> None:
        try:
            outcome.append(read_user_file(path, kind="a model file", limit=1 << 20,
                                          error=CheckpointError))
        except BaseException as problem:  # noqa: BLE001 - handed to the test
            outcome.append(problem)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(timeout=30)
    return outcome[0] if outcome else None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "model.safetensors"
    os.mkfifo(fifo)
    outcome = _read_in_a_thread(fifo)
    assert isinstance(outcome, CheckpointError), f"read_user_file gave {outcome!r}"
    assert str(outcome) == f"{fifo}: is not a regular file, expected a model file"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_an_endless_device_is_refused_not_read(tmp_path: Path) -> None:
    link = tmp_path / "zeros.safetensors"
    link.symlink_to("/dev/zero")  # its size on disk is 0, its content endless
    outcome = _read_in_a_thread(link)
    assert isinstance(outcome, CheckpointError)
    assert "is not a regular file" in str(outcome)


def test_no_more_than_the_limit_is_read_whatever_the_size_on_disk_says(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "grows.bin"
    path.write_bytes(b"x" * 64)
    real_fstat = os.fstat

    class Small:  # a file that grew after its size was read
        def __init__(self, result: os.stat_result) -> None:
            self.st_mode, self.st_size = result.st_mode, 1

    monkeypatch.setattr(os, "fstat", lambda fd: Small(real_fstat(fd)))
    with pytest.raises(CheckpointError, match="more than 10 bytes is far too large"):
        read_user_file(path, kind="a model file", limit=10, error=CheckpointError)
