"""Shared fixtures. Tests run headless: Qt uses its offscreen platform."""

from __future__ import annotations

import gzip
import os
import signal
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
MNIST_DIR = SHARED_DATA / "mnist"
PENDIGITS_FILE = SHARED_DATA / "pendigits" / "pendigits-writers01-30.jsonl"


@pytest.fixture(autouse=True)
def no_user_files(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own empty user data and config folders, so no test
    ever reads or writes the real ones (remembered model, samples, runs)."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("DIGITPAD_MNIST", raising=False)


@pytest.fixture(scope="module")
def one_torch_thread():
    """Tiny models on a shared 2-core machine train fastest and steadiest on one thread."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def real_mnist() -> Path:
    """The full MNIST next to the repository (CI has it), or skip."""
    if not (MNIST_DIR / "t10k-images-idx3-ubyte.gz").exists():
        pytest.skip(f"real MNIST not found at {MNIST_DIR} (only CI and developers have it)")
    return MNIST_DIR


@pytest.fixture
def real_pendigits() -> Path:
    if not PENDIGITS_FILE.exists():
        pytest.skip(f"pendigits not found at {PENDIGITS_FILE} (only CI and developers have it)")
    return PENDIGITS_FILE


def run_cli(capsys: pytest.CaptureFixture, *argv) -> tuple[int, str, str]:
    """`digitpad ARGV...` in this process: (exit status, stdout, stderr), argparse's
    own refusals (which exit) included."""
    from digitpad.cli.main import main

    try:
        status = main([str(a) for a in argv])
    except SystemExit as exit:
        status = exit.code
    return (status, *capsys.readouterr())


def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file of unsigned bytes holding `array`."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.tobytes()


def synthetic_digits(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Tiny learnable 'digits': digit d is a bar at a position that depends on d."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n).astype(np.int64)
    images = np.zeros((n, 28, 28), np.uint8)
    for i, d in enumerate(labels):
        row = 4 + 2 * int(d)
        images[i, row:row + 3, 6:22] = 255
        images[i] += rng.integers(0, 20, (28, 28)).astype(np.uint8)
    return images, labels


def write_idx_folder(folder: Path, n_train: int = 200, n_test: int = 50, gz: bool = True,
                     dotted: bool = False, seed: int = 0) -> Path:
    """A folder of the four MNIST IDX files, holding synthetic digits."""
    folder.mkdir(parents=True, exist_ok=True)
    train = synthetic_digits(n_train, seed)
    test = synthetic_digits(n_test, seed + 1)
    sep = "." if dotted else "-"
    files = {
        f"train-images{sep}idx3-ubyte": train[0], f"train-labels{sep}idx1-ubyte": train[1],
        f"t10k-images{sep}idx3-ubyte": test[0], f"t10k-labels{sep}idx1-ubyte": test[1],
    }
    for name, array in files.items():
        data = idx_bytes(array)
        if gz:
            (folder / f"{name}.gz").write_bytes(gzip.compress(data))
        else:
            (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def mnist_folder(tmp_path: Path) -> Path:
    return write_idx_folder(tmp_path / "mnist")


# Defines install_half_write() in a child script: from then on every file
# written through os.fdopen (trainer.files.atomic_write) gets half its bytes, then the
# child prints HALF-WRITTEN and hangs until it is killed.
HALF_WRITE = textwrap.dedent("""
    import os as _os, sys as _sys

    class _HalfWriter:
        def __init__(self, stream):
            self.stream = stream
        def write(self, data):
            self.stream.write(bytes(data[: len(data) // 2]))
            self.stream.flush()
            print("HALF-WRITTEN", flush=True)
            _sys.stdin.read()
        def __getattr__(self, name):
            return getattr(self.stream, name)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            self.stream.close()

    def install_half_write():
        real_fdopen = _os.fdopen
        _os.fdopen = lambda fd, mode: _HalfWriter(real_fdopen(fd, mode))
""")


def kill_mid_write(script: str, *args: str, while_half_written=lambda: None) -> int:
    """Run `script` (which calls install_half_write()) in a child process, wait
    until a file is half written, call `while_half_written`, SIGKILL the child.
    Returns its exit status."""
    child = subprocess.Popen(
        [sys.executable, "-c", HALF_WRITE + textwrap.dedent(script), *args], cwd=REPO,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert child.stdout.readline().strip() == "HALF-WRITTEN"
        while_half_written()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stdin.close()
    return child.returncode
