"""The folder of trained models, and fresh names in it that no other run can take."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from digitpad.store.paths import create_new, user_data_dir

SUFFIX = ".safetensors"


def models_dir() -> Path:
    return user_data_dir() / "models"


def new_model_path(arch: str, folder: str | Path | None = None) -> Path:
    """A new, empty file ``<arch>-<date>-<time>[-n].safetensors`` in the models folder.

    The file is created with O_EXCL, which either makes it or fails, so two
    trainings started in the same second get two names and neither replaces the
    other's model. The caller writes the model over it (atomically) or, if nothing
    gets saved, removes it with `discard_unused_model_path`."""
    folder = Path(folder) if folder is not None else models_dir()
    base = f"{arch}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    return create_new(folder, base, SUFFIX, _create_empty_file, what="models")


def _create_empty_file(path: Path) -> None:
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))


def discard_unused_model_path(path: str | Path) -> None:
    """Remove a name from `new_model_path` that no model was written to (still empty)."""
    path = Path(path)
    try:
        if path.is_file() and path.stat().st_size == 0:
            path.unlink()
    except OSError:
        pass  # an empty file left behind is harmless; the training's own error matters more
