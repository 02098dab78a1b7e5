"""DigitPad's ML core: data sets, models, the training loop and checkpoints.

Headless on purpose: nothing here imports Qt or the `digitpad` application.
"""

from trainer.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from trainer.config import PRESETS, TrainConfig, preset
from trainer.digitset import DigitSet, mnist_sets
from trainer.engine import BatchEnd, Engine, EpochEnd, EvalResult, evaluate
from trainer.errors import CheckpointError, ConfigError, DataError, TrainerError, TrainingDiverged
from trainer.mnist import Mnist, load_mnist
from trainer.models import ARCHITECTURES, build_model

__all__ = [
    "ARCHITECTURES", "BatchEnd", "Checkpoint", "CheckpointError", "ConfigError", "DataError",
    "DigitSet", "Engine", "EpochEnd", "EvalResult", "Mnist", "PRESETS", "TrainConfig",
    "TrainerError", "TrainingDiverged", "build_model", "evaluate", "load_checkpoint",
    "load_mnist", "mnist_sets", "preset", "save_checkpoint",
]
