"""The NumpyRecognizer: the model in use read with NumPy while torch loads gives
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
from digitpad.numpy_recognizer import NumpyRecognizer
from digitpad.recognizer import Recognizer
from digitpad.resources import embedded_model_path
from trainer.checkpoint import save_checkpoint
from trainer.errors import CheckpointError
from trainer.models import build_model

pytestmark = pytest.mark.usefixtures("one_torch_thread")

PAD = (1200.0, 400.0)


@pytest.fixture(scope="module")
def both() -> tuple[NumpyRecognizer, Recognizer]:
    return NumpyRecognizer.load(embedded_model_path()), Recognizer.load()


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
        NumpyRecognizer.load(tmp_path / "seed.safetensors")


def test_reading_before_torch_imports_no_torch(tmp_path) -> None:
    # In a fresh interpreter: load the model in use and read a drawing without torch.
    code = (
        "import sys\n"
        "from digitpad.numpy_recognizer import NumpyRecognizer\n"
        "from digitpad.store.model_in_use import model_to_read\n"
        "import numpy as np\n"
        "recognizer = NumpyRecognizer.load(model_to_read())\n"
        "image = np.zeros((28, 28), np.float32); image[4:24, 13:15] = 1\n"
        "probabilities, _ = recognizer.read(image[None])\n"
        "print(int(probabilities.argmax()), 'torch' in sys.modules)\n"
    )
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["1", "False"]


def test_the_quickest_recognizer_reads_with_numpy_where_it_can(tmp_path) -> None:
    from digitpad.cli.predict import quickest_recognizer

    assert isinstance(quickest_recognizer(), NumpyRecognizer)
    assert quickest_recognizer().is_embedded
    save_checkpoint(tmp_path / "seed.safetensors", build_model("seed"), "seed")
    assert isinstance(quickest_recognizer(tmp_path / "seed.safetensors"), Recognizer)
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(embedded_model_path().read_bytes()[:1000])
    with pytest.raises(CheckpointError, match="broken.safetensors"):
        quickest_recognizer(broken)


def test_predict_reads_without_torch_and_as_torch_would(tmp_path) -> None:
    import cv2

    picture = tmp_path / "seven.png"
    ink = render_strokes(digit(7, 100, 40, 300, pen=20), (400.0, 400.0))
    cv2.imwrite(str(picture), 255 - ink)
    code = (
        "import sys, json\n"
        "from digitpad.cli.main import main\n"
        f"status = main(['predict', '--json', {str(picture)!r}])\n"
        "print('torch' in sys.modules, status, file=sys.stderr)\n"
    )
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr.split()[-2:] == ["False", "0"]
    import json

    seen = json.loads(result.stdout)
    expected = Recognizer.load().predict_ink(ink).to_json()
    assert (seen["verdict"], seen["digit"]) == (expected["verdict"], expected["digit"]) == (
        "digit", 7)
    np.testing.assert_allclose(seen["probabilities"], expected["probabilities"], atol=2e-6)
