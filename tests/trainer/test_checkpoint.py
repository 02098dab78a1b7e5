"""trainer.checkpoint: one safe file format for models and resumable checkpoints."""

from __future__ import annotations

import errno
import io
import json
import os
import signal
from pathlib import Path

import pytest
import torch
from conftest import kill_mid_write
from safetensors import safe_open
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors

from trainer.checkpoint import TRAINING_STATE_KEY, load_checkpoint, save_checkpoint
from trainer.config import TrainConfig
from trainer.errors import CheckpointError
from trainer.models import build_model


class Payload:
    """Unpickling this creates the file `marker`: proof that code from the file ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _seed_model(seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    return build_model("seed")


def _save_good(path: Path, epoch: int = 1, **kwargs) -> Path:
    return save_checkpoint(path, _seed_model(epoch), "seed", {}, epoch=epoch, **kwargs)


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    torch.manual_seed(3)
    model = build_model("seed-wide", hidden=40)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(torch.rand(2, 1, 28, 28)).sum().backward()
    optimizer.step()
    config = TrainConfig(arch="seed-wide", arch_params={"hidden": 40}, epochs=3, optimizer="sgd",
                         lr=0.02, schedule="none", augment=False, seed=7)
    history = {"epochs": [{"epoch": 1, "train_loss": 0.5}], "batch_losses": [2.3, 1.1, 0.5]}
    metrics = {"test_accuracy": 0.875, "test_loss": 0.31}
    state = {"optimizer": optimizer.state_dict(), "generator": torch.Generator().get_state(),
             "numbers": [1, 2.5], "name": "x"}
    path = save_checkpoint(tmp_path / "sub" / "run.safetensors", model, "seed-wide",
                           {"hidden": 40}, metrics=metrics, preprocess_version=1, config=config,
                           history=history, epoch=1, training_state=state,
                           info={"data": "somewhere"})
    assert path.exists()

    loaded = load_checkpoint(path, with_training_state=True)
    assert loaded.arch == "seed-wide" and loaded.arch_params == {"hidden": 40}
    assert loaded.metrics == metrics and loaded.test_accuracy == 0.875
    assert loaded.preprocess_version == 1
    assert loaded.config == config
    assert loaded.history == history
    assert loaded.epoch == 1
    assert loaded.info["data"] == "somewhere" and "saved" in loaded.info
    assert loaded.path == path
    assert not loaded.model.training
    original, restored = model.state_dict(), loaded.model.state_dict()
    assert original.keys() == restored.keys()
    for name in original:
        assert torch.equal(original[name], restored[name]), name
    assert loaded.training_state is not None
    assert loaded.training_state["numbers"] == [1, 2.5] and loaded.training_state["name"] == "x"
    assert torch.equal(loaded.training_state["generator"], state["generator"])
    momentum = loaded.training_state["optimizer"]["state"][0]["momentum_buffer"]
    assert torch.equal(momentum, optimizer.state_dict()["state"][0]["momentum_buffer"])
    # Same outputs from the same weights.
    model.eval()
    x = torch.rand(4, 1, 28, 28)
    assert torch.equal(model(x), loaded.model(x))


def test_training_state_is_only_read_on_request(tmp_path: Path) -> None:
    path = _save_good(tmp_path / "m.safetensors", training_state={"a": torch.ones(2)})
    assert load_checkpoint(path).training_state is None
    assert torch.equal(load_checkpoint(path, with_training_state=True).training_state["a"],
                       torch.ones(2))


def test_a_plain_model_has_no_training_state(tmp_path: Path) -> None:
    path = _save_good(tmp_path / "m.safetensors")
    loaded = load_checkpoint(path, with_training_state=True)
    assert loaded.training_state is None and loaded.config is None and loaded.history == {}


def _assert_one_line_error(path: Path, error: CheckpointError) -> str:
    message = str(error)
    assert str(path) in message
    assert "\n" not in message
    return message


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "random.safetensors"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(path)
    assert "not a DigitPad model file" in _assert_one_line_error(path, caught.value)


@pytest.mark.parametrize("keep", [0, 5, 8, 100, -1000, -1])
def test_truncated_file(tmp_path: Path, keep: int) -> None:
    path = _save_good(tmp_path / "m.safetensors")
    path.write_bytes(path.read_bytes()[:keep])
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(path)
    _assert_one_line_error(path, caught.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="no such file"):
        load_checkpoint(tmp_path / "absent.safetensors")
    with pytest.raises(CheckpointError, match="is a folder"):
        load_checkpoint(tmp_path)


def test_weights_of_another_architecture(tmp_path: Path) -> None:
    path = tmp_path / "liar.safetensors"
    # seed-wide weights, but the file says "seed".
    save_checkpoint(path, build_model("seed-wide"), "seed", {})
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(path)
    message = _assert_one_line_error(path, caught.value)
    assert "do not fit the 'seed' architecture" in message


def test_unknown_architecture_in_file(tmp_path: Path) -> None:
    path = save_checkpoint(tmp_path / "m.safetensors", _seed_model(), "resnet9000", {})
    with pytest.raises(CheckpointError, match="unknown architecture 'resnet9000'"):
        load_checkpoint(path)


def test_safetensors_without_digitpad_metadata(tmp_path: Path) -> None:
    path = tmp_path / "foreign.safetensors"
    path.write_bytes(save_safetensors(_seed_model().state_dict()))
    with pytest.raises(CheckpointError, match="no 'digitpad-model' metadata"):
        load_checkpoint(path)


def test_implausible_arch_params(tmp_path: Path) -> None:
    path = tmp_path / "huge.safetensors"
    metadata = _metadata_of(_save_good(tmp_path / "good.safetensors"))
    metadata["arch_params"] = json.dumps({"channels1": 10**9})
    path.write_bytes(save_safetensors(_seed_model().state_dict(), metadata=metadata))
    with pytest.raises(CheckpointError, match="implausible architecture parameters"):
        load_checkpoint(path)


def test_newer_format_is_refused_politely(tmp_path: Path) -> None:
    path = tmp_path / "future.safetensors"
    metadata = _metadata_of(_save_good(tmp_path / "good.safetensors"))
    metadata["format_version"] = "99"
    path.write_bytes(save_safetensors(_seed_model().state_dict(), metadata=metadata))
    with pytest.raises(CheckpointError, match="newer DigitPad"):
        load_checkpoint(path)


def _metadata_of(path: Path) -> dict:
    with safe_open(str(path), framework="pt") as handle:
        return dict(handle.metadata())


def test_torch_pickle_is_never_unpickled(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    torch.save({"state_dict": _seed_model().state_dict(), "evil": Payload(marker)}, path)
    assert not marker.exists()
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(path, with_training_state=True)
    _assert_one_line_error(path, caught.value)
    assert not marker.exists(), "loading the file ran code from it"


def test_pickle_inside_the_training_state_is_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    good = _save_good(tmp_path / "good.safetensors", training_state={"a": 1})
    tensors = load_safetensors(good.read_bytes())
    buffer = io.BytesIO()
    torch.save({"optimizer": Payload(marker)}, buffer)
    tensors[TRAINING_STATE_KEY] = torch.frombuffer(bytearray(buffer.getvalue()), dtype=torch.uint8)
    path = tmp_path / "evil.safetensors"
    path.write_bytes(save_safetensors(tensors, metadata=_metadata_of(good)))
    assert not marker.exists()

    # As a model it is fine: the training state is not even looked at.
    assert load_checkpoint(path).arch == "seed"
    assert not marker.exists()
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(path, with_training_state=True)
    assert "training state cannot be read safely" in _assert_one_line_error(path, caught.value)
    assert not marker.exists(), "loading the training state ran code from the file"


# --- writing --------------------------------------------------------------------------


def test_saved_files_get_normal_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        path = _save_good(tmp_path / "m.safetensors")
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644


def test_overwriting_keeps_the_old_files_permissions(tmp_path: Path) -> None:
    path = _save_good(tmp_path / "m.safetensors")
    path.chmod(0o664)
    _save_good(path, epoch=2)
    assert path.stat().st_mode & 0o777 == 0o664
    assert load_checkpoint(path).epoch == 2


def test_disk_full_leaves_old_file_and_no_temp_files(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = _save_good(tmp_path / "m.safetensors", epoch=1)
    before = path.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(CheckpointError) as caught:
        _save_good(path, epoch=2)
    message = _assert_one_line_error(path, caught.value)
    assert "cannot be saved" in message and os.strerror(errno.ENOSPC) in message
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert load_checkpoint(path).epoch == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.safetensors"]


def test_write_failing_midway_leaves_no_temp_files(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = _save_good(tmp_path / "m.safetensors", epoch=1)
    real_fdopen = os.fdopen

    class Full(io.RawIOBase):
        def __init__(self, stream) -> None:
            self.stream = stream

        def write(self, data) -> int:
            self.stream.write(bytes(data[:10]))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __exit__(self, *exc) -> None:
            self.stream.close()

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    with pytest.raises(CheckpointError, match="cannot be saved"):
        _save_good(path, epoch=2)
    monkeypatch.undo()
    assert load_checkpoint(path).epoch == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.safetensors"]


def test_cannot_save_into_a_file_posing_as_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CheckpointError, match="cannot be saved"):
        _save_good(blocker / "m.safetensors")


CHILD = """
    import sys
    import torch
    from trainer.checkpoint import save_checkpoint
    from trainer.models import build_model

    install_half_write()
    torch.manual_seed(2)
    save_checkpoint(sys.argv[1], build_model("seed-wide"), "seed-wide", {}, epoch=2)
    print("FINISHED", flush=True)
"""


def test_killed_while_writing_leaves_previous_file_loadable(tmp_path: Path) -> None:
    path = _save_good(tmp_path / "m.safetensors", epoch=1)
    before = path.read_bytes()

    def half_of_the_new_file_is_beside_the_target() -> None:
        assert len([p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]) == 1

    status = kill_mid_write(CHILD, str(path),
                            while_half_written=half_of_the_new_file_is_beside_the_target)
    assert status == -signal.SIGKILL
    assert path.read_bytes() == before
    loaded = load_checkpoint(path)
    assert loaded.arch == "seed" and loaded.epoch == 1


def _with_metadata(tmp_path: Path, name: str, value: str) -> Path:
    """A good model file whose metadata entry `name` is replaced by `value`."""
    good = _save_good(tmp_path / "good.safetensors", config=TrainConfig(arch="seed"))
    metadata = _metadata_of(good)
    metadata[name] = value
    path = tmp_path / f"{name}.safetensors"
    path.write_bytes(save_safetensors(load_safetensors(good.read_bytes()), metadata=metadata))
    return path


@pytest.mark.parametrize("name", ["metrics", "info", "history", "arch_params", "config"])
def test_deeply_nested_json_in_the_metadata_is_one_line(tmp_path: Path, name: str) -> None:
    path = _with_metadata(tmp_path, name, "[" * 100_000 + "]" * 100_000)
    with pytest.raises(CheckpointError) as raised:
        load_checkpoint(path)
    assert "damaged metadata" in _assert_one_line_error(path, raised.value)


def test_a_string_accuracy_in_the_metadata_is_dropped_not_shown(tmp_path: Path) -> None:
    path = _with_metadata(tmp_path, "metrics",
                          json.dumps({"test_accuracy": "99 %", "test_loss": 0.05,
                                      "train_loss": float("nan"), "test_correct": True}))
    checkpoint = load_checkpoint(path)
    assert checkpoint.metrics == {"test_loss": 0.05}
    assert checkpoint.test_accuracy is None


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_a_model_with_non_finite_weights_is_refused(tmp_path: Path, value: float) -> None:
    model = _seed_model()
    with torch.no_grad():
        next(model.parameters())[0].fill_(value)
    path = save_checkpoint(tmp_path / "nan.safetensors", model, "seed", {})
    with pytest.raises(CheckpointError) as raised:
        load_checkpoint(path)
    assert "its weights hold NaN or infinite values" in _assert_one_line_error(path,
                                                                               raised.value)


@pytest.mark.parametrize("config", [
    {"epochs": "ten"}, {"epochs": 2.5}, {"lr": "fast"}, {"augment": 1}, {"seed": 2**70},
    {"seed": -1}, {"batch_size": True}, {"arch": ["seed"]}, {"epochs": 0},
])
def test_a_wrong_typed_config_in_a_checkpoint_is_one_line(tmp_path: Path, config: dict) -> None:
    values = {**TrainConfig(arch="seed").to_dict(), **config}
    path = _with_metadata(tmp_path, "config", json.dumps(values))
    with pytest.raises(CheckpointError) as raised:
        load_checkpoint(path, with_training_state=True)
    _assert_one_line_error(path, raised.value)
