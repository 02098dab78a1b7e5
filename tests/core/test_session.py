"""The training session that `digitpad train` and the Trainer tab share: the run's
record kept in step, the checkpoint read back, and a stop that says what it lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import synthetic_digits

from digitpad.store.runs import FAILED, FINISHED, STOPPED, RunStore
from digitpad.training.session import (
    TrainingJob,
    TrainingSession,
    epoch_line,
    failure_message,
)
from trainer.config import TrainConfig
from trainer.digitset import DigitSet
from trainer.engine import BatchEnd, EpochEnd
from trainer.errors import DataError, TrainingDiverged

CONFIG = TrainConfig(arch="seed", epochs=3, batch_size=50, optimizer="adam", lr=0.003,
                     schedule="none", augment=False, seed=3, device="cpu")

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture(scope="module")
def sets() -> tuple[DigitSet, DigitSet]:
    return (DigitSet.from_numpy(*synthetic_digits(200, 0)),
            DigitSet.from_numpy(*synthetic_digits(50, 1)))


def drive(session: TrainingSession, stop_at: tuple[int, int | None] | None = None):
    """Run the session as the CLI does; cancel after batch `stop_at` (epoch, batch), or
    after the epoch when batch is None. Returns what it yielded and the outcome."""
    session.build_engine(*session.load_data())
    seen = []
    events = session.events()
    while True:
        try:
            item = next(events)
        except StopIteration as end:
            return seen, end.value
        seen.append(item)
        if isinstance(item, BatchEnd) and (item.epoch, item.batch) == stop_at \
                or isinstance(item, EpochEnd) and (item.epoch, None) == stop_at:
            session.cancel()


def test_a_whole_run_keeps_its_record_and_reads_the_last_epoch_back(sets) -> None:
    run = RunStore().new(CONFIG)
    seen, outcome = drive(TrainingSession(TrainingJob(CONFIG, run, sets=sets)))
    assert [e.epoch for e in seen if isinstance(e, EpochEnd)] == [1, 2, 3]
    assert not any(isinstance(e, str) for e in seen)  # nothing to say about a stop
    assert not outcome.stopped and outcome.checkpoint.epoch == 3
    assert outcome.checkpoint.info["run"] == run.id and outcome.checkpoint.preprocess_version
    saved = RunStore().load(run.id)
    assert saved.status == FINISHED and len(saved.epochs) == 3 and len(saved.batch_losses) == 12


def test_a_stop_mid_epoch_says_which_batches_were_not_kept(sets) -> None:
    run = RunStore().new(CONFIG)
    seen, outcome = drive(TrainingSession(TrainingJob(CONFIG, run, sets=sets)), stop_at=(2, 3))
    assert seen[-1] == ("Stopped in epoch 2 after 3 of 4 batches; those were not kept: "
                        "epoch 1 is saved and can be resumed.")
    assert outcome.stopped and outcome.checkpoint.epoch == 1  # the saved epoch, read back
    saved = RunStore().load(run.id)
    assert saved.status == STOPPED and saved.can_resume
    # The curve ends where the checkpoint does: the thrown-away batches are not in it.
    assert len(saved.epochs) == 1 and len(saved.batch_losses) == 4


def test_a_stop_during_the_evaluation_loses_the_epoch(sets) -> None:
    seen, outcome = drive(TrainingSession(TrainingJob(CONFIG, RunStore().new(CONFIG),
                                                      sets=sets)), stop_at=(2, 4))
    assert seen[-1] == ("Stopped in epoch 2 after 4 of 4 batches; those were not kept: "
                        "epoch 1 is saved and can be resumed.")
    assert outcome.checkpoint.epoch == 1


def test_a_stop_in_the_first_epoch_says_there_is_nothing_to_resume(sets) -> None:
    run = RunStore().new(CONFIG)
    seen, outcome = drive(TrainingSession(TrainingJob(CONFIG, run, sets=sets)), stop_at=(1, 2))
    assert seen[-1] == ("Stopped in epoch 1 after 2 of 4 batches; those were not kept: "
                        "no epoch was finished, so there is nothing to resume.")
    assert outcome.stopped and outcome.checkpoint is None
    assert not RunStore().load(run.id).can_resume


def test_a_stop_between_epochs_loses_nothing(sets) -> None:
    run = RunStore().new(CONFIG)
    session = TrainingSession(TrainingJob(CONFIG, run, sets=sets))
    seen, outcome = drive(session, stop_at=(1, None))
    assert seen[-1] == "Stopped; epoch 1 is saved and can be resumed."
    assert outcome.checkpoint.epoch == 1


def test_a_stop_before_the_engine_exists_is_honoured(sets) -> None:
    session = TrainingSession(TrainingJob(CONFIG, RunStore().new(CONFIG), sets=sets))
    session.cancel()
    seen, outcome = drive(session)
    assert seen == ["Stopped; no epoch was finished, so there is nothing to resume."]
    assert outcome.stopped and outcome.checkpoint is None


def test_without_a_run_it_writes_only_the_checkpoint(tmp_path: Path, sets) -> None:
    out = tmp_path / "model.safetensors"
    _, outcome = drive(TrainingSession(TrainingJob(CONFIG.updated(epochs=1), sets=sets,
                                                   checkpoint_path=out)))
    assert outcome.run is None and outcome.checkpoint.path == out
    assert not (tmp_path / "data").exists()


def test_data_that_cannot_be_read_fails_the_run_in_its_record(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = RunStore().new(CONFIG)
    session = TrainingSession(TrainingJob(CONFIG, run, data=tmp_path / "empty"))
    with pytest.raises(DataError):
        session.load_data()
    saved = RunStore().load(run.id)
    assert saved.status == FAILED and "no train-images file" in saved.message


def test_the_lines_for_an_epoch_and_a_failure() -> None:
    event = EpochEnd(2, 5, 0.123456, 0.98765, None, 3.21, 0.01)
    assert epoch_line(event) == ("Epoch 2/5: train loss 0.1235, train accuracy 98.77%, 3.2 s")
    diverged = TrainingDiverged("the loss became nan in epoch 1, batch 2; training stopped")
    assert failure_message(diverged) == ("Training diverged: the loss became nan in epoch 1, "
                                         "batch 2; training stopped. The model in use was "
                                         "not changed.")
    assert failure_message(DataError("x.npz: not MNIST")) == "x.npz: not MNIST"
    assert failure_message(ValueError("bad\nsecond line")) == "unexpected error: ValueError: bad"
