"""trainer.inference: the copy that reads drawings gives the trained model's answers."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from trainer.inference import fold_batchnorm, inference_copy
from trainer.models import build_model

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def trained_looking(model: nn.Module, seed: int = 0) -> nn.Module:
    """BatchNorm statistics and affine values far from their defaults, as after training."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                n = module.num_features
                module.running_mean.copy_(torch.randn(n, generator=generator))
                module.running_var.copy_(torch.rand(n, generator=generator) * 3 + 0.1)
                module.weight.copy_(torch.randn(n, generator=generator))
                module.bias.copy_(torch.randn(n, generator=generator))
    return model.eval()


class ElevenOutputs(nn.Module):
    """A model shaped like one with a "not a digit" output, conv biases included."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1))
        self.head = nn.Linear(16, 11)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.log_softmax(self.head(self.features(x).flatten(1)), dim=1)


@pytest.mark.parametrize("make", [lambda: build_model("digitnet"),
                                  lambda: build_model("digitnet", width=8, depth=1),
                                  lambda: build_model("quicknet"), lambda: build_model("seed"),
                                  ElevenOutputs])
def test_the_copy_gives_the_same_outputs(make) -> None:
    model = trained_looking(make())
    images = torch.rand(16, 1, 28, 28, generator=torch.Generator().manual_seed(1))
    copy = inference_copy(model)
    with torch.inference_mode():
        torch.testing.assert_close(copy(images), model(images), atol=1e-5, rtol=0)
        torch.testing.assert_close(copy(images[:1]), model(images[:1]), atol=1e-5, rtol=0)
        assert torch.equal(copy(images).argmax(1), model(images).argmax(1))


def test_batchnorm_is_folded_away_and_the_original_left_alone() -> None:
    model = trained_looking(build_model("digitnet"))
    before = {name: value.clone() for name, value in model.state_dict().items()}
    copy = inference_copy(model)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in copy.modules())
    convs = [m for m in copy.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) == 6 and all(c.bias is not None for c in convs)
    assert not copy.training and not any(p.requires_grad for p in copy.parameters())
    # The trained model keeps its layers (the Inside view and training need them).
    assert sum(isinstance(m, nn.BatchNorm2d) for m in model.modules()) == 6
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_a_batchnorm_not_after_a_convolution_is_kept() -> None:
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.BatchNorm2d(4)).eval()
    copy = inference_copy(model)
    assert isinstance(copy[2], nn.BatchNorm2d)
    x = torch.rand(2, 1, 8, 8)
    torch.testing.assert_close(copy(x), model(x), atol=1e-6, rtol=0)


def test_fold_batchnorm_matches_the_pair() -> None:
    conv = nn.Conv2d(3, 5, 3, padding=1)
    norm = trained_looking(nn.Sequential(nn.BatchNorm2d(5)), seed=3)[0]
    x = torch.rand(4, 3, 9, 9)
    with torch.no_grad():
        torch.testing.assert_close(fold_batchnorm(conv, norm)(x), norm(conv(x)),
                                   atol=1e-5, rtol=1e-5)
