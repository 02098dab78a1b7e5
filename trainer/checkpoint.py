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
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors
from torch import nn

from trainer.config import TrainConfig
from trainer.errors import CheckpointError, ConfigError
from trainer.files import atomic_write, read_user_file
from trainer.models import SIZE_LIMITS, build_model

FORMAT = "digitpad-model"
FORMAT_VERSION = 1
TRAINING_STATE_KEY = "__training_state__"
# A model file is at most a few MB; refuse anything absurd before reading it.
MAX_FILE_BYTES = 512 * 1024 * 1024
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
    data = read_user_file(path, kind="a model file", limit=MAX_FILE_BYTES,
                          error=CheckpointError)
    try:
        tensors = load_safetensors(data)
        metadata = _read_metadata(data)
    except (SafetensorError, ValueError, OSError, UnicodeDecodeError, RecursionError) as error:
        raise CheckpointError(f"{path}: not a DigitPad model file ({_first_line(error)})") from None
    if metadata.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a DigitPad model file (no '{FORMAT}' metadata)")
    try:
        version = int(metadata.get("format_version", "0"))
        arch = metadata["arch"]
        arch_params = json.loads(metadata.get("arch_params", "{}"))
        preprocess_version = json.loads(metadata.get("preprocess_version", "null"))
        metrics = json.loads(metadata.get("metrics", "{}"))
        config_values = json.loads(metadata.get("config", "null"))
        history = json.loads(metadata.get("history", "{}"))
        epoch = int(metadata.get("epoch", "0"))
        info = json.loads(metadata.get("info", "{}"))
        calibration = json.loads(metadata.get("calibration", "{}"))
    except (KeyError, ValueError, RecursionError) as error:  # RecursionError: nested JSON
        raise CheckpointError(f"{path}: damaged metadata ({_first_line(error)})") from None
    if version > FORMAT_VERSION:
        raise CheckpointError(
            f"{path}: written by a newer DigitPad (format {version}); please update DigitPad"
        )
    if not isinstance(arch_params, dict) or not all(
        isinstance(v, (int, float)) and abs(v) <= MAX_ARCH_PARAM for v in arch_params.values()
    ):
        raise CheckpointError(f"{path}: implausible architecture parameters {arch_params!r}")
    try:
        config = TrainConfig.from_dict(config_values) if config_values else None
        model = build_model(arch, **arch_params)
    except (ConfigError, TypeError) as error:
        raise CheckpointError(f"{path}: {error}") from None

    state_bytes = tensors.pop(TRAINING_STATE_KEY, None)
    try:
        model.load_state_dict(tensors, strict=True)
    except RuntimeError as error:
        raise CheckpointError(
            f"{path}: its weights do not fit the '{arch}' architecture "
            f"({_first_line(error).rstrip(':.')})"
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
                f"{path}: its training state cannot be read safely ({_first_line(error)})"
            ) from None
    return Checkpoint(
        model=model, arch=arch, arch_params=arch_params, preprocess_version=preprocess_version,
        metrics=_numbers_only(metrics), config=config,
        history=history if isinstance(history, dict) else {}, epoch=epoch,
        training_state=training_state, info=info if isinstance(info, dict) else {}, path=path,
        calibration=_calibration_only(calibration),
    )


def store_calibration(path: str | Path, calibration: dict) -> Checkpoint:
    """Write `calibration` into the model file at `path` (weights, training state and
    the rest of the metadata unchanged), atomically; returns the file read back."""
    path = Path(path)
    data = read_user_file(path, kind="a model file", limit=MAX_FILE_BYTES, error=CheckpointError)
    try:
        tensors = load_safetensors(data)
        metadata = _read_metadata(data)
    except (SafetensorError, ValueError, OSError, UnicodeDecodeError, RecursionError) as error:
        raise CheckpointError(f"{path}: not a DigitPad model file ({_first_line(error)})") from None
    metadata = {str(k): str(v) for k, v in metadata.items()}
    metadata["calibration"] = json.dumps(calibration)
    atomic_write(path, save_safetensors(tensors, metadata=metadata), error=CheckpointError)
    return load_checkpoint(path)


def _calibration_only(calibration: object) -> dict:
    """Calibration with a usable temperature; a damaged entry reads as none (T = 1)."""
    if not isinstance(calibration, dict):
        return {}
    value = calibration.get("temperature")
    if not isinstance(value, (int, float)) or isinstance(value, bool) \
            or not math.isfinite(value) or value <= 0:
        return {}
    return calibration


def _numbers_only(metrics: object) -> dict:
    """The finite numeric metrics (accuracy, loss, ...); anything else a damaged or
    crafted file holds is dropped, so no caller formats a string as a percentage."""
    if not isinstance(metrics, dict):
        return {}
    return {key: value for key, value in metrics.items()
            if isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value)}


def _read_metadata(data: bytes) -> dict:
    # safetensors' header: 8-byte little-endian length, then JSON.
    length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + length].decode("utf-8"))
    metadata = header.get("__metadata__") or {}
    if not isinstance(metadata, dict):
        raise ValueError("metadata is not a mapping")
    return metadata


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
