"""`digitpad export MODEL --onnx`: the graph onnxruntime runs gives PyTorch's answers.

Needs the `digitpad[onnx]` extra (the test extra installs it); without it the
tests skip and say so, except the one that checks the missing-package message.
"""

from __future__ import annotations

import builtins
from pathlib import Path

import numpy as np
import pytest
import torch

from digitpad.cli.main import main
from digitpad.resources import embedded_model_path
from trainer.calibration import digit_probabilities, not_a_digit_probability
from trainer.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from trainer.errors import ExportError
from trainer.models import build_model
from trainer.onnx_export import export_onnx

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def runtime():
    for package in ("onnx", "onnxscript"):
        pytest.importorskip(package, reason=f"{package} not installed (pip install "
                            "'digitpad[onnx]')")
    return pytest.importorskip("onnxruntime", reason="onnxruntime not installed "
                               "(pip install 'digitpad[onnx]')")


def session(path: Path):
    ort = runtime()
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def torch_probabilities(checkpoint: Checkpoint, images: np.ndarray) -> np.ndarray:
    with torch.inference_mode():
        logits = checkpoint.model.eval()(torch.from_numpy(images))
        return digit_probabilities(logits, checkpoint.calibration).numpy()


@pytest.fixture(scope="module")
def builtin_onnx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in model exported once through the command line, for the tests below."""
    runtime()
    out = tmp_path_factory.mktemp("onnx") / "digits.onnx"
    assert main(["export", "builtin", "--onnx", str(out)]) == 0
    return out


def test_a_small_model_with_calibration_exports_with_a_free_batch_size(tmp_path) -> None:
    """Without MNIST: a tiny calibrated model, random inputs, batches of 1 and 7."""
    runtime()
    torch.manual_seed(0)
    params = {"channels1": 4, "channels2": 8, "hidden": 16}
    checkpoint = Checkpoint(build_model("quicknet", **params).eval(), "quicknet", params,
                            calibration={"temperature": 1.7})
    path = export_onnx(checkpoint, tmp_path / "tiny.onnx")
    graph = session(path)
    (given,), (answer,) = graph.get_inputs(), graph.get_outputs()
    assert given.name == "images" and given.type == "tensor(float)"
    assert given.shape[1:] == [1, 28, 28] and not isinstance(given.shape[0], int)
    assert answer.name == "probabilities"
    for batch in (1, 7):
        images = np.random.default_rng(batch).random((batch, 1, 28, 28), dtype=np.float32)
        got = graph.run(None, {"images": images})[0]
        expected = torch_probabilities(checkpoint, images)
        assert got.shape == (batch, 10)
        np.testing.assert_allclose(got.sum(axis=1), 1.0, atol=1e-5)
        assert np.abs(got - expected).max() <= 1e-5
    # The temperature is in the graph: the uncalibrated probabilities differ.
    plain = torch_probabilities(Checkpoint(checkpoint.model, "quicknet", params), images)
    assert np.abs(got - plain).max() > 1e-3


def test_an_eleven_output_model_exports_not_a_digit_and_its_thresholds(capsys,
                                                                       tmp_path) -> None:
    """"Not a digit" leaves DigitPad too: a second output, and the levels DigitPad
    judges with in the graph's metadata."""
    runtime()
    import onnx

    torch.manual_seed(0)
    params = {"width": 2, "depth": 1, "outputs": 11}
    calibration = {"temperature": 1.3, "sure": 0.93, "not_a_digit": 0.28}
    model = save_checkpoint(tmp_path / "m.safetensors", build_model("digitnet", **params),
                            "digitnet", params, calibration=calibration)
    assert main(["export", str(model), "--onnx", str(tmp_path / "m.onnx")]) == 0
    out = capsys.readouterr().out
    assert "output 'probabilities' (N, 10) and 'not_a_digit' (N,)" in out
    assert "not a digit from not_a_digit >= 0.28, else unsure below a top probability of " \
           "0.93" in out
    graph = session(tmp_path / "m.onnx")
    assert [o.name for o in graph.get_outputs()] == ["probabilities", "not_a_digit"]
    images = np.random.default_rng(3).random((5, 1, 28, 28), dtype=np.float32)
    digits, rejection = graph.run(None, {"images": images})
    checkpoint = load_checkpoint(model)
    with torch.inference_mode():
        logits = checkpoint.model.eval()(torch.from_numpy(images))
    assert np.abs(digits - digit_probabilities(logits, calibration).numpy()).max() <= 1e-5
    assert rejection.shape == (5,)
    assert np.abs(rejection - not_a_digit_probability(logits, calibration).numpy()).max() <= 1e-5
    meta = {p.key: p.value for p in onnx.load(str(tmp_path / "m.onnx")).metadata_props}
    assert meta["digitpad.not_a_digit_from"] == "0.28" and meta["digitpad.sure_from"] == "0.93"


def test_onnx_matches_pytorch_on_1000_mnist_test_digits(builtin_onnx, real_mnist) -> None:
    from trainer.mnist import load_mnist

    mnist = load_mnist(real_mnist)
    images = (mnist.test_images[:1000].astype(np.float32) / 255)[:, None]
    checkpoint = load_checkpoint(embedded_model_path())
    got, rejection = session(builtin_onnx).run(None, {"images": images})
    expected = torch_probabilities(checkpoint, images)
    assert np.abs(got - expected).max() <= 1e-5
    assert np.array_equal(got.argmax(axis=1), expected.argmax(axis=1))
    with torch.inference_mode():
        logits = checkpoint.model.eval()(torch.from_numpy(images))
    assert np.abs(rejection - not_a_digit_probability(logits, checkpoint.calibration)
                  .numpy()).max() <= 1e-5


def test_the_command_says_what_the_graph_takes(capsys, tmp_path) -> None:
    runtime()
    params = {"channels1": 4, "channels2": 8, "hidden": 16}
    model = save_checkpoint(tmp_path / "m.safetensors", build_model("quicknet", **params),
                            "quicknet", params, calibration={"temperature": 2.0})
    assert main(["export", str(model), "--onnx", str(tmp_path / "m.onnx")]) == 0
    out, err = capsys.readouterr()
    assert out == (f"Wrote {tmp_path / 'm.onnx'}: input 'images' float32 (N, 1, 28, 28) in 0..1 "
                   "with ink = 1, output 'probabilities' (N, 10), calibrated (temperature 2)\n")
    assert "Exporting" in err and "Traceback" not in err
    assert (tmp_path / "m.onnx").stat().st_size > 0


@pytest.mark.parametrize("model, out, named", [
    ("nothing.safetensors", "x.onnx", "nothing.safetensors: no such file"),
    ("NOT_A_MODEL", "x.onnx", "not a DigitPad model file"),
    ("builtin", "FOLDER", "is a folder; --onnx names the file to write"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(capsys, tmp_path, model, out,
                                                          named) -> None:
    (tmp_path / "junk.safetensors").write_bytes(b"junk")
    model = str(tmp_path / "junk.safetensors") if model == "NOT_A_MODEL" else model
    out = str(tmp_path) if out == "FOLDER" else str(tmp_path / out)
    assert main(["export", model, "--onnx", out]) == 2
    err = capsys.readouterr().err
    assert named in err and err.count("\n") == 1 and err.startswith("digitpad: error: ")
    assert not (tmp_path / "x.onnx").exists()


def test_without_the_onnx_extra_it_says_how_to_get_it(tmp_path, monkeypatch) -> None:
    real_import = builtins.__import__

    def no_onnx(name, *args, **kwargs):
        if name in ("onnx", "onnxscript"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_onnx)
    with pytest.raises(ExportError, match=r"pip install 'digitpad\[onnx\]'"):
        export_onnx(load_checkpoint(embedded_model_path()), tmp_path / "x.onnx")
    assert not (tmp_path / "x.onnx").exists()
