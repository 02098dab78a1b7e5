"""Property tests: whatever arrives from disk or a canvas, only the documented errors come out."""

from __future__ import annotations

import gzip
import io
import os
import struct
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from digitpad.drawing.imagefile import read_ink_image
from digitpad.drawing.preprocess import preprocess
from digitpad.errors import ImageError
from trainer.errors import DataError
from trainer.mnist import load_mnist, read_idx

# Modest by default so the suite stays quick; raise it to hunt for bugs.
EXAMPLES = int(os.environ.get("DIGITPAD_PROPERTY_EXAMPLES", "80"))
FAST = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    # Hypothesis runs many examples per test; one folder, rewritten each time.
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def _idx_header(ndim: int, dims: list[int], dtype: int = 0x08) -> bytes:
    return struct.pack(">HBB", 0, dtype, ndim) + struct.pack(f">{len(dims)}I", *dims)


# Mostly-plausible IDX files (a real header, then anything) as well as pure noise.
idx_like = st.one_of(
    st.binary(max_size=2000),
    st.builds(
        lambda ndim, dims, body: _idx_header(ndim, dims) + body,
        st.integers(0, 6), st.lists(st.integers(0, 40), max_size=5), st.binary(max_size=3000),
    ),
    st.builds(lambda dims, body: _idx_header(len(dims), dims) + body,
              st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=4), st.binary(max_size=64)),
)


@FAST
@given(data=idx_like, compress=st.booleans(), suffix=st.sampled_from(["", ".gz"]))
def test_any_bytes_as_idx_give_an_array_or_data_error(scratch: Path, data: bytes,
                                                      compress: bool, suffix: str) -> None:
    path = scratch / f"train-images-idx3-ubyte{suffix}"
    path.write_bytes(gzip.compress(data) if compress else data)
    try:
        array = read_idx(path)
    except DataError as error:
        assert str(path) in str(error)
    else:
        assert array.dtype == np.uint8


@FAST
@given(data=idx_like, cut=st.integers(0, 50))
def test_damaged_gzip_gives_data_error(scratch: Path, data: bytes, cut: int) -> None:
    path = scratch / "t10k-labels-idx1-ubyte.gz"
    packed = gzip.compress(data)
    path.write_bytes(packed[: max(0, len(packed) - cut)])
    try:
        read_idx(path)
    except DataError:
        pass


@FAST
@given(data=idx_like, role=st.sampled_from(["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]))
def test_a_folder_with_one_fuzzed_file_gives_mnist_or_data_error(scratch: Path, data: bytes,
                                                                 role: str) -> None:
    from conftest import write_idx_folder

    folder = scratch / "mnist"
    if not folder.exists():
        write_idx_folder(folder, n_train=20, n_test=10, gz=False)
    good = {p.name: p.read_bytes() for p in folder.iterdir()}
    try:
        (folder / role).write_bytes(data)
        try:
            load_mnist(folder)
        except DataError:
            pass
    finally:
        for name, content in good.items():
            (folder / name).write_bytes(content)


# --- .npz -------------------------------------------------------------------------------

KEYS = ["x_train", "y_train", "x_test", "y_test", "trainInps", "trainTargs", "testInps",
        "testTargs", "other"]
DTYPES = st.sampled_from([np.uint8, np.int8, np.int64, np.float32, np.float64, np.bool_,
                          np.complex64, np.uint16])
small_arrays = hnp.arrays(
    dtype=DTYPES, shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=30),
    elements=None,
)


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


npz_like = st.one_of(
    st.binary(max_size=2000),
    st.dictionaries(st.sampled_from(KEYS), small_arrays, max_size=5).map(_npz_bytes),
    # A real archive with some bytes changed.
    st.tuples(st.dictionaries(st.sampled_from(KEYS), small_arrays, min_size=1, max_size=4),
              st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8)).map(
        lambda pair: _mutate(_npz_bytes(pair[0]), pair[1])),
)


def _mutate(data: bytes, changes: list[tuple[int, int]]) -> bytes:
    mutable = bytearray(data)
    for position, value in changes:
        mutable[position % len(mutable)] = value
    return bytes(mutable)


# Found by CI: a central directory claiming zip version 6.4, which zipfile refuses
# with NotImplementedError rather than BadZipFile.
LATER_ZIP_VERSION = (b"PK\x03\x04PK\x01\x02\x00\x00@" + b"\x00" * 51
                     + b"PK\x05\x06" + b"\x00" * 8 + b":" + b"\x00" * 9)


@FAST
@given(data=npz_like)
@example(data=LATER_ZIP_VERSION)
def test_any_bytes_as_npz_give_mnist_or_data_error(scratch: Path, data: bytes) -> None:
    path = scratch / "mnist.npz"
    path.write_bytes(data)
    try:
        mnist = load_mnist(path)
    except DataError as error:
        assert str(path) in str(error)
    else:
        assert mnist.train_images.dtype == np.uint8 and mnist.train_images.shape[1:] == (28, 28)
        assert mnist.train_labels.min() >= 0 and mnist.train_labels.max() <= 9


@FAST
@given(arrays=st.fixed_dictionaries(
    {"x_train": hnp.arrays(np.uint8, st.tuples(st.integers(1, 4), st.just(28), st.just(28))),
     "y_train": hnp.arrays(DTYPES, st.integers(0, 5)),
     "x_test": hnp.arrays(DTYPES, st.tuples(st.integers(1, 4), st.just(28), st.just(28))),
     "y_test": hnp.arrays(np.int64, st.integers(0, 5), elements=st.integers(-3, 12))}))
def test_nearly_right_keras_archives(scratch: Path, arrays: dict) -> None:
    path = scratch / "keras.npz"
    path.write_bytes(_npz_bytes(arrays))
    try:
        mnist = load_mnist(path)
    except DataError:
        return
    assert len(mnist.train_images) == len(mnist.train_labels)
    assert len(mnist.test_images) == len(mnist.test_labels)


def test_archive_with_odd_members_is_refused(scratch: Path) -> None:
    path = scratch / "odd.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../x_train.npy", b"\x93NUMPY junk")
        archive.writestr("y_train.npy", b"")
    with pytest.raises(DataError):
        load_mnist(path)


# --- preprocess ---------------------------------------------------------------------------

float_elements = st.floats(allow_nan=True, allow_infinity=True, width=32)
ink_arrays = st.one_of(
    hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=300)),
    hnp.arrays(np.float32, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=300),
               elements=float_elements),
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=300),
               elements=st.floats(allow_nan=True, allow_infinity=True)),
    # Sparse drawings: mostly paper, a few blobs of ink anywhere.
    st.builds(
        lambda h, w, blobs: _with_blobs(h, w, blobs),
        st.integers(1, 300), st.integers(1, 300),
        st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.integers(1, 40),
                           st.integers(1, 255)), max_size=6),
    ),
)


def _with_blobs(h: int, w: int, blobs) -> np.ndarray:
    image = np.zeros((h, w), np.uint8)
    for fy, fx, size, value in blobs:
        y, x = int(fy * (h - 1)), int(fx * (w - 1))
        image[y:y + size, x:x + size] = value
    return image


@FAST
@given(ink=ink_arrays)
def test_preprocess_gives_none_or_a_finite_28x28_image(ink: np.ndarray) -> None:
    result = preprocess(ink)
    if result is None:
        return
    image = result.image
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert np.isfinite(image).all()
    assert image.min() >= 0 and image.max() <= 1
    assert result.parts >= 0 and result.specks_removed >= 0


# --- image files ----------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n"
image_like = st.one_of(
    st.binary(max_size=3000),
    st.binary(max_size=2000).map(lambda b: PNG + b),
    st.binary(max_size=2000).map(lambda b: b"\xff\xd8\xff" + b),
    st.binary(max_size=2000).map(lambda b: b"BM" + b),
    st.binary(max_size=2000).map(lambda b: b"GIF89a" + b),
    st.binary(max_size=2000).map(lambda b: b"II*\x00" + b),
)


def _encoded(image: np.ndarray, ext: str) -> bytes:
    import cv2

    ok, data = cv2.imencode(ext, image)
    assert ok
    return data.tobytes()


damaged_images = st.tuples(
    hnp.arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 40))),
    st.sampled_from([".png", ".bmp", ".jpg", ".tiff", ".webp"]),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=6),
    st.integers(0, 200),
).map(lambda t: _mutate(_encoded(t[0], t[1]), t[2])[: max(1, len(_encoded(t[0], t[1])) - t[3])])


@FAST
@given(data=st.one_of(image_like, damaged_images))
def test_any_bytes_as_an_image_give_ink_or_image_error(scratch: Path, data: bytes) -> None:
    assume(data)
    path = scratch / "picture.png"
    path.write_bytes(data)
    try:
        ink = read_ink_image(path)
    except ImageError as error:
        assert str(path) in str(error)
    else:
        assert ink.dtype == np.uint8 and ink.ndim == 2 and ink.size > 0
