"""A training run and a personal fine-tune leave their model calibrated."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import torch
from conftest import synthetic_digits

from digitpad.training import calibrate as calibrate_module
from digitpad.training.calibrate import calibrate_file, fit_calibration
from digitpad.training.session import TrainingJob, TrainingSession
from trainer.calibration import model_logits
from trainer.checkpoint import load_checkpoint, save_checkpoint
from trainer.config import TrainConfig
from trainer.digitset import DigitSet
from trainer.engine import BatchEnd
from trainer.models import build_model

pytestmark = pytest.mark.usefixtures("one_torch_thread")

CONFIG = TrainConfig(arch="seed", epochs=1, batch_size=50, optimizer="adam", lr=0.003,
                     schedule="none", augment=False, seed=3, device="cpu")


def run_to_the_end(session: TrainingSession):
    session.build_engine(*session.load_data())
    events = session.events()
    while True:
        try:
            next(events)
        except StopIteration as end:
            return end.value


def test_a_run_fits_its_calibration_on_its_test_set(tmp_path: Path) -> None:
    sets = (DigitSet.from_numpy(*synthetic_digits(300, 0)),
            DigitSet.from_numpy(*synthetic_digits(200, 1)))
    path = tmp_path / "run.safetensors"
    outcome = run_to_the_end(TrainingSession(TrainingJob(CONFIG, checkpoint_path=path, sets=sets)))
    calibration = outcome.checkpoint.calibration
    assert calibration["fitted_on"].startswith("the run's test set")
    assert 0.05 <= calibration["temperature"] <= 20 and "sure" in calibration
    assert load_checkpoint(path, with_training_state=True).training_state is not None
    assert load_checkpoint(path).calibration == calibration


def test_too_small_a_test_set_leaves_the_model_uncalibrated(tmp_path: Path) -> None:
    sets = (DigitSet.from_numpy(*synthetic_digits(100, 0)),
            DigitSet.from_numpy(*synthetic_digits(20, 1)))
    path = tmp_path / "run.safetensors"
    outcome = run_to_the_end(TrainingSession(TrainingJob(CONFIG, checkpoint_path=path, sets=sets)))
    assert outcome.checkpoint.calibration == {}


def test_an_eleven_output_model_gets_a_not_a_digit_threshold(tmp_path: Path) -> None:
    model = build_model("digitnet", width=2, depth=1, outputs=11)
    path = save_checkpoint(tmp_path / "m.safetensors", model, "digitnet",
                           {"width": 2, "depth": 1, "outputs": 11})
    images, labels = synthetic_digits(150, 2)
    negatives, _ = synthetic_digits(50, 3)
    checkpoint = calibrate_file(path, images, labels, "synthetic", negatives=negatives)
    assert 0.05 <= checkpoint.calibration["not_a_digit"] <= 0.99
    assert 0 <= checkpoint.calibration["negatives_caught"] <= 1


SETS = (DigitSet.from_numpy(*synthetic_digits(300, 0)),
        DigitSet.from_numpy(*synthetic_digits(200, 1)))


@pytest.fixture
def readings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many images each reading for a calibration fit read (the model's outputs
    computed anew, not taken from the run)."""
    counted: list[int] = []
    real = calibrate_module.model_logits
    monkeypatch.setattr(calibrate_module, "model_logits",
                        lambda model, images: counted.append(len(images)) or real(model, images))
    return counted


def test_a_finished_run_calibrates_from_its_final_test_without_reading_it_again(
        tmp_path: Path, readings: list[int]) -> None:
    session = TrainingSession(TrainingJob(CONFIG, checkpoint_path=tmp_path / "run.safetensors",
                                          sets=SETS))
    outcome = run_to_the_end(session)
    assert readings == []  # the final test's outputs were enough
    kept = session.engine.final_test_outputs
    # They are what the saved model reads: the calibration is the same either way.
    again = model_logits(outcome.checkpoint.model, SETS[1].images)
    assert kept.shape == again.shape and torch.allclose(kept, again, atol=1e-5)
    fresh = fit_calibration(outcome.checkpoint, SETS[1].images, SETS[1].labels,
                            outcome.checkpoint.calibration["fitted_on"])
    assert fresh["temperature"] == pytest.approx(outcome.checkpoint.calibration["temperature"],
                                                 abs=1e-3)


def test_a_stopped_run_reads_its_test_set_again_for_the_calibration(
        tmp_path: Path, readings: list[int]) -> None:
    # Stopped in epoch 2 of 2: the last full test belonged to no saved epoch (epoch 1
    # was checked on the interim sample), so nothing kept may stand in for a reading.
    config = replace(CONFIG, epochs=2, interim_test_images=120)
    session = TrainingSession(TrainingJob(config, checkpoint_path=tmp_path / "run.safetensors",
                                          sets=SETS))
    session.build_engine(*session.load_data())
    events = session.events()
    while True:
        try:
            event = next(events)
        except StopIteration as end:
            outcome = end.value
            break
        if isinstance(event, BatchEnd) and event.epoch == 2:
            session.cancel()
    assert outcome.stopped and outcome.checkpoint.epoch == 1
    assert readings == [200]  # the whole test set, read with the saved weights
    assert session.engine.final_test_outputs is None
