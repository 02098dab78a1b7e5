"""The installed package (a wheel, not an editable install) finds its resources."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import cv2
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with DigitPad installed from a wheel built from this tree.

    Its dependencies (torch, Qt, ...) come from the test environment through
    PYTHONPATH, so that nothing is downloaded; DigitPad itself only from the wheel."""
    work = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(work / "dist"), str(REPO)], capture_output=True, text=True)
    if built.returncode != 0:
        pytest.fail(f"wheel build failed: {built.stderr[-2000:]}")
    wheel = next((work / "dist").glob("digitpad-*.whl"))
    target = work / "venv"
    venv.create(target, with_pip=True)
    subprocess.run([str(target / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps",
                    "--no-index", str(wheel)], check=True, capture_output=True)
    return target


def _run(venv_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=sysconfig.get_paths()["purelib"])
    env.pop("PYTHONHOME", None)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_wheel_contains_and_finds_the_embedded_model(installed: Path, tmp_path: Path) -> None:
    python = str(installed / "bin" / "python")
    code = ("import digitpad, digitpad.resources as r; "
            "print(digitpad.__file__); print(r.embedded_model_path())")
    result = _run(installed, python, "-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    package_file, model_path = result.stdout.split()
    # Imported from the venv, not from the source tree, and the model is inside it.
    assert str(installed) in package_file
    assert str(installed) in model_path
    assert Path(model_path).is_file()


def test_installed_command_predicts_from_any_folder(installed: Path, tmp_path: Path) -> None:
    image = np.full((100, 100), 255, np.uint8)
    cv2.line(image, (50, 15), (50, 85), 0, 8)  # a "1"
    cv2.imwrite(str(tmp_path / "one.png"), image)
    result = _run(installed, str(installed / "bin" / "digitpad"), "predict", "one.png", "--json",
                  cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["file"] == "one.png"
    assert answer["digit"] == 1
