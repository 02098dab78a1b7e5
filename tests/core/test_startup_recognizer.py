"""The StartupRecognizer: the model in use read with NumPy while torch loads gives
the same answers as the Recognizer, and needs no torch."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from number_strokes import digit, dot, number

from digitpad.drawing.preprocess import preprocess
from digitpad.drawing.strokes import render_strokes
from digitpad.number_reader import read_strokes
from digitpad.recognizer import Recognizer
from digitpad.resources import embedded_model_path
from digitpad.startup_recognizer import StartupRecognizer
from trainer.checkpoint import save_checkpoint
from trainer.errors import CheckpointError
from trainer.models import build_model

pytestmark = pytest.mark.usefixtures("one_torch_thread")

PAD = (1200.0, 400.0)


@pytest.fixture(scope="module")
def both() -> tuple[StartupRecognizer, Recognizer]:
    return StartupRecognizer.load(embedded_model_path()), Recognizer.load()


@pytest.mark.parametrize("value", [0, 1, 2, 4, 7])
def test_a_drawn_digit_gets_the_same_answer(both, value: int) -> None:
    early, full = both
    processed = preprocess(render_strokes(digit(value, 100, 40, 300, pen=20), (400.0, 400.0)))
    seen, expected = early.predict(processed), full.predict(processed)
    assert (seen.verdict, seen.digit, seen.runner_up) == (
        expected.verdict, expected.digit, expected.runner_up)
    np.testing.assert_allclose(seen.probabilities, expected.probabilities, atol=1e-5)
    assert seen.not_a_digit == pytest.approx(expected.not_a_digit, abs=1e-5)
    assert seen.digit == value


def test_nothing_drawn_and_a_scribble_too(both) -> None:
    early, full = both
    assert early.predict(None) == full.predict(None)
    scribble = render_strokes(number("7777", height=60, gap=-0.4), (400.0, 400.0))
    seen, expected = early.predict_ink(scribble), full.predict_ink(scribble)
    assert seen.verdict == expected.verdict
    np.testing.assert_allclose(seen.probabilities, expected.probabilities, atol=1e-5)


def test_a_number_is_read_the_same(both) -> None:
    early, full = both
    strokes = number("2047") + dot(900, 200)
    seen, expected = read_strokes(early, strokes, PAD), read_strokes(full, strokes, PAD)
    assert seen.number == expected.number == "2047"
    assert [d.box for d in seen.digits] == [d.box for d in expected.digits]
    assert seen.sure == expected.sure


def test_it_names_and_judges_the_model_as_the_recognizer_does(both) -> None:
    early, full = both
    assert early.is_embedded and early.describe() == full.describe()
    assert early.name(short=True) == full.name(short=True) == "built-in model"
    assert early.thresholds() == full.thresholds()
    assert early.checkpoint.preprocess_version == full.checkpoint.preprocess_version


def test_a_model_numpy_cannot_read_is_refused_with_one_line(tmp_path) -> None:
    save_checkpoint(tmp_path / "seed.safetensors", build_model("seed"), "seed")
    with pytest.raises(CheckpointError, match="read with torch only"):
        StartupRecognizer.load(tmp_path / "seed.safetensors")


def test_reading_before_torch_imports_no_torch(tmp_path) -> None:
    # In a fresh interpreter: load the model in use and read a drawing without torch.
    code = (
        "import sys\n"
        "from digitpad.startup_recognizer import StartupRecognizer\n"
        "from digitpad.store.model_in_use import model_to_read\n"
        "import numpy as np\n"
        "recognizer = StartupRecognizer.load(model_to_read())\n"
        "image = np.zeros((28, 28), np.float32); image[4:24, 13:15] = 1\n"
        "probabilities, _ = recognizer.read(image[None])\n"
        "print(int(probabilities.argmax()), 'torch' in sys.modules)\n"
    )
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["1", "False"]
