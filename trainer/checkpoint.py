"""Model and checkpoint files: one safe format for both.

A DigitPad model file is a `safetensors` file. Its tensors are the model's
weights; its metadata (JSON strings) records the architecture and its
parameters, the preprocessing version the model was trained for, its metrics,
and, for checkpoints of a run, the configuration, history and epoch. A
checkpoint also carries the optimizer, schedule and random-number state as one
extra byte tensor, read back with ``torch.load(weights_only=True)``. So any
checkpoint can be used as a model, and loading either never runs code from the
file.

Writes are atomic: a temporary file beside the target is written, flushed,
fsynced and renamed over it, so a crash leaves the old file or the new one,
never a broken one.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import torch
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors
from torch import nn

from trainer.config import TrainConfig
from trainer.errors import CheckpointError, ConfigError
from trainer.files import atomic_write
from trainer.model_file import (
    FORMAT,
    FORMAT_VERSION,
    TRAINING_STATE_KEY,
    first_line,
    model_facts,
    read_model_file,
)
from trainer.models import SIZE_LIMITS, build_model

MAX_ARCH_PARAM = max(SIZE_LIMITS.values())


@dataclass
class Checkpoint:
    """A loaded model file, with everything needed to use or resume it."""

    model: nn.Module
    arch: str
    arch_params: dict
    preprocess_version: int | None = None
    metrics: dict = field(default_factory=dict)
    config: TrainConfig | None = None
    history: dict = field(default_factory=dict)
    epoch: int = 0
    training_state: dict | None = None
    info: dict = field(default_factory=dict)
    path: Path | None = None
    # Temperature and verdict thresholds (trainer/calibration.py); {} = uncalibrated.
    calibration: dict = field(default_factory=dict)

    @property
    def test_accuracy(self) -> float | None:
        return self.metrics.get("test_accuracy")


def save_checkpoint(
    path: str | Path,
    model: nn.Module,
    arch: str,
    arch_params: dict | None = None,
    *,
    metrics: dict | None = None,
    preprocess_version: int | None = None,
    config: TrainConfig | None = None,
    history: dict | None = None,
    epoch: int = 0,
    training_state: dict | None = None,
    info: dict | None = None,
    calibration: dict | None = None,
) -> Path:
    """Write a model (and optionally the state to resume its training) atomically."""
    path = Path(path)
    tensors = {name: t.detach().cpu().contiguous() for name, t in model.state_dict().items()}
    if training_state is not None:
        buffer = io.BytesIO()
        torch.save(training_state, buffer)
        state_bytes = bytearray(buffer.getvalue())
        tensors[TRAINING_STATE_KEY] = torch.frombuffer(state_bytes, dtype=torch.uint8)
    metadata = {
        "format": FORMAT,
        "format_version": str(FORMAT_VERSION),
        "arch": arch,
        "arch_params": json.dumps(arch_params or {}),
        "preprocess_version": json.dumps(preprocess_version),
        "metrics": json.dumps(metrics or {}),
        "config": json.dumps(config.to_dict() if config else None),
        "history": json.dumps(history or {}),
        "epoch": str(int(epoch)),
        "info": json.dumps({"saved": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                            **(info or {})}),
    }
    if calibration:
        metadata["calibration"] = json.dumps(calibration)
    atomic_write(path, save_safetensors(tensors, metadata=metadata), error=CheckpointError)
    return path


def load_checkpoint(path: str | Path, *, with_training_state: bool = False) -> Checkpoint:
    """Read a model file. Never executes code from it; raises CheckpointError."""
    path = Path(path).expanduser()
    tensors, metadata = read_model_file(path, load_safetensors)
    facts = model_facts(metadata, path)
    arch, arch_params = facts.arch, facts.arch_params
    if not isinstance(arch_params, dict) or not all(
        isinstance(v, (int, float)) and abs(v) <= MAX_ARCH_PARAM for v in arch_params.values()
    ):
        raise CheckpointError(f"{path}: implausible architecture parameters {arch_params!r}")
    try:
        config = TrainConfig.from_dict(facts.config) if facts.config else None
        model = build_model(arch, **arch_params)
    except (ConfigError, TypeError) as error:
        raise CheckpointError(f"{path}: {error}") from None

    state_bytes = tensors.pop(TRAINING_STATE_KEY, None)
    try:
        model.load_state_dict(tensors, strict=True)
    except RuntimeError as error:
        raise CheckpointError(
            f"{path}: its weights do not fit the '{arch}' architecture "
            f"({first_line(error).rstrip(':.')})"
        ) from None
    broken = [name for name, tensor in tensors.items()
              if tensor.is_floating_point() and not bool(torch.isfinite(tensor).all())]
    if broken:
        # Such a model answers NaN for every drawing, which is no answer at all.
        raise CheckpointError(f"{path}: its weights hold NaN or infinite values "
                              f"({', '.join(broken[:3])})")
    model.eval()

    training_state = None
    if with_training_state and state_bytes is not None:
        try:
            training_state = torch.load(
                io.BytesIO(state_bytes.numpy().tobytes()), weights_only=True, map_location="cpu"
            )
        except Exception as error:  # noqa: BLE001 - any failure means a bad file
            raise CheckpointError(
                f"{path}: its training state cannot be read safely ({first_line(error)})"
            ) from None
    return Checkpoint(
        model=model, arch=arch, arch_params=arch_params,
        preprocess_version=facts.preprocess_version, metrics=facts.metrics, config=config,
        history=facts.history, epoch=facts.epoch, training_state=training_state,
        info=facts.info, path=path, calibration=facts.calibration,
    )


def store_calibration(path: str | Path, calibration: dict) -> Checkpoint:
    """Write `calibration` into the model file at `path` (weights, training state and
    the rest of the metadata unchanged), atomically; returns the file read back."""
    path = Path(path)
    tensors, metadata = read_model_file(path, load_safetensors)
    metadata = {str(k): str(v) for k, v in metadata.items()}
    metadata["calibration"] = json.dumps(calibration)
    atomic_write(path, save_safetensors(tensors, metadata=metadata), error=CheckpointError)
    return load_checkpoint(path)
