"""Digits as image files in torchvision's ImageFolder layout.

A folder holds sub-folders named ``0`` … ``9``, each with images of that digit
(any format `digitpad predict` reads; sub-folders inside them are read too,
names starting with a dot are skipped, like hidden files everywhere):

    my-digits/0/first.png  my-digits/0/scan-2.jpg  my-digits/7/a.png  ...

`read_image_folder` turns such a folder into samples for the personal
fine-tune: each image goes through the same reading and preprocessing as
`digitpad predict`, so a fine-tuned model learns the digits the way it will
later be asked to read them. Anything it cannot use is refused, whole, with
one line naming the file or folder: a fine-tune on part of what the user meant
would look like it worked.

`write_image_folder` writes 28×28 digits (MNIST's) the other way round.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np

from digitpad.drawing.imagefile import read_ink_image
from digitpad.drawing.preprocess import preprocess
from digitpad.errors import SampleError
from digitpad.store.samples import Sample, checked_sample

# Each digit that has any images needs this many: one is held back to measure on.
MINIMUM_PER_DIGIT = 2
LAYOUT = "sub-folders named 0 to 9, each holding images of that digit"

Progress = Callable[[int, int], None]  # (images done, images in all)


def image_files(folder: str | Path) -> dict[int, list[Path]]:
    """The image files of each digit in an ImageFolder, sorted; SampleError naming the
    first thing that does not fit the layout."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SampleError(f"{folder}: {'no such folder' if not folder.exists() else 'not a folder'}"
                          f" (expected {LAYOUT})")
    found: dict[int, list[Path]] = {}
    try:
        entries = sorted(folder.iterdir())
    except OSError as error:
        raise SampleError(f"{folder}: cannot be read ({error.strerror or error})") from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if not entry.is_dir():
            raise SampleError(f"{entry}: not in a digit's folder (expected {LAYOUT})")
        if entry.name not in {str(d) for d in range(10)}:
            raise SampleError(f"{entry}: the folder name is not a digit 0-9 (expected {LAYOUT})")
        found[int(entry.name)] = _files_below(entry)
    for digit, files in found.items():
        if 0 < len(files) < MINIMUM_PER_DIGIT:
            raise SampleError(f"{folder / str(digit)}: only {len(files)} image of {digit}; give "
                              f"at least {MINIMUM_PER_DIGIT} of each digit you include (some are "
                              f"held back to measure the fine-tune on)")
    if not any(found.values()):
        raise SampleError(f"{folder}: no images (expected {LAYOUT})")
    return {digit: files for digit, files in sorted(found.items()) if files}


def _files_below(folder: Path) -> list[Path]:
    files = []
    # Symbolic links to folders are not followed: a link loop would never end.
    for root, folders, names in os.walk(folder, onerror=_refuse):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        files += [Path(root) / name for name in sorted(names) if not name.startswith(".")]
    return files


def _refuse(error: OSError) -> None:
    raise SampleError(f"{error.filename}: cannot be read ({error.strerror or error})")


def read_image_folder(folder: str | Path, on_progress: Progress | None = None) -> list[Sample]:
    """Every image of an ImageFolder as a sample of its folder's digit (not stored
    anywhere: a sample without strokes, only the 28×28 image the network reads)."""
    files = image_files(folder)
    total = sum(len(paths) for paths in files.values())
    samples: list[Sample] = []
    for digit, paths in files.items():
        for path in paths:
            samples.append(image_file_sample(path, digit))
            if on_progress is not None:
                on_progress(len(samples), total)
    return samples


def image_file_sample(path: str | Path, label: int) -> Sample:
    """An image file as a (checked, not yet stored) sample of `label`: the 28×28 image
    `digitpad predict` would read, no strokes. ImageError or SampleError naming the file."""
    ink = read_ink_image(path)
    processed = preprocess(ink)
    if processed is None:
        raise SampleError(f"{path}: no ink (a blank image cannot teach a digit)")
    image = np.rint(processed.image * 255).astype(np.uint8)
    try:
        return checked_sample(label, [], (float(ink.shape[1]), float(ink.shape[0])),
                              image=image)
    except SampleError as error:
        raise SampleError(f"{path}: {error}") from None


def write_image_folder(images: np.ndarray, labels: Sequence[int], folder: str | Path,
                       names: Sequence[str], on_progress: Progress | None = None) -> int:
    """Write 28×28 uint8 images as ``folder/<label>/<name>.png``; returns how many.

    `folder` must be new or empty, so nothing of the user's is mixed in or replaced.
    Each PNG is written under a temporary name and renamed, so an interrupted run
    leaves whole images only (without an fsync each: they can be written again)."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise SampleError(f"{folder}: exists and is not an empty folder; choose a new one")
    try:
        for digit in sorted({int(label) for label in labels}):
            (folder / str(digit)).mkdir(parents=True, exist_ok=True)
        for done, (image, label, name) in enumerate(zip(images, labels, names, strict=True), 1):
            ok, encoded = cv2.imencode(".png", np.ascontiguousarray(image, np.uint8))
            if not ok:
                raise SampleError(f"image {name}: cannot be encoded as PNG")
            path = folder / str(int(label)) / f"{name}.png"
            temporary = path.with_name(f".{path.name}.tmp")
            try:
                temporary.write_bytes(encoded.tobytes())
                os.replace(temporary, path)
            finally:  # Ctrl+C or a full disk: no half-written file left behind
                temporary.unlink(missing_ok=True)
            if on_progress is not None:
                on_progress(done, len(labels))
    except OSError as error:
        where = error.filename or folder
        raise SampleError(f"{where}: cannot be written ({error.strerror or error})") from None
    return len(labels)
