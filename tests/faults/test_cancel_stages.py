"""Cancel at every stage of a run: before the first batch, mid-epoch, during the
evaluation, during the checkpoint save.

Whatever the moment, the engine (and the GUI's worker around it) stops cleanly:
the checkpoint on disk is the last completed epoch's, complete and loadable
with its training state, no temporary file is left beside it, and the run can
be resumed to the end from it. The log says what the stop threw away.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import synthetic_digits

import trainer.engine as engine_module
from digitpad.store.runs import STOPPED, RunStore
from digitpad.training.session import TrainingJob, TrainingOutcome, TrainingSession
from digitpad.ui.train.training_worker import training_worker
from trainer.checkpoint import load_checkpoint
from trainer.config import TrainConfig
from trainer.digitset import DigitSet
from trainer.engine import BatchEnd, Engine, EpochEnd

EPOCHS, BATCHES = 3, 4  # 200 images in batches of 50
CONFIG = TrainConfig(arch="seed", epochs=EPOCHS, batch_size=50, optimizer="adam", lr=0.003,
                     schedule="none", augment=False, seed=3, device="cpu", eval_batch_size=10)
STAGES = ["before the first batch", "mid-epoch", "during evaluation", "during the save"]
# The epoch whose checkpoint must be on disk after a cancel at that stage (in epoch 2).
SAVED_EPOCH = {"before the first batch": 0, "mid-epoch": 1, "during evaluation": 1,
               "during the save": 2}
# The last line of the log after a stop at that stage: how much was not kept.
STOP_LINE = {
    "before the first batch": "Stopped; no epoch was finished, so there is nothing to resume.",
    "mid-epoch": "Stopped in epoch 2 after 2 of 4 batches; those were not kept: "
                 "epoch 1 is saved and can be resumed.",
    "during evaluation": "Stopped in epoch 2 after 4 of 4 batches; those were not kept: "
                         "epoch 1 is saved and can be resumed.",
    "during the save": "Stopped; epoch 2 is saved and can be resumed.",
}


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def sets() -> tuple[DigitSet, DigitSet]:
    return (DigitSet.from_numpy(*synthetic_digits(200, 0)),
            DigitSet.from_numpy(*synthetic_digits(50, 1)))


def arm(stage: str, engine: Engine, cancel: Callable[[], None],
        monkeypatch: pytest.MonkeyPatch) -> Callable[[object], None]:
    """Make `cancel` happen at `stage` of epoch 2 (or before anything, for the first
    stage); returns the callback to give each event to."""
    if stage == "before the first batch":
        cancel()
        return lambda event: None
    if stage == "mid-epoch":
        def on_event(event) -> None:
            if isinstance(event, BatchEnd) and (event.epoch, event.batch) == (2, 2):
                cancel()
        return on_event
    if stage == "during evaluation":
        evaluated = []

        def hook(module, inputs, output) -> None:
            # The model in eval mode during epoch 2: the evaluation is under way.
            if not module.training and engine.epoch == 1:
                evaluated.append(len(inputs[0]))
                if len(evaluated) == 2:  # two of its five batches done
                    cancel()
        engine.model.register_forward_hook(hook)
        return lambda event: None
    if stage == "during the save":
        real_save = engine_module.save_checkpoint

        def save_and_cancel(path, *args, **kwargs):
            if kwargs.get("epoch") == 2:
                cancel()  # the save that is under way still completes
            return real_save(path, *args, **kwargs)
        monkeypatch.setattr(engine_module, "save_checkpoint", save_and_cancel)
        return lambda event: None
    raise AssertionError(stage)


def assert_clean_checkpoint(folder: Path, path: Path, epoch: int) -> None:
    """No temporary files; the checkpoint is the given epoch's, complete and resumable."""
    if folder.exists():
        assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []
    if epoch == 0:
        assert not path.exists()
        return
    saved = load_checkpoint(path, with_training_state=True)
    assert saved.epoch == epoch
    assert len(saved.history["epochs"]) == epoch
    assert len(saved.history["batch_losses"]) == epoch * BATCHES
    assert set(saved.training_state) >= {"optimizer", "generator", "torch_rng"}


@pytest.mark.parametrize("stage", STAGES)
def test_the_engine_stops_cleanly_at_every_stage(tmp_path: Path, sets, stage: str) -> None:
    folder = tmp_path / "run"
    path = folder / "checkpoint.safetensors"
    engine = Engine(CONFIG, *sets, checkpoint_path=path)
    events = []
    at_epoch_end: dict[int, bytes] = {}
    with pytest.MonkeyPatch.context() as patch:
        on_event = arm(stage, engine, engine.cancel, patch)
        for event in engine.events():
            events.append(event)
            if isinstance(event, EpochEnd):
                at_epoch_end[event.epoch] = path.read_bytes()
            on_event(event)
    expected = SAVED_EPOCH[stage]
    assert engine.cancelled and engine.epoch == expected
    epochs = [e.epoch for e in events if isinstance(e, EpochEnd)]
    assert epochs == list(range(1, expected + 1))
    # Nothing of epoch 3 was started.
    assert not any(isinstance(e, BatchEnd) and e.epoch == 3 for e in events)
    if stage == "before the first batch":
        assert events == []
    assert_clean_checkpoint(folder, path, expected)
    if expected:
        # The file is exactly what the last completed epoch wrote: nothing half-done after it.
        assert path.read_bytes() == at_epoch_end[expected]

    # And the run can be finished from there.
    resume = load_checkpoint(path, with_training_state=True) if expected else None
    finished = Engine(CONFIG, *sets, checkpoint_path=path, resume=resume)
    finished.run()
    assert finished.epoch == EPOCHS
    assert_clean_checkpoint(folder, path, EPOCHS)


def test_a_cancel_after_resuming_leaves_the_checkpoint_as_it_was(tmp_path: Path, sets) -> None:
    path = tmp_path / "checkpoint.safetensors"
    first = Engine(CONFIG.updated(epochs=1), *sets, checkpoint_path=path)
    first.run()
    before = path.read_bytes()
    resumed = Engine(CONFIG, *sets, checkpoint_path=path,
                     resume=load_checkpoint(path, with_training_state=True))
    resumed.cancel()
    assert list(resumed.events()) == []
    assert path.read_bytes() == before


# -- the same through the GUI's worker ----------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
def test_the_worker_stops_cleanly_at_every_stage(qtbot, sets, stage: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    run = RunStore().new(CONFIG)
    worker = training_worker(TrainingSession(TrainingJob(CONFIG, run, sets=sets)))
    outcomes: list[TrainingOutcome] = []
    failures: list[Exception] = []
    lines: list[str] = []
    worker.returned.connect(outcomes.append)
    worker.errored.connect(failures.append)
    worker.yielded.connect(lambda item: lines.append(item) if isinstance(item, str) else None)

    # The engine is made in the worker's thread; arm the stage as soon as it exists.
    real_init = Engine.__init__

    def init_and_arm(engine: Engine, *args, **kwargs) -> None:
        real_init(engine, *args, **kwargs)
        on_event = arm(stage, engine, worker.quit, monkeypatch)
        real_events = engine.events

        def events():
            for event in real_events():
                yield event
                on_event(event)
        engine.events = events

    if stage == "before the first batch":
        worker.quit()  # before the worker (and so the engine) even started
    else:
        monkeypatch.setattr(Engine, "__init__", init_and_arm)
    with qtbot.waitSignal(worker.finished, timeout=60_000):
        worker.start()
    assert worker.wait(10), "the training worker is still running"
    assert failures == [] and len(outcomes) == 1
    assert lines[-1] == STOP_LINE[stage]
    outcome = outcomes[0]
    expected = SAVED_EPOCH[stage]
    assert outcome.stopped
    if expected:
        assert outcome.checkpoint is not None and outcome.checkpoint.epoch == expected
    else:
        assert outcome.checkpoint is None
    saved = RunStore().load(run.id)
    assert saved.status == STOPPED and len(saved.epochs) == expected
    assert len(saved.batch_losses) == expected * BATCHES  # the curve matches the checkpoint
    assert saved.can_resume == bool(expected)
    assert_clean_checkpoint(run.folder, run.checkpoint_path, expected)
