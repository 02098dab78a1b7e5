"""tools/train_builtin_model.py refuses teachers it cannot read at once, in one line,
before the minutes it spends preparing data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "train_builtin_model.py"


def _refusal(tmp_path: Path, teacher: Path) -> str:
    done = subprocess.run([sys.executable, str(TOOL), "--start", "scratch", "--freeze", "0",
                           "--out", str(tmp_path / "new.safetensors"), "--teachers", str(teacher),
                           "--data", str(tmp_path / "no-data")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert not (tmp_path / "new.safetensors").exists()
    return done.stderr.strip().splitlines()[-1]


def test_a_missing_teacher(tmp_path: Path) -> None:
    missing = tmp_path / "teacher.safetensors"
    assert _refusal(tmp_path, missing) == (
        f"train_builtin_model.py: error: --teachers: {missing}: no such file")


@pytest.mark.parametrize("content", [b"", b"not a model at all"])
def test_a_teacher_that_is_no_model(tmp_path: Path, content: bytes) -> None:
    broken = tmp_path / "teacher.safetensors"
    broken.write_bytes(content)
    line = _refusal(tmp_path, broken)
    assert line.startswith(f"train_builtin_model.py: error: --teachers: {broken}: ")
    assert "Traceback" not in line
