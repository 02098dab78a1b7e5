"""The Trainer tab's job in the worker pattern: a training session off the GUI thread,
its events, log lines, outcome and errors as the worker's signals."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import torch
from conftest import synthetic_digits, write_idx_folder

from digitpad.store.runs import FAILED, FINISHED, STOPPED, RunStore
from digitpad.training.session import (
    TrainingJob,
    TrainingOutcome,
    TrainingSession,
    epoch_line,
    failure_message,
)
from digitpad.ui.train.training_worker import training_worker
from digitpad.ui.workers import Worker
from trainer.checkpoint import load_checkpoint
from trainer.config import TrainConfig
from trainer.digitset import DigitSet
from trainer.engine import BatchEnd, EpochEnd
from trainer.errors import TrainerError
from trainer.models import build_model

CONFIG = TrainConfig(arch="seed", epochs=2, batch_size=50, optimizer="adam", lr=0.003)


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path / "data" / "digitpad"


def digit_sets(n_train: int = 200, n_test: int = 50) -> tuple[DigitSet, DigitSet]:
    return (DigitSet.from_numpy(*synthetic_digits(n_train, 0)),
            DigitSet.from_numpy(*synthetic_digits(n_test, 1)))


class Recorder:
    """Collects a worker's signals, on the GUI thread."""

    def __init__(self, worker: Worker) -> None:
        self.batches, self.epochs, self.lines, self.failures = [], [], [], []
        self.pictures: list = []
        self.errors: list[Exception] = []
        self.outcome: TrainingOutcome | None = None
        worker.yielded.connect(self._yielded)
        worker.errored.connect(self._errored)
        worker.returned.connect(self._finish)

    def _yielded(self, item) -> None:
        if isinstance(item, BatchEnd):
            self.batches.append(item)
        elif isinstance(item, EpochEnd):
            self.epochs.append(item)
            # The log's lines for an epoch, as the Trainer tab writes them.
            self.lines.append(epoch_line(item))
            if item.test is not None:
                self.lines.append(item.test.tutorial_line())
        elif isinstance(item, str):
            self.lines.append(item)
        else:  # pictures of the network learning (digitpad.training.watch)
            self.pictures.append(item)

    def _errored(self, error: Exception) -> None:
        self.errors.append(error)  # the exception itself, not a flattened string
        self.failures.append(failure_message(error))

    def _finish(self, outcome: TrainingOutcome) -> None:
        self.outcome = outcome


def start(qtbot, job: TrainingJob, before_start=None):
    session = TrainingSession(job)
    worker = training_worker(session)
    recorder = Recorder(worker)
    if before_start is not None:
        before_start(worker, session, recorder)
    with qtbot.waitSignal(worker.finished, timeout=60_000):
        worker.start()
    assert worker.wait(10), "the training worker is still running"
    return session, recorder


def test_a_short_run_completes_with_a_signal_per_batch_and_epoch(qtbot) -> None:
    run = RunStore().new(CONFIG)
    worker, seen = start(qtbot, TrainingJob(CONFIG, run, sets=digit_sets()))
    assert len(seen.batches) == 2 * 4 and len(seen.epochs) == 2
    assert seen.outcome is not None and not seen.outcome.stopped and seen.failures == []
    assert seen.outcome.checkpoint.epoch == 2
    assert seen.outcome.checkpoint.test_accuracy == seen.epochs[-1].test.accuracy
    assert any(line.startswith("Test set: Average loss: ") for line in seen.lines)
    saved = RunStore().load(run.id)
    assert saved.status == FINISHED and len(saved.batch_losses) == 8 and len(saved.epochs) == 2


def test_data_is_loaded_from_a_folder_in_the_worker(qtbot, tmp_path: Path) -> None:
    folder = write_idx_folder(tmp_path / "mnist", n_train=100, n_test=20)
    config = CONFIG.updated(epochs=1)
    _, seen = start(qtbot, TrainingJob(config, RunStore().new(config), data=folder))
    assert seen.outcome is not None and len(seen.batches) == 2
    assert any("100 training and 20 test images" in line for line in seen.lines)


def test_a_bad_data_folder_fails_with_one_line(qtbot, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    _, seen = start(qtbot, TrainingJob(CONFIG, RunStore().new(CONFIG), data=tmp_path / "empty"))
    assert seen.outcome is None and len(seen.failures) == 1
    assert isinstance(seen.errors[0], TrainerError)
    assert "no train-images file" in seen.failures[0] and "\n" not in seen.failures[0]


def test_stop_takes_effect_within_one_batch(qtbot) -> None:
    config = CONFIG.updated(epochs=3, batch_size=10)
    run = RunStore().new(config)
    done_when_stopped = []

    def stop_at_third_batch(worker: Worker, session: TrainingSession, seen: Recorder) -> None:
        def on_batch(event) -> None:
            if len(seen.batches) == 3 and not done_when_stopped:
                done_when_stopped.append(len(session.engine.history["batch_losses"]))
                worker.quit()
        worker.yielded.connect(on_batch)

    session, seen = start(qtbot, TrainingJob(config, run, sets=digit_sets(400)),
                          stop_at_third_batch)
    trained = len(session.engine.history["batch_losses"])
    assert trained <= done_when_stopped[0] + 1  # at most the batch already under way
    assert seen.outcome.stopped and seen.outcome.checkpoint is None  # no epoch completed
    assert RunStore().load(run.id).status == STOPPED
    # What was thrown away is said (the stopped epoch's batches), not silently lost.
    assert seen.lines[-1] == (f"Stopped in epoch 1 after {trained} of 40 batches; those were "
                              "not kept: no epoch was finished, so there is nothing to resume.")


def test_pause_holds_the_run_and_resume_continues_it(qtbot) -> None:
    run = RunStore().new(CONFIG)

    order: list[str] = []

    def pause_at_first_batch(worker: Worker, session: TrainingSession, seen: Recorder) -> None:
        def on_yielded(item) -> None:
            if isinstance(item, BatchEnd):
                order.append("batch")
                if len(seen.batches) == 1:
                    worker.pause()

        def on_paused() -> None:
            order.append("paused")
            assert worker.is_paused  # held between two batches
            worker.resume()

        worker.yielded.connect(on_yielded)
        worker.paused.connect(on_paused)
        worker.resumed.connect(lambda: order.append("resumed"))

    _, seen = start(qtbot, TrainingJob(CONFIG, run, sets=digit_sets()), pause_at_first_batch)
    assert len(seen.batches) == 8 and not seen.outcome.stopped
    # Held, then continued: no batch was trained while paused.
    held = order.index("paused")
    assert order[held + 1] == "resumed" and order.count("batch") == 8


def test_a_stopped_run_resumes_and_its_curve_continues(qtbot) -> None:
    config = CONFIG.updated(epochs=3)
    run = RunStore().new(config)
    sets = digit_sets()

    def stop_after_first_epoch(worker: Worker, session: TrainingSession, seen: Recorder) -> None:
        worker.yielded.connect(lambda item: worker.quit() if isinstance(item, EpochEnd) else None)

    _, first = start(qtbot, TrainingJob(config, run, sets=sets), stop_after_first_epoch)
    assert first.outcome.stopped and len(first.epochs) == 1
    stopped = RunStore().load(run.id)
    assert stopped.can_resume and len(stopped.batch_losses) == 4
    first_curve = list(stopped.batch_losses)

    resume = load_checkpoint(stopped.checkpoint_path, with_training_state=True)
    _, second = start(qtbot, TrainingJob(config, stopped, sets=sets, resume=resume))
    assert [e.epoch for e in second.epochs] == [2, 3]
    finished = RunStore().load(run.id)
    assert finished.status == FINISHED and len(finished.epochs) == 3
    assert finished.batch_losses[:4] == first_curve and len(finished.batch_losses) == 12


def test_fine_tuning_trains_a_copy_and_leaves_the_original_alone(qtbot) -> None:
    original = build_model("seed")
    before = {k: v.clone() for k, v in original.state_dict().items()}
    config = CONFIG.updated(epochs=1)
    _, seen = start(qtbot, TrainingJob(config, RunStore().new(config), sets=digit_sets(),
                                       model=copy.deepcopy(original)))
    assert seen.outcome is not None
    assert all(torch.equal(before[k], v) for k, v in original.state_dict().items())
    trained = seen.outcome.checkpoint.model.state_dict()
    assert not torch.equal(trained["conv1.weight"], before["conv1.weight"])


def test_a_diverging_run_fails_with_a_clear_message(qtbot) -> None:
    broken = build_model("seed")
    with torch.no_grad():
        broken.fc2.bias.fill_(float("nan"))
    run = RunStore().new(CONFIG)
    _, seen = start(qtbot, TrainingJob(CONFIG, run, sets=digit_sets(), model=broken))
    assert seen.outcome is None and len(seen.failures) == 1
    assert seen.failures[0].startswith("Training diverged: the loss became nan")
    assert "model in use was not changed" in seen.failures[0]
    assert RunStore().load(run.id).status == FAILED


def test_training_leaves_a_core_for_the_gui(qtbot, monkeypatch) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    threads = torch.get_num_threads()
    try:
        config = CONFIG.updated(epochs=1)
        _, seen = start(qtbot, TrainingJob(config, RunStore().new(config), sets=digit_sets(50)))
        assert any("3 CPU thread(s)" in line for line in seen.lines)
    finally:
        torch.set_num_threads(threads)


def test_a_bad_npz_fails_with_one_line(qtbot, tmp_path: Path) -> None:
    bad = tmp_path / "mnist.npz"
    bad.write_bytes(b"not a zip file")
    _, seen = start(qtbot, TrainingJob(CONFIG, RunStore().new(CONFIG), data=bad))
    assert seen.outcome is None and seen.failures[0].startswith(f"{bad}: not a readable .npz")


def test_a_full_disk_during_a_run_fails_with_one_line(qtbot, monkeypatch) -> None:
    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    run = RunStore().new(CONFIG)
    monkeypatch.setattr("os.fdopen", no_space)
    _, seen = start(qtbot, TrainingJob(CONFIG, run, sets=digit_sets()))
    assert seen.outcome is None and len(seen.failures) == 1
    assert seen.failures[0].endswith("cannot be saved (No space left on device)")
