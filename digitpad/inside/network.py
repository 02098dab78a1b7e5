"""Looking inside any model by walking its module tree with forward hooks.

No code per architecture: every leaf module (one with no children) is a
layer. One forward pass, with a hook on each leaf, gives the prediction and
every layer's output together, so what the view shows is exactly what the
answer was computed from. Operations written as functions inside `forward`
(Seed's `F.max_pool2d`, `F.relu`) are not modules and so are not listed; the
layer sentences say what the modules themselves do.

Saliency is gradient × input: how much each ink pixel, times how strongly the
answer's log-probability reacts to it, pushed the network towards a digit.
Pixels without ink have no say by this measure, which is what a learner asks:
"which parts of my stroke made it a 7?". Towards another digit ("why not
4?") the same map shows which ink spoke for 4 (positive) and against it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

# One plain sentence per kind of layer; {placeholders} are filled from Layer.facts.
# (The window shows them translated: digitpad/ui/inside/layer_list.py has them too.)
SENTENCES = {
    "conv": (
        "Convolution: slides {channels} small {kernel} filters over its input; "
        "each output map shows where one pattern, such as an edge or a curve, appears."),
    "pool": (
        "Pooling: keeps the strongest (or average) value of each small patch, "
        "making the maps smaller and less sensitive to exactly where a stroke is."),
    "norm": (
        "Batch normalisation: rescales each channel to a steady range, "
        "which makes training faster and more stable."),
    "activation": (
        "ReLU: keeps positive values and sets negative ones to zero, so only "
        "patterns that are present pass on."),
    "dropout": (
        "Dropout: while training, switches off random values so the network "
        "cannot rely on any single one; when reading, it lets everything through."),
    "linear": (
        "Fully connected: each of its {outputs} outputs weighs all "
        "{inputs} inputs together."),
    "classifier": (
        "The classifier: one score for each possible answer, computed "
        "from all {inputs} inputs; the highest score wins."),
    "flatten": (
        "Flatten: lays the maps out as one long list of numbers for the "
        "layers that follow."),
    "other": (
        "{type}: a step of this network that DigitPad has no description for."),
}


@dataclass(frozen=True)
class Layer:
    name: str  # the module's name in the model, e.g. "features.0.0" or "conv1"
    kind: str  # a key of SENTENCES
    shape: tuple[int, ...]  # its output for one image: (C, H, W) or (N,)
    parameters: int  # learned numbers in this layer itself
    facts: dict = field(default_factory=dict, compare=False)  # fills the sentence

    @property
    def sentence(self) -> str:
        return SENTENCES[self.kind].format(**self.facts)

    @property
    def is_map(self) -> bool:
        """True when the output is a stack of 2-D maps (C, H, W)."""
        return len(self.shape) == 3

    def to_json(self) -> dict:
        return {"name": self.name, "kind": self.kind, "shape": list(self.shape),
                "parameters": self.parameters}


@dataclass(frozen=True)
class Inspection:
    """One image read by one model, with what each layer made of it."""

    output: torch.Tensor  # the model's output for the image, shape (outputs,)
    layers: tuple[Layer, ...]  # in the order the forward pass ran them
    activations: dict[str, np.ndarray]  # layer name → its output for the image
    kernels: np.ndarray | None  # the first convolution's filters (out, kh, kw), if any
    saliency: np.ndarray | None = None  # 28×28 gradient × input towards `saliency_for`
    saliency_for: int | None = None

    def conv_layers(self) -> list[Layer]:
        return [layer for layer in self.layers if layer.kind == "conv" and layer.is_map]


def layer_kind(module: nn.Module) -> str:
    if isinstance(module, nn.modules.conv._ConvNd):
        return "conv"
    if isinstance(module, (nn.modules.pooling._MaxPoolNd, nn.modules.pooling._AvgPoolNd,
                           nn.modules.pooling._AdaptiveAvgPoolNd,
                           nn.modules.pooling._AdaptiveMaxPoolNd)):
        return "pool"
    if isinstance(module, (nn.modules.batchnorm._NormBase, nn.GroupNorm, nn.LayerNorm)):
        return "norm"
    if isinstance(module, (nn.ReLU, nn.LeakyReLU, nn.ReLU6, nn.ELU, nn.GELU, nn.SiLU)):
        return "activation"
    if isinstance(module, nn.modules.dropout._DropoutNd):
        return "dropout"
    if isinstance(module, nn.Linear):
        return "linear"
    if isinstance(module, nn.Flatten):
        return "flatten"
    return "other"


def _facts(module: nn.Module, kind: str) -> dict:
    if kind == "conv":
        size = "×".join(str(k) for k in module.kernel_size)
        return {"channels": module.out_channels, "kernel": size}
    if kind in ("linear", "classifier"):
        return {"inputs": module.in_features, "outputs": module.out_features}
    return {"type": type(module).__name__}


# A model's tree does not change once built; walking it costs more than a live
# reading can spare, so each model's leaves are found once.
_leaves: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def leaf_modules(model: nn.Module) -> list[tuple[str, nn.Module]]:
    found = _leaves.get(model)
    if found is None:
        found = [(name, module) for name, module in model.named_modules()
                 if name and next(module.children(), None) is None]
        _leaves[model] = found
    return found


def first_conv_kernels(model: nn.Module) -> np.ndarray | None:
    """The first convolution's filters as (out, kh, kw) (input channels averaged)."""
    for _, module in leaf_modules(model):
        if isinstance(module, nn.Conv2d):
            return module.weight.detach().float().mean(dim=1).cpu().numpy()
    return None


def inspect_image(model: nn.Module, image: np.ndarray, *,
                  saliency_for: int | None | Callable[[torch.Tensor], int] = None,
                  ) -> Inspection:
    """Run `image` (28×28, 0..1) through `model` once, noting every layer's output.

    `saliency_for`: a digit, or a function choosing one from the output (e.g. the
    answer), to compute gradient × input towards; None skips the backward pass."""
    leaves = leaf_modules(model)
    order: list[tuple[str, nn.Module]] = []
    outputs: dict[str, torch.Tensor] = {}

    def noting(name: str, module: nn.Module):
        def hook(_module, _inputs, output) -> None:
            if isinstance(output, torch.Tensor) and name not in outputs:
                # A copy: a ReLU(inplace=True) after this layer would change it.
                outputs[name] = output.detach()[0].to("cpu", copy=True)
                order.append((name, module))
        return hook

    handles = [module.register_forward_hook(noting(name, module)) for name, module in leaves]
    x = torch.from_numpy(np.ascontiguousarray(image, np.float32)).view(1, 1, 28, 28)
    parameter = next(model.parameters(), None)
    if parameter is not None:  # a model training on a GPU is looked at where it is
        x = x.to(parameter.device)
    try:
        if saliency_for is None:
            with torch.inference_mode():
                output = model(x)[0]
        else:
            x.requires_grad_(True)
            with torch.enable_grad():
                output = model(x)[0]
                target = saliency_for(output.detach()) if callable(saliency_for) \
                    else int(saliency_for)
                (gradient,) = torch.autograd.grad(output[target], x)
            saliency = (gradient * x.detach())[0, 0].cpu().numpy()
    finally:
        for handle in handles:
            handle.remove()
    last_linear = max((i for i, (_, m) in enumerate(order) if isinstance(m, nn.Linear)),
                      default=None)
    layers = []
    for i, (name, module) in enumerate(order):
        kind = layer_kind(module)
        if i == last_linear:
            kind = "classifier"
        layers.append(Layer(name, kind, tuple(outputs[name].shape),
                            sum(p.numel() for p in module.parameters(recurse=False)),
                            _facts(module, kind)))
    activations = {name: outputs[name].float().numpy() for name, _ in order}
    output = output.detach().cpu()
    if saliency_for is None:
        return Inspection(output, tuple(layers), activations, first_conv_kernels(model))
    return Inspection(output, tuple(layers), activations, first_conv_kernels(model),
                      saliency, target)


def saliency(model: nn.Module, image: np.ndarray, digit: int) -> np.ndarray:
    """Gradient × input (28×28) of the log-probability of `digit`; positive: this ink
    made `digit` more likely."""
    result = inspect_image(model, image, saliency_for=digit)
    assert result.saliency is not None
    return result.saliency
