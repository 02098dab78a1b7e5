"""Round 2 (issue 16) through the window: a damaged run or sample is skipped and
named, a read-only sample database is shown and says so, a run another window
is training cannot be resumed here."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from digitpad.drawing.strokes import Stroke
from digitpad.store.runs import STOPPED, RunStore
from digitpad.store.samples import SampleStore
from digitpad.ui.draw.my_samples import MySamplesDialog
from digitpad.ui.train.run_list import RunList
from trainer.config import TrainConfig

pytest_plugins = ["ui_fixtures"]
CANVAS = (400.0, 400.0)


def one() -> list[Stroke]:
    return [Stroke([(200, 80), (205, 200), (200, 320)], 20.0)]


def test_my_samples_opens_with_a_damaged_sample_and_names_it(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "samples.sqlite3"
    with SampleStore(path) as store:
        store.add(1, one(), CANVAS)
        bad = store.add(1, one(), CANVAS)
        store.add(1, one(), CANVAS)
    db = sqlite3.connect(path)
    db.execute("UPDATE samples SET strokes = ? WHERE id = ?", ("[" * 50_000, bad.id))
    db.commit()
    db.close()
    with SampleStore(path) as store:
        dialog = MySamplesDialog(store)
        qtbot.addWidget(dialog)
        assert dialog.gallery.count() == 2
        text = dialog.message.text()
        assert text.startswith("Not shown:") and f"sample {bad.id} is damaged" in text


def test_a_damaged_run_is_listed_as_skipped_and_the_others_work(qtbot, tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs")
    good = store.new(TrainConfig(epochs=2))
    good.status = STOPPED
    good.save()
    bad = tmp_path / "runs" / "20260101-000000"
    bad.mkdir()
    (bad / "run.json").write_text('{"config": {"epochs": 2}, "started": 5}')
    runs = RunList(store)
    qtbot.addWidget(runs)
    runs.reload()
    assert [run.id for run in runs.runs()] == [good.id] and runs.count() == 2
    problem = runs.item(1).text()
    assert problem.startswith("Skipped: ") and str(bad / "run.json") in problem
    assert "'started' is not text" in problem and runs.item(1).toolTip() in problem
    for i in range(runs.count()):  # ticking everything draws only the good run's curves
        runs.item(i).setCheckState(Qt.CheckState.Checked)
    assert [run.id for run in runs.ticked()] == [good.id]
    runs.setCurrentRow(runs.count() - 1)
    assert runs.selected() is None or runs.selected().id == good.id


@pytest.fixture
def read_only_samples(isolated_settings, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A sample database with two samples that this user may only read (for root,
    which may write anything, the store is told so through os.access)."""
    with SampleStore() as store:
        store.add(1, one(), CANVAS)
        store.add(1, one(), CANVAS)
        path = store.path
    if os.geteuid() != 0:
        path.chmod(0o444)
    else:
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: (
            False if mode & os.W_OK and Path(p) == path else real_access(p, mode, **kw)))
    yield path
    path.chmod(0o644)


def test_a_read_only_database_shows_its_counts_and_says_why_teaching_is_off(
        qtbot, read_only_samples: Path, window) -> None:
    teach = window.draw_tab.teach
    assert teach.count_labels[1].text() == "2"
    assert "read-only" in teach.message.text() and str(read_only_samples) in teach.message.text()
    assert not any(button.isEnabled() for button in teach.digit_buttons)


TRAINING_WINDOW = r"""
import sys
from digitpad.store.runs import RunStore
from trainer.config import TrainConfig
run = RunStore(sys.argv[1]).new(TrainConfig(epochs=3))
run.epochs = [{"epoch": 1}]
run.checkpoint_path.write_bytes(b"a checkpoint")
run.save()
print(run.id, flush=True)
sys.stdin.readline()
"""


def test_resume_is_off_for_a_run_another_window_is_training(qtbot, tmp_path: Path) -> None:
    from digitpad.ui.train.trainer_tab import TrainerTab

    repo = Path(__file__).resolve().parents[2]
    child = subprocess.Popen([sys.executable, "-c", TRAINING_WINDOW, str(tmp_path / "runs")],
                             cwd=repo, env={**os.environ, "PYTHONPATH": str(repo)},
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        run_id = child.stdout.readline().strip()
        tab = TrainerTab(store=RunStore(tmp_path / "runs"))
        qtbot.addWidget(tab)
        tab.run_list.reload()
        tab.run_list.setCurrentRow(0)
        assert tab.run_list.selected().id == run_id
        assert not tab.resume_button.isEnabled()
        assert "training in another window" in tab.run_list.item(0).text()
    finally:
        child.kill()
        child.communicate()
    tab.run_list.reload()
    tab.run_list.setCurrentRow(0)
    assert tab.resume_button.isEnabled()  # cut off now: this window may resume it
