"""Readers for MNIST in the shapes people actually have on disk.

Three layouts are understood, all returning the same `Mnist` value:

* a folder with the four IDX files, gzip-compressed or raw, named
  ``train-images-idx3-ubyte`` or ``train-images.idx3-ubyte`` (likewise labels
  and ``t10k``);
* an ``.npz`` with Keras' keys ``x_train, y_train, x_test, y_test``;
* an ``.npz`` with the older keys ``trainInps, trainTargs, testInps, testTargs``
  (flattened 784-float images in 0..1, one-hot targets).

Everything is validated, and every problem becomes one `DataError` whose
message names the file and what is wrong. Nothing is ever unpickled.
"""

from __future__ import annotations

import gzip
import math
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trainer.errors import DataError
from trainer.files import refuse_special_file

IMAGE_SIDE = 28
IDX_UBYTE = 0x08
GZIP_MAGIC = b"\x1f\x8b"
# The biggest IDX payload we are willing to read (MNIST's train images are 47 MB).
MAX_IDX_BYTES = 1 << 30
# What the arrays of an .npz may declare together: MNIST as uint8 is 55 MB, in
# the older float layout up to 440 MB.
MAX_NPZ_BYTES = 1 << 29

ROLES = {
    "train_images": ("train-images", 3),
    "train_labels": ("train-labels", 1),
    "test_images": ("t10k-images", 3),
    "test_labels": ("t10k-labels", 1),
}


@dataclass(frozen=True)
class Mnist:
    """MNIST in memory: uint8 images (N, 28, 28) with ink high, int64 labels 0..9."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    source: Path

    def describe(self, source: str | None = None) -> str:
        """How many images, and from where: `source` as the caller shows it (the
        window writes ~ for the home folder), else the path as given."""
        return (
            f"{len(self.train_labels):,} training and {len(self.test_labels):,} test images "
            f"from {self.source if source is None else source}"
        )


def load_mnist(path: str | Path) -> Mnist:
    """Read MNIST from a folder of IDX files or from an ``.npz``."""
    path = Path(path).expanduser()
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    if path.is_dir():
        return _load_idx_folder(path)
    return _load_npz(path)


# --- IDX --------------------------------------------------------------------


def idx_candidates(folder: Path, role: str) -> list[Path]:
    """The file names a role may have in a folder, in order of preference."""
    stem, ndim = ROLES[role]
    names = [f"{stem}-idx{ndim}-ubyte", f"{stem}.idx{ndim}-ubyte"]
    return [folder / (name + suffix) for name in names for suffix in (".gz", "")]


def _find_idx(folder: Path, role: str) -> Path:
    for candidate in idx_candidates(folder, role):
        if candidate.exists():
            return candidate
    stem, ndim = ROLES[role]
    raise DataError(
        f"{folder}: no {stem} file (looked for {stem}-idx{ndim}-ubyte[.gz] "
        f"and {stem}.idx{ndim}-ubyte[.gz])"
    )


def _load_idx_folder(folder: Path) -> Mnist:
    arrays = {role: read_idx(_find_idx(folder, role)) for role in ROLES}
    for split in ("train", "test"):
        images_path = _find_idx(folder, f"{split}_images")
        labels_path = _find_idx(folder, f"{split}_labels")
        _check_images(arrays[f"{split}_images"], images_path)
        _check_labels(arrays[f"{split}_labels"], labels_path)
        _check_counts(arrays[f"{split}_images"], arrays[f"{split}_labels"], labels_path)
    return Mnist(
        train_images=arrays["train_images"],
        train_labels=arrays["train_labels"].astype(np.int64),
        test_images=arrays["test_images"],
        test_labels=arrays["test_labels"].astype(np.int64),
        source=folder,
    )


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file of unsigned bytes (gzip-compressed or raw)."""
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{path}: is a folder, expected an IDX file")
    refuse_special_file(path, kind="an IDX file", error=DataError)
    try:
        with open(path, "rb") as raw:
            compressed = raw.read(2) == GZIP_MAGIC
        if path.suffix == ".gz" and not compressed:
            raise DataError(f"{path}: not a gzip file")
        opener = gzip.open if compressed else open
        with opener(path, "rb") as stream:
            return _parse_idx(stream, path)
    except DataError:
        raise
    except (OSError, EOFError, zipfile.BadZipFile) as error:
        # gzip raises OSError/EOFError for corrupt or truncated streams.
        raise DataError(f"{path}: cannot be read ({error})") from None


def _parse_idx(stream, path: Path) -> np.ndarray:
    header = stream.read(4)
    if len(header) < 4:
        raise DataError(f"{path}: truncated header (file is {len(header)} bytes)")
    zero, dtype, ndim = struct.unpack(">HBB", header)
    if zero != 0 or dtype != IDX_UBYTE or not 1 <= ndim <= 4:
        raise DataError(f"{path}: wrong magic number 0x{header.hex()} (not an IDX file of bytes)")
    dims_bytes = stream.read(4 * ndim)
    if len(dims_bytes) < 4 * ndim:
        raise DataError(f"{path}: truncated header (dimensions missing)")
    dims = struct.unpack(f">{ndim}I", dims_bytes)
    # Python ints, as np.prod would overflow for absurd headers; zeros are skipped in
    # the check, since numpy refuses even an empty array with such dimensions.
    expected = math.prod(dims)
    if math.prod(d or 1 for d in dims) > MAX_IDX_BYTES:
        raise DataError(f"{path}: dimensions {dims} are implausibly large")
    data = stream.read(expected)
    if len(data) < expected:
        raise DataError(
            f"{path}: truncated data ({len(data):,} of {expected:,} bytes for dimensions {dims})"
        )
    if stream.read(1):
        raise DataError(f"{path}: more data than its dimensions {dims} describe")
    return np.frombuffer(data, dtype=np.uint8).reshape(dims).copy()


# --- NPZ --------------------------------------------------------------------

KERAS_KEYS = ("x_train", "y_train", "x_test", "y_test")
OLD_KEYS = ("trainInps", "trainTargs", "testInps", "testTargs")


def _load_npz(path: Path) -> Mnist:
    refuse_special_file(path, kind="an .npz file", error=DataError)
    try:
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            # A single .npy array (or similar) under an .npz name.
            raise DataError(f"{path}: not a readable .npz file (it holds a single array)")
        with loaded as archive:
            keys = set(archive.files)
            _refuse_oversized_members(path, keys & {*KERAS_KEYS, *OLD_KEYS})
            if set(KERAS_KEYS) <= keys:
                arrays = [_npz_array(archive, key, path) for key in KERAS_KEYS]
                images_labels = _from_keras(arrays, path)
            elif set(OLD_KEYS) <= keys:
                arrays = [_npz_array(archive, key, path) for key in OLD_KEYS]
                images_labels = _from_old_layout(arrays, path)
            else:
                raise DataError(
                    f"{path}: missing keys; expected {', '.join(KERAS_KEYS)} "
                    f"or {', '.join(OLD_KEYS)}, found {', '.join(sorted(keys)) or 'none'}"
                )
    except DataError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, NotImplementedError) as error:
        # NotImplementedError: zipfile's word for a zip of a later version than it reads
        raise DataError(f"{path}: not a readable .npz file ({error})") from None
    train_images, train_labels, test_images, test_labels = images_labels
    for images, labels in ((train_images, train_labels), (test_images, test_labels)):
        _check_images(images, path)
        _check_labels(labels, path)
        _check_counts(images, labels, path)
    return Mnist(train_images, train_labels, test_images, test_labels, source=path)


def _refuse_oversized_members(path: Path, keys: set[str]) -> None:
    """Read only the .npy headers of the arrays we would load and refuse the file
    if they declare more than MAX_NPZ_BYTES together. Compressed members can
    expand a thousandfold (a zip bomb), and numpy allocates the declared size
    before it reads a byte."""
    total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for key in sorted(keys):
                with archive.open(f"{key}.npy") as member:
                    shape, dtype = _npy_header(member, path, key)
                total += math.prod(shape) * dtype.itemsize
    except DataError:
        raise
    except Exception as error:  # noqa: BLE001 - an encrypted member, an odd compression, a
        # header numpy cannot parse (SyntaxError, TokenError): all mean a file we cannot read
        raise DataError(f"{path}: not a readable .npz file ({type(error).__name__}: "
                        f"{str(error).splitlines()[0] if str(error) else ''})") from None
    if total > MAX_NPZ_BYTES:
        raise DataError(f"{path}: its arrays declare {total:,} bytes, far more than MNIST "
                        f"(limit {MAX_NPZ_BYTES:,})")


def _npy_header(member, path: Path, key: str) -> tuple[tuple[int, ...], np.dtype]:
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(member)
    elif version == (2, 0):
        shape, _, dtype = np.lib.format.read_array_header_2_0(member)
    else:
        raise DataError(f"{path}: array '{key}' has an .npy format {version} we do not read")
    return shape, dtype


def _npz_array(archive, key: str, path: Path) -> np.ndarray:
    try:
        array = archive[key]
    except ValueError as error:
        # Raised for object arrays, which would need unpickling.
        raise DataError(f"{path}: array '{key}' cannot be loaded safely ({error})") from None
    if array.dtype.hasobject:
        raise DataError(f"{path}: array '{key}' holds Python objects; refusing to unpickle")
    return array


def _from_keras(arrays: list[np.ndarray], path: Path):
    x_train, y_train, x_test, y_test = arrays
    for key, x in (("x_train", x_train), ("x_test", x_test)):
        if x.dtype != np.uint8:
            raise DataError(f"{path}: '{key}' has dtype {x.dtype}, expected uint8")
    for key, y in (("y_train", y_train), ("y_test", y_test)):
        if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
            raise DataError(
                f"{path}: '{key}' must be a 1-D integer array, got {y.dtype} {y.shape}"
            )
    return x_train, y_train.astype(np.int64), x_test, y_test.astype(np.int64)


def _from_old_layout(arrays: list[np.ndarray], path: Path):
    train_x, train_t, test_x, test_t = arrays
    out = []
    for (x_key, x), (t_key, t) in (
        (("trainInps", train_x), ("trainTargs", train_t)),
        (("testInps", test_x), ("testTargs", test_t)),
    ):
        if x.ndim != 2 or x.shape[1] != IMAGE_SIDE * IMAGE_SIDE or not np.issubdtype(
            x.dtype, np.floating
        ):
            raise DataError(
                f"{path}: '{x_key}' must be float images of 784 values, got {x.dtype} {x.shape}"
            )
        if not np.all(np.isfinite(x)) or x.min(initial=0) < 0 or x.max(initial=0) > 1:
            raise DataError(f"{path}: '{x_key}' values must lie in 0..1")
        if t.ndim != 2 or t.shape[1] != 10:
            raise DataError(f"{path}: '{t_key}' must be one-hot rows of length 10, got {t.shape}")
        if not np.all((t == 0) | (t == 1)) or not np.all(t.sum(axis=1) == 1):
            raise DataError(f"{path}: '{t_key}' rows are not one-hot")
        images = np.rint(x * 255).astype(np.uint8).reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
        out += [images, t.argmax(axis=1).astype(np.int64)]
    return tuple(out)


# --- checks shared by all layouts -------------------------------------------


def _check_images(images: np.ndarray, path: Path) -> None:
    if images.ndim != 3 or images.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
        raise DataError(f"{path}: images must be N×28×28, got shape {images.shape}")
    if len(images) == 0:
        raise DataError(f"{path}: holds no images")


def _check_labels(labels: np.ndarray, path: Path) -> None:
    if labels.ndim != 1:
        raise DataError(f"{path}: labels must be one-dimensional, got shape {labels.shape}")
    if len(labels) and (labels.min() < 0 or labels.max() > 9):
        raise DataError(
            f"{path}: labels outside 0–9 (found {int(labels.min())}..{int(labels.max())})"
        )


def _check_counts(images: np.ndarray, labels: np.ndarray, path: Path) -> None:
    if len(images) != len(labels):
        raise DataError(f"{path}: {len(images):,} images but {len(labels):,} labels")
