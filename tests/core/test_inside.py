"""Inside the network: layers, activations, kernels and saliency for any model."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from digitpad.inside.network import SENTENCES, inspect_image, saliency
from digitpad.inside.pictures import (
    grid_shape,
    influence,
    kernels_picture,
    layer_picture,
    tile_at,
    tile_positions,
)
from trainer.models import ARCHITECTURES, build_model


class ElevenOutputs(nn.Module):
    """A model shaped like one with a "not a digit" output: no code of ours knows it."""

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 4, 3), nn.GELU(), nn.AvgPool2d(2), nn.Flatten())
        self.head = nn.Linear(4 * 13 * 13, 11)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.log_softmax(self.head(self.body(x)), dim=1)


def a_seven() -> np.ndarray:
    image = np.zeros((28, 28), np.float32)
    image[6, 8:21] = 1.0
    for row in range(7, 23):
        image[row, 20 - (row - 7) // 2] = 1.0
    return image


@pytest.mark.parametrize("arch", sorted(ARCHITECTURES))
def test_every_architecture_is_walked_without_code_of_its_own(arch: str) -> None:
    torch.manual_seed(0)
    model = build_model(arch).eval()
    seen = inspect_image(model, a_seven())
    with torch.inference_mode():
        expected = model(torch.from_numpy(a_seven()).view(1, 1, 28, 28))[0]
    torch.testing.assert_close(seen.output, expected)  # the same pass gives the answer
    names = [layer.name for layer in seen.layers]
    assert len(names) == len(set(names)) and names
    assert set(seen.activations) == set(names)
    for layer in seen.layers:
        assert seen.activations[layer.name].shape == layer.shape
        assert layer.sentence and "{" not in layer.sentence
    assert seen.layers[-1].kind == "classifier" and seen.layers[-1].shape == (10,)
    assert seen.conv_layers() and seen.conv_layers()[0].shape[1:] in ((24, 24), (28, 28))
    total = sum(layer.parameters for layer in seen.layers)
    assert total == sum(p.numel() for p in model.parameters())
    assert seen.kernels is not None and seen.kernels.shape[0] == seen.conv_layers()[0].shape[0]


def test_digitnet_layers_read_as_the_tutorial_prints_them() -> None:
    seen = inspect_image(build_model("digitnet").eval(), a_seven())
    first = seen.layers[0]
    assert (first.name, first.kind, first.shape, first.parameters) == \
        ("features.0.0", "conv", (32, 28, 28), 32 * 9)
    assert "32 small 3×3 filters" in first.sentence
    kinds = [layer.kind for layer in seen.layers]
    assert kinds[:3] == ["conv", "norm", "activation"]
    assert "pool" in kinds and "dropout" in kinds


def test_activations_are_copies_taken_before_an_in_place_relu() -> None:
    # digitnet's ReLU(inplace=True) overwrites the batch norm's output: the noted
    # batch-norm output must still hold its negative values.
    seen = inspect_image(build_model("digitnet").eval(), a_seven())
    assert seen.activations["features.0.1"].min() < 0
    assert seen.activations["features.0.2"].min() >= 0


def test_an_eleven_output_model_and_unknown_layers_are_described() -> None:
    seen = inspect_image(ElevenOutputs().eval(), a_seven(), saliency_for=10)
    kinds = {layer.name: layer.kind for layer in seen.layers}
    assert kinds == {"body.0": "conv", "body.1": "activation", "body.2": "pool",
                     "body.3": "flatten", "head": "classifier"}
    assert seen.output.shape == (11,)
    assert seen.saliency is not None and seen.saliency_for == 10
    assert SENTENCES["other"].format(type="Gizmo").startswith("Gizmo")


def test_saliency_is_gradient_times_input_and_blank_pixels_have_no_say() -> None:
    torch.manual_seed(0)
    model = build_model("seed").eval()
    image = a_seven()
    towards_seven = saliency(model, image, 7)
    assert towards_seven.shape == (28, 28)
    assert np.all(towards_seven[image == 0] == 0)
    assert np.any(towards_seven[image > 0] != 0)
    assert all(p.grad is None for p in model.parameters())  # only the input's gradient
    x = torch.from_numpy(image).view(1, 1, 28, 28).requires_grad_(True)
    model(x)[0, 3].backward()
    np.testing.assert_allclose(saliency(model, image, 3), (x.grad * x.detach())[0, 0].numpy(),
                               rtol=1e-5, atol=1e-7)
    answer = inspect_image(model, image, saliency_for=lambda out: int(out.argmax()))
    assert answer.saliency_for == int(answer.output.argmax())


def test_pictures_tile_maps_and_find_the_one_clicked() -> None:
    assert grid_shape(1) == (1, 1) and grid_shape(10) == (3, 4) and grid_shape(32) == (6, 6)
    maps = np.random.default_rng(0).normal(size=(10, 5, 5)).astype(np.float32)
    picture = layer_picture(maps)
    assert picture.shape == (3 * 6 - 1, 4 * 6 - 1)
    assert 0.0 <= picture.min() and picture.max() <= 1.0
    for i, (top, left) in enumerate(tile_positions(10, 5, 5)):
        assert tile_at((top + 2, left + 4), 10, 5, 5) == i
    assert tile_at((5, 0), 10, 5, 5) is None  # the gap between rows
    assert tile_at((12, 12), 10, 5, 5) is None  # past the last tile
    vector = layer_picture(np.arange(10, dtype=np.float32))
    assert vector.shape == (3 * 2 - 1, 4 * 2 - 1)
    kernels = kernels_picture(np.array([[[1.0, -1.0]]], np.float32))
    np.testing.assert_allclose(kernels, [[1.0, 0.0]])
    np.testing.assert_allclose(influence(np.array([[-2.0, 1.0]])), [[1.0, 0.5]])


def test_read_all_counts_a_confusion_matrix_and_remembers_each_mistake() -> None:
    from digitpad.inside.mistakes import mistake_file_name, read_all, run_to_end

    labels = np.array([0, 1, 2, 3, 7, 7])
    answers = np.array([0, 1, 2, 8, 1, 7])

    def probabilities(batch: np.ndarray) -> np.ndarray:
        # The "model" reads each image's first pixel as the index of its answer.
        chosen = np.rint(batch[:, 0, 0] * 255).astype(int)
        found = np.full((len(batch), 10), 0.01, np.float32)
        found[np.arange(len(batch)), answers[chosen]] = 0.91
        return found

    images = np.zeros((6, 28, 28), np.uint8)
    images[:, 0, 0] = np.arange(6)
    steps = read_all(probabilities, images, labels, batch_size=4)
    assert next(steps) == 4 / 6
    result = run_to_end(steps)
    assert result.total == 6 and result.accuracy == 4 / 6
    assert result.confusion[3, 8] == 1 and result.confusion[7, 1] == 1
    assert result.confusion[7, 7] == 1
    (wrong,) = result.mistakes_in(7, 1)
    assert (wrong.index, wrong.true, wrong.read) == (4, 7, 1)
    assert wrong.confidence == pytest.approx(0.91)
    assert mistake_file_name(wrong, 10_000) == "true7-read1-0004.png"
    assert mistake_file_name(wrong, 60_000) == "true7-read1-00004.png"
