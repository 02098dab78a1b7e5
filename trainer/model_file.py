"""What a DigitPad model file says about itself, read without torch.

A model file is a `safetensors` file: its tensors are the weights, its metadata
(JSON strings) the facts about them. Reading the facts needs no torch, so the
window can read drawings with NumPy (trainer/numpy_model.py) while torch is
still being imported; trainer/checkpoint.py reads the same facts the same way
before it builds the torch model.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from trainer.errors import CheckpointError
from trainer.files import read_user_file

FORMAT = "digitpad-model"
FORMAT_VERSION = 1
TRAINING_STATE_KEY = "__training_state__"
# A model file is at most a few MB; refuse anything absurd before reading it.
MAX_FILE_BYTES = 512 * 1024 * 1024
# The model's outputs: the ten digits, then (in an eleven-output model) "not a digit".
DIGITS = 10
NOT_A_DIGIT = 10
# Without calibration data: the top probability below which a reading is "unsure"
# (the constant DigitPad always used).
DEFAULT_SURE = 0.6


@dataclass
class ModelFacts:
    """The metadata of a model file, checked; `config` is the raw mapping (or None)."""

    arch: str
    arch_params: dict
    preprocess_version: int | None = None
    metrics: dict = field(default_factory=dict)
    config: dict | None = None
    history: dict = field(default_factory=dict)
    epoch: int = 0
    info: dict = field(default_factory=dict)
    path: Path | None = None
    # Temperature and verdict thresholds (trainer/calibration.py); {} = uncalibrated.
    calibration: dict = field(default_factory=dict)

    @property
    def test_accuracy(self) -> float | None:
        return self.metrics.get("test_accuracy")


def read_model_file(path: Path, load_tensors: Callable[[bytes], dict]) -> tuple[dict, dict]:
    """(tensors, metadata) of the file at `path`, the tensors made by `load_tensors`
    (safetensors' torch or NumPy `load`); CheckpointError if it is no safetensors file."""
    from safetensors import SafetensorError

    data = read_user_file(path, kind="a model file", limit=MAX_FILE_BYTES, error=CheckpointError)
    try:
        return load_tensors(data), read_metadata(data)
    except (SafetensorError, ValueError, OSError, UnicodeDecodeError, RecursionError) as error:
        raise CheckpointError(f"{path}: not a DigitPad model file ({first_line(error)})") from None


def read_metadata(data: bytes) -> dict:
    """The metadata mapping of a safetensors file's bytes; ValueError if it has none."""
    # safetensors' header: 8-byte little-endian length, then JSON.
    length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + length].decode("utf-8"))
    metadata = header.get("__metadata__") or {}
    if not isinstance(metadata, dict):
        raise ValueError("metadata is not a mapping")
    return metadata


def model_facts(metadata: Mapping, path: Path) -> ModelFacts:
    """The checked facts of a model file's metadata; raises CheckpointError."""
    if metadata.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a DigitPad model file (no '{FORMAT}' metadata)")
    try:
        version = int(metadata.get("format_version", "0"))
        arch = metadata["arch"]
        arch_params = json.loads(metadata.get("arch_params", "{}"))
        preprocess_version = json.loads(metadata.get("preprocess_version", "null"))
        metrics = json.loads(metadata.get("metrics", "{}"))
        config = json.loads(metadata.get("config", "null"))
        history = json.loads(metadata.get("history", "{}"))
        epoch = int(metadata.get("epoch", "0"))
        info = json.loads(metadata.get("info", "{}"))
        calibration = json.loads(metadata.get("calibration", "{}"))
    except (KeyError, ValueError, RecursionError) as error:  # RecursionError: nested JSON
        raise CheckpointError(f"{path}: damaged metadata ({first_line(error)})") from None
    if version > FORMAT_VERSION:
        raise CheckpointError(
            f"{path}: written by a newer DigitPad (format {version}); please update DigitPad"
        )
    return ModelFacts(
        arch=arch, arch_params=arch_params, preprocess_version=preprocess_version,
        metrics=numbers_only(metrics), config=config or None,
        history=history if isinstance(history, dict) else {}, epoch=epoch,
        info=info if isinstance(info, dict) else {}, path=path,
        calibration=calibration_only(calibration),
    )


def calibration_of(source: object) -> Mapping:
    """The calibration mapping of a Checkpoint or ModelFacts, a metadata mapping, or None ({})."""
    if source is None:
        return {}
    found = getattr(source, "calibration", None)
    if found is not None:
        return found
    if isinstance(source, Mapping):
        inner = source.get("calibration", source)
        return inner if isinstance(inner, Mapping) else {}
    return {}


def temperature(source: object) -> float:
    """The calibration temperature of `source` (see calibration_of); 1 when there is none."""
    value = calibration_of(source).get("temperature", 1.0)
    return float(value) if isinstance(value, (int, float)) and 0.05 <= value <= 20 else 1.0


def calibration_only(calibration: object) -> dict:
    """Calibration with a usable temperature; a damaged entry reads as none (T = 1)."""
    if not isinstance(calibration, dict):
        return {}
    value = calibration.get("temperature")
    if not isinstance(value, (int, float)) or isinstance(value, bool) \
            or not math.isfinite(value) or value <= 0:
        return {}
    return calibration


def numbers_only(metrics: object) -> dict:
    """The finite numeric metrics (accuracy, loss, ...); anything else a damaged or
    crafted file holds is dropped, so no caller formats a string as a percentage."""
    if not isinstance(metrics, dict):
        return {}
    return {key: value for key, value in metrics.items()
            if isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value)}


def first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
