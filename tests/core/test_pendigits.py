"""Pen-drawn digits: reading the strokes file, choosing writers, rendering for training."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from digitpad.errors import SampleError
from digitpad.training.pendigits import (
    parse_writers,
    read_pendigits,
    render_pendigit,
    training_images,
)

ONE = [[[50, 10], [50, 90]]]
SEVEN = [[[20, 10], [80, 10], [40, 90]]]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_parse_writers_numbers_and_ranges() -> None:
    assert parse_writers("1-3,5") == {1, 2, 3, 5}
    assert parse_writers("25-30") == set(range(25, 31))


@pytest.mark.parametrize("text", ["", "a-b", "3-1", "0-5", "1-99999999"])
def test_parse_writers_rejects_nonsense(text: str) -> None:
    with pytest.raises(SampleError, match="writers"):
        parse_writers(text)


def test_read_keeps_only_chosen_writers(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [
        {"label": 1, "writer": 1, "strokes": ONE},
        {"label": 7, "writer": 2, "strokes": SEVEN},
    ])
    assert [s.label for s in read_pendigits(path)] == [1, 7]
    assert [s.writer for s in read_pendigits(path, {2})] == [2]


@pytest.mark.parametrize("row", [
    {"label": 11, "writer": 1, "strokes": ONE},
    {"label": 1, "writer": 1, "strokes": []},
    {"label": 1, "strokes": ONE},
    {"label": 1, "writer": 1, "strokes": [[[1, 2, 3]]]},
])
def test_bad_lines_name_the_file_and_line(tmp_path: Path, row: dict) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [{"label": 0, "writer": 1, "strokes": ONE}, row])
    with pytest.raises(SampleError, match=r"bad\.jsonl, line 2"):
        read_pendigits(path)


def test_training_images_are_mnist_shaped(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [{"label": 1, "writer": 1, "strokes": ONE}])
    images, labels = training_images(read_pendigits(path), variants=4, seed=3)
    assert images.shape == (4, 28, 28) and images.dtype == np.uint8
    assert labels.tolist() == [1, 1, 1, 1]
    assert images.max() > 200  # ink is high, like MNIST


def test_rendering_matches_the_preprocessed_canvas_image(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [{"label": 7, "writer": 1, "strokes": SEVEN}])
    image = render_pendigit(read_pendigits(path)[0], pen_width=16, fill=0.6)
    assert image.shape == (28, 28)
    rows, cols = np.indices(image.shape)
    assert abs((rows * image).sum() / image.sum() - 14) < 0.6  # centred by mass, like MNIST
