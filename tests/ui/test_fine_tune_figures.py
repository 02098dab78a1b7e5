"""The fine-tune's figures in the Trainer tab say when MNIST was measured on a part."""

from __future__ import annotations

from dataclasses import replace

from digitpad.training.personal import WITH_MNIST, FineTuneResult
from digitpad.ui.train.fine_tune_panel import figures_html
from trainer.checkpoint import Checkpoint
from trainer.models import build_model


def result(mnist_test_images: int | None) -> FineTuneResult:
    params = {"channels1": 4, "channels2": 8, "hidden": 16}
    checkpoint = Checkpoint(build_model("quicknet", **params), "quicknet", params)
    return FineTuneResult(checkpoint, WITH_MNIST, 75, 25, 0.9, 1.0, 0.9975, 0.997, 12.0,
                          mnist_test_images)


def test_a_measured_part_of_mnist_is_named_with_its_size(qapp) -> None:
    assert "MNIST test (2,000 digits)<" in figures_html(result(2000))
    assert "MNIST test<" in figures_html(replace(result(2000), mnist_test_images=None))
