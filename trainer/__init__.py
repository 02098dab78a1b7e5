"""DigitPad's ML core: data sets, models, the training loop and checkpoints.

Headless on purpose: nothing here imports Qt or the `digitpad` application.

The names below are loaded on first use (PEP 562), not when the package is:
importing a light submodule such as `trainer.errors` runs this file first, and
must not drag in torch, or the GUI could no longer show its window before
torch has loaded.
"""

from __future__ import annotations

from importlib import import_module

_HOMES = {
    "trainer.checkpoint": ["Checkpoint", "load_checkpoint", "save_checkpoint"],
    "trainer.config": ["PRESETS", "TrainConfig", "preset"],
    "trainer.digitset": ["DigitSet", "mnist_sets"],
    "trainer.engine": ["BatchEnd", "Engine", "EpochEnd", "EvalResult", "evaluate"],
    "trainer.errors": ["CheckpointError", "ConfigError", "DataError", "TrainerError",
                       "TrainingDiverged"],
    "trainer.mnist": ["Mnist", "load_mnist"],
    "trainer.models": ["ARCHITECTURES", "build_model"],
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = sorted(_HOME_OF)


def __getattr__(name: str) -> object:
    if name not in _HOME_OF:
        raise AttributeError(f"module 'trainer' has no attribute {name!r}")
    value = getattr(import_module(_HOME_OF[name]), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
