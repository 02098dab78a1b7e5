"""`digitpad finetune`, `samples` and `export-images`: the good paths and every bad input.

A bad input is one line on stderr naming the problem, exit status 2, and nothing
written: no model file, no change to the model in use, no sample stored.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from conftest import idx_bytes, run_cli, write_idx_folder

import digitpad.cli.finetune as finetune_module
from digitpad.cli.main import main
from digitpad.drawing.strokes import Stroke, render_strokes
from digitpad.store import model_in_use
from digitpad.store.models_folder import models_dir
from digitpad.store.sample_file import write_sample_file
from digitpad.store.samples import SampleStore
from digitpad.training.personal import FineTuneSettings, PersonalFineTune
from trainer.checkpoint import load_checkpoint, save_checkpoint
from trainer.models import build_model

pytestmark = pytest.mark.usefixtures("one_torch_thread")
CANVAS = (200.0, 200.0)
QUICK = FineTuneSettings(steps=6, batch_size=16, lr=0.003)


@pytest.fixture(autouse=True)
def quiet_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No MNIST in the usual places, and a quick recipe (the command's, made short)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(finetune_module, "SETTINGS_WITH_MNIST", QUICK)
    monkeypatch.setattr(finetune_module, "SETTINGS_WITHOUT_MNIST", QUICK)


def strokes(digit: int, rng: np.random.Generator) -> list[Stroke]:
    """A made-up handwriting: each digit a fixed zig-zag, wobbled a little."""
    template = np.random.default_rng(100 + digit).uniform(40, 160, (5, 2))
    points = template + rng.normal(0, 3, template.shape)
    return [Stroke([(float(x), float(y)) for x, y in points], 12.0)]


def write_digit(path: Path, digit: int, rng: np.random.Generator) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    ink = render_strokes(strokes(digit, rng), CANVAS, side=200)
    assert cv2.imwrite(str(path), 255 - ink)  # dark ink on white paper, like a scan
    return path


@pytest.fixture
def digits(tmp_path: Path) -> Path:
    """An ImageFolder: three images of every digit, PNG and JPEG, one in a sub-folder."""
    rng = np.random.default_rng(0)
    folder = tmp_path / "my-digits"
    for digit in range(10):
        write_digit(folder / str(digit) / "a.png", digit, rng)
        write_digit(folder / str(digit) / "b.jpg", digit, rng)
        write_digit(folder / str(digit) / "more" / "c.png", digit, rng)
    (folder / ".DS_Store").write_bytes(b"\0junk")  # hidden files are skipped
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    torch.manual_seed(0)
    params = {"channels1": 4, "channels2": 8, "hidden": 32}
    return save_checkpoint(tmp_path / "tiny.safetensors", build_model("quicknet", **params),
                           "quicknet", params)


def one_error_line(err: str, named: str) -> bool:
    """The problem in one line, last on stderr (after any progress lines), no traceback."""
    lines = err.splitlines()
    return (named in lines[-1] and lines[-1].startswith("digitpad: error: ")
            and sum("error" in line for line in lines) == 1 and "Traceback" not in err)


def nothing_written(tmp_path: Path) -> None:
    assert not (tmp_path / "out.safetensors").exists()
    assert not models_dir().exists() or not any(models_dir().iterdir())
    assert model_in_use.remembered_path() is None


# -- finetune: the good paths ---------------------------------------------------------

def test_finetune_a_folder_then_predict_with_the_new_model(capsys, digits, tiny,
                                                           tmp_path) -> None:
    out = tmp_path / "out.safetensors"
    status, text, err = run_cli(capsys, "finetune", digits, "--model", tiny, "--out", out)
    assert status == 0, err
    assert "Fine-tuned on 20 of your samples (personal samples only)" in text
    assert "Your 10 held-back samples:" in text and " before, " in text
    assert "MNIST not found" in text and "MNIST not found" in err
    assert f"Model saved to {out}" in text
    assert "Reading 30 images" in err and "Fine-tuning" in err  # progress, on stderr
    checkpoint = load_checkpoint(out)
    assert checkpoint.arch == "quicknet" and checkpoint.info["personal_samples"] == 20
    assert model_in_use.remembered_path() is None  # switched only with --use

    status, text, err = run_cli(capsys, "predict", "--model", out, digits / "7" / "a.png")
    assert status == 0, err
    assert text.startswith(f"{digits / '7' / 'a.png'}: ")


def test_finetune_with_mnist_replays_it_and_use_switches_the_model(capsys, digits, tiny,
                                                                   tmp_path) -> None:
    data = write_idx_folder(tmp_path / "mnist", n_train=100, n_test=40)
    status, text, err = run_cli(capsys, "finetune", digits, "--model", tiny, "--data", data,
                            "--use", "--seed", "3")
    assert status == 0, err
    assert "(with MNIST replay)" in text and "MNIST test: " in text  # all 40 measured
    saved = [p for p in models_dir().iterdir()]
    assert len(saved) == 1 and saved[0].name.startswith("personal-")  # default: models folder
    assert model_in_use.remembered_path() == saved[0]
    assert "now the model in use" in text
    assert load_checkpoint(saved[0]).config.seed == 3


def test_finetune_a_samples_file_and_the_stored_samples(capsys, tiny, tmp_path) -> None:
    rng = np.random.default_rng(1)
    with SampleStore() as store:
        for digit in range(10):
            for _ in range(2):
                store.add(digit, strokes(digit, rng), CANVAS)
        samples = store.samples()
    exported = tmp_path / "mine.digitpad-samples.json"
    write_sample_file(samples, exported)
    for source in ([exported], ["--samples"]):
        status, text, err = run_cli(capsys, "finetune", *source, "--model", tiny,
                                "--out", tmp_path / "from.safetensors")
        assert status == 0, err
        assert "Fine-tuned on 10 of your samples" in text


def test_finetune_builtin_model_is_the_default_start_when_none_is_in_use(capsys, digits,
                                                                         tmp_path,
                                                                         monkeypatch) -> None:
    seen = []
    monkeypatch.setattr(PersonalFineTune, "run",
                        lambda self, progress=None: seen.append(self.source.arch))
    status, _, err = run_cli(capsys, "finetune", digits, "--out", tmp_path / "out.safetensors")
    assert seen == [load_checkpoint(model_in_use.embedded_model_path()).arch]
    assert status == 130 and "nothing was written" in err  # run() gave no result
    nothing_written(tmp_path)


@pytest.mark.parametrize("stop", [KeyboardInterrupt, finetune_module.Terminated])
def test_ctrl_c_during_the_fine_tune_writes_nothing(capsys, digits, tiny, tmp_path,
                                                    monkeypatch, stop) -> None:
    real_steps = PersonalFineTune.steps

    def steps(self):
        for stage, fraction in real_steps(self):
            if stage == "fine-tuning":
                raise stop()
            yield stage, fraction

    monkeypatch.setattr(PersonalFineTune, "steps", steps)
    status, text, err = run_cli(capsys, "finetune", digits, "--model", tiny, "--use")
    assert status == (130 if stop is KeyboardInterrupt else 143)
    assert "Stopped; nothing was written." in err and "Model saved" not in text
    nothing_written(tmp_path)


# -- finetune: bad inputs ---------------------------------------------------------------

def _bad_folder(tmp_path: Path, digits: Path, kind: str) -> tuple[Path, str]:
    """Spoil the folder one way; returns it and what the error must name."""
    if kind == "not a digit":
        (digits / "cats").mkdir()
        return digits, "cats: the folder name is not a digit 0-9"
    if kind == "one image":
        rng = np.random.default_rng(5)
        write_digit(tmp_path / "only" / "4" / "x.png", 4, rng)
        for digit in (1, 2, 3, 5, 6):
            for name in ("a.png", "b.png"):
                write_digit(tmp_path / "only" / str(digit) / name, digit, rng)
        return tmp_path / "only", "only 1 image of 4"
    if kind == "unreadable":
        (digits / "3" / "broken.png").write_bytes(b"not a picture at all")
        return digits, "broken.png: not an image DigitPad can read"
    if kind == "blank":
        cv2.imwrite(str(digits / "5" / "blank.png"), np.full((50, 50), 255, np.uint8))
        return digits, "blank.png: no ink"
    if kind == "empty":
        (tmp_path / "empty" / "3").mkdir(parents=True)
        return tmp_path / "empty", "empty: no images"
    if kind == "stray file":
        (digits / "notes.txt").write_text("hello")
        return digits, "notes.txt: not in a digit's folder"
    if kind == "missing":
        return tmp_path / "nowhere", "nowhere: no such file or folder"
    if kind == "too few":
        rng = np.random.default_rng(6)
        for digit in (1, 2):
            for name in ("a.png", "b.png"):
                write_digit(tmp_path / "few" / str(digit) / name, digit, rng)
        return tmp_path / "few", "few: 4 samples; a fine-tune needs at least 10"
    if kind == "not a samples file":
        (tmp_path / "x.json").write_text("{}")
        return tmp_path / "x.json", "x.json: not a DigitPad samples file"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["not a digit", "one image", "unreadable", "blank", "empty",
                                  "stray file", "missing", "too few", "not a samples file"])
def test_a_bad_source_is_one_line_exit_2_and_nothing_written(capsys, digits, tiny, tmp_path,
                                                             kind) -> None:
    source, named = _bad_folder(tmp_path, digits, kind)
    for extra in ([], ["--use"], ["--out", tmp_path / "out.safetensors"]):
        status, text, err = run_cli(capsys, "finetune", source, "--model", tiny, *extra)
        assert status == 2
        assert one_error_line(err, named)
        assert text == ""
        nothing_written(tmp_path)


@pytest.mark.parametrize("argv, named", [
    ([], "give one SOURCE"),
    (["SRC", "--samples"], "give one SOURCE"),
    (["SRC", "--model", "nothing.safetensors"], "nothing.safetensors: no such file"),
    (["SRC", "--out", "."], "is a folder; --out names the model file"),
    (["SRC", "--data", "no-mnist-here"], "no-mnist-here"),
    (["--samples"], "your stored samples: 0 samples"),
    (["SRC", "--seed", "-1"], "--seed must be 0 or more"),
    (["SRC", "--out", "NOT_A_MODEL"], "exists and is not a DigitPad model"),
])
def test_bad_arguments_are_one_line_exit_2(capsys, digits, tmp_path, argv, named) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    places = {"SRC": digits, "NOT_A_MODEL": tmp_path / "notes.txt"}
    argv = [places.get(a, a) for a in argv]
    status, text, err = run_cli(capsys, "finetune", *argv)
    assert status == 2 and one_error_line(err, named), err
    nothing_written(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_force_lets_out_replace_a_file_that_is_not_a_model(capsys, digits, tiny,
                                                           tmp_path) -> None:
    out = tmp_path / "notes.txt"
    out.write_text("not a model")
    status, _, err = run_cli(capsys, "finetune", digits, "--model", tiny, "--out", out, "--force")
    assert status == 0, err
    assert load_checkpoint(out).arch == "quicknet"


# -- samples ------------------------------------------------------------------------------

def test_samples_add_list_export_import(capsys, digits, tmp_path, monkeypatch) -> None:
    status, text, err = run_cli(capsys, "samples", "add", digits / "3" / "a.png",
                            digits / "3" / "b.jpg", "--label", "3")
    assert status == 0 and text == "Added 2 samples of 3\n", err
    status, text, _ = run_cli(capsys, "samples", "list")
    assert status == 0 and "3: 2\n" in text and "0: 0\n" in text and "2 samples in " in text

    backup = tmp_path / "backup.digitpad-samples.json"
    status, text, _ = run_cli(capsys, "samples", "export", backup)
    assert status == 0 and text == f"Exported 2 samples to {backup}\n"
    status, _, err = run_cli(capsys, "samples", "export", backup)
    assert status == 2 and "exists; add --force" in err
    assert run_cli(capsys, "samples", "export", backup, "--force")[0] == 0

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "another-computer"))
    status, text, _ = run_cli(capsys, "samples", "import", backup)
    assert status == 0 and text == f"Imported 2 samples from {backup}\n"
    status, text, _ = run_cli(capsys, "samples", "import", backup)
    assert "Imported 0 samples" in text and "2 samples already here, not added twice" in text
    with SampleStore() as store:
        assert store.counts()[3] == 2 and store.samples()[0].strokes == []


@pytest.mark.parametrize("argv, named", [
    (["add", "IMG", "--label", "12"], "--label must be a digit 0-9, got 12"),
    (["add", "IMG", "BROKEN", "--label", "1"], "broken.png: not an image DigitPad can read"),
    (["add", "IMG", "BLANK", "--label", "1"], "blank.png: no ink"),
    (["import", "BROKEN"], "broken.png: not a DigitPad samples file"),
    (["import", "nowhere.json"], "nowhere.json: no such file"),
    (["export", "out.json"], "no samples to export yet"),
])
def test_samples_refuse_bad_input_whole(capsys, digits, tmp_path, argv, named) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"nope")
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((40, 40), 255, np.uint8))
    places = {"IMG": digits / "1" / "a.png", "BROKEN": broken, "BLANK": blank}
    status, text, err = run_cli(capsys, "samples", *[places.get(a, a) for a in argv])
    assert status == 2 and one_error_line(err, named), err
    with SampleStore() as store:
        assert len(store) == 0  # all or nothing: the good image was not added either
    assert not (tmp_path / "out.json").exists()


def test_samples_without_a_job_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["samples"])
    assert stop.value.code == 2


# -- export-images ----------------------------------------------------------------------------

def drawn_mnist(folder: Path, n_train: int, n_test: int) -> Path:
    """MNIST's four files holding made-up handwriting (28×28, ink high), digits in turn."""
    rng = np.random.default_rng(2)
    folder.mkdir(parents=True)
    for role, count in (("train", n_train), ("t10k", n_test)):
        labels = np.arange(count) % 10
        images = np.stack([render_strokes(strokes(int(d), rng), CANVAS, side=28)
                           for d in labels])
        for kind, array in (("images-idx3", images), ("labels-idx1", labels)):
            (folder / f"{role}-{kind}-ubyte.gz").write_bytes(gzip.compress(idx_bytes(array)))
    return folder


def test_export_images_writes_an_image_folder_ready_for_finetune(capsys, tiny,
                                                                 tmp_path) -> None:
    data = drawn_mnist(tmp_path / "mnist", n_train=20, n_test=40)
    out = tmp_path / "pngs"
    status, text, err = run_cli(capsys, "export-images", "--data", data, "--out", out,
                            "--count", "20")
    assert status == 0, err
    assert text == f"Wrote 20 MNIST test digits as PNG files to {out}/0 … 9\n"
    files = sorted(out.rglob("*.png"))
    assert len(files) == 20 and {f.parent.name for f in files} == {str(d) for d in range(10)}
    assert all(len(list((out / str(d)).iterdir())) == 2 for d in range(10))  # balanced
    assert cv2.imread(str(files[0]), cv2.IMREAD_UNCHANGED).shape == (28, 28)
    assert not list(out.rglob(".*"))  # no temporary files left

    status, _, err = run_cli(capsys, "finetune", out, "--model", tiny,
                         "--out", tmp_path / "m.safetensors")
    assert status == 0, err


def test_export_images_train_split_and_all(capsys, tmp_path) -> None:
    data = write_idx_folder(tmp_path / "mnist", n_train=30, n_test=10)
    status, text, _ = run_cli(capsys, "export-images", "--data", data, "--out", tmp_path / "t",
                          "--split", "train")
    assert status == 0 and "Wrote 30 MNIST train digits" in text
    assert all(p.name.startswith("train-") for p in (tmp_path / "t").rglob("*.png"))


@pytest.mark.parametrize("argv, named", [
    (["--count", "0"], "--count must be at least 1"),
    (["--out", "FULL"], "exists and is not an empty folder"),
    (["--data", "nowhere"], "nowhere"),
])
def test_export_images_bad_input(capsys, tmp_path, argv, named) -> None:
    data = write_idx_folder(tmp_path / "mnist", n_train=30, n_test=10)
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine")
    args = {"--data": data, "--out": tmp_path / "new"}
    for flag, value in zip(argv[::2], argv[1::2], strict=True):
        args[flag] = full if value == "FULL" else value
    status, _, err = run_cli(capsys, "export-images", *[x for kv in args.items() for x in kv])
    assert status == 2 and one_error_line(err, named), err
    assert not (tmp_path / "new").exists()
    assert [p.name for p in full.iterdir()] == ["keep.txt"]


def test_output_piped_into_a_reader_that_stops_early_is_no_traceback(digits) -> None:
    """`digitpad predict *.png | head -1`: the rest is dropped quietly, exit 141."""
    import subprocess
    import sys

    images = [str(p) for p in sorted(digits.rglob("*.png"))]
    reader = "import sys; sys.stdin.readline()"  # reads one line, then goes away
    command = (f"{sys.executable} -m digitpad predict {' '.join(images * 20)} | "
               f"{sys.executable} -c '{reader}'; echo \"status ${{PIPESTATUS[0]}}\"")
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                          timeout=300)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert done.stdout.strip().endswith("status 141")
