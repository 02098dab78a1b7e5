"""read_user_file: the one way DigitPad reads a whole file a user handed it."""

from __future__ import annotations

from pathlib import Path

import pytest

from digitpad.errors import ImageError
from trainer.errors import CheckpointError
from trainer.files import read_user_file


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
