"""`digitpad predict --number`: whole numbers in image files, JSON and plain, bad
files handled as `digitpad predict` handles them."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from conftest import run_cli
from number_strokes import number

from digitpad.drawing.strokes import render_strokes

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture
def pictures(tmp_path: Path) -> dict[str, Path]:
    """1247 dark on light, 70 light on dark, and a blank page."""
    images = {"1247": 255 - render_strokes(number("1247", 20, 20), (800, 800), 800)[:200, :500],
              "70": render_strokes(number("70", 20, 20), (400, 400), 400)[:200, :300],
              "blank": np.full((60, 80), 255, np.uint8)}
    paths = {}
    for name, image in images.items():
        paths[name] = tmp_path / f"{name}.png"
        assert cv2.imwrite(str(paths[name]), image)
    return paths


def test_json_gives_the_number_its_digits_and_boxes(capsys, pictures) -> None:
    status, out, err = run_cli(capsys, "predict", "--number", "--json", pictures["1247"],
                           pictures["70"], pictures["blank"])
    assert (status, err) == (0, "")
    first, second, blank = (json.loads(line) for line in out.splitlines())
    assert first.keys() == {"file", "number", "digits", "sure"}
    assert (first["file"], first["number"], first["sure"]) == (str(pictures["1247"]), "1247",
                                                              True)
    assert [d["digit"] for d in first["digits"]] == [1, 2, 4, 7]
    for found in first["digits"]:
        x, y, w, h = found["box"]
        assert 0 <= x < 500 and 0 <= y < 200 and 0 < w < 200 and 50 < h < 200
        assert 0.5 < found["confidence"] <= 1
    assert second["number"] == "70"
    assert blank == {"file": str(pictures["blank"]), "number": None, "digits": [],
                     "sure": False}


def test_plain_output_is_one_readable_line_per_file(capsys, pictures) -> None:
    status, out, _ = run_cli(capsys, "predict", "--number", pictures["1247"], pictures["blank"])
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"{pictures['1247']}: 1247 (1 ")
    assert lines[1] == f"{pictures['blank']}: no ink"


def test_a_bad_file_is_one_line_and_the_others_are_still_read(capsys, pictures,
                                                               tmp_path) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    status, out, err = run_cli(capsys, "predict", "--number", "--json", broken, pictures["70"],
                           tmp_path / "missing.png")
    assert status == 2
    assert [json.loads(line)["number"] for line in out.splitlines()] == ["70"]
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith("digitpad: error: ") for line in lines)
    assert str(broken) in lines[0] and "missing.png" in lines[1]
