"""Bad input through the window: a broken model file, the wrong data, a bad samples
file. The user reads one clear line that names the file; never a traceback, never
a stuck modal box; the model in use and the stored samples stay as they were.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from safetensors.torch import save as save_safetensors
from test_checkpoint import Payload
from test_mnist_readers import IDX_CASES, NPZ_CASES, _keras_npz

from digitpad.drawing.strokes import Stroke
from digitpad.recognizer import Recognizer
from digitpad.store import model_in_use
from digitpad.store.runs import FAILED, FINISHED, STOPPED, Run, RunStore
from digitpad.store.samples import SampleStore
from digitpad.ui.draw.my_samples import MySamplesDialog
from digitpad.ui.train.trainer_tab import TrainerTab
from trainer.checkpoint import Checkpoint, save_checkpoint
from trainer.config import TrainConfig
from trainer.models import build_model

pytest_plugins = ["ui_fixtures"]
# Message boxes would block: every test here records them instead.
pytestmark = pytest.mark.usefixtures("no_modal_boxes")


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     isolated_settings) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DIGITPAD_MNIST", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data" / "digitpad"


def one_line(text: str, *parts: str) -> None:
    assert text and "\n" not in text and "Traceback" not in text, text
    for part in parts:
        assert part in text, text


def in_use_recognizer() -> Recognizer:
    torch.manual_seed(11)
    return Recognizer(Checkpoint(build_model("seed"), "seed", {},
                                 path=Path("mine.safetensors")))


# -- broken model files -----------------------------------------------------------------


def _random_bytes(path: Path) -> None:
    path.write_bytes(np.random.default_rng(0).integers(0, 256, 4096, np.uint8).tobytes())


def _truncated(path: Path) -> None:
    save_checkpoint(path, build_model("seed"), "seed", {}, epoch=1)
    path.write_bytes(path.read_bytes()[:300])


def _pickle(path: Path) -> None:
    torch.save({"state_dict": build_model("seed").state_dict(),
                "evil": Payload(path.parent / "pwned")}, path)


def _other_architecture(path: Path) -> None:
    save_checkpoint(path, build_model("seed-wide"), "seed", {}, epoch=1)  # lies about itself


def _foreign_safetensors(path: Path) -> None:
    path.write_bytes(save_safetensors(build_model("seed").state_dict()))


BROKEN_MODELS = {
    "empty": (lambda path: path.write_bytes(b""), "not a DigitPad model file"),
    "random bytes": (_random_bytes, "not a DigitPad model file"),
    "truncated": (_truncated, "not a DigitPad model file"),
    "a torch pickle": (_pickle, "not a DigitPad model file"),
    "another architecture": (_other_architecture, "do not fit the 'seed' architecture"),
    "safetensors of another program": (_foreign_safetensors, "no 'digitpad-model' metadata"),
}


def run_with_broken_checkpoint(kind: str, status: str) -> Run:
    config = TrainConfig(arch="seed", epochs=3, batch_size=50, schedule="none")
    run = RunStore().new(config, data="synthetic")
    run.folder.mkdir(parents=True, exist_ok=True)
    BROKEN_MODELS[kind][0](run.checkpoint_path)
    run.status, run.epochs = status, [{"epoch": 1, "test_accuracy": 0.5}]
    run.save()
    return run


@pytest.mark.parametrize("kind", list(BROKEN_MODELS))
def test_use_this_model_with_a_broken_file_says_why(qtbot, kind: str, no_modal_boxes) -> None:
    run = run_with_broken_checkpoint(kind, FINISHED)
    recognizer = in_use_recognizer()
    in_use = recognizer.checkpoint
    tab = TrainerTab(recognizer)
    qtbot.addWidget(tab)
    tab.run_list.setCurrentRow(0)
    changed = []
    tab.model_in_use_changed.connect(changed.append)
    qtbot.mouseClick(tab.use_button, Qt.MouseButton.LeftButton)
    one_line(tab.message.text(), str(run.checkpoint_path), BROKEN_MODELS[kind][1])
    assert recognizer.checkpoint is in_use and changed == [] and no_modal_boxes == []
    assert not model_in_use.settings_path().exists()
    assert not (run.folder / "pwned").exists(), "loading the file ran code from it"
    # Save as… refuses the same way and writes nothing.
    target = Path.home() / "copy.safetensors"
    tab.save_candidate(target)
    one_line(tab.message.text(), str(run.checkpoint_path), BROKEN_MODELS[kind][1])
    assert not target.exists()


@pytest.mark.parametrize("kind", ["random bytes", "a torch pickle", "another architecture"])
def test_resuming_a_run_with_a_broken_checkpoint_says_why(qtbot, tmp_path: Path,
                                                          kind: str) -> None:
    from conftest import write_idx_folder

    run = run_with_broken_checkpoint(kind, STOPPED)
    assert run.can_resume
    tab = TrainerTab(in_use_recognizer())
    qtbot.addWidget(tab)
    tab.data.set_path(write_idx_folder(tmp_path / "mnist", n_train=100, n_test=20))
    tab.run_list.setCurrentRow(0)
    assert tab.resume_button.isEnabled()
    qtbot.mouseClick(tab.resume_button, Qt.MouseButton.LeftButton)
    assert not tab.is_training
    one_line(tab.message.text(), f"run {run.id} cannot be resumed", str(run.checkpoint_path))
    assert not (run.folder / "pwned").exists()


def test_a_broken_remembered_model_at_start_up_is_a_note_not_a_crash(qtbot, bare_window,
                                                                     private_data_dir) -> None:
    from digitpad.ui.shell.model_loader import ModelLoader

    evil = private_data_dir / "models" / "evil.safetensors"
    evil.parent.mkdir(parents=True)
    _pickle(evil)
    model_in_use.remember(evil)
    loader = ModelLoader(parent=bare_window)
    loader.loaded.connect(bare_window.use_recognizer)
    loader.note.connect(bare_window.show_model_note)
    with qtbot.waitSignal(loader.note, timeout=60_000):
        loader.start()
    loader.stop()
    note = bare_window.statusBar().currentMessage()
    one_line(note, str(evil), "not a DigitPad model file", "using the built-in model")
    assert bare_window.draw_tab.recognizer().is_embedded
    assert bare_window.model_status.text().startswith("Model: built-in model")
    assert not (evil.parent / "pwned").exists()


# -- the wrong data ------------------------------------------------------------------------


def _evil_npz(tmp: Path) -> Path:
    path = tmp / "evil.npz"
    evil = np.empty(1, dtype=object)
    evil[0] = Payload(tmp / "pwned")
    _keras_npz(path, x_train=evil)
    return path


def _not_npz(tmp: Path) -> Path:
    path = tmp / "mnist.csv"
    path.write_text("label,pixels\n")
    return path


DATA_CASES: dict[str, tuple] = {
    **{f"IDX: {name}": (lambda tmp, make=make: make(tmp)[1], problem)
       for name, (make, problem) in IDX_CASES.items()},
    **{f"npz: {name}": (make, problem) for name, (make, problem) in NPZ_CASES.items()},
    "npz: object arrays (a pickle)": (_evil_npz, "x_train"),
    "not an .npz file": (_not_npz, "choose a folder of IDX files or an .npz file"),
}


def _chosen_place(tmp: Path, case: str) -> tuple[Path, Path]:
    """(what the user chooses in the Data box, the file the message must name)."""
    make, _ = DATA_CASES[case]
    culprit = make(tmp)
    if case.startswith("IDX: "):
        folder = tmp / "mnist"
        return folder, (culprit if culprit.parent == folder else folder)
    return culprit, culprit


@pytest.mark.parametrize("case", list(DATA_CASES))
def test_training_on_the_wrong_data_says_why(qtbot, tmp_path: Path, case: str,
                                             no_modal_boxes) -> None:
    place, culprit = _chosen_place(tmp_path, case)
    recognizer = in_use_recognizer()
    in_use = recognizer.checkpoint
    tab = TrainerTab(recognizer)
    qtbot.addWidget(tab)
    tab.model.set_fine_tune(False)
    tab.model.set_arch("seed")
    tab.hyper.epochs.setValue(1)
    tab.data.set_path(place)
    if tab.data.path() is None:
        # Refused at a glance (a file missing, not an .npz), before any run starts.
        qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
        assert not tab.is_training and tab.run_list.runs() == []
        one_line(tab.message.text(), place.name)
        assert tab.message.text() == tab.data.problem()
    else:
        with qtbot.waitSignal(tab.run_ended, timeout=60_000):
            qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
        assert tab.progress.format() == "Failed"
        assert [run.status for run in tab.run_list.runs()] == [FAILED]
        assert "Traceback" not in tab.log.toPlainText()
        text = tab.message.text()
        one_line(text, DATA_CASES[case][1], culprit.name)
    assert recognizer.checkpoint is in_use and no_modal_boxes == []
    assert not tab.use_button.isEnabled()
    assert not (tmp_path / "pwned").exists(), "loading the data ran code from it"


# -- a bad samples file ------------------------------------------------------------------------

GOOD_SAMPLE = ('{"label": 3, "strokes": [{"points": [[10, 10], [20, 40]], "width": 12}], '
               '"canvas_size": [400, 400]}')


def _samples_file(samples: str, version: int = 1) -> str:
    return f'{{"format": "digitpad-samples", "version": {version}, "samples": [{samples}]}}'


BAD_IMPORTS = {
    "empty file": (b"", "not JSON"),
    "binary": (bytes(range(256)) * 4, "not text"),
    "not JSON": (b"label,strokes\n3,...\n", "not JSON"),
    "JSON of something else": (b'{"name": "my photos"}', "no 'digitpad-samples' header"),
    "a newer version": (_samples_file(GOOD_SAMPLE, version=7).encode(), "newer DigitPad"),
    "no list": (b'{"format": "digitpad-samples", "version": 1, "samples": 3}',
                "no list of samples"),
    "label 12": (_samples_file(GOOD_SAMPLE.replace('"label": 3', '"label": 12')).encode(),
                 "sample 1: a sample's label must be a digit"),
    "a NaN point": (_samples_file(GOOD_SAMPLE.replace("[20, 40]", "[NaN, 40]")).encode(),
                    "sample 1: bad point"),
    "an infinite canvas": (_samples_file(GOOD_SAMPLE.replace("[400, 400]",
                                                             "[Infinity, 400]")).encode(),
                           "sample 1: bad canvas size"),
    "a bad image": (_samples_file(GOOD_SAMPLE[:-1] + ', "image": "AAAA"}').encode(),
                    "sample 1: bad image"),
    "the second of two bad": (_samples_file(GOOD_SAMPLE + ", " + GOOD_SAMPLE.replace(
        '"strokes": [', '"strokes": [7, ')).encode(), "sample 2: bad strokes"),
    "a folder": (None, "is a folder"),
    "missing": (None, "no such file"),
}


@pytest.mark.parametrize("case", list(BAD_IMPORTS))
def test_importing_a_bad_samples_file_changes_nothing_and_says_why(
        qtbot, tmp_path: Path, case: str, monkeypatch, no_modal_boxes) -> None:
    content, problem = BAD_IMPORTS[case]
    path = tmp_path / "mine.digitpad-samples.json"
    if case == "a folder":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with SampleStore() as store:
        store.add(1, [Stroke([(200, 80), (205, 200), (200, 320)], 20.0)], (400.0, 400.0))
        dialog = MySamplesDialog(store)
        qtbot.addWidget(dialog)
        monkeypatch.setattr(QFileDialog, "getOpenFileName",
                            lambda *args, **kwargs: (str(path), "DigitPad samples (*.json)"))
        changed = []
        dialog.changed.connect(lambda: changed.append(1))
        with qtbot.waitSignal(dialog.file_done, timeout=60_000):  # read off the GUI thread
            qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        text = dialog.message.text()
        assert text.startswith("Nothing imported: ")
        one_line(text, str(path), problem)
        assert len(store) == 1 and dialog.gallery.count() == 1 and changed == []
        assert no_modal_boxes == []
