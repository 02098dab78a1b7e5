"""trainer.mnist: the three layouts people have MNIST in, and every way they go wrong."""

from __future__ import annotations

import gzip
import io
import os
import struct
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import idx_bytes, synthetic_digits, write_idx_folder

from trainer.errors import DataError
from trainer.mnist import Mnist, load_mnist, read_idx

# --- the good layouts ---------------------------------------------------------


def _expected(n_train: int = 200, n_test: int = 50, seed: int = 0):
    return synthetic_digits(n_train, seed), synthetic_digits(n_test, seed + 1)


def _assert_matches_synthetic(mnist: Mnist, n_train: int = 200, n_test: int = 50) -> None:
    (train_x, train_y), (test_x, test_y) = _expected(n_train, n_test)
    assert mnist.train_images.dtype == np.uint8 and mnist.train_images.shape == (n_train, 28, 28)
    assert mnist.test_images.shape == (n_test, 28, 28)
    assert mnist.train_labels.dtype == np.int64 and mnist.test_labels.dtype == np.int64
    np.testing.assert_array_equal(mnist.train_images, train_x)
    np.testing.assert_array_equal(mnist.train_labels, train_y)
    np.testing.assert_array_equal(mnist.test_images, test_x)
    np.testing.assert_array_equal(mnist.test_labels, test_y)


@pytest.mark.parametrize("gz", [True, False], ids=["gzip", "raw"])
@pytest.mark.parametrize("dotted", [False, True], ids=["idx3-ubyte", "dot-idx3-ubyte"])
def test_idx_folder_is_read_in_every_naming(tmp_path: Path, gz: bool, dotted: bool) -> None:
    folder = write_idx_folder(tmp_path / "mnist", gz=gz, dotted=dotted)
    sep = "." if dotted else "-"
    assert (folder / f"train-images{sep}idx3-ubyte{'.gz' if gz else ''}").exists()
    mnist = load_mnist(folder)
    _assert_matches_synthetic(mnist)
    assert mnist.source == folder
    assert "200 training and 50 test images" in mnist.describe()


def test_gzip_content_under_a_raw_name_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "train-labels-idx1-ubyte"
    path.write_bytes(gzip.compress(idx_bytes(np.arange(10, dtype=np.uint8))))
    np.testing.assert_array_equal(read_idx(path), np.arange(10))


def _keras_npz(path: Path, **overrides) -> Path:
    (train_x, train_y), (test_x, test_y) = _expected()
    arrays = dict(x_train=train_x, y_train=train_y.astype(np.uint8), x_test=test_x,
                  y_test=test_y.astype(np.uint8))
    arrays.update(overrides)
    arrays = {k: v for k, v in arrays.items() if v is not None}
    np.savez(path, **arrays)
    return path


def _one_hot(labels: np.ndarray) -> np.ndarray:
    return np.eye(10, dtype=np.float32)[labels]


def _old_npz(path: Path, **overrides) -> Path:
    (train_x, train_y), (test_x, test_y) = _expected()
    arrays = dict(
        trainInps=train_x.reshape(-1, 784).astype(np.float32) / 255,
        trainTargs=_one_hot(train_y),
        testInps=test_x.reshape(-1, 784).astype(np.float64) / 255,
        testTargs=_one_hot(test_y).astype(np.float64),
    )
    arrays.update(overrides)
    arrays = {k: v for k, v in arrays.items() if v is not None}
    np.savez_compressed(path, **arrays)
    return path


def test_keras_npz(tmp_path: Path) -> None:
    path = _keras_npz(tmp_path / "mnist.npz")
    mnist = load_mnist(path)
    _assert_matches_synthetic(mnist)
    assert mnist.source == path


def test_old_npz_with_one_hot_targets(tmp_path: Path) -> None:
    mnist = load_mnist(_old_npz(tmp_path / "old.npz"))
    # 784 floats in 0..1 come back as the same uint8 images, one-hot rows as labels.
    _assert_matches_synthetic(mnist)


# --- everything that can go wrong -------------------------------------------------


class Payload:
    """Unpickling this creates the file `marker`: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _replace(name: str, data: bytes) -> Callable[[Path], tuple[Path, Path]]:
    """Break one file of a good gzip IDX folder: `data` is its new (uncompressed) content."""

    def make(tmp: Path) -> tuple[Path, Path]:
        folder = write_idx_folder(tmp / "mnist")
        target = folder / f"{name}.gz"
        target.write_bytes(gzip.compress(data))
        return folder, target

    return make


def _images_bytes(n: int = 200) -> bytes:
    return idx_bytes(synthetic_digits(n)[0])


def _labels_bytes(labels) -> bytes:
    return idx_bytes(np.asarray(labels, np.uint8))


def _empty_raw(tmp: Path) -> tuple[Path, Path]:
    folder = write_idx_folder(tmp / "mnist", gz=False)
    target = folder / "t10k-images-idx3-ubyte"
    target.write_bytes(b"")
    return folder, target


def _empty_gz(tmp: Path) -> tuple[Path, Path]:
    folder = write_idx_folder(tmp / "mnist")
    target = folder / "train-labels-idx1-ubyte.gz"
    target.write_bytes(b"")
    return folder, target


def _folder_instead_of_file(tmp: Path) -> tuple[Path, Path]:
    folder = write_idx_folder(tmp / "mnist")
    target = folder / "train-images-idx3-ubyte.gz"
    target.unlink()
    target.mkdir()
    return folder, target


def _gz_that_is_not_gzip(tmp: Path) -> tuple[Path, Path]:
    folder = write_idx_folder(tmp / "mnist")
    target = folder / "train-images-idx3-ubyte.gz"
    target.write_bytes(_images_bytes())  # raw IDX under a .gz name
    return folder, target


def _broken_gzip_stream(tmp: Path) -> tuple[Path, Path]:
    folder = write_idx_folder(tmp / "mnist")
    target = folder / "train-images-idx3-ubyte.gz"
    target.write_bytes(target.read_bytes()[:200])  # gzip cut short
    return folder, target


def _missing_file(tmp: Path) -> tuple[Path, Path]:
    folder = write_idx_folder(tmp / "mnist")
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    return folder, folder


def _missing_folder(tmp: Path) -> tuple[Path, Path]:
    target = tmp / "nowhere" / "mnist"
    return target, target


IDX_CASES = {
    "wrong magic": (_replace("train-images-idx3-ubyte", b"\x12\x34\x08\x03" + b"\0" * 12),
                    "wrong magic number"),
    "wrong type byte": (_replace("train-labels-idx1-ubyte", b"\0\0\x0d\x01" + b"\0" * 4),
                        "wrong magic number"),
    "header shorter than 4 bytes": (_replace("train-labels-idx1-ubyte", b"\0\0\x08"),
                                    "truncated header"),
    "dimensions missing": (_replace("train-images-idx3-ubyte", b"\0\0\x08\x03" + b"\0\0\0\x05"),
                           "truncated header"),
    "truncated data": (_replace("train-images-idx3-ubyte", _images_bytes()[:-100]),
                       "truncated data"),
    "extra data": (_replace("t10k-labels-idx1-ubyte", _labels_bytes([1] * 50) + b"\x01"),
                   "more data than its dimensions"),
    "labels outside 0-9": (_replace("train-labels-idx1-ubyte", _labels_bytes([3] * 199 + [10])),
                           "labels outside 0"),
    "counts differ": (_replace("train-labels-idx1-ubyte", _labels_bytes([3] * 199)),
                      "200 images but 199 labels"),
    "images not 28x28": (_replace("t10k-images-idx3-ubyte",
                                  idx_bytes(np.zeros((50, 28, 27), np.uint8))),
                         "images must be N×28×28"),
    "labels not 1-D": (_replace("t10k-labels-idx1-ubyte", idx_bytes(np.zeros((50, 2), np.uint8))),
                       "labels must be one-dimensional"),
    "no images": (_replace("t10k-images-idx3-ubyte", idx_bytes(np.zeros((0, 28, 28), np.uint8))),
                  "no images"),
    "empty raw file": (_empty_raw, "truncated header (file is 0 bytes)"),
    "empty .gz file": (_empty_gz, "not a gzip file"),
    "folder instead of file": (_folder_instead_of_file, "is a folder"),
    ".gz that is not gzip": (_gz_that_is_not_gzip, "not a gzip file"),
    "broken gzip stream": (_broken_gzip_stream, "cannot be read"),
    "missing file": (_missing_file, "no t10k-labels file"),
    "missing folder": (_missing_folder, "no such file or folder"),
}


@pytest.mark.parametrize("case", list(IDX_CASES))
def test_bad_idx_folder_raises_data_error_naming_file_and_problem(tmp_path: Path,
                                                                   case: str) -> None:
    make, problem = IDX_CASES[case]
    folder, culprit = make(tmp_path)
    with pytest.raises(DataError) as caught:
        load_mnist(folder)
    message = str(caught.value)
    assert str(culprit) in message
    assert problem in message
    assert "\n" not in message


def test_missing_file_message_lists_both_names(tmp_path: Path) -> None:
    folder, _ = _missing_file(tmp_path)
    with pytest.raises(DataError, match=r"t10k-labels-idx1-ubyte\[\.gz\].*t10k-labels\.idx1"):
        load_mnist(folder)


def test_implausibly_large_dimensions_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(struct.pack(">HBB3I", 0, 8, 3, 100_000_000, 28, 28))
    with pytest.raises(DataError, match="implausibly large"):
        read_idx(path)


@pytest.mark.parametrize("dims", [
    (3, 0x1D010000, 0x2A0006),  # the product overflows 64-bit integers
    (0, 256, 1 << 24, 1 << 31),  # no bytes, yet numpy cannot even make the empty array
    (1 << 31, 1 << 31, 4),
])
def test_absurd_dimensions_never_escape_as_other_errors(tmp_path: Path, dims) -> None:
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(struct.pack(f">HBB{len(dims)}I", 0, 8, len(dims), *dims) + b"\0" * 16)
    with pytest.raises(DataError, match="implausibly large"):
        read_idx(path)


def test_npz_with_object_arrays_is_refused_and_never_unpickled(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.npz"
    evil = np.empty(1, dtype=object)
    evil[0] = Payload(marker)
    _keras_npz(path, x_train=evil)
    assert not marker.exists()
    with pytest.raises(DataError) as caught:
        load_mnist(path)
    assert str(path) in str(caught.value)
    assert "x_train" in str(caught.value)
    assert not marker.exists(), "loading the .npz ran code from it"


def _npz(builder, **overrides):
    def make(tmp: Path) -> Path:
        return builder(tmp / "data.npz", **overrides)

    return make


def _not_a_zip(tmp: Path) -> Path:
    path = tmp / "data.npz"
    path.write_bytes(b"this is not a zip archive at all")
    return path


def _truncated_zip(tmp: Path) -> Path:
    path = _keras_npz(tmp / "data.npz")
    path.write_bytes(path.read_bytes()[:300])
    return path


def _empty_npz_file(tmp: Path) -> Path:
    path = tmp / "data.npz"
    path.write_bytes(b"")
    return path


def _npy_named_npz(tmp: Path) -> Path:
    path = tmp / "data.npz"
    with open(path, "wb") as stream:
        np.save(stream, np.zeros((3, 28, 28), np.uint8))
    return path


(_TRAIN_X, _TRAIN_Y), (_TEST_X, _TEST_Y) = _expected()
_OLD_TRAIN = _TRAIN_X.reshape(-1, 784).astype(np.float32) / 255
_NOT_ONE_HOT = _one_hot(_TRAIN_Y)
_NOT_ONE_HOT[5, (int(_TRAIN_Y[5]) + 1) % 10] = 1  # two ones in a row
_HALF_HOT = _one_hot(_TRAIN_Y) * 0.5
_TOO_BRIGHT = _OLD_TRAIN.copy()
_TOO_BRIGHT[0, 0] = 1.5
_NEGATIVE = _OLD_TRAIN.copy()
_NEGATIVE[3, 100] = -0.1
_WITH_NAN = _OLD_TRAIN.copy()
_WITH_NAN[1, 1] = np.nan

NPZ_CASES = {
    "missing keys": (_npz(_keras_npz, y_test=None), "missing keys"),
    "no known keys at all": (lambda tmp: _np_savez(tmp, foo=np.zeros(3)), "missing keys"),
    "images of float dtype": (_npz(_keras_npz, x_train=_TRAIN_X.astype(np.float32)),
                              "expected uint8"),
    "images of wrong shape": (_npz(_keras_npz, x_test=np.zeros((50, 28, 27), np.uint8)),
                              "images must be N×28×28"),
    "flat keras images": (_npz(_keras_npz, x_test=np.zeros((50, 784), np.uint8)),
                          "images must be N×28×28"),
    "labels 2-D": (_npz(_keras_npz, y_train=np.zeros((200, 1), np.uint8)),
                   "must be a 1-D integer array"),
    "labels of float dtype": (_npz(_keras_npz, y_train=_TRAIN_Y.astype(np.float32)),
                              "must be a 1-D integer array"),
    "labels outside 0-9": (_npz(_keras_npz, y_test=np.full(50, 11, np.uint8)),
                           "labels outside 0"),
    "negative labels": (_npz(_keras_npz, y_test=np.full(50, -1, np.int64)), "labels outside 0"),
    "counts differ": (_npz(_keras_npz, y_train=_TRAIN_Y[:150]), "200 images but 150 labels"),
    "no images": (_npz(_keras_npz, x_test=np.zeros((0, 28, 28), np.uint8),
                       y_test=np.zeros(0, np.uint8)), "no images"),
    "old: not one-hot (two ones)": (_npz(_old_npz, trainTargs=_NOT_ONE_HOT), "not one-hot"),
    "old: not one-hot (halves)": (_npz(_old_npz, trainTargs=_HALF_HOT), "not one-hot"),
    "old: targets of wrong width": (_npz(_old_npz, testTargs=np.zeros((50, 9), np.float32)),
                                    "one-hot rows of length 10"),
    "old: values above 1": (_npz(_old_npz, trainInps=_TOO_BRIGHT), "must lie in 0..1"),
    "old: negative values": (_npz(_old_npz, trainInps=_NEGATIVE), "must lie in 0..1"),
    "old: NaN values": (_npz(_old_npz, trainInps=_WITH_NAN), "must lie in 0..1"),
    "old: 783 values": (_npz(_old_npz, trainInps=_OLD_TRAIN[:, :783]), "784 values"),
    "old: integer images": (_npz(_old_npz, trainInps=_TRAIN_X.reshape(-1, 784)), "784 values"),
    "old: counts differ": (_npz(_old_npz, testTargs=_one_hot(_TEST_Y[:40])),
                           "50 images but 40 labels"),
    "not a zip": (_not_a_zip, "not a readable .npz"),
    "truncated zip": (_truncated_zip, "not a readable .npz"),
    "empty file": (_empty_npz_file, "not a readable .npz"),
    ".npy under an .npz name": (_npy_named_npz, "not a readable .npz"),
}


def _np_savez(tmp: Path, **arrays) -> Path:
    path = tmp / "data.npz"
    np.savez(path, **arrays)
    return path


@pytest.mark.parametrize("case", list(NPZ_CASES))
def test_bad_npz_raises_data_error_naming_file_and_problem(tmp_path: Path, case: str) -> None:
    make, problem = NPZ_CASES[case]
    path = make(tmp_path)
    with pytest.raises(DataError) as caught:
        load_mnist(path)
    message = str(caught.value)
    assert str(path) in message
    assert problem in message
    assert "\n" not in message


def test_folder_given_as_npz_is_an_idx_folder(tmp_path: Path) -> None:
    folder = tmp_path / "weird.npz"
    folder.mkdir()
    with pytest.raises(DataError, match="no train-images file"):
        load_mnist(folder)


# --- the real thing ----------------------------------------------------------------


@pytest.mark.mnist
def test_real_mnist(real_mnist: Path) -> None:
    mnist = load_mnist(real_mnist)
    assert mnist.train_images.shape == (60000, 28, 28)
    assert mnist.test_images.shape == (10000, 28, 28)
    assert len(mnist.train_labels) == 60000 and len(mnist.test_labels) == 10000
    assert mnist.train_labels[:5].tolist() == [5, 0, 4, 1, 9]
    assert mnist.test_labels[:5].tolist() == [7, 2, 1, 0, 4]
    # Ink is high: the border is (almost always) paper, the middle mostly ink.
    assert mnist.train_images[:, 0, :].mean() < 1
    assert mnist.train_images[:, 12:16, 12:16].mean() > 50
    assert mnist.train_images.max() == 255


def _npz_declaring(path: Path, x_train_shape: tuple[int, ...], compress: bool = False) -> Path:
    """A Keras-layout .npz whose x_train header declares `x_train_shape` but holds
    only a few bytes: what a crafted file or a zip bomb looks like before numpy
    allocates the declared size."""
    def npy(array: np.ndarray, shape: tuple[int, ...] | None = None) -> bytes:
        stream = io.BytesIO()
        header = {"descr": np.lib.format.dtype_to_descr(array.dtype), "fortran_order": False,
                  "shape": shape or array.shape}
        np.lib.format.write_array_header_1_0(stream, header)
        return stream.getvalue() + array.tobytes()

    labels = np.zeros(4, np.uint8)
    images = np.zeros((4, 28, 28), np.uint8)
    mode = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", mode) as archive:
        archive.writestr("x_train.npy", npy(images, x_train_shape))
        archive.writestr("y_train.npy", npy(labels))
        archive.writestr("x_test.npy", npy(images))
        archive.writestr("y_test.npy", npy(labels))
    return path


@pytest.mark.parametrize("count", [10**12, 2_000_000])
def test_an_npz_declaring_absurd_sizes_is_refused_before_decompressing(
        tmp_path: Path, count: int) -> None:
    # 10¹² images would be a MemoryError; 2 million (1.5 GB) a zip bomb's payload.
    path = _npz_declaring(tmp_path / "bomb.npz", (count, 28, 28), compress=True)
    with pytest.raises(DataError) as raised:
        load_mnist(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: its arrays declare ") and "far more than MNIST" in message
    assert "\n" not in message


def test_a_real_zip_bomb_is_refused_without_inflating_it(tmp_path: Path) -> None:
    # 700 MB of zeros deflate to under 1 MB; the refusal must come from the header alone.
    path = tmp_path / "bomb.npz"
    count = 900_000
    header = {"descr": "|u1", "fortran_order": False, "shape": (count, 28, 28)}
    zeros = bytes(28 * 28 * 10_000)
    head = io.BytesIO()
    np.lib.format.write_array_header_1_0(head, header)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("x_train.npy", "w", force_zip64=True) as member:
            member.write(head.getvalue())
            for _ in range(count // 10_000):
                member.write(zeros)
        for name, array in (("y_train", np.zeros(count, np.uint8)),
                            ("x_test", np.zeros((4, 28, 28), np.uint8)),
                            ("y_test", np.zeros(4, np.uint8))):
            with archive.open(f"{name}.npy", "w") as member:
                np.lib.format.write_array(member, array)
    assert path.stat().st_size < 5_000_000
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match="far more than MNIST"):
            load_mnist(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000, f"refusing the bomb allocated {peak:,} bytes"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_mnist_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "mnist.npz"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="is not a regular file"):
        load_mnist(fifo)
    folder = tmp_path / "idx"
    write_idx_folder(folder, n_train=20, n_test=10)
    images = folder / "train-images-idx3-ubyte.gz"
    images.unlink()
    os.mkfifo(images)
    with pytest.raises(DataError, match="is not a regular file"):
        load_mnist(folder)
