"""Figures are written one way, and the model in use is described one way."""

from __future__ import annotations

from pathlib import Path

from digitpad.figures import percent
from digitpad.recognizer import Recognizer
from trainer.checkpoint import Checkpoint
from trainer.models import build_model


def test_percent_has_a_space_and_the_digits_asked_for() -> None:
    assert percent(0.99123) == "99.12 %"
    assert percent(0.5, 0) == "50 %"
    assert percent(1.0, 1) == "100.0 %"
    assert percent(None) == "–"


def test_the_model_in_use_is_described_in_full_or_short() -> None:
    path = Path("/somewhere/deep/mine.safetensors")
    recognizer = Recognizer(Checkpoint(build_model("seed"), "seed", {},
                                       metrics={"test_accuracy": 0.9871}, path=path))
    assert recognizer.describe() == f"{path} (seed, 98.71 % on MNIST test)"
    assert recognizer.describe(short=True) == "mine (seed, 98.71 % on MNIST test)"
    assert recognizer.name(short=True) == "mine"


def test_a_model_never_saved_or_tested_is_a_new_model() -> None:
    recognizer = Recognizer(Checkpoint(build_model("seed"), "seed", {}))
    assert recognizer.describe() == recognizer.describe(short=True) == "new model (seed)"


def test_the_built_in_model_is_called_so() -> None:
    recognizer = Recognizer.load()
    assert recognizer.name() == recognizer.name(short=True) == "built-in model"
    assert recognizer.describe().startswith("built-in model (digitnet, ")
