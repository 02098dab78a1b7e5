"""Which model the Draw tab reads with, remembered across restarts.

``<user data>/model-in-use.json`` names the model file chosen with "Use this
model"; no file (or ``"path": null``) means the built-in model. The chosen
model is copied into ``<user data>/models/`` without its training state, so it
stays as it was when chosen even if its run is resumed or deleted later.

If the remembered file has gone or cannot be read, the built-in model is used
and the caller gets a one-line message to show; the program always starts.

Importing this module imports no torch (its functions that load or save a
model do): the window asks for `model_to_read()` before torch has loaded.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from digitpad.resources import embedded_model_path
from digitpad.store.models_folder import SUFFIX, models_dir
from digitpad.store.paths import user_data_dir
from trainer.errors import CheckpointError, TrainerError
from trainer.files import atomic_write

if TYPE_CHECKING:
    from trainer.checkpoint import Checkpoint

SETTINGS_FILE = "model-in-use.json"


def settings_path() -> Path:
    return user_data_dir() / SETTINGS_FILE


def remembered_path() -> Path | None:
    """The remembered model file, or None for the built-in model (also if the note is damaged)."""
    try:
        values = json.loads(settings_path().read_text(encoding="utf-8"))
        path = values.get("path") if isinstance(values, dict) else None
    except (OSError, ValueError):
        return None
    return Path(path) if isinstance(path, str) and path else None


def remember(path: str | Path | None) -> None:
    """Note `path` (None: the built-in model) as the model in use; written atomically."""
    values = {"path": str(path) if path is not None else None,
              "chosen": datetime.now().isoformat(timespec="seconds")}
    # Choosing a model fails as a model error, whichever of its two files could not be written.
    atomic_write(settings_path(), json.dumps(values, indent=1).encode(), error=CheckpointError)


def model_to_read() -> Path:
    """The model file load_model_in_use() reads first: the remembered one, else the
    built-in one."""
    return remembered_path() or embedded_model_path()


def keep_model(checkpoint: Checkpoint, name: str) -> Path:
    """Copy a trained model (weights and facts, no training state) into the models folder."""
    return save_model(checkpoint, models_dir() / f"{name}{SUFFIX}")


def save_model(checkpoint: Checkpoint, path: str | Path) -> Path:
    """Write a model (weights and facts, no training state) to `path`, atomically."""
    from trainer.checkpoint import save_checkpoint

    save_checkpoint(path, checkpoint.model, checkpoint.arch, checkpoint.arch_params,
                    metrics=checkpoint.metrics, preprocess_version=checkpoint.preprocess_version,
                    config=checkpoint.config, history=checkpoint.history, epoch=checkpoint.epoch,
                    info=checkpoint.info, calibration=checkpoint.calibration)
    return Path(path)


def load_model_in_use() -> tuple[Checkpoint, str | None]:
    """The remembered model, or the built-in one and a message saying why it was not used."""
    from trainer.checkpoint import load_checkpoint

    path = remembered_path()
    if path is not None:
        try:
            return load_checkpoint(path), None
        except TrainerError as error:
            message = f"the model in use could not be loaded ({error}); using the built-in model"
            return load_checkpoint(embedded_model_path()), message
    if settings_path().exists() and not _note_is_readable():
        message = (f"{settings_path()}: damaged, so the built-in model is used "
                   "(choosing a model again will repair it)")
        return load_checkpoint(embedded_model_path()), message
    return load_checkpoint(embedded_model_path()), None


def _note_is_readable() -> bool:
    try:
        return isinstance(json.loads(settings_path().read_text(encoding="utf-8")), dict)
    except (OSError, ValueError):
        return False
