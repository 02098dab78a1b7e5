"""A copy of a trained model made for reading one drawing at a time.

In evaluation mode a BatchNorm layer is a fixed per-channel scale and shift, so
it can be folded into the convolution before it (the textbook inference
fusion): the copy gives the same outputs (to float rounding) with one layer
less per convolution, which matters when an image is read on every frame.

The copy is found by walking the modules, so it works for any model built from
`nn.Sequential` blocks, whatever its outputs (ten digits, or ten and "not a
digit"): wherever a Conv2d is directly followed by a BatchNorm2d inside a
Sequential, the pair is folded. Layers in any other arrangement are left as
they are. The original model is never changed (the Inside view and training
need its BatchNorm layers).
"""

from __future__ import annotations

import copy

import torch
from torch import nn


def inference_copy(model: nn.Module) -> nn.Module:
    """An evaluation-mode, channels-last copy of `model` with Conv→BatchNorm pairs folded."""
    folded = copy.deepcopy(model).eval()
    for module in folded.modules():
        if isinstance(module, nn.Sequential):
            _fold_in_sequence(module)
    for parameter in folded.parameters():
        parameter.requires_grad_(False)
    return folded.to(memory_format=torch.channels_last)


def _fold_in_sequence(sequence: nn.Sequential) -> None:
    names = list(sequence._modules)
    for first, second in zip(names, names[1:], strict=False):
        conv, norm = sequence._modules[first], sequence._modules[second]
        if (isinstance(conv, nn.Conv2d) and type(norm) is nn.BatchNorm2d
                and norm.track_running_stats and norm.num_features == conv.out_channels):
            sequence._modules[first] = fold_batchnorm(conv, norm)
            sequence._modules[second] = nn.Identity()


@torch.no_grad()
def fold_batchnorm(conv: nn.Conv2d, norm: nn.BatchNorm2d) -> nn.Conv2d:
    """One convolution doing what `norm(conv(x))` does in evaluation mode."""
    scale = norm.running_var.add(norm.eps).rsqrt()
    if norm.affine:
        scale = scale * norm.weight
    shift = -norm.running_mean * scale
    if norm.affine:
        shift = shift + norm.bias
    folded = copy.deepcopy(conv)
    folded.weight.copy_(conv.weight * scale.view(-1, 1, 1, 1))
    bias = shift if conv.bias is None else conv.bias * scale + shift
    folded.bias = nn.Parameter(bias.to(conv.weight.dtype))
    return folded
