"""Faults during a fine-tune on personal samples: a loss that turns NaN or
infinite, and Stop at any moment. The model in use is never touched, and the
user gets one line, never a traceback."""

from __future__ import annotations

import pytest
import torch
from test_personal import samples, tiny_model, weights  # noqa: F401 - fixtures

from digitpad.errors import one_line
from digitpad.training.personal import FineTuneSettings, PersonalFineTune
from digitpad.ui.train.fine_tune_worker import FineTune
from digitpad.ui.workers import Worker
from trainer import engine as engine_module
from trainer.errors import TrainingDiverged

QUICK = FineTuneSettings(steps=6, batch_size=16, lr=0.003, pull=0.01)


def poison_loss(monkeypatch: pytest.MonkeyPatch, bad: float, at_call: int = 2) -> None:
    real = engine_module.training_loss
    calls = []

    def loss(*args, **kwargs):
        calls.append(1)
        value = real(*args, **kwargs)
        return value * bad if len(calls) == at_call else value

    monkeypatch.setattr(engine_module, "training_loss", loss)


def unchanged(before: list[torch.Tensor], model: torch.nn.Module) -> bool:
    return all(torch.equal(a, b) for a, b in zip(before, weights(model), strict=True))


def run_worker(worker: Worker) -> dict[str, list]:
    """Run the worker here, in this thread (so a stop lands exactly where it is asked
    for), and collect what it said."""
    said: dict[str, list] = {"finished": [], "stopped": [], "failed": [], "done": []}

    def returned(result) -> None:  # None: stopped, with no model
        if result is None:
            said["stopped"].append(True)
        else:
            said["finished"].append(result)

    worker.returned.connect(returned)
    worker.errored.connect(lambda error: said["failed"].append(one_line(error)))
    worker.finished.connect(lambda: said["done"].append(True))
    worker.run()
    return said


@pytest.mark.parametrize("bad", [float("nan"), float("inf")], ids=["nan", "inf"])
def test_a_bad_loss_stops_the_fine_tune_and_leaves_the_model(samples, monkeypatch,  # noqa: F811
                                                             bad: float) -> None:
    source = tiny_model()
    before = weights(source.model)
    poison_loss(monkeypatch, bad)
    with pytest.raises(TrainingDiverged, match="loss became (nan|inf)"):
        PersonalFineTune(source, samples, None, QUICK).run()
    assert unchanged(before, source.model)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")], ids=["nan", "inf"])
def test_the_worker_reports_a_bad_loss_in_one_line(samples, monkeypatch,  # noqa: F811
                                                  bad: float) -> None:
    source = tiny_model()
    before = weights(source.model)
    poison_loss(monkeypatch, bad)
    said = run_worker(FineTune(source, samples, use_mnist=False, settings=QUICK).worker())
    assert said["finished"] == [] and said["stopped"] == [] and said["done"] == [True]
    [message] = said["failed"]
    assert "loss became" in message and "\n" not in message and "Traceback" not in message
    assert unchanged(before, source.model)


def test_stop_before_the_worker_starts_gives_no_model(samples) -> None:  # noqa: F811
    source = tiny_model()
    worker = FineTune(source, samples, use_mnist=False, settings=QUICK).worker()
    worker.quit()
    said = run_worker(worker)
    assert said["stopped"] == [True] and said["finished"] == [] and said["failed"] == []


@pytest.mark.parametrize("stage", ["measuring the model in use", "preparing your samples",
                                   "fine-tuning", "measuring the new model"])
def test_stop_at_every_stage_gives_no_model_and_leaves_the_source(samples,  # noqa: F811
                                                                 stage: str) -> None:
    source = tiny_model()
    before = weights(source.model)
    worker = FineTune(source, samples, use_mnist=False, settings=QUICK).worker()
    seen = []

    def stop_at(step: tuple[str, float]) -> None:
        now, _fraction = step
        seen.append(now)
        if now == stage:
            worker.quit()

    worker.yielded.connect(stop_at)
    said = run_worker(worker)
    assert stage in seen
    assert said["stopped"] == [True] and said["finished"] == [] and said["failed"] == []
    assert unchanged(before, source.model)
