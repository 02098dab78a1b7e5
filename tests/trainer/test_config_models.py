"""trainer.models and trainer.config: the networks by name, and what a run may ask for."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from trainer.config import OPTIMIZERS, PRESETS, SCHEDULES, TrainConfig, preset
from trainer.device import resolve_device
from trainer.errors import ConfigError
from trainer.models import ARCHITECTURES, build_model, count_parameters


@pytest.mark.parametrize("arch", list(ARCHITECTURES))
@pytest.mark.parametrize("n", [1, 3])
def test_every_architecture_gives_log_probabilities(arch: str, n: int) -> None:
    torch.manual_seed(0)
    model = build_model(arch).eval()
    with torch.no_grad():
        out = model(torch.rand(n, 1, 28, 28))
    assert out.shape == (n, 10)
    assert torch.isfinite(out).all()
    assert (out <= 0).all()
    torch.testing.assert_close(out.exp().sum(dim=1), torch.ones(n))


@pytest.mark.parametrize("arch", list(ARCHITECTURES))
def test_every_architecture_trains_in_batches(arch: str) -> None:
    model = build_model(arch).train()
    out = model(torch.rand(4, 1, 28, 28))
    out.sum().backward()
    assert all(p.grad is not None for p in model.parameters())


def _layers(model: nn.Module) -> list[tuple[str, tuple]]:
    found = []
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            found.append(("conv", (module.in_channels, module.out_channels, module.kernel_size)))
        elif isinstance(module, nn.Linear):
            found.append(("fc", (module.in_features, module.out_features)))
    return found


def test_seed_has_the_tutorial_layer_sizes() -> None:
    assert _layers(build_model("seed")) == [
        ("conv", (1, 10, (5, 5))), ("conv", (10, 20, (5, 5))),
        ("fc", (320, 50)), ("fc", (50, 10)),
    ]
    # pytorch/examples' network has exactly this many parameters.
    assert count_parameters(build_model("seed")) == 21840


def test_seed_wide_sizes() -> None:
    assert _layers(build_model("seed-wide")) == [
        ("conv", (1, 32, (5, 5))), ("conv", (32, 64, (5, 5))),
        ("fc", (1024, 100)), ("fc", (100, 10)),
    ]


def test_the_largest_allowed_sizes_build() -> None:
    from trainer.models import SIZE_LIMITS

    assert SIZE_LIMITS["hidden"] >= 4096 and SIZE_LIMITS["width"] >= 256  # the GUI's ranges
    assert build_model("seed", hidden=SIZE_LIMITS["hidden"]).fc1.out_features == 4096


def test_size_parameters_are_honoured() -> None:
    assert _layers(build_model("seed", channels1=4, channels2=8, hidden=16))[2] == ("fc", (128, 16))
    wide = build_model("digitnet", width=8)
    assert wide.classifier.in_features == 32


@pytest.mark.parametrize("name", ["resnet", "", "SEED", "seed "])
def test_unknown_architecture(name: str) -> None:
    with pytest.raises(ConfigError, match="unknown architecture"):
        build_model(name)
    with pytest.raises(ConfigError, match="unknown architecture"):
        TrainConfig(arch=name).validate()


def test_bad_architecture_parameters() -> None:
    with pytest.raises(ConfigError, match="bad parameters for 'seed'"):
        build_model("seed", width=3)
    with pytest.raises(ConfigError, match="bad parameters for 'digitnet'"):
        build_model("digitnet", width=0)


@pytest.mark.parametrize("arch, params, problem", [
    ("seed", {"hidden": -5}, "hidden must be a whole number"),
    ("seed", {"channels1": 0}, "channels1 must be a whole number"),
    ("seed-wide", {"channels2": 2.5}, "channels2 must be a whole number"),
    ("quicknet", {"hidden": True}, "hidden must be a whole number"),
    ("digitnet", {"width": 5000}, "width must be a whole number from 1 to 256"),
    ("seed", {"channels2": 100_000}, "channels2 must be a whole number from 1 to 1024"),
    ("digitnet", {"depth": 0}, "depth must be a whole number"),
    ("digitnet", {"dropout": 5.0}, "bad parameters for 'digitnet'"),
])
def test_sizes_torch_would_choke_on_are_config_errors(arch: str, params: dict,
                                                      problem: str) -> None:
    # Refused before any memory is allocated, and before training starts.
    with pytest.raises(ConfigError, match=problem):
        build_model(arch, **params)
    if "dropout" not in params:
        with pytest.raises(ConfigError, match=problem):
            TrainConfig(arch=arch, arch_params=params).validate()


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_validate(name: str) -> None:
    config = preset(name).validate()
    assert config.arch in ARCHITECTURES
    assert config.learning_rate > 0 and config.epochs >= 1


def test_tutorial_preset_is_the_tutorial() -> None:
    config = preset("tutorial")
    assert (config.arch, config.optimizer, config.lr, config.momentum, config.batch_size) == (
        "seed", "sgd", 0.01, 0.5, 64)


def test_unknown_preset() -> None:
    with pytest.raises(ConfigError, match="unknown preset 'fastest'"):
        preset("fastest")


def test_default_config_is_valid() -> None:
    assert TrainConfig().validate() == TrainConfig()


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_every_optimizer_has_defaults(optimizer: str) -> None:
    config = TrainConfig(optimizer=optimizer).validate()
    assert config.learning_rate > 0 and 0 <= config.momentum_value < 1


@pytest.mark.parametrize("changes, problem", [
    (dict(epochs=0), "epochs must be at least 1"),
    (dict(epochs=-3), "epochs must be at least 1"),
    (dict(batch_size=0), "batch size"),
    (dict(eval_batch_size=-1), "evaluation batch size"),
    (dict(lr=0.0), "learning rate must be a positive number"),
    (dict(lr=-0.1), "learning rate must be a positive number"),
    (dict(lr=math.nan), "learning rate must be a positive number"),
    (dict(lr=math.inf), "learning rate must be a positive number"),
    (dict(optimizer="sgd", momentum=1.0), "momentum must lie in"),
    (dict(optimizer="sgd", momentum=1.5), "momentum must lie in"),
    (dict(optimizer="sgd", momentum=-0.1), "momentum must lie in"),
    (dict(optimizer="nesterov", momentum=0.0), "nesterov optimizer needs a momentum"),
    (dict(optimizer="lbfgs"), "unknown optimizer 'lbfgs'"),
    (dict(schedule="step"), "unknown schedule 'step'"),
    (dict(weight_decay=-1e-4), "weight decay"),
    (dict(weight_decay=math.nan), "weight decay"),
    (dict(label_smoothing=1.0), "label smoothing"),
    (dict(arch="mlp"), "unknown architecture 'mlp'"),
])
def test_invalid_configs(changes: dict, problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        TrainConfig(**changes).validate()


def test_config_round_trips_through_a_dict() -> None:
    config = TrainConfig(arch="seed", arch_params={"hidden": 20}, epochs=3, lr=0.1)
    assert TrainConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ConfigError, match="unknown training settings: colour"):
        TrainConfig.from_dict({**config.to_dict(), "colour": "red"})


def test_updated_ignores_unset_values() -> None:
    config = TrainConfig(epochs=5, lr=0.1).updated(epochs=None, lr=0.2, optimizer=None)
    assert (config.epochs, config.lr, config.optimizer) == (5, 0.2, "adamw")


def test_names_are_listed_in_the_errors() -> None:
    with pytest.raises(ConfigError) as caught:
        TrainConfig(optimizer="x").validate()
    assert all(name in str(caught.value) for name in OPTIMIZERS)
    with pytest.raises(ConfigError) as caught:
        TrainConfig(schedule="x").validate()
    assert all(name in str(caught.value) for name in SCHEDULES)


def test_devices() -> None:
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_device("auto").type in ("cpu", "cuda", "mps")
    with pytest.raises(ConfigError, match="unknown device 'tpu'"):
        resolve_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(ConfigError, match="no CUDA GPU"):
            resolve_device("cuda")
