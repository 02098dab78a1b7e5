"""Round 2 (issue 16) for runs: two windows in the same second, a run being
trained in another window, damaged run records, unique default model names."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest

from digitpad.errors import RunError
from digitpad.store import models_folder, runs
from digitpad.store.models_folder import discard_unused_model_path, new_model_path
from digitpad.store.runs import FINISHED, STOPPED, RunStore
from trainer.config import TrainConfig

REPO = Path(__file__).resolve().parents[2]


class _FrozenClock(datetime):
    """Every run starts in the same second, as two windows clicking Train together."""

    @classmethod
    def now(cls, tz=None):  # noqa: ANN001, ANN206 - the datetime.now signature
        return datetime(2026, 11, 27, 12, 0, 0, tzinfo=tz)


def _at_once(count: int, job) -> list:  # noqa: ANN001 - any callable
    """Run `job` in `count` threads released together; their results."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def one(i: int) -> None:
        try:
            barrier.wait()
            results[i] = job()
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


# -- item 2: unique run ids, one folder each ---------------------------------------

def test_runs_started_in_the_same_second_by_two_windows_keep_their_own_folders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs, "datetime", _FrozenClock)
    store = RunStore(tmp_path / "runs")
    made = []
    for _ in range(10):
        pair = _at_once(2, lambda: RunStore(tmp_path / "runs").new(
            TrainConfig(epochs=2), data=f"data of {threading.get_ident()}"))
        made += pair
        for run in pair:
            run.status = STOPPED
            run.save()
    assert len({run.id for run in made}) == len(made) == 20
    assert all(run.id.startswith("20261127-120000") for run in made)
    listed = {run.id: run for run in store.runs()}
    assert set(listed) == {run.id for run in made}
    for run in made:  # each folder holds its own run, not the other window's
        assert listed[run.id].data == run.data


# -- item 2: a run being trained is in use ------------------------------------------

TRAINING_WINDOW = r"""
import sys
from digitpad.store.runs import RunStore
from trainer.config import TrainConfig
run = RunStore(sys.argv[1]).new(TrainConfig(epochs=3))
run.epochs = [{"epoch": 1}]
run.checkpoint_path.write_bytes(b"a checkpoint")
run.save()
print(run.id, flush=True)
if sys.stdin.readline().strip() == "stop":
    run.status = "stopped"
    run.save()
    print("stopped", flush=True)
    sys.stdin.readline()
"""


def _training_window(folder: Path) -> tuple[subprocess.Popen, str]:
    child = subprocess.Popen([sys.executable, "-c", TRAINING_WINDOW, str(folder)], cwd=REPO,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    return child, child.stdout.readline().strip()


def _end(child: subprocess.Popen) -> None:
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdin.close()
    child.stdout.close()


def test_a_run_another_window_is_training_cannot_be_resumed_until_it_stops(
        tmp_path: Path) -> None:
    child, run_id = _training_window(tmp_path / "runs")
    try:
        run = RunStore(tmp_path / "runs").load(run_id)
        assert run.in_use() and not run.can_resume
        assert run.title().endswith("training in another window")
        with pytest.raises(RunError, match="another window"):
            run.claim()
        child.stdin.write("stop\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "stopped"
        run = RunStore(tmp_path / "runs").load(run_id)
        assert not run.in_use() and run.can_resume and run.status == STOPPED
        run.claim()  # this window resumes it now
        assert RunStore(tmp_path / "runs").load(run_id).in_use()
    finally:
        _end(child)


def test_a_killed_training_leaves_its_run_free_to_resume(tmp_path: Path) -> None:
    child, run_id = _training_window(tmp_path / "runs")
    try:
        assert RunStore(tmp_path / "runs").load(run_id).in_use()
    finally:
        _end(child)  # SIGKILL: no chance to release anything
    run = RunStore(tmp_path / "runs").load(run_id)
    assert not run.in_use() and run.can_resume
    assert run.title().endswith("interrupted")


def test_a_run_ends_its_use_when_its_end_is_saved(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs")
    run = store.new(TrainConfig(epochs=1))
    other = store.load(run.id)
    assert other.in_use() and not run.in_use()  # in use by someone else, from the other side
    run.set_history({"epochs": [{"epoch": 1}], "batch_losses": [1.0]})
    run.save()  # an epoch: still training
    assert other.in_use()
    run.status = FINISHED
    run.save()
    assert not other.in_use()
    del run  # a Run dropped while claimed gives its claim back too
    again = store.load(other.id)
    again.claim()
    del again
    assert not store.load(other.id).in_use()


def test_a_run_whose_end_cannot_be_written_is_free_all_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = RunStore(tmp_path / "runs")
    run = store.new(TrainConfig(epochs=2))

    def full_disk(path, data, *, error):  # noqa: ANN001, ANN202 - atomic_write's signature
        raise error(f"{path}: cannot be saved (No space left on device)")

    monkeypatch.setattr(runs, "atomic_write", full_disk)
    run.status, run.message = "failed", "the disk is full"
    with pytest.raises(RunError, match="No space"):
        run.save()
    assert not store.load(run.id).in_use()  # this window may resume it once there is space


# -- item 2: default model names --------------------------------------------------

def test_default_model_names_of_trainings_in_the_same_second_differ(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models_folder, "datetime", _FrozenClock)
    folder = tmp_path / "models"
    folder.mkdir()
    taken = folder / "seed-20261127-120000.safetensors"
    taken.write_bytes(b"someone's model")
    paths = []
    for _ in range(10):
        paths += _at_once(2, lambda: new_model_path("seed", folder))
    assert len(set(paths)) == len(paths) == 20 and taken not in paths
    assert all(p.is_file() and p.stat().st_size == 0 for p in paths)
    assert taken.read_bytes() == b"someone's model"
    discard_unused_model_path(paths[0])
    discard_unused_model_path(taken)  # not empty: never removed
    assert not paths[0].exists() and taken.exists()


def test_default_model_names_live_in_the_models_folder(tmp_path: Path) -> None:
    path = new_model_path("seed")
    assert path.parent == models_folder.models_dir() and path.name.startswith("seed-")


# -- item 7: one damaged run.json is skipped and named --------------------------------

DAMAGED_RECORDS = {
    "started is a number": {"config": {"epochs": 2}, "started": 5},
    "null": None,
    "a top-level list": [1, 2, 3],
    "nested JSON": "[" * 100_000 + "]" * 100_000,
    "config is text": {"config": "fast"},
    "epochs not records": {"config": {"epochs": 2}, "epochs": [1, 2]},
    "accuracy as text": {"config": {"epochs": 2}, "epochs": [{"epoch": 1,
                                                              "test_accuracy": "high"}]},
    "losses not numbers": {"config": {"epochs": 2}, "batch_losses": ["x"]},
    "planned epochs as text": {"config": {"epochs": "two"}},
    "not UTF-8": b"\xff\xfe{",
}


@pytest.mark.parametrize("case", sorted(DAMAGED_RECORDS))
def test_a_damaged_run_record_is_skipped_and_named_and_the_rest_is_listed(
        tmp_path: Path, case: str) -> None:
    store = RunStore(tmp_path / "runs")
    good = store.new(TrainConfig(epochs=2))
    good.status = STOPPED
    good.save()
    bad = tmp_path / "runs" / "20260101-000000"
    bad.mkdir()
    record = DAMAGED_RECORDS[case]
    if isinstance(record, bytes):
        (bad / "run.json").write_bytes(record)
    else:
        (bad / "run.json").write_text(record if isinstance(record, str) else json.dumps(record))
    listed, damaged = store.scan()
    assert [run.id for run in listed] == [good.id]
    assert len(damaged) == 1 and str(bad / "run.json") in damaged[0]
    assert "\n" not in damaged[0]
    for run in listed:  # what the Trainer tab does with every listed run
        run.title()
        assert run.can_resume is False
    assert [run.id for run in store.runs()] == [good.id]
    with pytest.raises(RunError, match="damaged"):
        store.load(bad.name)
